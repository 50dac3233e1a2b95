#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# MTU, path MTU discovery, DSCP/ECN (RFC 6040) and TTL over a routed
# underlay with a narrow link.
#
#  vm1a 10.0.0.1 -- [br5001 + nv5001] h1 ul0 192.0.2.1/24
#                                          |  MTU 1500
#                                  u1 192.0.2.254  r (router)
#                                  u2 198.51.100.254
#                                          |  MTU 1400
#  vm2a 10.0.0.2 -- [br5001 + nv5001] h2 ul0 198.51.100.2/24
#
# h1's nv5001 has "tos inherit ttl 17"; h2's the defaults. The VMs' MTU
# is 1400 on h1 and 1358 (= 1400 - 42) on h2; they also have the IPv6 CAs
# 2001:db8:5001::1 and ::2.

. "$(dirname "$0")/lib/lib.sh"

MAC1A=02:00:00:00:01:01
MAC2A=02:00:00:00:02:01

# link NS_A IF_A NS_B IF_B MTU: a veth between two namespaces.
link()
{
	ip link add "$2" netns "$PREFIX-$1" mtu "$5" type veth \
		peer name "$4" netns "$PREFIX-$3" mtu "$5"
	on "$1" ip link set "$2" up
	on "$3" ip link set "$4" up
}

build()
{
	mkns r
	mkns h1
	mkns h2
	link h1 ul0 r u1 1500
	link h2 ul0 r u2 1400
	on r sysctl -qw net.ipv4.ip_forward=1
	on r ip addr add 192.0.2.254/24 dev u1
	on r ip addr add 198.51.100.254/24 dev u2
	on h1 ip addr add 192.0.2.1/24 dev ul0
	on h2 ip addr add 198.51.100.2/24 dev ul0
	on h1 ip route add default via 192.0.2.254
	on h2 ip route add default via 198.51.100.254
	add_segment h1 5001 local 192.0.2.1 tos inherit ttl 17 || return 1
	add_segment h2 5001 local 198.51.100.2 || return 1
	add_vm h1 vm1a 5001 10.0.0.1 $MAC1A 2001:db8:5001::1 || return 1
	add_vm h2 vm2a 5001 10.0.0.2 $MAC2A 2001:db8:5001::2 || return 1
	on vm2a ip link set eth0 mtu 1358
	provision h1 h2 <<-EOF || return 1
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 10.0.0.2 vsid 5001 pa 198.51.100.2 mac $MAC2A
	add-lookup 2001:db8:5001::1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 2001:db8:5001::2 vsid 5001 pa 198.51.100.2 mac $MAC2A
	EOF
}

mtu_of()
{
	on "$1" cat "/sys/class/net/$2/mtu"
}

default_mtus()
{
	local m1 m2
	m1=$(mtu_of h1 nv5001)
	m2=$(mtu_of h2 nv5001)
	((m1 == 1458 && m2 == 1358)) || { echo "nv5001 MTUs $m1 $m2"; return 1; }
}

# A full-size frame from vm1a is too big for the path: r reports it to
# h1, h1 learns the path MTU and tells vm1a with ICMP, as a router would.
pmtu_reaches_vm()
{
	on vm1a ping -c 3 -i 0.3 -W 1 -M do -s 1372 10.0.0.2 >/dev/null
	on vm1a ping -c 1 -W 1 -M do -s 1372 10.0.0.2 >/dev/null
	on vm1a ip route get 10.0.0.2 | grep -q "mtu 1358" || {
		on vm1a ip route get 10.0.0.2
		on h1 ip route get 198.51.100.2
		return 1
	}
	(($(link_stat h1 nv5001 tx_too_big) >= 1))
}

# The same for IPv6 in the VM: ICMPv6 "packet too big" with 1358.
pmtu_reaches_vm6()
{
	on vm1a ping -6 -c 3 -i 0.3 -W 1 -M do -s 1352 2001:db8:5001::2 >/dev/null
	on vm1a ping -6 -c 1 -W 1 -M do -s 1352 2001:db8:5001::2 >/dev/null
	on vm1a ip -6 route get 2001:db8:5001::2 | grep -q "mtu 1358" || {
		on vm1a ip -6 route get 2001:db8:5001::2
		return 1
	}
}

tcp_adapts()
{
	on vm1a ip route flush cache
	on vm2a iperf3 -s -1 -D -p 5201 || return 1
	local i
	for i in $(seq 20); do
		on vm1a timeout 60 iperf3 -c 10.0.0.2 -p 5201 -n 2M >/dev/null 2>&1 &&
			return 0
		sleep 0.5
	done
	return 1
}

# Outer headers as r sees them: h1 inherits DSCP with TTL 17; h2 copies
# only ECN; both copy ECN per RFC 6040.
dscp_ecn_ttl()
{
	local cap=/tmp/$PREFIX-tos.json
	bg_capture r "$cap" $PKT capture u1 60 "$cap.stop" || return 1
	on vm1a ping -c 2 -i 0.3 -Q 0xba 10.0.0.2 >/dev/null
	bg_stop "$cap"
	python3 - "$cap" <<-'EOF'
	import json, sys
	recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
	out = [r for r in recs if r["src"] == "192.0.2.1" and r.get("inner_tos") == 0xba]
	back = [r for r in recs if r["src"] == "198.51.100.2" and r.get("inner_tos") == 0xba]
	assert out, "no request seen: %r" % recs[:4]
	assert back, "no reply seen: %r" % recs[:4]
	for r in out:
	    assert r["tos"] == 0xba, "h1 outer tos %#x" % r["tos"]
	    assert r["ttl"] == 17, "h1 outer ttl %d" % r["ttl"]
	    assert r["df"]
	for r in back:
	    # default tos 0: only the ECN field follows the inner packet;
	    # r already decremented the TTL once.
	    assert r["tos"] == 0x02, "h2 outer tos %#x" % r["tos"]
	    assert r["ttl"] == 63, "h2 outer ttl %d" % r["ttl"]
	EOF
}

# NVGRE with CE or ECT(1) outside, sent by "h2" through r: an ECT(0) inner
# packet is delivered marked CE or ECT(1), a Not-ECT one under CE is
# dropped and counted. A packet socket on h1's ul0 shares the packets'
# data (a clone): what it reads must be the packets as they arrived, the
# inner header rewritten only in nvgre's copy.
ecn_decap()
{
	local f=/tmp/$PREFIX-ecn cap=/tmp/$PREFIX-ecn.json seen before
	local h1mac
	h1mac=$(on h1 cat /sys/class/net/ul0/address)
	before=$(link_stat h1 nv5001 rx_ecn)
	bg_capture h1 "$cap" $PKT capture ul0 20 "$cap.stop" || return 1
	local cap_pid=$BG_PID
	bg_capture vm1a "$f" $PKT listen eth0 20 tos || return 1
	on r $PKT send u1 "$h1mac" 198.51.100.2 192.0.2.1 5001 $MAC2A \
		10.0.0.2 ecn-ce-ect0 ecn-ce-notect ecn-ect1-ect0 end
	bg_wait
	BG_PID=$cap_pid
	bg_stop "$cap"
	seen=$(cat "$f")
	[[ "$seen" == "ecn-ce-ect0/3 ecn-ect1-ect0/1" ]] ||
		{ echo "vm1a saw '$seen'"; return 1; }
	(($(link_stat h1 nv5001 rx_ecn) == before + 1)) || return 1
	python3 - "$cap" <<-'EOF'
	import json, sys
	recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
	got = sorted((r["tos"], r["inner_tos"]) for r in recs
	             if not r["out"] and r.get("inner_tos") is not None
	             and r["tos"] in (1, 3))
	assert got == [(1, 2), (3, 0), (3, 2)], "captured %r" % got
	EOF
}

require_module
ktap_plan 7

check "topology: routed underlay with a 1400-byte link" build
check "device MTU = local PA's device MTU - 42 (1458, 1358)" default_mtus
check "ICMP from the underlay reaches the VM as its own PMTU" pmtu_reaches_vm
check "ICMPv6 packet too big reaches an IPv6 VM" pmtu_reaches_vm6
check "TCP through the narrow path completes" tcp_adapts
check "DSCP inherit, ECN copied, TTL option on the outer header" dscp_ecn_ttl
check "RFC 6040 decap: CE/ECT(1) mark ECT inner in a copy, drop Not-ECT" \
	ecn_decap

ktap_finish
