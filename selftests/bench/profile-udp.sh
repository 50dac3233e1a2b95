#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of BENCH_PROFILE=udp make bench: where the time of make
# bench's UDP run (64-byte datagrams, paths.sh) goes, through gretap and
# through nvgre, in one boot. Per type: one run without perf for the
# packets per second, then the same run under perf (cpu-clock at 20 kHz,
# all CPUs: under -icount one sample at shift 0 stands for 50,000
# instructions). Prints the rates and every function above 0.1% of each
# profile, as KTAP diagnostics.

# shellcheck source-path=SCRIPTDIR source=paths.sh
. "$(dirname "$0")/paths.sh"

TYPES=(gretap nvgre)
DATA=/dev/shm/$PREFIX-perf.data

# profile TYPE: the UDP run of TYPE again, its client under perf, which
# samples all CPUs while the client runs (not while perf starts).
profile()
{
	local t=$1 sym=/dev/shm/$PREFIX-$1.sym
	CLIENT_WRAP=(perf record -q -e cpu-clock -F 20000 -a -o "$DATA" --)
	udp "$t" "$t.perf" || { CLIENT_WRAP=(); return 1; }
	CLIENT_WRAP=()
	perf report -i "$DATA" --stdio --no-children --sort sym \
		--percent-limit 0.1 2>/dev/null | grep '%' >"$sym"
	rm -f "$DATA"
	[[ -s "$sym" ]] || { echo "perf recorded nothing"; return 1; }
}

require_module
command -v perf >/dev/null ||
	{ echo "Bail out! perf not found (linux-perf on the host)"; exit 1; }
ktap_plan $((3 * ${#TYPES[@]} + 2))
measure "read the tools into memory" preload
measure "warm-up: perf once" perf record -q -o "$DATA" -- true
for t in "${TYPES[@]}"; do
	measure "$t: set up hosts and VMs" pair "$t"
	measure "$t: UDP 64-byte packets" udp "$t" "$t"
	measure "$t: UDP 64-byte packets under perf" profile "$t"
done
for t in "${TYPES[@]}"; do
	[[ -f "/dev/shm/$PREFIX-$t.sym" ]] || continue
	sed "s/^/# $t /" "/dev/shm/$PREFIX-$t.sym"
	rm -f "/dev/shm/$PREFIX-$t.sym"
done
cleanup
ktap_finish
