// SPDX-License-Identifier: GPL-2.0
/*
 * Receive over an IPv6 underlay. ip6_gre, when loaded, owns next header
 * 47 as ip_gre owns IPv4 protocol 47, so NVGRE over IPv6 is taken as over
 * IPv4: by a netfilter hook at NF_INET_LOCAL_IN (after the filter table),
 * which takes only packets for a VSID served by a device and leaves every
 * other packet to the stack. The checks and the delivery are receive.c's.
 *
 * Extension headers are skipped (ipv6_skip_exthdr()); the stack reassembles
 * fragments only after this hook, so a fragmented NVGRE packet cannot be
 * delivered: its first fragment is dropped and counted as malformed, and
 * the others then expire in the reassembly queue. nvgre itself never sends
 * one: frames too big for the path are answered to their VM (send6.c).
 */

#include <net/gre.h>
#include <net/addrconf.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/xfrm.h>

#include "nvgre.h"

/*
 * Whether the outer destination @daddr, a local address, is a local PA:
 * one of the namespace's PAs, or without any (pa.c), the device's IPv6
 * local PA if it has one.
 */
static bool nvgre_rcv6_local_pa(struct nvgre_net *nn, struct nvgre_dev *nv,
				const struct in6_addr *daddr)
{
	if (ipv6_addr_is_multicast(daddr))
		return false;
	if (READ_ONCE(nn->npas))
		return nvgre_pa_is_local(nn, daddr);
	return ipv6_addr_any(&nv->local6) ||
	       ipv6_addr_equal(daddr, &nv->local6);
}

/**
 * nvgre_rcv_decide_dst6 - the outer destination check of a received packet
 * @nn: namespace
 * @nv: the device of its VSID
 * @daddr: the outer IPv6 destination, an address of this host
 *
 * A packet is taken when it is for a local PA (nvgre_rcv6_local_pa()).
 * Looks at no packet and raises no counter; NVGRE_CMD_GET (get.c) asks it
 * too. Needs rcu_read_lock().
 *
 * Return: NVGRE_CTR_NONE when the destination checks out, else
 * NVGRE_CTR_RX_WRONG_PA.
 */
enum nvgre_ctr nvgre_rcv_decide_dst6(struct nvgre_net *nn,
				     struct nvgre_dev *nv,
				     const struct in6_addr *daddr)
{
	return nvgre_rcv6_local_pa(nn, nv, daddr) ? NVGRE_CTR_NONE :
						    NVGRE_CTR_RX_WRONG_PA;
}

/*
 * The inbound IPsec policy check of icmpv6_rcv() for an ICMPv6 error at
 * @off from skb->data: the policy for the ICMPv6 packet itself, or, when it
 * came through an SA that allows ICMP (XFRM_STATE_ICMP), the policy for
 * the flow of the quoted packet.
 */
static bool nvgre_rcv6_icmp_policy(struct sk_buff *skb, unsigned int off)
{
	struct sec_path *sp;
	int nh;
	bool ok;

	if (xfrm6_policy_check(NULL, XFRM_POLICY_IN, skb))
		return true;
	sp = skb_sec_path(skb);
	if (!sp || !(sp->xvec[sp->len - 1]->props.flags & XFRM_STATE_ICMP))
		return false;
	nh = skb_network_offset(skb);
	skb_set_network_header(skb, off + sizeof(struct icmp6hdr));
	ok = xfrm6_policy_check_reverse(NULL, XFRM_POLICY_IN, skb);
	skb_set_network_header(skb, nh);
	return ok;
}

/*
 * Whether @saddr, the source of an NVGRE packet quoted by an ICMPv6 error,
 * is a local PA: one of the namespace's PAs, or without any (pa.c), the
 * device's IPv6 local PA, or without one a local address.
 */
static bool nvgre_rcv6_icmp_own_pa(struct nvgre_net *nn, struct nvgre_dev *nv,
				   struct net *net,
				   const struct in6_addr *saddr)
{
	if (READ_ONCE(nn->npas))
		return nvgre_pa_is_local(nn, saddr);
	if (!ipv6_addr_any(&nv->local6))
		return ipv6_addr_equal(saddr, &nv->local6);
	return ipv6_chk_addr(net, saddr, NULL, 0);
}

/*
 * An ICMPv6 Packet Too Big about NVGRE this host sent: learn the path MTU
 * to the PA, so that the next frames too big for it are answered to their
 * VM (send6.c). ip6_gre would do this for its own tunnels only. As over
 * IPv4, only a packet that the inbound IPsec policy accepts and that
 * quotes NVGRE from a local PA counts. The ICMPv6 header starts at @off;
 * skb->data is at the IPv6 header.
 */
static void nvgre_rcv6_icmp(struct nvgre_net *nn, struct sk_buff *skb,
			    struct net *net, unsigned int off)
{
	unsigned int ioff = off + sizeof(struct icmp6hdr);
	const struct icmp6hdr *icmp6;
	const struct ipv6hdr *inner;
	struct nvgre_dev *nv;
	__be16 flags;
	__be32 mtu;

	if (!pskb_may_pull(skb, ioff + sizeof(*inner)))
		return;
	icmp6 = (const struct icmp6hdr *)(skb->data + off);
	inner = (const struct ipv6hdr *)(skb->data + ioff);
	/* nvgre sends no extension headers: GRE follows the IPv6 header. */
	if (icmp6->icmp6_type != ICMPV6_PKT_TOOBIG ||
	    inner->nexthdr != IPPROTO_GRE)
		return;
	mtu = icmp6->icmp6_mtu;
	nv = nvgre_dev_find(nn, nvgre_rcv_vsid(skb, ioff + sizeof(*inner),
					       &flags));
	if (!nv)
		return;
	/* The pulls above and below may move the headers. */
	if (!nvgre_rcv6_icmp_policy(skb, off))
		return;
	inner = (const struct ipv6hdr *)(skb->data + ioff);
	if (!nvgre_rcv6_icmp_own_pa(nn, nv, net, &inner->saddr))
		return;

	/* ip6_update_pmtu() reads the quoted header at skb->data. */
	__skb_pull(skb, ioff);
	ip6_update_pmtu(skb, net, mtu, 0, 0, sock_net_uid(net, NULL));
	__skb_push(skb, ioff);
}

/* The checks of the outer IPv6 header before nvgre_rcv(). */
static enum nvgre_ctr nvgre_rcv6(struct nvgre_dev *nv, struct sk_buff *skb,
				 unsigned int off, __be16 flags)
{
	struct nvgre_net *nn = nvgre_pernet(nv->net);
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct in6_addr saddr = ip6->saddr;
	enum nvgre_ctr why;

	if (flags & ~(GRE_KEY | GRE_VERSION))
		return NVGRE_CTR_RX_BAD_FLAGS;
	why = nvgre_rcv_decide_dst6(nn, nv, &ip6->daddr);
	if (why != NVGRE_CTR_NONE)
		return why;
	return nvgre_rcv(nv, skb, off, &saddr, ipv6_get_dsfield(ip6));
}

static unsigned int nvgre_rcv6_hook_bh(struct nvgre_net *nn,
				       struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	__be16 frag_off = 0, flags;
	struct nvgre_dev *nv;
	enum nvgre_ctr why;
	u8 nexthdr;
	int off;
	u32 vsid;

	nexthdr = ipv6_hdr(skb)->nexthdr;
	off = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
			       sizeof(struct ipv6hdr), &nexthdr, &frag_off);
	/* Malformed extension headers: the stack drops the packet. */
	if (off < 0)
		return NF_ACCEPT;
	if (nexthdr == IPPROTO_ICMPV6 && !frag_off) {
		nvgre_rcv6_icmp(nn, skb, state->net, off);
		return NF_ACCEPT;
	}
	/* A later fragment has no GRE header to read. */
	if (nexthdr != IPPROTO_GRE || (frag_off & htons(IP6_OFFSET)))
		return NF_ACCEPT;
	vsid = nvgre_rcv_vsid(skb, off, &flags);
	if (!vsid)
		return NF_ACCEPT;
	nv = nvgre_dev_find(nn, vsid);
	if (!nv) {
		/* Maybe an ip6gretap tunnel's: ip6_gre decides. */
		nvgre_net_count_unknown_vsid(nn);
		return NF_ACCEPT;
	}

	/* As ip6_protocol_deliver_rcu() does for GRE (receive.c). */
	if (!xfrm6_policy_check(NULL, XFRM_POLICY_IN, skb)) {
		nvgre_dev_drop(nv, skb, NVGRE_CTR_RX_POLICY);
		return NF_STOLEN;
	}
	why = frag_off ? NVGRE_CTR_RX_MALFORMED : nvgre_rcv6(nv, skb, off, flags);
	if (why != NVGRE_CTR_NONE)
		nvgre_dev_drop(nv, skb, why);
	return NF_STOLEN;
}

/**
 * nvgre_rcv6_hook - IPv6 netfilter hook of a namespace with nvgre devices
 * @priv: the namespace's struct nvgre_net
 * @skb: an IPv6 packet for this host, its network header at skb->data
 * @state: hook state
 *
 * Runs under rcu_read_lock(), mostly in the receive softirq; after an
 * NFQUEUE verdict in process context with BH enabled, which it then
 * disables for the packet (see nvgre_rcv_hook()).
 */
unsigned int nvgre_rcv6_hook(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	bool need_bh_off = !softirq_count();
	unsigned int ret;

	if (need_bh_off)
		local_bh_disable();
	ret = nvgre_rcv6_hook_bh(priv, skb, state);
	if (need_bh_off)
		local_bh_enable();
	return ret;
}
