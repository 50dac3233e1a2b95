// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink handlers of the provider addresses: PA_ADD, PA_DEL, PA_GET
 * (a dump) and their notifications.
 */

#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "nvgre.h"

/* Fills @addr with the PA4 or PA6 of a PA or record command. */
int nvgre_nl_parse_pa(struct genl_info *info, struct in6_addr *addr)
{
	struct nlattr *a4 = info->attrs[NVGRE_A_PA4];
	struct nlattr *a6 = info->attrs[NVGRE_A_PA6];

	if (!a4 == !a6) {
		NL_SET_ERR_MSG(info->extack,
			       "Exactly one PA (IPv4 or IPv6) is required");
		return -EINVAL;
	}
	if (nvgre_nl_get_unicast(a4, a6, addr, true))
		return 0;
	if (a4)
		NL_SET_ERR_MSG_ATTR(info->extack, a4,
				    "PA must be a unicast IPv4 address");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, a6,
				    "PA must be a global unicast IPv6 address");
	return -EINVAL;
}

/**
 * struct nvgre_nl_pa - a PA and its underlay device, for nvgre_nl_put_pa()
 * @net: the namespace of the device
 * @addr: the PA
 * @ifindex: the device
 */
struct nvgre_nl_pa {
	struct net *net;
	const struct in6_addr *addr;
	int ifindex;
};

/* Under RTNL, which keeps the device's name stable. */
static int nvgre_nl_put_pa(struct sk_buff *skb, const void *obj)
{
	const struct nvgre_nl_pa *p = obj;
	struct net_device *dev = __dev_get_by_index(p->net, p->ifindex);

	if (nvgre_nl_put_addr(skb, NVGRE_A_PA4, NVGRE_A_PA6, p->addr) ||
	    nla_put_u32(skb, NVGRE_A_IFINDEX, p->ifindex) ||
	    (dev && nla_put_string(skb, NVGRE_A_IFNAME, dev->name)))
		return -EMSGSIZE;
	return 0;
}

/* Under RTNL: PA_ADD and PA_DEL, also from pa.c. */
void nvgre_nl_notify_pa(struct net *net, u8 cmd, const struct in6_addr *addr,
			int ifindex)
{
	struct nvgre_nl_pa p = { .net = net, .addr = addr, .ifindex = ifindex };
	size_t size;

	size = nla_total_size(sizeof(struct in6_addr)) +	/* NVGRE_A_PA6 */
	       nla_total_size(sizeof(u32)) +		/* NVGRE_A_IFINDEX */
	       nla_total_size(IFNAMSIZ);		/* NVGRE_A_IFNAME */
	nvgre_nl_notify(net, cmd, size, nvgre_nl_put_pa, &p);
}

int nvgre_nl_pa_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct in6_addr addr;
	int ifindex, err;

	err = nvgre_nl_parse_pa(info, &addr);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, NVGRE_A_IFINDEX)) {
		NL_SET_ERR_MSG(info->extack, "Device ifindex is required");
		return -EINVAL;
	}
	ifindex = nla_get_u32(info->attrs[NVGRE_A_IFINDEX]);

	rtnl_lock();
	err = nvgre_pa_add(net, &addr, ifindex, info->extack);
	if (!err)
		nvgre_nl_notify_pa(net, NVGRE_CMD_PA_ADD, &addr, ifindex);
	rtnl_unlock();
	return err;
}

int nvgre_nl_pa_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct in6_addr addr;
	int ifindex, err;

	err = nvgre_nl_parse_pa(info, &addr);
	if (err)
		return err;

	rtnl_lock();
	err = nvgre_pa_del(net, &addr, &ifindex);
	if (!err)
		nvgre_nl_notify_pa(net, NVGRE_CMD_PA_DEL, &addr, ifindex);
	rtnl_unlock();
	if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "No such PA in this namespace");
	return err;
}

/**
 * struct nvgre_pa_dump - where a PA dump stopped, in netlink_callback.ctx
 * @bucket: the bucket of the PA table to go on with
 * @after: the PA of @bucket last dumped, :: for none
 */
struct nvgre_pa_dump {
	unsigned long bucket;
	struct in6_addr after;
};

static int nvgre_nl_pa_dump_one(const struct nvgre_pa *pa, void *arg)
{
	struct nvgre_dump_msg *m = arg;
	struct nvgre_nl_pa p = {
		.net = sock_net(m->cb->skb->sk),
		.addr = &pa->addr,
		.ifindex = pa->ifindex,
	};

	return nvgre_nl_dump_fill(m->skb, m->cb, NVGRE_CMD_PA_GET,
				  nvgre_nl_put_pa, &p);
}

/*
 * Resumes after the PA dumped last. RTNL keeps the PAs still during one
 * call (the namespace has at most net.nvgre.max_pas); cb->seq carries
 * their generation, so that a change between calls marks the next message
 * NLM_F_DUMP_INTR.
 */
int nvgre_nl_pa_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nvgre_pa_dump *d = (struct nvgre_pa_dump *)cb->ctx;
	struct nvgre_net *nn = nvgre_pernet(sock_net(cb->skb->sk));
	struct nvgre_dump_msg m = { .skb = skb, .cb = cb };
	int err;

	BUILD_BUG_ON(sizeof(*d) > sizeof(cb->ctx));
	rtnl_lock();
	cb->seq = nn->pas_gen + 1;
	err = nvgre_pa_walk(nn, &d->bucket, &d->after, nvgre_nl_pa_dump_one,
			    &m);
	rtnl_unlock();
	return nvgre_nl_dump_ret(skb, err);
}
