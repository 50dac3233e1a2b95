#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# nvgrectl get: for each outcome, the query says what the datapath will do
# with a frame, then a real frame does exactly that (the counter the
# answer names rises; a capture on the PA it names sees the packet). A
# record and a route change, and the answer with them.
#
#   h1 192.0.2.1: nv5001 vm1 10.1.0.11   nv5002 vm3 10.2.0.13
#   h2 192.0.2.2: nv5001 vm2 10.1.0.12   nv5002 vm4 10.2.0.14
#
# Every device is in routing domain 100, with the subnets 10.1.0.0/24
# (VSID 5001) and 10.2.0.0/24 (VSID 5002); the VMs' default route is their
# subnet's gateway .1. 10.1.0.21 has a record at h1's PA but no VM: its
# frames are the bridge's business (tx_local_pa).

. "$(dirname "$0")/lib/lib.sh"

MAC1=02:00:00:00:01:01
MAC2=02:00:00:00:02:01
MAC3=02:00:00:00:03:01
MAC4=02:00:00:00:04:01
MAC5=02:00:00:00:05:01
GHOST=02:00:00:00:77:77
NOREC=02:00:00:00:99:99

# ask WANT ARGS...: "nvgrectl get ARGS" on h1 answers a line matching the
# regular expression WANT.
ask()
{
	local want=$1 out
	shift
	out=$(nsctl h1 get "$@") || { echo "$out"; return 1; }
	[[ "$out" =~ $want ]] || { echo "got:  $out"; echo "want: $want"; return 1; }
}

# rises HOST DEV COUNTER CMD...: running CMD (its status ignored) raises
# COUNTER of HOST's DEV.
rises()
{
	local before after
	before=$(link_stat "$1" "$2" "$3") || return 1
	"${@:4}" >/dev/null 2>&1
	after=$(link_stat "$1" "$2" "$3") || return 1
	((after > before)) || { echo "$1 $2 $3: $before -> $after"; return 1; }
}

# One ping, its answer not awaited long.
ping1()
{
	on "$1" ping -c 1 -W 1 "${@:2}"
}

send_to_pa()
{
	local cap=/tmp/$PREFIX-send.txt
	ask ": send vsid 5001 mac $MAC2 pa 192.0.2.2 from 192.0.2.1 via ul0 record static 10.1.0.12$" \
		10.1.0.12 vsid 5001 from 10.1.0.11 || return 1
	# The capture on the PA named stops on the first packet.
	bg_capture h2 "$cap" timeout 20 tcpdump --immediate-mode -c 1 -nli ul0 \
		"ip proto 47 and src 192.0.2.1 and dst 192.0.2.2" || return 1
	# The first frame of the test, also on a debug kernel beside other
	# VMs (KASAN): its reply may take seconds there.
	on vm1 ping -c 2 -i 0.3 -W 10 10.1.0.12 >/dev/null || return 1
	bg_wait || { cat "$cap"; return 1; }
	grep -q "192.0.2.1 > 192.0.2.2: GREv0" "$cap" || { cat "$cap"; return 1; }
}

json_send()
{
	nsctl h1 -j get 10.1.0.12 vsid 5001 from 10.1.0.11 | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["outcome"] == "send" and r["pa"] == "192.0.2.2", r
assert r["local"] == "192.0.2.1" and r["underlay"] == "ul0", r
assert r["record"] == {"type": "static", "ca": "10.1.0.12", "vsid": 5001,
                       "pa": "192.0.2.2", "mac": "'$MAC2'"}, r
assert "counter" not in r, r'
}

arp_miss()
{
	ask ": drop tx_arp_miss$" 10.1.0.99 vsid 5001 from 10.1.0.11 &&
		rises h1 nv5001 tx_arp_miss ping1 vm1 10.1.0.99
}

routed()
{
	ask ": routed rdid 100 nexthop 10.2.0.14 vsid 5002 mac $MAC4 pa 192.0.2.2 from 192.0.2.1 via ul0 record static 10.2.0.14$" \
		10.2.0.14 vsid 5001 from 10.1.0.11 &&
		rises h2 nv5002 rx_packets ping_ok vm1 10.2.0.14
}

routed_local()
{
	ask ": routed-local tx_routed_local rdid 100 nexthop 10.2.0.13 vsid 5002 mac $MAC3 dev nv5002 record static 10.2.0.13$" \
		10.2.0.13 vsid 5001 from 10.1.0.11 &&
		rises h1 nv5001 tx_routed_local ping_ok vm1 10.2.0.13
}

no_subnet()
{
	ask ": drop tx_no_subnet$" 10.9.9.9 vsid 5001 from 10.1.0.11 &&
		rises h1 nv5001 tx_no_subnet ping1 vm1 10.9.9.9
}

# A customer route appears: the same question gets its answer.
route_added()
{
	nsctl h1 add-route 10.9.0.0/16 rdid 100 nexthop 10.1.0.12 || return 1
	ask ": routed rdid 100 route 10.9.0.0/16 metric 0 nexthop 10.1.0.12 vsid 5001 mac $MAC2 pa 192.0.2.2 " \
		10.9.9.9 vsid 5001 from 10.1.0.11 &&
		rises h2 nv5001 rx_packets ping1 vm1 10.9.9.9
}

local_pa()
{
	ask ": local tx_local_pa vsid 5001 mac $MAC5 pa 192.0.2.1 record static 10.1.0.21$" \
		10.1.0.21 vsid 5001 from 10.1.0.11 &&
		rises h1 nv5001 tx_local_pa ping1 vm1 10.1.0.21
}

# Once the host has a PA, a VM whose MAC has no record has no source PA.
no_local_pa()
{
	local rc=0
	nsctl h1 add-pa 192.0.2.1 dev ul0 || return 1
	ask ": drop tx_no_local_pa record static 10.1.0.12$" \
		10.1.0.12 vsid 5001 mac $NOREC || rc=1
	if ((rc == 0)); then
		on vm1 ip link set eth0 address $NOREC &&
			rises h1 nv5001 tx_no_local_pa ping1 vm1 10.1.0.12 || rc=1
		on vm1 ip link set eth0 address $MAC1
	fi
	nsctl h1 del-pa 192.0.2.1
	return $rc
}

# To a MAC without record (a static neighbour of vm1): dropped, then,
# once the VSID has a gateway record, sent to it.
no_record_then_gateway()
{
	on vm1 ip neigh replace 10.1.0.77 lladdr $GHOST dev eth0 || return 1
	ask ": drop tx_no_record$" \
		10.1.0.77 vsid 5001 from 10.1.0.11 lladdr $GHOST &&
		rises h1 nv5001 tx_no_record ping1 vm1 10.1.0.77 || return 1
	nsctl h1 add-lookup vsid 5001 pa 192.0.2.2 mac $MAC2 type gateway ||
		return 1
	ask ": gateway tx_gateway vsid 5001 mac $MAC2 pa 192.0.2.2 from 192.0.2.1 via ul0 record gateway$" \
		10.1.0.77 vsid 5001 from 10.1.0.11 lladdr $GHOST &&
		rises h1 nv5001 tx_gateway ping1 vm1 10.1.0.77 || return 1
	# The gateway record lets MAC2 use any source CA: not for the rest.
	nsctl h1 del-lookup vsid 5001 type gateway
}

flood()
{
	ask ": flood tx_flood_copies vsid 5001 to 192.0.2.2$" \
		10.1.0.255 vsid 5001 from 10.1.0.11 &&
		rises h1 nv5001 tx_flood_copies ping1 vm1 -b 10.1.0.255
}

rx_accept()
{
	ask "dir in from 10.1.0.12 mac $MAC2 pa 192.0.2.2: accept record static 10.1.0.12$" \
		10.1.0.11 vsid 5001 from 10.1.0.12 dir in pa 192.0.2.2 &&
		rises h1 nv5001 rx_packets ping_ok vm2 10.1.0.11
}

rx_spoof_ca()
{
	ask ": drop rx_spoof_ca record static 10.1.0.12$" \
		10.1.0.11 vsid 5001 from 10.1.0.50 mac $MAC2 dir in pa 192.0.2.2 ||
		return 1
	on vm2 ip addr add 10.1.0.50/32 dev eth0 || return 1
	rises h1 nv5001 rx_spoof_ca ping1 vm2 -I 10.1.0.50 10.1.0.11
	local rc=$?
	on vm2 ip addr del 10.1.0.50/32 dev eth0
	return $rc
}

# h1's record of vm2 names another PA: the same question, another answer.
rx_record_changed()
{
	nsctl h1 replace-lookup 10.1.0.12 vsid 5001 pa 192.0.2.3 mac $MAC2 ||
		return 1
	ask ": drop rx_spoof_mac$" \
		10.1.0.11 vsid 5001 from 10.1.0.12 dir in pa 192.0.2.2 &&
		rises h1 nv5001 rx_spoof_mac ping1 vm2 10.1.0.11 || return 1
	nsctl h1 replace-lookup 10.1.0.12 vsid 5001 pa 192.0.2.2 mac $MAC2
}

# Once h1 has a PA, NVGRE to another of its addresses (192.0.2.11) is
# not taken (rx_wrong_pa): the outer destination is part of the question.
# h2's record of vm1, made stale, sends a real frame there.
rx_wrong_pa()
{
	local rc=0
	on h1 ip addr add 192.0.2.11/24 dev ul0 || return 1
	nsctl h1 add-pa 192.0.2.1 dev ul0 || rc=1
	((rc == 0)) && ask "pa 192.0.2.2 to 192.0.2.11: drop rx_wrong_pa$" \
		10.1.0.11 vsid 5001 from 10.1.0.12 dir in pa 192.0.2.2 \
		to 192.0.2.11 || rc=1
	((rc == 0)) && ask "pa 192.0.2.2 to 192.0.2.1: accept record static 10.1.0.12$" \
		10.1.0.11 vsid 5001 from 10.1.0.12 dir in pa 192.0.2.2 \
		to 192.0.2.1 || rc=1
	if ((rc == 0)); then
		nsctl h2 replace-lookup 10.1.0.11 vsid 5001 pa 192.0.2.11 \
			mac $MAC1 &&
			rises h1 nv5001 rx_wrong_pa ping1 vm2 10.1.0.11 || rc=1
		nsctl h2 replace-lookup 10.1.0.11 vsid 5001 pa 192.0.2.1 mac $MAC1
	fi
	nsctl h1 del-pa 192.0.2.1
	on h1 ip addr del 192.0.2.11/24 dev ul0
	return $rc
}

# IPv6 CAs, last: vm1 and vm2 get IPv6 only now, so that nothing of theirs
# crossed the tunnel before. A destination with a record is sent to its
# PA; one without gets no Neighbour Advertisement (tx_nd_miss).
ipv6_ca()
{
	local vm
	for vm in vm1 vm2; do
		on $vm sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0 || return 1
	done
	on vm1 ip addr add 2001:db8:1::11/64 dev eth0 nodad &&
		on vm2 ip addr add 2001:db8:1::12/64 dev eth0 nodad || return 1
	provision h1 h2 <<-EOF || return 1
	add-lookup 2001:db8:1::11 vsid 5001 pa 192.0.2.1 mac $MAC1
	add-lookup 2001:db8:1::12 vsid 5001 pa 192.0.2.2 mac $MAC2
	add-subnet 2001:db8:1::/64 vsid 5001 rdid 100
	EOF
	ask ": send vsid 5001 mac $MAC2 pa 192.0.2.2 from 192.0.2.1 via ul0 record static 2001:db8:1::12$" \
		2001:db8:1::12 vsid 5001 from 2001:db8:1::11 &&
		rises h2 nv5001 rx_packets ping_ok vm1 2001:db8:1::12 || return 1
	ask ": drop tx_nd_miss$" 2001:db8:1::99 vsid 5001 from 2001:db8:1::11 &&
		rises h1 nv5001 tx_nd_miss ping1 vm1 2001:db8:1::99
}

errors()
{
	check_fail "get: a VSID without device" \
		"No nvgre device of this VSID in the namespace" \
		nsctl h1 get 10.1.0.12 vsid 6000 mac $MAC1
	check_fail "get: no source MAC to be found" \
		"No source MAC: give one, or a source CA that has a record" \
		nsctl h1 get 10.1.0.12 vsid 5001 from 10.1.0.99
	check_fail "get: dir in without pa" "\"dir in\" needs" \
		nsctl h1 get 10.1.0.12 vsid 5001 from 10.1.0.11 dir in
	check_fail "get: another device than the VSID's" \
		"The device is not the nvgre device of this VSID" \
		nsctl h1 get 10.1.0.12 vsid 5001 from 10.1.0.11 dev nv5002
	check_fail "get: an outer destination not of this host" \
		"The outer destination is no address of this host" \
		nsctl h1 get 10.1.0.11 vsid 5001 from 10.1.0.12 dir in \
		pa 192.0.2.2 to 192.0.2.99
}

require_module
ktap_plan 22

setup_underlay
add_host h1 192.0.2.1
add_host h2 192.0.2.2
for h in h1 h2; do
	add_segment $h 5001 rdid 100
	add_segment $h 5002 rdid 100
done
VM_NO_IPV6=1 add_vm h1 vm1 5001 10.1.0.11 $MAC1
VM_NO_IPV6=1 add_vm h2 vm2 5001 10.1.0.12 $MAC2
VM_NO_IPV6=1 add_vm h1 vm3 5002 10.2.0.13 $MAC3
VM_NO_IPV6=1 add_vm h2 vm4 5002 10.2.0.14 $MAC4
on vm1 ip route add default via 10.1.0.1
on vm2 ip route add default via 10.1.0.1
on vm3 ip route add default via 10.2.0.1
on vm4 ip route add default via 10.2.0.1
on vm1 sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0

check "provision records and subnets" provision h1 h2 <<EOF
add-lookup 10.1.0.11 vsid 5001 pa 192.0.2.1 mac $MAC1
add-lookup 10.1.0.12 vsid 5001 pa 192.0.2.2 mac $MAC2
add-lookup 10.1.0.21 vsid 5001 pa 192.0.2.1 mac $MAC5
add-lookup 10.2.0.13 vsid 5002 pa 192.0.2.1 mac $MAC3
add-lookup 10.2.0.14 vsid 5002 pa 192.0.2.2 mac $MAC4
add-subnet 10.1.0.0/24 vsid 5001 rdid 100
add-subnet 10.2.0.0/24 vsid 5002 rdid 100
EOF
check "send: to the record's PA, seen there" send_to_pa
check "send: JSON" json_send
check "drop: ARP for a CA without record (tx_arp_miss)" arp_miss
check "routed: to a VM of another VSID on another host" routed
check "routed-local: to a VM of another VSID on this host" routed_local
check "drop: off every subnet, no route (tx_no_subnet)" no_subnet
check "route added: routed by it to its next hop" route_added
check "local: a record at this host's PA (tx_local_pa)" local_pa
check "drop: no source PA for an unknown MAC (tx_no_local_pa)" no_local_pa
check "drop, then gateway record: tx_no_record, tx_gateway" no_record_then_gateway
check "flood: broadcast copied to the VSID's other hosts" flood
check "dir in: accepted from the record's PA" rx_accept
check "dir in: a source CA without record (rx_spoof_ca)" rx_spoof_ca
check "dir in: record changed, same question (rx_spoof_mac)" rx_record_changed
check "dir in: to an address that is no PA (rx_wrong_pa)" rx_wrong_pa
check "IPv6 CAs: send, and tx_nd_miss without a record" ipv6_ca
errors
ktap_finish
