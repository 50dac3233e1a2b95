#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A network namespace whose nvgre state cannot be allocated: failslab
# fails, one at a time, each slab allocation of nvgre's pernet init in
# unshare(CLONE_NEWNET). The namespace creation fails with ENOMEM (or
# succeeds, where the allocation has a fallback) and unwinds, unregistering
# its loopback device; nvgre's netdevice notifier hears that and must not
# touch the nvgre state the namespace never got. Afterwards namespaces and
# nvgre work as before.
#
#   (one process: unshare(CLONE_NEWNET) with /proc/thread-self/fail-nth)
#
#   then: h1 192.0.2.1 --- br0 (sw) --- 192.0.2.2 h2, VSID 5001
#
# The Nth allocation counts from the write to fail-nth; nvgre's are found
# by counting the allocations of one unshare without nvgre loaded and with
# it: the pernet operations of a module loaded last run last. Needs
# CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS (the debug kernel of
# make check-debug); elsewhere the test is skipped.

. "$(dirname "$0")/lib/lib.sh"

FS=/sys/kernel/debug/failslab
MAC1=02:00:00:00:01:01
MAC2=02:00:00:00:02:01

skip_all()
{
	echo "TAP version 13"
	echo "1..0 # SKIP $1"
	exit 4
}

# The settings this test changes, restored on exit.
saved_ignore=
saved_verbose=
restore_failslab()
{
	[[ -z "$saved_ignore" ]] || echo "$saved_ignore" >"$FS/ignore-gfp-wait"
	[[ -z "$saved_verbose" ]] || echo "$saved_verbose" >"$FS/verbose"
	cleanup
}

# unshare_nth FIRST LAST: for N from LAST down to FIRST, one
# unshare(CLONE_NEWNET) whose Nth slab allocation fails (0: none fails,
# and the allocations are counted). Prints one line per call:
# "N errno injected" (injected: 1 when the Nth allocation was reached),
# or with N 0, "0 errno allocations".
unshare_nth()
{
	python3 - "$1" "$2" <<-'EOF'
	import ctypes, os, sys
	libc = ctypes.CDLL(None, use_errno=True)
	CLONE_NEWNET = 0x40000000
	BIG = 1 << 30
	# Opened once, read with pread(): the file has no lseek, and opening
	# it again would allocate, and count.
	fd = os.open("/proc/thread-self/fail-nth", os.O_RDWR)
	def setnth(n):
	    os.pwrite(fd, b"%d" % n, 0)
	def left():
	    return int(os.pread(fd, 32, 0))
	def one(n):
	    setnth(n or BIG)
	    rc = libc.unshare(CLONE_NEWNET)
	    err = ctypes.get_errno() if rc else 0
	    rest = left()
	    setnth(0)
	    return err, (BIG - rest if not n else int(rest == 0))
	first, last = int(sys.argv[1]), int(sys.argv[2])
	one(0)	# the first namespace of a process costs more
	for n in (range(last, first - 1, -1) if last else [0]):
	    err, res = one(n)
	    print(n, err, res, flush=True)
	EOF
}

# allocations: the slab allocations of one unshare(CLONE_NEWNET), the
# least of three (an allocation that happens once, late, is not nvgre's).
allocations()
{
	local n min=
	for _ in 1 2 3; do
		n=$(unshare_nth 0 0 | awk '$2 == 0 { print $3 }')
		[[ -n "$n" ]] || return 1
		[[ -n "$min" ]] && ((min <= n)) || min=$n
	done
	echo "$min"
}

# fail_each: every allocation from a few before nvgre's to the last fails
# once; each namespace creation fails with ENOMEM or succeeds, at least
# one fails (nvgre's own state, allocated by ops_init()), and the kernel
# log stays clean (run.sh). A device's sysctl directory that cannot be
# made (neigh_sysctl_register(): sit0's, nvgre's net/nvgre) fails the
# creation with ENOBUFS instead, and the kernel prints a stack trace for
# it: the test marks its window in the kernel log (kmsg_mark), where
# run.sh lets a bare "Call Trace" pass and still fails on any WARNING,
# BUG, Oops, KASAN or lockdep report.
fail_each()
{
	local without with out n err enomem=0 ok=0 other=()
	modprobe -r nvgre || return 1
	without=$(allocations) || { modprobe nvgre; return 1; }
	modprobe nvgre || return 1
	with=$(allocations) || return 1
	((with > without)) || {
		echo "no allocations of nvgre: $without without, $with with it"
		return 1
	}
	echo "unshare(CLONE_NEWNET): $without slab allocations, $with with nvgre"
	kmsg_mark "injected failures begin"
	out=$(unshare_nth $((without - 4)) "$with")
	err=$?
	kmsg_mark "injected failures end"
	((err == 0)) || return 1
	while read -r n err _; do
		if ((err == 12 || err == 105)); then
			enomem=$((enomem + 1))
		elif ((err == 0)); then
			ok=$((ok + 1))
		else
			other+=("allocation $n: errno $err")
		fi
	done <<<"$out"
	echo "$enomem ENOMEM or ENOBUFS, $ok created"
	((${#other[@]} == 0)) || { printf '%s\n' "${other[@]}"; return 1; }
	((enomem > 0)) || { echo "no creation failed:"; echo "$out"; return 1; }
}

after()
{
	setup_underlay || return 1
	add_host h1 192.0.2.1 || return 1
	add_host h2 192.0.2.2 || return 1
	add_vm h1 vm1 5001 10.0.0.1 $MAC1 || return 1
	add_vm h2 vm2 5001 10.0.0.2 $MAC2 || return 1
	nsctl h1 add-pa 192.0.2.1 dev ul0 || return 1
	provision h1 h2 <<-EOF || return 1
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1
	add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2
	EOF
	ping_ok vm1 10.0.0.2
}

[[ -w /proc/self/fail-nth ]] ||
	skip_all "no /proc/self/fail-nth: the kernel has no CONFIG_FAULT_INJECTION"
[[ -w "$FS/ignore-gfp-wait" ]] ||
	skip_all "no $FS: the kernel has no CONFIG_FAILSLAB or CONFIG_FAULT_INJECTION_DEBUG_FS"

require_module
ktap_plan 2

# Sleeping allocations (GFP_KERNEL) fail too, quietly: no stack traces in
# the kernel log, which run.sh would take for a splat.
saved_ignore=$(<"$FS/ignore-gfp-wait")
saved_verbose=$(<"$FS/verbose")
trap restore_failslab EXIT
echo N >"$FS/ignore-gfp-wait"
echo 0 >"$FS/verbose"

check "each allocation of nvgre's pernet init fails once: ENOMEM, no oops" \
	fail_each
check "then namespaces, devices, PAs and records work: vm1 pings vm2" after

ktap_finish
