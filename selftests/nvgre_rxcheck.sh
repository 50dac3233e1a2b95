#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Hand-made NVGRE from the underlay: malformed and spoofed packets are
# dropped and counted by reason, and none reaches the tenant VM.
#
#  vm1a 10.0.0.1 -- [br5001 + nv5001] h1 192.0.2.1 ul0 -- br0 (sw) -- ul0 h2 192.0.2.2
#                                                                      (raw socket)
# VSID 5001 records: 10.0.0.1 at 192.0.2.1 (vm1a), 10.0.0.2 at 192.0.2.2
# (a VM of h2, MAC 02:00:00:00:02:01). h2 has no nvgre device: it plays a
# host that sends whatever it likes from its PA 192.0.2.2, and a host
# that spoofs the PA 192.0.2.3 it does not own.

. "$(dirname "$0")/lib/lib.sh"

MAC1A=02:00:00:00:01:01
MAC2A=02:00:00:00:02:01
H1MAC=

# send KIND... from h2 (PA 192.0.2.2) to h1, as the VM 10.0.0.2.
send()
{
	on h2 $PKT send ul0 "$H1MAC" 192.0.2.2 192.0.2.1 5001 $MAC2A 10.0.0.2 "$@"
}

# listen_during CMD...: the test frames vm1a receives while CMD runs; a
# well-formed "end" frame sent after CMD closes the window (by the same
# pkt.py when CMD is send: one python less).
listen_during()
{
	local f=/tmp/$PREFIX-listen
	bg_capture vm1a "$f" $PKT listen eth0 20 >/dev/null || return 1
	if [[ "$1" == send ]]; then
		"$@" end
	else
		"$@"
		send end
	fi
	bg_wait
	cat "$f"
}

# expect_counted COUNTER KIND: sending KIND bumps COUNTER on nv5001 by one
# and vm1a receives nothing.
expect_counted()
{
	local ctr=$1 kind=$2 before after seen
	before=$(link_stat h1 nv5001 "$ctr")
	seen=$(listen_during send "$kind")
	after=$(link_stat h1 nv5001 "$ctr")
	[[ -z "$seen" ]] || { echo "delivered to vm1a: $seen"; return 1; }
	((after == before + 1)) || { echo "$ctr: $before -> $after"; return 1; }
}

unknown_vsid_counted()
{
	local before after seen
	before=$(nsctl h1 -j show-link -s | grep -o '"rx_unknown_vsid": *[0-9]*' | grep -o '[0-9]*$')
	seen=$(listen_during send unknown-vsid)
	after=$(nsctl h1 -j show-link -s | grep -o '"rx_unknown_vsid": *[0-9]*' | grep -o '[0-9]*$')
	[[ -z "$seen" ]] || { echo "delivered: $seen"; return 1; }
	((after == before + 1)) || { echo "rx_unknown_vsid: $before -> $after"; return 1; }
}

good_delivered()
{
	local seen
	seen=$(listen_during send good)
	[[ "$seen" == good ]] || { echo "vm1a saw '$seen'"; return 1; }
}

# A host that does not own PA 192.0.2.3 claims it as the outer source
# while the inner source is a VM that lives at 192.0.2.2.
wrong_pa_source()
{
	local before after seen
	on h2 ip addr add 192.0.2.3/24 dev ul0
	before=$(link_stat h1 nv5001 rx_spoof_mac)
	seen=$(listen_during on h2 $PKT send ul0 "$H1MAC" 192.0.2.3 192.0.2.1 \
		5001 $MAC2A 10.0.0.2 good)
	after=$(link_stat h1 nv5001 rx_spoof_mac)
	on h2 ip addr del 192.0.2.3/24 dev ul0
	[[ -z "$seen" ]] || { echo "delivered: $seen"; return 1; }
	((after == before + 1)) || { echo "rx_spoof_mac: $before -> $after"; return 1; }
}

# send_from CA KIND: from h2 as the VM 10.0.0.2's MAC, inner source CA.
send_from()
{
	on h2 $PKT send ul0 "$H1MAC" 192.0.2.2 192.0.2.1 5001 $MAC2A "$1" "$2"
}

# The MAC's record names the sender's PA, but the inner source is the CA
# of vm1a, which lives at 192.0.2.1: h2 may not speak for it.
other_hosts_ca()
{
	local before after seen
	before=$(link_stat h1 nv5001 rx_spoof_ca)
	seen=$(listen_during send_from 10.0.0.1 good)
	after=$(link_stat h1 nv5001 rx_spoof_ca)
	[[ -z "$seen" ]] || { echo "delivered: $seen"; return 1; }
	((after == before + 1)) || { echo "rx_spoof_ca: $before -> $after"; return 1; }
}

# A VM with two CAs: the newest record of its MAC is 10.0.0.3's, so a
# frame from 10.0.0.2 passes by the lookup of its own CA's record, and
# one from 10.0.0.3 by the MAC's record.
second_ca()
{
	local seen rc=0
	nsctl h1 add-lookup 10.0.0.3 vsid 5001 pa 192.0.2.2 mac $MAC2A ||
		return 1
	seen=$(listen_during send_from 10.0.0.2 good)
	[[ "$seen" == good ]] || { echo "from 10.0.0.2: vm1a saw '$seen'"; rc=1; }
	seen=$(listen_during send_from 10.0.0.3 good)
	[[ "$seen" == good ]] || { echo "from 10.0.0.3: vm1a saw '$seen'"; rc=1; }
	nsctl h1 del-lookup 10.0.0.3 vsid 5001 || return 1
	return $rc
}

require_module
ktap_plan 14

setup_underlay
add_host h1 192.0.2.1
add_host h2 192.0.2.2
add_vm h1 vm1a 5001 10.0.0.1 $MAC1A
on vm1a ip link set eth0 promisc on
nsctl h1 add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
nsctl h1 add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2A
H1MAC=$(on h1 cat /sys/class/net/ul0/address)
# h2's kernel must not answer GRE it cannot decapsulate with ICMP noise.
on h2 ping -c 1 -W 2 192.0.2.1 >/dev/null

check "well-formed NVGRE from the right PA is delivered" good_delivered
check "GRE checksum present (C=1): dropped, rx_bad_flags" expect_counted rx_bad_flags csum
check "GRE sequence number (S=1): dropped, rx_bad_flags" expect_counted rx_bad_flags seq
check "GRE routing present (R=1): dropped, rx_bad_flags" expect_counted rx_bad_flags routing
check "inner 802.1Q tag: dropped, rx_vlan" expect_counted rx_vlan vlan
check "inner source MAC without record: dropped, rx_spoof_mac" expect_counted rx_spoof_mac spoof-mac
check "inner source CA without record: dropped, rx_spoof_ca" expect_counted rx_spoof_ca spoof-ca
check "inner source CA of another host's VM: dropped, rx_spoof_ca" other_hosts_ca
check "both CAs of a VM with two are delivered" second_ca
check "truncated inner frame: dropped, rx_malformed" expect_counted rx_malformed short-inner
check "multicast inner source MAC: dropped, rx_malformed" expect_counted rx_malformed mcast-src
check "unknown VSID: not delivered, counted for the namespace" unknown_vsid_counted
check "outer source PA not the record's: dropped, rx_spoof_mac" wrong_pa_source
check "well-formed NVGRE still delivered afterwards" good_delivered

ktap_finish
