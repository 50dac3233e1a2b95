// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink handlers of the nvgre devices: LINK_GET (one or a dump),
 * NS_STATS_GET, and the LINK_NEW / LINK_DEL notifications.
 */

#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "nvgre.h"

/* Under RTNL, which keeps the device's name and addresses still. */
static int nvgre_nl_put_link(struct sk_buff *skb, const void *obj)
{
	const struct nvgre_dev *nv = obj;

	if (nla_put_u32(skb, NVGRE_A_IFINDEX, nv->dev->ifindex) ||
	    nla_put_string(skb, NVGRE_A_IFNAME, nv->dev->name) ||
	    nla_put_u32(skb, NVGRE_A_VSID, nv->vsid) ||
	    (nv->local && nla_put_in_addr(skb, NVGRE_A_LOCAL4, nv->local)) ||
	    (!ipv6_addr_any(&nv->local6) &&
	     nla_put_in6_addr(skb, NVGRE_A_LOCAL6, &nv->local6)) ||
	    nla_put_u32(skb, NVGRE_A_RDID, nv->rdid) ||
	    nla_put_u8(skb, NVGRE_A_TTL, nv->ttl) ||
	    nla_put_u8(skb, NVGRE_A_TOS, nv->tos) ||
	    (nv->group && nla_put_in_addr(skb, NVGRE_A_GROUP4, nv->group)))
		return -EMSGSIZE;
	return 0;
}

/* LINK_GET says the counters too; the notifications do not. */
static int nvgre_nl_put_link_stats(struct sk_buff *skb, const void *obj)
{
	struct nvgre_dev *nv = (struct nvgre_dev *)obj;

	if (nvgre_nl_put_link(skb, nv) || nvgre_dev_fill_stats(skb, nv))
		return -EMSGSIZE;
	return 0;
}

int nvgre_nl_link_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *ifindex = info->attrs[NVGRE_A_IFINDEX];
	struct net *net = genl_info_net(info);
	struct net_device *dev;
	struct nvgre_dev *nv;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, NVGRE_A_IFINDEX)) {
		NL_SET_ERR_MSG(info->extack, "Device ifindex is required");
		return -EINVAL;
	}

	rtnl_lock();
	dev = __dev_get_by_index(net, nla_get_u32(ifindex));
	nv = dev ? nvgre_dev_from_netdev(dev) : NULL;
	if (nv)
		err = nvgre_nl_reply(info, NVGRE_CMD_LINK_GET,
				     nvgre_nl_put_link_stats, nv);
	rtnl_unlock();
	if (nv)
		return err;
	if (dev)
		NL_SET_ERR_MSG_ATTR(info->extack, ifindex,
				    "Not an nvgre device");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, ifindex, "No such device");
	return -ENODEV;
}

/* cb->args[0]: devices already dumped. */
int nvgre_nl_link_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(cb->skb->sk);
	struct net_device *dev;
	struct nvgre_dev *nv;
	long idx = 0;

	rtnl_lock();
	for_each_netdev(net, dev) {
		nv = nvgre_dev_from_netdev(dev);
		if (!nv || idx++ < cb->args[0])
			continue;
		if (nvgre_nl_dump_fill(skb, cb, NVGRE_CMD_LINK_GET,
				       nvgre_nl_put_link_stats, nv)) {
			idx--;
			break;
		}
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return skb->len;
}

/* Under RTNL, from newlink and dellink. */
void nvgre_nl_notify_link(struct nvgre_dev *nv, u8 cmd)
{
	size_t size;

	size = nla_total_size(sizeof(u32)) +	/* NVGRE_A_IFINDEX */
	       nla_total_size(IFNAMSIZ) +	/* NVGRE_A_IFNAME */
	       nla_total_size(sizeof(u32)) +	/* NVGRE_A_VSID */
	       nla_total_size(sizeof(__be32)) +	/* NVGRE_A_LOCAL4 */
	       nla_total_size(sizeof(struct in6_addr)) + /* NVGRE_A_LOCAL6 */
	       nla_total_size(sizeof(u32)) +	/* NVGRE_A_RDID */
	       nla_total_size(sizeof(u8)) +	/* NVGRE_A_TTL */
	       nla_total_size(sizeof(u8)) +	/* NVGRE_A_TOS */
	       nla_total_size(sizeof(__be32));	/* NVGRE_A_GROUP4 */
	nvgre_nl_notify(nv->net, cmd, size, nvgre_nl_put_link, nv);
}

static int nvgre_nl_put_ns_stats(struct sk_buff *skb, const void *obj)
{
	struct nvgre_net *nn = (struct nvgre_net *)obj;
	struct nlattr *nest;

	nest = nla_nest_start(skb, NVGRE_A_STATS);
	if (!nest ||
	    nla_put_u64_64bit(skb, NVGRE_STATS_RX_UNKNOWN_VSID,
			      nvgre_net_rx_unknown_vsid(nn),
			      NVGRE_STATS_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int nvgre_nl_ns_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	return nvgre_nl_reply(info, NVGRE_CMD_NS_STATS_GET,
			      nvgre_nl_put_ns_stats,
			      nvgre_pernet(genl_info_net(info)));
}
