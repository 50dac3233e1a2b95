// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit over an IPv6 underlay: a frame whose destination record names
 * an IPv6 PA leaves in GRE over IPv6 (next header 47, no extension
 * headers) with the same key as over IPv4: VSID in the high 24 bits,
 * FlowID below. send.c picks the record and the source PA.
 */

#include <linux/netdevice.h>
#include <net/inet_ecn.h>
#include <net/ip6_route.h>
#include <net/ip6_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>

#include "nvgre.h"

/* An IPv6 route to @fl6->daddr that leaves through the underlay, or why not. */
struct dst_entry *nvgre_route6(struct nvgre_dev *nv, struct flowi6 *fl6,
			       enum nvgre_ctr *why)
{
	struct dst_entry *dst;

	dst = ip6_dst_lookup_flow(nv->net, NULL, fl6, NULL);
	if (IS_ERR(dst)) {
		*why = NVGRE_CTR_TX_NO_ROUTE;
		return NULL;
	}
	if (((struct rt6_info *)dst)->rt6i_flags & RTF_LOCAL) {
		/* The VM runs here: the bridge, not the underlay, reaches it. */
		*why = NVGRE_CTR_TX_LOCAL_PA;
		goto err_release;
	}
	if (dst->dev == nv->dev) {
		*why = NVGRE_CTR_TX_NO_ROUTE;
		goto err_release;
	}
	return dst;

err_release:
	dst_release(dst);
	return NULL;
}

/* Pushes the IPv6 header of @fl6 in front of the GRE header. */
static void nvgre_push_ip6(struct sk_buff *skb, const struct flowi6 *fl6,
			   u8 tclass, u8 hop_limit)
{
	struct ipv6hdr *ip6;

	skb_push(skb, sizeof(*ip6));
	skb_reset_network_header(skb);
	ip6 = ipv6_hdr(skb);
	ip6_flow_hdr(ip6, tclass, fl6->flowlabel & IPV6_FLOWLABEL_MASK);
	ip6->nexthdr = IPPROTO_GRE;
	ip6->hop_limit = hop_limit;
	ip6->saddr = fl6->saddr;
	ip6->daddr = fl6->daddr;
	/* ip6_local_out() fills in the payload length. */
}

/**
 * nvgre_xmit6 - encapsulate a frame towards an IPv6 PA
 * @nv: the device
 * @skb: the frame, its data at the inner Ethernet header
 * @src: the IPv6 source PA, :: for the route's choice
 * @pa: the IPv6 PA of the destination record
 * @key: the GRE key (VSID and FlowID)
 *
 * The traffic class follows the device's tos (inherit or fixed) with the
 * ECN field of the inner packet (RFC 6040), the flow label the inner flow
 * hash (as the FlowID does), the hop limit the device's ttl or the
 * route's. The route is the one cached for the flow (dstcache.c) or, when
 * none is, one looked up and then cached. Too big frames are answered to
 * the VM (skb_tunnel_check_pmtu(); IPv6 never fragments on the way, as DF
 * over IPv4). Consumes @skb.
 */
netdev_tx_t nvgre_xmit6(struct nvgre_dev *nv, struct sk_buff *skb,
			const struct in6_addr *src, const struct in6_addr *pa,
			__be32 key)
{
	struct flowi6 fl6 = {
		.daddr = *pa,
		.saddr = *src,
		.flowi6_proto = IPPROTO_GRE,
		.flowi6_mark = skb->mark,
		/* Overlays the ports: L4 multipath hashing sees the FlowID. */
		.fl6_gre_key = key,
	};
	struct nvgre_dst_key k = {
		.key = key,
		.mark = skb->mark,
	};
	struct dst_entry *dst;
	enum nvgre_ctr why;
	u8 dsfield, tclass;
	int err;

	dsfield = nvgre_inner_dsfield(skb);
	tclass = nv->tos == NVGRE_TOS_INHERIT ? dsfield : nv->tos;
	tclass = INET_ECN_encapsulate(tclass, dsfield);
	fl6.flowlabel = ip6_make_flowinfo(tclass,
					  ip6_make_flowlabel(nv->net, skb, 0,
							     true, &fl6));

	k.daddr = *pa;
	k.saddr = *src;
	k.flowlabel = fl6.flowlabel;
	dst = nvgre_dst_cache_get(nv, &k, &fl6.saddr);
	if (!dst) {
		dst = nvgre_route6(nv, &fl6, &why);
		if (!dst)
			return nvgre_xmit_drop(nv, skb, why);
		nvgre_dst_cache_set(nv, &k, dst,
				    rt6_get_cookie((struct rt6_info *)dst),
				    &fl6.saddr);
	}
	err = skb_tunnel_check_pmtu(skb, dst, NVGRE_OVERHEAD6,
				    netif_is_any_bridge_port(nv->dev));
	if (err < 0) {
		why = NVGRE_CTR_TX_ERRORS;
		goto err_release;
	}
	if (err) {
		dst_release(dst);
		return nvgre_xmit_too_big(nv, skb);
	}

	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) +
			 sizeof(struct ipv6hdr) + NVGRE_HLEN) ||
	    iptunnel_handle_offloads(skb, SKB_GSO_GRE)) {
		why = NVGRE_CTR_TX_ERRORS;
		goto err_release;
	}

	skb_scrub_packet(skb, false);
	nvgre_push_header(skb, key);
	nvgre_push_ip6(skb, &fl6, tclass,
		       nv->ttl ?: ip6_dst_hoplimit(dst));
	skb_dst_set(skb, dst);
	compat_ip6tunnel_xmit(NULL, skb, nv->dev);
	return NETDEV_TX_OK;

err_release:
	dst_release(dst);
	return nvgre_xmit_drop(nv, skb, why);
}
