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
	local kver found=() spec
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
	host_kernels || exit 1
	[[ -f "$BUILD_DIR/trixie/.nvgre-kernel" ]] ||
		die "no trixie-backports kernel in build/trixie (run scripts/install-deps.sh)"
	(kernel_resolve "$BUILD_DIR/trixie") || exit 1
	echo "$BUILD_DIR/trixie"
}

# host_kernels: the installed Debian 6.1 and 6.12 images whose headers are
# installed too, the newest of each; a missing one is an error.
host_kernels() {
	local want kver found=() img
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
	printf '%s\n' "${found[@]}"
}

# ---- sharing tests out between VMs -------------------------------------
# Seconds a selftest takes in a one-vCPU TCG guest beside other work
# (6.12, 2026-12-07, rounded; nvgre_stress.sh and nvgre_xfrm.sh from the
# make check of that day): only their proportions matter. A test not
# listed weighs 60.
declare -A TEST_WEIGHT=(
	[nvgre_rxcheck.sh]=105 [nvgre_mcast.sh]=100 [nvgre_routing.sh]=95
	[nvgre_ipv6.sh]=90 [nvgre_cli.sh]=85 [nvgre_ndsec.sh]=75
	[nvgre_pa.sh]=70 [nvgre_miss.sh]=65 [nvgre_lifecycle.sh]=55
	[nvgre_datapath.sh]=55 [nvgre_flood.sh]=50 [nvgre_pmtu.sh]=45
	[nvgre_save.sh]=50 [nvgre_xfrm.sh]=50 [nvgre_rtypes.sh]=35
	[nvgre_gateway.sh]=35 [nvgre_gretap.sh]=35 [nvgre_memcg.sh]=30
	[nvgre_nfqueue.sh]=30 [nvgre_ecmp.sh]=30 [nvgre_perm.sh]=20
	[nvgre_events.sh]=15 [nvgre_htab.sh]=10 [nvgre_smoke.sh]=2
	[nvgre_failslab.sh]=2 [nvgre_nlfuzz.sh]=15 [nvgre_pktfuzz.sh]=35
	[nvgre_stress.sh]=125 [nvgre_fleet.sh]=170
	[nvgre_get.sh]=45
)

# On the debug kernel the proportions differ (KASAN makes allocations
# dear, and nvgre_failslab.sh only runs there): seconds measured on it
# beside another VM on 2026-12-07. A test not listed weighs six times its
# TEST_WEIGHT.
declare -A TEST_WEIGHT_DEBUG=(
	[nvgre_ndsec.sh]=540 [nvgre_xfrm.sh]=455 [nvgre_datapath.sh]=270
	[nvgre_lifecycle.sh]=235 [nvgre_nfqueue.sh]=210 [nvgre_memcg.sh]=210
	[nvgre_failslab.sh]=190 [nvgre_pktfuzz.sh]=175 [nvgre_nlfuzz.sh]=70
	[nvgre_perm.sh]=105 [nvgre_htab.sh]=70 [nvgre_smoke.sh]=7
	[nvgre_stress.sh]=900
)

# test_weight TEST: its weight in make check, or on the debug kernel when
# SPLIT_DEBUG=1.
test_weight() {
	local w=${TEST_WEIGHT[$1]:-60}
	if [[ "${SPLIT_DEBUG:-0}" == 1 ]]; then
		w=${TEST_WEIGHT_DEBUG[$1]:-$((w * 6))}
	fi
	echo "$w"
}

# split_tests N TEST...: shares the tests out into at most N parts of about
# equal weight (test_weight; each test, heaviest first, into the lightest
# part) and prints one line per part: "WEIGHT TEST...".
split_tests() {
	local n=$1 t i best
	shift
	local -a bucket=() load=() sorted
	local -A w=()
	(($# < n)) && n=$#
	for ((i = 0; i < n; i++)); do
		bucket[i]='' load[i]=0
	done
	for t in "$@"; do
		w[$t]=$(test_weight "$t")
	done
	mapfile -t sorted < <(for t in "$@"; do
		echo "${w[$t]} $t"
	done | sort -k1,1nr -k2 | cut -d' ' -f2)
	for t in "${sorted[@]}"; do
		best=0
		for ((i = 1; i < n; i++)); do
			((load[i] < load[best])) && best=$i
		done
		bucket[best]+=" $t"
		load[best]=$((load[best] + w[$t]))
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
