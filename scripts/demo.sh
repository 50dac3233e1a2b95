#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh (make demo): boots a test kernel in qemu (the newest of
# kernels.sh, or DEMO_KERNEL=kver) and runs selftests/demo.sh in it; its
# output streams to the terminal as it runs. The VM's checks apply: a
# kernel warning or a module that does not unload fails the demo.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ -f "$NVGRE_ROOT/selftests/demo.sh" ]] || die "selftests/demo.sh missing"
"$SCRIPTS_DIR/install-deps.sh"
if [[ -n "${DEMO_KERNEL:-}" ]]; then
	kver=$DEMO_KERNEL
else
	kver=$(vm_kernels | tail -n 1)
fi
make -C "$NVGRE_ROOT/tools" >&2
exec "$VM_DIR/run.sh" --demo "$kver" demo.sh
