#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# What a tenant may make: records are charged to the memory cgroup of the
# process that adds them, each namespace stops at its limits
# (net.nvgre.max_records, max_subnets, max_routes, max_pas) with an error
# naming the limit, a tenant that owns its namespaces (unshare -Urn)
# cannot raise them, and dumps of thousands of subnets, routes and PAs
# return each exactly once.
#
#   a: host namespace, default limits; records added from the memory
#      cgroup nvgre-memcg.PID, then 2000 subnets (10.X.Y.0/24, vsid
#      6000 + n/4, rdid 100), 2000 routes (172.16.X.Y/32 rdid 100
#      nexthop 10.100.0.5) and 2000 PAs (198.51.X.Y/32 on dummy0)
#   unshare -Urn: the tenant, made while the initial namespace's limits
#      are records 100, subnets 3, routes 3, PAs 1 (restored after)
#
# A record is about 100 bytes of slab (80 for struct nvgre_lookup in its
# cache, the rest in its flood and hash table entries).

. "$(dirname "$0")/lib/lib.sh"

NREC=10000
NDUMP=2000
LIMITS=(max_records max_subnets max_routes max_pas)
CG=/sys/fs/cgroup/nvgre-memcg.$$
CG_MOUNTED=
declare -A SAVED

cg_setup()
{
	if ! mountpoint -q /sys/fs/cgroup; then
		mount -t cgroup2 none /sys/fs/cgroup || return 1
		CG_MOUNTED=1
	fi
	grep -qw memory /sys/fs/cgroup/cgroup.controllers ||
		{ echo "no memory controller in cgroup2"; return 1; }
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control || return 1
	mkdir "$CG"
}

cg_cleanup()
{
	restore_limits
	[[ -d "$CG" ]] && rmdir "$CG"
	[[ -n "$CG_MOUNTED" ]] && umount /sys/fs/cgroup
	cleanup
}
trap cg_cleanup EXIT

slab_bytes()
{
	awk '$1 == "slab" { print $2 }' "$CG/memory.stat"
}

# NREC records added from a process in $CG are charged to it: its slab
# grows by at least 60 bytes a record (the old module: 4), and by less
# than 300.
charged()
{
	local s0 s1 per i
	awk -v n=$NREC 'BEGIN { for (i = 0; i < n; i++) {
		a = int(i / 65536); b = int(i / 256) % 256; c = i % 256
		printf "add-lookup 10.%d.%d.%d vsid 5001 pa 192.0.2.%d mac 02:00:00:%02x:%02x:%02x\n",
			a, b, c, i % 8 + 1, a, b, c } }' >"$TMP/rec.batch"
	s0=$(slab_bytes)
	bash -c "echo \$\$ >$CG/cgroup.procs && exec $NVGRECTL -n $PREFIX-a -batch $TMP/rec.batch" ||
		return 1
	# The cgroup's statistics are flushed at intervals: wait for them.
	for i in $(seq 20); do
		s1=$(slab_bytes)
		per=$(((s1 - s0) / NREC))
		((per >= 60)) && break
		sleep 0.2
	done
	echo "slab of the cgroup: $s0 -> $s1, $per bytes a record"
	((per >= 60 && per < 300))
}

# set_limits L1 L2 L3 L4: the initial namespace's limits (SAVED has the
# values to restore).
set_limits()
{
	local v=("$@") i
	for i in 0 1 2 3; do
		sysctl -qw "net.nvgre.${LIMITS[$i]}=${v[$i]}" || return 1
	done
}

restore_limits()
{
	local l
	for l in "${!SAVED[@]}"; do
		[[ -n "${SAVED[$l]}" ]] && sysctl -qw "net.nvgre.$l=${SAVED[$l]}"
	done
	SAVED=()
}

defaults()
{
	local l v want=(4194304 262144 262144 4096) i=0
	for l in "${LIMITS[@]}"; do
		v=$(on a sysctl -n "net.nvgre.$l")
		[[ "$v" == "${want[$i]}" ]] || { echo "net.nvgre.$l = $v, want ${want[$i]}"; return 1; }
		i=$((i + 1))
	done
}

# The tenant: its limits are the host's at its creation; it reaches each
# with a clear error, and cannot raise them.
tenant()
{
	awk 'BEGIN { for (i = 1; i <= 101; i++)
		printf "add-lookup 10.0.0.%d vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:01\n", i }' \
		>"$TMP/record.batch"
	printf 'add-subnet 10.9.%d.0/24 vsid 5001 rdid 100\n' 1 2 3 4 >"$TMP/subnet.batch"
	printf 'add-route 172.16.0.%d/32 rdid 100 nexthop 10.9.1.5\n' 1 2 3 4 >"$TMP/route.batch"
	printf 'add-pa 192.0.2.%d dev dummy0\n' 1 2 >"$TMP/pa.batch"
	unshare -Urn bash -c "
		for l in ${LIMITS[*]}; do echo \$l \$(sysctl -n net.nvgre.\$l); done
		echo 1000000 >/proc/sys/net/nvgre/max_records && echo raised
		echo max_records \$(sysctl -n net.nvgre.max_records)
		ip link add dummy0 type dummy
		ip addr add 192.0.2.1/24 dev dummy0
		ip addr add 192.0.2.2/24 dev dummy0
		for b in record subnet route pa; do
			'$NVGRECTL' -batch '$TMP/'\$b.batch; echo \$b \$?
		done
		'$NVGRECTL' show-lookup | wc -l
	" >"$TMP/tenant.out" 2>&1
	cat "$TMP/tenant.out"
}

tenant_limits()
{
	grep -qx "max_records 100" "$TMP/tenant.out" &&
		grep -qx "max_subnets 3" "$TMP/tenant.out" &&
		grep -qx "max_routes 3" "$TMP/tenant.out" &&
		grep -qx "max_pas 1" "$TMP/tenant.out"
}

tenant_cannot_raise()
{
	! grep -q "^raised" "$TMP/tenant.out" &&
		grep -q "Operation not permitted" "$TMP/tenant.out" &&
		(($(grep -c "^max_records 100$" "$TMP/tenant.out") == 2))
}

# limited WHAT LINE TEXT: the batch of WHAT failed at LINE saying TEXT.
limited()
{
	grep -qx "$1 [1-9][0-9]*" "$TMP/tenant.out" &&
		grep -q "^Error: $3 limit of the namespace reached (net.nvgre.max_$1s).$" \
			"$TMP/tenant.out" &&
		grep -q "^Command failed $TMP/$1.batch:$2$" "$TMP/tenant.out"
}

tenant_records()
{
	limited record 101 Record && grep -qx "100" "$TMP/tenant.out"
}

tenant_others()
{
	limited subnet 4 Subnet && limited route 4 Route && limited pa 2 PA
}

# The host's namespace a, made before, keeps its limits: it takes 150
# records where the tenant stopped at 100.
host_works()
{
	sed 's/^add-lookup 10\.0\.0\./add-lookup 10.200.0./' "$TMP/record.batch" >"$TMP/host.batch"
	sed 's/^add-lookup 10\.0\.0\./add-lookup 10.200.1./' "$TMP/record.batch" |
		head -n 49 >>"$TMP/host.batch"
	nsctl a -batch "$TMP/host.batch" &&
		(($(nsctl a show-lookup | wc -l) == 150)) &&
		nsctl a flush-lookup &&
		[[ "$(on a sysctl -n net.nvgre.max_records)" == 4194304 ]]
}

# NDUMP subnets, routes and PAs in a, each added in one batch.
many()
{
	on a ip link add dummy0 type dummy || return 1
	awk -v n=$NDUMP 'BEGIN { for (i = 0; i < n; i++)
		printf "address add 198.51.%d.%d/32 dev dummy0\n", int(i / 256), i % 256 }' |
		on a ip -batch - || return 1
	awk -v n=$NDUMP 'BEGIN { for (i = 0; i < n; i++) {
		a = int(i / 256); b = i % 256
		printf "add-subnet 10.%d.%d.0/24 vsid %d rdid 100\n", 100 + a, b, 6000 + int(i / 4)
		printf "add-route 172.16.%d.%d/32 rdid 100 nexthop 10.100.0.5\n", a, b
		printf "add-pa 198.51.%d.%d dev dummy0\n", a, b } }' >"$TMP/many.batch"
	nsctl a -batch "$TMP/many.batch"
}

# dumped WHAT: show-WHAT gives NDUMP lines, none twice.
dumped()
{
	local n d
	nsctl a "show-$1" >"$TMP/$1.out" || return 1
	n=$(wc -l <"$TMP/$1.out")
	d=$(sort "$TMP/$1.out" | uniq -d | wc -l)
	((n == NDUMP && d == 0)) || { echo "show-$1: $n lines, $d repeated"; return 1; }
}

require_module
ktap_plan 10
TMP=$(mktemp -d)

mkns a
nsctl a add-link nv5001 vsid 5001 || exit 1

check "the initial limits are the documented defaults" defaults
if cg_setup; then
	check "records from a memory cgroup are charged to it" charged
else
	ktap_skip "records from a memory cgroup are charged to it" "no cgroup2 memory controller"
fi
nsctl a flush-lookup

for l in "${LIMITS[@]}"; do
	SAVED[$l]=$(sysctl -n "net.nvgre.$l" 2>/dev/null)
done
check "lowering the initial namespace's limits" set_limits 100 3 3 1
check "a tenant in unshare -Urn runs" tenant
check "the tenant's namespace starts with the host's limits" tenant_limits
check "the tenant cannot raise its limit" tenant_cannot_raise
check "the tenant stops at max_records with a clear error" tenant_records
check "the tenant stops at max_subnets, max_routes and max_pas" tenant_others
check "the host's other namespace keeps its limits and works" host_works
restore_limits

if many; then
	check "a dump of $NDUMP subnets, routes and PAs gives each once" \
		eval "dumped subnet && dumped route && dumped pa"
else
	ktap_fail "a dump of $NDUMP subnets, routes and PAs gives each once" "batch failed"
fi
rm -rf "$TMP"

ktap_finish
