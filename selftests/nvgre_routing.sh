#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Distributed routing between the virtual subnets of a routing domain.
#
#   h1 192.0.2.1                          h2 192.0.2.2
#   vm1  10.1.0.11 VSID 5001 (rdid 100)   vm2  10.2.0.12 VSID 5002 (rdid 100)
#   vm3  10.2.0.13 VSID 5002 (rdid 100)
#   vm1b 10.1.0.11 VSID 6001 (rdid 200)   vm2b 10.2.0.12 VSID 6002 (rdid 200)
#
# vm1 and vm2 also have IPv6 CAs 2001:db8:1::11 and 2001:db8:2::12, in
# the subnets 2001:db8:1::/64 and 2001:db8:2::/64 of rdid 100.
#
# At the end, rdid 100 gets a subnet ::/64 (VSID 5009) beside its IPv4
# ones, and a route 10.9.0.0/24 on-link in VSID 6003, which h1 later gives
# a device of rdid 200 (tenant B's), with a record 10.9.0.9 on h2.
#
# Tenant A (rdid 100) and tenant B (rdid 200) use the same prefixes:
# 10.1.0.0/24 and 10.2.0.0/24, gateways 10.1.0.1 and 10.2.0.1. Every VM's
# default route is its subnet's gateway.

. "$(dirname "$0")/lib/lib.sh"

MAC1=02:00:00:00:01:01
MAC2=02:00:00:00:02:01
MAC3=02:00:00:00:03:01
MAC1B=02:00:00:00:01:02
MAC2B=02:00:00:00:02:02
MAC9=02:00:00:00:09:09
GWMAC_A=02:4e:00:00:00:64
GWMAC_B=02:4e:00:00:00:c8

# vm_gw VM GW: the VM's default route through its subnet's gateway.
vm_gw()
{
	on "$1" ip route add default via "$2"
}

provision_all()
{
	provision h1 h2 <<-EOF || return 1
	add-lookup 10.1.0.11 vsid 5001 pa 192.0.2.1 mac $MAC1
	add-lookup 10.2.0.12 vsid 5002 pa 192.0.2.2 mac $MAC2
	add-lookup 10.2.0.13 vsid 5002 pa 192.0.2.1 mac $MAC3
	add-lookup 10.1.0.11 vsid 6001 pa 192.0.2.1 mac $MAC1B
	add-lookup 10.2.0.12 vsid 6002 pa 192.0.2.2 mac $MAC2B
	add-subnet 10.1.0.0/24 vsid 5001 rdid 100
	add-subnet 10.2.0.0/24 vsid 5002 rdid 100
	add-subnet 10.1.0.0/24 vsid 6001 rdid 200
	add-subnet 10.2.0.0/24 vsid 6002 rdid 200 gateway 10.2.0.1
	EOF
}

subnet_errors()
{
	check_fail "add-subnet: VSID without device needs an rdid" \
		"RDID is required" \
		nsctl h1 add-subnet 10.9.0.0/24 vsid 7777
	check_fail "add-subnet: device without routing domain" \
		"has no routing domain" \
		nsctl h1 add-subnet 10.9.0.0/24 vsid 7001
	check_fail "add-subnet: rdid other than the device's" \
		"device of this VSID is in another routing domain" \
		nsctl h1 add-subnet 10.9.0.0/24 vsid 5001 rdid 200
	check_fail "add-subnet: rdid other than the VSID's subnets'" \
		"has subnets in another routing domain" \
		nsctl h2 add-subnet 10.9.0.0/24 vsid 5001 rdid 200
	check_fail "add-subnet: overlap within the routing domain" \
		"overlaps a subnet of the routing domain" \
		nsctl h1 add-subnet 10.2.0.128/25 vsid 5001
	check_fail "add-subnet: the same prefix twice" \
		"This VSID has this prefix already" \
		nsctl h1 add-subnet 10.1.0.0/24 vsid 5001
	check_fail "add-subnet: gateway outside the prefix" \
		"Gateway must be a unicast address in the prefix" \
		nsctl h1 add-subnet 10.3.0.0/24 vsid 5001 gateway 10.4.0.1
	check_fail "add-subnet: host bits" "host bits clear" \
		nsctl h1 add-subnet 10.3.0.1/24 vsid 5001
	check_fail "add-subnet: rdid 0" "RDID must be a number in 1-" \
		nsctl h1 add-subnet 10.3.0.0/24 vsid 5001 rdid 0
	check_fail "del-subnet: no such prefix" "No such prefix in this VSID" \
		nsctl h1 del-subnet 10.3.0.0/24 vsid 5001
	check_fail "add-link: VSID whose subnets are in another domain" \
		"subnets of this VSID are in another routing domain" \
		nsctl h2 add-link nvx vsid 5001 rdid 300
}

show_subnet()
{
	local out want
	out=$(nsctl h1 show-subnet vsid 5002) || return 1
	want="10.2.0.0/24 vsid 5002 rdid 100 gateway 10.2.0.1 gateway-mac $GWMAC_A"
	[[ "$out" == "$want" ]] || { echo "got: $out"; return 1; }
	nsctl h1 -j show-subnet | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert len(s) == 4, s
b = [x for x in s if x["vsid"] == 6002][0]
assert b["prefix"] == "10.2.0.0/24" and b["gateway"] == "10.2.0.1", b
assert b["rdid"] == 200 and b["gateway_mac"] == "02:4e:00:00:00:c8", b'
}

# vm1 resolved its gateway to the gateway MAC of rdid 100, from h1.
gateway_arp()
{
	on vm1 ip neigh show 10.1.0.1 | grep -qi "$GWMAC_A" || {
		on vm1 ip neigh show
		return 1
	}
}

# routed_on_wire SRC DST CMD...: while CMD runs, h2's underlay carries
# at least 2 frames from CA SRC to CA DST, each routed by h1: the
# destination's VSID 5002, the gateway MAC as source, vm2's MAC as
# destination, TTL or hop limit 64 -> 63.
routed_on_wire()
{
	local cap=/tmp/$PREFIX-routed.json
	bg_capture h2 "$cap" $PKT capture ul0 60 "$cap.stop" || return 1
	on vm1 "${@:3}"
	bg_stop "$cap"
	python3 - "$cap" "$GWMAC_A" "$MAC2" "$1" "$2" <<-'EOF'
	import json, sys
	gw, mac, src, dst = sys.argv[2:]
	recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
	out = [r for r in recs
	       if r.get("inner_src") == src and r.get("inner_dst") == dst]
	assert len(out) >= 2, "saw %d: %r" % (len(out), recs[:3])
	for r in out:
	    assert r["src"] == "192.0.2.1" and r["dst"] == "192.0.2.2", r
	    assert r["vsid"] == 5002, r
	    assert r["inner_src_mac"] == gw, r
	    assert r["inner_dst_mac"] == mac, r
	    assert r["inner_ttl"] == 63, r
	EOF
}

routed_wire()
{
	routed_on_wire 10.1.0.11 10.2.0.12 $PKT udp 10.1.0.11 10.2.0.12 4
}

# vm1 -> vm3 are both on h1: delivered without the underlay.
routed_local()
{
	local cap=/tmp/$PREFIX-local.txt before
	before=$(link_stat h1 nv5001 tx_routed_local)
	bg_capture h1 "$cap" timeout 60 tcpdump --immediate-mode -nli ul0 ip proto 47 || return 1
	ping_ok vm1 10.2.0.13 || return 1
	bg_end "$BG_PID"
	(($(link_stat h1 nv5001 tx_routed_local) >= before + 2)) || {
		echo "tx_routed_local $before -> $(link_stat h1 nv5001 tx_routed_local)"
		return 1
	}
	# Only the routed pings count: the VMs' router solicitations are
	# replicated to the other host (flood.c) meanwhile.
	! grep -q "10\.1\.0\.11 > 10\.2\.0\.13\|10\.2\.0\.13 > 10\.1\.0\.11" "$cap" ||
		{ echo "on the underlay:"; cat "$cap"; return 1; }
}

# The TTL is checked in vm3's capture: 64 - 1.
routed_local_ttl()
{
	local cap=/tmp/$PREFIX-ttl.txt
	bg_capture vm3 "$cap" timeout 60 tcpdump --immediate-mode -evnli eth0 icmp || return 1
	on vm1 ping -c 1 -W 1 -t 64 10.2.0.13 >/dev/null
	bg_end "$BG_PID"
	grep -q "$GWMAC_A > $MAC3.*ttl 63.*10.1.0.11 > 10.2.0.13" <(tr -d '\n' <"$cap") ||
		{ cat "$cap"; return 1; }
}

ttl_exceeded()
{
	local before
	before=$(link_stat h1 nv5001 tx_ttl_exceeded)
	on vm1 ping -c 1 -W 1 -t 1 10.2.0.12 >/dev/null && return 1
	(($(link_stat h1 nv5001 tx_ttl_exceeded) > before))
}

# Tenant B's packets to 10.2.0.12 reach vm2b; tenant A's vm2 (same CA)
# sees none of them, and they carry tenant B's VSID and gateway MAC.
isolation()
{
	local a=/tmp/$PREFIX-iso-a.txt b=/tmp/$PREFIX-iso-b.txt pb
	bg_capture vm2b "$b" timeout 60 tcpdump --immediate-mode -enli eth0 icmp || return 1
	pb=$BG_PID
	bg_capture vm2 "$a" timeout 60 tcpdump --immediate-mode -nli eth0 icmp || return 1
	on vm1b ping -c 3 -i 0.2 -W 1 10.2.0.12 >/dev/null
	bg_end "$BG_PID" "$pb"
	grep -q "echo request" "$b" || { echo "vm2b saw nothing"; return 1; }
	grep -qi "$GWMAC_B >" "$b" || { echo "not from B's gateway:"; cat "$b"; return 1; }
	! grep -q '[^[:space:]]' "$a" || { echo "tenant A saw:"; cat "$a"; return 1; }
}

# IPv6 CAs route like IPv4 ones: vm1 2001:db8:1::11 (VSID 5001) and vm2
# 2001:db8:2::12 (VSID 5002) of routing domain 100.
routed6_setup()
{
	provision h1 h2 <<-EOF || return 1
	add-lookup 2001:db8:1::11 vsid 5001 pa 192.0.2.1 mac $MAC1
	add-lookup 2001:db8:2::12 vsid 5002 pa 192.0.2.2 mac $MAC2
	add-subnet 2001:db8:1::/64 vsid 5001 rdid 100 gateway 2001:db8:1::1
	add-subnet 2001:db8:2::/64 vsid 5002 rdid 100 gateway 2001:db8:2::1
	EOF
	on vm1 ip -6 route add default via 2001:db8:1::1 dev eth0 &&
		on vm2 ip -6 route add default via 2001:db8:2::1 dev eth0
}

# The gateway's Neighbour Advertisement carries the gateway MAC.
gateway_nd()
{
	on vm1 ip -6 neigh show 2001:db8:1::1 | grep -qi "$GWMAC_A" || {
		on vm1 ip -6 neigh show
		return 1
	}
}

routed6_wire()
{
	routed_on_wire 2001:db8:1::11 2001:db8:2::12 \
		ping -6 -q -c 3 -i 0.3 -W 1 -t 64 2001:db8:2::12
}

# Without a record of the source CA naming the outer PA, a frame from the
# gateway MAC is a spoof: h2 no longer believes vm1 is at 192.0.2.1.
rx_check()
{
	local before
	nsctl h2 replace-lookup 10.1.0.11 vsid 5001 pa 192.0.2.3 mac $MAC1 ||
		return 1
	before=$(link_stat h2 nv5002 rx_spoof_ca)
	on vm1 ping -c 1 -W 1 10.2.0.12 >/dev/null && return 1
	(($(link_stat h2 nv5002 rx_spoof_ca) > before)) || return 1
	nsctl h2 replace-lookup 10.1.0.11 vsid 5001 pa 192.0.2.1 mac $MAC1 &&
		ping_ok vm1 10.2.0.12
}

del_subnet()
{
	local before
	nsctl h1 del-subnet 10.2.0.0/24 vsid 5002 || return 1
	before=$(link_stat h1 nv5001 tx_no_subnet)
	on vm1 ping -c 1 -W 1 10.2.0.12 >/dev/null && return 1
	(($(link_stat h1 nv5001 tx_no_subnet) > before)) || return 1
	nsctl h1 add-subnet 10.2.0.0/24 vsid 5002 && ping_ok vm1 10.2.0.12
}

monitor_subnet()
{
	local out=/tmp/$PREFIX-mon.txt
	: >"$out"
	nsctl h1 monitor count 2 >"$out" 2>&1 &
	local pid=$!
	sleep 1
	nsctl h1 add-subnet 10.5.0.0/16 vsid 5001 gateway 10.5.0.254 &&
		nsctl h1 del-subnet 10.5.0.0/16 vsid 5001 || return 1
	wait $pid
	grep -qx "add-subnet 10.5.0.0/16 vsid 5001 rdid 100 gateway 10.5.0.254" "$out" &&
		grep -qx "del-subnet 10.5.0.0/16 vsid 5001" "$out" ||
		{ cat "$out"; return 1; }
}

save_restore()
{
	local f=/tmp/$PREFIX-save.conf
	nsctl h1 save "$f" || return 1
	grep -qx "add-subnet 10.2.0.0/24 vsid 6002 rdid 200 gateway 10.2.0.1" "$f" ||
		{ cat "$f"; return 1; }
	nsctl h1 del-subnet 10.1.0.0/24 vsid 6001 || return 1
	nsctl h1 add-subnet 10.7.0.0/24 vsid 6001 || return 1
	nsctl h1 restore "$f" || return 1
	[[ "$(nsctl h1 show-subnet vsid 6001)" == \
	   "10.1.0.0/24 vsid 6001 rdid 200 gateway 10.1.0.1 gateway-mac $GWMAC_B" ]]
}

# Subnets are policy, like records: they outlive the device of their VSID.
subnets_outlive_device()
{
	nsctl h2 del-link nv6002 || return 1
	[[ -n "$(nsctl h2 show-subnet vsid 6002)" ]] || return 1
	nsctl h2 add-link nv6002 vsid 6002 rdid 200 &&
		on h2 ip link set nv6002 master br6002 up && ping_ok vm1b 10.2.0.12
}

# An IPv6 prefix as short as ::/80 holds no v4-mapped address: ::/64 is
# no overlap of the domain's IPv4 subnets, and IPv4 is still routed by
# them, on both hosts.
v6_prefix_no_v4()
{
	provision h1 h2 <<-EOF || return 1
	add-subnet ::/64 vsid 5009 rdid 100 gateway ::a
	EOF
	ping_ok vm1 10.2.0.12 && ping_ok vm2 10.1.0.11 || return 1
	provision h1 h2 <<-EOF
	del-subnet ::/64 vsid 5009
	EOF
}

# A route of domain 100 names VSID 6003, unknown when it is added; a
# device made for 6003 later is in domain 200: h1 does not send domain
# 100's frames under 6003's key (tx_no_subnet).
route_vsid_elsewhere()
{
	nsctl h1 add-route 10.9.0.0/24 rdid 100 vsid 6003 || return 1
	nsctl h1 add-link nv6003 vsid 6003 rdid 200 || return 1
	nsctl h1 add-lookup 10.9.0.9 vsid 6003 pa 192.0.2.2 mac $MAC9 ||
		return 1
	ping_dropped h1 nv5001 tx_no_subnet vm1 10.9.0.9
}

require_module
ktap_plan 33

setup_underlay
add_host h1 192.0.2.1
add_host h2 192.0.2.2
add_segment h1 5001 rdid 100
add_segment h1 5002 rdid 100
add_segment h2 5002 rdid 100
add_segment h1 6001 rdid 200
add_segment h2 6002 rdid 200
add_segment h1 7001
add_vm h1 vm1 5001 10.1.0.11 $MAC1 2001:db8:1::11
add_vm h2 vm2 5002 10.2.0.12 $MAC2 2001:db8:2::12
add_vm h1 vm3 5002 10.2.0.13 $MAC3
add_vm h1 vm1b 6001 10.1.0.11 $MAC1B
add_vm h2 vm2b 6002 10.2.0.12 $MAC2B
vm_gw vm1 10.1.0.1
vm_gw vm2 10.2.0.1
vm_gw vm3 10.2.0.1
vm_gw vm1b 10.1.0.1
vm_gw vm2b 10.2.0.1
# h2 has no device for 5001 or 6001: their subnets name the routing
# domain, which h2 needs to check the source of what h1 routed.
check "provision records and subnets" provision_all
subnet_errors
check "show-subnet text and JSON" show_subnet
check "vm1 pings vm2: routed 5001 -> 5002 across hosts" ping_ok vm1 10.2.0.12
check "vm2 pings vm1: routed back 5002 -> 5001" ping_ok vm2 10.1.0.11
check "gateway ARP answered with the routing domain's gateway MAC" gateway_arp
check "on the wire: destination VSID, gateway MAC, VM MAC, TTL 63" routed_wire
check "same host: vm1 -> vm3 delivered locally, not on the underlay" routed_local
check "same host: TTL decremented" routed_local_ttl
check "TTL 1 is dropped and counted" ttl_exceeded
check "tenant B routes the same prefixes: vm1b pings vm2b" ping_ok vm1b 10.2.0.12
check "tenant A sees none of tenant B's routed traffic" isolation
check "IPv6: records and subnets of routing domain 100" routed6_setup
check "IPv6: vm1 pings vm2: routed 5001 -> 5002 across hosts" \
	ping_ok vm1 2001:db8:2::12
check "IPv6: gateway ND answered with the routing domain's gateway MAC" \
	gateway_nd
check "IPv6 on the wire: destination VSID, gateway MAC, VM MAC, hop limit 63" \
	routed6_wire
check "receive: a routed frame's source CA must name the outer PA" rx_check
check "del-subnet stops routing to it, counted; add-subnet restores" del_subnet
check "monitor prints add-subnet and del-subnet" monitor_subnet
check "save and restore subnets" save_restore
check "subnets outlive their device" subnets_outlive_device
check "an IPv6 subnet ::/64 holds no IPv4 CA of its routing domain" \
	v6_prefix_no_v4
check "a route's VSID whose device is in another routing domain: dropped" \
	route_vsid_elsewhere

ktap_finish
