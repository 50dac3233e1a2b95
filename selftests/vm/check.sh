#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh (make check): everything a change must pass, as one KTAP report.
#
#   1. install-deps.sh (installs what is missing)
#   2. host: make -C tools, make -C tools test (the unit tests' KTAP lines
#      count in the totals)
#   3. nvgre.ko for every test kernel (kernels.sh: 6.1, 6.12 and the
#      trixie-backports 7.2 in build/trixie), W=1, no warnings: all
#      kernels are built before anything boots
#   4. style.sh: checkpatch --strict and sparse on every kernel
#   5. run.sh on every test kernel: the selftests in qemu, plus the VM's
#      checks (no kernel WARN/BUG/oops/lockdep/KASAN/kmemleak report, the
#      module unloads at the end)
#   6. packaging.sh: make install/uninstall, dkms, the Debian packages
#      built, lintian-clean, installed on this host and booted with in
#      qemu on every kernel, then purged (a few minutes; needs root)
#
# Progress goes to stderr; the KTAP report to stdout, ending in
# "N passed, N failed[, N skipped]", and to build/check.ktap.
# Exit status: 0 when everything passed, 1 otherwise.
# Environment: KERNELS="kver..." to choose the kernels, TESTS="a.sh b.sh"
# to run some selftests only, CHECK_FULL=1 to run the fuzzers and the
# stress test on every kernel, not only on 6.12; run.sh's VM_* (VM_TIMEOUT
# 2400 s here) and TEST_TIMEOUT.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$BUILD_DIR/vm"
rec=$BUILD_DIR/check.records
: >"$rec"
R() { printf '%s\n' "$*" >>"$rec"; }
diag() { sed 's/^/# /' >>"$rec"; }
t_start=$SECONDS

"$VM_DIR/install-deps.sh"
mapfile -t kernels < <(vm_kernels)
((${#kernels[@]})) || die "no test kernels"

# ---- host -------------------------------------------------------------------
log "# host: make -C tools"
if make -C "$NVGRE_ROOT/tools" >"$BUILD_DIR/tools.log" 2>&1; then
	R "ok host: make -C tools"
else
	tail -n 40 "$BUILD_DIR/tools.log" | tee /dev/stderr | diag
	R "not ok host: make -C tools"
fi

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
	tail -n 60 "$BUILD_DIR/unit.log" | tee /dev/stderr | diag
fi
cat "$BUILD_DIR/unit.records" >>"$rec"

# ---- netlink spec against the uapi header; cppcheck on the tool -------------
log "# host: docs/netlink/nvgre.yaml against include/uapi/linux/nvgre.h"
/usr/bin/python3 "$NVGRE_ROOT/selftests/check-spec.py" >"$BUILD_DIR/spec.log" 2>&1 || true
sed -n -E 's/^(not )?ok [0-9]+ /\1ok host: /p; /^# differs/p' "$BUILD_DIR/spec.log" >>"$rec"
grep -q '^ok [0-9]' "$BUILD_DIR/spec.log" || R "not ok host: spec: check-spec.py ran"
log "# host: cppcheck tools/"
if make -C "$NVGRE_ROOT/tools" check >"$BUILD_DIR/cppcheck.log" 2>&1; then
	R "ok host: cppcheck tools/"
else
	tail -n 20 "$BUILD_DIR/cppcheck.log" | diag
	R "not ok host: cppcheck tools/"
fi

# ---- nvgre.ko for every kernel, before anything boots -----------------------
built=()
for k in "${kernels[@]}"; do
	kernel_resolve "$k"
	if module_build "$k"; then
		R "ok $KVER: build: nvgre.ko, W=1 without warnings"
		built+=("$k")
	else
		grep -E -B2 -A4 'warning:|error:' "$BUILD_DIR/$KVER/build.log" |
			head -n 80 | diag || true
		R "not ok $KVER: build: nvgre.ko, W=1 without warnings"
	fi
done

# ---- static checks: checkpatch --strict, sparse -------------------------------
log "# host: style (checkpatch, sparse)"
"$VM_DIR/style.sh" --records "$rec" || true

# ---- selftests in qemu ------------------------------------------------------
# The fuzzers and the stress test (100,000 messages, frames and record
# operations each: about 7 minutes of TCG) run on one kernel, the newest
# Debian one (6.12), and every other selftest on every kernel: that keeps
# make check within its budget. CHECK_FULL=1 runs them on every kernel.
HEAVY=" nvgre_nlfuzz.sh nvgre_pktfuzz.sh nvgre_stress.sh "
read -r -a tests <<<"${TESTS:-}"
light=()
for t in "$NVGRE_ROOT"/selftests/nvgre_*.sh; do
	t=${t##*/}
	[[ "$HEAVY" == *" $t "* ]] || light+=("$t")
done
# A VM runs every test of its kernel in one boot.
export VM_TIMEOUT=${VM_TIMEOUT:-2400}
for k in "${built[@]}"; do
	before=$(wc -l <"$rec")
	rrc=0
	kt=("${tests[@]}")
	if ((!${#tests[@]})) && [[ "${CHECK_FULL:-0}" != 1 && ${k##*/} != 6.12.* ]]; then
		kt=("${light[@]}")
	fi
	"$VM_DIR/run.sh" --no-build --records "$rec" "$k" "${kt[@]}" || rrc=$?
	if ((rrc)) && (($(wc -l <"$rec") == before)); then
		R "not ok $k: run.sh failed (exit $rrc) before any result"
	fi
done
for k in "${kernels[@]}"; do
	kernel_resolve "$k"
	[[ " ${built[*]} " == *" $k "* ]] || R "not ok $KVER: selftests not run: nvgre.ko does not build"
done

# ---- packaging: make install, dkms, Debian packages, boot with them -------
before=$(wc -l <"$rec")
prc=0
"$VM_DIR/packaging.sh" --records "$rec" || prc=$?
if ((prc)) && (($(wc -l <"$rec") == before)); then
	R "not ok packaging: packaging.sh failed (exit $prc) before any result"
fi

R "# make check took $((SECONDS - t_start)) s"
rc=0
ktap_print "$rec" | tee "$BUILD_DIR/check.ktap" || rc=$?
exit $rc
