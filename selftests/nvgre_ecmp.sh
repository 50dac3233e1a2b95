#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The FlowID reaches outer ECMP: flows of one VM pair spread over two
# equal-cost underlay paths.
#
#                     ula  192.0.2.1/30 ---- 192.0.2.2/30
#  vm1a -- [nv5001] h1                                    r -- h2 [nv5001] -- vm2a
#     PA 203.0.113.1/32 ulb 192.0.2.5/30 ---- 192.0.2.6/30    198.51.100.2/24
#     on lo
#
# h1 reaches 198.51.100.0/24 over a multipath route through ula and ulb, with
# fib_multipath_hash_policy=1 (L4): for GRE the kernel hashes the key in
# place of the ports, so distinct inner flows take both links.

. "$(dirname "$0")/lib/lib.sh"

MAC1A=02:00:00:00:01:01
MAC2A=02:00:00:00:02:01

veth()
{
	ip link add "$2" netns "$PREFIX-$1" type veth peer name "$4" \
		netns "$PREFIX-$3"
	on "$1" ip link set "$2" up
	on "$3" ip link set "$4" up
}

build()
{
	mkns h1
	mkns r
	mkns h2
	veth h1 ula r ra
	veth h1 ulb r rb
	veth r c h2 ul0
	on h1 ip addr add 192.0.2.1/30 dev ula
	on h1 ip addr add 192.0.2.5/30 dev ulb
	on h1 ip addr add 203.0.113.1/32 dev lo
	on r ip addr add 192.0.2.2/30 dev ra
	on r ip addr add 192.0.2.6/30 dev rb
	on r ip addr add 198.51.100.254/24 dev c
	on h2 ip addr add 198.51.100.2/24 dev ul0
	on r sysctl -qw net.ipv4.ip_forward=1
	# h1's packets arrive on both links; the way back is only via a.
	on r sysctl -qw net.ipv4.conf.all.rp_filter=0
	on r sysctl -qw net.ipv4.conf.rb.rp_filter=0
	on r ip route add 203.0.113.1/32 via 192.0.2.1
	on h2 ip route add default via 198.51.100.254
	on h1 sysctl -qw net.ipv4.fib_multipath_hash_policy=1
	on h1 ip route add 198.51.100.0/24 \
		nexthop via 192.0.2.2 dev ula nexthop via 192.0.2.6 dev ulb || return 1
	add_segment h1 5001 local 203.0.113.1 || return 1
	add_segment h2 5001 local 198.51.100.2 || return 1
	add_vm h1 vm1a 5001 10.0.0.1 $MAC1A || return 1
	add_vm h2 vm2a 5001 10.0.0.2 $MAC2A || return 1
	provision h1 h2 <<-EOF || return 1
	add-lookup 10.0.0.1 vsid 5001 pa 203.0.113.1 mac $MAC1A
	add-lookup 10.0.0.2 vsid 5001 pa 198.51.100.2 mac $MAC2A
	EOF
}

tx_packets()
{
	on h1 cat "/sys/class/net/$1/statistics/tx_packets"
}

# 48 UDP flows from vm1a: both links carry some of them.
spread()
{
	local a0 b0 a1 b1
	a0=$(tx_packets ula)
	b0=$(tx_packets ulb)
	on vm1a $PKT udp 10.0.0.1 10.0.0.2 48
	a1=$(tx_packets ula)
	b1=$(tx_packets ulb)
	echo "ula: $((a1 - a0)) packets, ulb: $((b1 - b0))"
	((a1 - a0 >= 4 && b1 - b0 >= 4)) && return 0
	nsctl h1 show-link -s
	on h1 ip route get 198.51.100.2 from 203.0.113.1
	on h1 ip neigh
	return 1
}

# ping20 DEV: 20 echo requests of one flow from vm1a leave h1 through
# DEV, and fewer than 20 packets (ARP at most) through the other link.
ping20()
{
	local a0 b0 a1 b1 da db
	a0=$(tx_packets ula)
	b0=$(tx_packets ulb)
	on vm1a ping -q -c 20 -i 0.01 -w 10 10.0.0.2 >/dev/null
	a1=$(tx_packets ula)
	b1=$(tx_packets ulb)
	da=$((a1 - a0))
	db=$((b1 - b0))
	echo "ula: $da packets, ulb: $db"
	if [[ $1 == ula ]]; then
		((da >= 20 && db < 20))
	else
		((db >= 20 && da < 20))
	fi
}

# h1 caches the route of each flow (dstcache.c): a flow that has sent
# over one link moves to the other as soon as the route says so, and
# stops (tx_no_route) while the PA is unreachable.
follow()
{
	local a=192.0.2.2 b=192.0.2.6 rc=0
	on h1 ip route replace 198.51.100.0/24 via $a dev ula &&
		ping20 ula &&
		on h1 ip route replace 198.51.100.0/24 via $b dev ulb &&
		ping20 ulb &&
		on h1 ip route replace 198.51.100.0/24 via $a dev ula &&
		ping20 ula || return 1
	on h1 ip route add unreachable 198.51.100.2/32 || return 1
	ping_dropped h1 nv5001 tx_no_route vm1a 10.0.0.2 || rc=1
	on h1 ip route del unreachable 198.51.100.2/32 || return 1
	((rc == 0)) || return 1
	on h1 ip route replace 198.51.100.0/24 nexthop via $a dev ula \
		nexthop via $b dev ulb || return 1
	ping_ok vm1a 10.0.0.2 && spread
}

require_module
ktap_plan 4

check "topology: two equal-cost underlay paths" build
check "tenant traffic crosses the multipath underlay" ping_ok vm1a 10.0.0.2
check "inner flows spread over both paths (FlowID in the key)" spread
check "a flow follows underlay route changes at once (cached routes)" follow

ktap_finish
