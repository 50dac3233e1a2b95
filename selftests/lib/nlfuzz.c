// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: random and mutated messages to the "nvgre" generic netlink
 * family, over a raw netlink socket (no libnl: the messages are meant to be
 * wrong in ways a library would not let through).
 *
 *   nlfuzz [-s SEED] [-n COUNT]
 *   nlfuzz probe CMD [dump] [vsid N] [ifindex N] [ca4 A] [pa4 A] [mac M]
 *                    [type N] [attr TYPE HEX] [raw HEX] [nest ... end]
 *
 * probe sends one request of command number CMD, its attributes in the
 * order given, and prints "ok N" (N reply messages) or "error ENAME:
 * extack message", exit 0 or 1: the permission and namespace tests use it
 * to reach what nvgrectl does not let them name (an ifindex, a bare
 * command), the netlink test to build records that nvgrectl would not
 * (attr: any type and flags, raw: bytes that are no attribute, nest ...
 * end: an NVGRE_A_LOOKUP nest around the arguments between).
 *
 * Every message asks for an ACK and waits for it, so each rejection is
 * seen with its extended ACK. The program keeps a model of the records its
 * accepted requests made (ADD, REPLACE, DEL, FLUSH; the kernel takes the
 * last of repeated attributes) and at the end dumps the records and
 * compares them with the model. It prints the seed, the counts per
 * command and errno, and one line per finding; the exit status is 0 only
 * when:
 *   - every rejection by the family's own code carries an extack message
 *     (NLMSGERR_ATTR_MSG); the genetlink core's rejections of what never
 *     reaches the family (unknown command, dump of a command without one,
 *     truncated genetlink header) are counted apart;
 *   - no request goes unanswered (5 s);
 *   - the dump equals the model.
 * The last lines are "# peak N records at once during the run" (the model's)
 * and "records N", the number of records dumped.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nvgre.h>
#include <sys/socket.h>

#define BUF_SIZE	(1 << 16)
#define MAX_MSG		32768

#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS	0x200
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK	11
#endif

/* The pools the valid-looking values come from, small so requests collide. */
static const uint32_t vsid_pool[] = { 4096, 4097, 5001, 70000, NVGRE_VSID_MAX };
#define N_VSID		(sizeof(vsid_pool) / sizeof(vsid_pool[0]))
#define N_CA4		48
#define N_CA6		16
#define N_CA		(N_CA4 + N_CA6)

/*
 * Model: the (VSID, type, CA) keys the accepted requests left, in an open
 * addressing table; a CA is kept as the kernel keys it, IPv4 mapped; an
 * l2only record's MAC takes the CA's first six bytes, a gateway record has
 * none (as in kmod/nvgre.h, struct nvgre_lookup_key).
 */
struct key {
	uint32_t vsid;		/* 0: free slot */
	uint8_t type;		/* enum nvgre_lookup_type */
	uint8_t ca[16];
	bool present;		/* deleted keys stay as tombstones */
	bool dumped;
};

#define MODEL_SIZE	(1 << 17)
static struct key model[MODEL_SIZE];
/* Records the model holds now, and the most it held at once. */
static uint64_t model_present, model_peak;

/* Marks @s present or not, keeping the counts. */
static void model_mark(struct key *s, bool present)
{
	model_present += (uint64_t)present - s->present;
	s->present = present;
	if (model_present > model_peak)
		model_peak = model_present;
}
static unsigned int model_used;

static int fd;
static uint16_t family;
static uint32_t seq = 1;
static uint64_t rng;
static uint8_t *rbuf;

static uint64_t sent, acked, rejected, core_rejected, no_extack, dumps;
static uint64_t per_cmd[32], per_errno[160];
static int failures;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static __attribute__((format(printf, 1, 2)))
void fail(const char *fmt, ...)
{
	va_list ap;

	if (failures++ < 20) {
		printf("# FAIL: ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
}

struct msg {
	uint8_t buf[MAX_MSG];
	size_t len;
};

static void put_bytes(struct msg *m, const void *p, size_t n)
{
	if (m->len + n > sizeof(m->buf))
		n = sizeof(m->buf) - m->len;
	memcpy(m->buf + m->len, p, n);
	m->len += n;
}

/* Appends an attribute; @len over 65531 is cut, the pad is zeroes. */
static void put_attr(struct msg *m, uint16_t type, const void *p, size_t len)
{
	static const uint8_t zero[4];
	struct nlattr a;

	if (len > 0xffff - NLA_HDRLEN)
		len = 0xffff - NLA_HDRLEN;
	if (m->len + NLA_ALIGN(NLA_HDRLEN + len) > sizeof(m->buf))
		return;
	a.nla_len = NLA_HDRLEN + len;
	a.nla_type = type;
	put_bytes(m, &a, sizeof(a));
	put_bytes(m, p, len);
	put_bytes(m, zero, NLA_ALIGN(len) - len);
}

static void put_u8(struct msg *m, uint16_t type, uint8_t v)
{
	put_attr(m, type, &v, sizeof(v));
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put_attr(m, type, &v, sizeof(v));
}

static uint32_t ca4_of(unsigned int i)
{
	return htonl(0x0a000001 + i);		/* 10.0.0.1 + i */
}

static void ca6_of(unsigned int i, uint8_t *a)
{
	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	a[15] = 1 + i;
}

/* A random value for @type: valid from the pools, or garbage. */
static void put_random_attr(struct msg *m, int depth)
{
	uint8_t data[256], a6[16], mac[6] = { 0x02, 0, 0, 0, 0, 1 };
	uint16_t type = below(4) ? 1 + below(NVGRE_A_MAX) : below(40);
	uint32_t v;
	size_t len, i;

	if (!below(16))
		type |= NLA_F_NESTED;
	if (!below(32))
		type |= NLA_F_NET_BYTEORDER;
	switch (below(10)) {
	case 0:	/* huge */
		len = 1000 + below(20000);
		if (len > sizeof(m->buf) / 2)
			len = sizeof(m->buf) / 2;
		{
			static uint8_t big[MAX_MSG];

			for (i = 0; i < len; i += 8)
				big[i] = rnd();
			put_attr(m, type, big, len);
		}
		return;
	case 1:	/* empty */
		put_attr(m, type, NULL, 0);
		return;
	case 2:	/* nested garbage, if the nest's header fits */
		if (depth < 3 && m->len + NLA_HDRLEN <= sizeof(m->buf)) {
			size_t start = m->len;
			struct nlattr *nest;
			int n = below(5);

			put_attr(m, type | NLA_F_NESTED, NULL, 0);
			while (n--)
				put_random_attr(m, depth + 1);
			nest = (struct nlattr *)(m->buf + start);
			nest->nla_len = m->len - start;
			return;
		}
		break;
	case 3: case 4: case 5: case 6:	/* plausible */
		switch (type) {
		case NVGRE_A_VSID:
			v = below(8) ? vsid_pool[below(N_VSID)] : (uint32_t)rnd();
			put_u32(m, type, v);
			return;
		case NVGRE_A_CA4:
		case NVGRE_A_PA4:
			put_u32(m, type, below(8) ? ca4_of(below(N_CA4)) : (uint32_t)rnd());
			return;
		case NVGRE_A_CA6:
		case NVGRE_A_PA6:
			ca6_of(below(N_CA6), a6);
			put_attr(m, type, a6, 16);
			return;
		case NVGRE_A_MAC:
			mac[5] = rnd();
			put_attr(m, type, mac, 6);
			return;
		case NVGRE_A_IFINDEX:
			put_u32(m, type, below(30));
			return;
		case NVGRE_A_GROUP4:	/* replies only: must be refused */
			put_u32(m, type, htonl(0xef010101));
			return;
		}
		break;
	}
	/* wrong length, random bytes */
	len = below(8) ? below(20) : below(sizeof(data));
	for (i = 0; i < len; i++)
		data[i] = rnd();
	put_attr(m, type, data, len);
}

static void start_msg(struct msg *m, uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr nlh = {
		.nlmsg_type = family,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags,
		.nlmsg_seq = seq++,
	};
	struct genlmsghdr g = { .cmd = cmd, .version = NVGRE_GENL_VERSION };

	m->len = 0;
	put_bytes(m, &nlh, sizeof(nlh));
	put_bytes(m, &g, sizeof(g));
}

/*
 * A well-formed record request, to be mutated or not: mostly static, else
 * l2only (MAC, no CA) or gateway (no CA), now and then with a CA anyway.
 */
static void valid_record(struct msg *m, uint8_t cmd)
{
	uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x00 };
	uint8_t type = below(3) ? NVGRE_LOOKUP_STATIC : below(3);
	unsigned int ca = below(N_CA);
	uint8_t a6[16];

	put_u32(m, NVGRE_A_VSID, vsid_pool[below(N_VSID)]);
	if (type != NVGRE_LOOKUP_STATIC) {
		put_u8(m, NVGRE_A_TYPE, type);
		if (type == NVGRE_LOOKUP_L2ONLY &&
		    cmd != NVGRE_CMD_LOOKUP_ADD &&
		    cmd != NVGRE_CMD_LOOKUP_REPLACE) {
			mac[5] = 1 + below(200);
			put_attr(m, NVGRE_A_MAC, mac, 6);
		}
		if (below(8))
			ca = N_CA;	/* no CA, as it should be */
	}
	if (ca == N_CA) {
		/* none */
	} else if (ca < N_CA4) {
		put_u32(m, NVGRE_A_CA4, ca4_of(ca));
	} else {
		ca6_of(ca - N_CA4, a6);
		put_attr(m, NVGRE_A_CA6, a6, 16);
	}
	if (cmd == NVGRE_CMD_LOOKUP_ADD || cmd == NVGRE_CMD_LOOKUP_REPLACE) {
		if (below(2)) {
			put_u32(m, NVGRE_A_PA4, htonl(0xc0000200 + 1 + below(4)));
		} else {
			ca6_of(below(4), a6);	/* a global IPv6 PA */
			put_attr(m, NVGRE_A_PA6, a6, 16);
		}
		mac[5] = 1 + below(200);
		put_attr(m, NVGRE_A_MAC, mac, 6);
	}
}

/* A bulk request: 1-6 well-formed records, each in an NVGRE_A_LOOKUP nest. */
static void valid_bulk(struct msg *m, uint8_t cmd)
{
	int n = 1 + below(6);

	while (n-- && m->len + NLA_HDRLEN <= sizeof(m->buf)) {
		size_t start = m->len;
		struct nlattr *nest;

		put_attr(m, NVGRE_A_LOOKUP | NLA_F_NESTED, NULL, 0);
		valid_record(m, cmd);
		nest = (struct nlattr *)(m->buf + start);
		nest->nla_len = m->len - start;
	}
}

/*
 * A well-formed subnet or route request: 10.N.0.0/16 or 2001:db8:N::/48.
 */
static void valid_subnet(struct msg *m, uint8_t cmd)
{
	unsigned int n = below(8);
	uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	put_u32(m, NVGRE_A_VSID, vsid_pool[below(N_VSID)]);
	if (below(2)) {
		put_u32(m, NVGRE_A_CA4, htonl(0x0a000000 | n << 16));
		put_u8(m, NVGRE_A_PREFIX_LEN, below(4) ? 16 : below(40));
		if (cmd == NVGRE_CMD_SUBNET_ADD && below(2))
			put_u32(m, NVGRE_A_GW4, htonl(0x0a000000 | n << 16 |
						      below(300)));
	} else {
		a6[5] = n;
		put_attr(m, NVGRE_A_CA6, a6, 16);
		put_u8(m, NVGRE_A_PREFIX_LEN, below(4) ? 48 : below(140));
		if (cmd == NVGRE_CMD_SUBNET_ADD && below(2)) {
			a6[15] = below(3);
			put_attr(m, NVGRE_A_GW6, a6, 16);
		}
	}
	if (cmd == NVGRE_CMD_SUBNET_ADD && below(2))
		put_u32(m, NVGRE_A_RDID, below(4));
	if (cmd >= NVGRE_CMD_ROUTE_ADD) {
		put_u32(m, NVGRE_A_RDID, below(4));
		if (below(2))
			put_u32(m, NVGRE_A_METRIC, below(3));
		if (below(2))
			put_u32(m, NVGRE_A_NEXTHOP4, htonl(0x0a000001 + below(4)));
	}
}

static void mutate(struct msg *m)
{
	size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	int n = 1 + below(4);

	while (n--) {
		if (m->len <= hdr)
			return;
		switch (below(4)) {
		case 0:	/* flip a byte of the attributes */
			m->buf[hdr + below(m->len - hdr)] ^= 1 << below(8);
			break;
		case 1:	/* random byte */
			m->buf[hdr + below(m->len - hdr)] = rnd();
			break;
		case 2:	/* truncate */
			m->len = hdr + below(m->len - hdr);
			break;
		case 3:	/* append garbage */
			put_random_attr(m, 0);
			break;
		}
	}
}

/*
 * A well-formed GET, to be mutated or not: a frame of a VSID of the pool,
 * sent or received, from a CA or a MAC of the pools.
 */
static void valid_get(struct msg *m)
{
	uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x00 };
	size_t start;
	struct nlattr *nest;

	put_u32(m, NVGRE_A_VSID, vsid_pool[below(N_VSID)]);
	start = m->len;
	put_attr(m, NVGRE_A_GET | NLA_F_NESTED, NULL, 0);
	put_u8(m, NVGRE_GET_A_DIR, below(3) ? NVGRE_GET_DIR_OUT : below(3));
	put_u32(m, NVGRE_GET_A_DST4, ca4_of(below(N_CA4)));
	if (below(2))
		put_u32(m, NVGRE_GET_A_SRC4, ca4_of(below(N_CA4)));
	if (below(2)) {
		mac[5] = 1 + below(200);
		put_attr(m, NVGRE_GET_A_SRC_MAC, mac, 6);
	}
	if (below(2))
		put_u32(m, NVGRE_GET_A_OUTER4, ca4_of(below(N_CA4)));
	nest = (struct nlattr *)(m->buf + start);
	nest->nla_len = m->len - start;
}

/* Builds message number @i: ~1/2 mutated valid requests, the rest random. */
static void build(struct msg *m, uint8_t *cmd_out, bool *dump_out)
{
	uint8_t cmd = below(8) ? 1 + below(NVGRE_CMD_NS_STATS_GET) : below(16);
	uint16_t flags = 0;
	int n;

	/* Flushes would leave the table nearly always empty: 1 in 50. */
	if (cmd == NVGRE_CMD_LOOKUP_FLUSH && below(8))
		cmd = NVGRE_CMD_LOOKUP_ADD + below(2);
	/* Subnets and routes: 1 in 8. */
	if (!below(8))
		cmd = NVGRE_CMD_SUBNET_ADD + below(6);
	/* GET: 1 in 16. */
	if (!below(16))
		cmd = NVGRE_CMD_GET;

	if (!below(6))
		flags |= NLM_F_DUMP;
	start_msg(m, flags, cmd);
	switch (below(4)) {
	case 0:		/* well formed */
		if (cmd == NVGRE_CMD_GET)
			valid_get(m);
		else if (cmd >= NVGRE_CMD_LOOKUP_ADD && cmd <= NVGRE_CMD_LOOKUP_DEL &&
		    !below(3))
			valid_bulk(m, cmd);
		else if (cmd >= NVGRE_CMD_LOOKUP_ADD && cmd <= NVGRE_CMD_LOOKUP_GET)
			valid_record(m, cmd);
		else if (cmd >= NVGRE_CMD_SUBNET_ADD &&
			 cmd <= NVGRE_CMD_ROUTE_GET)
			valid_subnet(m, cmd);
		else if (below(2))
			put_u32(m, below(2) ? NVGRE_A_VSID : NVGRE_A_IFINDEX,
				below(2) ? vsid_pool[below(N_VSID)] : below(30));
		break;
	case 1:		/* mutated */
		if (cmd == NVGRE_CMD_GET)
			valid_get(m);
		else if (cmd >= NVGRE_CMD_SUBNET_ADD && cmd <= NVGRE_CMD_ROUTE_GET)
			valid_subnet(m, cmd);
		else if (!below(3))
			valid_bulk(m, cmd);
		else
			valid_record(m, cmd);
		mutate(m);
		break;
	default:	/* random attribute set */
		n = below(7);
		while (n--)
			put_random_attr(m, 0);
		break;
	}
	if (!below(200))	/* truncated genetlink header */
		m->len = NLMSG_HDRLEN + below(GENL_HDRLEN);
	((struct nlmsghdr *)m->buf)->nlmsg_len = m->len;
	*cmd_out = cmd;
	*dump_out = flags & NLM_F_DUMP;
}

/* The attribute @type in [@p, @end) as the kernel takes it (the last one). */
static const struct nlattr *last_attr_in(const uint8_t *p, const uint8_t *end,
					 uint16_t type)
{
	const struct nlattr *found = NULL, *a;

	while (p + NLA_HDRLEN <= end) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			found = a;
		p += NLA_ALIGN(a->nla_len);
	}
	return found;
}

/* The attribute @type of request @m as the kernel takes it. */
static const struct nlattr *last_attr(const struct msg *m, uint16_t type)
{
	return last_attr_in(m->buf + NLMSG_HDRLEN + GENL_HDRLEN,
			    m->buf + m->len, type);
}

/*
 * The key of the record whose attributes are @p..@end into @k; false if
 * it is incomplete.
 */
static bool key_of(const uint8_t *p, const uint8_t *end, struct key *k)
{
	const struct nlattr *av = last_attr_in(p, end, NVGRE_A_VSID);
	const struct nlattr *a4 = last_attr_in(p, end, NVGRE_A_CA4);
	const struct nlattr *a6 = last_attr_in(p, end, NVGRE_A_CA6);
	const struct nlattr *at = last_attr_in(p, end, NVGRE_A_TYPE);
	const struct nlattr *am = last_attr_in(p, end, NVGRE_A_MAC);

	memset(k, 0, sizeof(*k));
	if (!av)
		return false;
	memcpy(&k->vsid, av + 1, 4);
	if (at)
		k->type = *(const uint8_t *)(at + 1);
	if (k->type == NVGRE_LOOKUP_GATEWAY)
		return true;
	if (k->type == NVGRE_LOOKUP_L2ONLY) {
		if (!am)
			return false;
		memcpy(k->ca, am + 1, 6);
		return true;
	}
	if (!a4 && !a6)
		return false;
	if (a4) {
		k->ca[10] = 0xff;
		k->ca[11] = 0xff;
		memcpy(&k->ca[12], a4 + 1, 4);
	} else {
		memcpy(k->ca, a6 + 1, 16);
	}
	return true;
}

/* The slot of @k, a free one if @k is not in the model (NULL: full). */
static struct key *model_slot(const struct key *k)
{
	uint32_t h = k->vsid * 2654435761U, i;

	for (i = 0; i < 16; i++)
		h = (h ^ k->ca[i]) * 16777619U;
	h ^= k->type;
	for (i = 0; i < MODEL_SIZE; i++) {
		struct key *s = &model[(h + i) % MODEL_SIZE];

		if (!s->vsid || (s->vsid == k->vsid && s->type == k->type &&
				 !memcmp(s->ca, k->ca, 16)))
			return s;
	}
	return NULL;
}

/*
 * The record whose attributes are @p..@end was added (or replaced) or
 * deleted.
 */
static void model_set(const uint8_t *p, const uint8_t *end, uint8_t cmd)
{
	struct key k, *s;

	if (!key_of(p, end, &k)) {
		fail("cmd %u accepted without a whole key (VSID, and CA or MAC)",
		     cmd);
		return;
	}
	s = model_slot(&k);
	if (!s) {
		fail("model table full");
		return;
	}
	if (!s->vsid) {
		*s = k;
		model_used++;
	}
	model_mark(s, cmd != NVGRE_CMD_LOOKUP_DEL);
}

/*
 * The records of a bulk request @m applied: every NVGRE_A_LOOKUP nest
 * that ends at or before byte @limit of the request.
 */
static void model_apply_bulk(const struct msg *m, uint8_t cmd, size_t limit)
{
	const uint8_t *p = m->buf + NLMSG_HDRLEN + GENL_HDRLEN;
	const uint8_t *end = m->buf + m->len;
	const struct nlattr *a;

	while (p + NLA_HDRLEN <= end) {
		const uint8_t *in = p + NLA_HDRLEN;

		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			break;
		if ((size_t)(p + a->nla_len - m->buf) > limit)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NVGRE_A_LOOKUP)
			model_set(in, p + a->nla_len, cmd);
		p += NLA_ALIGN(a->nla_len);
	}
}

/*
 * Whether the family's handler ran for bulk request @m, as opposed to the
 * strict policy check of its top-level attributes rejecting it first: every
 * attribute is a well-formed NVGRE_A_LOOKUP nest (NLA_F_NESTED, empty or
 * at least a header long) and no bytes are left over.
 */
static bool bulk_reaches_handler(const struct msg *m)
{
	const uint8_t *p = m->buf + NLMSG_HDRLEN + GENL_HDRLEN;
	const uint8_t *end = m->buf + m->len;
	const struct nlattr *a;

	while (p + NLA_HDRLEN <= end) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			return false;
		if ((a->nla_type & NLA_TYPE_MASK) != NVGRE_A_LOOKUP ||
		    !(a->nla_type & NLA_F_NESTED))
			return false;
		if (a->nla_len > NLA_HDRLEN && a->nla_len < 2 * NLA_HDRLEN)
			return false;
		p += NLA_ALIGN(a->nla_len);
	}
	return p >= end;
}

/*
 * A request changed the model: all of it when accepted (@err 0); when
 * rejected, a bulk request that reached the handler and whose extack
 * offset @off points into one of its nests had the nests before that one
 * applied.
 */
static void model_apply(const struct msg *m, uint8_t cmd, int err,
			uint32_t off)
{
	const struct nlattr *av = last_attr(m, NVGRE_A_VSID);
	const struct nlattr *bulk = last_attr(m, NVGRE_A_LOOKUP);
	unsigned int i;
	uint32_t vsid = 0;

	if (cmd == NVGRE_CMD_LOOKUP_FLUSH) {
		if (err)
			return;
		if (av)
			memcpy(&vsid, av + 1, 4);
		for (i = 0; i < MODEL_SIZE; i++)
			if (!av || model[i].vsid == vsid)
				model_mark(&model[i], false);
		return;
	}
	if (cmd != NVGRE_CMD_LOOKUP_ADD && cmd != NVGRE_CMD_LOOKUP_REPLACE &&
	    cmd != NVGRE_CMD_LOOKUP_DEL)
		return;
	if (bulk) {
		if (!err)
			model_apply_bulk(m, cmd, m->len);
		else if (off && bulk_reaches_handler(m))
			model_apply_bulk(m, cmd, off);
		return;
	}
	if (!err)
		model_set(m->buf + NLMSG_HDRLEN + GENL_HDRLEN, m->buf + m->len,
			  cmd);
}

static char extack_text[256];
static uint32_t extack_off;	/* NLMSGERR_ATTR_OFFS of the last answer */

/*
 * Whether error message @nlh has an extack message; copied to extack_text,
 * its offset (if any) to extack_off.
 */
static bool has_extack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const uint8_t *p, *end = (const uint8_t *)nlh + nlh->nlmsg_len;
	const struct nlattr *a;
	bool found = false;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return false;
	p = (const uint8_t *)e + sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		p += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	while (p + NLA_HDRLEN <= end) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG &&
		    a->nla_len > NLA_HDRLEN + 1) {
			snprintf(extack_text, sizeof(extack_text), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)(a + 1));
			found = true;
		}
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_OFFS &&
		    a->nla_len >= NLA_HDRLEN + 4)
			memcpy(&extack_off, a + 1, 4);
		p += NLA_ALIGN(a->nla_len);
	}
	return found;
}

/*
 * Reads until the answer to @want_seq ends: an NLMSG_ERROR (ACK or
 * rejection) or NLMSG_DONE. Returns the error (0, -errno), or 1 on
 * timeout; *@extack says whether a rejection carried a message. @each,
 * if set, sees every reply message.
 */
static int wait_answer(uint32_t want_seq, bool *extack,
		       void (*each)(const struct nlmsghdr *))
{
	struct nlmsghdr *nlh;
	ssize_t n;
	int len;

	*extack = false;
	extack_off = 0;
	for (;;) {
		n = recv(fd, rbuf, BUF_SIZE, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 1;
			if (errno == ENOBUFS)
				continue;
			perror("recv");
			exit(2);
		}
		len = n;
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != want_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				int err = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;

				*extack = has_extack_msg(nlh);
				return err;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
				if (err)
					*extack = has_extack_msg(nlh);
				return err;
			}
			if (each)
				each(nlh);
		}
	}
}

static uint64_t dump_records, dump_foreign, dump_twice;

static void dump_one(const struct nlmsghdr *nlh)
{
	static struct msg m;
	struct key k, *s;

	if (nlh->nlmsg_type != family || nlh->nlmsg_len > sizeof(m.buf))
		return;
	memcpy(m.buf, nlh, nlh->nlmsg_len);
	m.len = nlh->nlmsg_len;
	dump_records++;
	if (!key_of(m.buf + NLMSG_HDRLEN + GENL_HDRLEN, m.buf + m.len, &k)) {
		dump_foreign++;
		return;
	}
	s = model_slot(&k);
	if (!s || !s->vsid || !s->present) {
		dump_foreign++;
		return;
	}
	dump_twice += s->dumped;
	s->dumped = true;
}

/* Dumps every record and compares with the model. */
static void check_model(void)
{
	static struct msg m;
	uint64_t want = 0, missing = 0;
	unsigned int i;
	bool ext;
	int err;

	start_msg(&m, NLM_F_DUMP, NVGRE_CMD_LOOKUP_GET);
	((struct nlmsghdr *)m.buf)->nlmsg_len = m.len;
	if (send(fd, m.buf, m.len, 0) < 0) {
		perror("send");
		exit(2);
	}
	err = wait_answer(seq - 1, &ext, dump_one);
	if (err) {
		fail("final dump failed: %d", err);
		return;
	}
	for (i = 0; i < MODEL_SIZE; i++) {
		want += model[i].present;
		missing += model[i].present && !model[i].dumped;
	}
	if (missing)
		fail("%" PRIu64 " records the model has are not dumped", missing);
	if (dump_foreign)
		fail("%" PRIu64 " dumped records are not in the model",
		     dump_foreign);
	if (dump_twice)
		fail("%" PRIu64 " records dumped twice", dump_twice);
	printf("# model %" PRIu64 " records (%u keys seen), dump %" PRIu64 "\n",
	       want, model_used, dump_records);
	printf("# peak %" PRIu64 " records at once during the run\n",
	       model_peak);
	printf("records %" PRIu64 "\n", dump_records);
}

static uint16_t resolve_family(void)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr g;
		uint8_t attrs[64];
	} req = { 0 };
	struct nlattr *a = (struct nlattr *)req.attrs;
	struct nlmsghdr *nlh;
	uint16_t id = 0;
	ssize_t n;
	int len;

	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(NVGRE_GENL_NAME);
	memcpy(a + 1, NVGRE_GENL_NAME, sizeof(NVGRE_GENL_NAME));
	req.nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + NLA_ALIGN(a->nla_len));
	req.nlh.nlmsg_type = GENL_ID_CTRL;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	if (send(fd, &req, req.nlh.nlmsg_len, 0) < 0)
		return 0;
	n = recv(fd, rbuf, BUF_SIZE, 0);
	if (n < 0)
		return 0;
	len = n;
	for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, len);
	     nlh = NLMSG_NEXT(nlh, len)) {
		uint8_t *p = (uint8_t *)NLMSG_DATA(nlh) + GENL_HDRLEN;
		uint8_t *end = (uint8_t *)nlh + nlh->nlmsg_len;

		if (nlh->nlmsg_type != GENL_ID_CTRL)
			continue;
		while (p + NLA_HDRLEN <= end) {
			a = (struct nlattr *)p;
			if (a->nla_len < NLA_HDRLEN)
				break;
			if (a->nla_type == CTRL_ATTR_FAMILY_ID)
				memcpy(&id, a + 1, sizeof(id));
			p += NLA_ALIGN(a->nla_len);
		}
	}
	return id;
}

/*
 * The genetlink core rejects these before the family sees them, with no
 * message on the kernels tested: a command the family does not have, a
 * dump of a command without one, a genetlink header cut short.
 */
static bool core_rejects(const struct msg *m, uint8_t cmd, bool dump)
{
	if (m->len < NLMSG_HDRLEN + GENL_HDRLEN)
		return true;
	if (cmd == NVGRE_CMD_SUBNET_ADD || cmd == NVGRE_CMD_SUBNET_DEL ||
	    cmd == NVGRE_CMD_ROUTE_ADD || cmd == NVGRE_CMD_ROUTE_DEL)
		return dump;
	if (cmd == NVGRE_CMD_SUBNET_GET || cmd == NVGRE_CMD_ROUTE_GET)
		return !dump;
	if (cmd == NVGRE_CMD_GET)
		return dump;
	if (cmd < NVGRE_CMD_LOOKUP_ADD || cmd > NVGRE_CMD_NS_STATS_GET)
		return true;
	return dump && cmd != NVGRE_CMD_LOOKUP_GET && cmd != NVGRE_CMD_LINK_GET;
}

static uint64_t probe_replies;

static void probe_count(const struct nlmsghdr *nlh)
{
	(void)nlh;
	probe_replies++;
}

/* The bytes of hex string @s (an even number of digits, "-" for none). */
static int hex_bytes(const char *s, uint8_t *b, size_t max)
{
	size_t n = 0;
	unsigned int v;

	if (!strcmp(s, "-"))
		return 0;
	for (; s[0] && s[1] && n < max; s += 2, n++) {
		if (sscanf(s, "%2x", &v) != 1)
			return -1;
		b[n] = v;
	}
	return *s ? -1 : (int)n;
}

/*
 * nlfuzz probe CMD [dump] [ARG...]: one request; prints "ok N" (N
 * replies) or "error ERRNO: extack message". ARGs: vsid N, ifindex N,
 * ca4 A, pa4 A, mac M, type N, attr TYPE HEX, raw HEX (bytes that are
 * no attribute), and nest ... end around an NVGRE_A_LOOKUP nest.
 */
static int probe(int argc, char **argv)
{
	static struct msg m;
	unsigned int mac[6], i;
	uint8_t mb[6], hb[64];
	size_t nest = 0;
	uint32_t a;
	bool dump = false, ext;
	int err, n;

	start_msg(&m, 0, strtoul(argv[0], NULL, 0));
	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "dump")) {
			dump = true;
			continue;
		}
		if (!strcmp(argv[i], "nest")) {
			if (nest)
				goto usage;
			nest = m.len;
			put_attr(&m, NVGRE_A_LOOKUP | NLA_F_NESTED, NULL, 0);
			continue;
		}
		if (!strcmp(argv[i], "end")) {
			if (!nest)
				goto usage;
			((struct nlattr *)(m.buf + nest))->nla_len = m.len - nest;
			nest = 0;
			continue;
		}
		if (i + 1 >= (unsigned int)argc)
			goto usage;
		if (!strcmp(argv[i], "vsid")) {
			put_u32(&m, NVGRE_A_VSID, strtoul(argv[++i], NULL, 0));
		} else if (!strcmp(argv[i], "ifindex")) {
			put_u32(&m, NVGRE_A_IFINDEX, strtoul(argv[++i], NULL, 0));
		} else if (!strcmp(argv[i], "ca4") || !strcmp(argv[i], "pa4")) {
			if (inet_pton(AF_INET, argv[i + 1], &a) != 1)
				goto usage;
			put_u32(&m, argv[i][0] == 'c' ? NVGRE_A_CA4 : NVGRE_A_PA4, a);
			i++;
		} else if (!strcmp(argv[i], "type")) {
			put_u8(&m, NVGRE_A_TYPE, strtoul(argv[++i], NULL, 0));
		} else if (!strcmp(argv[i], "attr") || !strcmp(argv[i], "raw")) {
			/* attr TYPE HEX (TYPE may carry NLA_F_*), raw HEX */
			bool raw = argv[i][0] == 'r';
			uint16_t t = 0;

			if (!raw) {
				if (i + 2 >= (unsigned int)argc)
					goto usage;
				t = strtoul(argv[++i], NULL, 0);
			}
			n = hex_bytes(argv[++i], hb, sizeof(hb));
			if (n < 0)
				goto usage;
			if (raw)
				put_bytes(&m, hb, n);
			else
				put_attr(&m, t, hb, n);
		} else if (!strcmp(argv[i], "mac")) {
			if (sscanf(argv[++i], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1],
				   &mac[2], &mac[3], &mac[4], &mac[5]) != 6)
				goto usage;
			for (a = 0; a < 6; a++)
				mb[a] = mac[a];
			put_attr(&m, NVGRE_A_MAC, mb, 6);
		} else {
			goto usage;
		}
	}
	if (nest)
		goto usage;
	if (dump)
		((struct nlmsghdr *)m.buf)->nlmsg_flags |= NLM_F_DUMP;
	((struct nlmsghdr *)m.buf)->nlmsg_len = m.len;
	if (send(fd, m.buf, m.len, 0) < 0) {
		perror("send");
		return 2;
	}
	err = wait_answer(seq - 1, &ext, probe_count);
	if (err == 1) {
		printf("no answer\n");
		return 1;
	}
	if (err) {
		printf("error %s: %s\n", strerrorname_np(-err),
		       ext ? extack_text : "(no message)");
		return 1;
	}
	printf("ok %" PRIu64 "\n", probe_replies);
	return 0;

usage:
	fprintf(stderr, "nlfuzz probe: bad arguments\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 5 };
	uint64_t count = 100000, seed = 0, i;
	static struct msg m;
	int one = 1, rcvbuf = 1 << 20, opt, err;
	uint8_t cmd;
	bool dump, ext;

	while (argc < 2 || strcmp(argv[1], "probe")) {
		opt = getopt(argc, argv, "s:n:");
		if (opt == -1)
			break;
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			count = strtoull(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: nlfuzz [-s SEED] [-n COUNT]\n");
			return 2;
		}
	}
	if (!seed)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	rng = seed | 1;
	if (argc < 2 || strcmp(argv[1], "probe"))
		printf("# seed %" PRIu64 " (nlfuzz -s %" PRIu64 " -n %" PRIu64
	       " repeats this run)\n", seed, seed, count);

	rbuf = malloc(BUF_SIZE);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (!rbuf || fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("netlink socket");
		return 2;
	}
	family = resolve_family();
	if (!family) {
		fprintf(stderr, "nlfuzz: family \"%s\" not found\n",
			NVGRE_GENL_NAME);
		return 2;
	}
	if (argc >= 3 && !strcmp(argv[1], "probe"))
		return probe(argc - 2, argv + 2);

	for (i = 0; i < count; i++) {
		build(&m, &cmd, &dump);
		if (send(fd, m.buf, m.len, 0) < 0) {
			fail("send of message %" PRIu64 " (%zu bytes): %s", i,
			     m.len, strerror(errno));
			continue;
		}
		sent++;
		per_cmd[cmd & 31]++;
		dumps += dump;
		err = wait_answer(seq - 1, &ext, NULL);
		if (err == 1) {
			size_t j;

			fail("no answer to message %" PRIu64 " (cmd %u, %zu bytes)",
			     i, cmd, m.len);
			printf("# message:");
			for (j = 0; j < m.len && j < 512; j++)
				printf("%s%02x", j % 32 ? "" : "\n# ", m.buf[j]);
			printf("\n");
			continue;
		}
		if (!dump)
			model_apply(&m, cmd, err, extack_off);
		if (!err) {
			acked++;
			continue;
		}
		rejected++;
		per_errno[-err < 160 ? -err : 0]++;
		if (core_rejects(&m, cmd, dump)) {
			core_rejected++;
		} else if (!ext) {
			no_extack++;
			fail("cmd %u%s rejected with %s and no extack message (message %" PRIu64 ")",
			     cmd, dump ? " dump" : "", strerror(-err), i);
		}
	}

	printf("# sent %" PRIu64 " (%" PRIu64 " dumps): %" PRIu64
	       " accepted, %" PRIu64 " rejected (%" PRIu64
	       " by the genetlink core), %" PRIu64 " without extack\n",
	       sent, dumps, acked, rejected, core_rejected, no_extack);
	printf("# per command:");
	for (i = 0; i < sizeof(per_cmd) / sizeof(per_cmd[0]); i++)
		if (per_cmd[i])
			printf(" %" PRIu64 ":%" PRIu64, i, per_cmd[i]);
	printf("\n# per errno:");
	for (i = 0; i < 160; i++)
		if (per_errno[i])
			printf(" %s:%" PRIu64, i ? strerrorname_np(i) : "?",
			       per_errno[i]);
	printf("\n");
	check_model();
	if (failures)
		printf("# %d failure(s)\n", failures);
	return failures ? 1 : 0;
}
