#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh (make check): everything a change must pass, as one KTAP report.
#
#   1. install-deps.sh (installs what is missing)
#   2. make -C tools, then nvgre.ko for every test kernel (kernels.sh: 6.1,
#      6.12 and the trixie-backports 7.2 in build/trixie), W=1, no
#      warnings: all kernels are built before anything boots
#   3. the host checks, in a lane of their own beside the first VM: make
#      -C tools test (the unit tests' KTAP lines count in the totals), the
#      netlink spec, cppcheck, the tool's parsers under libFuzzer (ASan,
#      UBSan; FUZZ_RUNS inputs, default 300,000), and style.sh (checkpatch
#      --strict, sparse on every kernel, in a copy of its own)
#   4. run.sh on every test kernel: the selftests in qemu, plus the VM's
#      checks (no kernel WARN/BUG/oops/lockdep/KASAN/kmemleak report, the
#      module unloads at the end); each kernel's tests shared out between
#      three VMs (CHECK_PARTS), two VMs side by side with one vCPU each
#      (CHECK_JOBS=2, the default; CHECK_JOBS=1: one 2-vCPU VM at a time)
#   5. packaging.sh: make install/uninstall, dkms, the Debian packages
#      built, lintian-clean, installed on this host and booted with in
#      qemu on every kernel, then purged (a few minutes; needs root); it
#      starts as soon as the VMs of the host's Debian kernels are done,
#      beside the remaining ones
#
# Progress goes to stderr; the KTAP report to stdout, ending in
# "N passed, N failed[, N skipped]", and to build/check.ktap.
# Exit status: 0 when everything passed, 1 otherwise.
# Environment: KERNELS="kver..." to choose the kernels, TESTS="a.sh b.sh"
# to run some selftests only, CHECK_FULL=1 to run the fuzzers and the
# stress test on every kernel, not only on 6.12; run.sh's VM_* (VM_TIMEOUT
# 2400 s here) and TEST_TIMEOUT (900 s here: nvgre_fleet.sh, 170 s in a
# guest beside one other, ran past 600 s beside three other VMs).

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$BUILD_DIR/vm"
rec=$BUILD_DIR/check.records
: >"$rec"
R() { printf '%s\n' "$*" >>"$rec"; }
diag() { sed 's/^/# /' >>"$rec"; }
t_start=$SECONDS

"$SCRIPTS_DIR/install-deps.sh" --host-only

# The trixie chroot of the 7.2 kernel (trixie.sh: about 6 minutes the first
# time, mostly downloading and unpacking) is made in the background while
# the Debian kernels' VMs run; 7.2's module is built when its first VM is
# due (trixie_build). TRIXIE is that kernel directory while it is pending.
TRIXIE=
trixie_rc=$BUILD_DIR/trixie.rc
if [[ -z "${KERNELS:-}" && ! -f "$BUILD_DIR/trixie/.nvgre-kernel" ]]; then
	TRIXIE=$BUILD_DIR/trixie
	rm -f "$trixie_rc"
	log "# trixie.sh in the background ($BUILD_DIR/trixie.log)"
	# Not a job of this shell: the lanes' wait -n must not see it end.
	("$SCRIPTS_DIR/trixie.sh" >"$BUILD_DIR/trixie.log" 2>&1
		echo $? >"$trixie_rc") &
	disown
	mapfile -t kernels < <(host_kernels)
	kernels+=("$TRIXIE")
else
	[[ -n "${KERNELS:-}" ]] || "$SCRIPTS_DIR/trixie.sh" >/dev/null ||
		die "no trixie-backports kernel"
	mapfile -t kernels < <(vm_kernels)
fi
((${#kernels[@]})) || die "no test kernels"

# trixie_wait: returns once the background trixie.sh is done, with its
# status (0 when there was none).
trixie_wait() {
	[[ -n "$TRIXIE" ]] || return 0
	while [[ ! -s "$trixie_rc" ]]; do
		sleep 2
	done
	return "$(<"$trixie_rc")"
}

# build K: nvgre.ko for kernel K, with its record.
build() {
	kernel_resolve "$1"
	if module_build "$1"; then
		R "ok $KVER: build: nvgre.ko, W=1 without warnings"
		built+=("$1")
	else
		grep -E -B2 -A4 'warning:|error:' "$BUILD_DIR/$KVER/build.log" |
			head -n 80 | diag || true
		R "not ok $KVER: build: nvgre.ko, W=1 without warnings"
		return 1
	fi
}

# trixie_build: the pending 7.2 kernel's module, once its chroot is ready;
# returns 1 when either failed (its VMs are then not run).
trixie_state=
trixie_build() {
	if [[ -z "$trixie_state" ]]; then
		trixie_state=failed
		if ! trixie_wait; then
			tail -n 40 "$BUILD_DIR/trixie.log" | diag
			R "not ok trixie: the 7.2 kernel's chroot (trixie.sh)"
		elif build "$TRIXIE"; then
			trixie_state=built
		fi
	fi
	[[ $trixie_state == built ]]
}

# ---- host -------------------------------------------------------------------
log "# host: make -C tools"
if make -C "$NVGRE_ROOT/tools" >"$BUILD_DIR/tools.log" 2>&1; then
	R "ok host: make -C tools"
else
	tail -n 40 "$BUILD_DIR/tools.log" | tee /dev/stderr | diag
	R "not ok host: make -C tools"
fi

# ---- nvgre.ko for every kernel, before anything boots -----------------------
# (a pending 7.2: before its first VM)
built=()
for k in "${kernels[@]}"; do
	[[ "$k" == "$TRIXIE" ]] || build "$k" || true
done

# ---- host checks, beside the VMs ---------------------------------------------
# The tool's unit tests, the netlink spec, cppcheck, the parsers under
# libFuzzer and style.sh run on one core while the first VM runs on the
# other (they were a serial phase before any VM booted, with a core idle
# for most of it); their records come first in the report.
hrec=$BUILD_DIR/host.records
HR() { printf '%s\n' "$*" >>"$hrec"; }
hdiag() { sed 's/^/# /' >>"$hrec"; }
host_checks() {
	log "# host: make -C tools test"
	urc=0
	make -C "$NVGRE_ROOT/tools" test >"$BUILD_DIR/unit.log" 2>&1 || urc=$?
	awk -v rc="$urc" '
	/^(not )?ok [0-9]+/ {
		not = ($1 == "not")
		line = $0
		sub(/^(not )?ok [0-9]+ *(- *)?/, "", line)
		print (not ? "not ok " : "ok ") "host: unit: " line
		n++; if (not) bad++
	}
	END {
		if (rc != 0 && bad == 0)
			print "not ok host: make -C tools test: exit status " rc
		else if (n == 0)
			print "ok host: make -C tools test"
	}' "$BUILD_DIR/unit.log" >"$BUILD_DIR/unit.records"
	if grep -q '^not ok' "$BUILD_DIR/unit.records"; then
		tail -n 60 "$BUILD_DIR/unit.log" | tee /dev/stderr | hdiag
	fi
	cat "$BUILD_DIR/unit.records" >>"$hrec"

	# ---- netlink spec against the uapi header; cppcheck on the tool -------------
	log "# host: docs/netlink/nvgre.yaml against include/uapi/linux/nvgre.h"
	/usr/bin/python3 "$SCRIPTS_DIR/check-spec.py" >"$BUILD_DIR/spec.log" 2>&1 || true
	sed -n -E 's/^(not )?ok [0-9]+ /\1ok host: /p; /^# differs/p' "$BUILD_DIR/spec.log" >>"$hrec"
	grep -q '^ok [0-9]' "$BUILD_DIR/spec.log" || HR "not ok host: spec: check-spec.py ran"
	log "# host: cppcheck tools/"
	if make -C "$NVGRE_ROOT/tools" check >"$BUILD_DIR/cppcheck.log" 2>&1; then
		HR "ok host: cppcheck tools/"
	else
		tail -n 20 "$BUILD_DIR/cppcheck.log" | hdiag
		HR "not ok host: cppcheck tools/"
	fi

	# ---- the tool's parsers under libFuzzer with ASan and UBSan -------------------
	# Each harness (tools/fuzz: the command-line parsers, and the configuration
	# file parser with its save/restore round trip) runs FUZZ_RUNS inputs
	# grown from tools/fuzz/seeds; a crash, leak, sanitizer report or failed
	# round trip fails.
	FUZZ_RUNS=${FUZZ_RUNS:-300000}
	fz=$BUILD_DIR/fuzz
	rm -rf "$fz"
	mkdir -p "$fz"
	if make -C "$NVGRE_ROOT/tools" fuzz >"$fz/build.log" 2>&1; then
		for h in parse config; do
			log "# host: libFuzzer fuzz_$h ($FUZZ_RUNS runs)"
			mkdir -p "$fz/corpus-$h"
			if "$NVGRE_ROOT/tools/fuzz/fuzz_$h" -runs="$FUZZ_RUNS" -seed=1 \
				-max_len=2048 -timeout=10 -artifact_prefix="$fz/" \
				"$fz/corpus-$h" "$NVGRE_ROOT/tools/fuzz/seeds" \
				>"$fz/$h.log" 2>&1; then
				HR "ok host: libFuzzer fuzz_$h: $FUZZ_RUNS inputs, no sanitizer report"
			else
				tail -n 40 "$fz/$h.log" | hdiag
				HR "not ok host: libFuzzer fuzz_$h: $FUZZ_RUNS inputs, no sanitizer report"
			fi
		done
	else
		tail -n 40 "$fz/build.log" | hdiag
		HR "not ok host: make -C tools fuzz"
	fi
	log "# host: style (checkpatch, sparse)"
	# sparse runs on every kernel: 7.2's chroot must be there.
	trixie_wait || true
	"$SCRIPTS_DIR/style.sh" --records "$hrec" || true
}

# ---- selftests in qemu ------------------------------------------------------
# The fuzzers and the stress test (100,000 messages, frames and record
# operations each: about 7 minutes of TCG) run on one kernel, the newest
# Debian one (6.12), and every other selftest on every kernel: that keeps
# make check within its budget. CHECK_FULL=1 runs them on every kernel.
HEAVY=" nvgre_nlfuzz.sh nvgre_pktfuzz.sh nvgre_stress.sh "
read -r -a heavy <<<"$HEAVY"
read -r -a tests <<<"${TESTS:-}"
light=()
for t in "$NVGRE_ROOT"/selftests/nvgre_*.sh; do
	t=${t##*/}
	[[ "$HEAVY" == *" $t "* ]] || light+=("$t")
done
# Each kernel's tests are shared out between CHECK_PARTS VMs (default 3),
# by the weights of split_tests (scripts/lib.sh), and CHECK_JOBS VMs
# (default 2) run side by side:
# heaviest first, the host's Debian kernels before kernels from a
# directory, and packaging.sh once the VMs that boot the host's own
# /lib/modules (Debian kernels, which packaging.sh installs the dkms module
# into) are done. Parts keep the two lanes busy to the end, where whole
# kernels left one lane idle for ten minutes. Each VM writes its own
# records, put together in kernel order at the end. Side by side, each
# guest gets one vCPU (VM_SMP default 1): two 2-vCPU guests on a 2-core
# host overcommit it, timing checks grow flaky, and a 6.12 guest once took
# an "Oops: int3" in a static branch being patched (a TCG cross-modified-
# code race between vCPU threads, not nvgre). CHECK_JOBS=1 runs one
# 2-vCPU guest at a time.
export VM_TIMEOUT=${VM_TIMEOUT:-2400} TEST_TIMEOUT=${TEST_TIMEOUT:-900}
jobs_max=${CHECK_JOBS:-2}
((jobs_max >= 1)) || jobs_max=1
((jobs_max == 1)) || export VM_SMP=${VM_SMP:-1}
parts=${CHECK_PARTS:-3}
((parts >= 1)) || parts=1
make -s -C "$NVGRE_ROOT/selftests/lib" >"$BUILD_DIR/helpers.log" 2>&1 ||
	{ cat "$BUILD_DIR/helpers.log" >&2; R "not ok host: selftest helpers build"; }

# Jobs: one VM each, job_kernel[i] running job_tests[i] (words) as part
# job_part[i] ("" when a kernel is not split), job_weight[i] seconds.
job_kernel=() job_part=() job_tests=() job_weight=()
add_jobs() {
	local k=$1 n=0 i=0 w t
	shift
	local -a lines
	mapfile -t lines < <(split_tests "$parts" "$@")
	n=${#lines[@]}
	for ((i = 0; i < n; i++)); do
		read -r w t <<<"${lines[i]}"
		job_kernel+=("$k")
		if ((n > 1)); then
			job_part+=("$((i + 1))of$n")
		else
			job_part+=("")
		fi
		job_tests+=("$t")
		job_weight+=("$w")
	done
}
jk=("${built[@]}")
[[ -z "$TRIXIE" ]] || jk+=("$TRIXIE")
for k in "${jk[@]}"; do
	kt=("${tests[@]}")
	if ((!${#tests[@]})); then
		kt=("${light[@]}")
		[[ "${CHECK_FULL:-0}" == 1 || ${k##*/} == 6.12.* ]] &&
			kt+=("${heavy[@]}")
	fi
	add_jobs "$k" "${kt[@]}"
done

# lane I: job I's VM (vm_part, scripts/lib.sh: the runner check-debug.sh
# uses too).
lane() {
	local i=$1 t
	read -r -a t <<<"${job_tests[i]}"
	vm_part "$BUILD_DIR/vm/lane-$i.records" "${job_part[i]}" \
		"${job_kernel[i]}" "${t[@]}"
}

packaging() {
	local lrec=$1 prc=0
	"$SCRIPTS_DIR/packaging.sh" --records "$lrec" || prc=$?
	if ((prc)) && [[ ! -s "$lrec" ]]; then
		echo "not ok packaging: packaging.sh failed (exit $prc) before any result" >>"$lrec"
	fi
	return 0
}

# The order: jobs of host kernels, then of kernels from a directory; each
# heaviest first.
order=()
mapfile -t order < <(for i in "${!job_kernel[@]}"; do
	[[ ${job_kernel[i]} == */* ]] && d=1 || d=0
	echo "$d ${job_weight[i]} $i"
done | sort -k1,1n -k2,2nr | cut -d' ' -f3)
prec=$BUILD_DIR/vm/lane-packaging.records
: >"$prec"
host_pids=()
packaged=0
# host_done: every host kernel's VM has been started and has finished.
host_done() {
	local p
	for p in "${host_pids[@]}"; do
		kill -0 "$p" 2>/dev/null && return 1
	done
	return 0
}
: >"$hrec"
log "# lane: host checks"
host_checks &
running=1
next=0
while ((next < ${#order[@]} || !packaged)); do
	if ((running >= jobs_max)); then
		wait -n || true
		running=$((running - 1))
		continue
	fi
	if ((!packaged)) &&
		{ ((next >= ${#order[@]})) || [[ ${job_kernel[order[next]]} == */* ]]; } &&
		host_done; then
		log "# lane: packaging"
		packaging "$prec" &
		running=$((running + 1)) packaged=1
		continue
	fi
	if ((next >= ${#order[@]})); then
		# Only packaging is left, behind the host kernels' VMs.
		wait -n || true
		running=$((running - 1))
		continue
	fi
	i=${order[next]}
	next=$((next + 1))
	if [[ "${job_kernel[i]}" == "$TRIXIE" ]] && ! trixie_build; then
		: >"$BUILD_DIR/vm/lane-$i.records"
		continue
	fi
	log "# lane: ${job_kernel[i]}${job_part[i]:+ ${job_part[i]}} (${job_weight[i]} s): ${job_tests[i]}"
	lane "$i" &
	running=$((running + 1))
	[[ ${job_kernel[i]} == */* ]] || host_pids+=($!)
done
wait
cat "$hrec" >>"$rec"
for i in "${!job_kernel[@]}"; do
	cat "$BUILD_DIR/vm/lane-$i.records" >>"$rec"
done
for k in "${kernels[@]}"; do
	[[ " ${built[*]} " == *" $k "* ]] && continue
	if (kernel_resolve "$k") 2>/dev/null; then
		kernel_resolve "$k"
		R "not ok $KVER: selftests not run: nvgre.ko does not build"
	else
		R "not ok $k: selftests not run: no kernel"
	fi
done
cat "$prec" >>"$rec"

R "# make check took $((SECONDS - t_start)) s"
rc=0
ktap_print "$rec" | tee "$BUILD_DIR/check.ktap" || rc=$?
exit $rc
