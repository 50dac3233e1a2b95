// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the nvgrectl parsers (parse.c), printed as KTAP.
 *
 * Each case names a parser, its arguments (split on single spaces, ''
 * stands for an empty word) and what it must give: the exact error line,
 * or the parsed request formatted as "key=value ...".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "array.h"
#include "parse.h"


enum kind {
	LOOKUP_ADD,
	LOOKUP_DEL,
	FILTER,
	LINK_ADD,
	LINK_DEL,
	LINK_SHOW,
	MONITOR,
	PA_ADD,
	PA_DEL,
	OPTS,
	BATCH,
	GET,
};

static const char *const kind_names[] = {
	[LOOKUP_ADD]	= "lookup_add",
	[LOOKUP_DEL]	= "lookup_del",
	[FILTER]	= "lookup_filter",
	[LINK_ADD]	= "link_add",
	[LINK_DEL]	= "link_del",
	[LINK_SHOW]	= "link_show",
	[MONITOR]	= "monitor",
	[PA_ADD]	= "pa_add",
	[PA_DEL]	= "pa_del",
	[OPTS]		= "opts",
	[BATCH]		= "batch_line",
	[GET]		= "get",
};

struct tcase {
	enum kind kind;
	const char *args;
	const char *want;
};

#define CA_OK	"ca=10.0.0.1 vsid=5001 pa=192.0.2.2 mac=02:00:00:00:00:01"
#define L_TAIL	" pa 192.0.2.2 mac 02:00:00:00:00:01"
#define L_OK	"10.0.0.1 vsid 5001" L_TAIL
#define VSID_E(v) "Error: argument \"" v "\" is wrong: VSID must be a number in 4096-16777214"
#define MAC_E(m, why) "Error: argument \"" m "\" is wrong: " why
#define MAC_FMT	"MAC must be xx:xx:xx:xx:xx:xx (six hexadecimal bytes)"
#define NAME_E(n) "Error: argument \"" n "\" is wrong: NAME must have 1-15 characters and no \"/\", \":\" or white space"
#define COUNT_E(n) "Error: argument \"" n "\" is wrong: COUNT must be a number in 1-4294967295"
#define PA_E(a) "Error: argument \"" a "\" is wrong: PA must be a unicast IPv4 or global IPv6 address"
#define UNKNOWN(a) "Error: unknown argument \"" a "\", try \"nvgrectl help\"."
#define LINK_NONE(n, v) "name=" n " vsid=" v " local=none rdid=none"
#define EV	" events=1 misses=0"
#define OPTS_NONE "json=0 pretty=0 stats=0 help=0 version=0 netns=none batch=none"

static const struct tcase cases[] = {
	/* add-lookup / replace-lookup */
	{ LOOKUP_ADD, L_OK, CA_OK },
	{ LOOKUP_ADD, "10.0.0.1 mac 02:00:00:00:00:01 pa 192.0.2.2 vsid 5001",
	  CA_OK },
	{ LOOKUP_ADD, "10.0.0.1 pa 192.0.2.2 vsid 5001 mac 02:00:00:00:00:01",
	  CA_OK },
	{ LOOKUP_ADD, "2001:db8::1 vsid 4096 pa 192.0.2.2 mac 02:AB:cd:00:00:01",
	  "ca=2001:db8::1 vsid=4096 pa=192.0.2.2 mac=02:ab:cd:00:00:01" },
	{ LOOKUP_ADD, "2001:DB8:0:0:0:0:0:A vsid 5001" L_TAIL,
	  "ca=2001:db8::a vsid=5001 pa=192.0.2.2 mac=02:00:00:00:00:01" },
	{ LOOKUP_ADD, "::ffff:10.0.0.1 vsid 5001" L_TAIL,
	  "Error: argument \"::ffff:10.0.0.1\" is wrong: CA must be a unicast IPv4 or IPv6 address" },
	{ LOOKUP_ADD, "127.0.0.1 vsid 5001" L_TAIL,
	  "Error: argument \"127.0.0.1\" is wrong: CA must be a unicast IPv4 or IPv6 address" },
	{ LOOKUP_ADD, "::1 vsid 5001" L_TAIL,
	  "Error: argument \"::1\" is wrong: CA must be a unicast IPv4 or IPv6 address" },
	{ LOOKUP_ADD, "0.1.2.3 vsid 5001" L_TAIL,
	  "Error: argument \"0.1.2.3\" is wrong: CA must be a unicast IPv4 or IPv6 address" },
	{ LOOKUP_ADD, "255.255.255.255 vsid 5001" L_TAIL,
	  "Error: argument \"255.255.255.255\" is wrong: CA must be a unicast IPv4 or IPv6 address" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 4095" L_TAIL, VSID_E("4095") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 4096" L_TAIL,
	  "ca=10.0.0.1 vsid=4096 pa=192.0.2.2 mac=02:00:00:00:00:01" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 16777214" L_TAIL,
	  "ca=10.0.0.1 vsid=16777214 pa=192.0.2.2 mac=02:00:00:00:00:01" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 16777215" L_TAIL, VSID_E("16777215") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 0x1000" L_TAIL,
	  "ca=10.0.0.1 vsid=4096 pa=192.0.2.2 mac=02:00:00:00:00:01" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 0XfffFFe" L_TAIL,
	  "ca=10.0.0.1 vsid=16777214 pa=192.0.2.2 mac=02:00:00:00:00:01" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 0xfff" L_TAIL, VSID_E("0xfff") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 0xffffff" L_TAIL, VSID_E("0xffffff") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 04096" L_TAIL,
	  "ca=10.0.0.1 vsid=4096 pa=192.0.2.2 mac=02:00:00:00:00:01" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 0" L_TAIL, VSID_E("0") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 0x" L_TAIL, VSID_E("0x") },
	{ LOOKUP_ADD, "10.0.0.1 vsid ''" L_TAIL, VSID_E("") },
	{ LOOKUP_ADD, "10.0.0.1 vsid -5001" L_TAIL, VSID_E("-5001") },
	{ LOOKUP_ADD, "10.0.0.1 vsid +5001" L_TAIL, VSID_E("+5001") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 0x-1" L_TAIL, VSID_E("0x-1") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001abc" L_TAIL, VSID_E("5001abc") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 4294967296" L_TAIL, VSID_E("4294967296") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 99999999999999999999999" L_TAIL,
	  VSID_E("99999999999999999999999") },
	{ LOOKUP_ADD, "", "Error: CA is required." },
	{ LOOKUP_ADD, "vsid 5001 10.0.0.1" L_TAIL,
	  "Error: CA must come first, before \"vsid\"." },
	{ LOOKUP_ADD, "10.0.0.300 vsid 5001" L_TAIL,
	  "Error: argument \"10.0.0.300\" is wrong: CA must be a unicast IPv4 or IPv6 address" },
	{ LOOKUP_ADD, "fe80::1%eth0 vsid 5001" L_TAIL,
	  "Error: argument \"fe80::1%eth0\" is wrong: CA must be a unicast IPv4 or IPv6 address" },
	{ LOOKUP_ADD, "224.0.0.1 vsid 5001" L_TAIL,
	  "Error: argument \"224.0.0.1\" is wrong: CA must be a unicast IPv4 or IPv6 address" },
	{ LOOKUP_ADD, "ff02::1 vsid 5001" L_TAIL,
	  "Error: argument \"ff02::1\" is wrong: CA must be a unicast IPv4 or IPv6 address" },
	{ LOOKUP_ADD, "0.0.0.0 vsid 5001" L_TAIL,
	  "Error: argument \"0.0.0.0\" is wrong: CA must be a unicast IPv4 or IPv6 address" },
	{ LOOKUP_ADD, ":: vsid 5001" L_TAIL,
	  "Error: argument \"::\" is wrong: CA must be a unicast IPv4 or IPv6 address" },
	{ LOOKUP_ADD, "10.0.0.1 vsid",
	  "Error: missing value after \"vsid\"." },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac",
	  "Error: missing value after \"mac\"." },
	{ LOOKUP_ADD, L_OK " vsid 5002",
	  "Error: duplicate \"vsid\": \"5002\" is the second value." },
	{ LOOKUP_ADD, L_OK " pa 192.0.2.3",
	  "Error: duplicate \"pa\": \"192.0.2.3\" is the second value." },
	{ LOOKUP_ADD, L_OK " mac 02:00:00:00:00:02",
	  "Error: duplicate \"mac\": \"02:00:00:00:00:02\" is the second value." },
	{ LOOKUP_ADD, "10.0.0.1" L_TAIL, "Error: \"vsid\" is required." },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 mac 02:00:00:00:00:01",
	  "Error: \"pa\" is required." },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2",
	  "Error: \"mac\" is required." },
	{ LOOKUP_ADD, L_OK " foo", UNKNOWN("foo") },
	{ LOOKUP_ADD, "10.0.0.1 VSID 5001" L_TAIL, UNKNOWN("VSID") },
	{ LOOKUP_ADD, "10.0.0.1 vsi 5001" L_TAIL, UNKNOWN("vsi") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 2001:db8::2 mac 02:00:00:00:00:01",
	  "ca=10.0.0.1 vsid=5001 pa=2001:db8::2 mac=02:00:00:00:00:01" },
	{ LOOKUP_ADD, "2001:db8:5001::1 vsid 5001 pa 2001:db8::2 mac 02:00:00:00:00:01",
	  "ca=2001:db8:5001::1 vsid=5001 pa=2001:db8::2 mac=02:00:00:00:00:01" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa fe80::1 mac 02:00:00:00:00:01",
	  "Error: argument \"fe80::1\" is wrong: PA must be a global IPv6 address, not link-local" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa ff02::1 mac 02:00:00:00:00:01",
	  "Error: argument \"ff02::1\" is wrong: PA must be a unicast address" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa ::ffff:192.0.2.2 mac 02:00:00:00:00:01",
	  "Error: argument \"::ffff:192.0.2.2\" is wrong: PA must be a unicast address" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa host1 mac 02:00:00:00:00:01",
	  "Error: argument \"host1\" is wrong: PA must be an IPv4 or IPv6 address" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 239.1.1.1 mac 02:00:00:00:00:01",
	  "Error: argument \"239.1.1.1\" is wrong: PA must be a unicast address" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 255.255.255.255 mac 02:00:00:00:00:01",
	  "Error: argument \"255.255.255.255\" is wrong: PA must be a unicast address" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 127.0.0.1 mac 02:00:00:00:00:01",
	  "Error: argument \"127.0.0.1\" is wrong: PA must be a unicast address" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 0.0.0.0 mac 02:00:00:00:00:01",
	  "Error: argument \"0.0.0.0\" is wrong: PA must be a unicast address" },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac ff:ff:ff:ff:ff:ff",
	  MAC_E("ff:ff:ff:ff:ff:ff",
		"MAC must be unicast, ff:ff:ff:ff:ff:ff is broadcast") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac FF:FF:FF:FF:FF:FF",
	  MAC_E("FF:FF:FF:FF:FF:FF",
		"MAC must be unicast, ff:ff:ff:ff:ff:ff is broadcast") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 01:00:5e:00:00:01",
	  MAC_E("01:00:5e:00:00:01",
		"MAC must be unicast, not multicast (the first byte is odd)") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 33:33:00:00:00:01",
	  MAC_E("33:33:00:00:00:01",
		"MAC must be unicast, not multicast (the first byte is odd)") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 00:00:00:00:00:00",
	  MAC_E("00:00:00:00:00:00", "MAC must not be all zeros") },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00",
	  MAC_E("02:00:00:00:00", MAC_FMT) },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:01:02",
	  MAC_E("02:00:00:00:00:01:02", MAC_FMT) },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 02-00-00-00-00-01",
	  MAC_E("02-00-00-00-00-01", MAC_FMT) },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 2:0:0:0:0:1",
	  MAC_E("2:0:0:0:0:1", MAC_FMT) },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:0g",
	  MAC_E("02:00:00:00:00:0g", MAC_FMT) },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 0200.0000.0001",
	  MAC_E("0200.0000.0001", MAC_FMT) },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac ''",
	  MAC_E("", MAC_FMT) },
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:01x",
	  MAC_E("02:00:00:00:00:01x", MAC_FMT) },

	/* del-lookup */
	{ LOOKUP_DEL, "10.0.0.1 vsid 5001", "ca=10.0.0.1 vsid=5001" },
	{ LOOKUP_DEL, "2001:db8::5 vsid 0x1388", "ca=2001:db8::5 vsid=5000" },
	{ LOOKUP_DEL, "224.0.0.1 vsid 5001", "ca=224.0.0.1 vsid=5001" },
	{ LOOKUP_DEL, "10.0.0.1 vsid 5001 pa 192.0.2.2", UNKNOWN("pa") },
	/* record types */
	{ LOOKUP_ADD, L_OK " type static", CA_OK },
	{ LOOKUP_ADD, "mac 02:00:00:00:00:09 vsid 5001 pa 192.0.2.2 type l2only",
	  "ca=none vsid=5001 pa=192.0.2.2 mac=02:00:00:00:00:09 type=l2only" },
	{ LOOKUP_ADD, "vsid 5001 pa 2001:db8::2 mac 02:00:00:00:00:0a type gateway",
	  "ca=none vsid=5001 pa=2001:db8::2 mac=02:00:00:00:00:0a type=gateway" },
	/* the kernel refuses a CA with these types, and says so */
	{ LOOKUP_ADD, "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:09 type l2only",
	  "ca=10.0.0.1 vsid=5001 pa=192.0.2.2 mac=02:00:00:00:00:09 type=l2only" },
	{ LOOKUP_ADD, "vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:09 type static",
	  "Error: CA must come first, before \"vsid\"." },
	{ LOOKUP_ADD, "vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:09 type bridge",
	  "Error: argument \"bridge\" is wrong: TYPE must be static, l2only or gateway" },
	{ LOOKUP_ADD, "vsid 5001 pa 192.0.2.2 type gateway",
	  "Error: \"mac\" is required." },
	{ LOOKUP_ADD, "vsid 5001 mac 02:00:00:00:00:09 type l2only type l2only",
	  "Error: duplicate \"type\": \"l2only\" is the second value." },
	{ LOOKUP_DEL, "mac 02:00:00:00:00:09 vsid 5001 type l2only",
	  "ca=none vsid=5001 type=l2only mac=02:00:00:00:00:09" },
	{ LOOKUP_DEL, "vsid 5001 type l2only", "Error: \"mac\" is required." },
	{ LOOKUP_DEL, "vsid 5001 type gateway", "ca=none vsid=5001 type=gateway" },
	{ LOOKUP_DEL, "10.0.0.1 vsid 5001 mac 02:00:00:00:00:09",
	  "Error: \"mac\" names only an l2only record (type l2only)." },
	{ LOOKUP_DEL, "10.0.0.1", "Error: \"vsid\" is required." },
	{ LOOKUP_DEL, "", "Error: CA is required." },
	{ LOOKUP_DEL, "10.0.0.1 vsid 16777215", VSID_E("16777215") },
	{ LOOKUP_DEL, "10.0.0.1 vsid 5001 vsid 5001",
	  "Error: duplicate \"vsid\": \"5001\" is the second value." },
	{ LOOKUP_DEL, "10.0.0 vsid 5001",
	  "Error: argument \"10.0.0\" is wrong: CA must be a unicast IPv4 or IPv6 address" },

	/* protocols */
	{ LOOKUP_ADD, L_OK " proto agent", CA_OK " proto=1" },
	{ LOOKUP_ADD, L_OK " proto admin", CA_OK " proto=0" },
	{ LOOKUP_ADD, "10.0.0.1 proto 186 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:01",
	  CA_OK " proto=186" },
	{ LOOKUP_ADD, "vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:09 type l2only proto agent",
	  "ca=none vsid=5001 pa=192.0.2.2 mac=02:00:00:00:00:09 type=l2only proto=1" },
	{ LOOKUP_ADD, L_OK " proto 256",
	  "Error: argument \"256\" is wrong: PROTO must be admin, agent or a number in 0-255" },
	{ LOOKUP_ADD, L_OK " proto -1",
	  "Error: argument \"-1\" is wrong: PROTO must be admin, agent or a number in 0-255" },
	{ LOOKUP_ADD, L_OK " proto bgp",
	  "Error: argument \"bgp\" is wrong: PROTO must be admin, agent or a number in 0-255" },
	{ LOOKUP_ADD, L_OK " proto agent proto agent",
	  "Error: duplicate \"proto\": \"agent\" is the second value." },
	{ LOOKUP_ADD, L_OK " proto", "Error: missing value after \"proto\"." },
	{ LOOKUP_ADD, L_OK " prot agent", UNKNOWN("prot") },
	{ LOOKUP_DEL, "10.0.0.1 vsid 5001 proto agent",
	  "ca=10.0.0.1 vsid=5001 proto=1" },
	{ LOOKUP_DEL, "vsid 5001 type gateway proto 7",
	  "ca=none vsid=5001 type=gateway proto=7" },

	/* show-lookup / flush-lookup */
	{ FILTER, "", "vsid=none" },
	{ FILTER, "vsid 5001", "vsid=5001" },
	{ FILTER, "vsid 0x1389", "vsid=5001" },
	{ FILTER, "vsid 4095", VSID_E("4095") },
	{ FILTER, "vsid 16777215", VSID_E("16777215") },
	{ FILTER, "vsid", "Error: missing value after \"vsid\"." },
	{ FILTER, "vsid 5001 vsid 5002",
	  "Error: duplicate \"vsid\": \"5002\" is the second value." },
	{ FILTER, "5001", UNKNOWN("5001") },
	{ FILTER, "vsid 5001 10.0.0.1", UNKNOWN("10.0.0.1") },

	/* add-link */
	{ LINK_ADD, "nv5001 vsid 5001", LINK_NONE("nv5001", "5001") },
	{ LINK_ADD, "nv5001 rdid 1 local 192.0.2.1 vsid 5001",
	  "name=nv5001 vsid=5001 local=192.0.2.1 rdid=1" },
	{ LINK_ADD, "nv5001 vsid 5001 rdid 0",
	  "name=nv5001 vsid=5001 local=none rdid=0" },
	{ LINK_ADD, "nv5001 vsid 5001 rdid 4294967295",
	  "name=nv5001 vsid=5001 local=none rdid=4294967295" },
	{ LINK_ADD, "nv5001 vsid 5001 rdid 0xffffffff",
	  "name=nv5001 vsid=5001 local=none rdid=4294967295" },
	{ LINK_ADD, "nv5001 vsid 5001 rdid 4294967296",
	  "Error: argument \"4294967296\" is wrong: RDID must be a number in 0-4294967295" },
	{ LINK_ADD, "nv5001 vsid 5001 rdid -1",
	  "Error: argument \"-1\" is wrong: RDID must be a number in 0-4294967295" },
	{ LINK_ADD, "nv5001 vsid 5001 ttl 17 tos inherit",
	  "name=nv5001 vsid=5001 local=none rdid=none ttl=17 tos=1" },
	{ LINK_ADD, "nv5001 tos 0xb8 vsid 5001 ttl inherit",
	  "name=nv5001 vsid=5001 local=none rdid=none ttl=0 tos=184" },
	{ LINK_ADD, "nv5001 vsid 5001 ttl 255 tos 0",
	  "name=nv5001 vsid=5001 local=none rdid=none ttl=255 tos=0" },
	{ LINK_ADD, "nv5001 vsid 5001 ttl 0",
	  "Error: argument \"0\" is wrong: TTL must be a number in 1-255 or \"inherit\"" },
	{ LINK_ADD, "nv5001 vsid 5001 ttl 256",
	  "Error: argument \"256\" is wrong: TTL must be a number in 1-255 or \"inherit\"" },
	{ LINK_ADD, "nv5001 vsid 5001 tos 0xb9",
	  "Error: argument \"0xb9\" is wrong: TOS must be \"inherit\" or a DSCP byte 0x00-0xfc (ECN bits clear)" },
	{ LINK_ADD, "nv5001 vsid 5001 tos 256",
	  "Error: argument \"256\" is wrong: TOS must be \"inherit\" or a DSCP byte 0x00-0xfc (ECN bits clear)" },
	{ LINK_ADD, "nv5001 vsid 5001 ttl 9 ttl 9",
	  "Error: duplicate \"ttl\": \"9\" is the second value." },
	{ LINK_ADD, "nv5001 vsid 5001 tos",
	  "Error: missing value after \"tos\"." },
	{ LINK_ADD, "nv5001 vsid 4095", VSID_E("4095") },
	{ LINK_ADD, "nv5001 vsid 4096", LINK_NONE("nv5001", "4096") },
	{ LINK_ADD, "nv5001 vsid 16777214", LINK_NONE("nv5001", "16777214") },
	{ LINK_ADD, "nv5001 vsid 16777215", VSID_E("16777215") },
	{ LINK_ADD, "nv5001 vsid 5001 local 2001:db8::1",
	  "name=nv5001 vsid=5001 local=none rdid=none local6=2001:db8::1" },
	{ LINK_ADD, "nv5001 vsid 5001 local 2001:db8::1 local 192.0.2.1",
	  "name=nv5001 vsid=5001 local=192.0.2.1 rdid=none local6=2001:db8::1" },
	{ LINK_ADD, "nv5001 vsid 5001 local 2001:db8::1 local 2001:db8::2",
	  "Error: duplicate \"local\": \"2001:db8::2\" is the second value." },
	{ LINK_ADD, "nv5001 vsid 5001 local 192.0.2.1 local 192.0.2.2",
	  "Error: duplicate \"local\": \"192.0.2.2\" is the second value." },
	{ LINK_ADD, "nv5001 vsid 5001 local fe80::1",
	  "Error: argument \"fe80::1\" is wrong: local PA must be a global IPv6 address, not link-local" },
	{ LINK_ADD, "nv5001 vsid 5001 local 224.0.0.1",
	  "Error: argument \"224.0.0.1\" is wrong: local PA must be a unicast address" },
	{ LINK_ADD, "nv5001 vsid 5001 group 239.1.1.1",
	  "name=nv5001 vsid=5001 local=none rdid=none group=239.1.1.1" },
	{ LINK_ADD, "nv5001 group 239.255.255.255 vsid 5001 ttl 4",
	  "name=nv5001 vsid=5001 local=none rdid=none ttl=4 group=239.255.255.255" },
	{ LINK_ADD, "nv5001 vsid 5001 group 224.0.0.251",
	  "Error: argument \"224.0.0.251\" is wrong: group must be an IPv4 multicast address outside 224.0.0.0/24" },
	{ LINK_ADD, "nv5001 vsid 5001 group 192.0.2.1",
	  "Error: argument \"192.0.2.1\" is wrong: group must be an IPv4 multicast address outside 224.0.0.0/24" },
	{ LINK_ADD, "nv5001 vsid 5001 group ff02::1",
	  "Error: argument \"ff02::1\" is wrong: group must be an IPv4 multicast address outside 224.0.0.0/24" },
	{ LINK_ADD, "nv5001 vsid 5001 group 239.1.1.1 group 239.1.1.2",
	  "Error: duplicate \"group\": \"239.1.1.2\" is the second value." },
	{ LINK_ADD, "nv5001 vsid 5001 group",
	  "Error: missing value after \"group\"." },
	{ LINK_ADD, "", "Error: NAME is required." },
	{ LINK_ADD, "abcdefghijklmno vsid 5001",
	  LINK_NONE("abcdefghijklmno", "5001") },
	{ LINK_ADD, "abcdefghijklmnop vsid 5001", NAME_E("abcdefghijklmnop") },
	{ LINK_ADD, "a/b vsid 5001", NAME_E("a/b") },
	{ LINK_ADD, "a:b vsid 5001", NAME_E("a:b") },
	{ LINK_ADD, ". vsid 5001", NAME_E(".") },
	{ LINK_ADD, ".. vsid 5001", NAME_E("..") },
	{ LINK_ADD, "'' vsid 5001", NAME_E("") },
	{ LINK_ADD, "nv5001", "Error: \"vsid\" is required." },
	{ LINK_ADD, "nv5001 local 192.0.2.1 rdid 1",
	  "Error: \"vsid\" is required." },
	{ LINK_ADD, "nv5001 vsid 5001 local 192.0.2.1 local 192.0.2.9",
	  "Error: duplicate \"local\": \"192.0.2.9\" is the second value." },
	{ LINK_ADD, "nv5001 vsid 5001 rdid 1 rdid 2",
	  "Error: duplicate \"rdid\": \"2\" is the second value." },
	{ LINK_ADD, "nv5001 vsid 5001 vsid 5001",
	  "Error: duplicate \"vsid\": \"5001\" is the second value." },
	{ LINK_ADD, "nv5001 vsid 5001 mtu 1400", UNKNOWN("mtu") },
	{ LINK_ADD, "nv5001 vsid 5001 rdid", "Error: missing value after \"rdid\"." },
	{ LINK_ADD, "nv5001 vsid 5001 local", "Error: missing value after \"local\"." },

	/* del-link */
	{ LINK_DEL, "nv5001", "name=nv5001" },
	{ LINK_DEL, "", "Error: NAME is required." },
	{ LINK_DEL, "nv5001 nv5002", UNKNOWN("nv5002") },
	{ LINK_DEL, "bad/name", NAME_E("bad/name") },

	/* show-link */
	{ LINK_SHOW, "", "name=none stats=0" },
	{ LINK_SHOW, "-s", "name=none stats=1" },
	{ LINK_SHOW, "-stats", "name=none stats=1" },
	{ LINK_SHOW, "nv5001", "name=nv5001 stats=0" },
	{ LINK_SHOW, "nv5001 -s", "name=nv5001 stats=1" },
	{ LINK_SHOW, "-s nv5001", "name=nv5001 stats=1" },
	{ LINK_SHOW, "nv5001 nv5002", UNKNOWN("nv5002") },
	{ LINK_SHOW, "a:b", NAME_E("a:b") },

	/* monitor */
	{ MONITOR, "", "count=none" EV },
	{ MONITOR, "count 1", "count=1" EV },
	{ MONITOR, "count 0x10", "count=16" EV },
	{ MONITOR, "count 4294967295", "count=4294967295" EV },
	{ MONITOR, "count 0", COUNT_E("0") },
	{ MONITOR, "count 4294967296", COUNT_E("4294967296") },
	{ MONITOR, "count -1", COUNT_E("-1") },
	{ MONITOR, "count ''", COUNT_E("") },
	{ MONITOR, "count", "Error: missing value after \"count\"." },
	{ MONITOR, "count 2 count 3",
	  "Error: duplicate \"count\": \"3\" is the second value." },
	{ MONITOR, "-j", UNKNOWN("-j") },
	{ MONITOR, "events", "count=none" EV },
	{ MONITOR, "misses", "count=none events=0 misses=1" },
	{ MONITOR, "all", "count=none events=1 misses=1" },
	{ MONITOR, "misses count 5", "count=5 events=0 misses=1" },
	{ MONITOR, "count 5 all", "count=5 events=1 misses=1" },
	{ MONITOR, "misses events",
	  "Error: \"events\" after \"misses\": give one of events, misses or all." },
	{ MONITOR, "all all",
	  "Error: \"all\" after \"all\": give one of events, misses or all." },
	{ MONITOR, "miss", UNKNOWN("miss") },
	{ MONITOR, "Misses", UNKNOWN("Misses") },
	{ MONITOR, "count misses", COUNT_E("misses") },
	{ PA_ADD, "192.0.2.1 dev eth0", "pa=192.0.2.1 dev=eth0" },
	{ PA_ADD, "dev eth0 2001:db8::1", "Error: PA must come first, before \"dev\"." },
	{ PA_ADD, "2001:db8::1 dev eth0", "pa=2001:db8::1 dev=eth0" },
	{ PA_ADD, "192.0.2.1", "Error: \"dev\" is required." },
	{ PA_ADD, "", "Error: PA is required." },
	{ PA_ADD, "192.0.2.1 dev", "Error: missing value after \"dev\"." },
	{ PA_ADD, "192.0.2.1 dev a dev b",
	  "Error: duplicate \"dev\": \"b\" is the second value." },
	{ PA_ADD, "192.0.2.1 dev a/b",
	  "Error: argument \"a/b\" is wrong: DEV must have 1-15 characters and no \"/\", \":\" or white space" },
	{ PA_ADD, "224.0.0.1 dev eth0", PA_E("224.0.0.1") },
	{ PA_ADD, "fe80::1 dev eth0", PA_E("fe80::1") },
	{ PA_ADD, "::ffff:192.0.2.1 dev eth0", PA_E("::ffff:192.0.2.1") },
	{ PA_ADD, "host dev eth0", PA_E("host") },
	{ PA_ADD, "192.0.2.1 dev eth0 vsid 5001", UNKNOWN("vsid") },
	{ PA_DEL, "192.0.2.1", "pa=192.0.2.1" },
	{ PA_DEL, "192.0.2.1 dev eth0", UNKNOWN("dev") },
	{ PA_DEL, "", "Error: PA is required." },

	/* global options; the program name is added in front */
	{ OPTS, "show-link", OPTS_NONE " next=1" },
	{ OPTS, "", OPTS_NONE " next=1" },
	{ OPTS, "-j show-lookup",
	  "json=1 pretty=0 stats=0 help=0 version=0 netns=none batch=none next=2" },
	{ OPTS, "-p show-lookup",
	  "json=1 pretty=1 stats=0 help=0 version=0 netns=none batch=none next=2" },
	{ OPTS, "-json -pretty -stats show-link",
	  "json=1 pretty=1 stats=1 help=0 version=0 netns=none batch=none next=4" },
	{ OPTS, "-s show-link -j",
	  "json=0 pretty=0 stats=1 help=0 version=0 netns=none batch=none next=2" },
	{ OPTS, "-n ns1 show-link",
	  "json=0 pretty=0 stats=0 help=0 version=0 netns=ns1 batch=none next=3" },
	{ OPTS, "-netns ns1 -j show-link",
	  "json=1 pretty=0 stats=0 help=0 version=0 netns=ns1 batch=none next=4" },
	{ OPTS, "-n",
	  "Error: option \"-n\" needs a network namespace name." },
	{ OPTS, "-n a/b show-link",
	  "Error: argument \"a/b\" is wrong: not a network namespace name" },
	{ OPTS, "-n .. show-link",
	  "Error: argument \"..\" is wrong: not a network namespace name" },
	{ OPTS, "-n '' show-link", "Error: argument \"\" is wrong: it is empty" },
	{ OPTS, "-n ns1 -n ns2 show-link",
	  "Error: duplicate \"-n\": \"ns2\" is the second value." },
	{ OPTS, "-b cmds.txt",
	  "json=0 pretty=0 stats=0 help=0 version=0 netns=none batch=cmds.txt next=3" },
	{ OPTS, "-b -",
	  "json=0 pretty=0 stats=0 help=0 version=0 netns=none batch=- next=3" },
	{ OPTS, "-batch", "Error: option \"-batch\" needs a file name or \"-\"." },
	{ OPTS, "-x show-link",
	  "Error: option \"-x\" is unknown, try \"nvgrectl help\"." },
	{ OPTS, "--json show-link",
	  "Error: option \"--json\" is unknown, try \"nvgrectl help\"." },
	{ OPTS, "-- -odd",
	  "json=0 pretty=0 stats=0 help=0 version=0 netns=none batch=none next=2" },
	{ OPTS, "-h",
	  "json=0 pretty=0 stats=0 help=1 version=0 netns=none batch=none next=2" },
	{ OPTS, "-V",
	  "json=0 pretty=0 stats=0 help=0 version=1 netns=none batch=none next=2" },

	/* batch lines: words shown as [word] */
	{ BATCH, "add-lookup 10.0.0.1 vsid 5001\n",
	  "[add-lookup][10.0.0.1][vsid][5001]" },
	{ BATCH, "", "" },
	{ BATCH, "\n", "" },
	{ BATCH, "  \t  \n", "" },
	{ BATCH, "# a comment\n", "" },
	{ BATCH, "   # an indented comment", "" },
	{ BATCH, "show-link # the rest is a comment", "[show-link]" },
	{ BATCH, "show-link a#b", "[show-link][a#b]" },
	{ BATCH, "\tdel-link   nv1\t\n", "[del-link][nv1]" },
	{ BATCH, "del-link \"a b\" c", "[del-link][a b][c]" },
	{ BATCH, "x\"y z\"w", "[xy zw]" },
	{ BATCH, "\"\" a", "[][a]" },
	{ BATCH, "\"#x\" y", "[#x][y]" },
	{ BATCH, "show-link\r\n", "[show-link]" },
	{ BATCH, "del-link \"nv1", "Error: unterminated double quote." },

	/* get */
	{ GET, "10.1.0.12 vsid 5001 from 10.1.0.11",
	  "dst=10.1.0.12 vsid=5001 dir=out src=10.1.0.11" },
	{ GET, "10.1.0.12 from 10.1.0.11 vsid 5001 mac 02:00:00:00:01:01 dev nv5001",
	  "dst=10.1.0.12 vsid=5001 dir=out src=10.1.0.11 mac=02:00:00:00:01:01 dev=nv5001" },
	{ GET, "10.1.0.77 vsid 5001 mac 02:00:00:00:01:01 lladdr 02:00:00:00:77:77",
	  "dst=10.1.0.77 vsid=5001 dir=out mac=02:00:00:00:01:01 lladdr=02:00:00:00:77:77" },
	{ GET, "10.0.0.255 vsid 5001 from 10.0.0.1 lladdr ff:ff:ff:ff:ff:ff",
	  "dst=10.0.0.255 vsid=5001 dir=out src=10.0.0.1 lladdr=ff:ff:ff:ff:ff:ff" },
	{ GET, "239.1.2.3 vsid 5001 from 10.0.0.1 lladdr 01:00:5e:01:02:03",
	  "dst=239.1.2.3 vsid=5001 dir=out src=10.0.0.1 lladdr=01:00:5e:01:02:03" },
	{ GET, "10.0.0.9 vsid 5001 from 10.0.0.1 lladdr 00:00:00:00:00:00",
	  MAC_E("00:00:00:00:00:00", "MAC must not be all zeros") },
	{ GET, "2001:db8::2 vsid 5001 from fe80::1",
	  "dst=2001:db8::2 vsid=5001 dir=out src=fe80::1" },
	{ GET, "10.1.0.11 vsid 5001 from 10.1.0.12 dir in pa 192.0.2.2",
	  "dst=10.1.0.11 vsid=5001 dir=in src=10.1.0.12 pa=192.0.2.2" },
	{ GET, "10.1.0.11 vsid 5001 from 10.1.0.12 dir in pa 192.0.2.2 to 192.0.2.11",
	  "dst=10.1.0.11 vsid=5001 dir=in src=10.1.0.12 pa=192.0.2.2 to=192.0.2.11" },
	{ GET, "10.1.0.11 vsid 5001 from 10.1.0.12 to 2001:db8::1 dir in pa 2001:db8::2",
	  "dst=10.1.0.11 vsid=5001 dir=in src=10.1.0.12 pa=2001:db8::2 to=2001:db8::1" },
	{ GET, "10.1.0.11 vsid 5001 from 10.1.0.12 to 192.0.2.11",
	  "Error: \"to\" is the outer destination of \"dir in\" only." },
	{ GET, "10.1.0.11 vsid 5001 from 10.1.0.12 dir in pa 192.0.2.2 to 2001:db8::1",
	  "Error: the outer source and destination PAs must be of one family." },
	{ GET, "10.1.0.11 vsid 5001 from 10.1.0.12 dir in pa 192.0.2.2 to pa1",
	  "Error: argument \"pa1\" is wrong: PA must be an IPv4 or IPv6 address" },
	{ GET, "10.1.0.11 vsid 5001 from 10.1.0.12 dir in pa 192.0.2.2 to 192.0.2.1 to 192.0.2.3",
	  "Error: duplicate \"to\": \"192.0.2.3\" is the second value." },
	{ GET, "10.1.0.11 vsid 5001 from 10.1.0.12 dir out",
	  "dst=10.1.0.11 vsid=5001 dir=out src=10.1.0.12" },
	{ GET, "10.1.0.255 vsid 5001 from 10.1.0.11",
	  "dst=10.1.0.255 vsid=5001 dir=out src=10.1.0.11" },
	{ GET, "", "Error: DST_CA is required." },
	{ GET, "host vsid 5001 from 10.1.0.11",
	  "Error: argument \"host\" is wrong: DST_CA must be an IPv4 or IPv6 address" },
	{ GET, "10.1.0.12 from 10.1.0.11", "Error: \"vsid\" is required." },
	{ GET, "10.1.0.12 vsid 100 from 10.1.0.11", VSID_E("100") },
	{ GET, "10.1.0.12 vsid 5001", "Error: \"from\" or \"mac\" is required: the source of the frame." },
	{ GET, "10.1.0.12 vsid 5001 from 2001:db8::1",
	  "Error: SRC_CA and DST_CA must be of one family." },
	{ GET, "10.1.0.12 vsid 5001 from 224.0.0.1",
	  "Error: argument \"224.0.0.1\" is wrong: SRC_CA must be a unicast IPv4 or IPv6 address" },
	{ GET, "10.1.0.12 vsid 5001 from 10.1.0.11 dir in",
	  "Error: \"dir in\" needs \"pa OUTER_SRC_PA\"." },
	{ GET, "10.1.0.12 vsid 5001 from 10.1.0.11 pa 192.0.2.2",
	  "Error: \"pa\" is the outer source of \"dir in\" only." },
	{ GET, "10.1.0.12 vsid 5001 from 10.1.0.11 dir sideways",
	  "Error: argument \"sideways\" is wrong: the direction is \"in\" or \"out\"" },
	{ GET, "10.1.0.12 vsid 5001 from 10.1.0.11 dir in pa 224.0.0.1",
	  "Error: argument \"224.0.0.1\" is wrong: PA must be a unicast address" },
	{ GET, "10.1.0.12 vsid 5001 vsid 5002 from 10.1.0.11",
	  "Error: duplicate \"vsid\": \"5002\" is the second value." },
	{ GET, "10.1.0.12 vsid 5001 mac ff:ff:ff:ff:ff:ff",
	  "Error: argument \"ff:ff:ff:ff:ff:ff\" is wrong: MAC must be unicast, ff:ff:ff:ff:ff:ff is broadcast" },
	{ GET, "10.1.0.12 vsid 5001 from 10.1.0.11 dev", "Error: missing value after \"dev\"." },
	{ GET, "10.1.0.12 vsid 5001 from 10.1.0.11 via x", UNKNOWN("via") },
};

/* Extra cases outside the table, counted in the plan. */
#define EXTRA_TESTS	6

static int split(char *buf, char **argv, int max)
{
	int argc = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(buf, " ", &save); tok && argc < max;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = strcmp(tok, "''") ? tok : tok + 2;
	return argc;
}

static const char *ip_str(int family, const void *addr, char *buf,
			  size_t len)
{
	return inet_ntop(family, addr, buf, len) ? buf : "?";
}

static void fmt_lookup(const struct nvgre_lookup_req *r, bool full,
		       char *got, size_t len)
{
	char ca[INET6_ADDRSTRLEN], pa[INET6_ADDRSTRLEN];
	const uint8_t *m = r->mac;

	int n;

	if (r->ca.family)
		ip_str(r->ca.family, &r->ca.v6, ca, sizeof(ca));
	else
		snprintf(ca, sizeof(ca), "none");
	if (!full) {
		n = snprintf(got, len, "ca=%s vsid=%u", ca, r->vsid);
		if (r->type && n > 0 && (size_t)n < len)
			n += snprintf(got + n, len - n, " type=%s",
				      lookup_type_name(r->type));
		if (r->type == 1 && n > 0 && (size_t)n < len)
			n += snprintf(got + n, len - n,
				      " mac=%02x:%02x:%02x:%02x:%02x:%02x",
				      m[0], m[1], m[2], m[3], m[4], m[5]);
		if (r->has_proto && n > 0 && (size_t)n < len)
			snprintf(got + n, len - n, " proto=%u", r->proto);
		return;
	}
	n = snprintf(got, len,
		     "ca=%s vsid=%u pa=%s mac=%02x:%02x:%02x:%02x:%02x:%02x",
		     ca, r->vsid,
		     ip_str(r->pa.family, &r->pa.v6, pa, sizeof(pa)),
		     m[0], m[1], m[2], m[3], m[4], m[5]);
	if (r->type && n > 0 && (size_t)n < len)
		n += snprintf(got + n, len - n, " type=%s",
			      lookup_type_name(r->type));
	if (r->has_proto && n > 0 && (size_t)n < len)
		snprintf(got + n, len - n, " proto=%u", r->proto);
}

static void fmt_link(const struct nvgre_link_req *r, char *got, size_t len)
{
	char local[INET_ADDRSTRLEN] = "none", rdid[16] = "none";

	if (r->has_local)
		ip_str(AF_INET, &r->local, local, sizeof(local));
	if (r->has_rdid)
		snprintf(rdid, sizeof(rdid), "%u", r->rdid);
	int n;

	n = snprintf(got, len, "name=%s vsid=%u local=%s rdid=%s", r->name,
		     r->vsid, local, rdid);
	if (r->has_ttl && n > 0 && (size_t)n < len)
		n += snprintf(got + n, len - n, " ttl=%u", r->ttl);
	if (r->has_tos && n > 0 && (size_t)n < len)
		n += snprintf(got + n, len - n, " tos=%u", r->tos);
	if (r->has_local6 && n > 0 && (size_t)n < len) {
		char local6[INET6_ADDRSTRLEN];

		ip_str(AF_INET6, &r->local6, local6, sizeof(local6));
		n += snprintf(got + n, len - n, " local6=%s", local6);
	}
	if (r->has_group && n > 0 && (size_t)n < len) {
		char group[INET_ADDRSTRLEN];

		ip_str(AF_INET, &r->group, group, sizeof(group));
		snprintf(got + n, len - n, " group=%s", group);
	}
}

static void fmt_opts(const struct nvgre_opts *o, int next, char *got,
		     size_t len)
{
	snprintf(got, len,
		 "json=%d pretty=%d stats=%d help=%d version=%d netns=%s batch=%s next=%d",
		 o->json, o->pretty, o->stats, o->help, o->version,
		 o->netns ? o->netns : "none", o->batch ? o->batch : "none",
		 next);
}

static void fmt_monitor(const struct nvgre_monitor_req *m, char *got,
			size_t len)
{
	char count[16] = "none";

	if (m->count)
		snprintf(count, sizeof(count), "%u", m->count);
	snprintf(got, len, "count=%s events=%d misses=%d", count,
		 !!(m->groups & MONITOR_EVENTS), !!(m->groups & MONITOR_MISSES));
}

static void fmt_get(const struct nvgre_get_req *r, char *got, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	const uint8_t *m;
	int n;

	n = snprintf(got, len, "dst=%s vsid=%u dir=%s",
		     ip_str(r->dst.family, &r->dst.v6, a, sizeof(a)), r->vsid,
		     r->dir ? "in" : "out");
	if (r->has_src && n > 0 && (size_t)n < len)
		n += snprintf(got + n, len - n, " src=%s",
			      ip_str(r->src.family, &r->src.v6, a, sizeof(a)));
	m = r->mac;
	if (r->has_mac && n > 0 && (size_t)n < len)
		n += snprintf(got + n, len - n,
			      " mac=%02x:%02x:%02x:%02x:%02x:%02x",
			      m[0], m[1], m[2], m[3], m[4], m[5]);
	m = r->lladdr;
	if (r->has_lladdr && n > 0 && (size_t)n < len)
		n += snprintf(got + n, len - n,
			      " lladdr=%02x:%02x:%02x:%02x:%02x:%02x",
			      m[0], m[1], m[2], m[3], m[4], m[5]);
	if (r->has_dev && n > 0 && (size_t)n < len)
		n += snprintf(got + n, len - n, " dev=%s", r->dev);
	if (r->has_pa && n > 0 && (size_t)n < len)
		n += snprintf(got + n, len - n, " pa=%s",
			      ip_str(r->pa.family, &r->pa.v6, a, sizeof(a)));
	if (r->has_to && n > 0 && (size_t)n < len)
		snprintf(got + n, len - n, " to=%s",
			 ip_str(r->to.family, &r->to.v6, a, sizeof(a)));
}

static void fmt_words(int argc, char **argv, char *got, size_t len)
{
	size_t n = 0;
	int i;

	got[0] = '\0';
	for (i = 0; i < argc && n < len; i++)
		n += snprintf(got + n, len - n, "[%s]", argv[i]);
}

/* Run one case; got is the error line or the formatted request. */
static void run_case(const struct tcase *t, char *got, size_t len)
{
	char buf[512], err[PARSE_ERR_LEN] = "", *argv[BATCH_MAX_ARGS + 1];
	struct nvgre_lookup_req lookup;
	struct nvgre_filter_req filter;
	struct nvgre_link_show_req show;
	struct nvgre_monitor_req mon;
	struct nvgre_pa_req pa;
	struct nvgre_link_req link;
	struct nvgre_opts opts;
	struct nvgre_get_req get;
	int argc, next, rc = -1;

	if (t->kind == OPTS) {
		snprintf(buf, sizeof(buf), "nvgrectl %s", t->args);
	} else {
		snprintf(buf, sizeof(buf), "%s", t->args);
	}
	argc = t->kind == BATCH ? 0 : split(buf, argv, BATCH_MAX_ARGS);

	switch (t->kind) {
	case LOOKUP_ADD:
	case LOOKUP_DEL:
		rc = (t->kind == LOOKUP_ADD ? parse_lookup_add :
		      parse_lookup_del)(argc, argv, &lookup, err, sizeof(err));
		if (!rc)
			fmt_lookup(&lookup, t->kind == LOOKUP_ADD, got, len);
		break;
	case GET:
		rc = parse_get(argc, argv, &get, err, sizeof(err));
		if (!rc)
			fmt_get(&get, got, len);
		break;
	case FILTER:
		rc = parse_lookup_filter(argc, argv, &filter, err, sizeof(err));
		if (!rc && filter.has_vsid)
			snprintf(got, len, "vsid=%u", filter.vsid);
		else if (!rc)
			snprintf(got, len, "vsid=none");
		break;
	case LINK_ADD:
	case LINK_DEL:
		rc = (t->kind == LINK_ADD ? parse_link_add :
		      parse_link_del)(argc, argv, &link, err, sizeof(err));
		if (!rc && t->kind == LINK_ADD)
			fmt_link(&link, got, len);
		else if (!rc)
			snprintf(got, len, "name=%s", link.name);
		break;
	case LINK_SHOW:
		rc = parse_link_show(argc, argv, &show, err, sizeof(err));
		if (!rc)
			snprintf(got, len, "name=%s stats=%d",
				 show.has_name ? show.name : "none", show.stats);
		break;
	case MONITOR:
		rc = parse_monitor(argc, argv, &mon, err, sizeof(err));
		if (!rc)
			fmt_monitor(&mon, got, len);
		break;
	case PA_ADD:
	case PA_DEL:
		rc = (t->kind == PA_ADD ? parse_pa_add :
		      parse_pa_del)(argc, argv, &pa, err, sizeof(err));
		if (!rc) {
			char addr[INET6_ADDRSTRLEN];

			inet_ntop(pa.pa.family, &pa.pa.v6, addr, sizeof(addr));
			snprintf(got, len, "pa=%s%s%s", addr,
				 t->kind == PA_ADD ? " dev=" : "", pa.dev);
		}
		break;
	case OPTS:
		rc = parse_opts(argc, argv, &opts, &next, err, sizeof(err));
		if (!rc)
			fmt_opts(&opts, next, got, len);
		break;
	case BATCH:
		rc = parse_batch_line(buf, argv, BATCH_MAX_ARGS, &argc, err,
				      sizeof(err));
		if (!rc)
			fmt_words(argc, argv, got, len);
		break;
	}
	if (rc)
		snprintf(got, len, "%s", err);
}

static int test_num, failed;

static void report(bool ok, const char *name, const char *want,
		   const char *got)
{
	test_num++;
	if (!ok)
		failed++;
	printf("%s %d %s\n", ok ? "ok" : "not ok", test_num, name);
	if (!ok) {
		printf("# want: %s\n", want);
		printf("# got:  %s\n", got);
	}
}

/* A KTAP test name: '#' would start a directive, control chars a line. */
static void case_name(const struct tcase *t, char *name, size_t len)
{
	size_t i;

	snprintf(name, len, "%s: %s", kind_names[t->kind], t->args);
	for (i = 0; name[i]; i++) {
		if (name[i] == '#')
			name[i] = 'H';
		else if ((unsigned char)name[i] < ' ')
			name[i] = ' ';
	}
}

/* A batch line of n words "w". */
static void test_batch_words(int n, const char *want, const char *name)
{
	char line[4 * BATCH_MAX_ARGS + 16] = "", err[PARSE_ERR_LEN] = "";
	char *argv[BATCH_MAX_ARGS], got[64];
	int i, argc = 0;

	for (i = 0; i < n; i++)
		strcat(line, "w ");
	if (parse_batch_line(line, argv, BATCH_MAX_ARGS, &argc, err,
			     sizeof(err)))
		snprintf(got, sizeof(got), "%s", err);
	else
		snprintf(got, sizeof(got), "words=%d", argc);
	report(!strcmp(got, want), name, want, got);
}

static void test_scalars(void)
{
	uint32_t v = 0;
	bool ok;

	ok = !parse_vsid("4096", &v) && v == 4096 &&
	     !parse_vsid("0xFFFFFE", &v) && v == 16777214 &&
	     parse_vsid("4095", &v) && parse_vsid("16777215", &v) &&
	     parse_vsid(" 5001", &v) && parse_vsid("5001 ", &v) &&
	     !parse_u32("0", &v) && v == 0 &&
	     parse_u32("0x100000000", &v);
	report(ok, "scalars: parse_vsid and parse_u32 edges", "ok",
	       ok ? "ok" : "mismatch");
}

/* xorshift32: the same strings on every run. */
static uint32_t rnd_state = 2463534242u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void rnd_string(char *buf, size_t max, const char *alphabet)
{
	size_t n = rnd() % max, k = strlen(alphabet), i;

	for (i = 0; i < n; i++)
		buf[i] = alphabet[rnd() % k];
	buf[n] = '\0';
}

/* parse_ip() reads IPv4 by hand: it must agree with inet_pton(). */
static void test_ipv4_like_inet_pton(void)
{
	static const char *const fixed[] = {
		"0.0.0.0", "255.255.255.255", "256.0.0.1", "1.2.3", "1.2.3.4.",
		".1.2.3.4", "1..2.3", "01.2.3.4", "1.2.3.04", "1.2.3.0", "0.0.0.00",
		"1.2.3.4 ", " 1.2.3.4", "1.2.3.255", "1.2.3.2555", "1.2.3.-1",
		"1.2.3.4x", "", ".", "1", "10.128.0.1", "192.168.001.1",
	};
	char s[24], got[64] = "ok";
	size_t i, n = ARRAY_SIZE(fixed) + 300000;

	for (i = 0; i < n; i++) {
		struct in_addr want;
		struct nvgre_ip ip;
		bool ok_want, ok_got;

		if (i < ARRAY_SIZE(fixed))
			snprintf(s, sizeof(s), "%s", fixed[i]);
		else
			rnd_string(s, 18, i & 1 ? "0123456789." : "0125.x ");
		ok_want = inet_pton(AF_INET, s, &want) == 1;
		ok_got = !parse_ip(s, &ip) && ip.family == AF_INET;
		if (ok_want != ok_got ||
		    (ok_got && ip.v4.s_addr != want.s_addr)) {
			snprintf(got, sizeof(got), "\"%s\": %s", s,
				 ok_got ? "accepted" : "refused");
			break;
		}
	}
	report(!strcmp(got, "ok"), "ip: IPv4 as inet_pton() reads it", "ok",
	       got);
}

/* parse_u32() reads decimal by hand: as strtoull() with the same checks. */
static void test_u32_like_strtoull(void)
{
	char s[24], got[64] = "ok";
	size_t i;

	for (i = 0; i < 300000; i++) {
		unsigned long long want = 0;
		bool ok_want, ok_got;
		uint32_t v = 0;
		char *end;

		rnd_string(s, 13, i & 1 ? "0123456789" : "0149 +-x");
		if (s[0] == '0' && s[1] == 'x')
			continue;	/* hexadecimal: still strtoull() */
		errno = 0;
		if (s[0] >= '0' && s[0] <= '9')
			want = strtoull(s, &end, 10);
		ok_want = s[0] >= '0' && s[0] <= '9' && !errno && !*end &&
			  want <= UINT32_MAX;
		ok_got = !parse_u32(s, &v);
		if (ok_got != ok_want || (ok_got && v != want)) {
			snprintf(got, sizeof(got), "\"%s\": %s", s,
				 ok_got ? "accepted" : "refused");
			break;
		}
	}
	report(!strcmp(got, "ok"), "scalars: decimal as strtoull() reads it",
	       "ok", got);
}

/* The splitter before it was table driven (strspn()/strcspn()). */
static int ref_batch_line(char *line, char **argv, int max, int *argcp)
{
	static const char blank[] = " \t\n\v\f\r", stop[] = " \t\n\v\f\r\"";
	char *r = line, *w = line;
	int argc = 0;

	*argcp = 0;
	for (;;) {
		r += strspn(r, blank);
		if (!*r || *r == '#')
			break;
		if (argc == max)
			return -1;
		argv[argc++] = w;
		for (;;) {
			size_t n = strcspn(r, stop);
			char *q;

			memmove(w, r, n);
			w += n;
			r += n;
			if (*r != '"')
				break;
			q = strchr(r + 1, '"');
			if (!q)
				return -1;
			n = q - (r + 1);
			memmove(w, r + 1, n);
			w += n;
			r = q + 1;
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
	*argcp = argc;
	return 0;
}

static void test_batch_like_reference(void)
{
	char a[48], b[48], err[PARSE_ERR_LEN], got[128] = "ok";
	char *av[BATCH_MAX_ARGS], *bv[BATCH_MAX_ARGS];
	int ac, bc, j;
	size_t i;

	for (i = 0; i < 300000; i++) {
		int ra, rb;

		rnd_string(a, sizeof(a), "ab\" \t#\n\r\v\f\x80");
		memcpy(b, a, sizeof(a));
		ra = ref_batch_line(a, av, 8, &ac);
		rb = parse_batch_line(b, bv, 8, &bc, err, sizeof(err));
		if (ra != rb || (!ra && ac != bc))
			break;
		for (j = 0; !ra && j < ac; j++)
			if (av[j] - a != bv[j] - b || strcmp(av[j], bv[j]))
				break;
		if (!ra && j < ac)
			break;
	}
	if (i < 300000)
		snprintf(got, sizeof(got), "case %zu differs", i);
	report(!strcmp(got, "ok"),
	       "batch_line: words as the strspn()/strcspn() splitter", "ok",
	       got);
}

int main(void)
{
	char got[512], name[300];
	size_t i;

	printf("KTAP version 1\n");
	printf("1..%zu\n", ARRAY_SIZE(cases) + EXTRA_TESTS);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		got[0] = '\0';
		run_case(&cases[i], got, sizeof(got));
		case_name(&cases[i], name, sizeof(name));
		report(!strcmp(got, cases[i].want), name, cases[i].want, got);
	}
	test_batch_words(BATCH_MAX_ARGS, "words=64",
			 "batch_line: 64 words are accepted");
	test_batch_words(BATCH_MAX_ARGS + 1,
			 "Error: too many words on the line, at most 64.",
			 "batch_line: 65 words are refused");
	test_scalars();
	test_ipv4_like_inet_pton();
	test_u32_like_strtoull();
	test_batch_like_reference();
	printf("# %d passed, %d failed\n", test_num - failed, failed);
	return failed ? 1 : 0;
}
