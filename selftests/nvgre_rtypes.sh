#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Record types: static (the default), l2only (an appliance known by its
# MAC only) and gateway (the VSID's wildcard, Hyper-V's GatewayWildcard).
#
#   h1 192.0.2.1: vm1 10.1.0.11 (static)
#   h2 192.0.2.2: vm2 10.1.0.12 (static), app 10.1.0.50 (l2only, MAC only)
#   h3 192.0.2.3: gw 10.1.0.254 (gateway) + lan0 192.168.50.1/24
#                  --veth-- lan 192.168.50.2/24 (route 10.1.0.0/24 via gw)
#
# All in VSID 5001, no routing domain. No record names app's or gw's CA,
# so nobody answers ARP for them: vm1 reaches app through a static
# neighbour entry for app's MAC, and the LAN through a next hop whose MAC
# (02:00:00:00:99:99) no record owns, which the gateway record catches.

. "$(dirname "$0")/lib/lib.sh"

MAC1=02:00:00:00:01:01
MAC2=02:00:00:00:02:01
MACAPP=02:00:00:00:0a:01
MACGW=02:00:00:00:fe:01
MACNONE=02:00:00:00:99:99
HOSTS="h1 h2 h3"

L_STATIC1="10.1.0.11 vsid 5001 pa 192.0.2.1 mac $MAC1"
L_STATIC2="10.1.0.12 vsid 5001 pa 192.0.2.2 mac $MAC2"
L_APP="vsid 5001 pa 192.0.2.2 mac $MACAPP type l2only"
L_GW="vsid 5001 pa 192.0.2.3 mac $MACGW type gateway"

provision_static()
{
	provision $HOSTS <<-EOF
	add-lookup $L_STATIC1
	add-lookup $L_STATIC2
	EOF
}

provision_app()
{
	provision $HOSTS <<-EOF
	add-lookup mac $MACAPP vsid 5001 pa 192.0.2.2 type l2only
	EOF
}

provision_gw()
{
	provision $HOSTS <<-EOF
	add-lookup $L_GW
	EOF
}

# app's CA has no record: vm1's ARP for it is not answered.
app_no_arp()
{
	local before
	before=$(link_stat h1 nv5001 tx_arp_miss)
	ping_fails vm1 10.1.0.50 || { echo "app answered"; return 1; }
	(($(link_stat h1 nv5001 tx_arp_miss) > before)) ||
		{ echo "no tx_arp_miss"; return 1; }
	! on vm1 ip neigh show 10.1.0.50 | grep -q lladdr
}

# With app's MAC as a static neighbour, vm1 and app talk; app's replies
# carry a source CA no record names and pass h1's receive check.
app_l2()
{
	on vm1 ip neigh replace 10.1.0.50 lladdr $MACAPP dev eth0 nud permanent ||
		return 1
	ping_ok vm1 10.1.0.50
}

# app's MAC from another PA than its record names is still refused.
app_wrong_pa()
{
	local before
	nsctl h1 replace-lookup vsid 5001 pa 192.0.2.3 mac $MACAPP type l2only ||
		return 1
	before=$(link_stat h1 nv5001 rx_spoof_mac)
	ping_fails app 10.1.0.11
	local rc=$?
	nsctl h1 replace-lookup $L_APP || return 1
	((rc == 0)) || { echo "ping passed"; return 1; }
	(($(link_stat h1 nv5001 rx_spoof_mac) > before))
}

# Without a gateway record, unicast to an unknown MAC is dropped.
no_gw_no_way()
{
	local before
	before=$(link_stat h1 nv5001 tx_no_record)
	ping_fails vm1 192.168.50.2 || return 1
	(($(link_stat h1 nv5001 tx_no_record) > before))
}

# What vm1 sends to the unknown MAC reaches gw's NIC addressed to gw's MAC.
gw_wire()
{
	local cap=/tmp/$PREFIX-gw.txt before
	before=$(link_stat h1 nv5001 tx_gateway)
	bg_capture gw "$cap" timeout 60 tcpdump --immediate-mode -evnli eth0 icmp || return 1
	on vm1 ping -c 1 -W 2 192.168.50.2 >/dev/null
	bg_end "$BG_PID"
	grep -q "$MAC1 > $MACGW.*10.1.0.11 > 192.168.50.2: ICMP echo request" \
		<(tr -d '\n' <"$cap") || { cat "$cap"; return 1; }
	(($(link_stat h1 nv5001 tx_gateway) > before)) ||
		{ echo "no tx_gateway"; return 1; }
}

# ARP for a CA without record is not answered by the gateway record.
gw_no_arp()
{
	local before
	before=$(link_stat h1 nv5001 tx_arp_miss)
	ping_fails vm1 10.1.0.77 || return 1
	(($(link_stat h1 nv5001 tx_arp_miss) > before))
}

show_text()
{
	local out want
	out=$(nsctl h1 show-lookup vsid 5001) || return 1
	want="$L_STATIC1
$L_STATIC2
$L_APP
$L_GW"
	[[ "$out" == "$want" ]] || { echo "got: $out"; return 1; }
}

show_json()
{
	nsctl h1 -j show-lookup vsid 5001 | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert len(r) == 4, r
assert r[0]["ca"] == "10.1.0.11" and "type" not in r[0], r[0]
assert r[2] == {"vsid": 5001, "pa": "192.0.2.2", "mac": "'$MACAPP'",
                "type": "l2only"}, r[2]
assert r[3] == {"vsid": 5001, "pa": "192.0.2.3", "mac": "'$MACGW'",
                "type": "gateway"}, r[3]'
}

errors()
{
	check_fail "l2only with a CA is refused" \
		"Error: An l2only record has no CA." \
		nsctl h1 add-lookup 10.1.0.50 vsid 5001 pa 192.0.2.2 mac $MACAPP type l2only
	check_fail "gateway with a CA is refused" \
		"Error: A gateway record has no CA." \
		nsctl h1 add-lookup 10.1.0.254 $L_GW
	check_fail "a second gateway of the VSID is refused" \
		"Error: This VSID has a gateway record." \
		nsctl h1 add-lookup vsid 5001 pa 192.0.2.2 mac $MAC2 type gateway
	check_fail "l2only twice for one MAC is refused" \
		"Error: An l2only record for this MAC exists in this VSID." \
		nsctl h1 add-lookup $L_APP
	check_fail "del-lookup of a missing l2only record" \
		"Error: No l2only record for this MAC in this VSID." \
		nsctl h1 del-lookup vsid 5001 mac $MAC1 type l2only
	check_fail "del-lookup of a missing gateway record" \
		"Error: No gateway record in this VSID." \
		nsctl h1 del-lookup vsid 5002 type gateway
	check_fail "static needs its CA" "Error: CA must come first" \
		nsctl h1 add-lookup vsid 5001 pa 192.0.2.2 mac $MAC2 type static
	check_fail "unknown type" "TYPE must be static, l2only or gateway" \
		nsctl h1 add-lookup vsid 5001 pa 192.0.2.2 mac $MACAPP type bridge
}

monitor_types()
{
	local out=/tmp/$PREFIX-mon.txt pid
	nsctl h1 monitor count 5 >"$out" 2>&1 &
	pid=$!
	sleep 1
	nsctl h1 add-lookup vsid 5002 pa 192.0.2.2 mac $MAC2 type l2only &&
		nsctl h1 del-lookup vsid 5002 mac $MAC2 type l2only &&
		nsctl h1 add-lookup vsid 5002 pa 192.0.2.2 mac $MACGW type gateway &&
		nsctl h1 replace-lookup vsid 5002 pa 192.0.2.3 mac $MACGW type gateway &&
		nsctl h1 del-lookup vsid 5002 type gateway || return 1
	wait $pid
	[[ "$(grep -v '^#' "$out")" == "add-lookup vsid 5002 pa 192.0.2.2 mac $MAC2 type l2only
del-lookup vsid 5002 mac $MAC2 type l2only
add-lookup vsid 5002 pa 192.0.2.2 mac $MACGW type gateway
replace-lookup vsid 5002 pa 192.0.2.3 mac $MACGW type gateway
del-lookup vsid 5002 type gateway" ]] || { cat "$out"; return 1; }
}

save_restore()
{
	local f=/tmp/$PREFIX-save.conf before
	before=$(nsctl h1 show-lookup) || return 1
	nsctl h1 save "$f" || return 1
	grep -qx "add-lookup $L_APP" "$f" && grep -qx "add-lookup $L_GW" "$f" ||
		{ cat "$f"; return 1; }
	nsctl h1 del-lookup vsid 5001 mac $MACAPP type l2only || return 1
	nsctl h1 replace-lookup vsid 5001 pa 192.0.2.2 mac $MAC2 type gateway ||
		return 1
	nsctl h1 add-lookup vsid 5003 pa 192.0.2.2 mac $MAC2 type l2only ||
		return 1
	nsctl h1 restore "$f" || return 1
	[[ "$(nsctl h1 show-lookup)" == "$before" ]] ||
		{ nsctl h1 show-lookup; return 1; }
	ping_ok vm1 10.1.0.50 && ping_ok vm1 192.168.50.2
}

flush_all_types()
{
	nsctl h1 flush-lookup vsid 5001 || return 1
	[[ -z "$(nsctl h1 show-lookup)" ]]
}

require_module
ktap_plan 26

setup_underlay
add_host h1 192.0.2.1
add_host h2 192.0.2.2
add_host h3 192.0.2.3
add_vm h1 vm1 5001 10.1.0.11 $MAC1
add_vm h2 vm2 5001 10.1.0.12 $MAC2
add_vm h2 app 5001 10.1.0.50 $MACAPP
add_vm h3 gw 5001 10.1.0.254 $MACGW
on vm1 ip route add 192.168.50.0/24 via 10.1.0.254
on vm1 ip neigh replace 10.1.0.254 lladdr $MACNONE dev eth0 nud permanent
# The LAN behind gw.
mkns lan
ip link add lan0 netns "$PREFIX-gw" type veth peer name eth0 netns "$PREFIX-lan"
on gw ip addr add 192.168.50.1/24 dev lan0
on gw ip link set lan0 up
on gw sysctl -qw net.ipv4.ip_forward=1
on lan ip addr add 192.168.50.2/24 dev eth0
on lan ip link set eth0 up
on lan ip route add 10.1.0.0/24 via 192.168.50.1

check "static records (no type) on every host" provision_static
check "static: vm1 (h1) pings vm2 (h2)" ping_ok vm1 10.1.0.12
check "l2only record for app's MAC (no CA) on every host" provision_app
check "l2only: no ARP answer for app (tx_arp_miss)" app_no_arp
check "l2only: vm1 reaches app at L2, any source CA from app" app_l2
check "l2only: app's MAC from another PA is refused (rx_spoof_mac)" app_wrong_pa
check "no gateway record: unknown MAC dropped (tx_no_record)" no_gw_no_way
check "gateway record on every host" provision_gw
check "gateway: vm1 (h1) pings the LAN through gw (h3)" ping_ok vm1 192.168.50.2
check "gateway: to gw's MAC on the wire, tx_gateway" gw_wire
check "gateway: ARP for an unknown CA stays unanswered" gw_no_arp
check "static still works beside l2only and gateway" ping_ok vm2 10.1.0.11
check "show-lookup text: the add-lookup words of each type" show_text
check "show-lookup JSON: type, no ca" show_json
errors
check "monitor prints each type as its command" monitor_types
check "save and restore every type" save_restore
check "flush-lookup takes every type" flush_all_types
check "after the flush the gateway catches nothing" ping_fails vm1 192.168.50.2

ktap_finish
