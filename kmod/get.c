// SPDX-License-Identifier: GPL-2.0
/*
 * NVGRE_CMD_GET: what the datapath would do with a frame, as "ip route get"
 * answers for the kernel's routes and Hyper-V's
 * Select-NetVirtualizationNextHop for its policy. The answer comes from
 * the decision functions that transmit and receive call themselves
 * (nvgre_xmit_decide_*() in send.c, nvgre_route_decide() in route.c,
 * nvgre_rcv_decide_*() in receive.c, the flood set's pick in flood.c), so
 * that it cannot drift from what packets do; nothing is sent and no
 * counter moves.
 *
 * A transmit question names the destination CA, as a tenant does, where
 * the datapath sees a destination MAC: the query first resolves it as the
 * VM would, by the answer ARP or ND get from the records
 * (nvgre_xmit_resolve()), or, for a CA off the VSID's subnets in a routing
 * domain, by the gateway MAC the VM's default route leads to.
 */

#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/genetlink.h>
#include <net/ip6_route.h>
#include <net/route.h>

#include "nvgre.h"

/* The TTL a query's packet is taken to have: routing lowers it by one. */
#define NVGRE_GET_TTL	64

const struct nla_policy nvgre_nl_get_frame_policy[NVGRE_GET_A_MAX + 1] = {
	[NVGRE_GET_A_DIR]	= NLA_POLICY_MAX(NLA_U8, NVGRE_GET_DIR_MAX),
	[NVGRE_GET_A_DST4]	= { .type = NLA_BE32 },
	[NVGRE_GET_A_DST6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NVGRE_GET_A_SRC4]	= { .type = NLA_BE32 },
	[NVGRE_GET_A_SRC6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NVGRE_GET_A_SRC_MAC]	= NLA_POLICY_ETH_ADDR,
	[NVGRE_GET_A_OUTER4]	= { .type = NLA_BE32 },
	[NVGRE_GET_A_OUTER6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NVGRE_GET_A_DST_MAC]	= NLA_POLICY_ETH_ADDR,
	[NVGRE_GET_A_OUTER_DST4] = { .type = NLA_BE32 },
	[NVGRE_GET_A_OUTER_DST6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

/**
 * struct nvgre_get_query - the frame a GET asks about
 * @dir: enum nvgre_get_dir
 * @has_src: @src is set
 * @has_smac: @smac was given
 * @has_dmac: @dmac was given
 * @has_outer_dst: @outer_dst is set: given, or the device's local PA
 * @dst: inner destination CA, IPv4 v4-mapped
 * @src: inner source CA, IPv4 v4-mapped
 * @outer: outer source PA of a received frame, IPv4 v4-mapped
 * @outer_dst: outer destination of a received frame, IPv4 v4-mapped
 * @smac: inner source MAC
 * @dmac: inner destination MAC, as a static neighbour of the VM gives it
 */
struct nvgre_get_query {
	u8 dir;
	bool has_src;
	bool has_smac;
	bool has_dmac;
	bool has_outer_dst;
	struct in6_addr dst;
	struct in6_addr src;
	struct in6_addr outer;
	struct in6_addr outer_dst;
	u8 smac[ETH_ALEN];
	u8 dmac[ETH_ALEN];
};

/**
 * struct nvgre_get_reply - what the reply says
 * @nv: the device of the VSID
 * @q: the question
 * @v: the verdict; a flood without any copy becomes a drop as it is put
 * @underlay: ifindex of the underlay device towards @v->pa, 0 if none
 */
struct nvgre_get_reply {
	struct nvgre_dev *nv;
	const struct nvgre_get_query *q;
	struct nvgre_verdict *v;
	int underlay;
};

/* Reads an IPv4 or IPv6 address; false when neither attribute is there. */
static bool nvgre_get_addr(struct nlattr **tb, int t4, int t6,
			   struct in6_addr *addr)
{
	if (tb[t4]) {
		ipv6_addr_set_v4mapped(nla_get_in_addr(tb[t4]), addr);
		return true;
	}
	if (tb[t6]) {
		*addr = nla_get_in6_addr(tb[t6]);
		return true;
	}
	return false;
}

static int nvgre_get_parse(struct genl_info *info, struct nvgre_get_query *q)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[NVGRE_GET_A_MAX + 1];
	struct nlattr *nest = info->attrs[NVGRE_A_GET];
	int err;

	err = nla_parse_nested(tb, NVGRE_GET_A_MAX, nest,
			       nvgre_nl_get_frame_policy, extack);
	if (err)
		return err;
	if (tb[NVGRE_GET_A_DIR])
		q->dir = nla_get_u8(tb[NVGRE_GET_A_DIR]);
	if ((tb[NVGRE_GET_A_DST4] && tb[NVGRE_GET_A_DST6]) ||
	    (tb[NVGRE_GET_A_SRC4] && tb[NVGRE_GET_A_SRC6]) ||
	    (tb[NVGRE_GET_A_OUTER4] && tb[NVGRE_GET_A_OUTER6]) ||
	    (tb[NVGRE_GET_A_OUTER_DST4] && tb[NVGRE_GET_A_OUTER_DST6])) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Give each address in one family only");
		return -EINVAL;
	}
	if (!nvgre_get_addr(tb, NVGRE_GET_A_DST4, NVGRE_GET_A_DST6, &q->dst)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "The destination CA is required");
		return -EINVAL;
	}
	if (ipv6_addr_any(&q->dst) || ipv6_addr_loopback(&q->dst) ||
	    (ipv6_addr_v4mapped(&q->dst) && !nvgre_pa4(&q->dst))) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "Invalid destination CA");
		return -EINVAL;
	}
	q->has_src = nvgre_get_addr(tb, NVGRE_GET_A_SRC4, NVGRE_GET_A_SRC6,
				    &q->src);
	if (q->has_src &&
	    !nvgre_nl_get_unicast(tb[NVGRE_GET_A_SRC4], tb[NVGRE_GET_A_SRC6],
				  &q->src, false)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "The source CA must be a unicast address");
		return -EINVAL;
	}
	if (q->has_src &&
	    ipv6_addr_v4mapped(&q->src) != ipv6_addr_v4mapped(&q->dst)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "The source and destination CAs must be of one family");
		return -EINVAL;
	}
	if (tb[NVGRE_GET_A_SRC_MAC]) {
		nla_memcpy(q->smac, tb[NVGRE_GET_A_SRC_MAC], ETH_ALEN);
		q->has_smac = true;
	}
	if (tb[NVGRE_GET_A_DST_MAC]) {
		nla_memcpy(q->dmac, tb[NVGRE_GET_A_DST_MAC], ETH_ALEN);
		q->has_dmac = true;
	}
	if (q->dir == NVGRE_GET_DIR_IN &&
	    !nvgre_get_addr(tb, NVGRE_GET_A_OUTER4, NVGRE_GET_A_OUTER6,
			    &q->outer)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "A received frame needs its outer source PA");
		return -EINVAL;
	}
	q->has_outer_dst = nvgre_get_addr(tb, NVGRE_GET_A_OUTER_DST4,
					  NVGRE_GET_A_OUTER_DST6,
					  &q->outer_dst);
	if (q->has_outer_dst && q->dir != NVGRE_GET_DIR_IN) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "The outer destination is one of a received frame");
		return -EINVAL;
	}
	if (q->has_outer_dst &&
	    ipv6_addr_v4mapped(&q->outer_dst) != ipv6_addr_v4mapped(&q->outer)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "The outer source and destination must be of one family");
		return -EINVAL;
	}
	return 0;
}

/*
 * The outer destination of a received frame, if not given: the device's
 * local PA of the outer family, if it has one. The datapath sees only
 * packets for an address of this host (or a multicast group): the input
 * route's type is that of the address (RTN_LOCAL, RTN_BROADCAST,
 * RTN_MULTICAST), as ip_route_input() finds it. Needs rcu_read_lock().
 */
static int nvgre_get_outer_dst(struct genl_info *info, struct nvgre_dev *nv,
			       struct nvgre_get_query *q,
			       unsigned int *rt_type)
{
	struct net *net = genl_info_net(info);
	bool v4 = ipv6_addr_v4mapped(&q->outer);

	if (!q->has_outer_dst) {
		if (v4 && nv->local)
			ipv6_addr_set_v4mapped(nv->local, &q->outer_dst);
		else if (!v4 && !ipv6_addr_any(&nv->local6))
			q->outer_dst = nv->local6;
		else
			return 0;
		q->has_outer_dst = true;
	}
	if (v4) {
		*rt_type = inet_addr_type(net, nvgre_pa4(&q->outer_dst));
		if (*rt_type == RTN_LOCAL || *rt_type == RTN_BROADCAST ||
		    *rt_type == RTN_MULTICAST)
			return 0;
	} else if (ipv6_addr_is_multicast(&q->outer_dst) ||
		   ipv6_chk_addr(net, &q->outer_dst, NULL, 0)) {
		return 0;
	}
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NVGRE_A_GET],
			    "The outer destination is no address of this host: nvgre never sees such a frame");
	return -EADDRNOTAVAIL;
}

/*
 * The device the question is about: that of the VSID, which NVGRE_A_IFINDEX
 * must name if given. Needs rcu_read_lock().
 */
static struct nvgre_dev *nvgre_get_dev(struct genl_info *info,
				       struct nvgre_net *nn, u32 vsid)
{
	struct nlattr *ifindex = info->attrs[NVGRE_A_IFINDEX];
	struct nvgre_dev *nv = nvgre_dev_find(nn, vsid);

	if (!nv) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NVGRE_A_VSID],
				    "No nvgre device of this VSID in the namespace");
		return ERR_PTR(-ENODEV);
	}
	if (ifindex && nla_get_u32(ifindex) != nv->dev->ifindex) {
		NL_SET_ERR_MSG_ATTR(info->extack, ifindex,
				    "The device is not the nvgre device of this VSID");
		return ERR_PTR(-EINVAL);
	}
	return nv;
}

/* Whether a VM of @nv reaches @dst on-link (by ARP or ND) or by its gateway. */
static bool nvgre_get_on_link(struct nvgre_dev *nv, struct nvgre_net *nn,
			      const struct in6_addr *dst)
{
	const struct nvgre_subnet *sn;

	if (!nv->rdid || !nvgre_subnet_vsid_rdid(nn, nv->vsid))
		return true;
	sn = nvgre_subnet_find(nn, nv->rdid, dst);
	return sn && sn->vsid == nv->vsid;
}

/*
 * Whether a VM sends to @dst with a broadcast or multicast MAC: multicast,
 * the limited broadcast, or the broadcast address of a subnet of the VSID.
 */
static bool nvgre_get_is_multicast(struct nvgre_dev *nv, struct nvgre_net *nn,
				   const struct in6_addr *dst)
{
	const struct nvgre_subnet *sn;
	__be32 dst4 = nvgre_pa4(dst), host;
	u32 rdid;

	if (!ipv6_addr_v4mapped(dst))
		return ipv6_addr_is_multicast(dst);
	if (ipv4_is_multicast(dst4) || ipv4_is_lbcast(dst4))
		return true;
	rdid = nvgre_subnet_vsid_rdid(nn, nv->vsid);
	sn = rdid ? nvgre_subnet_find(nn, rdid, dst) : NULL;
	if (!sn || sn->vsid != nv->vsid || sn->plen > 96 + 30)
		return false;
	host = ~inet_make_mask(sn->plen - 96);
	return (dst4 & host) == host;
}

/* The transmit decision. Needs rcu_read_lock(). */
static void nvgre_get_out(struct nvgre_dev *nv, struct nvgre_net *nn,
			  const struct nvgre_get_query *q,
			  struct nvgre_verdict *v)
{
	u8 mac[ETH_ALEN];

	if (q->has_dmac ? is_multicast_ether_addr(q->dmac) :
			  nvgre_get_is_multicast(nv, nn, &q->dst))
		return nvgre_xmit_decide_flood(nv, nn, q->smac, v);
	if (q->has_dmac) {
		ether_addr_copy(mac, q->dmac);
	} else if (!nvgre_xmit_resolve(nv, nn, &q->dst, mac)) {
		if (nvgre_get_on_link(nv, nn, &q->dst))
			return nvgre_verdict_drop(v, ipv6_addr_v4mapped(&q->dst) ?
						  NVGRE_CTR_TX_ARP_MISS :
						  NVGRE_CTR_TX_ND_MISS);
		nvgre_gateway_mac(nv->rdid, mac);
	}
	if (nvgre_is_gateway_mac(nv->rdid, mac))
		return nvgre_xmit_decide_routed(nv, nn, q->smac, &q->dst,
						NVGRE_GET_TTL, v);
	nvgre_xmit_decide_mac(nv, nn, q->smac, mac, v);
}

/*
 * The route to the PA of a sent frame, as nvgre_xmit4() and nvgre_xmit6()
 * look it up: its underlay device, or why the frame is dropped.
 */
static void nvgre_get_underlay(struct nvgre_dev *nv, struct nvgre_verdict *v,
			       int *ifindex)
{
	__be32 key = htonl(v->vsid << 8);
	enum nvgre_ctr why = NVGRE_CTR_NONE;

	if (v->v4) {
		struct flowi4 fl4 = {
			.daddr = nvgre_pa4(&v->pa),
			.saddr = nvgre_pa4(&v->src),
			.flowi4_proto = IPPROTO_GRE,
			.fl4_gre_key = key,
		};
		struct rtable *rt = nvgre_route4(nv, &fl4, &why);

		if (rt) {
			*ifindex = rt->dst.dev->ifindex;
			ipv6_addr_set_v4mapped(fl4.saddr, &v->src);
			ip_rt_put(rt);
		}
	} else {
		struct flowi6 fl6 = {
			.daddr = v->pa,
			.saddr = v->src,
			.flowi6_proto = IPPROTO_GRE,
			.fl6_gre_key = key,
		};
		struct dst_entry *dst = nvgre_route6(nv, &fl6, &why);

		if (dst) {
			*ifindex = dst->dev->ifindex;
			v->src = fl6.saddr;
			dst_release(dst);
		}
	}
	if (why == NVGRE_CTR_TX_LOCAL_PA) {
		v->outcome = NVGRE_GET_LOCAL;
		v->ctr = why;
	} else if (why != NVGRE_CTR_NONE) {
		nvgre_verdict_drop(v, why);
	}
}

/* The receive decision. Needs rcu_read_lock(). */
static void nvgre_get_in(struct nvgre_dev *nv, struct nvgre_net *nn,
			 const struct nvgre_get_query *q,
			 unsigned int rt_type, struct nvgre_verdict *v)
{
	const struct nvgre_lookup *own;
	struct nvgre_miss m = {};
	enum nvgre_ctr why = NVGRE_CTR_NONE;
	bool check_ca;

	/* As nvgre_rcv4() and nvgre_rcv6() check it, before the source. */
	if (q->has_outer_dst && ipv6_addr_v4mapped(&q->outer_dst))
		why = nvgre_rcv_decide_dst4(nn, nv, nvgre_pa4(&q->outer_dst),
					    rt_type);
	else if (q->has_outer_dst)
		why = nvgre_rcv_decide_dst6(nn, nv, &q->outer_dst);
	if (why != NVGRE_CTR_NONE)
		return nvgre_verdict_drop(v, why);
	why = nvgre_rcv_decide_mac(nn, nv, &q->outer, q->smac, &own, &m);
	v->rec = own;
	/*
	 * As nvgre_rcv_check_source() reads the frame: without a source CA
	 * (DHCP, duplicate address detection) or from an IPv6 link-local
	 * one, the MAC's record is enough, unless the frame was routed.
	 */
	check_ca = !own || (q->has_src && (ipv6_addr_v4mapped(&q->src) ||
		   !(ipv6_addr_type(&q->src) & IPV6_ADDR_LINKLOCAL)));
	if (why == NVGRE_CTR_NONE && check_ca) {
		m.ca = q->src;
		why = nvgre_rcv_decide_ca(nn, nv, &q->outer, q->smac, own, &m);
	}
	if (why != NVGRE_CTR_NONE)
		return nvgre_verdict_drop(v, why);
	v->outcome = NVGRE_GET_ACCEPT;
	v->ctr = NVGRE_CTR_NONE;
	v->vsid = nv->vsid;
}

static int nvgre_get_put_flood(struct sk_buff *skb,
			       const struct nvgre_get_reply *r)
{
	struct nvgre_verdict *v = r->v;
	struct nlattr *nest;
	int copies;

	nest = nla_nest_start(skb, NVGRE_GET_A_FLOOD);
	if (!nest)
		return -EMSGSIZE;
	copies = nvgre_flood_put(skb, r->nv, v->v4 ? &v->src : NULL,
				 v->has_src6 ? &v->src6 : NULL);
	if (copies < 0)
		return copies;
	if (!copies) {
		/* nvgre_flood_xmit() drops a frame it copies nowhere. */
		nla_nest_cancel(skb, nest);
		nvgre_verdict_drop(v, NVGRE_CTR_TX_FLOOD);
		return 0;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nvgre_get_put_nest(struct sk_buff *skb, int type,
			      int (*put)(struct sk_buff *skb, const void *obj),
			      const void *obj)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest || put(skb, obj))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* What the verdict says beyond its outcome and counter. */
static int nvgre_get_put_where(struct sk_buff *skb,
			       const struct nvgre_get_reply *r)
{
	const struct nvgre_verdict *v = r->v;
	bool routed = v->outcome == NVGRE_GET_ROUTED ||
		      v->outcome == NVGRE_GET_ROUTED_LOCAL;

	if (v->rec && nvgre_get_put_nest(skb, NVGRE_GET_A_RECORD,
					 nvgre_nl_put_lookup, v->rec))
		return -EMSGSIZE;
	if (routed &&
	    (nla_put_u32(skb, NVGRE_GET_A_RDID, r->nv->rdid) ||
	     nvgre_nl_put_addr(skb, NVGRE_GET_A_NEXTHOP4, NVGRE_GET_A_NEXTHOP6,
			       &v->target) ||
	     (v->route && nvgre_get_put_nest(skb, NVGRE_GET_A_ROUTE,
					     nvgre_nl_put_route, v->route))))
		return -EMSGSIZE;
	switch (v->outcome) {
	case NVGRE_GET_ROUTED_LOCAL:
		return nla_put_u32(skb, NVGRE_GET_A_DST_IFINDEX,
				   v->dst->dev->ifindex) ||
		       nla_put_u32(skb, NVGRE_GET_A_VSID, v->vsid) ||
		       nla_put(skb, NVGRE_GET_A_DST_MAC, ETH_ALEN, v->mac);
	case NVGRE_GET_LOCAL:
		/* No packet leaves: no source PA, no underlay. */
		return nla_put_u32(skb, NVGRE_GET_A_VSID, v->vsid) ||
		       nla_put(skb, NVGRE_GET_A_DST_MAC, ETH_ALEN, v->mac) ||
		       nvgre_nl_put_addr(skb, NVGRE_GET_A_PA4, NVGRE_GET_A_PA6,
					 &v->pa);
	case NVGRE_GET_SEND:
	case NVGRE_GET_GATEWAY:
	case NVGRE_GET_ROUTED:
		return nla_put_u32(skb, NVGRE_GET_A_VSID, v->vsid) ||
		       nla_put(skb, NVGRE_GET_A_DST_MAC, ETH_ALEN, v->mac) ||
		       nvgre_nl_put_addr(skb, NVGRE_GET_A_PA4, NVGRE_GET_A_PA6,
					 &v->pa) ||
		       nvgre_nl_put_addr(skb, NVGRE_GET_A_LOCAL4,
					 NVGRE_GET_A_LOCAL6, &v->src) ||
		       (r->underlay &&
			nla_put_u32(skb, NVGRE_GET_A_UNDERLAY, r->underlay));
	/* Sources 0 and :: are the underlay route's choice, per copy. */
	case NVGRE_GET_GROUP:
		return nla_put_u32(skb, NVGRE_GET_A_VSID, v->vsid) ||
		       nla_put_in_addr(skb, NVGRE_GET_A_GROUP4, r->nv->group) ||
		       (nvgre_pa4(&v->src) &&
			nla_put_in_addr(skb, NVGRE_GET_A_LOCAL4,
					nvgre_pa4(&v->src)));
	case NVGRE_GET_FLOOD:
		return nla_put_u32(skb, NVGRE_GET_A_VSID, v->vsid) ||
		       (v->v4 && nvgre_pa4(&v->src) &&
			nla_put_in_addr(skb, NVGRE_GET_A_LOCAL4,
					nvgre_pa4(&v->src))) ||
		       (v->has_src6 && !ipv6_addr_any(&v->src6) &&
			nla_put_in6_addr(skb, NVGRE_GET_A_LOCAL6, &v->src6));
	}
	return 0;
}

static int nvgre_nl_put_get(struct sk_buff *skb, const void *obj)
{
	const struct nvgre_get_reply *r = obj;
	const struct nvgre_verdict *v = r->v;
	struct nvgre_dev *nv = r->nv;
	struct nlattr *nest;
	u16 ctr;

	if (nla_put_u32(skb, NVGRE_A_VSID, nv->vsid) ||
	    nla_put_u32(skb, NVGRE_A_IFINDEX, nv->dev->ifindex) ||
	    nla_put_string(skb, NVGRE_A_IFNAME, nv->dev->name))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, NVGRE_A_GET);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, NVGRE_GET_A_DIR, r->q->dir) ||
	    nla_put(skb, NVGRE_GET_A_SRC_MAC, ETH_ALEN, r->q->smac))
		return -EMSGSIZE;
	if (v->outcome == NVGRE_GET_FLOOD && nvgre_get_put_flood(skb, r))
		return -EMSGSIZE;
	ctr = nvgre_ctr_attr(v->ctr);
	if (nla_put_u8(skb, NVGRE_GET_A_OUTCOME, v->outcome) ||
	    (ctr && nla_put_u16(skb, NVGRE_GET_A_COUNTER, ctr)) ||
	    nvgre_get_put_where(skb, r))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The source MAC, if not given: that of the source CA's record, as the VM
 * that has the CA sends from it. Needs rcu_read_lock().
 */
static bool nvgre_get_smac(struct nvgre_net *nn, u32 vsid,
			   struct nvgre_get_query *q)
{
	const struct nvgre_lookup *rec;

	if (q->has_smac)
		return true;
	rec = q->has_src ? nvgre_lookup_find(nn, vsid, &q->src) : NULL;
	if (!rec)
		return false;
	ether_addr_copy(q->smac, rec->mac);
	return true;
}

/* A frame's verdict and its reply, under RCU: records go at any time. */
static int nvgre_get_answer(struct genl_info *info, struct nvgre_net *nn,
			    struct nvgre_get_query *q, struct sk_buff *msg)
{
	u32 vsid = nla_get_u32(info->attrs[NVGRE_A_VSID]);
	struct nvgre_verdict v = {};
	struct nvgre_get_reply r = { .q = q, .v = &v };
	unsigned int rt_type = RTN_UNSPEC;
	int err;

	r.nv = nvgre_get_dev(info, nn, vsid);
	if (IS_ERR(r.nv))
		return PTR_ERR(r.nv);
	if (!nvgre_get_smac(nn, vsid, q)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NVGRE_A_GET],
				    "No source MAC: give one, or a source CA that has a record");
		return -EINVAL;
	}
	if (q->dir == NVGRE_GET_DIR_IN) {
		err = nvgre_get_outer_dst(info, r.nv, q, &rt_type);
		if (err)
			return err;
		nvgre_get_in(r.nv, nn, q, rt_type, &v);
	} else {
		nvgre_get_out(r.nv, nn, q, &v);
		if (v.outcome == NVGRE_GET_SEND ||
		    v.outcome == NVGRE_GET_GATEWAY ||
		    v.outcome == NVGRE_GET_ROUTED)
			nvgre_get_underlay(r.nv, &v, &r.underlay);
	}
	return nvgre_nl_fill(msg, info->snd_portid, info->snd_seq, 0,
			     NVGRE_CMD_GET, NULL, nvgre_nl_put_get, &r);
}

int nvgre_nl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nvgre_net *nn = nvgre_pernet(genl_info_net(info));
	struct nvgre_get_query q = {};
	struct sk_buff *msg;
	size_t size;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, NVGRE_A_VSID)) {
		NL_SET_ERR_MSG(info->extack, "VSID is required");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, NVGRE_A_GET)) {
		NL_SET_ERR_MSG(info->extack,
			       "The frame (NVGRE_A_GET) is required");
		return -EINVAL;
	}
	err = nvgre_get_parse(info, &q);
	if (err)
		return err;
	/* A flood lists up to NVGRE_FLOOD_MAX_COPIES PAs. */
	size = NLMSG_GOODSIZE + NVGRE_FLOOD_MAX_COPIES *
				nla_total_size(sizeof(struct in6_addr));
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	err = nvgre_get_answer(info, nn, &q, msg);
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}
