#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-debug.sh (make check-debug): the whole selftest suite on the debug
# kernel (debug-kernel.sh: KASAN, lockdep with PROVE_RCU, atomic-sleep
# checks, kmemleak, UBSAN, debugobjects for rcu_heads, list and net
# debugging), as one KTAP report on stdout and in build/check-debug.ktap.
#
# run.sh boots it with panic_on_warn=1, so any WARN, lockdep, KASAN or
# UBSAN report ends the VM and fails; after the module is unloaded the guest
# scans kmemleak twice and any suspected leak fails the run.
# Debug kernels under TCG are slow: the timeouts are raised (VM_TIMEOUT,
# default 3600 s, TEST_TIMEOUT 1500 s) and the VM gets more memory for
# KASAN's shadow (VM_MEM 2048). TESTS="a.sh b.sh" runs some tests only.
# The tests are shared out between CHECK_JOBS VMs (default 2) that run side
# by side with one vCPU each, each VM run by vm_part (scripts/lib.sh) as in
# make check: the same KTAP records and failure rules.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$BUILD_DIR/vm"
rec=$BUILD_DIR/check-debug.records
: >"$rec"
R() { printf '%s\n' "$*" >>"$rec"; }
diag() { sed 's/^/# /' >>"$rec"; }
t_start=$SECONDS

"$SCRIPTS_DIR/install-deps.sh" --host-only
dir=$("$SCRIPTS_DIR/debug-kernel.sh") || die "the debug kernel does not build"
kernel_resolve "$dir"
R "# debug kernel $KVER from $dir ($((SECONDS - t_start)) s to build or find)"

export VM_TIMEOUT=${VM_TIMEOUT:-3600} TEST_TIMEOUT=${TEST_TIMEOUT:-1500}
export VM_MEM=${VM_MEM:-2048}
# Captures listen 6 s, not 1.5, after their sender is done
# (selftests/lib/lib.sh: GRACE).
export NVGRE_GRACE=${NVGRE_GRACE:-6}
read -r -a tests <<<"${TESTS:-}"
if ((!${#tests[@]})); then
	for t in "$NVGRE_ROOT"/selftests/nvgre_*.sh; do
		tests+=("${t##*/}")
	done
fi
jobs_max=${CHECK_JOBS:-2}
((jobs_max >= 1)) || jobs_max=1
((jobs_max == 1)) || export VM_SMP=${VM_SMP:-1}
if module_build "$dir"; then
	R "ok $KVER: build: nvgre.ko, W=1 without warnings"
	mapfile -t parts < <(SPLIT_DEBUG=1 split_tests "$jobs_max" "${tests[@]}")
	for i in "${!parts[@]}"; do
		read -r w pt <<<"${parts[i]}"
		read -r -a pt <<<"$pt"
		part=
		((${#parts[@]} > 1)) && part=$((i + 1))of${#parts[@]}
		log "# check-debug: ${part:-one VM} (about ${w} s): ${pt[*]}"
		vm_part "$BUILD_DIR/vm/debug-$i.records" "$part" "$dir" "${pt[@]}" &
	done
	wait
	for i in "${!parts[@]}"; do
		cat "$BUILD_DIR/vm/debug-$i.records" >>"$rec"
	done
else
	grep -E -B2 -A4 'warning:|error:' "$BUILD_DIR/$KVER/build.log" |
		head -n 80 | diag || true
	R "not ok $KVER: build: nvgre.ko, W=1 without warnings"
	R "not ok $KVER: selftests not run: nvgre.ko does not build"
fi

R "# make check-debug took $((SECONDS - t_start)) s"
rc=0
ktap_print "$rec" | tee "$BUILD_DIR/check-debug.ktap" || rc=$?
exit $rc
