#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# nvgrectl save / restore: a host's configuration survives a reboot (links
# deleted, module reloaded) and restore converges a running host to an
# edited file, with no change at all when the state already is the file.
#
#  vm1a 10.0.0.1 --[br5001 + nv5001]                 [nv5001 + br5001]-- vm2a 10.0.0.2
#                   [br6001 + nv6001] h1 192.0.2.1 -- br0 (sw) --
#                                    192.0.2.2 h2 [nv6001 + br6001]
#  h3: an empty host namespace that -b builds from h1's file (a dummy ul0
#      with h1's underlay addresses, for its PAs).
#
# Tenants 5001 and 6001 have records for the same CAs (only 5001 has VMs,
# to keep the test short under TCG); 2001:db8:5001::/64 next to
# 10.0.0.0/24 in 5001. h1's nv6001 has every link option
# (local 192.0.2.1 rdid 7 ttl 64 tos inherit). h1's PAs: its underlay
# address 192.0.2.1 and 2001:db8:ff::1 on ul0 (added IPv6 first).
#
# Exit status 0 / 1 / 4 (skip); KTAP on standard output.

. "$(dirname "$0")/lib/lib.sh"

MAC1A=02:00:00:00:01:01
MAC1B=02:00:00:00:01:02
MAC2A=02:00:00:00:02:01
MAC2B=02:00:00:00:02:02
TMPD=$(mktemp -d /tmp/nvgre-save.XXXXXX)
MON_PID=
trap 'mon_stop; cleanup; rm -rf "$TMPD"' EXIT

HEADER="# nvgre configuration, written by nvgrectl $("$NVGRECTL" -V | awk '{print $2}') save.
# \"nvgrectl restore FILE\" makes a namespace's state this file;
# \"nvgrectl -b FILE\" builds it in a namespace without nvgre state."

# h1's file: PAs IPv4 first, then by address; devices by name; records
# by VSID, IPv4 before IPv6, address.
H1_CONF="$HEADER
add-pa 192.0.2.1 dev ul0
add-pa 2001:db8:ff::1 dev ul0
add-link nv5001 vsid 5001
add-link nv6001 vsid 6001 local 192.0.2.1 rdid 7 ttl 64 tos inherit
add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2A
add-lookup 2001:db8:5001::1 vsid 5001 pa 192.0.2.1 mac $MAC1A
add-lookup 2001:db8:5001::2 vsid 5001 pa 192.0.2.2 mac $MAC2A
add-lookup 10.0.0.1 vsid 6001 pa 192.0.2.1 mac $MAC1B proto agent
add-lookup 10.0.0.2 vsid 6001 pa 192.0.2.2 mac $MAC2B"

# The edit: nv5001 gets a ttl (recreated), nv6001 goes and nv6001b takes
# its VSID, 10.0.0.2 of 5001 moves to 192.0.2.3 (replaced in place),
# 2001:db8:5001::2 goes, 10.0.0.3 of 5001 comes (protocol 200), PA
# 2001:db8:ff::1 goes, 10.0.0.1 of 6001 is taken over by hand (its
# protocol agent goes: replaced in place).
H1_EDIT="$HEADER
add-pa 192.0.2.1 dev ul0
add-link nv5001 vsid 5001 ttl 32
add-link nv6001b vsid 6001
add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.3 mac $MAC2A
add-lookup 10.0.0.3 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:02:03 proto 200
add-lookup 2001:db8:5001::1 vsid 5001 pa 192.0.2.1 mac $MAC1A
add-lookup 10.0.0.1 vsid 6001 pa 192.0.2.1 mac $MAC1B
add-lookup 10.0.0.2 vsid 6001 pa 192.0.2.2 mac $MAC2B"

# The notifications of that edit, in the order restore makes them.
H1_EDIT_EVENTS="del-lookup 2001:db8:5001::2 vsid 5001
del-link nv5001
del-link nv6001
del-pa 2001:db8:ff::1
add-link nv5001 vsid 5001 rdid 0 ttl 32
add-link nv6001b vsid 6001 rdid 0
replace-lookup 10.0.0.2 vsid 5001 pa 192.0.2.3 mac $MAC2A
add-lookup 10.0.0.3 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:02:03 proto 200
replace-lookup 10.0.0.1 vsid 6001 pa 192.0.2.1 mac $MAC1B"
SENTINEL="add-lookup 10.9.9.9 vsid 9009 pa 192.0.2.9 mac 02:00:00:00:09:09"

build()
{
	setup_underlay
	add_host h1 192.0.2.1
	add_host h2 192.0.2.2
	mkns h3
	on h3 ip link add ul0 type dummy &&
		on h3 ip addr add 192.0.2.1/24 dev ul0 &&
		on h3 ip addr add 2001:db8:ff::1/64 dev ul0 nodad &&
		on h3 ip link set ul0 up || return 1
	on h1 ip addr add 2001:db8:ff::1/64 dev ul0 nodad || return 1
	nsctl h1 add-pa 2001:db8:ff::1 dev ul0 &&
		nsctl h1 add-pa 192.0.2.1 dev ul0 || return 1
	add_segment h1 5001 || return 1
	add_segment h1 6001 local 192.0.2.1 rdid 7 ttl 64 tos inherit ||
		return 1
	add_vm h1 vm1a 5001 10.0.0.1 $MAC1A 2001:db8:5001::1
	add_vm h2 vm2a 5001 10.0.0.2 $MAC2A 2001:db8:5001::2
	add_segment h2 6001 || return 1
	provision h1 h2 <<-EOF || return 1
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2A
	add-lookup 2001:db8:5001::1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 2001:db8:5001::2 vsid 5001 pa 192.0.2.2 mac $MAC2A
	add-lookup 10.0.0.2 vsid 6001 pa 192.0.2.2 mac $MAC2B
	add-lookup 10.0.0.1 vsid 6001 pa 192.0.2.1 mac $MAC1B proto agent
	EOF
	ping_ok vm1a 10.0.0.2 >/dev/null
}

# file_is FILE WANT: FILE holds exactly WANT (and a final newline).
file_is()
{
	local got
	got=$(cat "$1") || return 1
	[[ "$got" == "$2" && -z "$(tail -c 1 "$1")" ]] ||
		{ printf 'got:\n%s\nwanted:\n%s\n' "$got" "$2"; return 1; }
}

# state HOST FILE: show-pa, show-link and show-lookup of HOST into FILE.
state()
{
	{ nsctl "$1" show-pa && nsctl "$1" show-link &&
		nsctl "$1" show-lookup; } >"$2"
}

# attach HOST: what the network configuration does at boot: every nvgre
# device nvVSID into its bridge brVSID, up.
attach()
{
	local dev
	for dev in $(on "$1" ip -o link show type nvgre |
		     awk -F': ' '{print $2}' | cut -d@ -f1); do
		on "$1" ip link set "$dev" master "br${dev#nv}" up ||
			{ echo "$1:"; on "$1" ip -br link; return 1; }
	done
}

save_twice()
{
	nsctl h1 save "$TMPD/h1.conf" && nsctl h1 save "$TMPD/h1.again" &&
		nsctl h1 save >"$TMPD/h1.stdout" &&
		nsctl h1 save - >"$TMPD/h1.dash" &&
		cmp "$TMPD/h1.conf" "$TMPD/h1.again" &&
		cmp "$TMPD/h1.conf" "$TMPD/h1.stdout" &&
		cmp "$TMPD/h1.conf" "$TMPD/h1.dash" &&
		nsctl h2 save "$TMPD/h2.conf" &&
		state h1 "$TMPD/h1.before" && state h2 "$TMPD/h2.before"
}

# An empty namespace built by "nvgrectl -b" of the file saves the same.
batch_compatible()
{
	nsctl h3 -b "$TMPD/h1.conf" && nsctl h3 save "$TMPD/h3.conf" &&
		cmp "$TMPD/h1.conf" "$TMPD/h3.conf"
}

# A save whose dump fails (uid nobody: reading the records needs
# CAP_NET_ADMIN) exits 2 and leaves FILE as it was, no temporary file.
failed_save()
{
	local pub=$TMPD/pub
	mkdir -p "$pub" && chmod 1777 "$pub" && chmod 755 "$TMPD" &&
		cp "$NVGRECTL" "$pub/nvgrectl" &&
		cp "$TMPD/h1.conf" "$pub/h1.conf" &&
		chown 65534:65534 "$pub/h1.conf" || return 1
	check_exit "save: a failed dump exits 2" 2 \
		"Error: Operation not permitted." \
		on h1 setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all "$pub/nvgrectl" save "$pub/h1.conf"
	check "save: a failed dump leaves FILE as it was, no temporary file" \
		eval 'cmp "$TMPD/h1.conf" "$pub/h1.conf" &&
		      [[ -z "$(find "$pub" -name "h1.conf.*")" ]]'
}

# The reboot: devices deleted, module unloaded (records gone with it) and
# loaded again. save without the module fails (it does not load it to
# save nothing) and leaves the file.
reboot()
{
	local h
	for h in h1 h2 h3; do
		on $h ip link del nv5001 2>/dev/null
		on $h ip link del nv6001 2>/dev/null
	done
	# rmmod, not modprobe -r: a softdep (modprobe.d) may name the bridge
	# module, whose removal would take the VMs' bridges with it.
	rmmod nvgre || return 1
	! grep -q '^nvgre ' /proc/modules || return 1
	cp "$TMPD/h1.conf" "$TMPD/h1.keep"
	if nsctl h1 save "$TMPD/h1.conf"; then
		echo "save without the module succeeded"
		return 1
	fi
	cmp "$TMPD/h1.conf" "$TMPD/h1.keep" || return 1
	! grep -q '^nvgre ' /proc/modules || { echo "save loaded nvgre"; return 1; }
	modprobe nvgre && [[ -z "$(nsctl h1 show-lookup)" ]] &&
		[[ -z "$(nsctl h1 show-link)" && -z "$(nsctl h1 show-pa)" ]]
}

restore_boot()
{
	nsctl h1 restore "$TMPD/h1.conf" && nsctl h2 restore "$TMPD/h2.conf" &&
		state h1 "$TMPD/h1.after" && state h2 "$TMPD/h2.after" &&
		diff "$TMPD/h1.before" "$TMPD/h1.after" &&
		diff "$TMPD/h2.before" "$TMPD/h2.after"
}

traffic_again()
{
	attach h1 && attach h2 &&
		ping_ok vm1a 10.0.0.2 &&
		on vm1a ping -6 -c 2 -i 0.3 -W 2 2001:db8:5001::2
}

mon_start()
{
	: >"$TMPD/mon.err"
	"$NVGRECTL" -n "$PREFIX-h1" monitor "$@" >"$TMPD/mon" \
		2>"$TMPD/mon.err" &
	MON_PID=$!
	wait_text "$TMPD/mon.err" "^# listening$"
}

mon_stop()
{
	[[ -n "$MON_PID" ]] || return 0
	kill "$MON_PID" 2>/dev/null
	wait "$MON_PID" 2>/dev/null
	MON_PID=
}

# events CMD...: the notifications CMD causes on h1, into $TMPD/mon: a
# monitor runs around it, then a sentinel record marks the end.
events()
{
	local rc=0
	mon_start || return 1
	"$@" >"$TMPD/cmd.out" 2>&1 || rc=$?
	nsctl h1 $SENTINEL || { mon_stop; return 1; }
	wait_text "$TMPD/mon" "^$SENTINEL$" || { mon_stop; return 1; }
	mon_stop
	nsctl h1 del-lookup 10.9.9.9 vsid 9009 || return 1
	sed -i "/^${SENTINEL}$/d" "$TMPD/mon"
	return $rc
}

# The saved file restored onto the state it describes: nothing.
restore_noop()
{
	events nsctl h1 restore "$1" || { cat "$TMPD/cmd.out"; return 1; }
	file_is "$TMPD/cmd.out" "" && file_is "$TMPD/mon" ""
}

converge()
{
	printf '%s\n' "$H1_EDIT" >"$TMPD/h1.edit"
	events nsctl h1 restore "$TMPD/h1.edit" || { cat "$TMPD/cmd.out"; return 1; }
	file_is "$TMPD/mon" "$H1_EDIT_EVENTS" || return 1
	grep -q "^Warning: deleted and added again: add-link nv5001 vsid 5001 ttl 32: " \
		"$TMPD/cmd.out" || { cat "$TMPD/cmd.out"; return 1; }
	nsctl h1 save "$TMPD/h1.now" && file_is "$TMPD/h1.now" "$H1_EDIT"
}

# A bad line 6 in a file that would change a lot: exit 1, FILE:6, and
# nothing changed.
bad_line()
{
	local f=$TMPD/h1.bad
	sed '6s/vsid 5001/vsid 5001 vsid 5002/' "$TMPD/h1.conf" >"$f"
	nsctl h1 save "$TMPD/h1.pre"
	check_exit "restore: a bad line is named as FILE:LINE, exit 1" 1 \
		"Error: $f:6: duplicate \"vsid\": \"5002\" is the second value." \
		nsctl h1 restore "$f"
	check "restore: a bad line leaves the state as it was" \
		eval 'nsctl h1 save "$TMPD/h1.post" && cmp "$TMPD/h1.pre" "$TMPD/h1.post"'
}

# The bad line is the last, after the 13 of h1.conf.
bad_files()
{
	local f=$TMPD/h1.conf
	printf '%s\nshow-link\n' "$(cat "$f")" >"$TMPD/cmd.conf"
	check_exit "restore: a command other than add- is refused" 1 \
		"Error: $TMPD/cmd.conf:14: \"show-link\" does not belong in a configuration file, only the add- commands of save" \
		nsctl h1 restore "$TMPD/cmd.conf"
	{ cat "$f"; sed -n 9p "$f" | sed 's/192.0.2.2/192.0.2.9/'; } >"$TMPD/dup.conf"
	check_exit "restore: an object twice is refused" 1 \
		"Error: $TMPD/dup.conf:14: the same object as line 9" \
		nsctl h1 restore "$TMPD/dup.conf"
	check_exit "restore: a missing file is an error, exit 1" 1 \
		"Error: cannot open \"$TMPD/none.conf\": No such file or directory." \
		nsctl h1 restore "$TMPD/none.conf"
	check_exit "restore: FILE is required" 1 \
		"Error: restore takes one FILE." nsctl h1 restore
	check_exit "save: one FILE at most" 1 \
		"Error: save takes one FILE at most." nsctl h1 save a b
}

# A PA whose device differs from the file's is deleted and added again
# on the file's device (d0, which has the address too); again: nothing.
pa_moves()
{
	local f=$TMPD/h1.move
	on h1 ip link add d0 type dummy &&
		on h1 ip addr add 192.0.2.1/32 dev d0 || return 1
	sed 's/^add-pa 192.0.2.1 dev ul0$/add-pa 192.0.2.1 dev d0/' \
		"$TMPD/h1.edit" >"$f"
	events nsctl h1 restore "$f" || { cat "$TMPD/cmd.out"; return 1; }
	file_is "$TMPD/mon" "del-pa 192.0.2.1
add-pa 192.0.2.1 dev d0" || return 1
	grep -q "^Warning: deleted and added again: add-pa 192.0.2.1 dev d0: " \
		"$TMPD/cmd.out" || { cat "$TMPD/cmd.out"; return 1; }
	nsctl h1 save "$TMPD/h1.now" && cmp "$f" "$TMPD/h1.now" &&
		restore_noop "$f"
}

# An empty file: restore deletes every device and record.
restore_empty()
{
	: >"$TMPD/empty.conf"
	nsctl h2 restore "$TMPD/empty.conf" &&
		[[ -z "$(nsctl h2 show-link)" && -z "$(nsctl h2 show-lookup)" ]] &&
		nsctl h2 save "$TMPD/h2.empty" && file_is "$TMPD/h2.empty" "$HEADER"
}

ktap_plan 20
require_module
if ! build; then
	echo "Bail out! cannot build the topology"
	exit 1
fi
check "save: twice the same bytes, to FILE and to standard output" save_twice
check "save: the file lists PAs, devices, then records, sorted" \
	file_is "$TMPD/h1.conf" "$H1_CONF"
check "save: nvgrectl -b of the file builds the same state" batch_compatible
failed_save
check "reboot: links deleted, module reloaded; save without it fails, keeps the file" \
	reboot
check "restore after reboot: show-pa, show-link and show-lookup as before" restore_boot
check "restore after reboot: traffic between the VMs again" traffic_again
check "restore onto the same state: no change, no event" \
	restore_noop "$TMPD/h1.conf"
check "restore converges: recreates, replaces in place, adds, deletes" converge
check "restore again: no change, no event" restore_noop "$TMPD/h1.edit"
bad_line
bad_files
check "restore: a PA on another device is deleted and added again" pa_moves
check "restore: an empty file removes every device and record" restore_empty
ktap_finish
