// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: NVGRE packets for a local PA are taken at NF_INET_LOCAL_IN,
 * after reassembly and after the filter table, before ip_gre sees them.
 * Only packets that carry a VSID served by a device of the namespace are
 * taken; anything else continues to the kernel's GRE stack untouched, so
 * gretap and ip_gre tunnels keep working next to nvgre.
 */

#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/inetdevice.h>
#include <net/gre.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "nvgre.h"

/*
 * Returns the VSID of an NVGRE packet (GRE version 0, key present,
 * protocol 0x6558) whose IPv4 or IPv6 header ends at @off, or 0 if the
 * packet is not NVGRE or its VSID is reserved. *@flags gets the GRE flags.
 */
u32 nvgre_rcv_vsid(struct sk_buff *skb, unsigned int off, __be16 *flags)
{
	const struct gre_base_hdr *greh;
	unsigned int keyoff;
	u32 vsid;

	if (!pskb_may_pull(skb, off + sizeof(*greh)))
		return 0;
	greh = (const struct gre_base_hdr *)(skb->data + off);
	*flags = greh->flags;
	if (greh->protocol != htons(ETH_P_TEB) || !(*flags & GRE_KEY) ||
	    (*flags & GRE_VERSION))
		return 0;

	/* RFC 2890: checksum and routing come before the key. */
	keyoff = off + sizeof(*greh);
	if (*flags & (GRE_CSUM | GRE_ROUTING))
		keyoff += 4;
	if (!pskb_may_pull(skb, keyoff + sizeof(__be32)))
		return 0;
	vsid = get_unaligned_be32(skb->data + keyoff) >> 8;
	if (vsid < NVGRE_VSID_MIN || vsid > NVGRE_VSID_MAX)
		return 0;
	return vsid;
}

/*
 * Neighbour Discovery from another host is held to the records as the
 * sending host holds its VMs' (nd.c): a Neighbour Advertisement's target
 * must be a CA whose record gives the inner source MAC at @pa, a Router
 * Advertisement or Redirect must come from an appliance or gateway
 * record. A frame routed by the sender (from the gateway MAC) is never
 * one: routing lowers its hop limit below the 255 of ND.
 */
static enum nvgre_ctr nvgre_rcv_nd(struct nvgre_net *nn, u32 vsid,
				   const struct in6_addr *pa,
				   const struct sk_buff *skb)
{
	switch (nvgre_nd_check(nn, vsid, skb, pa)) {
	case NVGRE_ND_OK:
		return NVGRE_CTR_NONE;
	case NVGRE_ND_SPOOF:
		return NVGRE_CTR_RX_ND_SPOOF;
	case NVGRE_ND_ROUTER:
		return NVGRE_CTR_RX_ND_ROUTER;
	default:
		return NVGRE_CTR_RX_MALFORMED;
	}
}

/**
 * nvgre_rcv_decide_mac - the source MAC check of a received frame
 * @nn: namespace
 * @nv: the device of its VSID
 * @pa: the outer source PA, IPv4 v4-mapped
 * @smac: the inner source MAC
 * @own: gets the record that gives @smac the PA @pa, NULL for a frame from
 *	the gateway MAC of @nv's routing domain (routed by the sender,
 *	route.c)
 * @m: for RX_SPOOF_MAC, what was missing (@m->mac is @smac)
 *
 * No host may inject into a tenant it does not host: the inner source MAC
 * must have a record naming @pa. Looks at no packet and raises no
 * counter; NVGRE_CMD_GET (get.c) asks it too. Needs rcu_read_lock().
 *
 * Return: NVGRE_CTR_NONE when the MAC checks out, else the drop counter.
 */
enum nvgre_ctr nvgre_rcv_decide_mac(struct nvgre_net *nn, struct nvgre_dev *nv,
				    const struct in6_addr *pa, const u8 *smac,
				    const struct nvgre_lookup **own,
				    struct nvgre_miss *m)
{
	*own = NULL;
	if (!is_valid_ether_addr(smac))
		return NVGRE_CTR_RX_MALFORMED;
	/* Routed by the sender (route.c): the source CA is checked later. */
	if (nvgre_is_gateway_mac(nv->rdid, smac))
		return NVGRE_CTR_NONE;
	*own = nvgre_lookup_mac_find_pa(nn, nv->vsid, smac, pa);
	if (*own)
		return NVGRE_CTR_NONE;
	m->reason = nvgre_lookup_find_mac(nn, nv->vsid, smac) ?
		    NVGRE_MISS_RX_STALE_PA : NVGRE_MISS_RX_UNKNOWN;
	m->mac = smac;
	m->has_ca = false;
	return NVGRE_CTR_RX_SPOOF_MAC;
}

/**
 * nvgre_rcv_decide_ca - the source CA check of a received IP or ARP frame
 * @nn: namespace
 * @nv: the device of its VSID
 * @pa: the outer source PA, IPv4 v4-mapped
 * @smac: the inner source MAC, which nvgre_rcv_decide_mac() passed
 * @own: what nvgre_rcv_decide_mac() gave: NULL for a routed frame
 * @m: @m->ca is the inner source CA; for RX_SPOOF_CA, what was missing
 *
 * The inner source CA must have a record naming @pa. A routed frame's
 * source CA must have a record naming @pa in the VSID of the domain's
 * subnet holding it. A MAC that an l2only or the gateway record gives @pa
 * may use any source CA. Needs rcu_read_lock().
 *
 * Return: NVGRE_CTR_NONE when the source checks out, else the drop counter.
 */
enum nvgre_ctr nvgre_rcv_decide_ca(struct nvgre_net *nn, struct nvgre_dev *nv,
				   const struct in6_addr *pa, const u8 *smac,
				   const struct nvgre_lookup *own,
				   struct nvgre_miss *m)
{
	const struct nvgre_lookup *rec;

	m->mac = NULL;
	m->has_ca = true;
	if (!own) {
		if (nvgre_route_rcv_check(nn, nv->rdid, pa, &m->ca))
			return NVGRE_CTR_NONE;
		m->reason = NVGRE_MISS_RX_UNKNOWN;
		return NVGRE_CTR_RX_SPOOF_CA;
	}
	/*
	 * Mostly the record that gave the MAC @pa is the CA's own: (VSID,
	 * CA) keys one static record, so the lookup below would find it.
	 */
	if (own->key.type == NVGRE_LOOKUP_STATIC &&
	    ipv6_addr_equal(&own->key.ca, &m->ca))
		return NVGRE_CTR_NONE;
	/* The key of the lookup is @m's CA, IPv4 v4-mapped. */
	rec = nvgre_lookup_find(nn, nv->vsid, &m->ca);
	if (rec && ipv6_addr_equal(&rec->pa, pa))
		return NVGRE_CTR_NONE;
	/* From outside the virtual subnets, through a gateway VM (route.c). */
	if (!rec && nvgre_route_rcv_via(nn, nv->rdid, pa, &m->ca, smac))
		return NVGRE_CTR_NONE;
	/* An appliance or the VSID's gateway: any source address. */
	if (nvgre_lookup_mac_any_ip(nn, nv->vsid, smac, pa))
		return NVGRE_CTR_NONE;
	m->reason = rec ? NVGRE_MISS_RX_STALE_PA : NVGRE_MISS_RX_UNKNOWN;
	return NVGRE_CTR_RX_SPOOF_CA;
}

/*
 * The source checks of a received frame: its MAC (nvgre_rcv_decide_mac()),
 * then the source CA of an IP or ARP frame (nvgre_rcv_decide_ca()), which
 * this reads from @skb. IPv6 Neighbour Discovery is checked first
 * (nvgre_rcv_nd()). Returns NVGRE_CTR_NONE when the source checks out,
 * else the drop counter; for RX_SPOOF_MAC and RX_SPOOF_CA, @m says what
 * was missing (its MAC points into @skb). @m->ca is written for every
 * packet with a source CA.
 */
static enum nvgre_ctr nvgre_rcv_check_source(struct nvgre_net *nn,
					     struct nvgre_dev *nv,
					     const struct in6_addr *pa,
					     const struct sk_buff *skb,
					     struct nvgre_miss *m)
{
	const struct ethhdr *eth = (const struct ethhdr *)skb->data;
	const struct nvgre_lookup *own;
	union {
		struct iphdr ip4;
		struct ipv6hdr ip6;
		u8 arp[sizeof(struct arphdr) + 2 * (ETH_ALEN + 4)];
	} buf;
	const struct arphdr *arp;
	const struct ipv6hdr *ip6;
	const struct iphdr *ip4;
	enum nvgre_ctr why;
	bool routed;
	__be32 ca;

	why = nvgre_rcv_decide_mac(nn, nv, pa, eth->h_source, &own, m);
	if (why != NVGRE_CTR_NONE)
		return why;
	routed = !own;
	/* Only IP is routed; from the gateway MAC nothing else. */
	if (routed && eth->h_proto != htons(ETH_P_IP) &&
	    eth->h_proto != htons(ETH_P_IPV6)) {
		m->reason = NVGRE_MISS_RX_UNKNOWN;
		m->mac = eth->h_source;
		m->has_ca = false;
		return NVGRE_CTR_RX_SPOOF_MAC;
	}

	switch (eth->h_proto) {
	case htons(ETH_P_IP):
		ip4 = skb_header_pointer(skb, ETH_HLEN, sizeof(*ip4), &buf);
		if (!ip4)
			return NVGRE_CTR_RX_MALFORMED;
		/* A DHCP client has no CA yet: its MAC's record is enough. */
		if (!ip4->saddr && !routed)
			return NVGRE_CTR_NONE;
		ipv6_addr_set_v4mapped(ip4->saddr, &m->ca);
		break;
	case htons(ETH_P_ARP):
		arp = skb_header_pointer(skb, ETH_HLEN, sizeof(buf.arp), &buf);
		if (!arp || arp->ar_hrd != htons(ARPHRD_ETHER) ||
		    arp->ar_pro != htons(ETH_P_IP) ||
		    arp->ar_hln != ETH_ALEN || arp->ar_pln != sizeof(ca))
			return NVGRE_CTR_RX_MALFORMED;
		memcpy(&ca, (const u8 *)(arp + 1) + ETH_ALEN, sizeof(ca));
		ipv6_addr_set_v4mapped(ca, &m->ca);
		break;
	case htons(ETH_P_IPV6):
		why = nvgre_rcv_nd(nn, nv->vsid, pa, skb);
		if (why != NVGRE_CTR_NONE)
			return why;
		ip6 = skb_header_pointer(skb, ETH_HLEN, sizeof(*ip6), &buf);
		if (!ip6)
			return NVGRE_CTR_RX_MALFORMED;
		/*
		 * Duplicate address detection has no CA yet, and link-local
		 * addresses (router and multicast listener discovery, sent
		 * to every host of the VSID by flood.c) are no CAs: the
		 * MAC's record is enough, as for DHCP.
		 */
		if (!routed && (ipv6_addr_any(&ip6->saddr) ||
				ipv6_addr_type(&ip6->saddr) & IPV6_ADDR_LINKLOCAL))
			return NVGRE_CTR_NONE;
		m->ca = ip6->saddr;
		break;
	default:
		return NVGRE_CTR_NONE;
	}
	return nvgre_rcv_decide_ca(nn, nv, pa, eth->h_source, own, m);
}

/*
 * Whether RFC 6040 decapsulation (INET_ECN_decapsulate()) rewrites the
 * inner header: outer CE marks an ECT inner packet CE, and outer ECT(1)
 * turns an ECT(0) inner packet into ECT(1).
 */
static bool nvgre_rcv_ecn_rewrites(u8 outer, u8 inner)
{
	if (INET_ECN_is_not_ect(inner))
		return false;
	switch (outer & INET_ECN_MASK) {
	case INET_ECN_CE:
		return !INET_ECN_is_ce(inner);
	case INET_ECN_ECT_1:
		return (inner & INET_ECN_MASK) == INET_ECN_ECT_0;
	}
	return false;
}

/*
 * RFC 6040 decapsulation: CE on the outer header marks the inner packet,
 * unless the inner packet is Not-ECT, which must then be dropped.
 * skb->data is at the inner network header.
 */
static bool nvgre_rcv_ecn(struct sk_buff *skb, u8 outer)
{
	unsigned int len;
	u8 inner;

	switch (skb->protocol) {
	case htons(ETH_P_IP):
		len = sizeof(struct iphdr);
		if (!pskb_may_pull(skb, len))
			return true;
		inner = ip_hdr(skb)->tos;
		break;
	case htons(ETH_P_IPV6):
		len = sizeof(struct ipv6hdr);
		if (!pskb_may_pull(skb, len))
			return true;
		inner = ipv6_get_dsfield(ipv6_hdr(skb));
		break;
	default:
		return true;
	}
	/* The inner header may be shared (a clone): write a copy of it. */
	if (nvgre_rcv_ecn_rewrites(outer, inner) &&
	    skb_ensure_writable(skb, len))
		return false;
	return INET_ECN_decapsulate(skb, outer, inner) != 2;
}

/*
 * Whether the outer destination @daddr, a local address, is a local PA:
 * one of the namespace's PAs, or without any (pa.c), the device's local
 * PA if it has one.
 */
static bool nvgre_rcv_local_pa(struct nvgre_net *nn, struct nvgre_dev *nv,
			       __be32 daddr)
{
	if (READ_ONCE(nn->npas))
		return nvgre_pa_is_local4(nn, daddr);
	return !nv->local || daddr == nv->local;
}

/**
 * nvgre_rcv_decide_dst4 - the outer destination check of a received packet
 * @nn: namespace
 * @nv: the device of its VSID
 * @daddr: the outer IPv4 destination
 * @rt_type: the type of the input route it came by (RTN_LOCAL,
 *	RTN_MULTICAST, ...); RTN_UNSPEC without one
 *
 * A packet is taken when it is for a local PA (nvgre_rcv_local_pa()) or
 * for @nv's multicast group (nvgre_mcast_rcv_check()). Looks at no packet
 * and raises no counter; NVGRE_CMD_GET (get.c) asks it too. Needs
 * rcu_read_lock().
 *
 * Return: NVGRE_CTR_NONE when the destination checks out, else the drop
 * counter (RX_WRONG_PA, RX_WRONG_GROUP).
 */
enum nvgre_ctr nvgre_rcv_decide_dst4(struct nvgre_net *nn,
				     struct nvgre_dev *nv, __be32 daddr,
				     unsigned int rt_type)
{
	if (rt_type == RTN_MULTICAST)
		return nvgre_mcast_rcv_check(nn, nv, daddr);
	if (rt_type != RTN_LOCAL || !nvgre_rcv_local_pa(nn, nv, daddr))
		return NVGRE_CTR_RX_WRONG_PA;
	return NVGRE_CTR_NONE;
}

/**
 * nvgre_rcv - decapsulate an NVGRE packet for a local PA
 * @nv: the device of its VSID
 * @skb: the packet, its data at the outer IP header
 * @off: where the GRE header (without checksum or sequence) starts
 * @saddr: the outer source PA, IPv4 v4-mapped
 * @outer_tos: the outer TOS or traffic class
 *
 * Hands the inner frame to the stack, or says why not: NVGRE_CTR_NONE when
 * @skb was delivered, else the drop counter (the caller drops @skb). The
 * IPv4 and IPv6 hooks check the flags and the outer destination first.
 */
enum nvgre_ctr nvgre_rcv(struct nvgre_dev *nv, struct sk_buff *skb,
			 unsigned int off, const struct in6_addr *saddr,
			 u8 outer_tos)
{
	struct nvgre_net *nn = nvgre_pernet(nv->net);
	struct nvgre_miss miss;
	enum nvgre_ctr why;
	unsigned int len;

	if (!pskb_may_pull(skb, off + NVGRE_HLEN + ETH_HLEN))
		return NVGRE_CTR_RX_MALFORMED;
	if (iptunnel_pull_header(skb, off + NVGRE_HLEN, htons(ETH_P_TEB), false))
		return NVGRE_CTR_RX_ERRORS;
	/* The outer header is gone from here on. */

	if (eth_type_vlan(((const struct ethhdr *)skb->data)->h_proto))
		return NVGRE_CTR_RX_VLAN;
	why = nvgre_rcv_check_source(nn, nv, saddr, skb, &miss);
	if (why == NVGRE_CTR_RX_SPOOF_MAC || why == NVGRE_CTR_RX_SPOOF_CA) {
		miss.pa = *saddr;
		nvgre_miss_report(nv, &miss);
	}
	if (why != NVGRE_CTR_NONE)
		return why;

	len = skb->len;
	skb_reset_mac_header(skb);
	skb->protocol = eth_type_trans(skb, nv->dev);
	skb_postpull_rcsum(skb, eth_hdr(skb), ETH_HLEN);
	skb_reset_network_header(skb);
	if (!nvgre_rcv_ecn(skb, outer_tos))
		return NVGRE_CTR_RX_ECN;
	/* On failure gro_cells counts the drop in the device's core stats. */
	if (gro_cells_receive(&nv->gro_cells, skb) == NET_RX_SUCCESS)
		dev_sw_netstats_rx_add(nv->dev, len);
	return NVGRE_CTR_NONE;
}

/* The checks of the outer IPv4 header before nvgre_rcv(). */
static enum nvgre_ctr nvgre_rcv4(struct nvgre_dev *nv, struct sk_buff *skb,
				 unsigned int off, __be16 flags)
{
	struct nvgre_net *nn = nvgre_pernet(nv->net);
	const struct rtable *rt = skb_rtable(skb);
	const struct iphdr *iph = ip_hdr(skb);
	struct in6_addr saddr;
	enum nvgre_ctr why;

	if (flags & ~(GRE_KEY | GRE_VERSION))
		return NVGRE_CTR_RX_BAD_FLAGS;
	/* Its own packet to its group, looped back: already sent. */
	if (rt && rt->rt_type == RTN_MULTICAST &&
	    skb->pkt_type == PACKET_LOOPBACK) {
		consume_skb(skb);
		return NVGRE_CTR_NONE;
	}
	why = nvgre_rcv_decide_dst4(nn, nv, iph->daddr,
				    rt ? rt->rt_type : RTN_UNSPEC);
	if (why != NVGRE_CTR_NONE)
		return why;
	ipv6_addr_set_v4mapped(iph->saddr, &saddr);
	return nvgre_rcv(nv, skb, off, &saddr, iph->tos);
}

/*
 * The inbound IPsec policy check of icmp_rcv() for an ICMP error at
 * skb->data, @ioff the offset of its quoted IP header: the policy for the
 * ICMP packet itself, or, when it came through an SA that allows ICMP
 * (XFRM_STATE_ICMP), the policy for the flow of the quoted packet.
 */
static bool nvgre_rcv_icmp_policy(struct sk_buff *skb, unsigned int ioff)
{
	struct sec_path *sp;
	int nh;
	bool ok;

	if (xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb))
		return true;
	sp = skb_sec_path(skb);
	if (!sp || !(sp->xvec[sp->len - 1]->props.flags & XFRM_STATE_ICMP))
		return false;
	nh = skb_network_offset(skb);
	skb_set_network_header(skb, ioff);
	ok = xfrm4_policy_check_reverse(NULL, XFRM_POLICY_IN, skb);
	skb_set_network_header(skb, nh);
	return ok;
}

/*
 * Whether @saddr, the source of an NVGRE packet quoted by an ICMP error,
 * is a local PA: one of the namespace's PAs, or without any (pa.c), the
 * device's local PA, or without one a local address.
 */
static bool nvgre_rcv_icmp_own_pa(struct nvgre_net *nn, struct nvgre_dev *nv,
				  struct net *net, __be32 saddr)
{
	if (READ_ONCE(nn->npas))
		return nvgre_pa_is_local4(nn, saddr);
	if (nv->local)
		return saddr == nv->local;
	return __ip_dev_find(net, saddr, false);
}

/*
 * An ICMP "fragmentation needed" about NVGRE this host sent: learn the
 * path MTU to the PA, so the next frames too big for it are answered to
 * their VM (see send.c). ip_gre does this for its own tunnels; nvgre must,
 * since its packets never meet ip_gre's error handler unless ip_gre is
 * loaded. Only an ICMP packet that the inbound IPsec policy accepts (as
 * icmp_rcv() would) and that quotes NVGRE from a local PA lowers the path
 * MTU. skb->data is at the ICMP packet's IP header.
 */
static void nvgre_rcv_icmp(struct nvgre_net *nn, struct sk_buff *skb,
			   struct net *net)
{
	unsigned int off = ip_hdrlen(skb), ioff;
	const struct icmphdr *icmph;
	const struct iphdr *inner;
	struct nvgre_dev *nv;
	__be16 flags;
	u32 mtu;

	ioff = off + sizeof(*icmph);
	if (!pskb_may_pull(skb, ioff + sizeof(*inner)))
		return;
	icmph = (const struct icmphdr *)(skb->data + off);
	inner = (const struct iphdr *)(skb->data + ioff);
	if (icmph->type != ICMP_DEST_UNREACH ||
	    icmph->code != ICMP_FRAG_NEEDED ||
	    inner->protocol != IPPROTO_GRE || inner->ihl < 5)
		return;
	mtu = ntohs(icmph->un.frag.mtu);
	if (mtu < IPV4_MIN_MTU)
		return;
	nv = nvgre_dev_find(nn, nvgre_rcv_vsid(skb, ioff + inner->ihl * 4,
					       &flags));
	if (!nv)
		return;
	/* The pulls above and below may move the headers. */
	if (!nvgre_rcv_icmp_policy(skb, ioff))
		return;
	inner = (const struct iphdr *)(skb->data + ioff);
	if (!nvgre_rcv_icmp_own_pa(nn, nv, net, inner->saddr))
		return;

	/* ipv4_update_pmtu() reads the quoted header at skb->data. */
	__skb_pull(skb, ioff);
	ipv4_update_pmtu(skb, net, mtu, 0, IPPROTO_GRE);
	__skb_push(skb, ioff);
}

static unsigned int nvgre_rcv_hook_bh(struct nvgre_net *nn,
				      struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	struct nvgre_dev *nv;
	enum nvgre_ctr why;
	unsigned int off;
	__be16 flags;
	u32 vsid;

	if (ip_hdr(skb)->protocol == IPPROTO_ICMP) {
		nvgre_rcv_icmp(nn, skb, state->net);
		return NF_ACCEPT;
	}
	if (ip_hdr(skb)->protocol != IPPROTO_GRE)
		return NF_ACCEPT;
	off = skb_network_offset(skb) + ip_hdrlen(skb);
	vsid = nvgre_rcv_vsid(skb, off, &flags);
	if (!vsid)
		return NF_ACCEPT;
	nv = nvgre_dev_find(nn, vsid);
	if (!nv) {
		/* Maybe a keyed gretap tunnel's: ip_gre decides. */
		nvgre_net_count_unknown_vsid(nn);
		return NF_ACCEPT;
	}

	/*
	 * The inbound IPsec policy, checked where ip_protocol_deliver_rcu()
	 * checks it for GRE: before the packet is looked at any further.
	 */
	if (!xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb)) {
		nvgre_dev_drop(nv, skb, NVGRE_CTR_RX_POLICY);
		return NF_STOLEN;
	}
	why = nvgre_rcv4(nv, skb, off, flags);
	if (why != NVGRE_CTR_NONE)
		nvgre_dev_drop(nv, skb, why);
	return NF_STOLEN;
}

/**
 * nvgre_rcv_hook - netfilter hook of a namespace that has nvgre devices
 * @priv: the namespace's struct nvgre_net
 * @skb: an IPv4 packet for this host, its network header at skb->data
 * @state: hook state
 *
 * Runs under rcu_read_lock(), like every netfilter hook: mostly in the
 * receive softirq, but nf_reinject() runs the hooks after an NFQUEUE
 * verdict from process context with BH enabled. The per-CPU counters,
 * gro_cells and the lock of miss.c need BH disabled; disable it for the
 * packet then, as netif_rx() does, which costs the softirq path one test.
 */
unsigned int nvgre_rcv_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	bool need_bh_off = !softirq_count();
	unsigned int ret;

	if (need_bh_off)
		local_bh_disable();
	ret = nvgre_rcv_hook_bh(priv, skb, state);
	if (need_bh_off)
		local_bh_enable();
	return ret;
}
