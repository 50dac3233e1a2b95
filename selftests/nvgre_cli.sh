#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# nvgrectl against the real module: every command, its text and JSON
# output, the kernel's messages, bad input, permissions, namespaces, batch
# mode and dumps that race with changes. Control plane only: no packet is
# sent, so the namespaces have no underlay.
#
#   h1 (netns)                                  h2 (netns)
#     nv5001  vsid 5001                           nv5001  vsid 5001
#     nv6001  vsid 6001 local 192.0.2.1 rdid 7    (same VSID, other netns)
#     d0      dummy (not nvgre)
#
# Records, in h1 unless said otherwise:
#   VSID 5001  10.0.0.1, 2001:db8:1::1 at PA 192.0.2.1; 10.0.0.2 at 192.0.2.2
#   VSID 6001  10.0.0.1 at 192.0.2.2 (same CA, other tenant)
#   VSID 7001  5000 CAs 10.7.0.0 - 10.7.19.135 at 192.0.2.1 or 192.0.2.2,
#              MAC 02:00:00:07:<third byte>:<fourth byte> of the CA
#   h2: VSID 5001 10.0.0.1 at 192.0.2.2
#
# Exit status 0 / 1 / 4 (skip); KTAP on standard output.

. "$(dirname "$0")/lib/lib.sh"

MAC1=02:00:00:00:00:01
MAC2=02:00:00:00:00:02
MAC3=02:00:00:00:00:03
TMPD=$(mktemp -d /tmp/nvgre-cli.XXXXXX)
chmod 755 "$TMPD"
trap 'cleanup; rm -rf "$TMPD"' EXIT

EEXIST_REC="Error: A record for this CA exists in this VSID."
ENOENT_REC="Error: No record for this CA in this VSID."
EPERM="Error: Operation not permitted."
INTR="Error: the dump was interrupted by concurrent changes 5 times in a row, try again."
VSID_E() { echo "Error: argument \"$1\" is wrong: VSID must be a number in 4096-16777214"; }

h1() { nsctl h1 "$@"; }
h2() { nsctl h2 "$@"; }

# nobody ARGS...: nvgrectl in h1 as uid 65534 without capabilities.
nobody()
{
	on h1 setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all "$TMPD/nvgrectl" "$@"
}

# out_is WANT CMD...: CMD succeeds and prints exactly WANT.
out_is()
{
	local want=$1 out
	shift
	out=$("$@") || return 1
	[[ "$out" == "$want" ]] || { printf 'got:\n%s\nwanted:\n%s\n' "$out" "$want"; return 1; }
}

# py CODE CMD...: the output of CMD (which must succeed) is sys.stdin of
# the python3 CODE, which raises to fail.
py()
{
	local code=$1 out
	shift
	out=$("$@") || return 1
	python3 -c "import json, re, sys
$code" <<<"$out"
}

# rtnl_newlink NAME VSID: RTM_NEWLINK of kind nvgre straight to the kernel,
# as iproute2 cannot send IFLA_NVGRE_VSID; prints the error and extack.
rtnl_newlink()
{
	on h1 python3 - "$@" <<-'EOF'
	import socket, struct, sys
	def nla(t, p):
	    n = 4 + len(p)
	    return struct.pack("HH", n, t) + p + b"\0" * (-n % 4)
	data = nla(1, struct.pack("I", int(sys.argv[2])))	# IFLA_NVGRE_VSID
	info = nla(1, b"nvgre\0") + nla(2 | 0x8000, data)	# KIND, DATA
	body = struct.pack("BxHiII", 0, 0, 0, 0, 0) + \
	       nla(3, sys.argv[1].encode() + b"\0") + nla(18 | 0x8000, info)
	s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
	s.setsockopt(270, 11, 1)	# NETLINK_EXT_ACK
	s.setsockopt(270, 10, 1)	# NETLINK_CAP_ACK
	flags = 0x1 | 0x4 | 0x400 | 0x200	# REQUEST ACK CREATE EXCL
	s.send(struct.pack("IHHII", 16 + len(body), 16, flags, 1, 0) + body)
	r = s.recv(65536)
	err, = struct.unpack_from("i", r, 16)
	off, msg = 16 + 4 + 16, ""
	while off + 4 <= len(r):
	    n, t = struct.unpack_from("HH", r, off)
	    if n < 4:
	        break
	    if t == 1:		# NLMSGERR_ATTR_MSG
	        msg = r[off + 4:off + n].rstrip(b"\0").decode()
	    off += (n + 3) & ~3
	print("error %d: %s" % (err, msg))
	sys.exit(2 if err else 0)
	EOF
}

# ---- devices ---------------------------------------------------------------

show_link_json()
{
	local idx
	idx=$(on h1 cat /sys/class/net/nv6001/ifindex)
	py "
l = json.load(sys.stdin)
want = [{'ifname': 'nv5001', 'ifindex': l[0]['ifindex'], 'vsid': 5001, 'rdid': 0},
        {'ifname': 'nv6001', 'ifindex': $idx, 'vsid': 6001, 'local': '192.0.2.1', 'rdid': 7}]
assert l == want, l" h1 -j show-link
}

show_link_pretty_stats()
{
	local out
	out=$(h1 -p show-link nv6001 -s) || return 1
	(($(wc -l <<<"$out") > 20)) || { echo "not pretty: $out"; return 1; }
	python3 -c '
import json, sys
l = json.load(sys.stdin)
assert len(l) == 2, l
d, ns = l
names = """rx_packets rx_bytes tx_packets tx_bytes arp_replies tx_no_record
tx_flood tx_arp_miss tx_local_pa tx_no_route tx_errors rx_bad_flags rx_vlan
rx_wrong_pa rx_spoof_mac rx_spoof_ca rx_malformed rx_errors
tx_too_big rx_ecn nd_replies tx_nd_miss miss_events miss_suppressed
tx_no_local_pa tx_no_subnet tx_ttl_exceeded tx_routed_local
tx_flood_copies tx_flood_skipped tx_gateway rx_wrong_group tx_group
tx_nd_spoof rx_nd_spoof tx_nd_router rx_nd_router tx_ns_invalid
rx_policy""".split()
assert d["ifname"] == "nv6001" and d["vsid"] == 6001, d
assert list(d["stats"]) == names, list(d["stats"])
assert all(v == 0 for v in d["stats"].values()), d["stats"]
assert ns == {"namespace_stats": {"rx_unknown_vsid": 0}}, ns' <<<"$out"
}

show_link_stats_text()
{
	local out
	out=$(h1 show-link -s) || return 1
	grep -qx 'nv6001: vsid 6001 local 192.0.2.1 rdid 7' <<<"$out" &&
	grep -qx '    rx_packets 0 rx_bytes 0 tx_packets 0 tx_bytes 0 arp_replies 0' <<<"$out" &&
	[[ "$(tail -n 2 <<<"$out")" == $'namespace:\n    rx_unknown_vsid 0' ]] ||
		{ echo "$out"; return 1; }
}

test_links()
{
	check "add-link nv5001 vsid 5001" h1 add-link nv5001 vsid 5001
	check "add-link nv6001 vsid 6001 local 192.0.2.1 rdid 7" \
		h1 add-link nv6001 vsid 6001 local 192.0.2.1 rdid 7
	check "show-link: one line per device" out_is \
		$'nv5001: vsid 5001 rdid 0\nnv6001: vsid 6001 local 192.0.2.1 rdid 7' \
		h1 show-link
	check "show-link NAME" out_is 'nv6001: vsid 6001 local 192.0.2.1 rdid 7' \
		h1 show-link nv6001
	check "show-link -j: ifname, ifindex, vsid, local, rdid" show_link_json
	check "show-link -p -s: pretty JSON, every counter, namespace_stats" \
		show_link_pretty_stats
	check "show-link -s: counter lines and namespace: counters" \
		show_link_stats_text
	check "ip -d link show lists the nvgre device" \
		bash -c "ip -n $PREFIX-h1 -d link show nv6001 | grep -qw nvgre"
	check_exit "second device with the same VSID in a namespace: kernel refuses" 2 \
		"Error: An nvgre device for this VSID exists in this namespace." \
		h1 add-link nv5001b vsid 5001
	check_exit "add-link of an existing name: kernel refuses" 2 \
		"Error: File exists." h1 add-link nv5001 vsid 5002
	check "same VSID in another namespace is allowed" \
		h2 add-link nv5001 vsid 5001
	check_exit "add-link vsid 4095 refused by nvgrectl" 1 "$(VSID_E 4095)" \
		h1 add-link nvx vsid 4095
	check_exit "add-link vsid 16777215 refused by nvgrectl" 1 \
		"$(VSID_E 16777215)" h1 add-link nvx vsid 16777215
	check_exit "RTM_NEWLINK vsid 4095 refused by the kernel's policy" 2 \
		"error -34: integer out of range" rtnl_newlink nvx 4095
	check_exit "RTM_NEWLINK vsid 16777215 refused by the kernel's policy" 2 \
		"error -34: integer out of range" rtnl_newlink nvx 16777215
	check_exit "ip link add type nvgre without VSID: kernel refuses" 2 \
		"Error: nvgre: VSID is required." \
		on h1 ip link add nvx type nvgre
	check_exit "show-link of an unknown device" 2 \
		'Error: cannot find device "nope".' h1 show-link nope
	check_exit "del-link of an unknown device" 2 \
		'Error: cannot find device "nope".' h1 del-link nope
	on h1 ip link add d0 type dummy
	check_exit "del-link of a dummy device is refused" 2 \
		"Error: d0 is not an nvgre device." h1 del-link d0
	check "... and the dummy device is still there" on h1 ip link show d0
	check_exit "show-link of a dummy device is refused" 2 \
		"Error: d0 is not an nvgre device." h1 show-link d0
	check "ip link del deletes an nvgre device" on h1 ip link del nv5001
	check "del-link deletes an nvgre device" h1 del-link nv6001
	check "show-link lists nothing after both deletes" out_is "" h1 show-link
	check "show-link -j of no device is []" out_is "[]" h1 -j show-link
}

# ---- lookup records ----------------------------------------------------------

lookup_json()
{
	py "
l = json.load(sys.stdin)
assert [list(r) for r in l] == [['ca', 'vsid', 'pa', 'mac']] * 3, l
assert l[1] == {'ca': '10.0.0.2', 'vsid': 5001, 'pa': '192.0.2.1',
                'mac': '$MAC3'}, l[1]
assert l[2]['ca'] == '2001:db8:1::1', l[2]" h1 -j show-lookup vsid 5001
}

test_lookups()
{
	check "add-lookup IPv4 CA" \
		h1 add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1
	check "add-lookup IPv6 CA" \
		h1 add-lookup 2001:db8:1::1 vsid 5001 pa 192.0.2.1 mac $MAC1
	check "add-lookup same CA in another VSID (hex VSID 0x1771)" \
		h1 add-lookup 10.0.0.1 vsid 0x1771 pa 192.0.2.2 mac $MAC2
	check_exit "duplicate add-lookup IPv4: kernel's message" 2 "$EEXIST_REC" \
		h1 add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.2 mac $MAC2
	check_exit "duplicate add-lookup IPv6: kernel's message" 2 "$EEXIST_REC" \
		h1 add-lookup 2001:db8:1::1 vsid 5001 pa 192.0.2.2 mac $MAC2
	check "replace-lookup of a missing record creates it" \
		h1 replace-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2
	check "show-lookup: sorted by VSID then CA, IPv4 first" out_is \
"10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1
10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2
2001:db8:1::1 vsid 5001 pa 192.0.2.1 mac $MAC1
10.0.0.1 vsid 6001 pa 192.0.2.2 mac $MAC2" h1 show-lookup
	check "replace-lookup changes PA and MAC" \
		h1 replace-lookup 10.0.0.2 vsid 5001 pa 192.0.2.1 mac $MAC3
	check "show-lookup vsid 5001 shows the new PA and MAC only" out_is \
"10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1
10.0.0.2 vsid 5001 pa 192.0.2.1 mac $MAC3
2001:db8:1::1 vsid 5001 pa 192.0.2.1 mac $MAC1" h1 show-lookup vsid 5001
	check "show-lookup -j: array of {ca, vsid, pa, mac}" lookup_json
	check "show-lookup of an unused VSID is empty" out_is "" \
		h1 show-lookup vsid 9999
	check_exit "del-lookup of a missing IPv4 record: kernel's message" 2 \
		"$ENOENT_REC" h1 del-lookup 10.0.0.9 vsid 5001
	check_exit "del-lookup of a missing IPv6 record: kernel's message" 2 \
		"$ENOENT_REC" h1 del-lookup 2001:db8:1::9 vsid 5001
	check_exit "del-lookup of the CA in the wrong VSID" 2 "$ENOENT_REC" \
		h1 del-lookup 2001:db8:1::1 vsid 6001
	check_exit "del-lookup of a multicast CA: kernel's message" 2 \
		"Error: CA must be a unicast IPv4 address." \
		h1 del-lookup 224.0.0.1 vsid 5001
	check "del-lookup IPv6" h1 del-lookup 2001:db8:1::1 vsid 5001
	check "del-lookup IPv4" h1 del-lookup 10.0.0.2 vsid 5001
	check "show-lookup after the deletes" out_is \
"10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1
10.0.0.1 vsid 6001 pa 192.0.2.2 mac $MAC2" h1 show-lookup
	check "flush-lookup vsid 6001" h1 flush-lookup vsid 6001
	check "... leaves VSID 5001" out_is \
		"10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1" h1 show-lookup
}

# ---- protocols: who installed a record ---------------------------------------

proto_json()
{
	py "
l = json.load(sys.stdin)
assert 'proto' not in l[0], l[0]
assert l[1]['proto'] == 'agent' and l[2]['proto'] == '77', l
assert [list(r) for r in l[1:]] == [['ca', 'vsid', 'pa', 'mac', 'proto'],
    ['vsid', 'pa', 'mac', 'type', 'proto']], l" h1 -j show-lookup vsid 5001
}

test_proto()
{
	local gw="vsid 5001 pa 192.0.2.2 mac $MAC2 type gateway"
	check "add-lookup proto agent; a bulk batch with proto NUM" \
		eval 'h1 add-lookup 10.0.0.7 vsid 5001 pa 192.0.2.1 mac $MAC1 proto agent &&
		      printf "add-lookup %s proto 77\n" "$gw" | h1 -b -'
	check "show-lookup: proto only when not by hand" out_is \
"10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1
10.0.0.7 vsid 5001 pa 192.0.2.1 mac $MAC1 proto agent
vsid 5001 pa 192.0.2.2 mac $MAC2 type gateway proto 77" h1 show-lookup vsid 5001
	check "show-lookup -j: \"proto\" only when not by hand" proto_json
	check_exit "del-lookup proto agent of a record added by hand: kernel's message" \
		2 "Error: The record has another protocol." \
		h1 del-lookup 10.0.0.1 vsid 5001 proto agent
	check "replace-lookup by hand takes a record over" \
		h1 replace-lookup 10.0.0.7 vsid 5001 pa 192.0.2.2 mac $MAC1
	check_exit "... and its former owner cannot delete it" \
		2 "Error: The record has another protocol." \
		h1 del-lookup 10.0.0.7 vsid 5001 proto agent
	check "del-lookup proto admin and proto NUM delete the owner's records" \
		eval 'h1 del-lookup 10.0.0.7 vsid 5001 proto admin &&
		      h1 del-lookup vsid 5001 type gateway proto 77'
	check "... and leave the others" out_is \
		"10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1" h1 show-lookup vsid 5001
}

# ---- bad input: exit 1, nothing sent -----------------------------------------

test_bad_input()
{
	local add="add-lookup 10.0.0.5 vsid 5001"
	local arg='Error: argument'

	check_exit "bad VSID: not a number" 1 "$(VSID_E abc)" \
		h1 add-lookup 10.0.0.5 vsid abc pa 192.0.2.1 mac $MAC1
	check_exit "bad VSID: 4095 in add-lookup" 1 "$(VSID_E 4095)" \
		h1 add-lookup 10.0.0.5 vsid 4095 pa 192.0.2.1 mac $MAC1
	check_exit "bad VSID: -1 in show-lookup" 1 "$(VSID_E -1)" \
		h1 show-lookup vsid -1
	check_exit "bad MAC: multicast" 1 \
		"$arg \"01:00:5e:00:00:01\" is wrong: MAC must be unicast, not multicast (the first byte is odd)" \
		h1 $add pa 192.0.2.1 mac 01:00:5e:00:00:01
	check_exit "bad MAC: broadcast" 1 \
		"$arg \"ff:ff:ff:ff:ff:ff\" is wrong: MAC must be unicast, ff:ff:ff:ff:ff:ff is broadcast" \
		h1 $add pa 192.0.2.1 mac ff:ff:ff:ff:ff:ff
	check_exit "bad MAC: all zeros" 1 \
		"$arg \"00:00:00:00:00:00\" is wrong: MAC must not be all zeros" \
		h1 $add pa 192.0.2.1 mac 00:00:00:00:00:00
	check_exit "bad MAC: five bytes" 1 \
		"$arg \"02:00:00:00:01\" is wrong: MAC must be xx:xx:xx:xx:xx:xx (six hexadecimal bytes)" \
		h1 $add pa 192.0.2.1 mac 02:00:00:00:01
	check_exit "bad MAC: not hexadecimal" 1 \
		"$arg \"02:00:00:00:00:0g\" is wrong: MAC must be xx:xx:xx:xx:xx:xx (six hexadecimal bytes)" \
		h1 $add pa 192.0.2.1 mac 02:00:00:00:00:0g
	check_exit "bad CA: 10.0.0.300" 1 \
		"$arg \"10.0.0.300\" is wrong: CA must be a unicast IPv4 or IPv6 address" \
		h1 add-lookup 10.0.0.300 vsid 5001 pa 192.0.2.1 mac $MAC1
	check_exit "bad CA: multicast IPv6" 1 \
		"$arg \"ff02::1\" is wrong: CA must be a unicast IPv4 or IPv6 address" \
		h1 add-lookup ff02::1 vsid 5001 pa 192.0.2.1 mac $MAC1
	check_exit "bad PA: IPv6 link-local" 1 \
		"$arg \"fe80::1\" is wrong: PA must be a global IPv6 address, not link-local" \
		h1 $add pa fe80::1 mac $MAC1
	check_exit "bad PA: loopback" 1 \
		"$arg \"127.0.0.1\" is wrong: PA must be a unicast address" \
		h1 $add pa 127.0.0.1 mac $MAC1
	check_exit "bad PA: not an address" 1 \
		"$arg \"pa1\" is wrong: PA must be an IPv4 or IPv6 address" \
		h1 $add pa pa1 mac $MAC1
	check_exit "bad local PA in add-link: broadcast" 1 \
		"$arg \"255.255.255.255\" is wrong: local PA must be a unicast address" \
		h1 add-link nvx vsid 5001 local 255.255.255.255
	check_exit "missing CA" 1 "Error: CA is required." h1 add-lookup
	check_exit "missing mac" 1 'Error: "mac" is required.' \
		h1 $add pa 192.0.2.1
	check_exit "missing vsid in del-lookup" 1 'Error: "vsid" is required.' \
		h1 del-lookup 10.0.0.1
	check_exit "missing value after a keyword" 1 \
		'Error: missing value after "pa".' h1 $add mac $MAC1 pa
	check_exit "CA after a keyword" 1 \
		'Error: CA must come first, before "vsid".' \
		h1 add-lookup vsid 5001 10.0.0.5 pa 192.0.2.1 mac $MAC1
	check_exit "unknown keyword" 1 \
		'Error: unknown argument "color", try "nvgrectl help".' \
		h1 $add pa 192.0.2.1 mac $MAC1 color blue
	check_exit "duplicated keyword vsid" 1 \
		'Error: duplicate "vsid": "6001" is the second value.' \
		h1 $add vsid 6001 pa 192.0.2.1 mac $MAC1
	check_exit "duplicated keyword mac" 1 \
		"Error: duplicate \"mac\": \"$MAC2\" is the second value." \
		h1 $add mac $MAC1 pa 192.0.2.1 mac $MAC2
	check_exit "unknown command" 1 \
		'Error: unknown command "add-tunnel", try "nvgrectl help".' \
		h1 add-tunnel 10.0.0.5
	check_exit "unknown option" 1 \
		'Error: option "-x" is unknown, try "nvgrectl help".' \
		nvgrectl -x show-lookup
	check_exit "del-link takes one name" 1 \
		'Error: unknown argument "nv2", try "nvgrectl help".' \
		h1 del-link nv1 nv2
	check_exit "no command: usage on stderr, exit 1" 1 \
		"$(nvgrectl help)" nvgrectl
	check "nothing reached the kernel" out_is \
		"10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1" h1 show-lookup
}

# ---- permissions -----------------------------------------------------------------

test_permissions()
{
	local before
	install -m 755 "$NVGRECTL" "$TMPD/nvgrectl"
	h1 add-link nv5001 vsid 5001
	before=$(h1 show-lookup)
	check_exit "unprivileged add-link" 2 "$EPERM" nobody add-link nvx vsid 5002
	check_exit "unprivileged del-link" 2 "$EPERM" nobody del-link nv5001
	check_exit "unprivileged add-lookup" 2 "$EPERM" \
		nobody add-lookup 10.0.0.9 vsid 5001 pa 192.0.2.1 mac $MAC1
	check_exit "unprivileged replace-lookup" 2 "$EPERM" \
		nobody replace-lookup 10.0.0.1 vsid 5001 pa 192.0.2.2 mac $MAC2
	check_exit "unprivileged del-lookup" 2 "$EPERM" \
		nobody del-lookup 10.0.0.1 vsid 5001
	check_exit "unprivileged flush-lookup" 2 "$EPERM" nobody flush-lookup
	check_exit "unprivileged show-lookup (records describe tenants)" 2 \
		"$EPERM" nobody show-lookup
	check_exit "unprivileged -b: the first write fails" 2 \
		"$EPERM"$'\nCommand failed -:1' bash -c \
		"echo flush-lookup | ip netns exec $PREFIX-h1 setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all $TMPD/nvgrectl -b -"
	check "unprivileged show-link is allowed, like ip link" out_is \
		"nv5001: vsid 5001 rdid 0" nobody show-link
	check "records and devices unchanged" out_is "$before" h1 show-lookup
}

# ---- namespaces --------------------------------------------------------------------

test_netns()
{
	check "h2 sees none of h1's records" out_is "" h2 show-lookup
	check "h2 adds the (VSID, CA) that h1 has" \
		h2 add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.2 mac $MAC2
	check "h1's record is unchanged" out_is \
		"10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1" h1 show-lookup
	check "flush-lookup in h2 leaves h1" bash -c \
		"${NVGRECTL@Q} -n $PREFIX-h2 flush-lookup &&
		 [ \"\$(${NVGRECTL@Q} -n $PREFIX-h1 show-lookup | wc -l)\" = 1 ]"
	check "show-link in h2 lists only h2's device" out_is \
		"nv5001: vsid 5001 rdid 0" h2 show-link
	check_exit "-n of a missing namespace" 2 \
		'Error: cannot open network namespace "nvgre-none": No such file or directory.' \
		nvgrectl -n nvgre-none show-lookup
}

# ---- batch mode ----------------------------------------------------------------------

batch_stdin()
{
	h1 -b - <<-EOF || return 1
	# from standard input
	add-lookup 10.0.0.21 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:21
	del-lookup 10.0.0.21 vsid 5001   # and gone again
	add-lookup "10.0.0.22" vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:22
	EOF
	h1 show-lookup | grep -qx "10.0.0.22 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:22" &&
		! h1 show-lookup | grep -q 10.0.0.21
}

# verify_7001: standard input is show-lookup vsid 7001 of all 5000
# records, each once, in order, each PA one of the two, MAC matching CA.
verify_7001()
{
	python3 -c '
import re, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 5000, "%d records" % len(lines)
for i, l in enumerate(lines):
    m = re.fullmatch(r"10\.7\.(\d+)\.(\d+) vsid 7001 pa 192\.0\.2\.[12] "
                     r"mac 02:00:00:07:([0-9a-f]{2}):([0-9a-f]{2})", l)
    assert m, "bad line %r" % l
    a, b = int(m[1]), int(m[2])
    assert a * 256 + b == i, "record %d is %r" % (i, l)
    assert (int(m[3], 16), int(m[4], 16)) == (a, b), l'
}

bulk_add()
{
	local i f=$TMPD/bulk
	for ((i = 0; i < 5000; i++)); do
		printf 'add-lookup 10.7.%d.%d vsid 7001 pa 192.0.2.1 mac 02:00:00:07:%02x:%02x\n' \
			$((i / 256)) $((i % 256)) $((i / 256)) $((i % 256))
	done >"$f"
	h1 -b "$f"
}

bulk_dump()
{
	local out
	out=$(h1 show-lookup vsid 7001) || return 1
	verify_7001 <<<"$out" || return 1
	[[ $(h1 show-lookup | wc -l) == 5004 ]] || return 1
	h1 -j show-lookup vsid 7001 |
		python3 -c 'import json, sys; assert len(json.load(sys.stdin)) == 5000'
}

# One change lands while the first dump runs (strace slows every read):
# the kernel marks the dump interrupted, nvgrectl dumps again and prints
# the second, whole and new, dump.
dump_retried()
{
	local out trace=$TMPD/strace n
	: >"$trace"
	(	# once the dump request is out (the second message)
		for ((n = 0; n < 200; n++)); do
			(($(grep -c '^sendmsg' "$trace") >= 2)) && break
			sleep 0.05
		done
		h1 replace-lookup 10.7.0.1 vsid 7001 pa 192.0.2.2 \
			mac 02:00:00:07:00:01
	) &
	out=$(strace -o "$trace" -e trace=sendmsg,recvmsg \
		-e inject=recvmsg:delay_exit=50000 \
		"$NVGRECTL" -n "$PREFIX-h1" show-lookup vsid 7001) || return 1
	wait $! || return 1
	verify_7001 <<<"$out" || return 1
	grep -qx '10.7.0.1 vsid 7001 pa 192.0.2.2 mac 02:00:00:07:00:01' <<<"$out" ||
		{ echo "the replaced record is old"; return 1; }
	# The family lookup, then two dumps.
	n=$(grep -c '^sendmsg' "$trace")
	((n == 3)) || { echo "$n requests, wanted 3"; return 1; }
}

# Dumps while records keep being replaced, a few times per dump: each dump
# prints the whole set, or nothing and the documented error.
dumps_while_replacing()
{
	local t0 us out rc i=0 ok=0 stop=$TMPD/stop count=$TMPD/count pid n=0
	t0=${EPOCHREALTIME/./}
	h1 show-lookup vsid 7001 >/dev/null || return 1
	us=$((${EPOCHREALTIME/./} - t0))
	echo "# one dump takes ${us} us; a change every $((us * 3)) us"
	rm -f "$stop" "$count"
	# The batch reads a pipe: each line is sent as soon as the next one
	# is not there yet (nvgrectl.8, -b), so the changes land between and
	# during the dumps. count: the lines written so far.
	python3 -u -c '
import os, random, sys, time
interval, stop, count = float(sys.argv[1]) / 1e6, sys.argv[2], sys.argv[3]
n = 0
while not os.path.exists(stop):
    i = random.randrange(5000)
    a, b = divmod(i, 256)
    print("replace-lookup 10.7.%d.%d vsid 7001 pa 192.0.2.%d "
          "mac 02:00:00:07:%02x:%02x" % (a, b, 1 + n % 2, a, b))
    n += 1
    open(count + ".tmp", "w").write("%d\n" % n)
    os.rename(count + ".tmp", count)
    time.sleep(interval)' $((us * 3)) "$stop" "$count" |
		h1 -b - &
	pid=$!
	# At least 5 dumps, and on until 5 changes were made (at most 30).
	while ((i < 30)) && ((i < 5 || n < 5)); do
		i=$((i + 1))
		rc=0
		out=$(h1 show-lookup vsid 7001 2>"$TMPD/err") || rc=$?
		if ((rc == 0)); then
			verify_7001 <<<"$out" || break
			ok=$((ok + 1))
		elif ((rc != 2)) || [[ -n "$out" || "$(<"$TMPD/err")" != "$INTR" ]]; then
			echo "exit $rc: $(<"$TMPD/err")"
			break
		fi
		[[ -f $count ]] && n=$(<"$count")
	done
	touch "$stop"
	wait "$pid" || { echo "the replacing batch failed"; return 1; }
	n=$(<"$count")
	echo "# $ok of $i dumps complete, $n changes meanwhile"
	((i >= 5 && ok >= 1 && n >= 5))
}

# After the failing line 5 of test_batch: lines 3 and 4 are in, line 6,
# in the same bulk request as line 5, is not (nvgrectl.8, -b).
batch_fail_state()
{
	out_is "10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1
10.0.0.11 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:11
10.0.0.12 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:12" h1 show-lookup
}

# bulk_file FILE N BAD [LINE]: N add-lookup lines of VSID 7002, CA
# 10.72.<i / 256>.<i % 256> for line i + 1; line LINE is BAD instead
# (DUP: a second add of line 1's CA).
bulk_file()
{
	local f=$1 n=$2 bad=${3:-} at=${4:-0} i
	for ((i = 0; i < n; i++)); do
		if ((i + 1 == at)); then
			if [[ $bad == DUP ]]; then
				echo "add-lookup 10.72.0.0 vsid 7002 pa 192.0.2.2 mac 02:00:00:72:00:00"
			else
				echo "$bad"
			fi
			continue
		fi
		printf 'add-lookup 10.72.%d.%d vsid 7002 pa 192.0.2.1 mac 02:00:00:72:%02x:%02x\n' \
			$((i / 256)) $((i % 256)) $((i / 256)) $((i % 256))
	done >"$f"
}

# has_7002 N: records 10.72.0.0 up to line N's CA are all in VSID 7002,
# each at PA 192.0.2.1.
has_7002()
{
	local out
	out=$(h1 show-lookup vsid 7002) || return 1
	python3 -c '
import sys
n = int(sys.argv[1])
recs = {}
for l in sys.stdin.read().splitlines():
    w = l.split()
    recs[w[0]] = w[4]
for i in range(n):
    ca = "10.72.%d.%d" % divmod(i, 256)
    assert recs.get(ca) == "192.0.2.1", "%s: %r" % (ca, recs.get(ca))' "$1" <<<"$out"
}

test_batch_pipelined()
{
	local f=$TMPD/bulk7002
	bulk_file "$f" 5000 DUP 3000
	check_exit "-b: line 3000 of 5000 fails inside a pipelined send" 2 \
		"$EEXIST_REC"$'\n'"Command failed $f:3000" h1 -b "$f"
	check "... lines 1-2999 took effect" has_7002 2999
	h1 flush-lookup vsid 7002
	bulk_file "$f" 2000 "add-lookup 10.72.9.9 vsid 4095" 1500
	check_exit "-b: a usage error on line 1500 after 1499 queued lines" 1 \
		"$(VSID_E 4095)"$'\n'"Command failed $f:1500" h1 -b "$f"
	check "... lines 1-1499 took effect" has_7002 1499
	h1 flush-lookup vsid 7002
}

# A batch on a pipe sends what it queued when the next line is not there
# yet: the record of line 1 is in while line 2 is still to come.
piped_line_applied()
{
	local seen=$TMPD/seen
	{
		echo "add-lookup 10.72.8.1 vsid 7002 pa 192.0.2.1 mac 02:00:00:72:08:01"
		sleep 1
		h1 show-lookup vsid 7002 >"$seen"
		echo "add-lookup 10.72.8.2 vsid 7002 pa 192.0.2.1 mac 02:00:00:72:08:02"
	} | h1 -b - || return 1
	grep -q '^10\.72\.8\.1 ' "$seen" || { echo "line 1 was not applied: $(cat "$seen")"; return 1; }
	h1 del-lookup 10.72.8.1 vsid 7002 && h1 del-lookup 10.72.8.2 vsid 7002
}

# count_7002 N: VSID 7002 has exactly N records.
count_7002()
{
	local n
	n=$(h1 show-lookup vsid 7002 | wc -l) || return 1
	[[ $n == "$1" ]] || { echo "$n records, wanted $1"; return 1; }
}

# Runs of add-, replace- and del-lookup lines travel as bulk requests
# (NVGRE_A_LOOKUP nests, nvgrectl.8 -b): the kernel stops a request at its
# first failing record, so the lines after it in that request are not
# applied (pipelined one-record requests would have been), and the
# extended ACK's offset names the line.
test_batch_bulk()
{
	local f=$TMPD/bulk7002 i
	bulk_file "$f" 600 DUP 300
	check_exit "-b: line 300 fails inside a bulk request" 2 \
		"$EEXIST_REC"$'\n'"Command failed $f:300" h1 -b "$f"
	check "... lines 1-299 took effect, 301-600 (same request) did not" \
		count_7002 299
	h1 flush-lookup vsid 7002
	bulk_file "$f" 600
	sed -e 's/^add-lookup/replace-lookup/' -e 's/pa 192.0.2.1/pa 192.0.2.2/' \
		"$f" >"$f.replace"
	sed -e 's/^add-lookup/del-lookup/' -e 's/ pa .*//' "$f" >"$f.del"
	check "-b: bulk add, replace and delete of 600 records" bash -c "
		${NVGRECTL@Q} -n $PREFIX-h1 -b ${f@Q} &&
		[ \"\$(${NVGRECTL@Q} -n $PREFIX-h1 show-lookup vsid 7002 | grep -c 'pa 192.0.2.1 ')\" = 600 ] &&
		${NVGRECTL@Q} -n $PREFIX-h1 -b ${f@Q}.replace &&
		[ \"\$(${NVGRECTL@Q} -n $PREFIX-h1 show-lookup vsid 7002 | grep -c 'pa 192.0.2.2 ')\" = 600 ] &&
		${NVGRECTL@Q} -n $PREFIX-h1 -b ${f@Q}.del &&
		[ -z \"\$(${NVGRECTL@Q} -n $PREFIX-h1 show-lookup vsid 7002)\" ]"
	h1 -b "$f"
	sed -n '1,100p' "$f.del" >"$f.del2"
	echo "del-lookup 10.72.0.0 vsid 7002" >>"$f.del2"
	sed -n '101,200p' "$f.del" >>"$f.del2"
	check_exit "-b: a del-lookup of a missing record on line 101 is named" 2 \
		"$ENOENT_REC"$'\n'"Command failed $f.del2:101" h1 -b "$f.del2"
	check "... lines 1-100 took effect, 102-201 did not" count_7002 500
	h1 flush-lookup vsid 7002
	{
		for ((i = 0; i < 3; i++)); do
			echo "add-lookup 10.72.9.9 vsid 7002 pa 192.0.2.1 mac 02:00:00:72:09:09"
			echo "del-lookup 10.72.9.9 vsid 7002"
		done
		echo "add-lookup 10.72.9.9 vsid 7002 pa 192.0.2.2 mac 02:00:00:72:09:09"
	} >"$f"
	check "-b -: a line from a pipe takes effect before the next one comes" \
		piped_line_applied
	check "-b: alternating add and del lines keep their order" out_is \
		"10.72.9.9 vsid 7002 pa 192.0.2.2 mac 02:00:00:72:09:09" \
		bash -c "${NVGRECTL@Q} -n $PREFIX-h1 -b ${f@Q} &&
			 ${NVGRECTL@Q} -n $PREFIX-h1 show-lookup vsid 7002"
	h1 flush-lookup vsid 7002
}

test_batch()
{
	local f=$TMPD/batch
	cat >"$f" <<-EOF
	# two good lines, then a duplicate on line 5

	add-lookup 10.0.0.11 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:11
	add-lookup 10.0.0.12 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:12
	add-lookup 10.0.0.11 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:11
	add-lookup 10.0.0.13 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:13
	EOF
	check_exit "-b FILE: failing line 5 is named, kernel's exit status" 2 \
		"$EEXIST_REC"$'\n'"Command failed $f:5" h1 -b "$f"
	check "... lines before it took effect (line 6, in the same bulk request, did not)" \
		batch_fail_state
	printf 'show-lookup vsid 5001\nshow-lookup vsid 4095\n' >"$f"
	check_exit "-b FILE: a usage error on line 2 exits 1" 1 \
"10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1
10.0.0.11 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:11
10.0.0.12 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:12
$(VSID_E 4095)
Command failed $f:2" h1 -b "$f"
	check "-b - reads standard input" batch_stdin
	check_exit "-b of a missing file exits 1" 1 \
		"Error: cannot open \"$TMPD/none\": No such file or directory." \
		h1 -b "$TMPD/none"
	check_exit "-b with a command on the command line exits 1" 1 \
		"Error: -b takes no command, the commands are in the file." \
		h1 -b "$f" show-lookup
	check "-b adds 5000 records" bulk_add
	check "show-lookup dumps all 5000 back, in order (text and JSON)" bulk_dump
	if command -v strace >/dev/null; then
		check "a dump interrupted by a change is done again" dump_retried
	else
		ktap_skip "a dump interrupted by a change is done again" "no strace"
	fi
	check "dumps during concurrent replaces are whole" dumps_while_replacing
	check "flush-lookup vsid 7001 removes them all" bash -c \
		"${NVGRECTL@Q} -n $PREFIX-h1 flush-lookup vsid 7001 &&
		 [ \"\$(${NVGRECTL@Q} -n $PREFIX-h1 show-lookup | wc -l)\" = 4 ]"
}


# ---- exit status 2 without the module: only in the test VM -------------------------

no_module()
{
	local conf=/etc/modprobe.d/nvgre-selftest-$$.conf rc=0 out
	modprobe -r nvgre || return 1
	echo "install nvgre /bin/false" >"$conf"
	out=$(nvgrectl show-lookup 2>&1) || rc=$?
	rm -f "$conf"
	modprobe nvgre || return 1
	[[ $rc == 2 && "$out" == 'Error: the nvgre module is not loaded (generic netlink family "nvgre" not found).' ]] ||
		{ echo "exit $rc: $out"; return 1; }
}

require_module
ktap_plan 119

mkns h1
mkns h2
test_links
test_lookups
test_proto
test_bad_input
test_permissions
test_netns
test_batch
test_batch_pipelined
test_batch_bulk
cleanup
if [[ -n "${NVGRE_ROOT:-}" && -d /etc/modprobe.d ]]; then
	check "no module: exit 2 and a message saying so" no_module
else
	ktap_skip "no module: exit 2 and a message saying so" \
		"only in the test VM (unloads nvgre)"
fi

ktap_finish
