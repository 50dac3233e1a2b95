#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Devices, records and the module go away cleanly while traffic flows:
# ip link del, netns delete, rmmod.
#
#  vm1a 10.0.0.1 -- [br5001 + nv5001] h1 192.0.2.1 --- br0 (sw) ---
#                   192.0.2.2 h2 [br5001 + nv5001] -- vm2a 10.0.0.2
#
# VSID 5001; IPv6 CAs 2001:db8:5001::1 and ::2 next to the IPv4 ones,
# resolved by the hosts' Neighbour Advertisements from the records.
# The guest boots with slab_nomerge, so rmmod's kmem_cache_destroy() of
# the record cache reports any record that was never freed.

. "$(dirname "$0")/lib/lib.sh"

MAC1A=02:00:00:00:01:01
MAC2A=02:00:00:00:02:01

build()
{
	setup_underlay
	add_host h1 192.0.2.1
	add_host h2 192.0.2.2
	add_vm h1 vm1a 5001 10.0.0.1 $MAC1A 2001:db8:5001::1
	add_vm h2 vm2a 5001 10.0.0.2 $MAC2A 2001:db8:5001::2
	provision h1 h2 <<-EOF || return 1
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2A
	add-lookup 2001:db8:5001::1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 2001:db8:5001::2 vsid 5001 pa 192.0.2.2 mac $MAC2A
	EOF
}

# records_is HOST N: HOST's namespace has N lookup records.
records_is()
{
	local n
	n=$(nsctl "$1" show-lookup | wc -l)
	((n == $2)) || { echo "$1 has $n records, want $2"; return 1; }
}

# unload_clean: rmmod; with slab_nomerge, kmem_cache_destroy() reports
# any record that was never freed (and the VM's log check fails on it).
unload_clean()
{
	modprobe -r nvgre || return 1
	! dmesg | grep -q "nvgre_lookup.*still has objects"
}

flood()
{
	on vm1a ping -f -w 30 10.0.0.2 >/dev/null 2>&1 &
	on vm2a ping -6 -f -w 30 2001:db8:5001::1 >/dev/null 2>&1 &
	sleep 1
}

# IPv6 CAs: the hosts answer Neighbour Solicitations from the records.
ipv6_ca_traffic()
{
	local miss
	on vm1a ping -6 -c 2 -i 0.3 -W 2 2001:db8:5001::2 >/dev/null &&
		on vm2a ping -6 -c 2 -i 0.3 -W 2 2001:db8:5001::1 >/dev/null ||
		return 1
	on vm1a ip -6 neigh show 2001:db8:5001::2 | grep -qi $MAC2A || return 1
	(($(link_stat h1 nv5001 nd_replies) >= 1)) || return 1
	miss=$(link_stat h1 nv5001 tx_nd_miss)
	on vm1a ping -6 -c 1 -W 2 2001:db8:5001::77 >/dev/null && return 1
	(($(link_stat h1 nv5001 tx_nd_miss) > miss))
}

link_del_under_traffic()
{
	flood
	on h1 ip link del nv5001 || return 1
	on h1 ip link show nv5001 >/dev/null 2>&1 && return 1
	# Records belong to the namespace, not to the device.
	(($(nsctl h1 show-lookup | wc -l) == 4)) || return 1
	add_segment h1 5001 && ping_ok vm1a 10.0.0.2
}

netns_del_under_traffic()
{
	flood
	ip netns del "$PREFIX-h2" || return 1
	ip netns del "$PREFIX-vm2a"
	! ip netns list | grep -q "$PREFIX-h2"
}

flush_h1()
{
	nsctl h1 flush-lookup vsid 5001 && records_is h1 0 && records_is h2 4
}

rmmod_under_traffic()
{
	flood
	modprobe -r nvgre || return 1
	grep -q '^nvgre ' /proc/modules && return 1
	on h1 ip -d link show type nvgre | grep -q nvgre && return 1
	return 0
}

require_module
ktap_plan 10

check "records of two hosts" build
check "IPv6 CAs over the IPv4 underlay; NS answered from the records" \
	ipv6_ca_traffic
check "ip link del under traffic; records stay; device comes back" \
	link_del_under_traffic
check "flush-lookup vsid frees every record of h1 only" flush_h1
check "netns delete under traffic" netns_del_under_traffic
cleanup
check "rmmod after netns delete: no record leaked" unload_clean
check "module loads again" modprobe nvgre
build
check "rebuilt: records back" records_is h1 4
check "rmmod under traffic with records and devices present" \
	rmmod_under_traffic
check "module loads again" modprobe nvgre

ktap_finish
