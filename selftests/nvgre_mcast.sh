#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Multicast mode (RFC 7637 4.2): broadcast and multicast of the VMs sent
# once, to the group of the VSID, instead of head-end replication.
#
#   vm1 10.0.0.1   vm2 10.0.0.2   vm3 10.0.0.3   vm4 10.0.0.4 (5001)
#   vmx (see below)                              vm6 10.0.0.6 (6001)
#      |              |              |              |
#   h1 192.0.2.1   h2 192.0.2.2   h3 192.0.2.3   h4 192.0.2.4
#      +--------------+---- br0 (sw, no snooping) --+
#
# nv5001 of h1-h3: group 239.1.1.1. h4 is in VSID 5001 too, but its
# nv5001 uses group 239.1.1.2, and its nv6001 uses 239.1.1.1: h4 hears
# 5001's packets to 239.1.1.1 and must refuse them (rx_wrong_group). A
# broadcast of vm1 leaves h1 as exactly one packet, to 239.1.1.1; vm2 and
# vm3 get it, vm4 and vm6 do not, and h1 does not take back the copy
# that multicast loops back to it. vmx's record names h3: receivers refuse
# its broadcasts. vm3 gets its address by DHCP from a server on vm2.
# At the end, h2 joins 239.1.1.9 on a dummy device dm0 198.51.100.2 whose
# in_device goes and comes back (MTU 60, then 1500).

. "$(dirname "$0")/lib/lib.sh"

MAC1=02:00:00:00:05:01
MAC2=02:00:00:00:05:02
MAC3=02:00:00:00:05:03
MAC4=02:00:00:00:05:04
MAC6=02:00:00:00:06:06
MACX=02:00:00:00:05:99
HOSTS=(h1 h2 h3 h4)
G=239.1.1.1

provision_all()
{
	provision "${HOSTS[@]}" <<-EOF || return 1
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1
	add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2
	add-lookup 10.0.0.3 vsid 5001 pa 192.0.2.3 mac $MAC3
	add-lookup 10.0.0.4 vsid 5001 pa 192.0.2.4 mac $MAC4
	add-lookup 10.0.0.6 vsid 6001 pa 192.0.2.4 mac $MAC6
	add-lookup 10.0.0.99 vsid 5001 pa 192.0.2.3 mac $MACX
	EOF
}

# ask HOST WANT ARGS...: "nvgrectl get ARGS" on HOST answers a line
# matching the regular expression WANT (see nvgre_get.sh): the query
# predicts what the frames below then do.
ask()
{
	local host=$1 want=$2 out
	shift 2
	out=$(nsctl "$host" get "$@") || { echo "$out"; return 1; }
	[[ "$out" =~ $want ]] || { echo "got:  $out"; echo "want: $want"; return 1; }
}

# joined HOST GROUP: the underlay device ul0 of HOST is in GROUP.
joined()
{
	on "$1" ip maddr show dev ul0 | grep -qE "inet +${2//./\\.}( |\$)"
}

membership()
{
	joined h1 $G && joined h2 $G && joined h3 $G &&
		joined h4 239.1.1.2 && joined h4 $G || {
		on h1 ip maddr show dev ul0
		on h4 ip maddr show dev ul0
		return 1
	}
}

# show-link and its JSON name the group, save writes it.
shown()
{
	local out
	out=$(nsctl h1 show-link nv5001) || return 1
	[[ "$out" == "nv5001: vsid 5001 local 192.0.2.1 rdid 0 group $G" ]] || {
		echo "show-link: $out"
		return 1
	}
	out=$(nsctl h1 -j show-link nv5001 | python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["group"])') || return 1
	[[ "$out" == "$G" ]] || { echo "JSON group: $out"; return 1; }
	nsctl h1 save | grep -qx "add-link nv5001 vsid 5001 local 192.0.2.1 group $G" || {
		nsctl h1 save
		return 1
	}
}

# sent TAG: the GRE packets of vm1's UDP broadcast to port 7777 that came
# into the switch from h1, as "DST/TTL" words.
sent()
{
	python3 - "/tmp/$PREFIX-$1.json" <<-'EOF'
	import json, sys
	recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
	recs = [r for r in recs if r["src"] == "192.0.2.1" and
	        r.get("inner_dst_mac") == "ff:ff:ff:ff:ff:ff" and
	        r.get("inner_dport") == 7777 and r["iface"] == "ul-h1" and
	        not r["out"]]
	for r in recs:
	    assert r["vsid"] == 5001 and r["flags"] == 0x2000, r
	print(" ".join("%s/%d" % (r["dst"], r["ttl"]) for r in recs))
	EOF
}

# One UDP broadcast of vm1: one packet to the group with TTL 1 (the
# device has no ttl), counted as tx_group; no head-end copy.
one_packet()
{
	local got g0 g1 c0 c1
	ask h1 ": group tx_group vsid 5001 group 239\.1\.1\.1 from 192\.0\.2\.1$" \
		10.0.0.255 vsid 5001 from 10.0.0.1 lladdr ff:ff:ff:ff:ff:ff ||
		return 1
	g0=$(link_stat h1 nv5001 tx_group)
	c0=$(link_stat h1 nv5001 tx_flood_copies)
	# A long window: under emulation starting the sender takes seconds.
	bg_capture sw "/tmp/$PREFIX-bc.json" $PKT capture any 60 \
		"/tmp/$PREFIX-bc.json.stop" || return 1
	on vm1 $PKT udp 10.0.0.1 10.0.0.255 1
	bg_stop "/tmp/$PREFIX-bc.json"
	got=$(sent bc) || return 1
	g1=$(link_stat h1 nv5001 tx_group)
	c1=$(link_stat h1 nv5001 tx_flood_copies)
	[[ "$got" == "$G/1" ]] || {
		echo "sent: '$got', tx_group $g0 -> $g1, captured:"
		cut -c1-200 "/tmp/$PREFIX-bc.json"
		return 1
	}
	((g1 == g0 + 1 && c1 == c0)) || {
		echo "tx_group $g0 -> $g1, tx_flood_copies $c0 -> $c1"
		return 1
	}
}

# vm2 and vm3 hear vm1's broadcast. h4 (VSID 5001 on another group, and
# VSID 6001 on this one) refuses the packet (rx_wrong_group) and delivers
# nothing to vm4 or vm6, and h1 delivers nothing of its own packet, which
# multicast loops back to it, to its bridge: their devices' rx_packets
# stay.
delivered()
{
	local vm p pids=() w0 w1 r0 r1 s0 s1 f0 f1 q=(10.0.0.255 vsid 5001
		from 10.0.0.1 dir in pa 192.0.2.1 to $G)
	ask h2 "to 239\.1\.1\.1: accept record static 10\.0\.0\.1$" "${q[@]}" &&
		ask h4 "to 239\.1\.1\.1: drop rx_wrong_group$" "${q[@]}" ||
		return 1
	w0=$(link_stat h4 nv5001 rx_wrong_group)
	f0=$(link_stat h4 nv5001 rx_packets)
	r0=$(link_stat h1 nv5001 rx_packets)
	s0=$(link_stat h4 nv6001 rx_packets)
	for vm in vm2 vm3; do
		bg_capture "$vm" "/tmp/$PREFIX-d-$vm.txt" timeout 120 \
			tcpdump -c 1 -nli eth0 udp port 7777 || return 1
		pids+=("$BG_PID")
	done
	on vm1 $PKT udp 10.0.0.1 10.0.0.255 1
	for p in "${pids[@]}"; do
		wait "$p"
	done
	w1=$(link_stat h4 nv5001 rx_wrong_group)
	f1=$(link_stat h4 nv5001 rx_packets)
	r1=$(link_stat h1 nv5001 rx_packets)
	s1=$(link_stat h4 nv6001 rx_packets)
	for vm in vm2 vm3; do
		grep -q "10.0.0.255.7777" "/tmp/$PREFIX-d-$vm.txt" || {
			echo "$vm saw nothing"
			return 1
		}
	done
	((w1 == w0 + 1 && f1 == f0 && r1 == r0 && s1 == s0)) || {
		echo "h4 rx_wrong_group $w0 -> $w1, rx_packets $f0 -> $f1, h1 rx_packets $r0 -> $r1, h4 nv6001 rx_packets $s0 -> $s1"
		return 1
	}
}

# NVGRE of VSID 5001 to a group that a socket of h2 joined, not an nvgre
# device: refused as before multicast mode (rx_wrong_pa).
other_group_wrong_pa()
{
	local w0 w1 pid stop=/tmp/$PREFIX-sock.stop
	# The socket stays in the group until the test is done (or 300 s).
	on h2 python3 -c '
import os, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
             socket.inet_aton("239.1.1.3") + socket.inet_aton("192.0.2.2"))
print("joined", flush=True)
end = time.time() + 300
while time.time() < end and not os.path.exists(sys.argv[1]):
    time.sleep(0.2)' "$stop" >"/tmp/$PREFIX-sock.txt" &
	pid=$!
	wait_text "/tmp/$PREFIX-sock.txt" joined || { touch "$stop"; return 1; }
	ask h2 "to 239\.1\.1\.3: drop rx_wrong_pa$" 10.0.0.1 vsid 5001 \
		mac $MAC1 dir in pa 192.0.2.1 to 239.1.1.3 || {
		touch "$stop"
		return 1
	}
	w0=$(link_stat h2 nv5001 rx_wrong_pa)
	on h1 $PKT send ul0 01:00:5e:01:01:03 192.0.2.1 239.1.1.3 5001 \
		$MAC1 10.0.0.1 good
	sleep 1
	w1=$(link_stat h2 nv5001 rx_wrong_pa)
	touch "$stop"
	wait "$pid"
	((w1 == w0 + 1)) || { echo "h2 rx_wrong_pa $w0 -> $w1"; return 1; }
}

# vm3 drops its address and gets it back from a DHCP server (busybox
# udhcpd) on vm2: the client's broadcasts and the server's broadcast
# replies (udhcpc -B) go through the group.
dhcp_via_group()
{
	local g0 g1
	g0=$(link_stat h2 nv5001 tx_group)
	dhcp_lease vm2 vm3 10.0.0.3 || return 1
	g1=$(link_stat h2 nv5001 tx_group)
	# The server's broadcast replies went to the group.
	((g1 > g0)) || { echo "h2 tx_group $g0 -> $g1"; return 1; }
}

# Without a local PA and without a route to the group, no underlay device
# can join it: add-link fails and says why.
no_underlay_refused()
{
	check_exit "add-link: no underlay to join on" 2 \
		"Error: nvgre: No underlay device to join the group on: give the device a local PA or route the group." \
		nsctl h3 add-link nv7001 vsid 7001 group 239.1.1.7
}

# del-link leaves the group; the other device of h4 in it keeps it.
left_on_delete()
{
	nsctl h1 del-link nv5001 || return 1
	! joined h1 $G || { on h1 ip maddr show dev ul0; return 1; }
	nsctl h4 del-link nv5001 || return 1
	joined h4 $G && ! joined h4 239.1.1.2 || {
		on h4 ip maddr show dev ul0
		return 1
	}
}

# nv7001 joins 239.1.1.9 on dm0; dm0's MTU under 68 takes its in_device
# and the membership, the MTU back gives it a new in_device, where nv7002
# joins. Deleting nv7001 leaves nothing: nv7002 stays in the group.
recreated_in_device()
{
	on h2 ip link add dm0 type dummy &&
		on h2 ip addr add 198.51.100.2/24 dev dm0 &&
		on h2 ip link set dm0 up || return 1
	nsctl h2 add-link nv7001 vsid 7001 local 198.51.100.2 group 239.1.1.9 ||
		return 1
	on h2 ip link set dm0 mtu 60 && on h2 ip link set dm0 mtu 1500 &&
		on h2 ip addr add 198.51.100.2/24 dev dm0 || return 1
	nsctl h2 add-link nv7002 vsid 7002 local 198.51.100.2 group 239.1.1.9 ||
		return 1
	nsctl h2 del-link nv7001 || return 1
	on h2 ip maddr show dev dm0 | grep -qE "inet +239\.1\.1\.9( |\$)" || {
		on h2 ip maddr show dev dm0
		return 1
	}
}

require_module
ktap_plan 12

setup_underlay
on sw ip link set br0 type bridge mcast_snooping 0
add_host h1 192.0.2.1
add_host h2 192.0.2.2
add_host h3 192.0.2.3
add_host h4 192.0.2.4
add_segment h1 5001 local 192.0.2.1 group $G
add_segment h2 5001 local 192.0.2.2 group $G
add_segment h3 5001 local 192.0.2.3 group $G
add_segment h4 5001 local 192.0.2.4 group 239.1.1.2
add_segment h4 6001 local 192.0.2.4 group $G
add_vm h1 vm1 5001 10.0.0.1 $MAC1
add_vm h2 vm2 5001 10.0.0.2 $MAC2
add_vm h3 vm3 5001 10.0.0.3 $MAC3
add_vm h4 vm4 5001 10.0.0.4 $MAC4
add_vm h4 vm6 6001 10.0.0.6 $MAC6
add_vm h1 vmx 5001 10.0.0.99 $MACX
# No IPv6 chatter (router solicitations, MLD) in the counts.
for ns in "${HOSTS[@]}" vm1 vm2 vm3 vm4 vm6 vmx; do
	on "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
check "provision records on every host" provision_all

check "the devices joined their groups on the underlay (ip maddr)" membership
check "show-link, JSON and save name the group" shown
check "a broadcast leaves as one packet to the group, TTL 1" one_packet
check "VMs of the VSID and group hear it; another group or VSID, and the sender, not" \
	delivered
# vmx's record names h3 (a stale record on h1): h2 refuses its broadcast
# to the group (rx_spoof_mac) and delivers nothing.
check "broadcasts from a VM whose record names another host are refused" \
	bcast_spoof_refused vmx 10.0.0.99 h2 nv5001
check "NVGRE to a group no nvgre device joined is rx_wrong_pa" \
	other_group_wrong_pa
check "DHCP: vm3 gets its lease from the server on vm2 (another host)" \
	dhcp_via_group
check "vm1 still pings vm2 (unicast unaffected)" ping_ok vm1 10.0.0.2
no_underlay_refused
check "del-link leaves the group (shared memberships stay)" left_on_delete
check "a leave after the underlay's in_device was recreated keeps another's membership" \
	recreated_in_device

ktap_finish
