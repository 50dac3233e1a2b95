#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of make bench: throughput of one path, four ways.
#
#  TYPE-v1 10.0.0.1                                      TYPE-v2 10.0.0.2
#   eth0 (mtu 1400)                                       eth0 (mtu 1400)
#    |                                                     |
#   vm0 -- br0 -- tun0          TYPE-h1     TYPE-h2   tun0 -- br0 -- vm0
#                 ul0 192.0.2.1/24 ---veth--- 192.0.2.2/24 ul0
#
# One such pair of hosts per TYPE, each in its own namespaces, so that no
# tunnel's receive path sees another's traffic:
#   veth    tun0 is a second veth between the hosts' bridges: no tunnel,
#           the same VM -> bridge -> wire -> bridge -> VM path (the limit)
#   gretap  tun0 is gretap local/remote with key 5001
#   vxlan   tun0 is vxlan id 5001 local/remote, dstport 4789
#   nvgre   tun0 is nvgre vsid 5001 local PA, the VMs' records on both hosts
# Then nvgre again with 1,000, 100,000 and 1,000,000 records of VSID 5001
# on both hosts (BENCH_SCALES), installed from pre-generated batch files.
#
# Per case: one TCP stream (iperf3 -t BENCH_T, -O 1) and 64-byte UDP
# datagrams as fast as the sender can (iperf3 -u -l 64 -b 0), in guest
# time. Emits "# bench KEY VALUE" lines (see lib.sh).

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

MAC1=02:00:00:00:00:01
MAC2=02:00:00:00:00:02
TYPES=(veth gretap vxlan nvgre)

# pair TYPE: the topology above for TYPE.
pair()
{
	local t=$1 h
	for h in h1 h2 v1 v2; do
		mkns "$t-$h" || return 1
	done
	ip link add ul0 netns "$PREFIX-$t-h1" type veth \
		peer name ul0 netns "$PREFIX-$t-h2" || return 1
	on "$t-h1" ip addr add 192.0.2.1/24 dev ul0
	on "$t-h2" ip addr add 192.0.2.2/24 dev ul0
	if [[ $t == veth ]]; then
		ip link add tun0 netns "$PREFIX-$t-h1" type veth \
			peer name tun0 netns "$PREFIX-$t-h2" || return 1
	fi
	for h in 1 2; do
		local hn=$t-h$h me=192.0.2.$h peer=192.0.2.$((3 - h))
		on "$hn" ip link set ul0 up
		on "$hn" ip link add br0 type bridge || return 1
		on "$hn" ip link set br0 up
		case $t in
		gretap)
			on "$hn" ip link add tun0 type gretap local "$me" \
				remote "$peer" key 5001 || return 1 ;;
		vxlan)
			on "$hn" ip link add tun0 type vxlan id 5001 \
				local "$me" remote "$peer" dstport 4789 || return 1 ;;
		nvgre)
			nsctl "$hn" add-link tun0 vsid 5001 local "$me" || return 1
			nsctl "$hn" -b - <<-EOT || return 1
			add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1
			add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2
			EOT
			;;
		esac
		on "$hn" ip link set tun0 master br0 up || return 1
		ip link add eth0 netns "$PREFIX-$t-v$h" type veth \
			peer name vm0 netns "$PREFIX-$hn" || return 1
		on "$hn" ip link set vm0 master br0 up
		local mac=$MAC1
		((h == 1)) || mac=$MAC2
		on "$t-v$h" ip link set eth0 address "$mac" mtu 1400 up
		on "$t-v$h" ip addr add "10.0.0.$h/24" dev eth0
	done
	on "$t-v1" ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null ||
		{ echo "$t: 10.0.0.1 cannot ping 10.0.0.2"; return 1; }
}

# server TYPE PORT: a one-shot iperf3 server in TYPE-v2, once it listens.
server()
{
	on "$1-v2" iperf3 -s -1 -p "$2" >/dev/null 2>&1 &
	for _ in $(seq 100); do
		on "$1-v2" ss -Hltn "sport = :$2" | grep -q . && return 0
		sleep 0.1
	done
	echo "iperf3 server in $1-v2 does not listen"
	return 1
}

# jget FILE PATH...: a number from iperf3's JSON, the path as keys.
jget()
{
	python3 - "$@" <<-'EOT'
	import json, sys
	d = json.load(open(sys.argv[1]))
	if d.get("error"):
	    sys.exit("iperf3: " + d["error"])
	for k in sys.argv[2:]:
	    d = d[k]
	print(d)
	EOT
}

# tcp TYPE KEY: one TCP stream from v1 to v2, in bits per second received.
tcp()
{
	local t=$1 key=$2 j=/dev/shm/$PREFIX-tcp.json bps
	server "$t" 5201 || return 1
	on "$t-v1" iperf3 -c 10.0.0.2 -p 5201 -t "$BENCH_T" -O 1 -J >"$j" ||
		{ cat "$j"; return 1; }
	wait
	bps=$(jget "$j" end sum_received bits_per_second) || return 1
	emit "$key.tcp_bps" "$bps"
	emit "$key.tcp_retrans" "$(jget "$j" end sum_sent retransmits)"
}

# udp TYPE KEY: 64-byte datagrams from v1 to v2: packets per second that
# reached the receiving socket, and that reached v2's eth0.
udp()
{
	local t=$1 key=$2 j=/dev/shm/$PREFIX-udp.json rx0 rx1 p lost s
	local st=/sys/class/net/eth0/statistics/rx_packets
	server "$t" 5202 || return 1
	rx0=$(on "$t-v2" cat "$st")
	on "$t-v1" iperf3 -c 10.0.0.2 -p 5202 -u -l 64 -b 0 -t "$BENCH_T" -J >"$j" ||
		{ cat "$j"; return 1; }
	wait
	rx1=$(on "$t-v2" cat "$st")
	p=$(jget "$j" end sum packets) || return 1
	lost=$(jget "$j" end sum lost_packets) || return 1
	s=$(jget "$j" end sum seconds) || return 1
	((p > lost && p > 0)) || { echo "udp: $p packets, $lost lost"; return 1; }
	emit "$key.udp_pps" "$(awk -v p="$p" -v l="$lost" -v s="$s" 'BEGIN { printf "%.1f", (p - l) / s }')"
	emit "$key.udp_sent_pps" "$(awk -v p="$p" -v s="$s" 'BEGIN { printf "%.1f", p / s }')"
	emit "$key.udp_eth_pps" "$(awk -v n="$((rx1 - rx0))" -v s="$s" 'BEGIN { printf "%.1f", n / s }')"
}

# records N: brings the record count of VSID 5001 on both nvgre hosts to
# N (the VMs' 2 records plus N-2 from the batch files), timing the install.
REC_NOW=2
records()
{
	local n=$1 f h t0 dt
	f=$BENCH_DIR/records-$REC_NOW-$n.batch
	[[ -r "$f" ]] || { echo "$f missing"; return 1; }
	cp "$f" /dev/shm/records.batch || return 1
	for h in h1 h2; do
		t0=$(now)
		nsctl "nvgre-$h" -b /dev/shm/records.batch || return 1
		dt=$(elapsed "$t0")
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
