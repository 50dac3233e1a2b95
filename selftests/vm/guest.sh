#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs as PID 1 in the test VM, after init.sh switch_root'ed into the overlay
# of the host's root. Installs the prebuilt nvgre.ko for the running kernel,
# runs the requested test scripts one by one with a timeout, writes their
# output and exit codes to /run/nvgre-results (the host's
# build/vm/<kver>/results), then a "done" marker, and powers off, whatever
# happens (PID 1 must not exit: the kernel would panic).
#
# The test scripts, relative to DIR/selftests, are listed one a line in
# /run/nvgre-results/tests (the command line is limited to 2 KiB).
# Kernel command line (see run.sh):
#   nvgrevm.root=DIR       the project, as seen on the host
#   nvgrevm.ko=FILE        nvgre.ko built for this kernel; "installed": the
#                          one installed on the host's root (run.sh
#                          --installed), with the host's module index
#   nvgrevm.depmod=DIR     modules.* index made on the host with nvgre.ko
#                          in extra/ (else depmod runs here: 90 s on TCG)
#   nvgrevm.timeout=S      per-test timeout in seconds
#   nvgrevm.mode=check|demo  demo: test output also goes to the console
#   nvgrevm.grace=S        NVGRE_GRACE of the tests (selftests/lib/lib.sh: GRACE)

set -uo pipefail

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb
R=/run/nvgre-results

say() { echo "nvgre-vm: $*" >/dev/console; }

uptime_s() { local u _; read -r u _ </proc/uptime; echo "$u"; }

# Never return: PID 1 exiting panics the kernel.
power_off() {
	sync
	busybox poweroff -f 2>/dev/null
	echo o >/proc/sysrq-trigger
	sleep 600
}
trap power_off EXIT

mnt() {	# mnt <type> <dir> [options]
	mountpoint -q "$2" && return 0
	mkdir -p "$2"
	mount -t "$1" -o "${3:-defaults}" "$1" "$2"
}

setup_fs() {
	mnt proc /proc
	mnt sysfs /sys
	mnt devtmpfs /dev
	mnt devpts /dev/pts gid=5,mode=620,ptmxmode=666
	mnt tmpfs /dev/shm mode=1777,nosuid,nodev
	mnt tmpfs /run mode=0755,nosuid,nodev
	# A fresh /tmp, unless the project itself lives there.
	[[ $ROOT == /tmp/* ]] || mnt tmpfs /tmp mode=1777,nosuid,nodev
	mnt debugfs /sys/kernel/debug || true
	mountpoint -q "$R" || { say "results share not mounted"; exit 1; }
	[[ -d "$ROOT/selftests" ]] || { say "nvgrevm.root=$ROOT: no selftests/"; exit 1; }
	ln -sf /proc/self/fd /dev/fd
	hostname nvgre-vm
	ip link set lo up
	# The tests' namespaces inherit IPv6 on and no DAD from here, which
	# saves each of them three sysctl processes (lib.sh: mkns).
	echo 0 >/proc/sys/net/ipv6/conf/all/accept_dad
	echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad
	echo 1 >/proc/sys/net/core/devconf_inherit_init_net
}

parse_cmdline() {
	local arg cmdline
	ROOT='' KO='' DEPMOD='' TIMEOUT=600 MODE=check
	read -r cmdline </proc/cmdline
	for arg in $cmdline; do
		case "$arg" in
		nvgrevm.root=*) ROOT=${arg#*=} ;;
		nvgrevm.ko=*) KO=${arg#*=} ;;
		nvgrevm.depmod=*) DEPMOD=${arg#*=} ;;
		nvgrevm.timeout=*) TIMEOUT=${arg#*=} ;;
		nvgrevm.mode=*) MODE=${arg#*=} ;;
		nvgrevm.grace=*) export NVGRE_GRACE=${arg#*=} ;;
		esac
	done
}

# nvgre.ko (and nvgre_selftest.ko) into /lib/modules/$(uname -r)/extra of
# the overlay, then depmod, so that `modprobe nvgre` works and pulls in its
# dependencies.
install_module() {
	local kver t0
	kver=$(uname -r)
	if [[ $KO == installed ]]; then
		modinfo -n nvgre >/dev/null || { say "no nvgre installed for $kver"; exit 1; }
		return 0
	fi
	[[ -f "$KO" ]] || { say "nvgrevm.ko=$KO: not found"; exit 1; }
	# A kernel from a directory (lib.sh: kernel_resolve) has no modules
	# in the host's /lib/modules: the index directory is a complete
	# /lib/modules/<kver> whose kernel/ links to them.
	if [[ ! -d "/lib/modules/$kver/kernel" && -d "$DEPMOD/kernel" ]]; then
		mkdir -p "/lib/modules/$kver"
		ln -s "$DEPMOD/kernel" "/lib/modules/$kver/kernel"
	fi
	mkdir -p "/lib/modules/$kver/extra"
	cp "$KO" "/lib/modules/$kver/extra/nvgre.ko"
	# The self-test module beside it (lib.sh: module_build).
	if [[ -f "${KO%/*}/nvgre_selftest.ko" ]]; then
		cp "${KO%/*}/nvgre_selftest.ko" "/lib/modules/$kver/extra/"
	fi
	t0=$(uptime_s)
	if [[ -n "$DEPMOD" && -f "$DEPMOD/modules.dep.bin" ]]; then
		cp "$DEPMOD"/modules.* "/lib/modules/$kver/"
	else
		depmod -a "$kver" || { say "depmod failed"; exit 1; }
	fi
	modinfo -n nvgre >/dev/null || { say "nvgre.ko not in the module index"; exit 1; }
	echo "depmod $t0 $(uptime_s)" >>"$R/timing"
}

kmemleak() {	# kmemleak <command>: no-op without CONFIG_DEBUG_KMEMLEAK
	[[ -w /sys/kernel/debug/kmemleak ]] || return 0
	echo "$1" >/sys/kernel/debug/kmemleak
}

run_test() {
	local t=$1 name rc t0
	name=$(basename "$t")
	t0=$(uptime_s)
	say "running $name"
	if [[ $MODE == demo ]]; then
		timeout -k 10 "$TIMEOUT" bash "$t" </dev/null 2>&1 |
			tee "$R/$name.out" >/dev/console
		rc=${PIPESTATUS[0]}
	else
		timeout -k 10 "$TIMEOUT" bash "$t" </dev/null >"$R/$name.out" 2>&1
		rc=$?
	fi
	echo "$rc" >"$R/$name.rc"
	echo "$name $t0 $(uptime_s)" >>"$R/timing"
	say "$name: exit $rc"
}

# Everything a test created must be gone: no namespace, no nvgre link,
# and the module must unload.
check_unload() {
	local rc=0 ns links
	ns=$(ip netns list 2>&1)
	links=$(ip -o link show type nvgre 2>/dev/null)
	{
		[[ -z "$ns" ]] || printf 'namespaces left behind:\n%s\n' "$ns"
		[[ -z "$links" ]] || printf 'nvgre links left behind:\n%s\n' "$links"
	} >"$R/leftovers.txt"
	if grep -q '^nvgre ' /proc/modules; then
		modprobe -r nvgre >"$R/unload.out" 2>&1 || rc=$?
		if ((rc == 0)) && grep -q '^nvgre ' /proc/modules; then
			rc=1
		fi
	else
		echo "nvgre not loaded after the tests" >"$R/unload.out"
	fi
	echo "$rc" >"$R/unload.rc"
}

main() {
	local t
	mnt proc /proc
	parse_cmdline
	setup_fs
	echo "boot 0 $(uptime_s)" >"$R/timing"
	# No periodic kmemleak scan (the first comes 60 s after boot and would
	# report what the boot itself left): only ours, after the tests, and
	# only about what is allocated from here on.
	kmemleak scan=off
	kmemleak clear
	install_module
	cd "$ROOT/selftests" || exit 1
	export PATH="$ROOT/tools:$PATH" NVGRE_ROOT="$ROOT"
	mapfile -t tests <"$R/tests"
	for t in "${tests[@]}"; do
		run_test "$t"
	done
	cd /
	check_unload
	# kmemleak reports an object only once it has been unreferenced
	# for a few seconds: scan, wait, scan again.
	kmemleak scan
	[[ -w /sys/kernel/debug/kmemleak ]] && sleep 6
	kmemleak scan
	if [[ -r /sys/kernel/debug/kmemleak ]]; then
		cat /sys/kernel/debug/kmemleak >"$R/kmemleak.txt"
	fi
	dmesg >"$R/dmesg.txt"
	echo "end 0 $(uptime_s)" >>"$R/timing"
	: >"$R/done"
	say "done"
}

main "$@"
