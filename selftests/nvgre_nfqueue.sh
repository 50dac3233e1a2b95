#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# NVGRE queued to user space in front of nvgre's hook: an nft input chain
# at priority 0 (nvgre's hook is at NF_IP_PRI_SECURITY + 1 = 51) sends GRE
# to NFQUEUE 0, where nfqaccept accepts every packet. nf_reinject() then
# runs nvgre's hook from nfqaccept's verdict, in process context with BH
# enabled, while a listener on the misses group makes every spoofed frame
# take miss.c's lock. Frames are delivered, drops and misses counted
# exactly, and the kernel log stays clean (on a lockdep kernel too).
#
#  vm1a 10.0.0.1 -- [br5001 + nv5001] h1 ul0 192.0.2.1 --+
#                                                         br0 (sw)
#  vm2a 10.0.0.2 -- [br5001 + nv5001] h2 ul0 192.0.2.2 --+
#                    nft: input priority 0, gre -> queue 0 (nfqaccept)
#                    nvgrectl monitor misses
#
# Records on both: VSID 5001 10.0.0.1 at 192.0.2.1, 10.0.0.2 at 192.0.2.2.

. "$(dirname "$0")/lib/lib.sh"

# The checks count frames exactly: the VMs speak IPv4 only, so that no
# IPv6 autoconfiguration of theirs crosses the tunnel meanwhile.
export VM_NO_IPV6=1

MAC1A=02:00:00:00:01:01
MAC2A=02:00:00:00:02:01
NFQ=$LIB_DIR/nfqaccept
TMPD=$(mktemp -d /tmp/nvgre-nfq.XXXXXX)
SPOOFS=20
GOODS=10
# The background processes' PIDs are in files: check runs each test in a
# subshell.
trap 'kill $(cat "$TMPD"/*.pid 2>/dev/null) 2>/dev/null; wait 2>/dev/null
	cleanup; rm -rf "$TMPD"' EXIT

build()
{
	setup_underlay
	add_host h1 192.0.2.1 || return 1
	add_host h2 192.0.2.2 || return 1
	add_vm h1 vm1a 5001 10.0.0.1 $MAC1A || return 1
	add_vm h2 vm2a 5001 10.0.0.2 $MAC2A || return 1
	provision h1 h2 <<-EOF || return 1
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2A
	EOF
}

queue()
{
	on h2 nft -f - <<-EOF || return 1
	table inet nvt {
		chain in {
			type filter hook input priority 0; policy accept;
			meta l4proto gre queue num 0
		}
	}
	EOF
	: >"$TMPD/nfq.err"
	# Not through on(): $! must be nfqaccept itself (ip execs it).
	ip netns exec "$PREFIX-h2" "$NFQ" 0 120 >"$TMPD/nfq" 2>"$TMPD/nfq.err" &
	echo $! >"$TMPD/nfq.pid"
	wait_text "$TMPD/nfq.err" "^ready$" || return 1
	: >"$TMPD/mon.err"
	"$NVGRECTL" -n "$PREFIX-h2" monitor misses >"$TMPD/mon" \
		2>"$TMPD/mon.err" &
	echo $! >"$TMPD/mon.pid"
	wait_text "$TMPD/mon.err" "^# listening$"
}

# The tenant's traffic is queued, reinjected and delivered both ways.
ping_through_queue()
{
	ping_ok vm1a 10.0.0.2 >/dev/null
}

pending_warnings()
{
	dmesg | grep -c "softirq work is pending"
}

# Spoofed frames (an unknown inner MAC: rx_spoof_mac and a miss report
# each) and good ones, all through the queue.
spoofs_and_goods()
{
	local h2mac s0 r0 e0 q0 w0 i kinds=()
	h2mac=$(on h2 cat /sys/class/net/ul0/address)
	s0=$(link_stat h2 nv5001 rx_spoof_mac) || return 1
	r0=$(link_stat h2 nv5001 rx_packets) || return 1
	e0=$(($(link_stat h2 nv5001 miss_events) +
	      $(link_stat h2 nv5001 miss_suppressed)))
	w0=$(pending_warnings)
	for i in $(seq $SPOOFS); do
		kinds+=(spoof-mac)
		((i % 2)) && kinds+=(good)
	done
	on h1 $PKT send ul0 "$h2mac" 192.0.2.1 192.0.2.2 5001 $MAC1A 10.0.0.1 \
		"${kinds[@]}"
	for i in $(seq 50); do
		(($(link_stat h2 nv5001 rx_spoof_mac) >= s0 + SPOOFS)) && break
		sleep 0.2
	done
	q0=$(($(link_stat h2 nv5001 miss_events) +
	      $(link_stat h2 nv5001 miss_suppressed)))
	(($(link_stat h2 nv5001 rx_spoof_mac) == s0 + SPOOFS &&
	  $(link_stat h2 nv5001 rx_packets) == r0 + GOODS &&
	  q0 == e0 + SPOOFS)) || {
		echo "rx_spoof_mac $s0 -> $(link_stat h2 nv5001 rx_spoof_mac)," \
			"rx_packets $r0 -> $(link_stat h2 nv5001 rx_packets)," \
			"misses $e0 -> $q0"
		return 1
	}
	grep -q "reason rx-unknown" "$TMPD/mon" || { echo "no miss printed"; cat "$TMPD/mon"; return 1; }
	(($(pending_warnings) == w0)) || { dmesg | grep "softirq work is pending"; return 1; }
}

# nfqaccept saw every one of them: the hook ran from its verdicts.
all_queued()
{
	local n i pid
	pid=$(cat "$TMPD/nfq.pid")
	kill -TERM "$pid"
	for i in $(seq 50); do
		[[ -s "$TMPD/nfq" ]] && break
		sleep 0.2
	done
	rm "$TMPD/nfq.pid"
	n=$(cat "$TMPD/nfq")
	((n >= SPOOFS + GOODS + 2)) || { echo "verdicts: '$n'"; cat "$TMPD/nfq.err"; return 1; }
}

require_module
[[ -x "$NFQ" ]] || { echo "1..0 # SKIP $NFQ not built (make -C selftests/lib)"; exit 4; }
command -v nft >/dev/null || { echo "1..0 # SKIP nft not installed"; exit 4; }
ktap_plan 5

check "topology: two hosts" build
check "nft input priority 0 queues GRE to nfqaccept; monitor misses" queue
check "ping through the queue" ping_through_queue
check "reinjected: good frames delivered, spoofs dropped and reported" \
	spoofs_and_goods
check "every frame went through the queue" all_queued

ktap_finish
