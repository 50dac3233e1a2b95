// SPDX-License-Identifier: GPL-2.0
/*
 * pktfuzz: malformed and hostile NVGRE from a packet socket on the
 * underlay, for nvgre_pktfuzz.sh (its address plan is built in, see
 * there).
 *
 *   pktfuzz send IFACE DSTMAC SEED COUNT
 *	COUNT hostile datagrams out of IFACE to the host with MAC DSTMAC,
 *	in random order from the categories below; prints the seed and
 *	"sent CATEGORY N" per category, then "frames N" (fragments count
 *	one by one).
 *   pktfuzz good IFACE DSTMAC COUNT
 *	COUNT well-formed frames from 10.0.0.2 (at PA 192.0.2.2) to the VM
 *	10.0.0.1 of VSID 5001: the captures' control.
 *   pktfuzz count-gre
 *	a raw IPPROTO_GRE socket: counts the GRE datagrams the host's stack
 *	gets (the ones nvgre leaves alone), writes "ready" to stderr, and on
 *	SIGINT or SIGTERM prints "stack CATEGORY N" per category (from the
 *	outer IP ID, which carries it) and "stack-total N".
 *
 * Non-fragmented datagrams carry their category in the top 5 bits of
 * the outer IP ID.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

/* The address plan of nvgre_pktfuzz.sh. */
#define LOCAL_PA	0xc0000201	/* 192.0.2.1, nv5001's and nv6001's local */
#define OTHER_PA	0xc000020b	/* 192.0.2.11, also h1's, no device's */
#define PEER_PA		0xc0000202	/* 192.0.2.2, the records' other host */
#define VSID_A		5001
#define VSID_B		6001
#define UNKNOWN_VSID	7001		/* no device, no gretap */
#define CA_VM		0x0a000001	/* 10.0.0.1, the VMs on h1 */
#define CA_PEER		0x0a000002	/* 10.0.0.2, on the peer host */
static const uint8_t mac_vm_a[6] = { 0x02, 0, 0, 0, 0x01, 0x01 };
static const uint8_t mac_peer_a[6] = { 0x02, 0, 0, 0, 0x02, 0x01 };
static const uint8_t mac_peer_b[6] = { 0x02, 0, 0, 0, 0x02, 0x02 };
static const uint8_t mac_sender[6] = { 0x02, 0, 0, 0, 0xee, 0x01 };

#define GRE_CSUM	0x8000
#define GRE_ROUTING	0x4000
#define GRE_KEY		0x2000
#define GRE_SEQ		0x1000
#define ETH_P_TEB_	0x6558

/*
 * Categories: how each is built, and where it must end up (the test
 * checks every sink).
 */
enum cat {
	C_BAD_FLAGS,	/* C, S, R, s, recursion or reserved flag: rx_bad_flags */
	C_VLAN,		/* inner 802.1Q / 802.1ad: rx_vlan */
	C_WRONG_PA,	/* to 192.0.2.11: rx_wrong_pa */
	C_SPOOF_PA,	/* outer source no record names: rx_spoof_mac */
	C_SPOOF_MAC,	/* inner source MAC without record: rx_spoof_mac */
	C_CROSS_TENANT,	/* tenant A's VM's MAC into VSID B: rx_spoof_mac */
	C_SPOOF_CA,	/* right MAC and PA, another CA (IPv4, IPv6, ARP) */
	C_TRUNC_INNER,	/* inner frame shorter than Ethernet: rx_malformed */
	C_MCAST_SRC,	/* multicast or zero inner source MAC: rx_malformed */
	C_BAD_L3,	/* truncated inner IPv4 / IPv6, bad ARP: rx_malformed */
	C_FRAG,		/* C_SPOOF_CA in outer IP fragments: rx_spoof_ca */
	C_OVERSIZE,	/* up to 64 KiB, reassembled, spoofed CA: rx_spoof_ca */
	C_UNKNOWN_VSID,	/* valid VSID, no device: rx_unknown_vsid and stack */
	C_RESERVED,	/* VSID 0-4095 or 0xFFFFFF: stack */
	C_VERSION,	/* GRE version 1-7: stack */
	C_NO_KEY,	/* K bit clear: stack */
	C_WRONG_PROTO,	/* protocol type other than 0x6558: stack */
	C_TRUNC_GRE,	/* GRE header or key cut short: stack */
	C_BAD_IP,	/* outer IPv4 header broken: IpInHdrErrors, InTruncatedPkts */
	C_FRAG_LOST,	/* one fragment of a datagram: IpReasmTimeout */
	C_OVERSIZE_L2,	/* frame over the underlay MTU: the veth's tx_dropped */
	C_MUTANT,	/* random bytes over GRE and inner, spoofed outer source */
	C_MAX
};

static const char *const cat_name[C_MAX] = {
	"bad_flags", "vlan", "wrong_pa", "spoof_pa", "spoof_mac",
	"cross_tenant", "spoof_ca", "trunc_inner", "mcast_src", "bad_l3",
	"frag", "oversize", "unknown_vsid", "reserved_vsid", "version",
	"no_key", "wrong_proto", "trunc_gre", "bad_ip", "frag_lost",
	"oversize_l2", "mutant",
};

/* Relative weights: about one datagram in a hundred is a lost fragment. */
static const unsigned int cat_weight[C_MAX] = {
	6, 4, 4, 5, 5, 3, 6, 4, 4, 5, 3, 1, 4, 4, 4, 4, 4, 4, 4, 1, 1, 10,
};

static uint64_t rng;
static int fd;
static struct sockaddr_ll dst_ll;
static uint8_t dst_mac[6];
static uint64_t sent[C_MAX], frames;
static uint16_t lost_id;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static uint16_t csum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += b[i] << 8 | b[i + 1];
	if (len & 1)
		s += b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons(~s & 0xffff);
}

struct buf {
	uint8_t b[65600];
	size_t len;
};

static void put(struct buf *f, const void *p, size_t n)
{
	if (f->len + n > sizeof(f->b))
		n = sizeof(f->b) - f->len;
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static void put16(struct buf *f, uint16_t v)
{
	v = htons(v);
	put(f, &v, 2);
}

static void put32(struct buf *f, uint32_t v)
{
	v = htonl(v);
	put(f, &v, 4);
}

static void put_rand(struct buf *f, size_t n)
{
	while (n--) {
		uint8_t c = rnd();

		put(f, &c, 1);
	}
}

/* An inner IPv4/UDP packet of @len payload bytes from @src to 10.0.0.1. */
static void inner_ip4(struct buf *f, uint32_t src, size_t len)
{
	uint8_t h[20] = { 0x45, 0 };

	h[2] = (28 + len) >> 8;
	h[3] = (28 + len) & 0xff;
	h[8] = 64;
	h[9] = 17;
	*(uint32_t *)&h[12] = htonl(src);
	*(uint32_t *)&h[16] = htonl(CA_VM);
	*(uint16_t *)&h[10] = csum(h, 20);
	put(f, h, 20);
	put16(f, 40000);
	put16(f, 9999);
	put16(f, 8 + len);
	put16(f, 0);
	put_rand(f, len);
}

static void inner_eth(struct buf *f, const uint8_t *src, uint16_t type)
{
	put(f, below(4) ? mac_vm_a : (const uint8_t[6]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 6);
	put(f, src, 6);
	put16(f, type);
}

/* The inner frame of a source that must fail the CA check. */
static void inner_spoof_ca(struct buf *f, const uint8_t *mac, size_t extra)
{
	uint8_t a6[40] = { 0x60, 0 };
	uint32_t ca;

	switch (below(3)) {
	case 0:	/* an IPv4 CA that is not the sender's */
		inner_eth(f, mac, ETH_P_IP);
		do
			ca = below(2) ? CA_VM : 0x0a000000 | below(1 << 24);
		while (ca == CA_PEER);
		inner_ip4(f, ca, extra);
		break;
	case 1:	/* IPv6 from a CA without record */
		inner_eth(f, mac, ETH_P_IPV6);
		a6[4] = (8 + extra) >> 8;
		a6[5] = (8 + extra) & 0xff;
		a6[6] = 17;
		a6[7] = 64;
		a6[8] = 0x20;
		a6[9] = 0x01;
		a6[10] = 0x0d;
		a6[11] = 0xb8;
		a6[23] = rnd() | 0x10;
		a6[24] = 0x20;
		a6[25] = 0x01;
		a6[26] = 0x0d;
		a6[27] = 0xb8;
		a6[39] = 1;
		put(f, a6, 40);
		put_rand(f, 8 + extra);
		break;
	default: /* ARP request whose sender CA is not the sender's */
		inner_eth(f, mac, ETH_P_ARP);
		put16(f, 1);
		put16(f, ETH_P_IP);
		put(f, (const uint8_t[2]){ 6, 4 }, 2);
		put16(f, 1);
		put(f, mac, 6);
		put32(f, below(2) ? CA_VM : 0x0a000000 | (below(200) + 3));
		put(f, (const uint8_t[6]){ 0 }, 6);
		put32(f, CA_VM);
		put_rand(f, extra);
		break;
	}
}

static void gre(struct buf *f, uint16_t flags, uint16_t proto, uint32_t vsid)
{
	put16(f, flags);
	put16(f, proto);
	if (flags & (GRE_CSUM | GRE_ROUTING))
		put32(f, 0);
	if (flags & GRE_KEY)
		put32(f, vsid << 8 | below(256));
	if (flags & GRE_SEQ)
		put32(f, below(1000));
}

static uint32_t served_vsid(void)
{
	return below(2) ? VSID_A : VSID_B;
}

static const uint8_t *peer_mac(uint32_t vsid)
{
	return vsid == VSID_A ? mac_peer_a : mac_peer_b;
}

static uint32_t spoofed_pa(void)
{
	/* 198.51.100.0/24 or a 192.0.2.0/24 address no record names */
	return below(2) ? 0xc6336400 | (1 + below(254)) :
			  0xc0000200 | (20 + below(200));
}

/*
 * The GRE payload (GRE header onwards) of a datagram of category @c;
 * *@src and *@dst get the outer addresses.
 */
static void build_gre(struct buf *g, enum cat c, uint32_t *src, uint32_t *dst)
{
	static const uint16_t bad[] = { GRE_CSUM, GRE_SEQ, GRE_ROUTING, 0x0800,
					0x0100, 0x0400, 0x0700, 0x0080, 0x0008,
					GRE_CSUM | GRE_SEQ, GRE_ROUTING | GRE_CSUM };
	uint32_t vsid = served_vsid(), v;
	uint8_t m[6], *arp;
	size_t i;

	*src = PEER_PA;
	*dst = LOCAL_PA;
	g->len = 0;
	switch (c) {
	case C_BAD_FLAGS:
		gre(g, GRE_KEY | bad[below(sizeof(bad) / 2)], ETH_P_TEB_, vsid);
		inner_eth(g, peer_mac(vsid), ETH_P_IP);
		inner_ip4(g, CA_PEER, below(64));
		break;
	case C_VLAN:
		gre(g, GRE_KEY, ETH_P_TEB_, vsid);
		inner_eth(g, peer_mac(vsid), below(2) ? ETH_P_8021Q : ETH_P_8021AD);
		put16(g, below(4096));
		put16(g, ETH_P_IP);
		inner_ip4(g, CA_PEER, below(64));
		break;
	case C_WRONG_PA:
		*dst = OTHER_PA;
		gre(g, GRE_KEY, ETH_P_TEB_, vsid);
		inner_eth(g, peer_mac(vsid), ETH_P_IP);
		inner_ip4(g, CA_PEER, below(64));
		break;
	case C_SPOOF_PA:
		*src = spoofed_pa();
		gre(g, GRE_KEY, ETH_P_TEB_, vsid);
		inner_eth(g, peer_mac(vsid), ETH_P_IP);
		inner_ip4(g, CA_PEER, below(64));
		break;
	case C_SPOOF_MAC:
		m[0] = 0x02 | (rnd() & 0xfc);
		for (i = 1; i < 6; i++)
			m[i] = rnd();
		m[5] |= 0x80;	/* never one of the records' */
		gre(g, GRE_KEY, ETH_P_TEB_, vsid);
		inner_eth(g, m, ETH_P_IP);
		inner_ip4(g, CA_PEER, below(64));
		break;
	case C_CROSS_TENANT:
		gre(g, GRE_KEY, ETH_P_TEB_, VSID_B);
		inner_eth(g, mac_peer_a, ETH_P_IP);
		inner_ip4(g, CA_PEER, below(64));
		break;
	case C_SPOOF_CA:
	case C_FRAG:
		gre(g, GRE_KEY, ETH_P_TEB_, vsid);
		inner_spoof_ca(g, peer_mac(vsid), c == C_FRAG ? 1500 + below(2000) : below(64));
		break;
	case C_OVERSIZE:
		gre(g, GRE_KEY, ETH_P_TEB_, vsid);
		inner_spoof_ca(g, peer_mac(vsid), 9000 + below(55000));
		break;
	case C_TRUNC_INNER:
		gre(g, GRE_KEY, ETH_P_TEB_, vsid);
		put_rand(g, below(14));
		break;
	case C_MCAST_SRC:
		m[0] = below(4) ? 1 | rnd() : 0;
		for (i = 1; i < 6; i++)
			m[i] = m[0] ? rnd() : 0;
		gre(g, GRE_KEY, ETH_P_TEB_, vsid);
		inner_eth(g, m, ETH_P_IP);
		inner_ip4(g, CA_PEER, below(64));
		break;
	case C_BAD_L3:
		gre(g, GRE_KEY, ETH_P_TEB_, vsid);
		switch (below(3)) {
		case 0:
			inner_eth(g, peer_mac(vsid), ETH_P_IP);
			put_rand(g, below(20));
			break;
		case 1:
			inner_eth(g, peer_mac(vsid), ETH_P_IPV6);
			put_rand(g, below(40));
			break;
		default:	/* short, or a wrong hardware, protocol or length */
			inner_eth(g, peer_mac(vsid), ETH_P_ARP);
			if (below(2)) {
				put_rand(g, below(28));
				break;
			}
			arp = g->b + g->len;
			put16(g, 1);
			put16(g, ETH_P_IP);
			put(g, (const uint8_t[2]){ 6, 4 }, 2);
			put16(g, 1);
			put_rand(g, 20);
			switch (below(4)) {
			case 0:
				arp[1] = 6;		/* IEEE 802 */
				break;
			case 1:
				arp[2] = 0x86;		/* IPv6 */
				arp[3] = 0xdd;
				break;
			case 2:
				arp[4] = 8;
				break;
			default:
				arp[5] = 16;
				break;
			}
			break;
		}
		break;
	case C_UNKNOWN_VSID:
		v = UNKNOWN_VSID + below(100000);
		gre(g, GRE_KEY, ETH_P_TEB_, v);
		inner_eth(g, peer_mac(VSID_A), ETH_P_IP);
		inner_ip4(g, CA_PEER, below(64));
		break;
	case C_RESERVED:
		gre(g, GRE_KEY, ETH_P_TEB_, below(8) ? below(4096) : 0xffffff);
		inner_eth(g, peer_mac(VSID_A), ETH_P_IP);
		inner_ip4(g, CA_PEER, below(64));
		break;
	case C_VERSION:
		gre(g, GRE_KEY | (1 + below(7)), ETH_P_TEB_, vsid);
		inner_eth(g, peer_mac(vsid), ETH_P_IP);
		inner_ip4(g, CA_PEER, below(64));
		break;
	case C_NO_KEY:
		gre(g, below(2) ? 0 : GRE_SEQ, ETH_P_TEB_, vsid);
		inner_eth(g, peer_mac(vsid), ETH_P_IP);
		inner_ip4(g, CA_PEER, below(64));
		break;
	case C_WRONG_PROTO:
		do
			v = below(2) ? rnd() & 0xffff : ETH_P_IP;
		while (v == ETH_P_TEB_);
		gre(g, GRE_KEY, v, vsid);
		inner_eth(g, peer_mac(vsid), ETH_P_IP);
		inner_ip4(g, CA_PEER, below(64));
		break;
	case C_TRUNC_GRE:
		gre(g, GRE_KEY | (below(2) ? GRE_CSUM : 0), ETH_P_TEB_, vsid);
		g->len = below(g->len);
		break;
	case C_MUTANT:
		/* from a source no record names, so nothing can pass */
		do
			v = below(C_TRUNC_GRE + 1);
		while (v == C_FRAG || v == C_OVERSIZE);
		build_gre(g, (enum cat)v, src, dst);
		*src = spoofed_pa();
		if (*dst == OTHER_PA)
			*dst = LOCAL_PA;
		for (v = 1 + below(6); v-- && g->len;)
			g->b[below(g->len < 40 ? g->len : 40)] = rnd();
		break;
	default:
		break;
	}
}

static void xmit(const uint8_t *p, size_t len)
{
	/*
	 * ENOBUFS: the veth dropped the frame (NET_XMIT_DROP), which it
	 * counts as tx_dropped; for frames over the peer's MTU that is
	 * where they must end.
	 */
	if (sendto(fd, p, len, 0, (struct sockaddr *)&dst_ll,
		   sizeof(dst_ll)) < 0 && errno != ENOBUFS) {
		fprintf(stderr, "pktfuzz: send of %zu bytes: %s\n", len,
			strerror(errno));
		exit(2);
	}
	frames++;
	/* Let the receiver keep up: never more than ~100 frames queued. */
	if (!(frames % 64))
		usleep(200);
}

/*
 * Sends @payload in one outer IPv4 datagram, cut into fragments of at most
 * @mtu bytes of IP (0: not fragmented), in random order.
 */
static void send_ip(const struct buf *payload, uint32_t src, uint32_t dst,
		    uint16_t id, size_t mtu, bool broken, bool only_one)
{
	static uint8_t fr[9200];
	size_t plen = payload->len, step, off, n, order[64], nfr, i, j, t;
	uint8_t *ip = fr + 14;

	memcpy(fr, dst_mac, 6);
	memcpy(fr + 6, mac_sender, 6);
	fr[12] = 0x08;
	fr[13] = 0x00;
	step = mtu ? ((mtu - 20) & ~7UL) : plen;
	if (!step)
		step = 8;
	nfr = (plen + step - 1) / step;
	if (!nfr)
		nfr = 1;
	for (i = 0; i < nfr; i++)
		order[i] = i;
	for (i = nfr; i > 1; i--) {
		j = below(i);
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	if (only_one)
		nfr = 1;
	for (i = 0; i < nfr; i++) {
		off = order[i] * step;
		n = plen - off < step ? plen - off : step;
		memset(ip, 0, 20);
		ip[0] = 0x45;
		ip[2] = (20 + n) >> 8;
		ip[3] = (20 + n) & 0xff;
		ip[4] = id >> 8;
		ip[5] = id & 0xff;
		if (mtu) {
			t = off / 8 | (off + n < plen ? 0x2000 : 0);
			ip[6] = t >> 8;
			ip[7] = t & 0xff;
		} else {
			ip[6] = 0x40;	/* DF */
		}
		ip[8] = 64;
		ip[9] = 47;
		*(uint32_t *)&ip[12] = htonl(src);
		*(uint32_t *)&ip[16] = htonl(dst);
		*(uint16_t *)&ip[10] = csum(ip, 20);
		memcpy(ip + 20, payload->b + off, n);
		if (broken) {
			switch (below(4)) {
			case 0:	/* checksum */
				ip[10] ^= 1 + below(255);
				break;
			case 1:	/* header length under 5 */
				ip[0] = 0x40 | below(5);
				break;
			case 2:	/* version */
				ip[0] = (below(2) ? 0x60 : 0x50) | 5;
				break;
			default: /* total length beyond the frame */
				ip[2] = 0xff;
				*(uint16_t *)&ip[10] = 0;
				*(uint16_t *)&ip[10] = csum(ip, 20);
				break;
			}
		}
		xmit(fr, 14 + 20 + n);
	}
}

static void send_one(enum cat c, uint64_t i)
{
	static struct buf g;
	uint16_t id = c << 11 | (i & 0x7ff);
	uint32_t src, dst;

	build_gre(&g, c == C_BAD_IP || c == C_FRAG_LOST || c == C_OVERSIZE_L2 ?
		  C_SPOOF_CA : c, &src, &dst);
	switch (c) {
	case C_FRAG:
		send_ip(&g, src, dst, id, 576 + below(900), false, false);
		break;
	case C_OVERSIZE:
		send_ip(&g, src, dst, id, 1500, false, false);
		break;
	case C_BAD_IP:
		send_ip(&g, src, dst, id, 0, true, false);
		break;
	case C_FRAG_LOST:
		/* its own source, so no other datagram completes it */
		g.len = 600;
		send_ip(&g, 0xc6336400 | (1 + below(254)), dst, lost_id++,
			256, false, true);
		break;
	case C_OVERSIZE_L2:
		while (g.len < 1600)
			put_rand(&g, 64);
		g.len = 1600 + below(9000 - 1600 - 40);
		send_ip(&g, src, dst, id, 0, false, false);
		break;
	default:
		send_ip(&g, src, dst, id, 0, false, false);
		break;
	}
	sent[c]++;
}

static int open_tx(const char *ifname, const char *mac)
{
	unsigned int m[6], i;

	if (sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3],
		   &m[4], &m[5]) != 6) {
		fprintf(stderr, "pktfuzz: bad MAC %s\n", mac);
		return -1;
	}
	for (i = 0; i < 6; i++)
		dst_mac[i] = m[i];
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("socket");
		return -1;
	}
	dst_ll.sll_family = AF_PACKET;
	dst_ll.sll_protocol = htons(ETH_P_IP);
	dst_ll.sll_ifindex = if_nametoindex(ifname);
	dst_ll.sll_halen = 6;
	memcpy(dst_ll.sll_addr, dst_mac, 6);
	if (!dst_ll.sll_ifindex) {
		fprintf(stderr, "pktfuzz: no interface %s\n", ifname);
		return -1;
	}
	return 0;
}

static int do_send(char **argv)
{
	uint64_t seed = strtoull(argv[2], NULL, 0);
	uint64_t count = strtoull(argv[3], NULL, 0), i;
	unsigned int total = 0, c, r;

	if (open_tx(argv[0], argv[1]))
		return 2;
	rng = seed | 1;
	printf("# seed %" PRIu64 " (pktfuzz send IFACE MAC %" PRIu64 " %"
	       PRIu64 " repeats this run)\n", seed, seed, count);
	for (c = 0; c < C_MAX; c++)
		total += cat_weight[c];
	for (i = 0; i < count; i++) {
		r = below(total);
		for (c = 0; r >= cat_weight[c]; c++)
			r -= cat_weight[c];
		send_one(c, i);
	}
	for (c = 0; c < C_MAX; c++)
		printf("sent %s %" PRIu64 "\n", cat_name[c], sent[c]);
	printf("frames %" PRIu64 "\n", frames);
	return 0;
}

static int do_good(char **argv)
{
	uint64_t count = strtoull(argv[2], NULL, 0), i;
	static struct buf g;

	if (open_tx(argv[0], argv[1]))
		return 2;
	rng = 1;
	for (i = 0; i < count; i++) {
		g.len = 0;
		gre(&g, GRE_KEY, ETH_P_TEB_, VSID_A);
		put(&g, mac_vm_a, 6);
		put(&g, mac_peer_a, 6);
		put16(&g, ETH_P_IP);
		inner_ip4(&g, CA_PEER, 32);
		send_ip(&g, PEER_PA, LOCAL_PA, i, 0, false, false);
	}
	printf("good %" PRIu64 "\n", count);
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int do_count(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct timeval tv = { .tv_sec = 1 };
	static uint8_t b[65536];
	uint64_t per[32] = { 0 }, total = 0;
	int size = 64 << 20, c;
	ssize_t n;

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_GRE);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("raw GRE socket");
		return 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "ready\n");
	for (;;) {
		n = recv(fd, b, sizeof(b), stop ? MSG_DONTWAIT : 0);
		if (n < 0) {
			if (errno == EINTR || (errno == EAGAIN && !stop))
				continue;
			if (errno == EAGAIN)
				break;
			perror("recv");
			return 2;
		}
		if (n < 20)
			continue;
		total++;
		/* fragments are reassembled: only unfragmented ones are tagged */
		per[b[4] >> 3]++;
	}
	for (c = 0; c < C_MAX; c++)
		if (per[c])
			printf("stack %s %" PRIu64 "\n", cat_name[c], per[c]);
	printf("stack-total %" PRIu64 "\n", total);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[1], "send"))
		return do_send(argv + 2);
	if (argc == 5 && !strcmp(argv[1], "good"))
		return do_good(argv + 2);
	if (argc == 2 && !strcmp(argv[1], "count-gre"))
		return do_count();
	fprintf(stderr,
		"usage: pktfuzz send IFACE DSTMAC SEED COUNT\n"
		"       pktfuzz good IFACE DSTMAC COUNT\n"
		"       pktfuzz count-gre\n");
	return 2;
}
