#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh <kernel> <out>: writes a gzip'ed cpio initramfs for
# <kernel> (a kver or a kernel directory, see kernel_resolve in lib.sh):
# busybox-static, init.sh as /init and, uncompressed, the modules that mount
# the host's root over virtio-9p with a tmpfs overlay (virtio_pci, 9p,
# 9pnet_virtio, overlay and their dependencies, in load order, as
# `modprobe --show-depends` gives them). Built-in ones are skipped.
#
# The result is cached in build/vm/initramfs-<kver>-<hash>.cpio.gz, <hash>
# covering this script and init.sh; <out> is a copy of (or link to) it.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# == 2)) || die "usage: mkinitramfs.sh <kernel> <out>"
kernel_resolve "$1"
kver=$KVER
out=$2
MODS=(virtio_pci 9pnet_virtio 9p overlay)
BUSYBOX=/bin/busybox

[[ -d "$KMODS" ]] || die "$KMODS missing"
[[ $(LC_ALL=C ldd "$BUSYBOX" 2>&1 || true) == *'not a dynamic'* ]] ||
	die "$BUSYBOX is not static: install busybox-static"

hash=$(cat "${BASH_SOURCE[0]}" "$VM_DIR/init.sh" "$BUSYBOX" "$KMODS/modules.order" \
	"$KMODS/modules.builtin" | sha256sum | cut -c1-12)
cache=$BUILD_DIR/vm/initramfs-$kver-$hash.cpio.gz
mkdir -p "$BUILD_DIR/vm"

if [[ ! -s "$cache" ]]; then
	rm -f "$BUILD_DIR/vm/initramfs-$kver-"*.cpio.gz	# stale hashes
	stage=$(mktemp -d "$BUILD_DIR/vm/initramfs.XXXXXX")
	trap 'rm -rf "$stage"' EXIT
	mkdir -p "$stage"/{bin,modules,proc,sys,dev,lower,rw,newroot}
	cp "$BUSYBOX" "$stage/bin/busybox"
	for applet in $("$BUSYBOX" --list); do
		[[ $applet == busybox ]] || ln -s busybox "$stage/bin/$applet"
	done
	install -m 0755 "$VM_DIR/init.sh" "$stage/init"

	: >"$stage/modules/order"
	for m in "${MODS[@]}"; do
		modprobe -d "${KROOT:-/}" -S "$kver" --show-depends "$m" >"$stage/deps" ||
			die "modprobe -S $kver --show-depends $m failed"
		while read -r verb path _; do
			[[ $verb == insmod ]] || continue   # "builtin <mod>"
			name=$(basename "$path")
			name=${name%.xz}
			name=${name%.zst}
			name=${name%.gz}
			grep -qxF "$name" "$stage/modules/order" && continue
			case "$path" in
			*.xz) xz -dc "$path" >"$stage/modules/$name" ;;
			*.zst) zstd -qdc "$path" >"$stage/modules/$name" ;;
			*.gz) gzip -dc "$path" >"$stage/modules/$name" ;;
			*) cp "$path" "$stage/modules/$name" ;;
			esac
			echo "$name" >>"$stage/modules/order"
		done <"$stage/deps"
	done
	rm -f "$stage/deps"
	(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) |
		gzip -1 >"$cache.tmp"
	mv "$cache.tmp" "$cache"
	log "# initramfs: $cache ($(tr '\n' ' ' <"$stage/modules/order"))"
fi
if [[ "$(realpath -m "$out")" != "$(realpath "$cache")" ]]; then
	cp "$cache" "$out"
fi
