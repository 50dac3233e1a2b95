// SPDX-License-Identifier: GPL-2.0
/*
 * Command line parsers of nvgrectl. The grammar is iproute2's: one
 * positional word, then keywords with one value each, in any order, each
 * at most once, matched exactly. Every error is one line in err.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/nvgre.h>

#include "array.h"
#include "parse.h"

_Static_assert(NVGRE_VSID_MIN == 4096 && NVGRE_VSID_MAX == 16777214,
	       "update the VSID messages and the usage text");

static const char vsid_why[] = "VSID must be a number in 4096-16777214";
static const char rdid_why[] = "RDID must be a number in 0-4294967295";
static const char ttl_why[] = "TTL must be a number in 1-255 or \"inherit\"";
static const char tos_why[] =
	"TOS must be \"inherit\" or a DSCP byte 0x00-0xfc (ECN bits clear)";
static const char group_why[] =
	"group must be an IPv4 multicast address outside 224.0.0.0/24";
static const char count_why[] = "COUNT must be a number in 1-4294967295";
static const char name_why[] =
	"NAME must have 1-15 characters and no \"/\", \":\" or white space";

static int __attribute__((format(printf, 3, 4)))
perr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static int invarg(char *err, size_t len, const char *arg, const char *why)
{
	return perr(err, len, "Error: argument \"%s\" is wrong: %s", arg, why);
}

static int duparg(char *err, size_t len, const char *key, const char *arg)
{
	return perr(err, len,
		    "Error: duplicate \"%s\": \"%s\" is the second value.",
		    key, arg);
}

static int unknown(char *err, size_t len, const char *arg)
{
	return perr(err, len,
		    "Error: unknown argument \"%s\", try \"nvgrectl help\".",
		    arg);
}

static int missing(char *err, size_t len, const char *key)
{
	return perr(err, len, "Error: \"%s\" is required.", key);
}

/* Consume the keyword at argv[0]; argv[0] is then its value. */
#define NEXT_ARG()							\
	do {								\
		if (argc < 2)						\
			return perr(err, len,				\
				    "Error: missing value after \"%s\".", \
				    *argv);				\
		argc--;							\
		argv++;							\
	} while (0)

/* Decimal, or hexadecimal with 0x; no sign, no white space. */
static int parse_num(const char *s, unsigned long long max,
		     unsigned long long *val)
{
	unsigned long long v;
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (base == 10) {
		/* strtoull()'s value, without its locale and sign handling. */
		end = (char *)s;
		for (v = 0; *end >= '0' && *end <= '9'; end++) {
			unsigned int d = *end - '0';

			if (d > max || v > (max - d) / 10)
				return -1;
			v = v * 10 + d;
		}
		if (*end || end == s)
			return -1;
		*val = v;
		return 0;
	}
	if (!isxdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return -1;
	*val = v;
	return 0;
}

int parse_u32(const char *s, uint32_t *val)
{
	unsigned long long v;

	if (parse_num(s, UINT32_MAX, &v))
		return -1;
	*val = v;
	return 0;
}

int parse_vsid(const char *s, uint32_t *vsid)
{
	uint32_t v;

	if (parse_u32(s, &v) || v < NVGRE_VSID_MIN || v > NVGRE_VSID_MAX)
		return -1;
	*vsid = v;
	return 0;
}

/*
 * inet_pton(AF_INET): four decimal parts 0-255 without leading zeros,
 * dots between them, nothing else (glibc's and musl's rules). By hand
 * because batch files hold two addresses a line and inet_pton() cost as
 * much as the rest of the line's parsing.
 */
static int parse_ipv4(const char *s, struct in_addr *addr)
{
	uint8_t b[4];
	int i;

	for (i = 0; i < 4; i++) {
		unsigned int v;

		if (i && *s++ != '.')
			return -1;
		if (*s < '0' || *s > '9')
			return -1;
		v = *s++ - '0';
		while (*s >= '0' && *s <= '9') {
			if (!v)
				return -1;
			v = v * 10 + (*s++ - '0');
			if (v > 255)
				return -1;
		}
		b[i] = v;
	}
	if (*s)
		return -1;
	memcpy(addr, b, sizeof(b));
	return 0;
}

int nvgre_ip_cmp(const struct nvgre_ip *x, const struct nvgre_ip *y)
{
	if (x->family != y->family)
		return x->family == AF_INET ? -1 : 1;
	if (x->family == AF_INET)
		return memcmp(&x->v4, &y->v4, sizeof(x->v4));
	return memcmp(&x->v6, &y->v6, sizeof(x->v6));
}

int parse_ip(const char *s, struct nvgre_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (!parse_ipv4(s, &ip->v4)) {
		ip->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &ip->v6) == 1) {
		ip->family = AF_INET6;
		return 0;
	}
	return -1;
}

/*
 * Not 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4, 255.255.255.255, ::, ::1,
 * ff00::/8 or ::ffff:0:0/96 (an IPv4 CA is given as IPv4): the kernel's
 * rules for CAs and PAs.
 */
static bool ip_is_unicast(const struct nvgre_ip *ip)
{
	if (ip->family == AF_INET) {
		uint32_t a = ntohl(ip->v4.s_addr);

		return (a >> 24) != 0 && (a >> 24) != 127 &&
		       (a & 0xf0000000) != 0xe0000000 &&
		       a != INADDR_BROADCAST;
	}
	return !IN6_IS_ADDR_UNSPECIFIED(&ip->v6) &&
	       !IN6_IS_ADDR_LOOPBACK(&ip->v6) &&
	       !IN6_IS_ADDR_MULTICAST(&ip->v6) &&
	       !IN6_IS_ADDR_V4MAPPED(&ip->v6);
}

/*
 * A provider address of a record or a device: unicast IPv4, or global
 * unicast IPv6 (not link-local); what names the field in messages.
 */
static int parse_pa(const char *s, struct nvgre_ip *pa, const char *what,
		    char *err, size_t len)
{
	char why[128];

	if (parse_ip(s, pa))
		snprintf(why, sizeof(why), "%s must be an IPv4 or IPv6 address",
			 what);
	else if (!ip_is_unicast(pa))
		snprintf(why, sizeof(why), "%s must be a unicast address", what);
	else if (pa->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&pa->v6))
		snprintf(why, sizeof(why),
			 "%s must be a global IPv6 address, not link-local",
			 what);
	else
		return 0;
	return invarg(err, len, s, why);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;	/* ASCII lower case */
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A MAC of any kind but all zeros: unicast, multicast or broadcast. */
static int parse_mac_any(const char *s, uint8_t mac[MAC_LEN],
			 const char **why)
{
	static const uint8_t zero[MAC_LEN];
	int i;

	*why = "MAC must be xx:xx:xx:xx:xx:xx (six hexadecimal bytes)";
	if (strlen(s) != 3 * MAC_LEN - 1)
		return -1;
	for (i = 0; i < MAC_LEN; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		if (i < MAC_LEN - 1 && s[3 * i + 2] != ':')
			return -1;
		mac[i] = hi << 4 | lo;
	}
	if (!memcmp(mac, zero, MAC_LEN)) {
		*why = "MAC must not be all zeros";
		return -1;
	}
	*why = NULL;
	return 0;
}

int parse_mac(const char *s, uint8_t mac[MAC_LEN], const char **why)
{
	static const uint8_t bcast[MAC_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};

	if (parse_mac_any(s, mac, why))
		return -1;
	if (!memcmp(mac, bcast, MAC_LEN)) {
		*why = "MAC must be unicast, ff:ff:ff:ff:ff:ff is broadcast";
		return -1;
	}
	if (mac[0] & 1) {
		*why = "MAC must be unicast, not multicast (the first byte is odd)";
		return -1;
	}
	return 0;
}

/* The rules of the kernel's dev_valid_name(). */
int parse_ifname(const char *s, char name[IFNAMSIZ])
{
	size_t n = strlen(s), i;

	if (!n || n >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || isspace((unsigned char)s[i]))
			return -1;
	memcpy(name, s, n + 1);
	return 0;
}

/* The keywords of the lookup commands, in the order of *seen's bits. */
static const char *const lookup_words[] = {
	"vsid", "pa", "mac", "type", "proto",
};

/*
 * The index of s in lookup_words, or -1. Picked by the first byte, then
 * compared inline: batch files hold three keywords a line.
 */
static int lookup_word(const char *s)
{
	const char *w;
	int i;

	switch (s[0]) {
	case 'v':
		i = 0;
		break;
	case 'p':
		i = s[1] == 'r' ? 4 : 1;
		break;
	case 'm':
		i = 2;
		break;
	case 't':
		i = 3;
		break;
	default:
		return -1;
	}
	for (w = lookup_words[i]; *w; w++, s++)
		if (*s != *w)
			return -1;
	return *s ? -1 : i;
}

static bool is_lookup_keyword(const char *s)
{
	return lookup_word(s) >= 0;
}

static const char *const lookup_types[] = {
	[NVGRE_LOOKUP_STATIC]	= "static",
	[NVGRE_LOOKUP_L2ONLY]	= "l2only",
	[NVGRE_LOOKUP_GATEWAY]	= "gateway",
};

const char *lookup_type_name(uint8_t type)
{
	return type <= NVGRE_LOOKUP_MAX ? lookup_types[type] : NULL;
}

static const char *const lookup_protos[] = {
	[NVGRE_PROTO_ADMIN]	= "admin",
	[NVGRE_PROTO_AGENT]	= "agent",
};

void lookup_proto_name(uint8_t proto, char *buf, size_t len)
{
	if (proto < ARRAY_SIZE(lookup_protos))
		snprintf(buf, len, "%s", lookup_protos[proto]);
	else
		snprintf(buf, len, "%u", proto);
}

int parse_lookup_proto(const char *s, uint8_t *proto)
{
	unsigned long v;
	size_t i;
	char *end;

	for (i = 0; i < ARRAY_SIZE(lookup_protos); i++) {
		if (!strcmp(s, lookup_protos[i])) {
			*proto = i;
			return 0;
		}
	}
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 255)
		return -1;
	*proto = v;
	return 0;
}

static int parse_lookup_type(const char *s, uint8_t *type)
{
	uint8_t t;

	for (t = 0; t <= NVGRE_LOOKUP_MAX; t++) {
		if (!strcmp(s, lookup_types[t])) {
			*type = t;
			return 0;
		}
	}
	return -1;
}

static bool has_word(int argc, char **argv, const char *word)
{
	while (argc-- > 0)
		if (!strcmp(argv[argc], word))
			return true;
	return false;
}

/* The keywords of parse_lookup(); *seen has a bit per keyword given. */
static int parse_lookup_word(int *argcp, char ***argvp,
			     struct nvgre_lookup_req *req, bool full,
			     unsigned int *seen, char *err, size_t len)
{
	int argc = *argcp;
	char **argv = *argvp;
	int i = lookup_word(*argv);
	const char *why;

	/* del-lookup takes no pa; its mac is the key of an l2only record. */
	if (i < 0 || (!full && i == 1))
		return unknown(err, len, *argv);
	NEXT_ARG();
	*argcp = argc;
	*argvp = argv;
	if (*seen & 1u << i)
		return duparg(err, len, lookup_words[i], *argv);
	*seen |= 1u << i;
	switch (i) {
	case 0:
		if (parse_vsid(*argv, &req->vsid))
			return invarg(err, len, *argv, vsid_why);
		return 0;
	case 1:
		return parse_pa(*argv, &req->pa, "PA", err, len);
	case 2:
		if (parse_mac(*argv, req->mac, &why))
			return invarg(err, len, *argv, why);
		return 0;
	case 4:
		if (parse_lookup_proto(*argv, &req->proto))
			return invarg(err, len, *argv,
				      "PROTO must be admin, agent or a number in 0-255");
		req->has_proto = true;
		return 0;
	default:
		if (parse_lookup_type(*argv, &req->type))
			return invarg(err, len, *argv,
				      "TYPE must be static, l2only or gateway");
		return 0;
	}
}

/*
 * full: add/replace (vsid, pa, mac); else del (vsid; mac for l2only).
 * The CA comes first; l2only and gateway records have none (the kernel
 * refuses one, so that it says which combinations are wrong).
 */
static int parse_lookup(int argc, char **argv, struct nvgre_lookup_req *req,
			bool full, char *err, size_t len)
{
	const char *first = argc > 0 ? argv[0] : NULL;
	unsigned int seen = 0;

	memset(req, 0, sizeof(*req));
	if (argc < 1)
		return perr(err, len, "Error: CA is required.");
	if (is_lookup_keyword(argv[0]) && !has_word(argc, argv, "type"))
		return perr(err, len, "Error: CA must come first, before \"%s\".",
			    argv[0]);
	if (!is_lookup_keyword(argv[0])) {
		if (parse_ip(argv[0], &req->ca) ||
		    (full && !ip_is_unicast(&req->ca)))
			return invarg(err, len, argv[0],
				      "CA must be a unicast IPv4 or IPv6 address");
		argc--;
		argv++;
	}
	for (; argc > 0; argc--, argv++)
		if (parse_lookup_word(&argc, &argv, req, full, &seen, err, len))
			return -1;
	if (req->type == NVGRE_LOOKUP_STATIC && !req->ca.family)
		return perr(err, len, "Error: CA must come first, before \"%s\".",
			    first);
	if (!(seen & 1))
		return missing(err, len, "vsid");
	if (full && !(seen & 2))
		return missing(err, len, "pa");
	if ((full || req->type == NVGRE_LOOKUP_L2ONLY) && !(seen & 4))
		return missing(err, len, "mac");
	if (!full && req->type != NVGRE_LOOKUP_L2ONLY && (seen & 4))
		return perr(err, len,
			    "Error: \"mac\" names only an l2only record (type l2only).");
	return 0;
}

int parse_lookup_add(int argc, char **argv, struct nvgre_lookup_req *req,
		     char *err, size_t len)
{
	return parse_lookup(argc, argv, req, true, err, len);
}

int parse_lookup_del(int argc, char **argv, struct nvgre_lookup_req *req,
		     char *err, size_t len)
{
	return parse_lookup(argc, argv, req, false, err, len);
}

int parse_lookup_filter(int argc, char **argv, struct nvgre_filter_req *req,
			char *err, size_t len)
{
	memset(req, 0, sizeof(*req));
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "vsid")) {
			NEXT_ARG();
			if (req->has_vsid)
				return duparg(err, len, "vsid", *argv);
			if (parse_vsid(*argv, &req->vsid))
				return invarg(err, len, *argv, vsid_why);
			req->has_vsid = true;
		} else {
			return unknown(err, len, *argv);
		}
	}
	return 0;
}

/* "inherit" (0: the route's hop limit) or 1-255. */
int parse_ttl(const char *s, uint8_t *ttl)
{
	uint32_t v;

	if (!strcmp(s, "inherit")) {
		*ttl = 0;
		return 0;
	}
	if (parse_u32(s, &v) || v < 1 || v > 255)
		return -1;
	*ttl = v;
	return 0;
}

/* "inherit" or a TOS byte whose ECN bits are clear (ECN follows RFC 6040). */
int parse_tos(const char *s, uint8_t *tos)
{
	uint32_t v;

	if (!strcmp(s, "inherit")) {
		*tos = NVGRE_TOS_INHERIT;
		return 0;
	}
	if (parse_u32(s, &v) || v > 255 || (v & 3))
		return -1;
	*tos = v;
	return 0;
}

/* An IPv4 multicast group, not one of the link-local 224.0.0.0/24. */
static int parse_group(const char *s, struct in_addr *group)
{
	uint32_t h;

	if (inet_pton(AF_INET, s, group) != 1)
		return -1;
	h = ntohl(group->s_addr);
	return (h >> 28) != 0xe || (h >> 8) == 0xe00000 ? -1 : 0;
}

/* "local PA": one IPv4 and one IPv6 local PA at most. */
static int parse_link_local(const char *s, struct nvgre_link_req *req,
			    char *err, size_t len)
{
	struct nvgre_ip pa;

	if (parse_pa(s, &pa, "local PA", err, len))
		return -1;
	if (pa.family == AF_INET) {
		if (req->has_local)
			return duparg(err, len, "local", s);
		req->local = pa.v4;
		req->has_local = true;
	} else {
		if (req->has_local6)
			return duparg(err, len, "local", s);
		req->local6 = pa.v6;
		req->has_local6 = true;
	}
	return 0;
}

int parse_link_add(int argc, char **argv, struct nvgre_link_req *req,
		   char *err, size_t len)
{
	bool has_vsid = false;

	memset(req, 0, sizeof(*req));
	if (argc < 1)
		return perr(err, len, "Error: NAME is required.");
	if (parse_ifname(argv[0], req->name))
		return invarg(err, len, argv[0], name_why);

	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "vsid")) {
			NEXT_ARG();
			if (has_vsid)
				return duparg(err, len, "vsid", *argv);
			if (parse_vsid(*argv, &req->vsid))
				return invarg(err, len, *argv, vsid_why);
			has_vsid = true;
		} else if (!strcmp(*argv, "local")) {
			NEXT_ARG();
			if (parse_link_local(*argv, req, err, len))
				return -1;
		} else if (!strcmp(*argv, "rdid")) {
			NEXT_ARG();
			if (req->has_rdid)
				return duparg(err, len, "rdid", *argv);
			if (parse_u32(*argv, &req->rdid))
				return invarg(err, len, *argv, rdid_why);
			req->has_rdid = true;
		} else if (!strcmp(*argv, "ttl")) {
			NEXT_ARG();
			if (req->has_ttl)
				return duparg(err, len, "ttl", *argv);
			if (parse_ttl(*argv, &req->ttl))
				return invarg(err, len, *argv, ttl_why);
			req->has_ttl = true;
		} else if (!strcmp(*argv, "tos")) {
			NEXT_ARG();
			if (req->has_tos)
				return duparg(err, len, "tos", *argv);
			if (parse_tos(*argv, &req->tos))
				return invarg(err, len, *argv, tos_why);
			req->has_tos = true;
		} else if (!strcmp(*argv, "group")) {
			NEXT_ARG();
			if (req->has_group)
				return duparg(err, len, "group", *argv);
			if (parse_group(*argv, &req->group))
				return invarg(err, len, *argv, group_why);
			req->has_group = true;
		} else {
			return unknown(err, len, *argv);
		}
	}
	if (!has_vsid)
		return missing(err, len, "vsid");
	return 0;
}

int parse_link_del(int argc, char **argv, struct nvgre_link_req *req,
		   char *err, size_t len)
{
	memset(req, 0, sizeof(*req));
	if (argc < 1)
		return perr(err, len, "Error: NAME is required.");
	if (parse_ifname(argv[0], req->name))
		return invarg(err, len, argv[0], name_why);
	if (argc > 1)
		return unknown(err, len, argv[1]);
	return 0;
}

int parse_link_show(int argc, char **argv, struct nvgre_link_show_req *req,
		    char *err, size_t len)
{
	memset(req, 0, sizeof(*req));
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "-s") || !strcmp(*argv, "-stats")) {
			req->stats = true;
		} else if (!req->has_name) {
			if (parse_ifname(*argv, req->name))
				return invarg(err, len, *argv, name_why);
			req->has_name = true;
		} else {
			return unknown(err, len, *argv);
		}
	}
	return 0;
}

int parse_monitor(int argc, char **argv, struct nvgre_monitor_req *req,
		  char *err, size_t len)
{
	unsigned int groups;

	memset(req, 0, sizeof(*req));
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "count")) {
			NEXT_ARG();
			if (req->count)
				return duparg(err, len, "count", *argv);
			if (parse_u32(*argv, &req->count) || !req->count)
				return invarg(err, len, *argv, count_why);
			continue;
		}
		if (!strcmp(*argv, "events"))
			groups = MONITOR_EVENTS;
		else if (!strcmp(*argv, "misses"))
			groups = MONITOR_MISSES;
		else if (!strcmp(*argv, "all"))
			groups = MONITOR_EVENTS | MONITOR_MISSES;
		else
			return unknown(err, len, *argv);
		if (req->group_word)
			return perr(err, len,
				    "Error: \"%s\" after \"%s\": give one of events, misses or all.",
				    *argv, req->group_word);
		req->groups = groups;
		req->group_word = *argv;
	}
	if (!req->groups)
		req->groups = MONITOR_EVENTS;
	return 0;
}

/*
 * A provider address of this host: unicast IPv4, or global unicast IPv6
 * (not link-local: the kernel's rule).
 */
static int parse_local_pa(const char *s, struct nvgre_ip *pa, char *err,
			  size_t len)
{
	if (parse_ip(s, pa) || !ip_is_unicast(pa) ||
	    (pa->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&pa->v6)))
		return invarg(err, len, s,
			      "PA must be a unicast IPv4 or global IPv6 address");
	return 0;
}

/* full: add-pa (PA dev DEV); else del-pa (PA only). */
static int parse_pa_cmd(int argc, char **argv, struct nvgre_pa_req *req,
			bool full, char *err, size_t len)
{
	bool has_dev = false;

	memset(req, 0, sizeof(*req));
	if (argc < 1)
		return perr(err, len, "Error: PA is required.");
	if (!strcmp(argv[0], "dev"))
		return perr(err, len, "Error: PA must come first, before \"%s\".",
			    argv[0]);
	if (parse_local_pa(argv[0], &req->pa, err, len))
		return -1;

	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (full && !strcmp(*argv, "dev")) {
			NEXT_ARG();
			if (has_dev)
				return duparg(err, len, "dev", *argv);
			if (parse_ifname(*argv, req->dev))
				return invarg(err, len, *argv,
					      "DEV must have 1-15 characters and no \"/\", \":\" or white space");
			has_dev = true;
		} else {
			return unknown(err, len, *argv);
		}
	}
	if (full && !has_dev)
		return missing(err, len, "dev");
	return 0;
}

int parse_pa_add(int argc, char **argv, struct nvgre_pa_req *req,
		 char *err, size_t len)
{
	return parse_pa_cmd(argc, argv, req, true, err, len);
}

int parse_pa_del(int argc, char **argv, struct nvgre_pa_req *req,
		 char *err, size_t len)
{
	return parse_pa_cmd(argc, argv, req, false, err, len);
}

int parse_pa_show(int argc, char **argv, char *err, size_t len)
{
	if (argc > 0)
		return unknown(err, len, argv[0]);
	return 0;
}

static bool is_opt(const char *arg, const char *a, const char *b)
{
	return !strcmp(arg, a) || !strcmp(arg, b);
}

/* The value of option argv[*i]: a netns name or a batch file. */
static int opt_value(int argc, char **argv, int *i, const char **val,
		     const char *what, char *err, size_t len)
{
	const char *opt = argv[*i];

	if (*i + 1 >= argc)
		return perr(err, len, "Error: option \"%s\" needs %s.",
			    opt, what);
	if (*val)
		return duparg(err, len, opt, argv[*i + 1]);
	*val = argv[++*i];
	if (!**val)
		return invarg(err, len, *val, "it is empty");
	return 0;
}

int parse_opts(int argc, char **argv, struct nvgre_opts *opts, int *next,
	       char *err, size_t len)
{
	int i;

	memset(opts, 0, sizeof(*opts));
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "--")) {
			i++;
			break;
		} else if (is_opt(o, "-j", "-json")) {
			opts->json = true;
		} else if (is_opt(o, "-p", "-pretty")) {
			opts->json = true;
			opts->pretty = true;
		} else if (is_opt(o, "-s", "-stats")) {
			opts->stats = true;
		} else if (is_opt(o, "-n", "-netns")) {
			if (opt_value(argc, argv, &i, &opts->netns,
				      "a network namespace name", err, len))
				return -1;
			if (strchr(opts->netns, '/') ||
			    !strcmp(opts->netns, ".") ||
			    !strcmp(opts->netns, ".."))
				return invarg(err, len, opts->netns,
					      "not a network namespace name");
		} else if (is_opt(o, "-b", "-batch")) {
			if (opt_value(argc, argv, &i, &opts->batch,
				      "a file name or \"-\"", err, len))
				return -1;
		} else if (is_opt(o, "--store", "-store")) {
			if (opt_value(argc, argv, &i, &opts->store,
				      "etcd URLs", err, len))
				return -1;
		} else if (is_opt(o, "-h", "-help") || !strcmp(o, "--help")) {
			opts->help = true;
		} else if (is_opt(o, "-V", "-Version") ||
			   !strcmp(o, "--version")) {
			opts->version = true;
		} else {
			return perr(err, len,
				    "Error: option \"%s\" is unknown, try \"nvgrectl help\".",
				    o);
		}
	}
	*next = i;
	return 0;
}

/* Byte classes of parse_batch_line(): the C locale's isspace(), '"'. */
enum { BL_WORD, BL_BLANK, BL_QUOTE, BL_END };

static const unsigned char batch_class[256] = {
	['\0'] = BL_END,
	[' '] = BL_BLANK, ['\t'] = BL_BLANK, ['\n'] = BL_BLANK,
	['\v'] = BL_BLANK, ['\f'] = BL_BLANK, ['\r'] = BL_BLANK,
	['"'] = BL_QUOTE,
};

int parse_batch_line(char *line, char **argv, int max, int *argcp,
		     char *err, size_t len)
{
	const unsigned char *r = (const unsigned char *)line;
	char *w = line;
	int argc = 0;

	*argcp = 0;
	for (;;) {
		while (batch_class[*r] == BL_BLANK)
			r++;
		if (!*r || *r == '#')
			break;
		if (argc == max)
			return perr(err, len,
				    "Error: too many words on the line, at most %d.",
				    max);
		argv[argc++] = w;
		/*
		 * A word stops at a blank; a quoted run may hold blanks. w
		 * trails r once a quote has been dropped.
		 */
		for (;;) {
			const unsigned char *run = r;

			while (batch_class[*r] == BL_WORD)
				r++;
			if ((const unsigned char *)w != run)
				memmove(w, run, r - run);
			w += r - run;
			if (batch_class[*r] != BL_QUOTE)
				break;
			for (r++; *r != '"'; r++) {
				if (!*r)
					return perr(err, len,
						    "Error: unterminated double quote.");
				*w++ = *r;
			}
			r++;
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
	*argcp = argc;
	return 0;
}

/* One keyword of get and its value. */
static int parse_get_word(const char *key, const char *val,
			  struct nvgre_get_req *req, char *err, size_t len)
{
	const char *why;

	if (!strcmp(key, "vsid")) {
		if (parse_vsid(val, &req->vsid))
			return invarg(err, len, val, vsid_why);
	} else if (!strcmp(key, "from")) {
		if (parse_ip(val, &req->src) || !ip_is_unicast(&req->src))
			return invarg(err, len, val,
				      "SRC_CA must be a unicast IPv4 or IPv6 address");
		req->has_src = true;
	} else if (!strcmp(key, "mac")) {
		if (parse_mac(val, req->mac, &why))
			return invarg(err, len, val, why);
		req->has_mac = true;
	} else if (!strcmp(key, "lladdr")) {
		/* A broadcast or multicast MAC asks about a flood. */
		if (parse_mac_any(val, req->lladdr, &why))
			return invarg(err, len, val, why);
		req->has_lladdr = true;
	} else if (!strcmp(key, "dev")) {
		if (parse_ifname(val, req->dev))
			return invarg(err, len, val, name_why);
		req->has_dev = true;
	} else if (!strcmp(key, "dir")) {
		if (!strcmp(val, "out"))
			req->dir = NVGRE_GET_DIR_OUT;
		else if (!strcmp(val, "in"))
			req->dir = NVGRE_GET_DIR_IN;
		else
			return invarg(err, len, val,
				      "the direction is \"in\" or \"out\"");
	} else if (!strcmp(key, "pa")) {
		if (parse_pa(val, &req->pa, "PA", err, len))
			return -1;
		req->has_pa = true;
	} else if (!strcmp(key, "to")) {
		if (parse_ip(val, &req->to))
			return invarg(err, len, val,
				      "PA must be an IPv4 or IPv6 address");
		req->has_to = true;
	} else {
		return unknown(err, len, key);
	}
	return 0;
}

/*
 * get DST_CA vsid VSID [ from SRC_CA ] [ mac SRC_MAC ] [ lladdr DST_MAC ]
 *     [ dev NAME ] [ dir { out | in } ] [ pa OUTER_SRC_PA ] [ to OUTER_DST_PA ]
 */
int parse_get(int argc, char **argv, struct nvgre_get_req *req, char *err,
	      size_t len)
{
	static const char *const words[] = {
		"vsid", "from", "mac", "dev", "dir", "pa", "lladdr", "to",
	};
	unsigned int seen = 0, i;

	memset(req, 0, sizeof(*req));
	if (argc < 1)
		return perr(err, len, "Error: DST_CA is required.");
	if (parse_ip(*argv, &req->dst))
		return invarg(err, len, *argv,
			      "DST_CA must be an IPv4 or IPv6 address");
	for (argc--, argv++; argc > 0; argc--, argv++) {
		for (i = 0; i < ARRAY_SIZE(words); i++)
			if (!strcmp(*argv, words[i]))
				break;
		if (i == ARRAY_SIZE(words))
			return unknown(err, len, *argv);
		NEXT_ARG();
		if (seen & 1u << i)
			return duparg(err, len, words[i], *argv);
		seen |= 1u << i;
		if (parse_get_word(argv[-1], *argv, req, err, len))
			return -1;
	}
	if (!(seen & 1u << 0))
		return missing(err, len, "vsid");
	if (req->has_src && req->src.family != req->dst.family)
		return perr(err, len,
			    "Error: SRC_CA and DST_CA must be of one family.");
	if (req->dir == NVGRE_GET_DIR_IN && !req->has_pa)
		return perr(err, len,
			    "Error: \"dir in\" needs \"pa OUTER_SRC_PA\".");
	if (req->dir == NVGRE_GET_DIR_OUT && req->has_pa)
		return perr(err, len,
			    "Error: \"pa\" is the outer source of \"dir in\" only.");
	if (req->has_to && req->dir != NVGRE_GET_DIR_IN)
		return perr(err, len,
			    "Error: \"to\" is the outer destination of \"dir in\" only.");
	if (req->has_to && req->to.family != req->pa.family)
		return perr(err, len,
			    "Error: the outer source and destination PAs must be of one family.");
	if (!req->has_src && !req->has_mac)
		return perr(err, len,
			    "Error: \"from\" or \"mac\" is required: the source of the frame.");
	return 0;
}
