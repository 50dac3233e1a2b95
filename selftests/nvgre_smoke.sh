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

# shellcheck source-path=SCRIPTDIR source=lib/lib.sh
. "$(dirname "$0")/lib/lib.sh"

loaded() { grep -q '^nvgre ' /proc/modules; }
unloaded() { ! loaded; }

require_root
ktap_plan 3
trap 'cleanup; modprobe -r nvgre 2>/dev/null || true' EXIT

check "modprobe nvgre" modprobe nvgre
check "nvgre is in /proc/modules" loaded
check "modprobe -r nvgre unloads it" eval 'modprobe -r nvgre && unloaded'

ktap_finish
