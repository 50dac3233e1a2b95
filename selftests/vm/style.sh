#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# style.sh (make style): checkpatch.pl --strict on the module's sources and
# the uapi header. checkpatch.pl comes with the kernel sources, not with
# Debian's headers packages: CHECKPATCH=path, or the first one found in
# /usr/src/linux-source-*/scripts, /usr/src/linux-headers-*/scripts or
# /usr/share/*/scripts. Without one: exit 4 (skipped).

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cp=${CHECKPATCH:-}
if [[ -z "$cp" ]]; then
	for c in /usr/src/linux-source-*/scripts/checkpatch.pl \
		/usr/src/linux-headers-*/scripts/checkpatch.pl \
		/usr/share/*/scripts/checkpatch.pl; do
		[[ -f "$c" ]] && { cp=$c; break; }
	done
fi
if [[ -z "$cp" ]]; then
	log "style: no checkpatch.pl found (Debian's linux-headers do not ship it;"
	log "style: it is in the kernel sources, e.g. linux-source-6.1 or a kernel"
	log "style: tree: CHECKPATCH=/path/to/scripts/checkpatch.pl make style)"
	exit 4
fi

cd "$NVGRE_ROOT"
files=(kmod/*.[ch] include/uapi/linux/nvgre.h)
perl "$cp" --no-tree --strict --show-types -f "${files[@]}"
