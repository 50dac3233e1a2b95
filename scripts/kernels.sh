#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh: prints the test kernels, one a line: the installed Debian 6.1
# and 6.12 images (/boot/vmlinuz-<kver> with /usr/src/linux-headers-<kver>)
# and the trixie-backports 7.2 kernel directory build/trixie (trixie.sh),
# or the list in KERNELS="kernel1 kernel2" (kvers or kernel directories,
# see kernel_resolve in selftests/vm/lib.sh). A missing kernel is an error.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

vm_kernels
