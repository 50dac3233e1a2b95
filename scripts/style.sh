#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# style.sh (make style): the module's static checks, one KTAP record each:
#   - checkpatch.pl --strict on kmod/ and the uapi header
#   - sparse (C=2) on every test kernel
# checkpatch.pl comes with the kernel sources, not with Debian's headers
# packages: CHECKPATCH=path, else it is unpacked once from Debian's
# linux-source-6.1 (installed if missing) into build/checkpatch.
#
# --records FILE appends the records to FILE (check.sh); without it a KTAP
# document is printed. Exit status: 0 clean, 1 anything reported.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

records=''
if [[ "${1:-}" == --records ]]; then
	records=$2
fi
out=$BUILD_DIR/style
mkdir -p "$out"
rec=$out/records
: >"$rec"

find_checkpatch()
{
	local tarball dir=$BUILD_DIR/checkpatch
	if [[ -n "${CHECKPATCH:-}" ]]; then
		echo "$CHECKPATCH"
		return
	fi
	if [[ ! -f "$dir/scripts/checkpatch.pl" ]]; then
		tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
		if [[ -z "$tarball" ]]; then
			log "# style: installing linux-source-6.1 for checkpatch.pl"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
				linux-source-6.1 >"$out/apt.log" 2>&1 ||
				{ apt-get update -q >>"$out/apt.log" 2>&1 &&
				  DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
					linux-source-6.1 >>"$out/apt.log" 2>&1; }
			tarball=/usr/src/linux-source-6.1.tar.xz
		fi
		mkdir -p "$dir"
		tar -xJf "$tarball" -C "$dir" --strip-components=1 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch'
	fi
	echo "$dir/scripts/checkpatch.pl"
}

cd "$NVGRE_ROOT"
cp=$(find_checkpatch)
files=(kmod/*.[ch] kmod/selftest/*.c include/uapi/linux/nvgre.h)
if perl "$cp" --no-tree --strict --terse --show-types -f "${files[@]}" \
	>"$out/checkpatch.log" 2>&1 &&
	! grep -qv '^total: 0 errors, 0 warnings, 0 checks' "$out/checkpatch.log"; then
	echo "ok style: checkpatch --strict" >>"$rec"
else
	grep -v '^total: 0 errors, 0 warnings, 0 checks' "$out/checkpatch.log" |
		sed 's/^/# /' >>"$rec"
	echo "not ok style: checkpatch --strict" >>"$rec"
fi

command -v sparse >/dev/null || {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q sparse >"$out/apt.log" 2>&1
}
while read -r spec; do
	kernel_resolve "$spec"
	k=$KVER
	# A copy of its own: make check runs this beside VMs that boot the
	# modules of build/<kver>, which must not be rebuilt under them. C=2
	# checks every source, compiled again or not. A chroot kernel
	# directory (trixie.sh) has its own sparse.
	sparse_make=(make -C "$KMODS/build" M="$BUILD_DIR/style/$k")
	d=$BUILD_DIR/style/$k
	if ((KCHROOT)); then
		sparse_make=(in_chroot "$KROOT" make -C "/lib/modules/$k/build"
			M=/var/tmp/nvgre-style)
		d=$KROOT/var/tmp/nvgre-style
	fi
	module_sync "$d"
	if "${sparse_make[@]}" "${KBUILD_VARS[@]}" C=2 -j"$(nproc)" modules \
		>"$out/sparse-$k.log" 2>&1 &&
		! grep -E 'warning:|error:' "$out/sparse-$k.log" >/dev/null; then
		echo "ok style: $k: sparse (C=2)" >>"$rec"
	else
		grep -E 'warning:|error:' "$out/sparse-$k.log" | head -n 40 |
			sed 's/^/# /' >>"$rec"
		echo "not ok style: $k: sparse (C=2)" >>"$rec"
	fi
done < <(vm_kernels)

if [[ -n "$records" ]]; then
	cat "$rec" >>"$records"
	! grep -q '^not ok' "$rec"
else
	ktap_print "$rec"
fi
