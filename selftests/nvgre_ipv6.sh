#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The IPv6 underlay: records whose PA is IPv6, GRE over IPv6 both ways,
# a VSID whose hosts sit on IPv4 and on IPv6 PAs, a host with one PA of
# each family, the receive checks over IPv6, and path MTU discovery over
# a routed IPv6 underlay.
#
#  vm1a 10.0.0.1 2001:db8:5001::1 (pa 192.0.2.1)    \
#  vm1b 10.0.0.4 2001:db8:5001::4 (pa 2001:db8:ff::1) -- h1 ul0 192.0.2.1,
#                                          2001:db8:ff::1 (PAs), ::21 (not)
#                                                          |  br0 (sw)
#  vm2a 10.0.0.2 2001:db8:5001::2 -- h2 ul0 2001:db8:ff::2 (IPv6 only,
#                                       device local, no add-pa)
#  vm3a 10.0.0.3 2001:db8:5001::3 -- h3 ul0 192.0.2.3 (IPv4 only, PA)
#
# All in VSID 5001; h1's nv5001 has "ttl 17 tos inherit".
#
# Path MTU (its own namespaces):
#
#  vm4 10.0.1.4 -- [br5002 + nv5002] p1 ul0 2001:db8:1::1 --1500-- r6
#  vm5 10.0.1.5 -- [br5002 + nv5002] p2 ul0 2001:db8:2::2 --1400-- r6

. "$(dirname "$0")/lib/lib.sh"

MAC1A=02:00:00:00:01:01
MAC1B=02:00:00:00:01:02
MAC2A=02:00:00:00:02:01
MAC3A=02:00:00:00:03:01
MAC4=02:00:00:00:04:01
MAC5=02:00:00:00:05:01
TMPD=/tmp/$PREFIX-v6
mkdir -p "$TMPD"
MON_PID=
trap '[[ -z "$MON_PID" ]] || kill "$MON_PID" 2>/dev/null; cleanup; rm -rf "$TMPD"' EXIT

h1() { nsctl h1 "$@"; }

setup()
{
	setup_underlay
	add_host h1 192.0.2.1 2001:db8:ff::1 || return 1
	add_host h2 - 2001:db8:ff::2 || return 1
	add_host h3 192.0.2.3 || return 1
	on h1 ip addr add 2001:db8:ff::21/64 dev ul0 nodad
	h1 add-pa 192.0.2.1 dev ul0 || return 1
	h1 add-pa 2001:db8:ff::1 dev ul0 || return 1
	nsctl h3 add-pa 192.0.2.3 dev ul0 || return 1
	add_segment h1 5001 ttl 17 tos inherit || return 1
	add_segment h2 5001 local 2001:db8:ff::2 || return 1
	add_vm h1 vm1a 5001 10.0.0.1 $MAC1A 2001:db8:5001::1 || return 1
	add_vm h1 vm1b 5001 10.0.0.4 $MAC1B 2001:db8:5001::4 || return 1
	add_vm h2 vm2a 5001 10.0.0.2 $MAC2A 2001:db8:5001::2 || return 1
	add_vm h3 vm3a 5001 10.0.0.3 $MAC3A 2001:db8:5001::3 || return 1
	provision h1 h2 h3 <<-EOF
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 2001:db8:5001::1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 10.0.0.4 vsid 5001 pa 2001:db8:ff::1 mac $MAC1B
	add-lookup 2001:db8:5001::4 vsid 5001 pa 2001:db8:ff::1 mac $MAC1B
	add-lookup 10.0.0.2 vsid 5001 pa 2001:db8:ff::2 mac $MAC2A
	add-lookup 2001:db8:5001::2 vsid 5001 pa 2001:db8:ff::2 mac $MAC2A
	add-lookup 10.0.0.3 vsid 5001 pa 192.0.2.3 mac $MAC3A
	add-lookup 2001:db8:5001::3 vsid 5001 pa 192.0.2.3 mac $MAC3A
	EOF
}

# h2's device: MTU 1500 - 62 from its IPv6 local PA, which show-link says.
device_local6()
{
	local mtu line
	mtu=$(on h2 cat /sys/class/net/nv5001/mtu)
	((mtu == 1438)) || { echo "nv5001 MTU $mtu"; return 1; }
	line=$(nsctl h2 show-link nv5001)
	[[ "$line" == "nv5001: vsid 5001 local 2001:db8:ff::2 rdid 0" ]] ||
		{ echo "show-link: $line"; return 1; }
	on h2 ip -d link show nv5001 >/dev/null
}

show_lookup_pa6()
{
	local line
	line=$(h1 show-lookup vsid 5001 | grep "^10.0.0.2 ")
	[[ "$line" == "10.0.0.2 vsid 5001 pa 2001:db8:ff::2 mac $MAC2A" ]] ||
		{ echo "got: $line"; return 1; }
	h1 -j show-lookup vsid 5001 | python3 -c '
import json, sys
recs = {r["ca"]: r for r in json.load(sys.stdin)}
assert recs["10.0.0.2"]["pa"] == "2001:db8:ff::2", recs["10.0.0.2"]
assert recs["10.0.0.1"]["pa"] == "192.0.2.1", recs["10.0.0.1"]'
}

ping4_over6() { ping_ok vm1b 10.0.0.2; }
ping6_over6() { on vm1b ping -6 -c 2 -i 0.3 -W 2 2001:db8:5001::2; }
ping6_over4() { on vm1a ping -6 -c 2 -i 0.3 -W 2 2001:db8:5001::3; }

# 1 MB of TCP from vm1b to vm2a over the IPv6 underlay (GSO over GRE6).
tcp_over6()
{
	on vm2a iperf3 -s -1 -D -p 5201 || return 1
	local i
	for i in $(seq 20); do
		on vm1b timeout 60 iperf3 -c 10.0.0.2 -p 5201 -n 1M >/dev/null 2>&1 &&
			return 0
		sleep 0.3
	done
	return 1
}

# One VSID, three hosts: h2 (IPv6 PA) and h3 (IPv4 PA) both reach h1's
# VMs, each over the family its records say.
mixed_vsid()
{
	ping_ok vm2a 10.0.0.4 && ping_ok vm3a 10.0.0.1 &&
		on vm2a ping -6 -c 2 -i 0.3 -W 2 2001:db8:5001::4 &&
		on vm3a ping -6 -c 2 -i 0.3 -W 2 2001:db8:5001::1
}

# h2 has no IPv4 underlay: vm3a's IPv4 PA has no route from there.
no_common_family()
{
	ping_dropped h2 nv5001 tx_no_route vm2a 10.0.0.3
}

# h1 caches its route to each flow's PA (dstcache.c): an unreachable
# route to vm2a's IPv6 PA, added after the flow has sent, stops it at
# once (tx_no_route), and deleting it lets it through again.
route6_change()
{
	local rc=0
	ping_ok vm1b 10.0.0.2 || return 1
	on h1 ip -6 route add unreachable 2001:db8:ff::2/128 || return 1
	ping_dropped h1 nv5001 tx_no_route vm1b 10.0.0.2 || rc=1
	on h1 ip -6 route del unreachable 2001:db8:ff::2/128 || return 1
	((rc == 0)) && ping_ok vm1b 10.0.0.2
}

# capture_outer VM DST: the outer headers (pkt.py capture, JSON lines) of
# the NVGRE h1 sends while VM pings DST (IPv4).
capture_outer()
{
	local cap=$TMPD/cap-$1
	# A wide window: on the debug kernel, starting ping takes seconds.
	bg_capture h1 "$cap" $PKT capture ul0 60 "$cap.stop" || return 1
	on "$1" ping -c 2 -i 0.3 -W 1 -Q 0xb8 "$2" >/dev/null
	bg_stop "$cap"
	cat "$cap"
}

# The multi-PA host sends each VM's frames from the PA of its own family
# that the VM's records name; over IPv6 with the device's hop limit,
# inherited traffic class and a flow label from the inner flow.
outer_source()
{
	local a b
	a=$(capture_outer vm1a 10.0.0.3) || return 1
	b=$(capture_outer vm1b 10.0.0.2) || return 1
	python3 - "$a" "$b" <<-'EOF'
	import json, sys
	a = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
	b = [json.loads(l) for l in sys.argv[2].splitlines() if l.strip()]
	# The pings only: the VMs' router and MLD solicitations are
	# replicated (flood.c) to the same hosts meanwhile.
	a = [r for r in a if r.get("inner_ethertype") == 0x0800]
	b = [r for r in b if r.get("inner_ethertype") == 0x0800]
	out4 = [r for r in a if r["dst"] == "192.0.2.3"]
	out6 = [r for r in b if r["dst"] == "2001:db8:ff::2"]
	assert out4 and out6, (a, b)
	assert {r["src"] for r in out4} == {"192.0.2.1"}, out4
	assert {r["src"] for r in out6} == {"2001:db8:ff::1"}, out6
	for r in out6:
	    assert r["vsid"] == 5001 and r["flags"] == 0x2000, r
	    assert r["proto"] == 0x6558, r
	    assert r["ttl"] == 17 and r["tos"] == 0xb8, r
	    assert r["flowlabel"] != 0, r
	assert len({r["flowlabel"] for r in out6}) == 1, out6
	EOF
}

# vm1a's records name an IPv4 PA and the device has no IPv6 local PA:
# nothing to send to vm2a's IPv6 PA from.
no_local_pa6()
{
	ping_dropped h1 nv5001 tx_no_local_pa vm1a 10.0.0.2
}

# send DST KIND...: crafted NVGRE over IPv6 from h2 (2001:db8:ff::2) to
# h1's DST as vm2a.
send6()
{
	on h2 $PKT send ul0 "$(on h1 cat /sys/class/net/ul0/address)" \
		2001:db8:ff::2 "$1" 5001 $MAC2A 10.0.0.2 "${@:2}"
}

# received_for DST KIND...: the test frames vm1a receives of those sent
# to DST; an "end" frame to h1's PA closes the window.
received_for()
{
	local f=$TMPD/listen dst=$1
	shift
	bg_capture vm1a "$f" $PKT listen eth0 20 >/dev/null || return 1
	send6 "$dst" "$@"
	send6 2001:db8:ff::1 end
	bg_wait
	cat "$f"
}

rx6_pa_ok()
{
	local seen
	seen=$(received_for 2001:db8:ff::1 good)
	[[ "$seen" == good ]] || { echo "vm1a saw '$seen'"; return 1; }
}

# stat_moves HOST COUNTER N CMD...: CMD moves HOST's nv5001 COUNTER by N.
stat_moves()
{
	local host=$1 ctr=$2 n=$3 before after
	shift 3
	before=$(link_stat "$host" nv5001 "$ctr")
	"$@" || return 1
	after=$(link_stat "$host" nv5001 "$ctr")
	((after == before + n)) || { echo "$ctr: $before -> $after"; return 1; }
}

# nothing_for DST KIND...: none of the frames reaches vm1a.
nothing_for()
{
	local seen
	seen=$(received_for "$@")
	[[ -z "$seen" ]] || { echo "delivered: $seen"; return 1; }
}

rx6_not_pa() { stat_moves h1 rx_wrong_pa 1 nothing_for 2001:db8:ff::21 good; }
rx6_truncated()
{
	stat_moves h1 rx_malformed 1 nothing_for 2001:db8:ff::1 short-inner
}
rx6_fragment() { stat_moves h1 rx_malformed 1 nothing_for 2001:db8:ff::1 frag6; }
rx6_spoof() { stat_moves h1 rx_spoof_ca 1 nothing_for 2001:db8:ff::1 spoof-ca; }

# RFC 6040 over IPv6: CE outside marks an ECT(0) inner packet, a Not-ECT
# one is dropped (rx_ecn).
rx6_ecn()
{
	local f=$TMPD/ecn seen before
	before=$(link_stat h1 nv5001 rx_ecn)
	bg_capture vm1a "$f" $PKT listen eth0 20 tos || return 1
	send6 2001:db8:ff::1 ecn-ce-ect0 ecn-ce-notect end
	bg_wait
	seen=$(cat "$f")
	[[ "$seen" == "ecn-ce-ect0/3" ]] || { echo "vm1a saw '$seen'"; return 1; }
	(($(link_stat h1 nv5001 rx_ecn) == before + 1))
}

# A miss from a received frame names its outer source PA, IPv6 here.
miss_pa6()
{
	local f=$TMPD/miss
	: >"$f.err"
	"$NVGRECTL" -n "$PREFIX-h1" monitor misses count 1 >"$f" 2>"$f.err" &
	MON_PID=$!
	wait_text "$f.err" "^# listening$" || return 1
	send6 2001:db8:ff::1 spoof-mac
	wait "$MON_PID"
	MON_PID=
	[[ "$(cat "$f")" == "miss dev nv5001 vsid 5001 reason rx-unknown mac 02:66:66:66:66:66 pa 2001:db8:ff::2" ]] ||
		{ echo "got: $(cat "$f")"; return 1; }
}

# monitor prints a record with an IPv6 PA as the command that makes it.
monitor_pa6()
{
	local f=$TMPD/mon want
	want="add-lookup 10.0.0.9 vsid 5001 pa 2001:db8:ff::9 mac 02:00:00:00:09:09"
	: >"$f.err"
	"$NVGRECTL" -n "$PREFIX-h1" monitor count 1 >"$f" 2>"$f.err" &
	MON_PID=$!
	wait_text "$f.err" "^# listening$" || return 1
	h1 $want || return 1
	wait "$MON_PID"
	MON_PID=
	h1 del-lookup 10.0.0.9 vsid 5001 || return 1
	[[ "$(cat "$f")" == "$want" ]] || { echo "got: $(cat "$f")"; return 1; }
}

# save, restore into an empty namespace, save again: the same lines,
# with the IPv6 local PA and the IPv6 PAs of the records.
save_restore()
{
	local a=$TMPD/a.conf b=$TMPD/b.conf
	nsctl h2 save "$a" || return 1
	grep -qx "add-link nv5001 vsid 5001 local 2001:db8:ff::2" "$a" &&
		grep -qx "add-lookup 10.0.0.4 vsid 5001 pa 2001:db8:ff::1 mac $MAC1B" "$a" ||
		{ cat "$a"; return 1; }
	mkns h9 || return 1
	nsctl h9 restore "$a" || return 1
	nsctl h9 save "$b" || return 1
	diff -u "$a" "$b"
}

# ---- path MTU over a routed IPv6 underlay -----------------------------------

# link NS_A IF_A NS_B IF_B MTU: a veth between two namespaces.
link()
{
	ip link add "$2" netns "$PREFIX-$1" mtu "$5" type veth \
		peer name "$4" netns "$PREFIX-$3" mtu "$5"
	on "$1" ip link set "$2" up
	on "$3" ip link set "$4" up
}

build_pmtu()
{
	mkns r6 && mkns p1 && mkns p2 || return 1
	link p1 ul0 r6 u1 1500
	link p2 ul0 r6 u2 1400
	on r6 sysctl -qw net.ipv6.conf.all.forwarding=1
	on r6 ip addr add 2001:db8:1::fe/64 dev u1 nodad
	on r6 ip addr add 2001:db8:2::fe/64 dev u2 nodad
	on p1 ip addr add 2001:db8:1::1/64 dev ul0 nodad
	on p2 ip addr add 2001:db8:2::2/64 dev ul0 nodad
	on p1 ip -6 route add default via 2001:db8:1::fe
	on p2 ip -6 route add default via 2001:db8:2::fe
	add_segment p1 5002 local 2001:db8:1::1 || return 1
	add_segment p2 5002 local 2001:db8:2::2 || return 1
	add_vm p1 vm4 5002 10.0.1.4 $MAC4 2001:db8:5002::4 || return 1
	add_vm p2 vm5 5002 10.0.1.5 $MAC5 2001:db8:5002::5 || return 1
	provision p1 p2 <<-EOF
	add-lookup 10.0.1.4 vsid 5002 pa 2001:db8:1::1 mac $MAC4
	add-lookup 10.0.1.5 vsid 5002 pa 2001:db8:2::2 mac $MAC5
	add-lookup 2001:db8:5002::4 vsid 5002 pa 2001:db8:1::1 mac $MAC4
	add-lookup 2001:db8:5002::5 vsid 5002 pa 2001:db8:2::2 mac $MAC5
	EOF
	ping_ok vm4 10.0.1.5
}

# A full-size frame from vm4 does not fit r6's 1400-byte link: r6 answers
# p1 with a Packet Too Big, p1 learns the path MTU and answers vm4 with
# ICMP "fragmentation needed" for 1400 - 62 = 1338.
pmtu6_reaches_vm()
{
	local before
	before=$(link_stat p1 nv5002 tx_too_big)
	on vm4 ping -c 3 -i 0.3 -W 1 -M do -s 1372 10.0.1.5 >/dev/null
	on vm4 ping -c 1 -W 1 -M do -s 1372 10.0.1.5 >/dev/null
	on p1 ip -6 route get 2001:db8:2::2 | grep -q "mtu 1400" ||
		{ on p1 ip -6 route get 2001:db8:2::2; return 1; }
	on vm4 ip route get 10.0.1.5 | grep -q "mtu 1338" ||
		{ on vm4 ip route get 10.0.1.5; return 1; }
	(($(link_stat p1 nv5002 tx_too_big) > before))
}

# The same for IPv6 in the VM: ICMPv6 Packet Too Big with 1338.
pmtu6_reaches_vm6()
{
	on vm4 ping -6 -c 3 -i 0.3 -W 1 -M do -s 1352 2001:db8:5002::5 >/dev/null
	on vm4 ping -6 -c 1 -W 1 -M do -s 1352 2001:db8:5002::5 >/dev/null
	on vm4 ip -6 route get 2001:db8:5002::5 | grep -q "mtu 1338" ||
		{ on vm4 ip -6 route get 2001:db8:5002::5; return 1; }
}

# TCP in fresh VMs' caches: the first full-size segments are answered,
# TCP adapts and completes.
tcp6_adapts()
{
	local before i
	on vm4 ip route flush cache
	on p1 ip -6 route flush cache
	before=$(link_stat p1 nv5002 tx_too_big)
	on vm5 iperf3 -s -1 -D -p 5203 || return 1
	for i in $(seq 20); do
		if on vm4 timeout 60 iperf3 -c 10.0.1.5 -p 5203 -n 2M >/dev/null 2>&1; then
			(($(link_stat p1 nv5002 tx_too_big) > before)) && return 0
			echo "tx_too_big did not move"
			return 1
		fi
		sleep 0.5
	done
	return 1
}

require_module
ktap_plan 25

check "topology: IPv4, IPv6 and dual-PA hosts in one VSID" setup
check "IPv6 local PA: device MTU 1438 (1500 - 62), show-link" device_local6
check "show-lookup prints IPv6 PAs (text and JSON)" show_lookup_pa6
check "IPv4 CA over an IPv6 PA: ping" ping4_over6
check "IPv4 CA over an IPv6 PA: TCP (iperf3, GSO)" tcp_over6
check "IPv6 CA over an IPv6 PA: ping" ping6_over6
check "IPv6 CA over an IPv4 PA: ping" ping6_over4
check "one VSID, an IPv4-PA host and an IPv6-PA host reach a dual-PA host" mixed_vsid
check "no common underlay family: tx_no_route" no_common_family
check "a cached IPv6 route gives way to an underlay route change" route6_change
check "dual-PA host: outer source from each VM's record; IPv6 header fields" outer_source
check "no local PA of the record's family: tx_no_local_pa" no_local_pa6
check "decap over IPv6 to a local PA" rx6_pa_ok
check "decap over IPv6 to a non-PA address refused (rx_wrong_pa)" rx6_not_pa
check "truncated NVGRE over IPv6 counted (rx_malformed)" rx6_truncated
check "fragmented NVGRE over IPv6 counted (rx_malformed)" rx6_fragment
check "spoofed CA over IPv6 refused (rx_spoof_ca)" rx6_spoof
check "RFC 6040 decap over IPv6 (rx_ecn)" rx6_ecn
check "a miss names an IPv6 outer source PA" miss_pa6
check "monitor prints a record with an IPv6 PA as its command" monitor_pa6
check "save and restore keep IPv6 PAs and local" save_restore
check "topology: routed IPv6 underlay with a 1400-byte link" build_pmtu
check "ICMPv6 Packet Too Big from the underlay reaches the VM" pmtu6_reaches_vm
check "the same for an IPv6 VM" pmtu6_reaches_vm6
check "TCP through the narrow IPv6 path adapts (tx_too_big)" tcp6_adapts

ktap_finish
