#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of make bench: the control plane.
#
#   cp-nvgre  dummy ul0 192.0.2.1/24, nvgre nv0 vsid 5001 local 192.0.2.1
#   cp-vxlan  dummy ul0 192.0.2.1/24, vxlan vx0 id 5001 local 192.0.2.1
#
# BENCH_CP_N records programmed into an empty table in one batch (the
# fastest of BENCH_REPS runs, each in a fresh namespace, less the time of
# the same command with an empty batch):
# `nvgrectl -b` with add-lookup lines (which it packs into bulk requests)
# against `bridge -batch` with `fdb add MAC dev vx0 dst PA` lines (one
# request and one ack a line); then the time to dump them all, and the
# kernel memory they take:
# the nvgre_lookup slab cache alone (slab_nomerge) and, for both, the
# growth of the kernel's memory (slab, and the page allocator and vmalloc
# behind large hash bucket arrays; see kmem in lib.sh) per record.
# Times are busy time (busy in lib.sh): the CPU time of all tasks while
# the step runs, which, unlike the guest clock, does not jump ahead while
# the guest waits for the host. The guest clock's time of each
# programming run is reported too. Emits "# bench KEY VALUE" lines (see
# lib.sh).

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

N=$BENCH_CP_N

REPS=${BENCH_REPS:-3}

# best CMD...: runs CMD (which prints one time in seconds) REPS times and
# prints the fastest time, then all of them.
best()
{
	local i t all=()
	for ((i = 0; i < REPS; i++)); do
		t=$("$@") || return 1
		all+=("$t")
	done
	printf '%s\n' "${all[@]}" | sort -g | head -n 1
	echo "${all[*]}"
}

# timed FILE CMD...: seconds of busy time (lib.sh) CMD FILE takes.
timed()
{
	local f=$1 b0
	shift
	busy || return 1
	b0=$BUSY
	"$@" "$f" >/dev/null || return 1
	busy_since "$b0"
}

# program KEY FILE SETUP CMD...: SETUP NS makes an empty namespace NS with
# the device; CMD NS reads FILE (copied to tmpfs first). Times it REPS
# times, each in a fresh namespace, less the time CMD takes with an empty
# file (process start, netns entry), and the memory the first run leaves
# allocated.
program()
{
	local key=$1 f=$2 setup=$3 b0 t0 dt k0 k1 m0 m1 i b e all=() wall=()
	shift 3
	[[ -r "$f" ]] || { echo "$f missing"; return 1; }
	cp "$f" /dev/shm/cp.batch || return 1
	: >/dev/shm/empty.batch
	"$setup" cp-e || return 1
	e=$(best timed /dev/shm/empty.batch "$@" cp-e | head -n 1) || return 1
	ip netns del "$PREFIX-cp-e"
	for ((i = 0; i < REPS; i++)); do
		"$setup" "cp-$key" || return 1
		settle
		m0=$(cat /proc/meminfo) k0=$(kmem)
		busy || return 1
		b0=$BUSY t0=$EPOCHREALTIME
		"$@" "cp-$key" /dev/shm/cp.batch || return 1
		wall+=("$(elapsed "$t0")")
		dt=$(busy_since "$b0") || return 1
		all+=("$dt")
		settle
		if ((i == 0)); then
			m1=$(cat /proc/meminfo) k1=$(kmem)
		fi
		((i == REPS - 1)) && break
		ip netns del "$PREFIX-cp-$key"
		settle
	done
	rm -f /dev/shm/cp.batch /dev/shm/empty.batch
	b=$(printf '%s\n' "${all[@]}" | sort -g | head -n 1)
	emit "$key.records" "$N"
	emit "$key.program_s" "$(awk -v b="$b" -v e="$e" 'BEGIN { printf "%.6f", b - e }')"
	emit "$key.program_runs_s" "${all[*]}"
	emit "$key.program_wall_runs_s" "${wall[*]}"
	emit "$key.program_empty_s" "$e"
	emit "$key.kmem_bytes" "$((k1 - k0))"
	# Every /proc/meminfo field's growth, in bytes.
	awk 'NR == FNR { a[$1] = $2; next }
	     $3 == "kB" { sub(/:$/, "", $1)
			  printf "# bench '"$key"'.meminfo.%s %d\n", $1, ($2 - a[$1 ":"]) * 1024 }' \
		<(echo "$m0") <(echo "$m1")
}

# count N CMD...: runs CMD, which must print N lines or more.
count()
{
	local want=$1 n
	shift
	n=$("$@" | wc -l) || return 1
	((n >= want)) || { echo "dump printed $n lines, wanted $want"; return 1; }
}

# dump_once CMD...: seconds of busy time a dump by CMD takes.
dump_once()
{
	local b0
	busy || return 1
	b0=$BUSY
	count "$N" "$@" || return 1
	busy_since "$b0"
}

# dump KEY CMD...: the fastest of REPS dumps by CMD.
dump()
{
	local key=$1 r
	shift
	r=$(best dump_once "$@") || return 1
	emit "$key.dump_s" "$(head -n 1 <<<"$r")"
	emit "$key.dump_runs_s" "$(tail -n 1 <<<"$r")"
	emit "$key.dump_lines" "$N"
}

nvgre_batch()
{
	nsctl "$1" -b "$2"
}

nvgre_program()
{
	local c0
	c0=$(slab_bytes nvgre_lookup)
	[[ -n "$c0" ]] || { echo "no nvgre_lookup slab cache"; return 1; }
	program nvgre "$BENCH_DIR/cp-nvgre-$N.batch" nvgre_ns nvgre_batch || return 1
	emit nvgre.cache_bytes "$(($(slab_bytes nvgre_lookup | cut -d' ' -f1) - ${c0% *}))"
	emit nvgre.cache_objs "$(($(slab_bytes nvgre_lookup | cut -d' ' -f2) - ${c0#* }))"
	emit nvgre.objsize "$(awk '$1 == "nvgre_lookup" { print $4 }' /proc/slabinfo)"
}

vxlan_ns()
{
	base "$1" || return 1
	on "$1" ip link add vx0 type vxlan id 5001 local 192.0.2.1 \
		dstport 4789 nolearning || return 1
	on "$1" ip link set vx0 up
}

vxlan_batch()
{
	on "$1" bridge -batch "$2"
}

vxlan_program()
{
	program vxlan "$BENCH_DIR/cp-vxlan-$N.batch" vxlan_ns vxlan_batch
}

teardown()
{
	local k0
	k0=$(kmem)
	ip netns del "$PREFIX-$1" || return 1
	settle
	settle
	emit "$2.freed_kmem_bytes" "$((k0 - $(kmem)))"
}

# warmup: the same steps with 100 records in a scratch namespace, so that
# everything they touch is in memory (see preload in lib.sh).
warmup()
{
	local w=/dev/shm/warm.batch
	nvgre_ns cp-warm || return 1
	on cp-warm ip link add vx0 type vxlan id 5001 local 192.0.2.1 \
		dstport 4789 nolearning || return 1
	head -n 100 "$BENCH_DIR/cp-nvgre-$N.batch" >"$w"
	nvgre_batch cp-warm "$w" || return 1
	nsctl cp-warm show-lookup >/dev/null || return 1
	head -n 100 "$BENCH_DIR/cp-vxlan-$N.batch" >"$w"
	vxlan_batch cp-warm "$w" || return 1
	on cp-warm bridge fdb show dev vx0 >/dev/null || return 1
	rm -f "$w"
	kmem >/dev/null && now >/dev/null && cat /proc/meminfo >/dev/null &&
		busy_since 0 >/dev/null
	ip netns del "$PREFIX-cp-warm"
}

require_module
ktap_plan 8
emit kernel "$(uname -r)"
measure "read the tools into memory" preload
measure "warm-up with 100 records" warmup
measure "nvgre: program $N records (nvgrectl -b)" nvgre_program
measure "nvgre: dump $N records (nvgrectl show-lookup)" \
	dump nvgre nsctl cp-nvgre show-lookup
measure "nvgre: delete the namespace with $N records" teardown cp-nvgre nvgre
measure "vxlan: program $N fdb entries (bridge -batch)" vxlan_program
measure "vxlan: dump $N fdb entries (bridge fdb show)" \
	dump vxlan on cp-vxlan bridge fdb show dev vx0
measure "vxlan: delete the namespace with $N fdb entries" teardown cp-vxlan vxlan
ktap_finish
