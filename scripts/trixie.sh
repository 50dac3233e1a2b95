#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# trixie.sh: installs, when missing, the newest test kernel: Debian
# trixie-backports' Linux $TRIXIE_KSERIES (default 7.2) image and headers in
# a trixie chroot in build/trixie (debootstrap --variant=minbase), with the
# compiler its headers need. The host's apt sources are never touched. The
# result is a kernel directory (selftests/vm/lib.sh: kernel_resolve): nvgre.ko is built
# inside the chroot, the image boots in qemu on the host's root and its
# modules come from build/trixie/lib/modules/<kver>.
#
# build/trixie/.nvgre-kernel holds the kernel release once all is in place.
# Environment: TRIXIE_MIRROR (default: the host's Debian mirror).

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KSERIES=${TRIXIE_KSERIES:-7.2}
root=$BUILD_DIR/trixie
stamp=$root/.nvgre-kernel

# The mirror the host uses (deb822 or one-line sources).
host_mirror() {
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list.d/*.list 2>/dev/null |
		grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security |
		head -n 1 | tr -d ' ' || true
}

[[ -f "$stamp" ]] && { cat "$stamp"; exit 0; }
((EUID == 0)) || die "not root: cannot debootstrap $root"

mirror=${TRIXIE_MIRROR:-$(host_mirror)}
mirror=${mirror%/}
[[ -n "$mirror" ]] || mirror=http://deb.debian.org/debian
mkdir -p "$BUILD_DIR"
exec {lockfd}>"$BUILD_DIR/trixie.lock"
flock "$lockfd"
[[ -f "$stamp" ]] && { cat "$stamp"; exit 0; }

if ! command -v debootstrap >/dev/null; then
	log "# trixie: installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends debootstrap >&2
fi

t0=$SECONDS
if [[ ! -x "$root/usr/bin/apt-get" ]]; then
	rm -rf "$root"
	log "# trixie: debootstrap --variant=minbase trixie $root $mirror"
	debootstrap --variant=minbase trixie "$root.tmp" "$mirror" >&2 ||
		die "debootstrap failed"
	mv "$root.tmp" "$root"
fi

echo "deb $mirror trixie-backports main" \
	>"$root/etc/apt/sources.list.d/backports.list"
# No daemons in the chroot, no initramfs (the harness builds its own).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"

in_root() { in_chroot "$root" "$@"; }

in_root apt-get update -q >&2
# The newest linux-image-$KSERIES*-amd64 of trixie-backports (not -dbg, not
# -unsigned, not the cloud/rt flavours).
pkg=$(in_root apt-cache search --names-only "^linux-image-${KSERIES//./\\.}[.-].*-amd64\$" |
	awk '{ print $1 }' | grep -vE -- '-(dbg|unsigned)$|-cloud-|-rt-' |
	sort -V | tail -n 1)
[[ -n "$pkg" ]] || die "trixie-backports has no linux-image-$KSERIES*-amd64"
kver=${pkg#linux-image-}
log "# trixie: installing $pkg and its headers"
in_root apt-get install -y -q --no-install-recommends -t trixie-backports \
	"$pkg" "linux-headers-$kver" binutils make kmod sparse >&2
[[ -f "$root/boot/vmlinuz-$kver" ]] || die "$root/boot/vmlinuz-$kver missing"
[[ -d "$root/usr/src/linux-headers-$kver" ]] ||
	die "$root/usr/src/linux-headers-$kver missing"
# The headers' compiler (linux-headers depends on its gcc-N), checked.
in_root make -s -C "/lib/modules/$kver/build" kernelversion >/dev/null ||
	die "the $kver headers do not work in the chroot"
in_root apt-get clean
echo "$kver" >"$stamp"
log "# trixie: $kver ready in $((SECONDS - t0)) s"
echo "$kver"
