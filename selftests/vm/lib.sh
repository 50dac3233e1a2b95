# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the VM harness (sourced, not run). Not to be confused
# with selftests/lib.sh, which the test scripts themselves source.
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

# Test kernels, one spec a line: KERNELS="spec..." or the installed 6.1 and
# 6.12 images whose headers are installed too, and the trixie-backports
# kernel in build/trixie (trixie.sh). A missing kernel is an error, never
# a skip.
vm_kernels() {
	local want kver found=() img spec
	if [[ -n "${KERNELS:-}" ]]; then
		for spec in $KERNELS; do
			if [[ "$spec" == */* ]]; then
				(kernel_resolve "$spec") || exit 1
				found+=("$spec")
				continue
			fi
			kver=$spec
			[[ -e /boot/vmlinuz-$kver ]] ||
				die "KERNELS: /boot/vmlinuz-$kver missing (run selftests/vm/install-deps.sh)"
			[[ -d /usr/src/linux-headers-$kver ]] ||
				die "KERNELS: /usr/src/linux-headers-$kver missing"
			found+=("$kver")
		done
		printf '%s\n' "${found[@]}"
		return 0
	fi
	for want in '6.1.*-amd64' '6.12.*-amd64'; do
		kver=
		for img in /boot/vmlinuz-*; do
			[[ -e "$img" ]] || continue
			# shellcheck disable=SC2053 # $want is a glob on purpose
			[[ ${img#/boot/vmlinuz-} == $want ]] || continue
			[[ -d /usr/src/linux-headers-${img#/boot/vmlinuz-} ]] || continue
			kver=${img#/boot/vmlinuz-}	# the glob sorts: keep the newest
		done
		[[ -n "$kver" ]] ||
			die "no test kernel matching $want with its headers (run selftests/vm/install-deps.sh)"
		found+=("$kver")
	done
	[[ -f "$BUILD_DIR/trixie/.nvgre-kernel" ]] ||
		die "no trixie-backports kernel in build/trixie (run selftests/vm/install-deps.sh)"
	(kernel_resolve "$BUILD_DIR/trixie") || exit 1
	found+=("$BUILD_DIR/trixie")
	printf '%s\n' "${found[@]}"
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

# ---- sharing tests out between VMs -------------------------------------
# Seconds a selftest takes in a one-vCPU TCG guest beside another (make
# check of 2026-11-27 on 6.1 and 6.12, rounded; the fuzzers and the
# stress test run on 6.12 only): only their proportions matter. A test not
# listed weighs 60.
declare -A TEST_WEIGHT=(
	[nvgre_ipv6.sh]=130 [nvgre_mcast.sh]=115 [nvgre_routing.sh]=110
	[nvgre_flood.sh]=100 [nvgre_datapath.sh]=80 [nvgre_rxcheck.sh]=75
	[nvgre_pa.sh]=75 [nvgre_cli.sh]=60 [nvgre_miss.sh]=60
	[nvgre_gateway.sh]=55 [nvgre_rtypes.sh]=55 [nvgre_lifecycle.sh]=50
	[nvgre_save.sh]=50 [nvgre_gretap.sh]=45 [nvgre_pmtu.sh]=40
	[nvgre_ecmp.sh]=25 [nvgre_events.sh]=20 [nvgre_perm.sh]=15
	[nvgre_smoke.sh]=2 [nvgre_nlfuzz.sh]=20 [nvgre_pktfuzz.sh]=55
	[nvgre_stress.sh]=125 [nvgre_htab.sh]=25
)

# split_tests N TEST...: shares the tests out into at most N parts of about
# equal weight (each test, heaviest first, into the lightest part) and
# prints one line per part: "WEIGHT TEST...".
split_tests() {
	local n=$1 t i best
	shift
	local -a bucket=() load=() sorted
	(($# < n)) && n=$#
	for ((i = 0; i < n; i++)); do
		bucket[i]='' load[i]=0
	done
	mapfile -t sorted < <(for t in "$@"; do
		echo "${TEST_WEIGHT[$t]:-60} $t"
	done | sort -k1,1nr -k2 | cut -d' ' -f2)
	for t in "${sorted[@]}"; do
		best=0
		for ((i = 1; i < n; i++)); do
			((load[i] < load[best])) && best=$i
		done
		bucket[best]+=" $t"
		load[best]=$((load[best] + ${TEST_WEIGHT[$t]:-60}))
	done
	for ((i = 0; i < n; i++)); do
		echo "${load[i]}${bucket[i]}"
	done
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
