# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the guest-side benchmark scripts (sourced). Builds on
# selftests/lib/lib.sh (namespaces, nsctl, KTAP). Figures are printed as KTAP
# diagnostics "# bench KEY VALUE", which selftests/bench/report.py collects
# from the guest's output; every measurement also gives one KTAP result, so
# that a measurement that cannot be taken fails the run.
#
# The host (scripts/bench.sh) writes build/bench/params.sh: durations,
# record counts, and the directory of the pre-generated batch files.

# shellcheck source-path=SCRIPTDIR source=../lib/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/lib.sh"

BENCH_PARAMS=${BENCH_PARAMS:-$NVGRE_ROOT/build/bench/params.sh}
if [[ ! -r "$BENCH_PARAMS" ]]; then
	echo "Bail out! $BENCH_PARAMS missing: run scripts/bench.sh"
	exit 1
fi
# shellcheck source=/dev/null
. "$BENCH_PARAMS"

# emit KEY VALUE: one figure for the report.
emit()
{
	echo "# bench $1 $2"
}

# now: the guest clock in seconds (follows instructions under -icount).
now()
{
	echo "$EPOCHREALTIME"
}

# elapsed T0: seconds since T0, microsecond resolution.
elapsed()
{
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.6f", b - a }'
}

# busy: sets BUSY to the nanoseconds all CPUs have run tasks other than
# their idle task since boot (rq_cpu_time of /proc/schedstat, added when a
# task leaves its CPU). Builtins only, no subshell: reading it runs no
# task of its own. Unlike the guest clock it does not jump while the
# guest waits for the host (see preload), so it follows the instructions
# run whatever the host's load, and it counts every task's work,
# kworkers' included. Fails on a /proc/schedstat it does not know.
BUSY=0
busy()
{
	local f sum=0 known=0
	while read -r -a f; do
		case ${f[0]} in
		version) [[ ${f[1]} == 1[5-7] ]] && known=1 ;;
		cpu[0-9]*) ((sum += f[7])) ;;
		esac
	done </proc/schedstat
	((known)) || { echo "/proc/schedstat: unknown version"; return 1; }
	BUSY=$sum
}

# busy_since B0: seconds of busy time since BUSY was B0.
busy_since()
{
	local b0=$1
	busy || return 1
	awk -v a="$b0" -v b="$BUSY" 'BEGIN { printf "%.6f", (b - a) / 1e9 }'
}

# measure NAME CMD...: runs CMD (which emits figures) as one KTAP result.
measure()
{
	local name=$1 out rc=0
	shift
	# In this shell, not a subshell: CMD may set state for later steps.
	out=/dev/shm/$PREFIX-measure.out
	"$@" >"$out" 2>&1 || rc=$?
	# Figures go out even when a later step of CMD failed.
	grep '^# bench ' "$out" || true
	if ((rc == 0)); then
		ktap_ok "$name"
	else
		ktap_fail "$name" "command: $*" "$(grep -v '^# bench ' "$out")"
	fi
}

# kmem: kernel memory in bytes that is neither free, page cache nor
# process memory (so it includes slab and page-allocator/vmalloc memory,
# such as large rhashtable bucket arrays).
kmem()
{
	awk '/^(MemTotal|MemFree|Buffers|Cached|AnonPages|SwapCached):/ { v[$1] = $2 }
	END { printf "%d\n", 1024 * (v["MemTotal:"] - v["MemFree:"] - v["Buffers:"] \
		- v["Cached:"] - v["AnonPages:"] - v["SwapCached:"]) }' /proc/meminfo
}

# meminfo FIELD: one /proc/meminfo field in bytes.
meminfo()
{
	awk -v f="$1:" '$1 == f { printf "%d\n", $2 * 1024 }' /proc/meminfo
}

# slab_bytes CACHE: bytes of the slabs of CACHE and its active objects,
# "BYTES OBJS" (the guest boots with slab_nomerge: the cache is alone).
slab_bytes()
{
	awk -v c="$1" '$1 == c { print $15 * $6 * 4096, $2 }' /proc/slabinfo
}

# preload: reads every file the measurements execute or open into the page
# cache. Under -icount with sleep=off, a guest that waits for the host (a 9p
# read of a binary page not yet cached) has its clock jump to the next
# timer: a timed step must never touch the host's root.
preload()
{
	local b p f
	for b in ip bridge ss iperf3 "$NVGRECTL" awk cp cat grep wc sleep seq rm \
		cut python3 timeout tc sysctl ping mkdir; do
		# type -P: the program, not lib.sh's python3 function.
		p=$(type -P "$b") || { echo "$b not found"; return 1; }
		p=$(readlink -f "$p")
		cat "$p" >/dev/null
		ldd "$p" 2>/dev/null | awk '$(NF - 1) ~ /^\// { print $(NF - 1) }
			$1 ~ /^\// { print $1 }' | sort -u |
			while read -r f; do cat "$(readlink -f "$f")" >/dev/null; done
	done
	for f in /etc/iproute2 /usr/share/iproute2 /usr/lib/locale/C.utf8 \
		/etc/ld.so.cache /etc/services /etc/protocols /etc/hosts \
		/etc/nsswitch.conf /etc/gai.conf; do
		[[ -e "$f" ]] || continue
		find "$f" -type f -exec cat {} + >/dev/null 2>&1
	done
	return 0
}

# settle: lets deferred work (rhashtable resizes, RCU frees) finish.
settle()
{
	sleep 2
}

# The control plane's namespaces (control.sh, profile.sh).
#   base NS      namespace NS with the underlay 192.0.2.1/24 on dummy ul0
#   nvgre_ns NS  base, and nvgre nv0 vsid 5001 local 192.0.2.1, up
base()
{
	mkns "$1" || return 1
	on "$1" ip link add ul0 type dummy || return 1
	on "$1" ip addr add 192.0.2.1/24 dev ul0
	on "$1" ip link set ul0 up
}

nvgre_ns()
{
	base "$1" || return 1
	nsctl "$1" add-link nv0 vsid 5001 local 192.0.2.1 || return 1
	on "$1" ip link set nv0 up
}
