#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs what the build, the host unit tests and the qemu selftests need,
# if it is missing, then prints the test kernels found. Idempotent: when all
# packages are installed, it does not touch apt at all.
#
# The test kernels are Debian's 6.1 (bookworm) and 6.12 (bookworm-security)
# images with their headers; they are booted in qemu, never on the host.
# INITRD=No: the harness builds its own initramfs (mkinitramfs.sh).
# The third test kernel, trixie-backports' 7.2, lives in a trixie chroot
# (trixie.sh: a few minutes the first time); linux-source-6.1 and its build
# dependencies are for the debug kernel of make check-debug.
#
# --host-only: the packages only, no trixie chroot (make check-debug).

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PKGS=(
	build-essential make gcc pkg-config bc
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	dwarves
	qemu-system-x86 busybox-static cpio xz-utils zstd
	libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
	iproute2 iputils-ping iperf3 tcpdump kmod ethtool procps
	python3 python3-yaml coreutils util-linux sparse cppcheck
	debootstrap linux-source-6.1 flex bison libelf-dev libssl-dev
	bash-completion dkms dh-dkms debhelper lintian clang
	nftables libnetfilter-queue-dev
	etcd-server etcd-client libcurl4-openssl-dev libjson-c-dev curl
)

host_only=0
[[ "${1:-}" == --host-only ]] && host_only=1

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[[ "$st" == installed ]] || missing+=("$p")
done

if ((${#missing[@]})); then
	((EUID == 0)) || die "not root: cannot install ${missing[*]}"
	log "# install-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive INITRD=No
	apt-get update -q >&2
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
	# Debian enables etcd.service; the fleet test starts its own members,
	# and a host or test VM must not depend on (or collide with) it.
	if [[ " ${missing[*]} " == *" etcd-server "* ]] &&
	   command -v systemctl >/dev/null; then
		systemctl disable --now etcd >&2 || true
	fi
else
	log "# install-deps: all packages present"
fi

((host_only)) && exit 0
"$SCRIPTS_DIR/trixie.sh" >/dev/null || die "no trixie-backports kernel"
kernels=$(vm_kernels) || exit 1
for k in $kernels; do
	log "# install-deps: test kernel $k"
done
