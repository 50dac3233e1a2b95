// SPDX-License-Identifier: GPL-2.0
/*
 * The "nvgre" generic netlink family: its operations and their policies,
 * the multicast groups, and what every object's handlers share (message
 * building, addresses, notifications). The handlers of each object are in
 * that object's *_nl.c. Every write needs CAP_NET_ADMIN in the
 * namespace's user namespace; reading records does too, as they describe
 * tenants.
 */

#include <net/genetlink.h>
#include <net/ipv6.h>

#include "nvgre.h"

static struct genl_family nvgre_genl_family;

/*
 * One policy per operation, each accepting exactly the attributes of its
 * request (docs/netlink/nvgre.yaml lists them; scripts/check-spec.py
 * compares): the strict validation of the genetlink core refuses any other
 * as an "Unsupported attribute". All share the flat attribute space, so
 * each entry is written the same wherever it appears.
 */
#define NVGRE_NL_VSID	NLA_POLICY_FULL_RANGE(NLA_U32, &nvgre_vsid_range)
#define NVGRE_NL_IN4	{ .type = NLA_BE32 }
#define NVGRE_NL_IN6	NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr))
#define NVGRE_NL_ID	NLA_POLICY_MIN(NLA_U32, 1)
#define NVGRE_NL_PLEN	NLA_POLICY_MAX(NLA_U8, 128)

const struct nla_policy nvgre_nl_lookup_set_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_VSID]		= NVGRE_NL_VSID,
	[NVGRE_A_CA4]		= NVGRE_NL_IN4,
	[NVGRE_A_CA6]		= NVGRE_NL_IN6,
	[NVGRE_A_PA4]		= NVGRE_NL_IN4,
	[NVGRE_A_PA6]		= NVGRE_NL_IN6,
	[NVGRE_A_MAC]		= NLA_POLICY_ETH_ADDR,
	[NVGRE_A_TYPE]		= NLA_POLICY_MAX(NLA_U8, NVGRE_LOOKUP_MAX),
	[NVGRE_A_LOOKUP]	= { .type = NLA_NESTED },
	[NVGRE_A_PROTO]		= { .type = NLA_U8 },
};

static const struct nla_policy nvgre_nl_lookup_del_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_VSID]		= NVGRE_NL_VSID,
	[NVGRE_A_CA4]		= NVGRE_NL_IN4,
	[NVGRE_A_CA6]		= NVGRE_NL_IN6,
	[NVGRE_A_MAC]		= NLA_POLICY_ETH_ADDR,
	[NVGRE_A_TYPE]		= NLA_POLICY_MAX(NLA_U8, NVGRE_LOOKUP_MAX),
	[NVGRE_A_LOOKUP]	= { .type = NLA_NESTED },
	[NVGRE_A_PROTO]		= { .type = NLA_U8 },
};

static const struct nla_policy nvgre_nl_lookup_get_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_VSID]		= NVGRE_NL_VSID,
	[NVGRE_A_CA4]		= NVGRE_NL_IN4,
	[NVGRE_A_CA6]		= NVGRE_NL_IN6,
	[NVGRE_A_MAC]		= NLA_POLICY_ETH_ADDR,
	[NVGRE_A_TYPE]		= NLA_POLICY_MAX(NLA_U8, NVGRE_LOOKUP_MAX),
};

/* LOOKUP_FLUSH and the VSID filter of SUBNET_GET. */
static const struct nla_policy nvgre_nl_vsid_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_VSID]		= NVGRE_NL_VSID,
};

static const struct nla_policy nvgre_nl_link_get_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_IFINDEX]	= NVGRE_NL_ID,
};

/* NS_STATS_GET and PA_GET take no attribute. */
static const struct nla_policy nvgre_nl_none_policy[NVGRE_A_MAX + 1] = {
};

static const struct nla_policy nvgre_nl_pa_add_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_PA4]		= NVGRE_NL_IN4,
	[NVGRE_A_PA6]		= NVGRE_NL_IN6,
	[NVGRE_A_IFINDEX]	= NVGRE_NL_ID,
};

static const struct nla_policy nvgre_nl_pa_del_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_PA4]		= NVGRE_NL_IN4,
	[NVGRE_A_PA6]		= NVGRE_NL_IN6,
};

static const struct nla_policy nvgre_nl_subnet_add_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_VSID]		= NVGRE_NL_VSID,
	[NVGRE_A_CA4]		= NVGRE_NL_IN4,
	[NVGRE_A_CA6]		= NVGRE_NL_IN6,
	[NVGRE_A_PREFIX_LEN]	= NVGRE_NL_PLEN,
	[NVGRE_A_RDID]		= NVGRE_NL_ID,
	[NVGRE_A_GW4]		= NVGRE_NL_IN4,
	[NVGRE_A_GW6]		= NVGRE_NL_IN6,
};

static const struct nla_policy nvgre_nl_subnet_del_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_VSID]		= NVGRE_NL_VSID,
	[NVGRE_A_CA4]		= NVGRE_NL_IN4,
	[NVGRE_A_CA6]		= NVGRE_NL_IN6,
	[NVGRE_A_PREFIX_LEN]	= NVGRE_NL_PLEN,
};

static const struct nla_policy nvgre_nl_route_add_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_RDID]		= NVGRE_NL_ID,
	[NVGRE_A_CA4]		= NVGRE_NL_IN4,
	[NVGRE_A_CA6]		= NVGRE_NL_IN6,
	[NVGRE_A_PREFIX_LEN]	= NVGRE_NL_PLEN,
	[NVGRE_A_METRIC]	= { .type = NLA_U32 },
	[NVGRE_A_VSID]		= NVGRE_NL_VSID,
	[NVGRE_A_NEXTHOP4]	= NVGRE_NL_IN4,
	[NVGRE_A_NEXTHOP6]	= NVGRE_NL_IN6,
};

static const struct nla_policy nvgre_nl_route_del_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_RDID]		= NVGRE_NL_ID,
	[NVGRE_A_CA4]		= NVGRE_NL_IN4,
	[NVGRE_A_CA6]		= NVGRE_NL_IN6,
	[NVGRE_A_PREFIX_LEN]	= NVGRE_NL_PLEN,
	[NVGRE_A_METRIC]	= { .type = NLA_U32 },
};

static const struct nla_policy nvgre_nl_route_get_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_RDID]		= NVGRE_NL_ID,
};

/* GET: the frame is in the NVGRE_A_GET nest (get.c). */
static const struct nla_policy nvgre_nl_get_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_VSID]		= NVGRE_NL_VSID,
	[NVGRE_A_IFINDEX]	= NVGRE_NL_ID,
	[NVGRE_A_GET]		= NLA_POLICY_NESTED(nvgre_nl_get_frame_policy),
};

/* Indexes in nvgre_mcgrps. */
enum {
	NVGRE_MCGRP_EVENTS_IDX,
	NVGRE_MCGRP_MISSES_IDX,
};

/**
 * nvgre_nl_fill - one message of the family: header, then @put's attributes
 * @skb: the message buffer
 * @portid: the receiver, 0 for a notification
 * @seq: the request's sequence number, 0 for a notification
 * @flags: NLM_F_MULTI in a dump
 * @cmd: the command the message carries
 * @cb: the dump, for its consistency mark; NULL outside dumps
 * @put: puts the object's attributes, -EMSGSIZE when they do not fit
 * @obj: the object, for @put
 *
 * Return: 0, or -EMSGSIZE with @skb as it was.
 */
int nvgre_nl_fill(struct sk_buff *skb, u32 portid, u32 seq, int flags, u8 cmd,
		  struct netlink_callback *cb,
		  int (*put)(struct sk_buff *skb, const void *obj),
		  const void *obj)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nvgre_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (put(skb, obj)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* One message of the dump @cb into @skb. */
int nvgre_nl_dump_fill(struct sk_buff *skb, struct netlink_callback *cb,
		       u8 cmd, int (*put)(struct sk_buff *skb, const void *obj),
		       const void *obj)
{
	return nvgre_nl_fill(skb, NETLINK_CB(cb->skb).portid,
			     cb->nlh->nlmsg_seq, NLM_F_MULTI, cmd, cb, put, obj);
}

/*
 * What a dumpit returns after a walk that ended with @err: a full message
 * that holds something is sent and the walk goes on in the next call.
 */
int nvgre_nl_dump_ret(struct sk_buff *skb, int err)
{
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* A reply of @cmd to the request @info with @obj, as @put describes it. */
int nvgre_nl_reply(struct genl_info *info, u8 cmd,
		   int (*put)(struct sk_buff *skb, const void *obj),
		   const void *obj)
{
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = nvgre_nl_fill(msg, info->snd_portid, info->snd_seq, 0, cmd, NULL,
			    put, obj);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int nvgre_nl_multicast(struct net *net, unsigned int group, u8 cmd,
			      size_t size, gfp_t gfp,
			      int (*put)(struct sk_buff *skb, const void *obj),
			      const void *obj)
{
	struct sk_buff *msg;
	int err;

	/* Nobody listens: not even the message is built. */
	if (!genl_has_listeners(&nvgre_genl_family, net, group))
		return 0;
	msg = genlmsg_new(size, gfp);
	if (!msg)
		return -ENOMEM;
	err = nvgre_nl_fill(msg, 0, 0, 0, cmd, NULL, put, obj);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_multicast_netns(&nvgre_genl_family, net, msg, 0, group, gfp);
	return 0;
}

/**
 * nvgre_nl_notify - multicast a change to the events group of @net
 * @net: the namespace of the change
 * @cmd: the command that made it
 * @size: the payload the message needs at most (nla_total_size() sums)
 * @put: puts the attributes of the object changed
 * @obj: the object, for @put
 *
 * Process context. A notification that cannot be built is not sent.
 */
void nvgre_nl_notify(struct net *net, u8 cmd, size_t size,
		     int (*put)(struct sk_buff *skb, const void *obj),
		     const void *obj)
{
	nvgre_nl_multicast(net, NVGRE_MCGRP_EVENTS_IDX, cmd, size, GFP_KERNEL,
			   put, obj);
}

/* Whether a socket of @net listens to the events group; any context. */
bool nvgre_nl_event_listeners(struct net *net)
{
	return genl_has_listeners(&nvgre_genl_family, net,
				  NVGRE_MCGRP_EVENTS_IDX);
}

/* Whether a socket of @net listens to the misses group; any context. */
bool nvgre_nl_miss_listeners(struct net *net)
{
	return genl_has_listeners(&nvgre_genl_family, net,
				  NVGRE_MCGRP_MISSES_IDX);
}

/* @t4 or @t6 with @addr, as its family (v4-mapped or not) says. */
int nvgre_nl_put_addr(struct sk_buff *skb, int t4, int t6,
		      const struct in6_addr *addr)
{
	if (ipv6_addr_v4mapped(addr))
		return nla_put_in_addr(skb, t4, addr->s6_addr32[3]);
	return nla_put_in6_addr(skb, t6, addr);
}

/**
 * nvgre_nl_get_unicast - read a unicast address from an IPv4 or IPv6 attribute
 * @a4: the IPv4 attribute, or NULL
 * @a6: the IPv6 attribute, used when @a4 is NULL
 * @addr: gets the address, IPv4 v4-mapped
 * @global: refuse IPv6 link-local addresses too
 *
 * Return: whether @addr is unicast: neither unspecified, multicast,
 * broadcast nor loopback, and no v4-mapped address in @a6.
 */
bool nvgre_nl_get_unicast(const struct nlattr *a4, const struct nlattr *a6,
			  struct in6_addr *addr, bool global)
{
	__be32 v4;

	if (a4) {
		v4 = nla_get_in_addr(a4);
		ipv6_addr_set_v4mapped(v4, addr);
		return !(ipv4_is_zeronet(v4) || ipv4_is_multicast(v4) ||
			 ipv4_is_lbcast(v4) || ipv4_is_loopback(v4));
	}
	*addr = nla_get_in6_addr(a6);
	return !(ipv6_addr_any(addr) || ipv6_addr_is_multicast(addr) ||
		 ipv6_addr_loopback(addr) || ipv6_addr_v4mapped(addr) ||
		 (global && ipv6_addr_type(addr) & IPV6_ADDR_LINKLOCAL));
}

/* A miss and its device, for nvgre_nl_put_miss(). */
struct nvgre_nl_miss {
	const struct nvgre_dev *nv;
	const struct nvgre_miss *m;
};

static int nvgre_nl_put_miss(struct sk_buff *skb, const void *obj)
{
	const struct nvgre_nl_miss *e = obj;
	const struct nvgre_miss *m = e->m;

	if (nla_put_u32(skb, NVGRE_A_IFINDEX, e->nv->dev->ifindex) ||
	    nla_put_u32(skb, NVGRE_A_VSID, e->nv->vsid) ||
	    nla_put_u32(skb, NVGRE_A_MISS_REASON, m->reason))
		return -EMSGSIZE;
	if (m->mac && nla_put(skb, NVGRE_A_MAC, ETH_ALEN, m->mac))
		return -EMSGSIZE;
	if (m->has_ca &&
	    nvgre_nl_put_addr(skb, NVGRE_A_CA4, NVGRE_A_CA6, &m->ca))
		return -EMSGSIZE;
	if (!ipv6_addr_any(&m->pa) &&
	    nvgre_nl_put_addr(skb, NVGRE_A_PA4, NVGRE_A_PA6, &m->pa))
		return -EMSGSIZE;
	return 0;
}

/*
 * Multicasts a miss of @nv to the misses group of its namespace. From the
 * datapath: atomic allocation. 0 once multicast, else the error.
 */
int nvgre_nl_notify_miss(struct nvgre_dev *nv, const struct nvgre_miss *m)
{
	struct nvgre_nl_miss e = { .nv = nv, .m = m };
	size_t size;

	size = nla_total_size(sizeof(u32)) +		/* NVGRE_A_IFINDEX */
	       nla_total_size(sizeof(u32)) +		/* NVGRE_A_VSID */
	       nla_total_size(sizeof(u32)) +		/* NVGRE_A_MISS_REASON */
	       nla_total_size(ETH_ALEN) +		/* NVGRE_A_MAC */
	       nla_total_size(sizeof(struct in6_addr)) + /* NVGRE_A_CA6 */
	       nla_total_size(sizeof(struct in6_addr)); /* NVGRE_A_PA6 */
	return nvgre_nl_multicast(nv->net, NVGRE_MCGRP_MISSES_IDX,
				  NVGRE_CMD_MISS, size, GFP_ATOMIC,
				  nvgre_nl_put_miss, &e);
}

#define NVGRE_NL_OP(c, p, f)		\
	.cmd = NVGRE_CMD_##c,		\
	.policy = p,			\
	.maxattr = NVGRE_A_MAX,		\
	.flags = f

static const struct genl_ops nvgre_genl_ops[] = {
	{
		NVGRE_NL_OP(LOOKUP_ADD, nvgre_nl_lookup_set_policy,
			    GENL_UNS_ADMIN_PERM),
		.doit = nvgre_nl_lookup_add,
	},
	{
		NVGRE_NL_OP(LOOKUP_REPLACE, nvgre_nl_lookup_set_policy,
			    GENL_UNS_ADMIN_PERM),
		.doit = nvgre_nl_lookup_replace,
	},
	{
		NVGRE_NL_OP(LOOKUP_DEL, nvgre_nl_lookup_del_policy,
			    GENL_UNS_ADMIN_PERM),
		.doit = nvgre_nl_lookup_del,
	},
	{
		NVGRE_NL_OP(LOOKUP_GET, nvgre_nl_lookup_get_policy,
			    GENL_UNS_ADMIN_PERM),
		.doit = nvgre_nl_lookup_get,
		.start = nvgre_nl_lookup_dump_start,
		.dumpit = nvgre_nl_lookup_dump,
		.done = nvgre_nl_lookup_dump_done,
	},
	{
		NVGRE_NL_OP(LOOKUP_FLUSH, nvgre_nl_vsid_policy,
			    GENL_UNS_ADMIN_PERM),
		.doit = nvgre_nl_lookup_flush,
	},
	{
		NVGRE_NL_OP(LINK_GET, nvgre_nl_link_get_policy, 0),
		.doit = nvgre_nl_link_get,
		.dumpit = nvgre_nl_link_dump,
	},
	{
		NVGRE_NL_OP(NS_STATS_GET, nvgre_nl_none_policy, 0),
		.doit = nvgre_nl_ns_stats_get,
	},
	{
		NVGRE_NL_OP(PA_ADD, nvgre_nl_pa_add_policy,
			    GENL_UNS_ADMIN_PERM),
		.doit = nvgre_nl_pa_add,
	},
	{
		NVGRE_NL_OP(PA_DEL, nvgre_nl_pa_del_policy,
			    GENL_UNS_ADMIN_PERM),
		.doit = nvgre_nl_pa_del,
	},
	{
		NVGRE_NL_OP(PA_GET, nvgre_nl_none_policy, GENL_UNS_ADMIN_PERM),
		.dumpit = nvgre_nl_pa_dump,
	},
	{
		NVGRE_NL_OP(SUBNET_ADD, nvgre_nl_subnet_add_policy,
			    GENL_UNS_ADMIN_PERM),
		.doit = nvgre_nl_subnet_add,
	},
	{
		NVGRE_NL_OP(SUBNET_DEL, nvgre_nl_subnet_del_policy,
			    GENL_UNS_ADMIN_PERM),
		.doit = nvgre_nl_subnet_del,
	},
	{
		NVGRE_NL_OP(SUBNET_GET, nvgre_nl_vsid_policy,
			    GENL_UNS_ADMIN_PERM),
		.start = nvgre_nl_subnet_dump_start,
		.dumpit = nvgre_nl_subnet_dump,
	},
	{
		NVGRE_NL_OP(ROUTE_ADD, nvgre_nl_route_add_policy,
			    GENL_UNS_ADMIN_PERM),
		.doit = nvgre_nl_route_add,
	},
	{
		NVGRE_NL_OP(ROUTE_DEL, nvgre_nl_route_del_policy,
			    GENL_UNS_ADMIN_PERM),
		.doit = nvgre_nl_route_del,
	},
	{
		NVGRE_NL_OP(ROUTE_GET, nvgre_nl_route_get_policy,
			    GENL_UNS_ADMIN_PERM),
		.start = nvgre_nl_route_dump_start,
		.dumpit = nvgre_nl_route_dump,
		.done = nvgre_nl_route_dump_done,
	},
	{
		NVGRE_NL_OP(GET, nvgre_nl_get_policy, GENL_UNS_ADMIN_PERM),
		.doit = nvgre_nl_get,
	},
};

/*
 * Events and misses describe tenants: listening needs CAP_NET_ADMIN, as
 * reading does.
 */
static const struct genl_multicast_group nvgre_mcgrps[] = {
	[NVGRE_MCGRP_EVENTS_IDX] = {
		.name = NVGRE_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
	[NVGRE_MCGRP_MISSES_IDX] = {
		.name = NVGRE_MCGRP_MISSES,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family nvgre_genl_family __ro_after_init = {
	.name = NVGRE_GENL_NAME,
	.version = NVGRE_GENL_VERSION,
	.maxattr = NVGRE_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = nvgre_genl_ops,
	.n_ops = ARRAY_SIZE(nvgre_genl_ops),
	.mcgrps = nvgre_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nvgre_mcgrps),
};

int __init nvgre_genl_init(void)
{
	return genl_register_family(&nvgre_genl_family);
}

void nvgre_genl_uninit(void)
{
	genl_unregister_family(&nvgre_genl_family);
}
