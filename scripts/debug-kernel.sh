#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: builds the debug kernel of `make check-debug` from
# Debian's linux-source-6.1 with debug.config on top of allnoconfig, and
# prints the directory it is in, laid out like a root filesystem (see
# "Kernels from a directory" in README.md):
#
#   build/debug-kernel/<hash>/boot/vmlinuz-<kver>
#   build/debug-kernel/<hash>/lib/modules/<kver>/   (build -> the tree)
#   build/debug-kernel/<hash>/src/                  the configured tree
#
# <hash> covers debug.config and the linux-source-6.1 package version: the
# kernel is built again (about 20 minutes on 2 cores, niced) only when one
# of them changes. Every option set in debug.config must still be set after
# olddefconfig, or the build stops before it starts.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PKG=linux-source-6.1
TARBALL=/usr/src/linux-source-6.1.tar.xz
frag=$SCRIPTS_DIR/debug.config

version=$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null) || version=
if [[ -z "$version" || ! -r "$TARBALL" ]]; then
	((EUID == 0)) || die "not root: cannot install $PKG"
	log "# debug-kernel: installing $PKG"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "$PKG" flex bison bc libelf-dev \
		libssl-dev >&2
	version=$(dpkg-query -W -f='${Version}' "$PKG")
fi
[[ -r "$TARBALL" ]] || die "$TARBALL missing after installing $PKG"

hash=$({ cat "$frag"; echo "$PKG $version"; } | sha256sum | cut -c1-12)
top=$BUILD_DIR/debug-kernel
dir=$top/$hash
mkdir -p "$top"
exec {lockfd}>"$top/lock"
if ! flock -n "$lockfd"; then
	log "# debug-kernel: waiting for another build"
	flock "$lockfd"
fi

if [[ ! -f "$dir/ok" && ! -f "$dir/configured" ]]; then
	for old in "$top"/*/; do	# other hashes: stale
		[[ -d "$old" && "${old%/}" != "$dir" ]] && rm -rf "$old"
	done
	rm -rf "$dir"
	mkdir -p "$dir"
	log "# debug-kernel: $PKG $version + debug.config -> $dir"
	tar -xf "$TARBALL" -C "$dir"
	mv "$dir"/linux-source-* "$dir/src"
	src=$dir/src
	make -s -C "$src" allnoconfig
	KCONFIG_CONFIG=$src/.config "$src/scripts/kconfig/merge_config.sh" \
		-m -O "$src" "$src/.config" "$frag" >"$dir/merge.log"
	make -s -C "$src" olddefconfig
	missing=$(grep -E '^CONFIG_|^# CONFIG_.* is not set' "$frag" |
		grep -vxF -f "$src/.config" || true)
	[[ -z "$missing" ]] ||
		die "debug.config: not set after olddefconfig: ${missing//$'\n'/, }"
	# A build cut short (killed, machine stopped) resumes from here.
	touch "$dir/configured"
elif [[ ! -f "$dir/ok" ]]; then
	log "# debug-kernel: resuming the interrupted build in $dir"
fi

if [[ ! -f "$dir/ok" ]]; then
	src=$dir/src
	log "# debug-kernel: building (log $dir/build.log)"
	t0=$SECONDS
	if ! nice -n 10 make -C "$src" -j"$(nproc)" bzImage modules \
		>>"$dir/build.log" 2>&1; then
		tail -n 30 "$dir/build.log" >&2
		die "debug kernel build failed: $dir/build.log"
	fi
	kver=$(make -s -C "$src" kernelrelease)
	make -s -C "$src" INSTALL_MOD_PATH="$dir" modules_install \
		>>"$dir/build.log" 2>&1
	ln -sfn "$src" "$dir/lib/modules/$kver/build"
	mkdir -p "$dir/boot"
	cp "$src/arch/x86/boot/bzImage" "$dir/boot/vmlinuz-$kver"
	log "# debug-kernel: $kver built in $((SECONDS - t0)) s"
	echo "$kver" >"$dir/ok"
fi
echo "$dir"
