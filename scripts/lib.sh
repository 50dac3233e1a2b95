# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the tooling around the VM runner (sourced, not run):
# make check, check-debug, deps, style, demo, bench and the packaging test.
# It sources the VM runner's own helpers (selftests/vm/lib.sh: paths,
# kernels, the module build, KTAP records) and adds the test kernels, the
# sharing of tests out between VMs and the one runner of a VM's part for
# stock and debug kernels.

# shellcheck shell=bash

SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../selftests/vm/lib.sh
. "$SCRIPTS_DIR/../selftests/vm/lib.sh"

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
				die "KERNELS: /boot/vmlinuz-$kver missing (run scripts/install-deps.sh)"
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
			die "no test kernel matching $want with its headers (run scripts/install-deps.sh)"
		found+=("$kver")
	done
	[[ -f "$BUILD_DIR/trixie/.nvgre-kernel" ]] ||
		die "no trixie-backports kernel in build/trixie (run scripts/install-deps.sh)"
	(kernel_resolve "$BUILD_DIR/trixie") || exit 1
	found+=("$BUILD_DIR/trixie")
	printf '%s\n' "${found[@]}"
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
	[nvgre_stress.sh]=125 [nvgre_htab.sh]=10 [nvgre_ndsec.sh]=70
	[nvgre_xfrm.sh]=55 [nvgre_nfqueue.sh]=30 [nvgre_memcg.sh]=25
	[nvgre_failslab.sh]=2 [nvgre_fleet.sh]=130
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

# ---- one VM's part of a check ---------------------------------------------
# vm_part RECORDS PART KERNEL TEST...: boots KERNEL (nvgre.ko built for it
# already) with run.sh and runs the TESTs, as part PART ("1of3"; "" when the
# kernel's tests are not split), writing their records to RECORDS. make
# check and make check-debug run every VM through it, on stock and debug
# kernels alike: run.sh's rules fail a part (a kernel splat, a VM that does
# not finish, a test that did not run or left something behind, a module
# that does not unload), and a run.sh that fails before writing any record
# (no boot, no lock, no initramfs) is one "not ok" line. Returns 0: the
# records carry the result.
vm_part() {
	local lrec=$1 part=$2 k=$3 rrc=0 kver args=()
	shift 3
	: >"$lrec"
	[[ -n "$part" ]] && args=(--part "$part")
	"$VM_DIR/run.sh" --no-build --records "$lrec" "${args[@]}" "$k" "$@" || rrc=$?
	if ((rrc)) && [[ ! -s "$lrec" ]]; then
		kver=$(kernel_resolve "$k" && echo "$KVER") || kver=$k
		echo "not ok $kver${part:+ $part}: run.sh failed (exit $rrc) before any result" >>"$lrec"
	fi
	return 0
}
