// SPDX-License-Identifier: GPL-2.0
/*
 * Neighbour Discovery held to the records, as ARP is.
 *
 * The hosts answer the VMs' Neighbour Solicitations from the records
 * (send.c) and the virtual gateway is the host itself (route.c), so a VM
 * has little to say in ND, and what it says must be true:
 *
 * - a Neighbour Advertisement is about its target: the target must be a
 *   CA whose record gives the sender's MAC (and, received, the outer
 *   source PA), or the sender's own EUI-64 link-local address (RFC 4291
 *   appendix A), which has no record. An appliance or gateway record
 *   (l2only, gateway) lets its MAC announce addresses without a record,
 *   never a CA another VM's record owns.
 * - Router Advertisements and Redirects come from routers: only from a
 *   MAC with an appliance or gateway record (RA guard, RFC 6105).
 *
 * The same check runs on transmit, before a frame is encapsulated or
 * replicated (send.c), and on receive, in the source check (receive.c),
 * for frames a host that does not run it (or a forger on the underlay)
 * sends. Solicitations, router solicitations and every other ICMPv6
 * message are left to the source check.
 */

#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "nvgre.h"

/*
 * Whether @addr is fe80::/64 with the modified EUI-64 interface
 * identifier of @mac: the link-local address a VM makes from its MAC.
 */
static bool nvgre_nd_eui64(const struct in6_addr *addr, const u8 *mac)
{
	u8 eui[8];

	if (addr->s6_addr32[0] != htonl(0xfe800000) || addr->s6_addr32[1])
		return false;
	memcpy(eui, mac, 3);
	eui[0] ^= 0x02;
	eui[3] = 0xff;
	eui[4] = 0xfe;
	memcpy(eui + 5, mac + 3, 3);
	return !memcmp(&addr->s6_addr[8], eui, sizeof(eui));
}

/*
 * Whether the VM with MAC @smac may announce @target: see above. @pa is
 * the outer source PA of a received frame, NULL on transmit. Needs RCU.
 */
static bool nvgre_nd_target_ok(struct nvgre_net *nn, u32 vsid,
			       const u8 *smac, const struct in6_addr *pa,
			       const struct in6_addr *target)
{
	const struct nvgre_lookup *rec;
	int type = ipv6_addr_type(target);

	if (type == IPV6_ADDR_ANY ||
	    type & (IPV6_ADDR_MULTICAST | IPV6_ADDR_MAPPED | IPV6_ADDR_LOOPBACK))
		return false;
	rec = nvgre_lookup_find(nn, vsid, target);
	if (rec)
		return ether_addr_equal(rec->mac, smac) &&
		       (!pa || ipv6_addr_equal(&rec->pa, pa));
	if (type & IPV6_ADDR_LINKLOCAL && nvgre_nd_eui64(target, smac))
		return true;
	return nvgre_lookup_mac_any_ip(nn, vsid, smac, pa);
}

/**
 * nvgre_nd_check - hold a VM's Neighbour Discovery to the records
 * @nn: namespace
 * @vsid: the VSID of the frame
 * @skb: an Ethernet frame of type IPv6, its data at the Ethernet header
 * @pa: the outer source PA of a received frame (IPv4 v4-mapped), NULL
 *	for a frame a VM of this host sends
 *
 * Extension headers are skipped; a later fragment has no ICMPv6 header to
 * check (a reassembled ND message is ignored, RFC 6980). Needs RCU.
 *
 * Return: NVGRE_ND_OK for a frame that is no Neighbour Advertisement,
 * Router Advertisement or Redirect, or one the records vouch for; else why
 * not.
 */
enum nvgre_nd_verdict nvgre_nd_check(struct nvgre_net *nn, u32 vsid,
				     const struct sk_buff *skb,
				     const struct in6_addr *pa)
{
	const u8 *smac = ((const struct ethhdr *)skb->data)->h_source;
	const struct ipv6hdr *ip6;
	const struct nd_msg *msg;
	union {
		struct ipv6hdr ip6;
		struct nd_msg msg;
	} buf;
	__be16 frag_off;
	u8 nexthdr;
	int off;

	ip6 = skb_header_pointer(skb, ETH_HLEN, sizeof(*ip6), &buf);
	if (!ip6)
		return NVGRE_ND_MALFORMED;
	nexthdr = ip6->nexthdr;
	if (nexthdr != IPPROTO_ICMPV6 && !ipv6_ext_hdr(nexthdr))
		return NVGRE_ND_OK;
	/* A chain that ends early carries no ICMPv6 a receiver would see. */
	off = ipv6_skip_exthdr(skb, ETH_HLEN + sizeof(*ip6), &nexthdr,
			       &frag_off);
	if (off < 0 || nexthdr != IPPROTO_ICMPV6)
		return NVGRE_ND_OK;

	msg = skb_header_pointer(skb, off, sizeof(struct icmp6hdr), &buf);
	if (!msg)
		return NVGRE_ND_MALFORMED;
	switch (msg->icmph.icmp6_type) {
	case NDISC_ROUTER_ADVERTISEMENT:
	case NDISC_REDIRECT:
		if (nvgre_lookup_mac_any_ip(nn, vsid, smac, pa))
			return NVGRE_ND_OK;
		return NVGRE_ND_ROUTER;
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
		/* Its target follows the header; options are not needed. */
		msg = skb_header_pointer(skb, off, sizeof(*msg), &buf);
		if (!msg)
			return NVGRE_ND_MALFORMED;
		if (nvgre_nd_target_ok(nn, vsid, smac, pa, &msg->target))
			return NVGRE_ND_OK;
		return NVGRE_ND_SPOOF;
	}
	return NVGRE_ND_OK;
}
