#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Change notifications: "nvgrectl monitor" prints every change to devices
# and records of its namespace, in order, as the command that makes it (and
# as JSON with -j); its output replayed with -b builds the same state; it
# says so when its socket overflowed; other namespaces' changes and
# unprivileged listeners are kept out. Control plane only: no underlay.
#
#   h1 (netns)                          h2 (netns)          h3 (netns)
#     nv5001  vsid 5001                   nv5001 vsid 5001    (empty; the
#     nv6001  vsid 6001 local 192.0.2.1                       replay of h1's
#             rdid 7 ttl 64 tos inherit                       changes)
#     monitors: text, -j (count 11)       monitor (count 1)
#
# Records in h1: VSID 5001 10.0.0.1, 10.0.0.2, 2001:db8:1::1 at PAs
# 192.0.2.1 / 192.0.2.2; VSID 6001 10.0.0.1 at 192.0.2.2; VSID 7001 20000
# CAs 10.7.0.0 - 10.7.78.31 at 192.0.2.1 (the overflow).
#
# Exit status 0 / 1 / 4 (skip); KTAP on standard output.

. "$(dirname "$0")/lib/lib.sh"

MAC1=02:00:00:00:00:01
MAC2=02:00:00:00:00:02
MAC3=02:00:00:00:00:03
OVERFLOW="# events lost (receive buffer overflow): resynchronise with show-lookup / show-link"
EPERM_MON="Error: cannot listen to the nvgre events: Operation not permitted."
TMPD=$(mktemp -d /tmp/nvgre-events.XXXXXX)
chmod 755 "$TMPD"
declare -A MON_PID=()
trap 'mon_kill_all; cleanup; rm -rf "$TMPD"' EXIT

h1() { nsctl h1 "$@"; }
h2() { nsctl h2 "$@"; }
h3() { nsctl h3 "$@"; }

# mon_start NAME NVGRECTL_ARGS...: a monitor in the background, standard
# output in $TMPD/NAME; returns once it is subscribed.
mon_start()
{
	local name=$1
	shift
	: >"$TMPD/$name.err"
	"$NVGRECTL" "$@" >"$TMPD/$name" 2>"$TMPD/$name.err" &
	MON_PID[$name]=$!
	wait_text "$TMPD/$name.err" "^# listening$"
}

# mon_wait NAME: waits up to 30 s for the monitor to exit (then kills it),
# and sets MON_RC[NAME] to its exit status. In the test's own shell.
declare -A MON_RC=()
mon_wait()
{
	local pid=${MON_PID[$1]} i state rc=0
	for ((i = 0; i < 150; i++)); do
		state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || break
		[[ "$state" == Z ]] && break
		sleep 0.2
	done
	if ((i == 150)); then
		echo "# monitor $1 still running after 30 s, killed"
		kill -CONT "$pid"
		kill -KILL "$pid"
	fi
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

# file_is FILE WANT: FILE holds exactly WANT.
file_is()
{
	local got
	got=$(cat "$1")
	[[ "$got" == "$2" ]] || { printf 'got:\n%s\nwanted:\n%s\n' "$got" "$2"; return 1; }
}

# ---- every kind of change, in order -----------------------------------------

EVENTS="add-link nv5001 vsid 5001 rdid 0
add-link nv6001 vsid 6001 local 192.0.2.1 rdid 7 ttl 64 tos inherit
add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1
add-lookup 2001:db8:1::1 vsid 5001 pa 192.0.2.1 mac $MAC2
replace-lookup 10.0.0.1 vsid 5001 pa 192.0.2.2 mac $MAC1
add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC3
add-lookup 10.0.0.1 vsid 6001 pa 192.0.2.2 mac $MAC1
del-lookup 2001:db8:1::1 vsid 5001
flush-lookup vsid 6001
del-link nv6001
flush-lookup"

# The changes behind EVENTS, with some that fail or change nothing and so
# must print nothing; saves h1's state before the last flush.
make_changes()
{
	h1 add-link nv5001 vsid 5001 &&
	h1 add-link nv6001 vsid 6001 local 192.0.2.1 rdid 7 ttl 64 tos inherit &&
	! h1 add-link nv6001 vsid 6002 2>/dev/null &&
	h1 add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1 &&
	h1 add-lookup 2001:db8:1::1 vsid 5001 pa 192.0.2.1 mac $MAC2 &&
	! h1 add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.9 mac $MAC1 2>/dev/null &&
	h1 replace-lookup 10.0.0.1 vsid 5001 pa 192.0.2.2 mac $MAC1 &&
	h1 replace-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC3 &&
	h1 add-lookup 10.0.0.1 vsid 6001 pa 192.0.2.2 mac $MAC1 &&
	h1 del-lookup 2001:db8:1::1 vsid 5001 &&
	! h1 del-lookup 2001:db8:1::1 vsid 5001 2>/dev/null &&
	h1 flush-lookup vsid 6001 &&
	h1 flush-lookup vsid 6001 &&
	on h1 ip link del nv6001 &&
	h1 show-lookup >"$TMPD/h1.lookup" &&
	h1 show-link >"$TMPD/h1.link" &&
	h1 flush-lookup
}

text_events()
{
	((MON_RC[text] == 0)) || echo "monitor count 11 exited ${MON_RC[text]}"
	file_is "$TMPD/text" "$EVENTS" && ((MON_RC[text] == 0))
}

json_events()
{
	local idx5001=$1
	((MON_RC[json] == 0)) ||
		{ echo "monitor -j count 11 exited ${MON_RC[json]}"; return 1; }
	python3 - "$TMPD/json" "$idx5001" <<-EOF
	import json, sys
	lines = open(sys.argv[1]).read().splitlines()
	got = [json.loads(l) for l in lines]
	i5001 = int(sys.argv[2])
	assert got[1]["ifindex"] not in (0, i5001), got[1]
	i6001 = got[1]["ifindex"]
	rec = lambda ev, ca, vsid, pa, mac: \
	    {"event": ev, "ca": ca, "vsid": vsid, "pa": pa, "mac": mac}
	want = [
	    {"event": "add-link", "ifname": "nv5001", "ifindex": i5001,
	     "vsid": 5001, "rdid": 0},
	    {"event": "add-link", "ifname": "nv6001", "ifindex": i6001,
	     "vsid": 6001, "local": "192.0.2.1", "rdid": 7, "ttl": 64,
	     "tos": "inherit"},
	    rec("add-lookup", "10.0.0.1", 5001, "192.0.2.1", "$MAC1"),
	    rec("add-lookup", "2001:db8:1::1", 5001, "192.0.2.1", "$MAC2"),
	    rec("replace-lookup", "10.0.0.1", 5001, "192.0.2.2", "$MAC1"),
	    rec("add-lookup", "10.0.0.2", 5001, "192.0.2.2", "$MAC3"),
	    rec("add-lookup", "10.0.0.1", 6001, "192.0.2.2", "$MAC1"),
	    rec("del-lookup", "2001:db8:1::1", 5001, "192.0.2.1", "$MAC2"),
	    {"event": "flush-lookup", "vsid": 6001},
	    {"event": "del-link", "ifname": "nv6001", "ifindex": i6001,
	     "vsid": 6001, "local": "192.0.2.1", "rdid": 7, "ttl": 64,
	     "tos": "inherit"},
	    {"event": "flush-lookup"},
	]
	for g, w in zip(got, want):
	    assert g == w, (g, w)
	assert len(got) == len(want), len(got)
	EOF
}

# The events up to the last flush, replayed into the empty h3.
replay()
{
	head -n 10 "$TMPD/text" >"$TMPD/replay" &&
	h3 -b "$TMPD/replay" &&
	h3 show-lookup >"$TMPD/h3.lookup" &&
	h3 show-link >"$TMPD/h3.link" &&
	file_is "$TMPD/h3.lookup" "$(cat "$TMPD/h1.lookup")" &&
	file_is "$TMPD/h3.link" "$(cat "$TMPD/h1.link")" &&
	[[ -s "$TMPD/h1.lookup" ]] || { echo "nothing compared"; return 1; }
}

test_events()
{
	local idx
	mon_start text -n "$PREFIX-h1" monitor count 11 &&
	mon_start json -n "$PREFIX-h1" -j monitor count 11 &&
	mon_start h2 -n "$PREFIX-h2" monitor count 1 ||
		{ echo "Bail out! monitor did not start"; exit 1; }
	check "the changes are made" make_changes
	idx=$(on h1 cat /sys/class/net/nv5001/ifindex)
	mon_wait text
	mon_wait json
	check "monitor prints each change as its command, in order; count N exits 0" \
		text_events
	check "monitor -j prints one JSON object per change" json_events "$idx"
	check "the printed changes replayed with -b give the same records and links" \
		replay
	# h2's monitor has seen none of h1's changes: its first is its own.
	check "a change in h2" h2 add-lookup 10.9.9.9 vsid 5001 pa 192.0.2.1 mac $MAC1
	mon_wait h2
	check "monitor sees only the changes of its namespace" file_is "$TMPD/h2" \
		"add-lookup 10.9.9.9 vsid 5001 pa 192.0.2.1 mac $MAC1"
}

# ---- errors ------------------------------------------------------------------

test_errors()
{
	install -m 755 "$NVGRECTL" "$TMPD/nvgrectl"
	check_exit "unprivileged monitor: exit 2 and the kernel's refusal" 2 \
		"$EPERM_MON" on h1 timeout 10 setpriv --reuid=65534 \
		--regid=65534 --clear-groups --inh-caps=-all "$TMPD/nvgrectl" monitor
	check_exit "monitor count 0 is a usage error" 1 \
		'Error: argument "0" is wrong: COUNT must be a number in 1-4294967295' \
		h1 monitor count 0
	check_exit "monitor with an unknown argument is a usage error" 1 \
		'Error: unknown argument "everything", try "nvgrectl help".' \
		h1 monitor everything
}

# ---- receive buffer overflow --------------------------------------------------

# goes_on FILE NET PATTERN_FMT: after its overflow, the monitor writing
# FILE prints changes again. Changes made while it still drains its full
# buffer are lost as well, so delete records 10.7.NET.* until a deletion
# shows.
goes_on()
{
	local i
	for ((i = 1; i <= 60; i++)); do
		h1 del-lookup "10.7.$2.$i" vsid 7001 || return 1
		sleep 0.5
		grep -q "$(printf "$3" "$i")" "$1" && return 0
	done
	echo "no deletion of 10.7.$2.1-60 printed in $1"
	return 1
}

# overflow_text / overflow_json: the stopped monitors were resumed after
# 20000 changes; each says it lost events, then goes on.
overflow_text()
{
	wait_text "$TMPD/otext" "^$OVERFLOW$" &&
	goes_on "$TMPD/otext" 1 '^del-lookup 10\.7\.1\.%d vsid 7001$' &&
	! grep -v '^add-lookup 10\.7\.\|^del-lookup 10\.7\.[12]\.[0-9]* vsid 7001$\|^#' "$TMPD/otext"
}

overflow_json()
{
	wait_text "$TMPD/ojson" '^{"event":"overflow"}$' &&
	goes_on "$TMPD/ojson" 2 '"event":"del-lookup","ca":"10\.7\.2\.%d"' &&
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    json.loads(l)' "$TMPD/ojson"
}

# mon_signal NAME SIG: the monitor exited 0 on SIG.
mon_signal()
{
	kill -"$2" "${MON_PID[$1]}" 2>&1 || { echo "kill failed"; return 1; }
	mon_wait "$1"
	((MON_RC[$1] == 0)) || { echo "exit ${MON_RC[$1]}"; return 1; }
}

test_overflow()
{
	awk 'BEGIN { for (i = 0; i < 20000; i++)
		printf "add-lookup 10.7.%d.%d vsid 7001 pa 192.0.2.1 mac 02:00:00:07:%02x:%02x\n",
			i / 256, i % 256, i / 256, i % 256 }' >"$TMPD/bulk"
	mon_start otext -n "$PREFIX-h1" monitor &&
	mon_start ojson -n "$PREFIX-h1" -j monitor ||
		{ echo "Bail out! monitor did not start"; exit 1; }
	kill -STOP "${MON_PID[otext]}" "${MON_PID[ojson]}"
	check "20000 records added while the monitors are stopped" h1 -b "$TMPD/bulk"
	kill -CONT "${MON_PID[otext]}" "${MON_PID[ojson]}"
	check "overflow: monitor says events were lost, then goes on" overflow_text
	check "overflow: monitor -j prints {\"event\":\"overflow\"}, then goes on" \
		overflow_json
	mon_signal otext TERM >"$TMPD/sig.out"
	check "monitor exits 0 on SIGTERM" file_is "$TMPD/sig.out" ""
	mon_signal ojson INT >"$TMPD/sig.out"
	check "monitor exits 0 on SIGINT" file_is "$TMPD/sig.out" ""
}

require_module
ktap_plan 14

mkns h1
mkns h2
mkns h3
h2 add-link nv5001 vsid 5001 || { echo "Bail out! add-link"; exit 1; }
test_events
test_errors
test_overflow

ktap_finish
