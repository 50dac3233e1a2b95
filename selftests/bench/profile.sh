#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of BENCH_PROFILE=program make bench: where the time of
# programming BENCH_CP_N records with `nvgrectl -b` goes, tool and kernel.
# perf samples the guest clock (cpu-clock at 20 kHz, all CPUs), which
# under -icount advances with the instructions executed: at shift 0 one
# sample stands for 50,000 instructions. Prints the batch's time a record,
# the share of each object (nvgrectl, libc, libnl, the kernel) and every
# function above 0.1%, as KTAP diagnostics.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

N=$BENCH_CP_N
DATA=/dev/shm/$PREFIX-perf.data

# warmup: perf and the batch's code paths once, untimed (see preload).
warmup()
{
	preload || return 1
	cat "$(readlink -f "$(command -v perf)")" >/dev/null
	cp "$BENCH_DIR/cp-nvgre-$N.batch" /dev/shm/cp.batch || return 1
	head -n 100 /dev/shm/cp.batch >/dev/shm/warm.batch
	nvgre_ns prof-warm || return 1
	perf record -q -e cpu-clock -F 20000 -a -o "$DATA" -- \
		"$NVGRECTL" -n "$PREFIX-prof-warm" -b /dev/shm/warm.batch ||
		return 1
	perf report -i "$DATA" --stdio >/dev/null 2>&1
	ip netns del "$PREFIX-prof-warm"
	rm -f /dev/shm/warm.batch
}

program()
{
	local total
	nvgre_ns prof || return 1
	settle
	perf record -q -e cpu-clock -F 20000 -a -o "$DATA" -- \
		"$NVGRECTL" -n "$PREFIX-prof" -b /dev/shm/cp.batch || return 1
	# The event count is in nanoseconds of guest time.
	total=$(perf report -i "$DATA" --stdio 2>/dev/null |
		sed -n 's/^# Event count (approx.): \([0-9]*\)$/\1/p')
	[[ -n "$total" ]] || { echo "perf recorded nothing"; return 1; }
	emit profile.records "$N"
	emit profile.ns_per_record "$((total / N))"
}

# show: the profile's tables, as diagnostics (measure keeps only figures).
show()
{
	perf report -i "$DATA" --stdio --no-children --sort dso 2>/dev/null |
		grep '%' | sed 's/^/# dso /'
	perf report -i "$DATA" --stdio --no-children --sort dso,sym \
		--percent-limit 0.1 2>/dev/null | grep '%' | sed 's/^/# sym /'
	rm -f "$DATA" /dev/shm/cp.batch
}

require_module
command -v perf >/dev/null ||
	{ echo "Bail out! perf not found (linux-perf on the host)"; exit 1; }
ktap_plan 2
measure "warm-up: perf and 100 records" warmup
measure "profile: program $N records (nvgrectl -b)" program
show
ktap_finish
