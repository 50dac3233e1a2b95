#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Broadcast and multicast of the VMs (RFC 7637 4.2) and DHCP across hosts.
#
#   vm1 10.0.0.1   vm2 10.0.0.2   vm3 10.0.0.3   vm4 10.0.0.4   (VSID 5001)
#   vmx, vmy (see below)                              vm5 10.0.0.5 (6001)
#      |              |              |              |              |
#   h1 192.0.2.1   h2 192.0.2.2   h3 192.0.2.3   h4 192.0.2.4   h5 192.0.2.5
#      +--------------+------- br0 (sw) -------------+--------------+
#
# VSID 5001 runs on h1-h4, VSID 6001 on h5 (h1 has its device and record
# too). Every host has every record. Head-end replication: a broadcast of
# vm1 leaves h1 as exactly one copy to each of h2, h3 and h4; none to h5
# (another VSID) and none back to h1; the switch's capture of every port
# shows it. vmx's record names h3: the receivers refuse its broadcasts;
# vmy has none: h1 does not replicate them. vm3 gets its
# address by DHCP from a server on vm2.

. "$(dirname "$0")/lib/lib.sh"

MAC1=02:00:00:00:05:01
MAC2=02:00:00:00:05:02
MAC3=02:00:00:00:05:03
MAC4=02:00:00:00:05:04
MAC5=02:00:00:00:06:05
MACX=02:00:00:00:05:99
MACY=02:00:00:00:05:98
HOSTS=(h1 h2 h3 h4 h5)

provision_all()
{
	provision "${HOSTS[@]}" <<-EOF || return 1
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1
	add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2
	add-lookup 10.0.0.3 vsid 5001 pa 192.0.2.3 mac $MAC3
	add-lookup 10.0.0.4 vsid 5001 pa 192.0.2.4 mac $MAC4
	add-lookup 10.0.0.5 vsid 6001 pa 192.0.2.5 mac $MAC5
	add-lookup 10.0.0.99 vsid 5001 pa 192.0.2.3 mac $MACX
	EOF
}

# capture_sw TAG: one capture of every port of the underlay switch.
capture_sw()
{
	bg_capture sw "/tmp/$PREFIX-$1.json" $PKT capture any 60 \
		"/tmp/$PREFIX-$1.json.stop"
}

# copies TAG: what the switch saw of vm1's UDP broadcast to port 7777:
# "hN:C" for h2-h5, C the copies addressed to hN that left the switch
# towards hN, then "sent:" the destinations of all copies that came in
# from h1.
copies()
{
	python3 - "/tmp/$PREFIX-$1.json" <<-'EOF'
	import json, sys
	recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
	recs = [r for r in recs if r["src"] == "192.0.2.1" and
	        r.get("inner_dst_mac") == "ff:ff:ff:ff:ff:ff" and
	        r.get("inner_dport") == 7777]
	for r in recs:
	    assert r["vsid"] == 5001 and r["flags"] == 0x2000, r
	out = []
	for n in range(2, 6):
	    c = [r for r in recs if r["iface"] == "ul-h%d" % n and r["out"] and
	         r["dst"] == "192.0.2.%d" % n]
	    out.append("h%d:%d" % (n, len(c)))
	sent = sorted(r["dst"] for r in recs
	              if r["iface"] == "ul-h1" and not r["out"])
	out.append("sent:" + ",".join(sent))
	print(" ".join(out))
	EOF
}

ALL3="h2:1 h3:1 h4:1 h5:0 sent:192.0.2.2,192.0.2.3,192.0.2.4"

# One UDP broadcast of vm1: one copy to each other host of VSID 5001,
# none to h5 (VSID 6001 only), none back to h1.
head_end_copies()
{
	local got c0 c1
	c0=$(link_stat h1 nv5001 tx_flood_copies)
	capture_sw bc || return 1
	on vm1 $PKT udp 10.0.0.1 10.0.0.255 1
	bg_stop "/tmp/$PREFIX-bc.json"
	got=$(copies bc) || return 1
	c1=$(link_stat h1 nv5001 tx_flood_copies)
	[[ "$got" == "$ALL3" ]] || { echo "copies: $got"; return 1; }
	((c1 - c0 == 3)) || { echo "tx_flood_copies $c0 -> $c1"; return 1; }
}

# The VMs of VSID 5001 on other hosts hear vm1's broadcast (that no copy
# reaches h5 the captures show).
BC_PIDS=()
broadcast_delivered()
{
	local vm p
	BC_PIDS=()
	for vm in vm2 vm3 vm4; do
		bg_capture "$vm" "/tmp/$PREFIX-bcd-$vm.txt" \
			timeout 30 tcpdump -c 1 -nli eth0 udp port 7777 || return 1
		BC_PIDS+=("$BG_PID")
	done
	on vm1 $PKT udp 10.0.0.1 10.0.0.255 1
	for p in "${BC_PIDS[@]}"; do
		wait "$p"
	done
	for vm in vm2 vm3 vm4; do
		grep -q "10.0.0.255.7777" "/tmp/$PREFIX-bcd-$vm.txt" || {
			echo "$vm saw:"
			cat "/tmp/$PREFIX-bcd-$vm.txt"
			return 1
		}
	done
}

# vmy has no record at all: h1 does not replicate its broadcast.
no_record_not_replicated()
{
	local f0 f1 c0 c1
	f0=$(link_stat h1 nv5001 tx_flood)
	c0=$(link_stat h1 nv5001 tx_flood_copies)
	on vmy $PKT udp 10.0.0.98 10.0.0.255 1
	f1=$(link_stat h1 nv5001 tx_flood)
	c1=$(link_stat h1 nv5001 tx_flood_copies)
	((f1 == f0 + 1 && c1 == c0)) || {
		echo "h1: tx_flood $f0 -> $f1, tx_flood_copies $c0 -> $c1"
		return 1
	}
}

# The flood set follows the records: without vm4's record (the only one
# naming h4), h4 gets no copy; with it back, it does again.
flood_set_follows_records()
{
	local got
	nsctl h1 del-lookup 10.0.0.4 vsid 5001 || return 1
	capture_sw del || return 1
	on vm1 $PKT udp 10.0.0.1 10.0.0.255 1
	bg_stop "/tmp/$PREFIX-del.json"
	got=$(copies del) || return 1
	[[ "$got" == "h2:1 h3:1 h4:0 h5:0 sent:192.0.2.2,192.0.2.3" ]] || {
		echo "after del-lookup: $got"
		return 1
	}
	# Two records naming h3: deleting one keeps h3 in the set.
	nsctl h1 -b - <<-EOF || return 1
	add-lookup 10.0.0.4 vsid 5001 pa 192.0.2.4 mac $MAC4
	add-lookup 10.0.0.33 vsid 5001 pa 192.0.2.3 mac 02:00:00:00:05:33
	del-lookup 10.0.0.33 vsid 5001
	replace-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2
	EOF
	capture_sw re || return 1
	on vm1 $PKT udp 10.0.0.1 10.0.0.255 1
	bg_stop "/tmp/$PREFIX-re.json"
	got=$(copies re) || return 1
	[[ "$got" == "$ALL3" ]] || {
		echo "after add-lookup: $got"
		return 1
	}
}

# A frame no other host would get is counted, not sent.
lone_vsid_counted()
{
	local before after
	before=$(link_stat h5 nv6001 tx_flood)
	on vm5 $PKT udp 10.0.0.5 10.0.0.255 1
	after=$(link_stat h5 nv6001 tx_flood)
	((after == before + 1)) || { echo "tx_flood $before -> $after"; return 1; }
}

# vm3 drops its address and gets it back from the DHCP server on vm2:
# the client's broadcasts from 0.0.0.0 and the server's broadcast replies
# are replicated to the other hosts.

require_module
ktap_plan 9

setup_underlay
add_host h1 192.0.2.1
add_host h2 192.0.2.2
add_host h3 192.0.2.3
add_host h4 192.0.2.4
add_host h5 192.0.2.5
add_vm h1 vm1 5001 10.0.0.1 $MAC1
add_vm h2 vm2 5001 10.0.0.2 $MAC2
add_vm h3 vm3 5001 10.0.0.3 $MAC3
add_vm h4 vm4 5001 10.0.0.4 $MAC4
add_vm h5 vm5 6001 10.0.0.5 $MAC5
add_vm h1 vmx 5001 10.0.0.99 $MACX
add_vm h1 vmy 5001 10.0.0.98 $MACY
add_segment h1 6001
# No IPv6 chatter (router solicitations, MLD) in the copy counts.
for ns in "${HOSTS[@]}" vm1 vm2 vm3 vm4 vm5 vmx vmy; do
	on "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
check "provision records on every host" provision_all

check "head-end: one copy to each other host of the VSID, none elsewhere" \
	head_end_copies
check "head-end: VMs of the VSID hear the broadcast, other VSIDs not" \
	broadcast_delivered
# vmx's record names h3 (as if h1 had not yet learnt that it moved here):
# h1 replicates its broadcast, h2 refuses the copy (rx_spoof_mac) and
# delivers nothing to its bridge.
check "head-end: copies from a VM whose record names another host are refused" \
	bcast_spoof_refused vmx 10.0.0.99 h2 nv5001
check "head-end: a VM without record is not replicated" \
	no_record_not_replicated
check "head-end: the flood set follows the records" \
	flood_set_follows_records
check "head-end: a broadcast no other host would get is counted" \
	lone_vsid_counted
check "DHCP: vm3 gets its lease from the server on vm2 (another host)" \
	dhcp_lease vm2 vm3 10.0.0.3
check "vm1 still pings vm2 (unicast unaffected)" ping_ok vm1 10.0.0.2

ktap_finish
