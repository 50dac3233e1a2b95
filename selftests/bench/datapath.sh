#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of make bench: throughput of one path (paths.sh), four ways:
# veth (the limit), gretap, vxlan and nvgre, each between its own pair of
# hosts. Then nvgre again with 1,000, 100,000 and 1,000,000 records of
# VSID 5001 on both hosts (BENCH_SCALES), installed from pre-generated
# batch files.
#
# Per case: one TCP stream (iperf3 -t BENCH_T, -O 1) and 64-byte UDP
# datagrams as fast as the sender can (iperf3 -u -l 64 -b 0), in guest
# time. Emits "# bench KEY VALUE" lines (see lib.sh).

# shellcheck source-path=SCRIPTDIR source=paths.sh
. "$(dirname "$0")/paths.sh"

TYPES=(veth gretap vxlan nvgre)

# records N: brings the record count of VSID 5001 on both nvgre hosts to
# N (the VMs' 2 records plus N-2 from the batch files), timing the install
# by busy time (lib.sh).
REC_NOW=2
records()
{
	local n=$1 f h b0 dt
	f=$BENCH_DIR/records-$REC_NOW-$n.batch
	[[ -r "$f" ]] || { echo "$f missing"; return 1; }
	cp "$f" /dev/shm/records.batch || return 1
	for h in h1 h2; do
		busy || return 1
		b0=$BUSY
		nsctl "nvgre-$h" -b /dev/shm/records.batch || return 1
		dt=$(busy_since "$b0") || return 1
		emit "nvgre_$n.install_s_$h" "$dt"
	done
	rm -f /dev/shm/records.batch
	REC_NOW=$n
	settle
	local got
	got=$(nsctl nvgre-h1 show-lookup vsid 5001 | wc -l)
	((got == n)) || { echo "h1 has $got records, wanted $n"; return 1; }
	emit "nvgre_$n.records" "$got"
}

# warmup: one short unrecorded run of each kind, so that everything the
# runs touch is in memory (see preload in lib.sh).
warmup()
{
	BENCH_T=1 tcp veth warmup && BENCH_T=1 udp veth warmup
}

require_module
ktap_plan $((3 * ${#TYPES[@]} + 3 * $(wc -w <<<"$BENCH_SCALES") + 2))
emit kernel "$(uname -r)"
emit tcp_seconds "$BENCH_T"

measure "read the tools into memory" preload
for t in "${TYPES[@]}"; do
	measure "$t: set up hosts and VMs" pair "$t"
	[[ $t != veth ]] || measure "warm-up runs" warmup
	measure "$t: TCP stream" tcp "$t" "$t"
	measure "$t: UDP 64-byte packets" udp "$t" "$t"
done
for n in $BENCH_SCALES; do
	measure "nvgre: $n records installed" records "$n"
	measure "nvgre, $n records: TCP stream" tcp nvgre "nvgre_$n"
	measure "nvgre, $n records: UDP 64-byte packets" udp nvgre "nvgre_$n"
done
nsctl nvgre-h1 -s show-link tun0 | sed 's/^/# /'
cleanup
ktap_finish
