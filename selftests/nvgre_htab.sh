#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The record tables (kmod/htab.c) against a reference model, in the
# kernel: loads nvgre_selftest.ko (kmod/selftest/htab.c, built by the VM
# harness only), whose init runs random inserts, replaces, removes,
# removals by predicate, chunked walks and resizes both ways under the
# table's lock while reader threads look keys up and walk the table under
# RCU alone, and fails to load, printing what went wrong, on any answer
# that differs from the model. Two runs: 4096 keys, where the table grows
# to thousands of buckets and back, and 128 keys, which keep it around its
# smallest arrays, where it resizes most often.
#
#   (no namespaces, no addresses: nothing but the module)
#
# NVGRE_HTAB_OPS=N runs N operations each, not 30000 and 50000 (10000
# and 15000 on a KASAN kernel; longer runs by hand); NVGRE_HTAB_SEED=N repeats the writer of a failed run.
# KTAP output; exit 0 all passed, 1 a failure, 4 skipped (not root).

set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/lib.sh
. "$(dirname "$0")/lib/lib.sh"

loaded() { grep -q '^nvgre_selftest ' /proc/modules; }

require_root
ktap_plan 3
trap 'cleanup; modprobe -r nvgre_selftest 2>/dev/null || true' EXIT

# selftest DESCRIPTION PARAM...: loads the module with PARAMs; it passes
# when the module loads and says "pass". Its report, and what failed, are
# printed as diagnostics.
selftest() {
	local desc=$1 mark out rc=0
	shift
	[[ -z "${NVGRE_HTAB_SEED:-}" ]] || set -- "$@" "seed=$NVGRE_HTAB_SEED"
	mark="nvgre_htab.sh: $$: $desc"
	echo "$mark" >/dev/kmsg
	modprobe nvgre_selftest "$@" 2>&1 | sed 's/^/# /' || rc=$?
	out=$(dmesg | sed -n "\|$mark|,\$p" | grep 'nvgre_selftest' || true)
	# shellcheck disable=SC2001 # one sed for every line
	echo "$out" | sed 's/^/# /'
	if ((rc == 0)) && loaded && grep -q 'nvgre_selftest: htab: pass$' <<<"$out"; then
		ktap_ok "$desc"
	else
		ktap_fail "$desc"
	fi
	modprobe -r nvgre_selftest 2>/dev/null || true
}

# Under KASAN every operation costs about ten times as much (370 s for
# both runs on the debug kernel under TCG): there the runs are shorter,
# long enough still for grows, shrinks and exact walks (the module fails
# a run of 10,000 operations or more that had none of them).
big=30000 small=50000
if kasan_kernel; then
	big=10000 small=15000
fi
ops=${NVGRE_HTAB_OPS:-$big}
selftest "htab: $ops operations on 4096 keys, 2 readers" \
	ops="$ops" keys=4096 readers=2
ops=${NVGRE_HTAB_OPS:-$small}
selftest "htab: $ops operations on 128 keys, 2 readers" \
	ops="$ops" keys=128 readers=2
if loaded; then ktap_fail "nvgre_selftest unloads"; else ktap_ok "nvgre_selftest unloads"; fi

ktap_finish
