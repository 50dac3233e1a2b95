#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Isolation and permissions: what root without CAP_NET_ADMIN can do (read
# devices and counters, nothing else), that one namespace's records and
# devices are invisible and unreachable from another, and that a process
# which owns its user and network namespace (unshare -Urn) manages its own
# devices and records and nothing of a namespace it does not own.
# nvgre_cli.sh checks the tool's messages for an unprivileged user; this
# test asks the kernel directly (selftests/lib/nlfuzz probe) for every command,
# do and dump, as uid 0 with the capability dropped.
#
#   a: nv5001 (vsid 5001), record 10.0.0.1 vsid 5001 pa 192.0.2.1
#   b: nothing of its own (lo only)
#   unshare -Urn: nvu (vsid 5001), records of its own

. "$(dirname "$0")/lib/lib.sh"

NLFUZZ=$LIB_DIR/nlfuzz
MAC1=02:00:00:00:01:01
REC="10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1"
# uid 0 without CAP_NET_ADMIN: dropped from the bounding set, the program
# run gets no CAP_NET_ADMIN.
NOCAP=(setpriv --bounding-set=-net_admin --inh-caps=-net_admin)

# probe NS WANT ARGS...: nlfuzz probe in namespace NS prints WANT (a prefix).
probe()
{
	local ns=$1 want=$2 out
	shift 2
	out=$(on "$ns" "$NLFUZZ" probe "$@" 2>&1)
	[[ "$out" == "$want"* ]] && return 0
	echo "probe $*: '$out', want '$want...'"
	return 1
}

nocap_probe()
{
	local want=$1 out
	shift
	out=$(on a "${NOCAP[@]}" "$NLFUZZ" probe "$@" 2>&1)
	[[ "$out" == "$want"* ]] && return 0
	echo "probe $* without CAP_NET_ADMIN: '$out', want '$want...'"
	return 1
}

cap_dropped()
{
	local eff
	eff=$(on a "${NOCAP[@]}" awk '/^CapEff/ { print $2 }' /proc/self/status)
	# CAP_NET_ADMIN is bit 12
	((!(0x$eff & (1 << 12)) && (0x$eff & (1 << 21)))) ||
		{ echo "CapEff $eff: want CAP_SYS_ADMIN without CAP_NET_ADMIN"; return 1; }
}

a_unchanged()
{
	local out
	out=$(nsctl a show-lookup)
	[[ "$out" == "$REC" ]] || { echo "a's records: '$out'"; return 1; }
	on a ip link show nv5001 >/dev/null
}

nocap_cli()
{
	local cmd=("$@") out rc=0
	out=$(on a "${NOCAP[@]}" "$NVGRECTL" "${cmd[@]}" 2>&1) || rc=$?
	((rc == 2)) && [[ "$out" == "Error: Operation not permitted." ]] && return 0
	echo "nvgrectl ${cmd[*]} without CAP_NET_ADMIN: exit $rc: $out"
	return 1
}

other_ns_sees_nothing()
{
	local out
	out=$(nsctl b show-lookup) && [[ -z "$out" ]] ||
		{ echo "b's show-lookup: '$out'"; return 1; }
	out=$(nsctl b show-link) && [[ -z "$out" ]] ||
		{ echo "b's show-link: '$out'"; return 1; }
	probe b "ok 0" 4 dump || return 1
	probe b "ok 0" 6 dump
}

b_del_misses()
{
	check_fail_quiet "No record for this CA in this VSID" nsctl b del-lookup 10.0.0.1 vsid 5001
}

# check_fail_quiet TEXT CMD...: CMD fails saying TEXT.
check_fail_quiet()
{
	local want=$1 out
	shift
	out=$("$@" 2>&1) && { echo "$* succeeded"; return 1; }
	[[ "$out" == *"$want"* ]] || { echo "$*: '$out', want '$want'"; return 1; }
}

b_own_records()
{
	nsctl b add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.99 mac 02:00:00:00:99:01 || return 1
	nsctl b flush-lookup || return 1
	a_unchanged
}

# The user+net namespace manages its own device and records.
userns_own()
{
	local out
	out=$(unshare -Urn bash -c "
		set -e
		'$NVGRECTL' add-link nvu vsid 5001
		'$NVGRECTL' add-lookup $REC
		'$NVGRECTL' replace-lookup 10.0.0.1 vsid 5001 pa 192.0.2.7 mac $MAC1
		'$NVGRECTL' add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:02:01
		'$NVGRECTL' del-lookup 10.0.0.2 vsid 5001
		'$NVGRECTL' add-lookup 10.0.0.3 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:02:03
		'$NVGRECTL' show-lookup
		'$NVGRECTL' show-link nvu | head -n 1
		'$NVGRECTL' del-link nvu
		'$NVGRECTL' add-link nvu vsid 5001
	" 2>&1) || { echo "$out"; return 1; }
	local want="10.0.0.1 vsid 5001 pa 192.0.2.7 mac $MAC1
10.0.0.3 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:02:03"
	[[ "$(grep ' pa ' <<<"$out" | sort)" == "$want" ]] ||
		{ echo "records in the user namespace's netns: $out"; return 1; }
	grep -q '^nvu' <<<"$out" || { echo "show-link: $out"; return 1; }
}

# A user namespace's root in a namespace that another user namespace owns.
userns_foreign()
{
	local c out rc
	for c in "add-lookup $REC" "replace-lookup $REC" "del-lookup 10.0.0.1 vsid 5001" \
		"flush-lookup" "show-lookup" "add-link nvx vsid 5002" "del-link nv5001"; do
		rc=0
		# shellcheck disable=SC2086 # c is a command line
		out=$(on a unshare -Ur "$NVGRECTL" $c 2>&1) || rc=$?
		if ((rc != 2)) || [[ "$out" != "Error: Operation not permitted." ]]; then
			echo "unshare -Ur nvgrectl $c in a: exit $rc: $out"
			return 1
		fi
	done
	a_unchanged
}

slab_objs()
{
	echo 1 >/sys/kernel/slab/nvgre_lookup/shrink
	awk '$1 == "nvgre_lookup" { print $2 }' /proc/slabinfo
}

# The user namespace's netns went away with its process: so did its
# records and device.
userns_gone()
{
	local now
	for _ in $(seq 50); do
		now=$(slab_objs)
		((now == SLAB0)) && return 0
		sleep 0.2
	done
	echo "nvgre_lookup objects: $SLAB0 before, $now after the namespace's end"
	return 1
}

require_module
[[ -x "$NLFUZZ" ]] || { echo "Bail out! $NLFUZZ not built (make -C selftests/lib)"; exit 1; }
ktap_plan 21

mkns a
mkns b
nsctl a add-link nv5001 vsid 5001
nsctl a add-lookup $REC
IFX=$(on a cat /sys/class/net/nv5001/ifindex)
if on b ip -o link show | grep -q "^$IFX:"; then
	on b ip link add dummy0 type dummy	# shift b's ifindex past a's
fi

check "setpriv drops CAP_NET_ADMIN and keeps the rest" cap_dropped
check "no CAP_NET_ADMIN: LOOKUP_ADD refused (EPERM)" \
	nocap_probe "error EPERM" 1 vsid 5001 ca4 10.0.0.2 pa4 192.0.2.2 mac 02:00:00:00:02:01
check "no CAP_NET_ADMIN: LOOKUP_REPLACE refused (EPERM)" \
	nocap_probe "error EPERM" 2 vsid 5001 ca4 10.0.0.1 pa4 192.0.2.2 mac $MAC1
check "no CAP_NET_ADMIN: LOOKUP_DEL refused (EPERM)" \
	nocap_probe "error EPERM" 3 vsid 5001 ca4 10.0.0.1
check "no CAP_NET_ADMIN: LOOKUP_GET refused (EPERM)" \
	nocap_probe "error EPERM" 4 vsid 5001 ca4 10.0.0.1
check "no CAP_NET_ADMIN: LOOKUP_GET dump refused (EPERM)" nocap_probe "error EPERM" 4 dump
check "no CAP_NET_ADMIN: LOOKUP_FLUSH refused (EPERM)" nocap_probe "error EPERM" 5
check "no CAP_NET_ADMIN: LINK_GET allowed (documented)" nocap_probe "ok 1" 6 ifindex "$IFX"
check "no CAP_NET_ADMIN: NS_STATS_GET allowed (documented)" nocap_probe "ok 1" 7
check "no CAP_NET_ADMIN: add-link and del-link refused (EPERM)" \
	eval 'nocap_cli add-link nvx vsid 5002 && nocap_cli del-link nv5001'
check "no CAP_NET_ADMIN: nothing changed" a_unchanged
check "b: a's device by its ifindex: No such device" \
	probe b "error ENODEV: No such device" 6 ifindex "$IFX"
check "b: a's record by its key: no record" \
	probe b "error ENOENT: No record for this CA in this VSID" 4 vsid 5001 ca4 10.0.0.1
check "b: dumps show none of a's records or devices" other_ns_sees_nothing
check "b: del-lookup of a's record finds none" b_del_misses
check "b: its own record with a's key, flushed, leaves a's alone" b_own_records
SLAB0=$(slab_objs)
check "unshare -Urn: its own devices and records" userns_own
check "unshare -Urn: records and device gone with the namespace" userns_gone
check "unshare -Ur: nothing in a namespace it does not own (EPERM)" userns_foreign
check "a's device and record intact after everything" a_unchanged
check "a still works for root" eval "nsctl a del-lookup 10.0.0.1 vsid 5001 && nsctl a del-link nv5001"

ktap_finish
