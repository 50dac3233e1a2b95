// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink handlers of the subnets: SUBNET_ADD, SUBNET_DEL,
 * SUBNET_GET (a dump) and their notifications; and the prefix that
 * subnets and routes both carry.
 */

#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "nvgre.h"

/* Fills @sn's prefix and length from CA4 or CA6 and PREFIX_LEN. */
int nvgre_nl_parse_prefix(struct genl_info *info, struct nvgre_subnet *sn)
{
	struct nlattr *a4 = info->attrs[NVGRE_A_CA4];
	struct nlattr *a6 = info->attrs[NVGRE_A_CA6];
	struct netlink_ext_ack *extack = info->extack;
	struct in6_addr masked;
	u8 plen;

	if (!a4 == !a6) {
		NL_SET_ERR_MSG(extack,
			       "Exactly one prefix (IPv4 or IPv6) is required");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, NVGRE_A_PREFIX_LEN)) {
		NL_SET_ERR_MSG(extack, "Prefix length is required");
		return -EINVAL;
	}
	memset(sn, 0, sizeof(*sn));
	plen = nla_get_u8(info->attrs[NVGRE_A_PREFIX_LEN]);
	if (a4) {
		if (plen > 32) {
			NL_SET_ERR_MSG_ATTR(extack,
					    info->attrs[NVGRE_A_PREFIX_LEN],
					    "IPv4 prefix length is at most 32");
			return -EINVAL;
		}
		ipv6_addr_set_v4mapped(nla_get_in_addr(a4), &sn->prefix);
		sn->plen = 96 + plen;
	} else {
		sn->prefix = nla_get_in6_addr(a6);
		sn->plen = plen;
		if (ipv6_addr_v4mapped(&sn->prefix)) {
			NL_SET_ERR_MSG_ATTR(extack, a6,
					    "IPv4 prefixes go in CA4");
			return -EINVAL;
		}
	}
	ipv6_addr_prefix(&masked, &sn->prefix, sn->plen);
	if (!ipv6_addr_equal(&masked, &sn->prefix)) {
		NL_SET_ERR_MSG_ATTR(extack, a4 ?: a6,
				    "Prefix has host bits set");
		return -EINVAL;
	}
	return 0;
}

/* The gateway of SUBNET_ADD: GW4 or GW6, else the prefix's first address. */
static int nvgre_nl_parse_gateway(struct genl_info *info,
				  struct nvgre_subnet *sn)
{
	struct nlattr *gw4 = info->attrs[NVGRE_A_GW4];
	struct nlattr *gw6 = info->attrs[NVGRE_A_GW6];
	struct nlattr *a4 = info->attrs[NVGRE_A_CA4];
	struct nlattr *a6 = info->attrs[NVGRE_A_CA6];
	struct netlink_ext_ack *extack = info->extack;

	if ((gw4 && !a4) || (gw6 && !a6)) {
		NL_SET_ERR_MSG_ATTR(extack, gw4 ?: gw6,
				    "Gateway and prefix must be of one family");
		return -EINVAL;
	}
	if (gw4) {
		ipv6_addr_set_v4mapped(nla_get_in_addr(gw4), &sn->gw);
	} else if (gw6) {
		sn->gw = nla_get_in6_addr(gw6);
	} else {
		if (sn->plen >= 127) {
			NL_SET_ERR_MSG(extack,
				       "Prefix too long for a default gateway: give one");
			return -EINVAL;
		}
		sn->gw = sn->prefix;
		sn->gw.s6_addr[15] |= 1;
	}
	if (!nvgre_prefix_match(&sn->prefix, sn->plen, &sn->gw) ||
	    (sn->plen < 127 && ipv6_addr_equal(&sn->gw, &sn->prefix)) ||
	    (a4 && ipv4_is_multicast(sn->gw.s6_addr32[3])) ||
	    (a6 && ipv6_addr_is_multicast(&sn->gw))) {
		NL_SET_ERR_MSG_ATTR(extack, gw4 ?: gw6,
				    "Gateway must be a unicast address in the prefix, not the prefix itself");
		return -EINVAL;
	}
	return 0;
}

/*
 * Fills @sn with VSID, prefix and gateway of a subnet command; the gateway
 * only for @add (default: the first address of the prefix).
 */
static int nvgre_nl_parse_subnet(struct genl_info *info,
				 struct nvgre_subnet *sn, bool add)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, NVGRE_A_VSID)) {
		NL_SET_ERR_MSG(info->extack, "VSID is required");
		return -EINVAL;
	}
	err = nvgre_nl_parse_prefix(info, sn);
	if (err)
		return err;
	sn->vsid = nla_get_u32(info->attrs[NVGRE_A_VSID]);
	if (!add)
		return 0;
	if (info->attrs[NVGRE_A_RDID])
		sn->rdid = nla_get_u32(info->attrs[NVGRE_A_RDID]);
	return nvgre_nl_parse_gateway(info, sn);
}

static int nvgre_nl_put_subnet(struct sk_buff *skb, const void *obj)
{
	const struct nvgre_subnet *sn = obj;
	bool v4 = ipv6_addr_v4mapped(&sn->prefix);
	u8 mac[ETH_ALEN];

	nvgre_gateway_mac(sn->rdid, mac);
	if (nla_put_u32(skb, NVGRE_A_VSID, sn->vsid) ||
	    nla_put_u32(skb, NVGRE_A_RDID, sn->rdid) ||
	    nvgre_nl_put_addr(skb, NVGRE_A_CA4, NVGRE_A_CA6, &sn->prefix) ||
	    /* A gateway is of its prefix's family, even a v4-mapped one. */
	    (v4 ? nla_put_in_addr(skb, NVGRE_A_GW4, sn->gw.s6_addr32[3]) :
		  nla_put_in6_addr(skb, NVGRE_A_GW6, &sn->gw)) ||
	    nla_put_u8(skb, NVGRE_A_PREFIX_LEN, v4 ? sn->plen - 96 : sn->plen) ||
	    nla_put(skb, NVGRE_A_GW_MAC, ETH_ALEN, mac))
		return -EMSGSIZE;
	return 0;
}

/* Under RTNL: SUBNET_ADD and SUBNET_DEL, also from subnet.c. */
void nvgre_nl_notify_subnet(struct net *net, u8 cmd,
			    const struct nvgre_subnet *sn)
{
	size_t size;

	size = 2 * nla_total_size(sizeof(u32)) +	/* VSID, RDID */
	       2 * nla_total_size(sizeof(struct in6_addr)) + /* CA6, GW6 */
	       nla_total_size(sizeof(u8)) +		/* PREFIX_LEN */
	       nla_total_size(ETH_ALEN);		/* GW_MAC */
	nvgre_nl_notify(net, cmd, size, nvgre_nl_put_subnet, sn);
}

int nvgre_nl_subnet_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nvgre_subnet tmpl, *sn;
	int err;

	err = nvgre_nl_parse_subnet(info, &tmpl, true);
	if (err)
		return err;
	rtnl_lock();
	sn = nvgre_subnet_add(net, &tmpl, info->extack);
	if (!IS_ERR(sn))
		nvgre_nl_notify_subnet(net, NVGRE_CMD_SUBNET_ADD, sn);
	rtnl_unlock();
	return PTR_ERR_OR_ZERO(sn);
}

int nvgre_nl_subnet_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nvgre_subnet key, gone;
	int err;

	err = nvgre_nl_parse_subnet(info, &key, false);
	if (err)
		return err;
	rtnl_lock();
	err = nvgre_subnet_del(net, key.vsid, &key.prefix, key.plen, &gone);
	if (!err)
		nvgre_nl_notify_subnet(net, NVGRE_CMD_SUBNET_DEL, &gone);
	rtnl_unlock();
	if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "No such prefix in this VSID");
	return err;
}

int nvgre_nl_subnet_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = compat_genl_dump_attrs(cb);

	cb->args[2] = attrs[NVGRE_A_VSID] ?
		      nla_get_u32(attrs[NVGRE_A_VSID]) : 0;
	return 0;
}

static int nvgre_nl_subnet_dump_one(const struct nvgre_subnet *sn, void *arg)
{
	struct nvgre_dump_msg *m = arg;

	return nvgre_nl_dump_fill(m->skb, m->cb, NVGRE_CMD_SUBNET_GET,
				  nvgre_nl_put_subnet, sn);
}

/*
 * cb->args[0]: the VSID to go on with, cb->args[1]: its subnets already
 * dumped, cb->args[2]: the VSID asked for, 0 for all. Under RCU, without
 * RTNL; cb->seq carries the generation of the subnets, read before and
 * after each call, so that a dump that may have missed or repeated a
 * subnet is marked NLM_F_DUMP_INTR.
 */
int nvgre_nl_subnet_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nvgre_net *nn = nvgre_pernet(sock_net(cb->skb->sk));
	struct nvgre_dump_msg m = { .skb = skb, .cb = cb };
	unsigned long vsid = cb->args[0];
	long skip = cb->args[1];
	int err;

	rcu_read_lock();
	cb->seq = nvgre_gen_read_begin(&nn->subnets_gen) + 1;
	err = nvgre_subnet_walk(nn, &vsid, &skip, cb->args[2],
				nvgre_nl_subnet_dump_one, &m);
	cb->seq = nvgre_gen_read_end(&nn->subnets_gen) + 1;
	rcu_read_unlock();
	cb->args[0] = vsid;
	cb->args[1] = skip;
	return nvgre_nl_dump_ret(skb, err);
}
