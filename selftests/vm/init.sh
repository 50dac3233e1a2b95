#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test initramfs (busybox sh; mkinitramfs.sh puts it there).
# Mounts the host's / read-only over virtio-9p (tag "hostroot"), puts a tmpfs
# overlay on top, mounts the 9p share "results" read-write at
# /run/nvgre-results and switch_roots into the overlay, where the guest
# script named by nvgrevm.script= runs as PID 1.
#
# The parameters are named nvgrevm.* and not nvgre.*: modprobe would hand
# nvgre.* options from the kernel command line to the nvgre module.

export PATH=/bin

fail() {
	echo "nvgre-vm: init: $*" >/dev/console
	echo "nvgre-vm: init failed, powering off" >/dev/console
	poweroff -f
	echo o >/proc/sysrq-trigger
	sleep 60
}

mkdir -p /proc /sys /dev /lower /rw /newroot
mount -t proc proc /proc || fail "mount /proc"
mount -t sysfs sysfs /sys || fail "mount /sys"
mount -t devtmpfs devtmpfs /dev || fail "mount /dev"

while read -r m; do
	insmod "/modules/$m" || fail "insmod $m"
done </modules/order

script=
cache=loose
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	nvgrevm.script=*) script=${arg#nvgrevm.script=} ;;
	nvgrevm.cache=*) cache=${arg#nvgrevm.cache=} ;;
	esac
done
[ -n "$script" ] || fail "no nvgrevm.script= on the kernel command line"

p9="trans=virtio,version=9p2000.L,msize=512000"
# cache=loose: the host's root does not change under a test run, and
# caching makes exec much cheaper under TCG.
mount -t 9p -o "$p9,cache=$cache,ro" hostroot /lower || fail "mount 9p hostroot"
mount -t tmpfs -o mode=0755 tmpfs /rw || fail "mount tmpfs"
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
	overlay /newroot || fail "mount overlay"

mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /newroot/run || fail "mount /run"
mkdir -p /newroot/run/nvgre-results
mount -t 9p -o "$p9" results /newroot/run/nvgre-results || fail "mount 9p results"

for d in proc sys dev; do
	mount --move "/$d" "/newroot/$d" || fail "move /$d"
done

[ -e "/newroot$script" ] || fail "$script: not found in the host root"
read -r up idle </newroot/proc/uptime
: "$idle"
echo "nvgre-vm: init: root mounted at ${up}s, starting $script" >/dev/console
exec switch_root /newroot /bin/bash "$script"
