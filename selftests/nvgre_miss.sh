#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Miss reports: "nvgrectl monitor misses" prints each frame the module
# dropped for want of a record - a VM's ARP request or Neighbour
# Solicitation for a CA without record, its unicast to an unknown MAC,
# NVGRE whose inner source has no record (a spoof) or a record naming
# another PA (a stale record after a VM move) - with its VSID, reason, key
# and outer source PA; at most miss_rate per second per device, the rest
# counted as suppressed; nothing is counted while nobody listens; the
# group needs CAP_NET_ADMIN; an overflowed listener is told to resync.
#
#   vm1a 10.0.0.1 2001:db8:5001::1 --+
#                                    [br5001 + nv5001]
#   vm1b 10.0.0.1 (VSID 6001) -------[br6001 + nv6001] h1 192.0.2.1 --+
#                                                                     |
#   vm2a 10.0.0.2 -- [br5001 + nv5001] h2 192.0.2.2 ---------- br0 (sw)
#                                      h3 192.0.2.3 ------------------+
#                    (vm2a moves to h3; h1 keeps its stale record)
#
# Records on every host: VSID 5001 10.0.0.1 at 192.0.2.1, 10.0.0.2 at
# 192.0.2.2; VSID 6001 10.0.0.1 at 192.0.2.1. The monitors run on h1.
#
# Exit status 0 / 1 / 4 (skip); KTAP on standard output.

. "$(dirname "$0")/lib/lib.sh"

MAC1A=02:00:00:00:01:01
MAC2A=02:00:00:00:02:01
MAC1B=02:00:00:00:01:02
RATE=/sys/module/nvgre/parameters/miss_rate
OVERFLOW="# events lost (receive buffer overflow): resynchronise with show-lookup / show-link"
EPERM_MON="Error: cannot listen to the nvgre misses: Operation not permitted."
TMPD=$(mktemp -d /tmp/nvgre-miss.XXXXXX)
chmod 755 "$TMPD"
declare -A MON_PID=() MON_RC=()
trap 'mon_kill_all; echo 10 >"$RATE" 2>/dev/null; cleanup; rm -rf "$TMPD"' EXIT

h1() { nsctl h1 "$@"; }

# mon_start NAME NVGRECTL_ARGS...: a monitor on h1 in the background,
# output in $TMPD/NAME; returns once it is subscribed.
mon_start()
{
	local name=$1
	shift
	: >"$TMPD/$name.err"
	"$NVGRECTL" -n "$PREFIX-h1" "$@" >"$TMPD/$name" 2>"$TMPD/$name.err" &
	MON_PID[$name]=$!
	wait_text "$TMPD/$name.err" "^# listening$"
}

# mon_wait NAME: waits up to 30 s for the monitor to exit (then kills it)
# and sets MON_RC[NAME]. In the test's own shell.
mon_wait()
{
	local pid=${MON_PID[$1]} i rc=0
	for ((i = 0; i < 150; i++)); do
		[[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" == Z ]] && break
		[[ -e /proc/$pid ]] || break
		sleep 0.2
	done
	((i < 150)) || { kill -CONT "$pid"; kill -KILL "$pid"; }
	wait "$pid" || rc=$?
	unset "MON_PID[$1]"
	MON_RC[$1]=$rc
}

mon_kill_all()
{
	local name
	for name in "${!MON_PID[@]}"; do
		kill -CONT "${MON_PID[$name]}" 2>/dev/null
		kill "${MON_PID[$name]}" 2>/dev/null
	done
	wait 2>/dev/null
}

# miss_seen FILE REASON [KEY VALUE]...: within 20 s, FILE (monitor -j)
# holds exactly this miss of device nv$VSID: the object nvgrectl prints,
# keys in its order (mac, ca, pa).
miss_seen()
{
	local file=$1 want idx
	idx=$(on h1 cat "/sys/class/net/nv$VSID/ifindex") || return 1
	want="{\"event\":\"miss\",\"ifname\":\"nv$VSID\",\"ifindex\":$idx,\"vsid\":$VSID,\"reason\":\"$2\""
	shift 2
	while (($#)); do
		want+=",\"$1\":\"$2\""
		shift 2
	done
	want+="}"
	wait_line "$file" "$want" || { echo "no $want in:"; cat "$file"; return 1; }
}

# wait_line FILE LINE [TRIES]: waits for exactly LINE in FILE, TRIES times
# 0.2 s (default 100: 20 s).
wait_line()
{
	local i
	for ((i = 0; i < ${3:-100}; i++)); do
		grep -qxF "$2" "$1" && return 0
		sleep 0.2
	done
	return 1
}

# count_misses FILE VSID REASON: misses of that VSID and reason in FILE.
count_misses()
{
	grep -c "\"vsid\":$2,\"reason\":\"$3\"" "$1"
}

# ctr HOST DEV COUNTER: one counter of show-link -s, without python.
ctr()
{
	nsctl "$1" show-link "$2" -s |
		awk -v c="$3" '{ for (i = 1; i < NF; i++) if ($i == c) print $(i + 1) }'
}

# flood VM DSTMAC N: N frames from VM's eth0 to DSTMAC as fast as it can;
# prints the seconds it took.
flood()
{
	on "$1" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
src = bytes.fromhex(open("/sys/class/net/eth0/address").read().strip().replace(":", ""))
dst = bytes.fromhex(sys.argv[1].replace(":", ""))
frame = dst + src + b"\x08\x00" + bytes(46)
t = time.monotonic()
for i in range(int(sys.argv[2])):
    s.send(frame)
print("%.3f" % (time.monotonic() - t))' "$2" "$3"
}

# ---- sent by a VM --------------------------------------------------------------

# Misses are neither built nor counted while nobody listens.
no_listener()
{
	local miss ev sup
	miss=$(ctr h1 nv6001 tx_no_record)
	on vm1b ip neigh replace 10.0.0.78 lladdr 02:00:00:00:07:08 dev eth0
	on vm1b ping -c 3 -i 0.2 -W 1 10.0.0.78 >/dev/null && return 1
	ev=$(ctr h1 nv6001 miss_events)
	sup=$(ctr h1 nv6001 miss_suppressed)
	(($(ctr h1 nv6001 tx_no_record) == miss + 3)) &&
	((ev == 0 && sup == 0)) || { echo "events $ev suppressed $sup"; return 1; }
}

text_miss()
{
	mon_start text monitor misses count 1 || return 1
	on vm1a ping -c 1 -W 1 10.0.0.67 >/dev/null
	mon_wait text
	((MON_RC[text] == 0)) || { echo "exit ${MON_RC[text]}"; return 1; }
	[[ "$(cat "$TMPD/text")" == "miss dev nv5001 vsid 5001 reason tx-arp ca 10.0.0.67" ]] ||
		{ echo "got: $(cat "$TMPD/text")"; return 1; }
}

arp_miss()
{
	on vm1a ping -c 1 -W 1 10.0.0.66 >/dev/null
	VSID=5001 miss_seen "$TMPD/json" tx-arp ca 10.0.0.66
}

nd_miss()
{
	on vm1a ping -6 -c 1 -W 1 2001:db8:5001::66 >/dev/null
	VSID=5001 miss_seen "$TMPD/json" tx-nd ca 2001:db8:5001::66
}

unicast_miss()
{
	on vm1a ip neigh replace 10.0.0.77 lladdr 02:00:00:00:07:07 dev eth0
	on vm1a ping -c 1 -W 1 10.0.0.77 >/dev/null
	VSID=5001 miss_seen "$TMPD/json" tx-unicast mac 02:00:00:00:07:07
}

# ---- received from the underlay ---------------------------------------------

# send KIND: crafted NVGRE from h2 (PA 192.0.2.2) to h1 as vm2a.
send()
{
	on h2 $PKT send ul0 "$(on h1 cat /sys/class/net/ul0/address)" \
		192.0.2.2 192.0.2.1 5001 $MAC2A 10.0.0.2 "$1"
}

spoof_mac()
{
	send spoof-mac
	VSID=5001 miss_seen "$TMPD/json" rx-unknown \
		mac 02:66:66:66:66:66 pa 192.0.2.2
}

spoof_ca()
{
	send spoof-ca
	VSID=5001 miss_seen "$TMPD/json" rx-unknown ca 10.0.0.99 \
		pa 192.0.2.2
}

# vm2a moves to h3; h1 still says it is at 192.0.2.2.
stale_pa()
{
	move_vm vm2a h2 h3 5001 || return 1
	nsctl h3 replace-lookup 10.0.0.2 vsid 5001 pa 192.0.2.3 mac $MAC2A
	on vm2a ping -c 1 -W 1 10.0.0.1 >/dev/null && { echo "ping passed"; return 1; }
	VSID=5001 miss_seen "$TMPD/json" rx-stale-pa mac $MAC2A \
		pa 192.0.2.3
}

# ---- rate limit --------------------------------------------------------------

RATE_N=5
FLOOD_N=200

rate_limited()
{
	local miss0 ev0 sup0 secs seen ev sup miss max
	echo $RATE_N >"$RATE"
	miss0=$(ctr h1 nv6001 tx_no_record)
	ev0=$(ctr h1 nv6001 miss_events)
	sup0=$(ctr h1 nv6001 miss_suppressed)
	secs=$(flood vm1b 02:00:00:00:0f:0f $FLOOD_N) || return 1
	# VSID 5001 has its own budget.
	VSID=5001 unicast_miss2 || return 1
	sleep 1
	seen=$(count_misses "$TMPD/json" 6001 tx-unicast)
	miss=$(($(ctr h1 nv6001 tx_no_record) - miss0))
	ev=$(($(ctr h1 nv6001 miss_events) - ev0))
	sup=$(($(ctr h1 nv6001 miss_suppressed) - sup0))
	echo 10 >"$RATE"
	# One window per started second, plus the one running at the start.
	max=$((RATE_N * (${secs%.*} + 2)))
	echo "# $FLOOD_N frames in $secs s: $miss misses, $seen printed, miss_events $ev, miss_suppressed $sup, at most $max"
	((miss == FLOOD_N)) && ((seen == ev)) && ((ev >= 1 && ev <= max)) &&
	((ev + sup == miss))
}

unicast_miss2()
{
	on vm1a ip neigh replace 10.0.0.79 lladdr 02:00:00:00:07:09 dev eth0
	on vm1a ping -c 1 -W 1 10.0.0.79 >/dev/null
	miss_seen "$TMPD/json" tx-unicast mac 02:00:00:00:07:09
}

# ---- monitor all, permission, overflow ---------------------------------------

# Other VMs' broadcast and multicast reach h1 by head-end replication and
# may be reported too (a stale record of an earlier check): only misses of
# the spoofed MAC count here.
monitor_all()
{
	mon_start all -j monitor all || return 1
	h1 add-lookup 10.0.0.5 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:05:05 &&
	send spoof-mac || return 1
	wait_text "$TMPD/all" '"mac":"02:66:66:66:66:66"' || return 1
	kill "${MON_PID[all]}"
	mon_wait all
	python3 - "$TMPD/all" <<-'PY'
	import json, sys
	got = [json.loads(l) for l in open(sys.argv[1])]
	got = [e for e in got if e["event"] != "miss" or
	       e.get("mac") == "02:66:66:66:66:66"]
	assert got[0] == {"event": "add-lookup", "ca": "10.0.0.5", "vsid": 5001,
	                  "pa": "192.0.2.1", "mac": "02:00:00:00:05:05"}, got
	assert got[1]["event"] == "miss" and got[1]["reason"] == "rx-unknown", got
	assert len(got) == 2, got
	PY
}

# vm2a's own multicast (router and MLD solicitations) still reaches h1 by
# head-end replication from h3, where its stale record says h2: those
# misses may come at any time and are not the flood's.
STALE2A="reason rx-stale-pa mac $MAC2A pa 192.0.2.3$"

# The stopped monitor's 2 MiB buffer holds about 2700 misses (768 bytes
# of truesize each).
overflow()
{
	mon_start omiss monitor misses || return 1
	kill -STOP "${MON_PID[omiss]}"
	echo 1000000 >"$RATE"
	flood vm1b 02:00:00:00:0f:0e 8000 >/dev/null
	echo 10 >"$RATE"
	kill -CONT "${MON_PID[omiss]}"
	wait_line "$TMPD/omiss" "$OVERFLOW" || { echo "no overflow notice"; return 1; }
	# Goes on afterwards. Until the monitor has read what was queued, the
	# socket stays congested and netlink drops further misses without
	# a second notice: on a slow guest that takes seconds, so each try
	# asks for a CA of its own until one is printed.
	local try seen=
	for try in 68 69 70 71 72 73 74 75; do
		sleep 1.1
		on vm1b ping -c 1 -W 1 10.0.0.$try >/dev/null
		if wait_line "$TMPD/omiss" "miss dev nv6001 vsid 6001 reason tx-arp ca 10.0.0.$try" 25; then
			seen=$try
			break
		fi
	done
	if [[ -z "$seen" ]]; then
		echo "no tx-arp miss after the overflow: $(wc -l <"$TMPD/omiss") lines, miss_events $(ctr h1 nv6001 miss_events), miss_suppressed $(ctr h1 nv6001 miss_suppressed); the last:"
		tail -n 3 "$TMPD/omiss"
		return 1
	fi
	echo "# the miss of 10.0.0.$seen was printed"
	if grep -vn "^miss dev nv6001 vsid 6001 reason \\|^#\\|$STALE2A" "$TMPD/omiss"; then
		echo "lines other than misses of nv6001 above"
		return 1
	fi
}

# timed CHECK...: runs the check, then says how long it took.
timed()
{
	local start=$SECONDS
	"$@"
	echo "# $((SECONDS - start)) s"
}

require_module
ktap_plan 13

setup_underlay
add_host h1 192.0.2.1
add_host h2 192.0.2.2
add_host h3 192.0.2.3
add_vm h1 vm1a 5001 10.0.0.1 $MAC1A 2001:db8:5001::1
add_vm h2 vm2a 5001 10.0.0.2 $MAC2A
add_vm h1 vm1b 6001 10.0.0.1 $MAC1B
add_segment h3 5001
provision h1 h2 h3 <<-EOF2 || { echo "Bail out! provision"; exit 1; }
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 2001:db8:5001::1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2A
	add-lookup 10.0.0.1 vsid 6001 pa 192.0.2.1 mac $MAC1B
EOF2
echo 10 >"$RATE" || { echo "Bail out! no $RATE"; exit 1; }
ping_ok vm1a 10.0.0.2 >/dev/null || { echo "Bail out! no datapath"; exit 1; }
echo "# set up in $SECONDS s"
# h2's kernel must not answer GRE it cannot decapsulate with ICMP noise.
on h2 ping -c 1 -W 2 192.0.2.1 >/dev/null

timed check "nobody listens: misses counted as drops only, no report built" no_listener
timed check "monitor misses prints one line per miss" text_miss
mon_start json -j monitor misses || { echo "Bail out! monitor did not start"; exit 1; }
timed check "ARP for a CA without record: tx-arp miss with VSID and CA" arp_miss
timed check "NS for a CA without record: tx-nd miss with the IPv6 CA" nd_miss
timed check "unicast to an unknown MAC: tx-unicast miss with the MAC" unicast_miss
timed check "inner source MAC without record: rx-unknown miss with outer PA" spoof_mac
timed check "inner source CA without record: rx-unknown miss with the CA" spoof_ca
timed check "VM moved, stale record: rx-stale-pa miss with the new outer PA" stale_pa
timed check "flood: at most miss_rate reports per second, the rest suppressed" \
	rate_limited
timed check "monitor all prints changes and misses" monitor_all
install -m 755 "$NVGRECTL" "$TMPD/nvgrectl"
timed check_exit "unprivileged monitor misses: exit 2 and the kernel's refusal" 2 \
	"$EPERM_MON" on h1 timeout 10 setpriv --reuid=65534 --regid=65534 \
	--clear-groups --inh-caps=-all "$TMPD/nvgrectl" monitor misses
timed check_exit "unprivileged monitor all: refused too" 2 \
	"Error: cannot listen to the nvgre events: Operation not permitted." \
	on h1 timeout 10 setpriv --reuid=65534 --regid=65534 \
	--clear-groups --inh-caps=-all "$TMPD/nvgrectl" monitor all
# The JSON monitor would only slow the flood down.
kill "${MON_PID[json]}" && mon_wait json
timed check "overflow of the misses group: monitor says so, then goes on" overflow

ktap_finish
