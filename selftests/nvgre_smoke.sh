#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test: the module loads and unloads. No topology: nothing but the
# module itself, in the initial network namespace.
#
#   (no namespaces, no addresses)
#
# KTAP output; exit 0 all passed, 1 a failure, 4 skipped (not root).

set -uo pipefail

n=0 pass=0 fail=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $*"; }
check() {	# check <description> <command...>
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
loaded() { grep -q '^nvgre ' /proc/modules; }
unloaded() { ! loaded; }

echo "KTAP version 1"
if ((EUID != 0)); then
	echo "1..0 # SKIP needs root"
	exit 4
fi
echo "1..3"
cleanup() { modprobe -r nvgre 2>/dev/null || true; }
trap cleanup EXIT

check "modprobe nvgre" modprobe nvgre
check "nvgre is in /proc/modules" loaded
check "modprobe -r nvgre unloads it" eval 'modprobe -r nvgre && unloaded'

echo "$pass passed, $fail failed"
((fail == 0))
