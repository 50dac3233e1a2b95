# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# The measured path of make bench (sourced by datapath.sh and
# profile-udp.sh): two hosts joined by one tunnel type, a VM on each.
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
#
# tcp and udp run iperf3 for BENCH_T guest seconds and emit "# bench KEY
# VALUE" lines (lib.sh).

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MAC1=02:00:00:00:00:01
MAC2=02:00:00:00:00:02
# The underlay's MACs. Each host knows the other's for good: a learnt
# neighbour that nothing confirms (a tunnel's one-way UDP does not) goes
# stale 15 to 45 s after it was learnt, and until ARP confirms it again
# every packet takes the slower neigh_resolve_output(). When that falls
# on one type's run and not another's, it skews their ratio.
UL1=02:00:00:00:01:01
UL2=02:00:00:00:01:02

# pair TYPE: the topology above for TYPE.
pair()
{
	local t=$1 h
	for h in h1 h2 v1 v2; do
		mkns "$t-$h" || return 1
	done
	ip link add ul0 netns "$PREFIX-$t-h1" address "$UL1" type veth \
		peer name ul0 netns "$PREFIX-$t-h2" address "$UL2" || return 1
	on "$t-h1" ip addr add 192.0.2.1/24 dev ul0
	on "$t-h2" ip addr add 192.0.2.2/24 dev ul0
	if [[ $t == veth ]]; then
		ip link add tun0 netns "$PREFIX-$t-h1" type veth \
			peer name tun0 netns "$PREFIX-$t-h2" || return 1
	fi
	for h in 1 2; do
		local hn=$t-h$h me=192.0.2.$h peer=192.0.2.$((3 - h))
		on "$hn" ip link set ul0 up
		# See UL1.
		local ul=$UL1
		((h == 2)) || ul=$UL2
		on "$hn" ip neigh replace "$peer" lladdr "$ul" dev ul0 \
			nud permanent || return 1
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

# server TYPE PORT: a one-shot iperf3 server in TYPE-v2, once it listens;
# SERVER gets its PID.
SERVER=
server()
{
	on "$1-v2" iperf3 -s -1 -p "$2" >/dev/null 2>&1 &
	SERVER=$!
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
	wait "$SERVER"
	bps=$(jget "$j" end sum_received bits_per_second) || return 1
	emit "$key.tcp_bps" "$bps"
	emit "$key.tcp_retrans" "$(jget "$j" end sum_sent retransmits)"
}

# udp TYPE KEY: 64-byte datagrams from v1 to v2: packets per second that
# reached the receiving socket, and that reached v2's eth0. The client
# runs under the command CLIENT_WRAP holds, if any (profile-udp.sh).
CLIENT_WRAP=()
udp()
{
	local t=$1 key=$2 j=/dev/shm/$PREFIX-udp.json rx0 rx1 p lost s
	local st=/sys/class/net/eth0/statistics/rx_packets
	server "$t" 5202 || return 1
	rx0=$(on "$t-v2" cat "$st")
	on "$t-v1" "${CLIENT_WRAP[@]}" iperf3 -c 10.0.0.2 -p 5202 -u -l 64 -b 0 \
		-t "$BENCH_T" -J >"$j" ||
		{ cat "$j"; return 1; }
	wait "$SERVER"
	rx1=$(on "$t-v2" cat "$st")
	p=$(jget "$j" end sum packets) || return 1
	lost=$(jget "$j" end sum lost_packets) || return 1
	s=$(jget "$j" end sum seconds) || return 1
	((p > lost && p > 0)) || { echo "udp: $p packets, $lost lost"; return 1; }
	emit "$key.udp_pps" "$(awk -v p="$p" -v l="$lost" -v s="$s" 'BEGIN { printf "%.1f", (p - l) / s }')"
	emit "$key.udp_sent_pps" "$(awk -v p="$p" -v s="$s" 'BEGIN { printf "%.1f", p / s }')"
	emit "$key.udp_eth_pps" "$(awk -v n="$((rx1 - rx0))" -v s="$s" 'BEGIN { printf "%.1f", n / s }')"
}
