#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# nvgre and the kernel's own GRE carry traffic at the same time, with
# ip_gre loaded before nvgre and after it.
#
#  vm1a 10.0.0.1 -- [br5001 + nv5001] h1 ul0 192.0.2.1 --+
#                    gt42  198.51.100.1 (gretap key 42)  |
#                    gtv   203.0.113.1  (gretap key      br0 (sw)
#                          5002 << 8: an NVGRE-shaped    |
#                          key with no nvgre device)     |
#  vm2a 10.0.0.2 -- [br5001 + nv5001] h2 ul0 192.0.2.2 --+
#                    gt42  198.51.100.2, gtv 203.0.113.2

. "$(dirname "$0")/lib/lib.sh"

MAC1A=02:00:00:00:01:01
MAC2A=02:00:00:00:02:01

setup_nvgre()
{
	add_vm h1 vm1a 5001 10.0.0.1 $MAC1A || return 1
	add_vm h2 vm2a 5001 10.0.0.2 $MAC2A || return 1
	provision h1 h2 <<-EOF || return 1
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2A
	EOF
}

# gretap NAME KEY NET: a gretap tunnel h1 <-> h2 with NET.1 and NET.2.
gretap()
{
	local name=$1 key=$2 net=$3 i=1 h peer
	for h in h1 h2; do
		peer=192.0.2.$((3 - i))
		on "$h" ip link add "$name" type gretap local "192.0.2.$i" \
			remote "$peer" key "$key" || return 1
		on "$h" ip addr add "$net.$i/24" dev "$name"
		on "$h" ip link set "$name" up
		i=$((i + 1))
	done
}

# Both kinds of tunnel at once: background pings on the gretaps while the
# tenant pings over nvgre.
concurrent()
{
	local rc=0
	on h1 ping -c 10 -i 0.2 -W 2 198.51.100.2 >/dev/null &
	local p1=$!
	on h1 ping -c 10 -i 0.2 -W 2 203.0.113.2 >/dev/null &
	local p2=$!
	on vm1a ping -c 10 -i 0.2 -W 2 10.0.0.2 >/dev/null || rc=1
	wait $p1 || rc=2
	wait $p2 || rc=3
	return $rc
}

nvgre_without_ip_gre()
{
	! grep -q '^ip_gre ' /proc/modules && ping_ok vm1a 10.0.0.2
}

both_gretaps()
{
	gretap gt42 42 198.51.100 && gretap gtv $((5002 << 8)) 203.0.113
}

# The gtv tunnel's packets reached nvgre's hook first and were passed on.
unknown_vsid_passed()
{
	local n
	n=$(nsctl h1 -j show-link -s | grep -o '"rx_unknown_vsid": *[0-9]*' |
	    grep -o '[0-9]*$')
	((n >= 5)) || { echo "rx_unknown_vsid $n"; return 1; }
}

unload_all()
{
	cleanup
	modprobe -r nvgre && modprobe -r ip_gre && ! grep -q '^ip_gre ' /proc/modules
}

topology()
{
	setup_underlay
	add_host h1 192.0.2.1
	add_host h2 192.0.2.2
	# Let ARP settle so the first pings are not lost to resolution.
	on h1 ping -c 1 -W 2 192.0.2.2 >/dev/null
}

ktap_plan 8

modprobe -r nvgre 2>/dev/null
modprobe -r ip_gre 2>/dev/null
# Order 1: ip_gre first.
check "ip_gre loads before nvgre" modprobe ip_gre
require_module
topology
check "tunnels up: gretap, then nvgre" both_gretaps
setup_nvgre
check "gretap and nvgre carry traffic at the same time (ip_gre first)" concurrent
check "modules unload" unload_all

# Order 2: nvgre first, ip_gre loaded by the first gretap device.
require_module
topology
setup_nvgre
check "nvgre carries traffic before ip_gre is loaded" nvgre_without_ip_gre
check "ip_gre loads after nvgre (gretap devices created)" both_gretaps
check "gretap and nvgre carry traffic at the same time (nvgre first)" concurrent
check "NVGRE-shaped gretap key is left to ip_gre and counted" \
	unknown_vsid_passed

ktap_finish
