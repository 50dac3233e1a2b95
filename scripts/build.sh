#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh [kver...]: builds nvgre.ko for each test kernel (default: all of
# scripts/kernels.sh) in build/<kver>/, with W=1; a compiler warning
# fails the build.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if (($#)); then
	kernels=("$@")
else
	mapfile -t kernels < <(vm_kernels)
	((${#kernels[@]})) || die "no test kernels"
fi
rc=0
for k in "${kernels[@]}"; do
	module_build "$k" || rc=1
done
exit $rc
