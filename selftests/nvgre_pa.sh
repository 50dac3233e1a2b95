#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Provider addresses: a host with two PAs sends each VM's frames from the
# PA its record names, takes NVGRE only for its PAs, and refuses (counts,
# logs) to send from an address that is not one; add-pa, del-pa, show-pa,
# their notifications, and a PA going away with its underlay device.
#
#  vm1a 10.0.0.1 (pa 192.0.2.1)  \
#  vm1b 10.0.0.3 (pa 192.0.2.11) -- h1 ul0 192.0.2.1, .11 (PAs), .21 (not)
#                                      |  br0 (sw)
#  vm2a 10.0.0.2 (pa 192.0.2.2)  ---- h2 ul0 192.0.2.2 (PA)

. "$(dirname "$0")/lib/lib.sh"

MAC1A=02:00:00:00:01:01
MAC1B=02:00:00:00:01:02
MAC2A=02:00:00:00:02:01
TMPD=/tmp/$PREFIX-pa
mkdir -p "$TMPD"
MON_PID=
trap '[[ -z "$MON_PID" ]] || kill "$MON_PID" 2>/dev/null; cleanup; rm -rf "$TMPD"' EXIT

h1() { nsctl h1 "$@"; }
h2() { nsctl h2 "$@"; }

setup()
{
	setup_underlay
	add_host h1 192.0.2.1
	add_host h2 192.0.2.2
	on h1 ip addr add 192.0.2.11/24 dev ul0
	on h1 ip addr add 192.0.2.21/24 dev ul0
	on h1 ip addr add 2001:db8:ff::1/64 dev ul0 nodad
	add_vm h1 vm1a 5001 10.0.0.1 $MAC1A || return 1
	add_vm h1 vm1b 5001 10.0.0.3 $MAC1B || return 1
	add_vm h2 vm2a 5001 10.0.0.2 $MAC2A || return 1
	provision h1 h2 <<-EOF
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 10.0.0.3 vsid 5001 pa 192.0.2.11 mac $MAC1B
	add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2A
	EOF
}

add_pas()
{
	h1 add-pa 192.0.2.11 dev ul0 &&
	h1 add-pa 192.0.2.1 dev ul0 &&
	h1 add-pa 2001:db8:ff::1 dev ul0 &&
	h2 add-pa 192.0.2.2 dev ul0
}

show_text()
{
	local want got
	want=$(printf '%s\n' "192.0.2.1 dev ul0" "192.0.2.11 dev ul0" \
		"2001:db8:ff::1 dev ul0")
	got=$(h1 show-pa)
	[[ "$got" == "$want" ]] || { echo "got:"; echo "$got"; return 1; }
}

show_json()
{
	h1 -j show-pa | python3 -c '
import json, sys
pas = json.load(sys.stdin)
assert [p["pa"] for p in pas] == ["192.0.2.1", "192.0.2.11", "2001:db8:ff::1"], pas
assert all(p["dev"] == "ul0" and p["ifindex"] > 0 for p in pas), pas'
}

# capture_src VM SRC: the outer source addresses of the NVGRE that h2
# receives while VM sends UDP from its CA SRC to vm2a, one per line,
# sorted, unique. Only those UDP frames count: the VMs' router and MLD
# solicitations reach h2 too, by head-end replication (flood.c).
capture_src()
{
	local cap=$TMPD/cap-$1
	bg_capture h2 "$cap" $PKT capture ul0 60 "$cap.stop" || return 1
	on "$1" $PKT udp "$2" 10.0.0.2 4
	bg_stop "$cap"
	python3 - "$cap" <<-'PY'
	import json, sys
	recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
	src = {r["src"] for r in recs
	       if r.get("inner_dport") == 7777 and r["dst"] == "192.0.2.2"}
	print("\n".join(sorted(src)))
	PY
}

both_ping()
{
	ping_ok vm1a 10.0.0.2 && ping_ok vm1b 10.0.0.2
}

source_is_record_pa()
{
	local a b
	a=$(capture_src vm1a 10.0.0.1) || return 1
	b=$(capture_src vm1b 10.0.0.3) || return 1
	[[ "$a" == 192.0.2.1 && "$b" == 192.0.2.11 ]] ||
		{ echo "vm1a from '$a', vm1b from '$b'"; return 1; }
}

# listen_during DST CMD...: the test frames vm1a receives while h2 sends
# them to h1's address DST; an "end" frame to 192.0.2.1 closes the window.
send_to()
{
	on h2 $PKT send ul0 "$H1MAC" 192.0.2.2 "$1" 5001 $MAC2A 10.0.0.2 "${@:2}"
}

received_for()
{
	local f=$TMPD/listen
	bg_capture vm1a "$f" $PKT listen eth0 20 >/dev/null || return 1
	send_to "$1" good
	send_to 192.0.2.1 end
	bg_wait
	cat "$f"
}

rx_pa_ok()
{
	local seen
	seen=$(received_for 192.0.2.11)
	[[ "$seen" == good ]] || { echo "vm1a saw '$seen'"; return 1; }
}

rx_not_pa_refused()
{
	local before after seen
	before=$(link_stat h1 nv5001 rx_wrong_pa)
	seen=$(received_for 192.0.2.21)
	after=$(link_stat h1 nv5001 rx_wrong_pa)
	[[ -z "$seen" ]] || { echo "delivered: $seen"; return 1; }
	((after == before + 1)) || { echo "rx_wrong_pa: $before -> $after"; return 1; }
}

no_local_pa_dropped()
{
	h1 del-pa 192.0.2.11 || return 1
	on h1 dmesg -C 2>/dev/null
	ping_dropped h1 nv5001 tx_no_local_pa vm1b 10.0.0.2 || return 1
	dmesg | grep -q "nv5001: no local PA to send from for $MAC1B" ||
		{ echo "not logged"; return 1; }
	ping_ok vm1a 10.0.0.2 || { echo "vm1a cut off too"; return 1; }
}

# With the device's local PA as a fallback, vm1b's frames leave from it.
local_fallback()
{
	local src
	h1 del-link nv5001 || return 1
	add_segment h1 5001 local 192.0.2.1 || return 1
	src=$(capture_src vm1b 10.0.0.3) || return 1
	[[ "$src" == 192.0.2.1 ]] || { echo "vm1b from '$src'"; return 1; }
}

monitor_events()
{
	local out=$TMPD/mon
	: >"$out.err"
	"$NVGRECTL" -n "$PREFIX-h1" monitor count 3 >"$out" 2>"$out.err" &
	MON_PID=$!
	wait_text "$out.err" "^# listening$" || return 1
	on h1 ip link add d0 type dummy
	on h1 ip addr add 198.51.100.1/24 dev d0
	h1 add-pa 198.51.100.1 dev d0 || return 1
	h1 del-pa 198.51.100.1 || return 1
	h1 add-pa 198.51.100.1 dev d0 || return 1
	wait "$MON_PID"
	MON_PID=
	local want
	want=$(printf '%s\n' "add-pa 198.51.100.1 dev d0" "del-pa 198.51.100.1" \
		"add-pa 198.51.100.1 dev d0")
	[[ "$(cat "$out")" == "$want" ]] || { echo "got:"; cat "$out"; return 1; }
}

dev_gone()
{
	on h1 ip link del d0 || return 1
	h1 show-pa | grep -q 198.51.100.1 && { h1 show-pa; return 1; }
	return 0
}

require_module
ktap_plan 20

setup || { echo "Bail out! setup failed"; exit 1; }
H1MAC=$(on h1 cat /sys/class/net/ul0/address)
on h2 ping -c 1 -W 2 192.0.2.1 >/dev/null

check "no PA: decapsulation to any local address (compatibility)" rx_pa_ok
check "add-pa IPv4 and IPv6 PAs" add_pas
check "show-pa: every PA as its add-pa words, sorted" show_text
check "show-pa -j" show_json
check_fail "add-pa of an existing PA" "The PA exists in this namespace" \
	h1 add-pa 192.0.2.1 dev ul0
check_fail "add-pa of an address the device does not have" \
	"The PA is not an address of the underlay device" \
	h1 add-pa 192.0.2.99 dev ul0
check_fail "add-pa on a missing device" 'cannot find device "nope0"' \
	h1 add-pa 192.0.2.11 dev nope0
check_fail "add-pa without dev" '"dev" is required' h1 add-pa 192.0.2.11
check_fail "add-pa of a multicast address" "PA must be a unicast" \
	h1 add-pa 224.0.0.1 dev ul0
check_fail "del-pa of an unknown PA" "No such PA in this namespace" \
	h1 del-pa 192.0.2.99
check "VMs reach each other from both PAs of h1" both_ping
check "outer source is the PA of the sending VM's record" source_is_record_pa
check "decapsulation for a PA of h1" rx_pa_ok
check "decapsulation for a local address that is no PA: rx_wrong_pa" \
	rx_not_pa_refused
check "no local PA for the sender: dropped, tx_no_local_pa, logged" \
	no_local_pa_dropped
check "the device's local PA is the fallback source" local_fallback
check "monitor prints add-pa and del-pa as commands" monitor_events
check "a PA goes away with its underlay device" dev_gone
check "del-pa IPv6" h1 del-pa 2001:db8:ff::1
check_exit "show-pa after del-pa" 0 "192.0.2.1 dev ul0" h1 show-pa

ktap_finish
