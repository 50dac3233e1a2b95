#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Placeholder for the demo (make demo runs it in a VM through
# selftests/vm/demo.sh): loads the module, shows it, unloads it. The real
# demo, two hypervisors and two tenants, replaces this file.

set -euo pipefail

echo "== modprobe nvgre"
modprobe nvgre
grep '^nvgre ' /proc/modules
modinfo nvgre | grep -E '^(filename|description|license|depends):' || true
echo "== modprobe -r nvgre"
modprobe -r nvgre
echo "demo placeholder done"
