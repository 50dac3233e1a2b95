#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [options] <kernel> [test...]: boots <kernel> in qemu with
# the host's root as its root (9p + tmpfs overlay, see init.sh), runs the
# selftests in it (default: selftests/nvgre_*.sh) with guest.sh and prints
# KTAP: one line per subtest, as "<kver>: <test>: <subtest>", plus the VM's
# own checks (guest finished, kernel log clean, module unloads).
# <kernel> is a Debian kernel release installed on the host or a kernel
# directory (see kernel_resolve in lib.sh); <kver> is its release.
#
# Options:
#   --no-build        nvgre.ko for <kver> is already built (check.sh)
#   --records FILE    append unnumbered KTAP records to FILE (see lib.sh)
#                     instead of printing a KTAP document
#   --demo            test output is streamed to the terminal
#   --part NAME       this VM runs one part of the kernel's tests, beside
#                     other parts' VMs (check.sh): its own build/vm/<kver>-NAME
#                     directory, and "vm NAME" in the VM's own checks
#   --installed       no build/<kver>/nvgre.ko: the guest uses the nvgre
#                     installed on the host's root and its module index
#                     (packaging.sh: the dkms-built module)
# Environment:
#   VM_TIMEOUT=s      whole VM (default 1200), TEST_TIMEOUT=s per test (600)
#   VM_MEM=MiB (1536), VM_SMP=n (2), VM_CPU=model (max),
#   VM_ACCEL=kvm|tcg (default: kvm when it works, see below),
#   VM_APPEND="..." more kernel parameters
#   NVGRE_GRACE=s     how long captures listen after their sender is done
#                     (selftests/lib/lib.sh: GRACE; default 1.5)
#   QEMU_EXTRA="..." more qemu arguments, split at blanks (bench.sh:
#                    "-icount shift=N,sleep=off")
#
# Exit status: 0 all passed, 1 anything failed or the kernel complained.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build=1 records='' demo=0 installed=0 part=
while (($#)); do
	case "$1" in
	--no-build) build=0 ;;
	--records) records=$2; shift ;;
	--part) part=$2; shift ;;
	--demo) demo=1 ;;
	--installed) installed=1 build=0 ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
	shift
done
(($#)) || die "usage: run.sh [--no-build] [--records FILE] [--demo] <kernel> [test...]"
spec=$1
shift
kernel_resolve "$spec"
kver=$KVER

VM_TIMEOUT=${VM_TIMEOUT:-1200}
TEST_TIMEOUT=${TEST_TIMEOUT:-600}
kernel=$KIMAGE
[[ -r "$kernel" ]] || die "$kernel missing (run scripts/install-deps.sh)"

# The tests, as paths relative to selftests/; each must exist.
tests=()
if (($#)); then
	for t in "$@"; do
		t=${t#"$NVGRE_ROOT"/}
		t=${t#selftests/}
		[[ -f "$NVGRE_ROOT/selftests/$t" ]] || die "test selftests/$t not found"
		tests+=("$t")
	done
else
	for t in "$NVGRE_ROOT"/selftests/nvgre_*.sh; do
		[[ -f "$t" ]] && tests+=("${t#"$NVGRE_ROOT"/selftests/}")
	done
	((${#tests[@]})) || die "no selftests/nvgre_*.sh"
fi

out=$BUILD_DIR/vm/$kver${part:+-$part}
vm=vm${part:+ $part}
name=$kver${part:+ $part}
results=$out/results
console=$out/console.log
rec=$out/records
mkdir -p "$out"
# One run at a time per kernel (or part): the results share is the VM's.
exec {lockfd}>"$out.lock"
if ! flock -n "$lockfd"; then
	log "# $name: waiting for another run.sh on this kernel"
	flock "$lockfd"
fi
rm -rf "$results"
mkdir -p "$results"
: >"$rec"

# build/<kver>, the module index and the initramfs are shared by the parts
# of a kernel: one run.sh at a time prepares them.
exec {preplock}>"$BUILD_DIR/vm/$kver.prep.lock"
flock "$preplock"
if ((build)); then
	module_build "$spec" || die "nvgre.ko does not build for $kver"
fi
# The tests' helper programs (selftests/lib/Makefile), built here: the guest
# sees the host's tree.
make -s -C "$NVGRE_ROOT/selftests/lib" >"$out/helpers.log" 2>&1 ||
	{ cat "$out/helpers.log" >&2; die "selftest helpers do not build"; }
ko=$BUILD_DIR/$kver/nvgre.ko index=''
if ((installed)); then
	ko=installed
else
	[[ -f "$ko" ]] || die "$ko missing"
fi
"$VM_DIR/mkinitramfs.sh" "$spec" "$out/initramfs.cpio.gz"
if ((!installed)); then
	index=$(module_index "$spec") || die "depmod with nvgre.ko failed for $kver"
fi
flock -u "$preplock"

# KVM when /dev/kvm works for this CPU model: a nested /dev/kvm may be
# there and still abort qemu at once ("failed to set MSR"), so a paused
# VM must survive 3 s first. VM_ACCEL=kvm|tcg overrides.
accel=${VM_ACCEL:-}
if [[ -z "$accel" ]]; then
	accel=tcg
	prc=0
	# In a subshell, so that bash's "Aborted" goes to /dev/null too.
	[[ -w /dev/kvm ]] &&
		{ (timeout 3 qemu-system-x86_64 -nodefaults -no-user-config \
			-display none -machine q35 -accel kvm -cpu "${VM_CPU:-max}" \
			-S </dev/null >/dev/null 2>&1; exit $?) 2>/dev/null ||
			prc=$?; } &&
		((prc == 124)) && accel=kvm
fi
printf '%s\n' "${tests[@]}" >"$results/tests"
# no_timer_check: on a loaded host, TCG is too slow for the IO-APIC timer
# check and 7.2 panicked on it ("IO-APIC + timer doesn't work!").
cmdline="console=ttyS0 panic_on_warn=1 oops=panic panic=-1 mitigations=off slab_nomerge"
cmdline+=" no_timer_check"
cmdline+=" nvgrevm.script=$VM_DIR/guest.sh nvgrevm.root=$NVGRE_ROOT"
cmdline+=" nvgrevm.ko=$ko nvgrevm.depmod=$index nvgrevm.timeout=$TEST_TIMEOUT"
[[ -z "${NVGRE_GRACE:-}" ]] || cmdline+=" nvgrevm.grace=$NVGRE_GRACE"
cmdline+=" ${VM_APPEND:-}"
if ((demo)); then
	cmdline+=" nvgrevm.mode=demo quiet"
else
	cmdline+=" nvgrevm.mode=check"
fi
[[ "$NVGRE_ROOT" != *[[:space:]]* ]] ||
	die "the project path must not contain spaces"

qemu=(
	qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot
	-machine q35 -accel "$accel" -cpu "${VM_CPU:-max}" -smp "${VM_SMP:-2}" -m "${VM_MEM:-1536}"
	-kernel "$kernel" -initrd "$out/initramfs.cpio.gz" -append "$cmdline"
	-serial "file:$console"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$results,mount_tag=results,security_model=none,multidevs=remap"
)
if [[ -n "${QEMU_EXTRA:-}" ]]; then
	read -r -a extra <<<"$QEMU_EXTRA"
	qemu+=("${extra[@]}")
fi

log "# $name: booting (accel=$accel, ${#tests[@]} test(s): ${tests[*]})"
t0=$SECONDS
# Under TCG a guest kernel very rarely faults while booting (seen once:
# an int3 in enqueue_timer during text patching, with the host loaded),
# long before nvgre is loaded. A VM that dies before any test started is
# booted once more, and says so; a second failure is reported as usual.
for attempt in 1 2; do
	rm -f "$console"
	: >"$console"
	qrc=0
	timeout -k 10 "$VM_TIMEOUT" "${qemu[@]}" </dev/null >"$out/qemu.log" 2>&1 &
	qpid=$!
	# An interrupted run.sh takes its VM with it (timeout passes the signal on).
	trap 'kill "$qpid" 2>/dev/null || true' EXIT
	trap 'exit 130' INT TERM
	if ((demo)); then
		# Stream the console; the kernel is quiet, guest.sh tees the output.
		tail -n +1 -f --pid="$qpid" "$console" |
			grep --line-buffered -v -e '^nvgre-vm: ' -e 'reboot: Power down' |
			sed -u 's/\r$//' || true
	fi
	wait "$qpid" || qrc=$?
	trap - EXIT INT TERM
	log "# $name: VM ran $((SECONDS - t0)) s (qemu exit $qrc)"
	if ((attempt == 1 && !demo)) && [[ ! -f "$results/done" ]] &&
		! compgen -G "$results/*.out" >/dev/null; then
		cp "$console" "$out/console.boot-failure.log"
		log "# $name: VM died before any test ran (see console.boot-failure.log): booting again"
		printf '# %s: first boot died before any test, booted again\n' \
			"$kver" >>"$rec"
		# A /dev/kvm that qemu cannot use (seen: "failed to set MSR
		# 0x10a" under nested virtualisation) aborts at once: use TCG.
		if [[ $accel == kvm && -z "${VM_ACCEL:-}" ]]; then
			accel=tcg
			qemu=("${qemu[@]/#kvm/tcg}")
			log "# $name: booting again with accel=tcg"
		fi
		continue
	fi
	break
done

# ---- verdicts -------------------------------------------------------------
R() { printf '%s\n' "$*" >>"$rec"; }
diag() { sed 's/^/# /' >>"$rec"; }

if [[ -f "$results/done" ]]; then
	R "ok $kver: $vm: guest ran all tests and powered off"
else
	if ((qrc == 124)); then
		why="VM timed out after ${VM_TIMEOUT}s"
	else
		why="VM did not finish (qemu exit $qrc)"
	fi
	log "# $name: $why: see $console"
	tail -n 40 "$console" | tr -d '\r' | sed 's/^/# | /' >&2
	{ echo "$why: see $console"; tail -n 40 "$console" | tr -d '\r'; } | diag
	if [[ -s "$out/qemu.log" ]]; then
		diag <"$out/qemu.log"
	fi
	R "not ok $kver: $vm: guest ran all tests and powered off"
fi

# Kernel complaints, on the console (which also has what panicked) or in
# the dmesg the guest saved. guest.sh's own lines start with "nvgre-vm: ";
# a PROVE_RCU kernel says "RCU lockdep checking is enabled" at boot. A
# bare stack trace between a test's marks of injected failures (lib.sh:
# kmsg_mark) is the kernel's report of a failure the test caused; a
# WARNING, BUG, Oops, KASAN or lockdep report there still counts.
splats=$(cat "$console" "$results/dmesg.txt" 2>/dev/null | tr -d '\r' |
	awk '/nvgre-selftest: injected failures begin/ { inj = 1 }
	     /nvgre-selftest: injected failures end/ { inj = 0 }
	     !(inj && /Call Trace/)' |
	grep -v '^nvgre-vm: \|RCU lockdep checking is enabled' |
	grep -E -- "$SPLAT_RE" | sort -u || true)
if [[ -z "$splats" ]]; then
	R "ok $kver: $vm: kernel log has no warning, oops, lockdep, KASAN or leak report"
else
	log "# $name: kernel splat:"
	printf '%s\n' "$splats" | sed 's/^/# | /' >&2
	{
		echo "kernel splat, see $console:"
		tr -d '\r' <"$console" | grep -v '^nvgre-vm: ' |
			grep -E -B5 -A25 -- "$SPLAT_RE" | head -n 150 || true
	} | diag
	R "not ok $kver: $vm: kernel log has no warning, oops, lockdep, KASAN or leak report"
fi

# Kernels with CONFIG_DEBUG_KMEMLEAK: the guest scanned after the module
# was unloaded; any object it reports is a leak.
# A kmemleak that disabled itself (out of its object pool) finds nothing.
if [[ -f "$results/kmemleak.txt" ]]; then
	if grep -q 'kmemleak: .*disabled' "$results/dmesg.txt" 2>/dev/null; then
		grep 'kmemleak' "$results/dmesg.txt" | diag
		R "not ok $kver: $vm: kmemleak reports no leak (kmemleak disabled itself)"
	elif [[ -s "$results/kmemleak.txt" ]]; then
		log "# $name: kmemleak report: $results/kmemleak.txt"
		head -n 150 "$results/kmemleak.txt" | diag
		R "not ok $kver: $vm: kmemleak reports no leak"
	else
		R "ok $kver: $vm: kmemleak reports no leak"
	fi
fi

# One test's KTAP output, renumbered later: its top-level result lines only
# (nested subtests are summed up by their parent's line).
test_records() {
	local t=$1 name pfx o rc
	name=$(basename "$t")
	pfx="$kver: $name"
	o=$results/$name.out
	if [[ ! -f "$results/$name.rc" ]]; then
		if [[ -f "$o" ]]; then
			{
				echo "$pfx: the VM stopped while it ran, its last output:"
				tail -n 30 "$o"
			} | diag
			R "not ok $pfx: did not finish (the VM stopped under it)"
		else
			R "not ok $pfx: did not run"
		fi
		return 0
	fi
	rc=$(<"$results/$name.rc")
	awk -v pfx="$pfx" -v rc="$rc" -v tmo="$TEST_TIMEOUT" -v demo="$demo" '
	/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0
			 if (match($0, /# *[Ss][Kk][Ii][Pp].*/)) skipwhy = substr($0, RSTART) }
	/^(not )?ok [0-9]+/ {
		not = ($1 == "not")
		line = $0
		sub(/^(not )?ok [0-9]+ *(- *)?/, "", line)
		print (not ? "not ok " : "ok ") pfx ": " line
		n++; if (not) bad++
	}
	END {
		if (rc == 124 || rc == 137)
			print "not ok " pfx ": timed out after " tmo " s"
		else if (rc == 4 && n == 0)
			print "ok " pfx " " (skipwhy != "" ? skipwhy : "# SKIP")
		else if (rc != 0 && rc != 4 && bad == 0)
			print "not ok " pfx ": exit status " rc
		else if (rc == 0 && n == 0 && demo)
			print "ok " pfx ": exit status 0"
		else if (rc == 0 && n == 0)
			print "not ok " pfx ": no KTAP result lines"
		if (plan && n != plan && rc != 124 && rc != 137)
			print "not ok " pfx ": " n " results for plan 1.." plan
	}' "$o" >"$out/test.rec"
	if grep -q '^not ok' "$out/test.rec"; then
		{
			echo "$pfx: exit $rc, output ($o):"
			tail -n 60 "$o"
		} | diag
	fi
	cat "$out/test.rec" >>"$rec"
	rm -f "$out/test.rec"
}

for t in "${tests[@]}"; do
	test_records "$t"
done

if [[ -f "$results/leftovers.txt" ]]; then
	if [[ -s "$results/leftovers.txt" ]]; then
		diag <"$results/leftovers.txt"
		R "not ok $kver: $vm: tests left no namespace or nvgre link behind"
	else
		R "ok $kver: $vm: tests left no namespace or nvgre link behind"
	fi
fi
if [[ -f "$results/unload.rc" ]]; then
	if [[ $(<"$results/unload.rc") == 0 ]]; then
		R "ok $kver: $vm: nvgre unloads after the tests"
	else
		diag <"$results/unload.out"
		R "not ok $kver: $vm: nvgre unloads after the tests"
	fi
fi

# Where the time went, from the guest's uptime stamps.
if [[ -f "$results/timing" ]]; then
	awk -v k="$name" '{ printf "# %s: time: %s %.1f s\n", k, $1, $3 - $2 }' \
		"$results/timing" >>"$rec"
fi

if [[ -n "$records" ]]; then
	cat "$rec" >>"$records"
	if grep -q '^not ok' "$rec"; then
		exit 1
	fi
else
	ktap_print "$rec"
fi
