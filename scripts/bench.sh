#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh (make bench): nvgre against plain veth, gretap and vxlan, and
# its control plane against the vxlan FDB, all in one boot of one test
# kernel under qemu -icount (guest time follows the instructions executed,
# so figures repeat from run to run; plain TCG does not). Every figure is
# reported as a ratio to its reference measured in the same boot.
#
#   1. generates the record batch files on the host (build/bench/, cached)
#   2. run.sh builds nvgre.ko and boots the kernel once
#      with QEMU_EXTRA="-icount shift=N,sleep=off" and runs
#      selftests/bench/control.sh and selftests/bench/datapath.sh
#   3. selftests/bench/report.py: prints the table, writes
#      docs/benchmarks.json and docs/benchmarks.md, and compares with the
#      docs/benchmarks.json it replaces (same kernel and shift) to report
#      how well the figures repeat
#
# Fails (exit 1) when the VM does not boot or finish, the kernel complains,
# or any measurement cannot be taken; nothing is written then.
# Environment:
#   BENCH_KERNEL=kernel the kernel, a kver or a kernel directory (default: the
#                       newest Debian kernel of kernels.sh)
#   BENCH_SHIFT=N       icount shift: 2^N ns of guest time an instruction (0)
#   BENCH_T=s           guest seconds per iperf3 run (4, TCP omits 1 more)
#   BENCH_SCALES="n..." record counts for nvgre (1000 100000 1000000)
#   BENCH_CP_N=n        records programmed and dumped (100000)
#   BENCH_OUT=dir       where benchmarks.{md,json} go (docs/)
#   BENCH_PROFILE=program  profile programming BENCH_CP_N records with perf
#                       instead (selftests/bench/profile.sh): the tool's and
#                       the kernel's functions, into build/bench/profile.txt;
#                       nothing else is measured or written
#   BENCH_PROFILE=udp   profile the UDP run of gretap and of nvgre instead
#                       (selftests/bench/profile-udp.sh): both rates and the
#                       functions of each, into build/bench/profile-udp.txt
# and run.sh's VM_* (default here VM_SMP=1, VM_MEM=2048).

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_SHIFT=${BENCH_SHIFT:-0}
BENCH_T=${BENCH_T:-4}
BENCH_SCALES=${BENCH_SCALES:-1000 100000 1000000}
BENCH_CP_N=${BENCH_CP_N:-100000}
BENCH_OUT=${BENCH_OUT:-$NVGRE_ROOT/docs}
export VM_SMP=${VM_SMP:-1} VM_MEM=${VM_MEM:-2048}
# Guest time jumps ahead whenever the guest waits for the host (9p), so a
# guest-side timeout means nothing: the wall-clock VM_TIMEOUT bounds the run.
export VM_TIMEOUT=${VM_TIMEOUT:-3000} TEST_TIMEOUT=${TEST_TIMEOUT:-10000000}
# A periodic tick bounds each such jump to one tick (4 ms).
export VM_APPEND="${VM_APPEND:-} nohz=off"
dir=$BUILD_DIR/bench
mkdir -p "$dir"

"$SCRIPTS_DIR/install-deps.sh" >&2
if [[ -n "${BENCH_KERNEL:-}" ]]; then
	kver=$BENCH_KERNEL
else
	# The newest Debian kernel on the host, not the 7.2 from
	# build/trixie: docs/benchmarks.md compares runs on the same kernel.
	kver=$(vm_kernels | grep -v / | tail -n 1)
fi
kernel_resolve "$kver"
spec=$kver
kver=$KVER
make -C "$NVGRE_ROOT/tools" >&2

# gen FILE AWK-PRINT FROM TO: FILE with one line per i in [FROM, TO),
# ca/mac derived from i; written once, then cached.
gen() {
	local f=$dir/$1
	[[ -s "$f" ]] && return 0
	awk -v from="$3" -v to="$4" "BEGIN {
		for (i = from; i < to; i++) {
			a = int(i / 65536) % 256; b = int(i / 256) % 256; c = i % 256
			ca = sprintf(\"10.%d.%d.%d\", 128 + a, b, c)
			mac = sprintf(\"02:01:00:%02x:%02x:%02x\", a, b, c)
			$2
		}
	}" >"$f.tmp"
	mv "$f.tmp" "$f"
}

log "# bench: record files in $dir"
prev=2
for n in $BENCH_SCALES; do
	((n > prev)) || die "BENCH_SCALES must grow from 2: $BENCH_SCALES"
	# The two VMs' own records are there already: n - 2 more in all.
	gen "records-$prev-$n.batch" \
		'printf "add-lookup %s vsid 5001 pa 192.0.2.3 mac %s\n", ca, mac' \
		$((prev - 2)) $((n - 2))
	prev=$n
done
gen "cp-nvgre-$BENCH_CP_N.batch" \
	'printf "add-lookup %s vsid 5001 pa 192.0.2.2 mac %s\n", ca, mac' 0 "$BENCH_CP_N"
gen "cp-vxlan-$BENCH_CP_N.batch" \
	'printf "fdb add %s dev vx0 dst 192.0.2.2\n", mac' 0 "$BENCH_CP_N"
cat >"$dir/params.sh" <<-EOF
# written by scripts/bench.sh
BENCH_T=$BENCH_T
BENCH_SCALES="$BENCH_SCALES"
BENCH_CP_N=$BENCH_CP_N
BENCH_DIR=$dir
EOF

export QEMU_EXTRA="-icount shift=$BENCH_SHIFT,sleep=off"
log "# bench: $kver, $QEMU_EXTRA, VM_SMP=$VM_SMP, VM_MEM=$VM_MEM"
if [[ -n "${BENCH_PROFILE:-}" ]]; then
	case $BENCH_PROFILE in
	program) script=profile.sh out=profile.txt ;;
	udp) script=profile-udp.sh out=profile-udp.txt ;;
	*) die "BENCH_PROFILE=$BENCH_PROFILE: \"program\" or \"udp\"" ;;
	esac
	# The guest runs the host's perf (its root is the host's).
	if ! command -v perf >/dev/null; then
		log "# bench: installing linux-perf"
		apt-get update -q >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends linux-perf >&2
	fi
	"$VM_DIR/run.sh" "$spec" "bench/$script" >"$dir/profile.ktap" ||
		die "the profiling VM failed: $dir/profile.ktap, $BUILD_DIR/vm/$kver/"
	cp "$BUILD_DIR/vm/$kver/results/$script.out" "$dir/$out"
	grep -v '^ok ' "$dir/$out"
	log "# bench: profile in $dir/$out"
	exit 0
fi
t0=$SECONDS
rc=0
"$VM_DIR/run.sh" "$spec" bench/control.sh bench/datapath.sh \
	>"$dir/ktap" || rc=$?
wall=$((SECONDS - t0))
if ((rc)); then
	grep -v '^ok ' "$dir/ktap" >&2 || true
	die "the benchmark VM failed (exit $rc): $dir/ktap, $BUILD_DIR/vm/$kver/"
fi
res=$BUILD_DIR/vm/$kver/results
cat "$res/control.sh.out" "$res/datapath.sh.out" >"$dir/raw.out"
cp "$res/timing" "$dir/timing"
# The run this one replaces, to report how well the figures repeat.
prev=()
if [[ -f "$BENCH_OUT/benchmarks.json" ]]; then
	cp "$BENCH_OUT/benchmarks.json" "$dir/previous.json"
	prev=(--previous "$dir/previous.json")
fi
python3 "$NVGRE_ROOT/selftests/bench/report.py" "${prev[@]}" \
	--raw "$dir/raw.out" --timing "$dir/timing" --kernel "$kver" \
	--shift "$BENCH_SHIFT" --wall "$wall" --smp "$VM_SMP" \
	--json "$BENCH_OUT/benchmarks.json" --md "$BENCH_OUT/benchmarks.md"
