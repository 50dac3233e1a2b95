// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: a tenant frame leaves through the nvgre device of its VSID,
 * encapsulated as RFC 7637 section 3.2 says, towards the PA of the record
 * that owns its destination MAC. ARP requests and Neighbour Solicitations
 * are answered here from the records, so address resolution never crosses
 * the underlay; other broadcast and multicast frames are replicated to the
 * VSID's other hosts (flood.c).
 */

#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <net/arp.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>
#include <net/gre.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/route.h>

#include "nvgre.h"

/* Target link-layer address option: type, length, MAC (RFC 4861 4.6.1). */
#define NVGRE_ND_OPT_LEN	8

netdev_tx_t nvgre_xmit_drop(struct nvgre_dev *nv, struct sk_buff *skb,
			    enum nvgre_ctr why)
{
	nvgre_dev_drop(nv, skb, why);
	return NETDEV_TX_OK;
}

static netdev_tx_t nvgre_xmit_flood(struct nvgre_dev *nv, struct sk_buff *skb);

/* RFC 7637 section 3.3: the inner frame must not carry an 802.1Q tag. */
static int nvgre_xmit_untag(struct sk_buff *skb)
{
	__be16 proto = eth_hdr(skb)->h_proto;
	int err;

	if (eth_type_vlan(proto))
		skb->protocol = proto;
	while (skb_vlan_tag_present(skb) || eth_type_vlan(skb->protocol)) {
		err = skb_vlan_pop(skb);
		if (err)
			return err;
	}
	return 0;
}

static bool nvgre_arp_parse(const struct sk_buff *skb, const u8 **sha,
			    __be32 *sip, __be32 *tip)
{
	const struct arphdr *arp = (const struct arphdr *)(skb->data + ETH_HLEN);
	const u8 *p = (const u8 *)(arp + 1);

	if (arp->ar_hrd != htons(ARPHRD_ETHER) ||
	    arp->ar_pro != htons(ETH_P_IP) || arp->ar_hln != ETH_ALEN ||
	    arp->ar_pln != sizeof(__be32) || arp->ar_op != htons(ARPOP_REQUEST))
		return false;
	*sha = p;
	memcpy(sip, p + ETH_ALEN, sizeof(*sip));
	memcpy(tip, p + 2 * ETH_ALEN + sizeof(*sip), sizeof(*tip));
	/* Announcements (gratuitous ARP) need no answer. */
	return !ipv4_is_multicast(*tip) && !ipv4_is_loopback(*tip) &&
	       *tip != *sip;
}

/*
 * Hands @reply, an answer made on behalf of a VM, to the device's receive
 * path (and so to the bridge and the asking VM); @reply's data is at its
 * network header. Counts it as @ctr.
 */
static void nvgre_reply_local(struct nvgre_dev *nv, struct sk_buff *reply,
			      enum nvgre_ctr ctr)
{
	unsigned int len = reply->len + ETH_HLEN;

	reply->ip_summed = CHECKSUM_UNNECESSARY;
	reply->pkt_type = PACKET_HOST;
	if (netif_rx(reply) == NET_RX_SUCCESS) {
		dev_sw_netstats_rx_add(nv->dev, len);
		nvgre_dev_count(nv, ctr);
	} else {
		nvgre_dev_count(nv, NVGRE_CTR_RX_ERRORS);
	}
}

/*
 * Whether @tip (IPv4 @tip or else IPv6 @tip6) is the virtual gateway of a
 * subnet of @nv's VSID; @mac then gets the gateway MAC. Needs RCU.
 */
static bool nvgre_arp_gateway6(struct nvgre_dev *nv, struct nvgre_net *nn,
			       const struct in6_addr *tip6, u8 *mac)
{
	if (!nvgre_subnet_is_gateway(nn, nv->rdid, nv->vsid, tip6))
		return false;
	nvgre_gateway_mac(nv->rdid, mac);
	return true;
}

/**
 * nvgre_xmit_resolve - the MAC that ARP and ND answer for a CA
 * @nv: the device of the asking VM
 * @nn: its namespace
 * @ca: the CA asked for, IPv4 v4-mapped
 * @mac: gets the MAC of the CA's record, or the gateway MAC when @ca is
 *	the virtual gateway of a subnet of the VSID
 *
 * Needs rcu_read_lock(). Return: false when neither answers (a miss).
 */
bool nvgre_xmit_resolve(struct nvgre_dev *nv, struct nvgre_net *nn,
			const struct in6_addr *ca, u8 *mac)
{
	const struct nvgre_lookup *rec;

	rec = nvgre_lookup_find(nn, nv->vsid, ca);
	if (rec) {
		ether_addr_copy(mac, rec->mac);
		return true;
	}
	return nvgre_arp_gateway6(nv, nn, ca, mac);
}

/*
 * Answers an ARP request for a CA of the VSID with the record's MAC, like
 * the Hyper-V switch does. Consumes @skb.
 */
static netdev_tx_t nvgre_arp_reply(struct nvgre_dev *nv, struct sk_buff *skb)
{
	struct nvgre_net *nn = nvgre_pernet(nv->net);
	struct net_device *dev = nv->dev;
	struct in6_addr tip6;
	struct sk_buff *reply;
	u8 mac[ETH_ALEN];
	__be32 sip, tip;
	const u8 *sha;
	bool found;

	if (!pskb_may_pull(skb, ETH_HLEN + arp_hdr_len(dev)))
		return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_ERRORS);
	if (!nvgre_arp_parse(skb, &sha, &sip, &tip))
		return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_FLOOD);

	ipv6_addr_set_v4mapped(tip, &tip6);
	rcu_read_lock();
	found = nvgre_xmit_resolve(nv, nn, &tip6, mac);
	rcu_read_unlock();
	if (!found) {
		nvgre_miss_ca4(nv, NVGRE_MISS_TX_ARP, tip);
		return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_ARP_MISS);
	}
	/* A VM probing its own address (RFC 5227) must not hear itself. */
	if (ether_addr_equal(mac, sha))
		return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_FLOOD);

	reply = arp_create(ARPOP_REPLY, ETH_P_ARP, sip, dev, tip, sha, mac, sha);
	if (!reply)
		return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_ERRORS);

	skb_reset_mac_header(reply);
	__skb_pull(reply, skb_network_offset(reply));
	nvgre_reply_local(nv, reply, NVGRE_CTR_ARP_REPLIES);
	consume_skb(skb);
	return NETDEV_TX_OK;
}

/* Whether @skb is an ICMPv6 packet that may be a Neighbour Solicitation. */
static bool nvgre_is_ns(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6;
	const struct icmp6hdr *icmp6;

	if (eth_hdr(skb)->h_proto != htons(ETH_P_IPV6) ||
	    !pskb_may_pull(skb, ETH_HLEN + sizeof(*ip6) + sizeof(*icmp6)))
		return false;
	ip6 = (const struct ipv6hdr *)(skb->data + ETH_HLEN);
	icmp6 = (const struct icmp6hdr *)(ip6 + 1);
	return ip6->nexthdr == IPPROTO_ICMPV6 &&
	       icmp6->icmp6_type == NDISC_NEIGHBOUR_SOLICITATION;
}

/* What nvgre_ns_parse() found. */
enum nvgre_ns_kind {
	NVGRE_NS_NONE,		/* no Neighbour Solicitation */
	NVGRE_NS_ANSWER,	/* one the records may answer */
	NVGRE_NS_DAD,		/* duplicate address detection, from :: */
	NVGRE_NS_INVALID,	/* one no receiver takes (RFC 4861 7.1.1) */
};

static enum nvgre_ns_kind nvgre_ns_parse(struct sk_buff *skb,
					 struct in6_addr *saddr,
					 struct in6_addr *target)
{
	const unsigned int len = ETH_HLEN + sizeof(struct ipv6hdr);
	const struct ipv6hdr *ip6;
	const struct nd_msg *ns;

	if (!pskb_may_pull(skb, len + sizeof(struct icmp6hdr)))
		return NVGRE_NS_NONE;
	ip6 = (const struct ipv6hdr *)(skb->data + ETH_HLEN);
	ns = (const struct nd_msg *)(ip6 + 1);
	if (ip6->nexthdr != IPPROTO_ICMPV6 ||
	    ns->icmph.icmp6_type != NDISC_NEIGHBOUR_SOLICITATION)
		return NVGRE_NS_NONE;
	if (!pskb_may_pull(skb, len + sizeof(*ns)))
		return NVGRE_NS_INVALID;
	ip6 = (const struct ipv6hdr *)(skb->data + ETH_HLEN);
	ns = (const struct nd_msg *)(ip6 + 1);
	if (ip6->hop_limit != 255 || ns->icmph.icmp6_code ||
	    ipv6_addr_is_multicast(&ns->target))
		return NVGRE_NS_INVALID;
	/* Duplicate address detection (from ::) is left unanswered. */
	if (ipv6_addr_any(&ip6->saddr))
		return NVGRE_NS_DAD;
	*saddr = ip6->saddr;
	*target = ns->target;
	return NVGRE_NS_ANSWER;
}

/* A solicited Neighbour Advertisement from @target at @mac to @daddr. */
static struct sk_buff *nvgre_na_create(struct net_device *dev,
				       const u8 *dst_mac, const u8 *mac,
				       const struct in6_addr *daddr,
				       const struct in6_addr *target)
{
	int plen = sizeof(struct nd_msg) + NVGRE_ND_OPT_LEN;
	struct ipv6hdr *ip6;
	struct sk_buff *skb;
	struct ethhdr *eth;
	struct nd_msg *na;

	skb = netdev_alloc_skb_ip_align(dev, ETH_HLEN + sizeof(*ip6) + plen);
	if (!skb)
		return NULL;
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, dst_mac);
	ether_addr_copy(eth->h_source, mac);
	eth->h_proto = htons(ETH_P_IPV6);

	ip6 = skb_put(skb, sizeof(*ip6));
	ip6_flow_hdr(ip6, 0, 0);
	ip6->payload_len = htons(plen);
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = 255;
	ip6->saddr = *target;
	ip6->daddr = *daddr;

	na = skb_put_zero(skb, plen);
	na->icmph.icmp6_type = NDISC_NEIGHBOUR_ADVERTISEMENT;
	na->icmph.icmp6_solicited = 1;
	na->icmph.icmp6_override = 1;
	na->target = *target;
	na->opt[0] = ND_OPT_TARGET_LL_ADDR;
	na->opt[1] = NVGRE_ND_OPT_LEN / 8;
	ether_addr_copy(&na->opt[2], mac);
	na->icmph.icmp6_cksum = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, plen,
						IPPROTO_ICMPV6,
						csum_partial(na, plen, 0));

	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

/*
 * Answers a Neighbour Solicitation for a CA of the VSID from the records,
 * as ARP requests are answered; @to_gw: sent to the gateway MAC (a NUD
 * probe), not to a multicast address. Consumes @skb.
 */
static netdev_tx_t nvgre_ns_reply(struct nvgre_dev *nv, struct sk_buff *skb,
				  bool to_gw)
{
	struct nvgre_net *nn = nvgre_pernet(nv->net);
	struct in6_addr saddr, target;
	enum nvgre_ns_kind kind;
	struct sk_buff *reply;
	u8 mac[ETH_ALEN];
	bool found;

	kind = nvgre_ns_parse(skb, &saddr, &target);
	/*
	 * Other IPv6 multicast (DAD, MLD, router discovery...) is flooded.
	 * A solicitation no receiver would take, or one to the gateway that
	 * is not answered here, is never replicated.
	 */
	if (kind == NVGRE_NS_INVALID || (to_gw && kind != NVGRE_NS_ANSWER))
		return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_NS_INVALID);
	if (kind != NVGRE_NS_ANSWER)
		return nvgre_xmit_flood(nv, skb);

	rcu_read_lock();
	found = nvgre_xmit_resolve(nv, nn, &target, mac);
	rcu_read_unlock();
	if (!found) {
		nvgre_miss_ca6(nv, NVGRE_MISS_TX_ND, &target);
		return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_ND_MISS);
	}
	if (ether_addr_equal(mac, eth_hdr(skb)->h_source))
		return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_FLOOD);

	reply = nvgre_na_create(nv->dev, eth_hdr(skb)->h_source, mac, &saddr,
				&target);
	if (!reply)
		return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_ERRORS);
	nvgre_reply_local(nv, reply, NVGRE_CTR_ND_REPLIES);
	consume_skb(skb);
	return NETDEV_TX_OK;
}

void nvgre_push_header(struct sk_buff *skb, __be32 key)
{
	struct gre_base_hdr *greh = skb_push(skb, NVGRE_HLEN);

	skb_reset_transport_header(skb);
	skb_set_inner_protocol(skb, htons(ETH_P_TEB));
	greh->flags = GRE_KEY;
	greh->protocol = htons(ETH_P_TEB);
	*(__be32 *)(greh + 1) = key;
}

/* The inner IPv4 TOS or IPv6 traffic class, 0 for other frames. */
u8 nvgre_inner_dsfield(const struct sk_buff *skb)
{
	const u8 *p;
	u8 buf[2];

	switch (eth_hdr(skb)->h_proto) {
	case htons(ETH_P_IP):
		p = skb_header_pointer(skb, ETH_HLEN + 1, 1, buf);
		return p ? p[0] : 0;
	case htons(ETH_P_IPV6):
		p = skb_header_pointer(skb, ETH_HLEN, 2, buf);
		return p ? (p[0] & 0x0f) << 4 | p[1] >> 4 : 0;
	}
	return 0;
}

/*
 * The frame does not fit the path MTU to the PA: skb_tunnel_check_pmtu()
 * turned it into an ICMP "fragmentation needed" / "packet too big" for the
 * sender, which the device now receives, as a router on the way would
 * have answered. Consumes @skb.
 */
netdev_tx_t nvgre_xmit_too_big(struct nvgre_dev *nv, struct sk_buff *skb)
{
	skb->protocol = eth_type_trans(skb, nv->dev);
	if (netif_rx(skb) == NET_RX_SUCCESS)
		nvgre_dev_count(nv, NVGRE_CTR_TX_TOO_BIG);
	else
		nvgre_dev_count(nv, NVGRE_CTR_RX_ERRORS);
	return NETDEV_TX_OK;
}

/*
 * An IPv4 route to @fl4->daddr that leaves through the underlay, or why
 * not; NVGRE_CMD_GET asks it too (get.c).
 */
struct rtable *nvgre_route4(struct nvgre_dev *nv, struct flowi4 *fl4,
			    enum nvgre_ctr *why)
{
	struct rtable *rt;

	rt = ip_route_output_key(nv->net, fl4);
	if (IS_ERR(rt)) {
		*why = NVGRE_CTR_TX_NO_ROUTE;
		return NULL;
	}
	if (rt->rt_type == RTN_LOCAL) {
		/* The VM runs here: the bridge, not the underlay, reaches it. */
		*why = NVGRE_CTR_TX_LOCAL_PA;
		goto err_put;
	}
	if (rt->dst.dev == nv->dev) {
		*why = NVGRE_CTR_TX_NO_ROUTE;
		goto err_put;
	}
	return rt;

err_put:
	ip_rt_put(rt);
	return NULL;
}

/*
 * Encapsulates @skb from the IPv4 PA @src (0: the route's choice) towards
 * the IPv4 PA @pa, by the route cached for its flow (dstcache.c) or, when
 * none is, one looked up and then cached. Consumes @skb.
 */
netdev_tx_t nvgre_xmit4(struct nvgre_dev *nv, struct sk_buff *skb,
			__be32 src, __be32 pa, __be32 key)
{
	struct nvgre_dst_key k = {
		.key = key,
		.mark = skb->mark,
	};
	struct in6_addr rsaddr;
	struct rtable *rt;
	enum nvgre_ctr why;
	u8 dsfield, tos, ttl;
	int err;

	ipv6_addr_set_v4mapped(pa, &k.daddr);
	ipv6_addr_set_v4mapped(src, &k.saddr);
	rt = (struct rtable *)nvgre_dst_cache_get(nv, &k, &rsaddr);
	if (!rt) {
		struct flowi4 fl4 = {
			.daddr = pa,
			.saddr = src,
			.flowi4_proto = IPPROTO_GRE,
			.flowi4_mark = skb->mark,
			/* Overlays the ports: multipath hashing sees the FlowID. */
			.fl4_gre_key = key,
		};

		rt = nvgre_route4(nv, &fl4, &why);
		if (!rt)
			return nvgre_xmit_drop(nv, skb, why);
		ipv6_addr_set_v4mapped(fl4.saddr, &rsaddr);
		nvgre_dst_cache_set(nv, &k, &rt->dst, 0, &rsaddr);
	}
	src = nvgre_pa4(&rsaddr);
	err = skb_tunnel_check_pmtu(skb, &rt->dst, NVGRE_OVERHEAD4,
				    netif_is_any_bridge_port(nv->dev));
	if (err < 0) {
		why = NVGRE_CTR_TX_ERRORS;
		goto err_put;
	}
	if (err) {
		ip_rt_put(rt);
		return nvgre_xmit_too_big(nv, skb);
	}

	/* RFC 6040: the outer ECN field follows the inner one. */
	dsfield = nvgre_inner_dsfield(skb);
	tos = nv->tos == NVGRE_TOS_INHERIT ? dsfield : nv->tos;
	tos = INET_ECN_encapsulate(tos, dsfield);

	if (skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
			 sizeof(struct iphdr) + NVGRE_HLEN) ||
	    iptunnel_handle_offloads(skb, SKB_GSO_GRE)) {
		why = NVGRE_CTR_TX_ERRORS;
		goto err_put;
	}

	nvgre_push_header(skb, key);
	/* To a multicast group (mcast.c): TTL 1 unless the device has one. */
	ttl = nv->ttl ?: ipv4_is_multicast(pa) ? 1 : ip4_dst_hoplimit(&rt->dst);
	compat_iptunnel_xmit(NULL, rt, skb, src, pa, IPPROTO_GRE, tos,
			     ttl, htons(IP_DF), false);
	return NETDEV_TX_OK;

err_put:
	ip_rt_put(rt);
	return nvgre_xmit_drop(nv, skb, why);
}

/*
 * The outer source of a frame from the VM with MAC @smac (Hyper-V's rule),
 * of the family of the destination PA (@v4: IPv4): the PA of the VM's
 * record of that family if it is a PA of the namespace, else the device's
 * local PA of that family if it is one. Without any PA in the namespace
 * (pa.c), the device's local PA or, without one, 0 or :: for the route's
 * choice. Returns false when there is no local PA to send from. Needs
 * rcu_read_lock().
 */
static bool nvgre_xmit_src(struct nvgre_dev *nv, struct nvgre_net *nn,
			   const u8 *smac, bool v4, struct in6_addr *src)
{
	bool has_local = v4 ? !!nv->local : !ipv6_addr_any(&nv->local6);
	struct in6_addr local = nv->local6;

	if (v4)
		ipv6_addr_set_v4mapped(nv->local, &local);
	if (!READ_ONCE(nn->npas)) {
		*src = local;
		return true;
	}
	if (nvgre_lookup_mac_local_pa(nn, nv->vsid, smac, v4, src))
		return true;
	if (has_local && nvgre_pa_is_local(nn, &local)) {
		*src = local;
		return true;
	}
	return false;
}

/**
 * nvgre_xmit_decide_mac - where a VM's unicast frame to a MAC goes
 * @nv: the device of the VM's VSID
 * @nn: its namespace
 * @smac: the frame's source MAC
 * @dmac: its destination MAC, not the gateway MAC of the routing domain
 * @v: gets the verdict: NVGRE_GET_SEND to the PA of the record owning
 *	@dmac; without one, NVGRE_GET_GATEWAY to the VSID's gateway record
 *	(Hyper-V's GatewayWildcard), @v->mac its MAC; else a drop
 *
 * Looks at no packet and raises no counter. Needs rcu_read_lock().
 */
void nvgre_xmit_decide_mac(struct nvgre_dev *nv, struct nvgre_net *nn,
			   const u8 *smac, const u8 *dmac,
			   struct nvgre_verdict *v)
{
	const struct nvgre_lookup *rec;

	v->vsid = nv->vsid;
	rec = nvgre_lookup_find_mac(nn, nv->vsid, dmac);
	if (rec) {
		v->outcome = NVGRE_GET_SEND;
		v->ctr = NVGRE_CTR_NONE;
	} else {
		rec = nvgre_lookup_find_gateway(nn, nv->vsid);
		if (!rec)
			return nvgre_verdict_drop(v, NVGRE_CTR_TX_NO_RECORD);
		v->outcome = NVGRE_GET_GATEWAY;
		v->ctr = NVGRE_CTR_TX_GATEWAY;
	}
	v->rec = rec;
	ether_addr_copy(v->mac, rec->mac);
	v->pa = rec->pa;
	v->v4 = ipv6_addr_v4mapped(&rec->pa);
	if (!nvgre_xmit_src(nv, nn, smac, v->v4, &v->src))
		nvgre_verdict_drop(v, NVGRE_CTR_TX_NO_LOCAL_PA);
}

/**
 * nvgre_xmit_decide_routed - where a VM's IP packet to the gateway MAC goes
 * @nv: the device of the VM's VSID
 * @nn: its namespace
 * @smac: the frame's source MAC
 * @daddr: the packet's destination CA, IPv4 v4-mapped
 * @ttl: its TTL or hop limit
 * @v: gets the verdict of nvgre_route_decide() with the source PA
 *
 * Needs rcu_read_lock().
 */
void nvgre_xmit_decide_routed(struct nvgre_dev *nv, struct nvgre_net *nn,
			      const u8 *smac, const struct in6_addr *daddr,
			      u8 ttl, struct nvgre_verdict *v)
{
	nvgre_route_decide(nv, daddr, ttl, v);
	if (v->outcome == NVGRE_GET_ROUTED &&
	    !nvgre_xmit_src(nv, nn, smac, v->v4, &v->src))
		nvgre_verdict_drop(v, NVGRE_CTR_TX_NO_LOCAL_PA);
}

/**
 * nvgre_xmit_decide_flood - where a VM's broadcast or multicast frame goes
 * @nv: the device of the VM's VSID
 * @nn: its namespace
 * @smac: the frame's source MAC
 * @v: gets the verdict: NVGRE_GET_GROUP (the device's group) or
 *	NVGRE_GET_FLOOD (flood.c) with the sources of each family, or a drop
 *
 * Only from a MAC that a record of the VSID owns: every receiver would
 * refuse the copies of any other frame (rx_spoof_mac) and report it as a
 * miss. Needs rcu_read_lock().
 */
void nvgre_xmit_decide_flood(struct nvgre_dev *nv, struct nvgre_net *nn,
			     const u8 *smac, struct nvgre_verdict *v)
{
	if (!nvgre_lookup_find_mac(nn, nv->vsid, smac))
		return nvgre_verdict_drop(v, NVGRE_CTR_TX_FLOOD);
	v->vsid = nv->vsid;
	v->v4 = nvgre_xmit_src(nv, nn, smac, true, &v->src);
	v->has_src6 = nvgre_xmit_src(nv, nn, smac, false, &v->src6);
	if (nv->group) {
		/* Only an IPv4 group: nvgre_mcast_xmit(). */
		if (!v->v4)
			return nvgre_verdict_drop(v, NVGRE_CTR_TX_NO_LOCAL_PA);
		v->outcome = NVGRE_GET_GROUP;
		v->ctr = NVGRE_CTR_TX_GROUP;
		return;
	}
	if (!v->v4 && !v->has_src6)
		return nvgre_verdict_drop(v, NVGRE_CTR_TX_NO_LOCAL_PA);
	v->outcome = NVGRE_GET_FLOOD;
	v->ctr = NVGRE_CTR_TX_FLOOD_COPIES;
}

/* Key: @vsid in the high 24 bits, FlowID (RFC 7637 3.2) below. */
static __be32 nvgre_xmit_key(struct sk_buff *skb, u32 vsid)
{
	return htonl(vsid << 8 | (skb_get_hash(skb) & 0xff));
}

/*
 * Acts on the verdict of a unicast frame: encapsulates @skb towards
 * @v->pa with @v->vsid, or drops it. Consumes @skb.
 */
static netdev_tx_t nvgre_xmit_verdict(struct nvgre_dev *nv,
				      struct sk_buff *skb,
				      const struct nvgre_verdict *v)
{
	__be32 key;

	if (v->outcome == NVGRE_GET_DROP) {
		if (v->ctr == NVGRE_CTR_TX_NO_LOCAL_PA)
			net_warn_ratelimited("%s: no local PA to send from for %pM: neither its record nor the device names one (nvgrectl add-pa)\n",
					     nv->dev->name,
					     eth_hdr(skb)->h_source);
		return nvgre_xmit_drop(nv, skb, v->ctr);
	}
	key = nvgre_xmit_key(skb, v->vsid);
	if (v->v4)
		return nvgre_xmit4(nv, skb, nvgre_pa4(&v->src),
				   nvgre_pa4(&v->pa), key);
	return nvgre_xmit6(nv, skb, &v->src, &v->pa, key);
}

/*
 * A broadcast or multicast frame that no answer from the records
 * replaces: one copy to every other host of the VSID (flood.c), or one to
 * the device's group (mcast.c).
 */
static netdev_tx_t nvgre_xmit_flood(struct nvgre_dev *nv, struct sk_buff *skb)
{
	struct nvgre_verdict v;

	rcu_read_lock();
	nvgre_xmit_decide_flood(nv, nvgre_pernet(nv->net),
				eth_hdr(skb)->h_source, &v);
	rcu_read_unlock();
	switch (v.outcome) {
	case NVGRE_GET_GROUP:
		return nvgre_mcast_xmit(nv, skb, &v.src,
					nvgre_xmit_key(skb, nv->vsid));
	case NVGRE_GET_FLOOD:
		return nvgre_flood_xmit(nv, skb, v.v4 ? &v.src : NULL,
					v.has_src6 ? &v.src6 : NULL,
					nvgre_xmit_key(skb, nv->vsid));
	}
	return nvgre_xmit_drop(nv, skb, v.ctr);
}

/*
 * A frame to the gateway MAC of the device's routing domain: ARP and
 * Neighbour Solicitations (unicast NUD probes) for the gateway are
 * answered, anything else is routed (route.c). Consumes @skb.
 */
static netdev_tx_t nvgre_xmit_routed(struct nvgre_dev *nv, struct sk_buff *skb)
{
	struct nvgre_verdict v;
	struct in6_addr daddr;
	enum nvgre_ctr why;
	u8 ttl;

	if (eth_hdr(skb)->h_proto == htons(ETH_P_ARP))
		return nvgre_arp_reply(nv, skb);
	if (nvgre_is_ns(skb))
		return nvgre_ns_reply(nv, skb, true);
	if (!nvgre_route_parse(skb, &daddr, &ttl))
		return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_NO_SUBNET);

	rcu_read_lock();
	nvgre_xmit_decide_routed(nv, nvgre_pernet(nv->net),
				 eth_hdr(skb)->h_source, &daddr, ttl, &v);
	why = v.ctr;
	if (v.outcome != NVGRE_GET_DROP)
		why = nvgre_route_xmit(nv, skb, &v);
	rcu_read_unlock();
	if (why == NVGRE_CTR_TX_ROUTED_LOCAL)
		return NETDEV_TX_OK;
	if (why == NVGRE_CTR_TX_NO_RECORD) {
		if (ipv6_addr_v4mapped(&v.target))
			nvgre_miss_ca4(nv, NVGRE_MISS_TX_ROUTED,
				       v.target.s6_addr32[3]);
		else
			nvgre_miss_ca6(nv, NVGRE_MISS_TX_ROUTED, &v.target);
	}
	if (why != NVGRE_CTR_NONE)
		nvgre_verdict_drop(&v, why);
	return nvgre_xmit_verdict(nv, skb, &v);
}

/*
 * A VM's Neighbour Advertisements, Router Advertisements and Redirects,
 * to any destination, are held to the records (nd.c) before anything is
 * answered, replicated or encapsulated: NVGRE_CTR_NONE, or why not.
 */
static enum nvgre_ctr nvgre_xmit_nd(struct nvgre_dev *nv, struct sk_buff *skb)
{
	enum nvgre_nd_verdict v;

	rcu_read_lock();
	v = nvgre_nd_check(nvgre_pernet(nv->net), nv->vsid, skb, NULL);
	rcu_read_unlock();
	switch (v) {
	case NVGRE_ND_OK:
		return NVGRE_CTR_NONE;
	case NVGRE_ND_SPOOF:
		return NVGRE_CTR_TX_ND_SPOOF;
	case NVGRE_ND_ROUTER:
		return NVGRE_CTR_TX_ND_ROUTER;
	default:
		return NVGRE_CTR_TX_ERRORS;
	}
}

netdev_tx_t nvgre_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct nvgre_dev *nv = netdev_priv(dev);
	const struct ethhdr *eth;
	struct nvgre_verdict v;
	enum nvgre_ctr why;

	if (!pskb_may_pull(skb, ETH_HLEN) || nvgre_xmit_untag(skb))
		return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_ERRORS);
	if (eth_hdr(skb)->h_proto == htons(ETH_P_IPV6)) {
		why = nvgre_xmit_nd(nv, skb);
		if (why != NVGRE_CTR_NONE)
			return nvgre_xmit_drop(nv, skb, why);
	}

	eth = eth_hdr(skb);
	if (is_multicast_ether_addr(eth->h_dest)) {
		if (eth->h_proto == htons(ETH_P_ARP))
			return nvgre_arp_reply(nv, skb);
		if (eth->h_proto == htons(ETH_P_IPV6))
			return nvgre_ns_reply(nv, skb, false);
		return nvgre_xmit_flood(nv, skb);
	}

	if (nvgre_is_gateway_mac(nv->rdid, eth->h_dest))
		return nvgre_xmit_routed(nv, skb);

	rcu_read_lock();
	nvgre_xmit_decide_mac(nv, nvgre_pernet(nv->net), eth->h_source,
			      eth->h_dest, &v);
	rcu_read_unlock();
	if (v.outcome == NVGRE_GET_DROP && v.ctr == NVGRE_CTR_TX_NO_RECORD)
		nvgre_miss_mac(nv, NVGRE_MISS_TX_UNICAST, eth->h_dest);
	if (v.outcome == NVGRE_GET_GATEWAY) {
		/* Rewritten so that the gateway VM takes it. */
		if (skb_ensure_writable(skb, ETH_HLEN))
			return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_ERRORS);
		ether_addr_copy(eth_hdr(skb)->h_dest, v.mac);
		nvgre_dev_count(nv, NVGRE_CTR_TX_GATEWAY);
	}
	return nvgre_xmit_verdict(nv, skb, &v);
}
