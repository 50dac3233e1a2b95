#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Neighbour Discovery held to the records, as ARP is (kmod/nd.c): a VM
# cannot take over another VM's IPv6 address with a Neighbour
# Advertisement, nor become a router with a Router Advertisement or a
# Redirect, neither through its host nor forged from the underlay; a
# malformed Neighbour Solicitation to the gateway MAC is not replicated.
# Legitimate ND (NS answered by the host, a VM's own NA, DAD) still works.
#
#  vma 2001:db8:5001::1 (attacker) -- [br5001 + nv5001] h1 192.0.2.1 --+
#  vmb 2001:db8:5001::2 (victim)   -- [br5001 + nv5001] h2 192.0.2.2 --+- br0
#  vmr (router appliance, l2only)  --/                                  |  (sw)
#  vmc 2001:db8:5001::3 (observer) -- [br5001 + nv5001] h3 192.0.2.3 --+
#
# VSID 5001, rdid 1 (gateway MAC 02:4e:00:00:00:01); every host has every
# record; vmr's record is "type l2only" at 192.0.2.2.

. "$(dirname "$0")/lib/lib.sh"

MACA=02:00:00:00:01:01
MACB=02:00:00:00:02:01
MACC=02:00:00:00:03:01
MACR=02:00:00:00:02:09
GWMAC=02:4e:00:00:00:01
CAA=2001:db8:5001::1
CAB=2001:db8:5001::2
CAC=2001:db8:5001::3
ALLNODES=33:33:00:00:00:01
TMPD=/tmp/$PREFIX-nd
mkdir -p "$TMPD"
trap 'cleanup; rm -rf "$TMPD"' EXIT

setup()
{
	local h
	setup_underlay
	for h in 1 2 3; do
		add_host h$h 192.0.2.$h || return 1
		add_segment h$h 5001 rdid 1 || return 1
	done
	add_vm h1 vma 5001 10.0.0.1 $MACA $CAA || return 1
	add_vm h2 vmb 5001 10.0.0.2 $MACB $CAB || return 1
	add_vm h2 vmr 5001 10.0.0.9 $MACR || return 1
	add_vm h3 vmc 5001 10.0.0.3 $MACC $CAC || return 1
	provision h1 h2 h3 <<-EOF
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MACA
	add-lookup $CAA vsid 5001 pa 192.0.2.1 mac $MACA
	add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MACB
	add-lookup $CAB vsid 5001 pa 192.0.2.2 mac $MACB
	add-lookup 10.0.0.3 vsid 5001 pa 192.0.2.3 mac $MACC
	add-lookup $CAC vsid 5001 pa 192.0.2.3 mac $MACC
	add-lookup mac $MACR vsid 5001 pa 192.0.2.2 type l2only
	EOF
	# The hosts answer vmc's solicitations from the records.
	on vmc ping -6 -c 1 -W 2 $CAB >/dev/null &&
		on vmc ping -6 -c 1 -W 2 $CAA >/dev/null
}

# neigh_is VM CA MAC: VM's neighbour entry for CA has MAC.
neigh_is()
{
	local out
	out=$(on "$1" ip -6 neigh show "$2" dev eth0)
	[[ "${out,,}" == *"lladdr $3"* ]] || { echo "$1: $2: $out"; return 1; }
}

# moves HOST COUNTER N CMD...: CMD moves HOST's nv5001 COUNTER by N.
moves()
{
	local host=$1 ctr=$2 n=$3 before after
	shift 3
	before=$(link_stat "$host" nv5001 "$ctr") || return 1
	"$@" || return 1
	after=$(link_stat "$host" nv5001 "$ctr") || return 1
	((after == before + n)) || { echo "$host $ctr: $before -> $after"; return 1; }
}

# nd VM DSTMAC SRC DST TYPE [ARGS...]: one ND message from VM's eth0;
# waits for it to have crossed the underlay.
nd()
{
	local vm=$1
	shift
	on "$vm" $PKT nd eth0 "$@" || return 1
	sleep "$GRACE"
}

# forge KIND...: NVGRE from h1's PA to h3 as vma, bypassing h1's device.
forge()
{
	on h1 $PKT send ul0 "$(on h3 cat /sys/class/net/ul0/address)" \
		192.0.2.1 192.0.2.3 5001 $MACA $CAA "$@" || return 1
	sleep "$GRACE"
}

# vma announces vmb's CA as its own, to all nodes and to vmc directly:
# vmc keeps vmb's MAC and still reaches vmb.
na_takeover()
{
	nd vma $ALLNODES $CAA ff02::1 na $CAB || return 1
	nd vma $MACC $CAA $CAC na $CAB || return 1
	neigh_is vmc $CAB $MACB && on vmc ping -6 -c 1 -W 2 $CAB >/dev/null
}

# vmb's EUI-64 link-local address is vmb's, not vma's.
na_linklocal()
{
	nd vma $ALLNODES $CAA ff02::1 na fe80::ff:fe00:201
}

# A host that bypasses its device: h3 refuses the forged NA.
na_forged()
{
	forge na=$CAB && neigh_is vmc $CAB $MACB
}

# ND to the VMs of another host, seen on vmc by tcpdump: "tcpdump" runs
# in the background until COUNT frames or the end of the test command.
# seen_on_vmc COUNT FILTER CMD...: prints what tcpdump saw.
seen_on_vmc()
{
	local f=$TMPD/td n=$1 filter=$2
	shift 2
	bg_capture vmc "$f" timeout 30 tcpdump -i eth0 -n -l --immediate-mode \
		-c "$n" "$filter" || return 1
	local pid=$BG_PID
	"$@" || { bg_end "$pid"; cat "$f.err"; return 1; }
	bg_end "$pid"
	cat "$f"
}

# vma's unsolicited NAs for its own CA and its own EUI-64 link-local
# address reach vmc on another host; none is counted as a spoof.
na_own()
{
	local out
	out=$(seen_on_vmc 2 "icmp6 and ip6[40] == 136 and ip6 dst ff02::1" \
		na_own_send) || { echo "$out"; return 1; }
	[[ "$out" == *"tgt is $CAA"* && "$out" == *"tgt is fe80::ff:fe00:101"* ]] ||
		{ echo "vmc saw: $out"; return 1; }
	neigh_is vmc $CAA $MACA
}

na_own_send()
{
	on vma $PKT nd eth0 $ALLNODES $CAA ff02::1 na $CAA &&
		on vma $PKT nd eth0 $ALLNODES $CAA ff02::1 na fe80::ff:fe00:101
}

# A VM is no router: its RA and Redirect stop at its host, and vmc has
# no default route.
ra_redirect()
{
	nd vma $ALLNODES fe80::ff:fe00:101 ff02::1 ra || return 1
	nd vma $MACC fe80::ff:fe00:101 $CAC redirect $CAA $CAB || return 1
	no_default_route
}

no_default_route()
{
	local r
	r=$(on vmc ip -6 route show default)
	[[ -z "$r" ]] || { echo "vmc: $r"; return 1; }
}

ra_forged()
{
	forge ra && no_default_route
}

# The router appliance (l2only record) may advertise itself.
ra_appliance()
{
	local r
	nd vmr $ALLNODES fe80::ff:fe00:209 ff02::1 ra || return 1
	r=$(on vmc ip -6 route show default)
	[[ "$r" == *"via fe80::ff:fe00:209"* ]] || { echo "vmc: '$r'"; return 1; }
}

# Unicast NS to the gateway MAC that no receiver would take (hop limit
# 64, code 1, from ::): dropped, none replicated to h3.
ns_gateway_bad()
{
	local cap=$TMPD/cap
	bg_capture h3 "$cap" $PKT capture ul0 60 "$cap.stop" || return 1
	on vma $PKT nd eth0 $GWMAC $CAA 2001:db8:5001::fe ns 2001:db8:5001::fe hop=64
	on vma $PKT nd eth0 $GWMAC $CAA 2001:db8:5001::fe ns 2001:db8:5001::fe code=1
	on vma $PKT nd eth0 $GWMAC :: 2001:db8:5001::fe ns 2001:db8:5001::fe
	bg_stop "$cap"
	if grep -q "\"inner_dst_mac\": \"$GWMAC\"" "$cap"; then
		echo "replicated:"
		cat "$cap"
		return 1
	fi
}

# Duplicate address detection of a new address of vma reaches vmc (from
# ::, replicated) and the address becomes valid.
dad()
{
	local out i
	on vma sysctl -qw net.ipv6.conf.eth0.accept_dad=1 || return 1
	out=$(seen_on_vmc 1 "icmp6 and ip6[40] == 135 and ip6 src ::" \
		dad_add) || { echo "$out"; return 1; }
	[[ "$out" == *"who has 2001:db8:5001::11"* ]] ||
		{ echo "vmc saw: $out"; return 1; }
	for i in $(seq 50); do
		out=$(on vma ip -6 addr show dev eth0 to 2001:db8:5001::11)
		[[ -n "$out" && "$out" != *tentative* ]] && break
		sleep 0.2
	done
	[[ -n "$out" && "$out" != *tentative* && "$out" != *dadfailed* ]] ||
		{ echo "vma: $out"; return 1; }
}

# The solicitation leaves within a second (rtr_solicit_delay); a slow
# guest may be past DAD before it could see the address tentative, so
# the capture on vmc is the proof that DAD ran.
dad_add()
{
	on vma ip addr add 2001:db8:5001::11/64 dev eth0 || return 1
	sleep 2
}

require_module
ktap_plan 11

check "topology; vmc resolves vmb and vma by its host's answers" setup
check "NA takeover of vmb's CA by vma: refused at h1 (tx_nd_spoof)" \
	moves h1 tx_nd_spoof 2 na_takeover
check "NA for another VM's link-local address refused (tx_nd_spoof)" \
	moves h1 tx_nd_spoof 1 na_linklocal
check "NA takeover forged from the underlay: refused at h3 (rx_nd_spoof)" \
	moves h3 rx_nd_spoof 1 na_forged
check "a VM's NA for its own CA and link-local address reaches other hosts" \
	moves h3 rx_nd_spoof 0 na_own
check "a VM's RA and Redirect are dropped (tx_nd_router)" \
	moves h1 tx_nd_router 2 ra_redirect
check "an RA forged from the underlay is refused at h3 (rx_nd_router)" \
	moves h3 rx_nd_router 1 ra_forged
check "malformed unicast NS to the gateway MAC: not replicated (tx_ns_invalid)" \
	moves h1 tx_ns_invalid 3 ns_gateway_bad
check "DAD from :: is replicated and completes" dad
check "vmc still reaches vmb" on vmc ping -6 -c 1 -W 2 $CAB
check "a router appliance (l2only record) advertises itself" ra_appliance

ktap_finish
