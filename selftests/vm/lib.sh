# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the VM runner (sourced, not run): kernels, the module
# build and index a guest boots with, what fails a VM, KTAP records. The
# tooling around it (scripts/lib.sh) sources this file too. Not to be
# confused with selftests/lib/lib.sh, which the test scripts source.
#
# Layout of the build tree (all under $NVGRE_ROOT/build, ignored by git):
#   build/<kver>/                module sources copied for <kver> and nvgre.ko
#   build/<kver>/build.log       the W=1 build log
#   build/vm/initramfs-<kver>-<hash>.cpio.gz   cached initramfs
#   build/vm/<kver>/console.log  serial console of the last boot
#   build/vm/<kver>/results/     what the guest wrote (9p share "results")
#   build/vm/<kver>/depmod/      modules.* index with nvgre.ko added

# shellcheck shell=bash

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NVGRE_ROOT=$(cd "$VM_DIR/../.." && pwd)
BUILD_DIR=$NVGRE_ROOT/build
export NVGRE_ROOT

# Kernel log lines that fail a VM run (extended regular expressions).
# shellcheck disable=SC2034 # used by run.sh
SPLAT_RE='WARNING:|BUG:|Oops|Call Trace|lockdep|possible circular locking|KASAN|UBSAN|kmemleak: .* new suspected|general protection fault|RCU stall|rcu: INFO: .* stall|rcu_.* detected stalls|Kernel panic|soft lockup|hung_task|blocked for more than|refcount_t:|list_(add|del) corruption'

log() { printf '%s\n' "$*" >&2; }
die() { printf 'nvgre-vm: error: %s\n' "$*" >&2; exit 1; }

# A test kernel is named by a spec: a Debian kernel release installed on
# the host (/boot/vmlinuz-<kver>, /lib/modules/<kver>, headers in
# /usr/src), or a directory laid out like a root filesystem that holds one
# kernel: <dir>/boot/vmlinuz-<kver> and <dir>/lib/modules/<kver>/ (its
# modules, modules.order, modules.builtin and a "build" link to the tree the
# module is built against). Such a directory is either a chroot with its own
# compiler (<dir>/usr/bin/make: the module is built inside it, build
# resolved in the chroot; trixie.sh) or a kernel built here (build
# resolved on the host; debug-kernel.sh).
#
# kernel_resolve <spec> sets KVER, KROOT (the directory, empty for the
# host), KIMAGE, KMODS (its /lib/modules/<kver>) and KCHROOT (1 when the
# module is built in KROOT as a chroot).
kernel_resolve() {
	local spec=$1 m
	KROOT='' KVER='' KCHROOT=0
	if [[ "$spec" == */* ]]; then
		[[ -d "$spec" ]] || die "kernel directory $spec missing"
		KROOT=$(cd "$spec" && pwd)
		for m in "$KROOT"/lib/modules/*/; do
			m=$(basename "$m")
			[[ -f "$KROOT/boot/vmlinuz-$m" ]] || continue
			# The newest, in version order.
			if [[ -z "$KVER" ]] ||
				[[ $(printf '%s\n%s\n' "$KVER" "$m" | sort -V | tail -n 1) == "$m" ]]; then
				KVER=$m
			fi
		done
		[[ -n "$KVER" ]] ||
			die "$KROOT: no boot/vmlinuz-<kver> with lib/modules/<kver>"
		[[ -x "$KROOT/usr/bin/make" ]] && KCHROOT=1
	else
		KVER=$spec
	fi
	KIMAGE=$KROOT/boot/vmlinuz-$KVER
	KMODS=$KROOT/lib/modules/$KVER
}

# Copy $1 to $2 only when the contents differ, so that make rebuilds what
# changed and nothing else (mtimes alone miss a file reverted to older).
sync_file() {
	if ! cmp -s "$1" "$2"; then
		mkdir -p "$(dirname "$2")"
		cp "$1" "$2"
	fi
}

# Module sources for <kver> in build/<kver>/: Kbuild, kmod/, include/.
module_sync() {
	local out=$1 f rel
	mkdir -p "$out"
	sync_file "$NVGRE_ROOT/Kbuild" "$out/Kbuild"
	while IFS= read -r -d '' f; do
		rel=${f#"$NVGRE_ROOT"/}
		sync_file "$f" "$out/$rel"
	done < <(find "$NVGRE_ROOT/kmod" "$NVGRE_ROOT/include" -type f \
		\( -name '*.[ch]' -o -name '*.sh' -o -name '*.S' \) -print0)
	# Sources that were deleted upstream must not linger in the copy.
	while IFS= read -r -d '' f; do
		rel=${f#"$out"/}
		[[ -e "$NVGRE_ROOT/$rel" ]] || rm -f "$f"
	done < <(find "$out/kmod" "$out/include" -type f \
		\( -name '*.[ch]' -o -name '*.sh' -o -name '*.S' \) \
		! -name '*.mod.c' -print0 2>/dev/null)
}

# in_chroot <dir> <command...>: runs <command> chrooted into <dir> with its
# own /proc (objtool reads it), in a private mount namespace so that no
# mount outlives the command.
in_chroot() {
	local root=$1
	shift
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare --mount --propagation private -- sh -c \
		'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' \
		"$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
		DEBIAN_FRONTEND=noninteractive INITRD=No "$@"
}

# The modules the harness builds: nvgre.ko, and nvgre_selftest.ko (the
# self-test of the record tables, selftests/nvgre_htab.sh), which Kbuild
# makes only when asked to with NVGRE_SELFTEST=m.
MODULES=(nvgre nvgre_selftest)
KBUILD_VARS=(NVGRE_SELFTEST=m)

# Build nvgre.ko and nvgre_selftest.ko for kernel <spec> with W=1 into
# build/<kver>/; any compiler warning is an error. In a chroot kernel
# directory the sources are synced to <dir>/var/tmp/nvgre and built there,
# with the chroot's compiler.
module_build() {
	local KVER KROOT KIMAGE KMODS KCHROOT out kdir rc=0 src m
	kernel_resolve "$1"
	out=$BUILD_DIR/$KVER
	log "# build: nvgre.ko for $KVER"
	if ((KCHROOT)); then
		src=$KROOT/var/tmp/nvgre
		module_sync "$src"
		mkdir -p "$out"
		for m in "${MODULES[@]}"; do
			rm -f "$out/$m.ko"
		done
		in_chroot "$KROOT" make -C "/lib/modules/$KVER/build" \
			M=/var/tmp/nvgre W=1 "${KBUILD_VARS[@]}" -j"$(nproc)" modules \
			>"$out/build.log" 2>&1 || rc=$?
		for m in "${MODULES[@]}"; do
			((rc)) || cp "$src/$m.ko" "$out/$m.ko" || rc=1
		done
	else
		kdir=$KMODS/build
		[[ -d "$kdir" ]] || die "$kdir missing: headers for $KVER not installed"
		module_sync "$out"
		make -C "$kdir" M="$out" W=1 "${KBUILD_VARS[@]}" -j"$(nproc)" modules \
			>"$out/build.log" 2>&1 || rc=$?
		src=$out
	fi
	if ((rc)); then
		sed 's/^/# /' "$out/build.log" >&2
		log "# build: make failed for $KVER (exit $rc): $out/build.log"
		return 1
	fi
	if grep -q 'warning:' "$out/build.log"; then
		grep -B2 -A4 'warning:' "$out/build.log" | sed 's/^/# /' >&2
		log "# build: compiler warnings for $KVER (W=1 must be clean)"
		# Unchanged sources would not be compiled again next time and
		# their warnings would go unseen: drop every object.
		find "$src" -name '*.o' -delete
		for m in "${MODULES[@]}"; do
			rm -f "$out/$m.ko"
		done
		return 1
	fi
	for m in "${MODULES[@]}"; do
		[[ -f "$out/$m.ko" ]] || { log "# build: $out/$m.ko missing"; return 1; }
	done
}

# The module index (modules.dep.bin & co.) of <kver> with extra/nvgre.ko
# and extra/nvgre_selftest.ko added, made on the host: depmod in the guest
# takes 90 s under TCG, here a few seconds. depmod reads the modules
# through a tree of symlinks. Prints the directory that holds the index;
# cached by the modules' hash.
# The index directory is a complete /lib/modules/<kver> (kernel/ is a tree
# of links): the guest of a kernel from a directory uses it as such.
module_index() {
	# shellcheck disable=SC2034 # set by kernel_resolve
	local KVER KROOT KIMAGE KMODS KCHROOT kver base key mods dir m
	kernel_resolve "$1"
	kver=$KVER base=$BUILD_DIR/vm/$KVER/depmod
	mods=$KMODS
	dir=$base/lib/modules/$kver
	key=$(for m in "${MODULES[@]}"; do cat "$BUILD_DIR/$KVER/$m.ko"; done |
		cat - "$mods/modules.order" "$mods/modules.builtin" | sha256sum)
	if [[ ! -f "$dir/modules.dep.bin" || "$(cat "$base/key" 2>/dev/null)" != "$key" ]]; then
		rm -rf "$base"
		mkdir -p "$dir/extra"
		[[ -d "$mods/kernel" ]] && cp -as "$mods/kernel" "$dir/"
		[[ -d "$mods/updates" ]] && cp -as "$mods/updates" "$dir/"
		# An nvgre installed by dkms (updates/dkms, packaging.sh)
		# would shadow the module under test: depmod prefers updates/.
		find "$dir" -path "$dir/updates/*" -name 'nvgre.ko*' -delete
		cp "$mods"/modules.{order,builtin,builtin.modinfo} "$dir/"
		for m in "${MODULES[@]}"; do
			cp "$BUILD_DIR/$KVER/$m.ko" "$dir/extra/$m.ko"
		done
		depmod -b "$base" "$kver" || return 1
		for m in "${MODULES[@]}"; do
			grep -q "^extra/$m.ko:" "$dir/modules.dep" || return 1
		done
		echo "$key" >"$base/key"
	fi
	echo "$dir"
}

# ---- KTAP records -------------------------------------------------------
# A record file holds result lines without numbers ("ok <desc>",
# "not ok <desc>", directives after " # ") and diagnostic lines ("# ...").
# ktap_print numbers them into one KTAP document and prints the totals.
ktap_print() {
	awk '
	/^(not )?ok / { n++ }
	END { print "KTAP version 1"; print "1.." n }' "$@"
	awk '
	/^ok / && / # [Ss][Kk][Ii][Pp]/ { n++; skip++; sub(/^ok /, ""); print "ok " n " " $0; next }
	/^ok /       { n++; pass++; sub(/^ok /, ""); print "ok " n " " $0; next }
	/^not ok /   { n++; fail++; sub(/^not ok /, ""); print "not ok " n " " $0; next }
	{ print }
	END {
		line = (pass + 0) " passed, " (fail + 0) " failed"
		if (skip) line = line ", " skip " skipped"
		print line
		exit fail ? 1 : 0
	}' "$@"
}
