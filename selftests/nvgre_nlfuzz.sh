#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Netlink fuzz: 100,000 random and mutated messages to the "nvgre" generic
# netlink family (selftests/lib/nlfuzz.c): every command, random attribute
# sets, wrong types and lengths, huge and empty payloads, nested garbage,
# dump flags. The kernel stays healthy (run.sh checks its log), every
# rejection by the family carries an extack message, the records the
# accepted requests made are exactly the records dumped and shown, and a
# flush returns the record cache to where it started.
#
#   h1: nv5001 (vsid 5001), nv4096 (vsid 4096): the fuzzer runs here
#   h2: nv5001 with one record 10.0.0.9, which the fuzz must not touch
#
# NLFUZZ_SEED=N repeats a run (the seed is printed), NLFUZZ_COUNT=N sets
# the number of messages: 100,000, and 30,000 on a KASAN kernel, where
# each costs ten times as much (400 s for 100,000 under TCG).

. "$(dirname "$0")/lib/lib.sh"

NLFUZZ=$LIB_DIR/nlfuzz
MIN=100000
kasan_kernel && MIN=30000
COUNT=${NLFUZZ_COUNT:-$MIN}
SEED=${NLFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
OUT=/tmp/$PREFIX-nlfuzz.out

# slab_objs: records allocated. The guest boots with slab_nomerge, so the
# cache is the module's alone; SLUB counts every object of a CPU's slabs
# as active, so the cache is shrunk first (which flushes the CPU slabs and
# frees the empty ones): then active objects are the objects in use.
slab_objs()
{
	echo 1 >/sys/kernel/slab/nvgre_lookup/shrink
	awk '$1 == "nvgre_lookup" { print $2 }' /proc/slabinfo
}

# The fuzzer's verdict (its output is printed as diagnostics before).
fuzz_ok()
{
	((FUZZ_RC == 0)) || { echo "nlfuzz exit $FUZZ_RC"; return 1; }
}

fuzz_count()
{
	local n
	n=$(sed -n 's/^# sent \([0-9]*\) .*/\1/p' "$OUT")
	((n == COUNT && COUNT >= MIN)) ||
		{ echo "sent ${n:-nothing}, want $COUNT (at least $MIN)"; return 1; }
}

shown_is_dumped()
{
	local want shown peak
	want=$(sed -n 's/^records \([0-9]*\)$/\1/p' "$OUT")
	peak=$(sed -n 's/^# peak \([0-9]*\) records.*/\1/p' "$OUT")
	[[ -n "$want" && -n "$peak" ]] || { echo "nlfuzz reported no record count"; return 1; }
	shown=$(nsctl h1 show-lookup | wc -l)
	((shown == want)) || { echo "show-lookup: $shown records, nlfuzz dumped $want"; return 1; }
	# A late flush may leave none (1 run in about 10); the fuzz must have
	# made some on the way.
	((peak > 0)) || { echo "the fuzz made no record at all: it tests nothing"; return 1; }
}

other_ns_untouched()
{
	local out
	out=$(nsctl h2 show-lookup)
	[[ "$out" == "10.0.0.9 vsid 5001 pa 192.0.2.9 mac 02:00:00:00:09:01" ]] ||
		{ echo "h2's records: $out"; return 1; }
}

flush_empties()
{
	local n
	nsctl h1 flush-lookup || return 1
	n=$(nsctl h1 show-lookup | wc -l)
	((n == 0)) || { echo "$n records after flush-lookup"; return 1; }
}

# The records are freed after an RCU grace period.
slab_back()
{
	local now
	for _ in $(seq 50); do
		now=$(slab_objs)
		((now <= SLAB0)) && return 0
		sleep 0.2
	done
	echo "nvgre_lookup active objects: $SLAB0 before, $now after the flush"
	return 1
}

healthy()
{
	nsctl h1 add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:01:01 &&
		nsctl h1 del-lookup 10.0.0.1 vsid 5001 &&
		nsctl h1 show-link nv5001 >/dev/null
}

# Records in NVGRE_A_LOOKUP nests are checked by the family's own parser
# (kmod/lookup_nl.c: nvgre_nl_parse_record()), not by the policy: each way a
# record can be wrong, one at a time, in a bulk add by nlfuzz probe.
GOOD=(vsid 5001 ca4 10.0.0.5 pa4 192.0.2.5 mac 02:00:00:00:05:01)

# probe_is WANT ARGS...: nlfuzz probe 1 (LOOKUP_ADD) ARGS in h1 prints WANT.
probe_is()
{
	local want=$1 out
	shift
	out=$(on h1 "$NLFUZZ" probe 1 "$@" 2>&1)
	[[ "$out" == "$want" ]] || { echo "probe $*: '$out', want '$want'"; return 1; }
}

# refused WANT ARGS...: the add fails with WANT and VSID 5001 has no record.
refused()
{
	local n
	probe_is "$@" || return 1
	n=$(nsctl h1 show-lookup vsid 5001 | wc -l)
	((n == 0)) || { echo "$n records after a refused one"; return 1; }
}

# good_then_bad: the record before the wrong one stays, the one after it
# is not applied; a well-formed nest alone is added.
good_then_bad()
{
	local out
	probe_is "error ERANGE: integer out of range" \
		nest "${GOOD[@]}" end nest vsid 4095 ca4 10.0.0.6 pa4 192.0.2.5 \
		mac 02:00:00:00:06:01 end \
		nest vsid 5001 ca4 10.0.0.7 pa4 192.0.2.5 mac 02:00:00:00:07:01 end ||
		return 1
	out=$(nsctl h1 show-lookup vsid 5001)
	nsctl h1 flush-lookup vsid 5001
	[[ "$out" == "10.0.0.5 vsid 5001 pa 192.0.2.5 mac 02:00:00:00:05:01" ]] ||
		{ echo "records: '$out'"; return 1; }
}

record_checks()
{
	local bad="error EINVAL: Not an attribute of a record"
	local len="error EINVAL: Wrong length or flags for this attribute"

	check "record nest: an attribute records do not use is refused" \
		refused "$bad" nest "${GOOD[@]}" ifindex 1 end
	check "record nest: a type above NVGRE_A_MAX is refused" \
		refused "$bad" nest "${GOOD[@]}" attr 200 00000000 end
	check "record nest: NVGRE_A_PAD (no policy) is refused" \
		refused "$bad" nest "${GOOD[@]}" attr 11 - end
	check "record nest: a VSID of 2 bytes is refused" \
		refused "$len" nest attr 1 8913 ca4 10.0.0.5 pa4 192.0.2.5 \
		mac 02:00:00:00:05:01 end
	check "record nest: a MAC of 8 bytes is refused" \
		refused "$len" nest vsid 5001 ca4 10.0.0.5 pa4 192.0.2.5 \
		attr 5 0200000005010000 end
	check "record nest: NLA_F_NESTED on a CA is refused" \
		refused "$len" nest vsid 5001 attr 0x8002 0a000005 \
		pa4 192.0.2.5 mac 02:00:00:00:05:01 end
	check "record nest: bytes left after the last attribute are refused" \
		refused "error EINVAL: Bytes left over after the record's attributes" \
		nest "${GOOD[@]}" raw 0000 end
	check "record nest: a VSID out of range is refused" \
		refused "error ERANGE: integer out of range" \
		nest vsid 16777215 ca4 10.0.0.5 pa4 192.0.2.5 mac 02:00:00:00:05:01 end
	check "record nest: a TYPE out of range is refused" \
		refused "error ERANGE: integer out of range" nest "${GOOD[@]}" type 3 end
	check "record nest: a nest in a record is refused" \
		refused "error EINVAL: LOOKUP nests do not nest" \
		nest "${GOOD[@]}" attr 0x8010 - end
	check "record nest: records before a wrong one stay, those after it do not" \
		good_then_bad
}

# probe_cmd_is WANT CMD ARGS...: nlfuzz probe CMD ARGS in h1 prints WANT.
probe_cmd_is()
{
	local want=$1 out
	shift
	out=$(on h1 "$NLFUZZ" probe "$@" 2>&1)
	[[ "$out" == "$want" ]] || { echo "probe $*: '$out', want '$want'"; return 1; }
}

# Each operation's policy (kmod/netlink.c) holds the attributes of its
# request only: the genetlink core refuses any other before the handler
# runs, in a do as in a dump.
policy_checks()
{
	local bad="error EINVAL: Unsupported attribute"

	check "policy: LOOKUP_FLUSH refuses an IFINDEX" \
		probe_cmd_is "$bad" 5 vsid 5001 ifindex 1
	check "policy: LOOKUP_DEL refuses a PA" \
		probe_cmd_is "$bad" 3 vsid 5001 ca4 10.0.0.5 pa4 192.0.2.5
	check "policy: a LOOKUP_GET dump refuses an IFINDEX" \
		probe_cmd_is "$bad" 4 dump ifindex 1
	check "policy: NS_STATS_GET refuses a VSID" \
		probe_cmd_is "$bad" 7 vsid 5001
}

require_module
[[ -x "$NLFUZZ" ]] || { echo "Bail out! $NLFUZZ not built (make -C selftests/lib)"; exit 1; }
ktap_plan 22

mkns h1
mkns h2
nsctl h1 add-link nv5001 vsid 5001
nsctl h1 add-link nv4096 vsid 4096
nsctl h2 add-link nv5001 vsid 5001
nsctl h2 add-lookup 10.0.0.9 vsid 5001 pa 192.0.2.9 mac 02:00:00:00:09:01
SLAB0=$(slab_objs)

record_checks
policy_checks

FUZZ_RC=0
on h1 "$NLFUZZ" -s "$SEED" -n "$COUNT" >"$OUT" 2>&1 || FUZZ_RC=$?
sed 's/^#* */# /' "$OUT"
check "nlfuzz: $COUNT messages, every rejection with an extack message, records as accepted (seed $SEED)" fuzz_ok
check "nlfuzz sent at least 100,000 messages" fuzz_count
check "show-lookup shows the records the fuzz left" shown_is_dumped
check "the fuzz did not touch another namespace's records" other_ns_untouched
check "flush-lookup empties the namespace" flush_empties
check "nvgre_lookup slab objects back to where they started" slab_back
check "the family still works after the fuzz" healthy
rm -f "$OUT"

ktap_finish
