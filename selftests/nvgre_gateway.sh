#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The tenant's way out: a gateway VM with one NIC in the virtual network
# and one on a LAN, reached through a customer route.
#
#   h1 192.0.2.1: vm1 10.1.0.11      h2 192.0.2.2: vm2 10.1.0.12
#   h3 192.0.2.3: gw  10.1.0.254 (VSID 5001) + lan0 192.168.50.1/24
#                  --veth-- lan 192.168.50.2/24 (route 10.1.0.0/24 via gw)
#
# All in VSID 5001, subnet 10.1.0.0/24 of routing domain 100; the VMs'
# default route is the gateway 10.1.0.1; "add-route 0.0.0.0/0 rdid 100
# nexthop 10.1.0.254" on every host sends what no subnet holds to gw,
# which forwards it (ip_forward, no NAT). Replies from the LAN come back
# bridged from gw, with a source CA no record has: accepted because the
# domain's route towards that source leads to gw's record.

. "$(dirname "$0")/lib/lib.sh"

MAC1=02:00:00:00:01:01
MAC2=02:00:00:00:02:01
MACGW=02:00:00:00:fe:01
GWMAC=02:4e:00:00:00:64
HOSTS="h1 h2 h3"

on_all()
{
	local h
	for h in $HOSTS; do
		nsctl "$h" "$@" || return 1
	done
}

provision_all()
{
	provision $HOSTS <<-EOF || return 1
	add-lookup 10.1.0.11 vsid 5001 pa 192.0.2.1 mac $MAC1
	add-lookup 10.1.0.12 vsid 5001 pa 192.0.2.2 mac $MAC2
	add-lookup 10.1.0.254 vsid 5001 pa 192.0.2.3 mac $MACGW
	add-subnet 10.1.0.0/24 vsid 5001 rdid 100
	EOF
}

no_route_no_way()
{
	local before
	before=$(link_stat h1 nv5001 tx_no_subnet)
	ping_fails vm1 192.168.50.2 || return 1
	(($(link_stat h1 nv5001 tx_no_subnet) > before))
}

route_errors()
{
	check_fail "add-route: next hop or VSID needed" "needs \"nexthop\" or \"vsid\"" \
		nsctl h1 add-route 10.9.0.0/16 rdid 100
	check_fail "add-route: VSID of another routing domain" \
		"This VSID is in another routing domain" \
		nsctl h1 add-route 10.9.0.0/16 rdid 200 vsid 5001
	check_fail "add-route: next hop of the other family" \
		"the next hop must be a CA of the prefix's family" \
		nsctl h1 add-route 10.9.0.0/16 rdid 100 nexthop 2001:db8::1
	check_fail "add-route: same prefix and metric twice" \
		"has a route of this prefix and metric" \
		nsctl h1 add-route 0.0.0.0/0 rdid 100 nexthop 10.1.0.12
	check_fail "del-route: no such route" "No such route in this routing domain" \
		nsctl h1 del-route 10.9.0.0/16 rdid 100
}

show_route()
{
	local out
	out=$(nsctl h1 show-route) || return 1
	[[ "$out" == "0.0.0.0/0 rdid 100 nexthop 10.1.0.254 metric 0" ]] ||
		{ echo "got: $out"; return 1; }
	nsctl h1 -j show-route rdid 100 | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r == [{"prefix": "0.0.0.0/0", "rdid": 100, "nexthop": "10.1.0.254",
              "metric": 0}], r'
}

# What vm1 sends to the LAN reaches gw's NIC from the gateway MAC, TTL 63.
via_gw_wire()
{
	local cap=/tmp/$PREFIX-gw.txt
	bg_capture gw "$cap" timeout 60 tcpdump --immediate-mode -evnli eth0 icmp || return 1
	on vm1 ping -c 1 -W 2 -t 64 192.168.50.2 >/dev/null
	bg_end "$BG_PID"
	grep -q "$GWMAC > $MACGW.*ttl 63.*10.1.0.11 > 192.168.50.2: ICMP echo request" \
		<(tr -d '\n' <"$cap") || { cat "$cap"; return 1; }
}

# A VM other than gw claiming a LAN source is refused by the reverse path
# check: the route towards 192.168.50.7 leads to gw, not to vm2's host.
lan_source_spoof()
{
	local before
	on vm2 ip addr add 192.168.50.7/32 dev eth0 || return 1
	before=$(link_stat h1 nv5001 rx_spoof_ca)
	on vm2 ping -c 1 -W 1 -I 192.168.50.7 10.1.0.11 >/dev/null
	local rc=$?
	on vm2 ip addr del 192.168.50.7/32 dev eth0
	((rc != 0)) || { echo "vm1 answered"; return 1; }
	(($(link_stat h1 nv5001 rx_spoof_ca) > before))
}

# Neither may gw claim a CA of the virtual subnets (vm2's).
gw_tenant_spoof()
{
	local before
	on gw ip addr add 10.1.0.12/32 dev eth0 || return 1
	before=$(link_stat h1 nv5001 rx_spoof_ca)
	on gw ping -c 1 -W 1 -I 10.1.0.12 10.1.0.11 >/dev/null
	local rc=$?
	on gw ip addr del 10.1.0.12/32 dev eth0
	((rc != 0)) || { echo "vm1 answered"; return 1; }
	(($(link_stat h1 nv5001 rx_spoof_ca) > before))
}

# Longest prefix first, then the lowest metric: a /24 to vm2 (which does
# not forward) hides the default route; a better /24 to gw wins back.
lpm_metrics()
{
	nsctl h1 add-route 192.168.50.0/24 rdid 100 nexthop 10.1.0.12 metric 10 ||
		return 1
	ping_fails vm1 192.168.50.2 || { echo "/24 to vm2 not used"; return 1; }
	nsctl h1 add-route 192.168.50.0/24 rdid 100 nexthop 10.1.0.254 metric 5 ||
		return 1
	ping_ok vm1 192.168.50.2 || { echo "metric 5 not preferred"; return 1; }
	nsctl h1 del-route 192.168.50.0/24 rdid 100 metric 5 || return 1
	ping_fails vm1 192.168.50.2 || { echo "metric 10 not used"; return 1; }
	nsctl h1 del-route 192.168.50.0/24 rdid 100 || return 1
	[[ "$(nsctl h1 show-route)" == "0.0.0.0/0 rdid 100 nexthop 10.1.0.254 metric 0" ]] ||
		return 1
	ping_ok vm1 192.168.50.2
}

monitor_route()
{
	local out=/tmp/$PREFIX-mon.txt pid
	nsctl h1 monitor count 2 >"$out" 2>&1 &
	pid=$!
	sleep 1
	nsctl h1 add-route 172.16.0.0/12 rdid 100 vsid 5001 metric 7 &&
		nsctl h1 del-route 172.16.0.0/12 rdid 100 || return 1
	wait $pid
	grep -qx "add-route 172.16.0.0/12 rdid 100 vsid 5001 metric 7" "$out" &&
		grep -qx "del-route 172.16.0.0/12 rdid 100 metric 7" "$out" ||
		{ cat "$out"; return 1; }
}

save_restore()
{
	local f=/tmp/$PREFIX-save.conf
	nsctl h1 save "$f" || return 1
	grep -qx "add-route 0.0.0.0/0 rdid 100 nexthop 10.1.0.254 metric 0" "$f" ||
		{ cat "$f"; return 1; }
	nsctl h1 del-route 0.0.0.0/0 rdid 100 || return 1
	nsctl h1 add-route 10.8.0.0/16 rdid 100 nexthop 10.1.0.12 || return 1
	nsctl h1 restore "$f" || return 1
	[[ "$(nsctl h1 show-route)" == "0.0.0.0/0 rdid 100 nexthop 10.1.0.254 metric 0" ]] &&
		ping_ok vm1 192.168.50.2
}

require_module
ktap_plan 19

setup_underlay
add_host h1 192.0.2.1
add_host h2 192.0.2.2
add_host h3 192.0.2.3
add_segment h1 5001 rdid 100
add_segment h2 5001 rdid 100
add_segment h3 5001 rdid 100
add_vm h1 vm1 5001 10.1.0.11 $MAC1
add_vm h2 vm2 5001 10.1.0.12 $MAC2
add_vm h3 gw 5001 10.1.0.254 $MACGW
on vm1 ip route add default via 10.1.0.1
on vm2 ip route add default via 10.1.0.1
# The LAN behind gw.
mkns lan
ip link add lan0 netns "$PREFIX-gw" type veth peer name eth0 netns "$PREFIX-lan"
on gw ip addr add 192.168.50.1/24 dev lan0
on gw ip link set lan0 up
on gw sysctl -qw net.ipv4.ip_forward=1
on lan ip addr add 192.168.50.2/24 dev eth0
on lan ip link set eth0 up
on lan ip route add 10.1.0.0/24 via 192.168.50.1

check "provision records and subnets" provision_all
check "without a route the LAN is out of reach (tx_no_subnet)" no_route_no_way
check "add-route 0.0.0.0/0 nexthop gw on every host" \
	on_all add-route 0.0.0.0/0 rdid 100 nexthop 10.1.0.254
route_errors
check "show-route text and JSON" show_route
check "vm1 (h1) pings the LAN through gw (h3)" ping_ok vm1 192.168.50.2
check "vm2 (h2) pings the LAN through gw (h3)" ping_ok vm2 192.168.50.2
check "to gw: gateway MAC -> gw's MAC, TTL 63, no NAT" via_gw_wire
check "a LAN source from another VM is refused (reverse path)" lan_source_spoof
check "gw cannot claim a tenant CA" gw_tenant_spoof
check "longest prefix, then lowest metric; del-route by metric" lpm_metrics
check "monitor prints add-route and del-route" monitor_route
check "save and restore routes" save_restore
check "del-route on every host: the LAN is out of reach again" \
	on_all del-route 0.0.0.0/0 rdid 100
check "no route, no way" ping_fails vm1 192.168.50.2

ktap_finish
