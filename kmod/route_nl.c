// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink handlers of the customer routes: ROUTE_ADD, ROUTE_DEL,
 * ROUTE_GET (a dump) and their notifications.
 */

#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "nvgre.h"

/* The next hop of ROUTE_ADD, if any: a unicast CA of the prefix's family. */
static int nvgre_nl_parse_nexthop(struct genl_info *info,
				  struct nvgre_croute *r)
{
	struct nlattr *n4 = info->attrs[NVGRE_A_NEXTHOP4];
	struct nlattr *n6 = info->attrs[NVGRE_A_NEXTHOP6];
	struct netlink_ext_ack *extack = info->extack;

	if (n4 && n6) {
		NL_SET_ERR_MSG(extack, "At most one next hop");
		return -EINVAL;
	}
	if (!n4 && !n6 && !r->vsid) {
		NL_SET_ERR_MSG(extack,
			       "A route needs a next hop or a VSID (on-link)");
		return -EINVAL;
	}
	if (!n4 && !n6)
		return 0;
	if (ipv6_addr_v4mapped(&r->key.prefix) != !!n4) {
		NL_SET_ERR_MSG_ATTR(extack, n4 ?: n6,
				    "Next hop and prefix must be of one family");
		return -EINVAL;
	}
	if (!nvgre_nl_get_unicast(n4, n6, &r->nh, false)) {
		NL_SET_ERR_MSG_ATTR(extack, n4 ?: n6,
				    "Next hop must be a unicast CA");
		return -EINVAL;
	}
	r->has_nh = true;
	return 0;
}

/* Fills @r's key (and for @add the rest) from a route command. */
static int nvgre_nl_parse_route(struct genl_info *info,
				struct nvgre_croute *r, bool add)
{
	struct nvgre_subnet sn;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, NVGRE_A_RDID)) {
		NL_SET_ERR_MSG(info->extack, "RDID is required");
		return -EINVAL;
	}
	err = nvgre_nl_parse_prefix(info, &sn);
	if (err)
		return err;
	memset(r, 0, sizeof(*r));
	r->key.rdid = nla_get_u32(info->attrs[NVGRE_A_RDID]);
	r->key.prefix = sn.prefix;
	r->key.plen = sn.plen;
	if (!add)
		return 0;

	if (info->attrs[NVGRE_A_METRIC])
		r->metric = nla_get_u32(info->attrs[NVGRE_A_METRIC]);
	if (info->attrs[NVGRE_A_VSID])
		r->vsid = nla_get_u32(info->attrs[NVGRE_A_VSID]);
	return nvgre_nl_parse_nexthop(info, r);
}

int nvgre_nl_put_route(struct sk_buff *skb, const void *obj)
{
	const struct nvgre_croute *r = obj;
	bool v4 = ipv6_addr_v4mapped(&r->key.prefix);

	if (nla_put_u32(skb, NVGRE_A_RDID, r->key.rdid) ||
	    nvgre_nl_put_addr(skb, NVGRE_A_CA4, NVGRE_A_CA6, &r->key.prefix) ||
	    nla_put_u8(skb, NVGRE_A_PREFIX_LEN,
		       v4 ? r->key.plen - 96 : r->key.plen) ||
	    nla_put_u32(skb, NVGRE_A_METRIC, r->metric) ||
	    (r->vsid && nla_put_u32(skb, NVGRE_A_VSID, r->vsid)) ||
	    (r->has_nh && nvgre_nl_put_addr(skb, NVGRE_A_NEXTHOP4,
					    NVGRE_A_NEXTHOP6, &r->nh)))
		return -EMSGSIZE;
	return 0;
}

/* Under RTNL: ROUTE_ADD and ROUTE_DEL. */
void nvgre_nl_notify_route(struct net *net, u8 cmd,
			   const struct nvgre_croute *r)
{
	size_t size;

	size = 3 * nla_total_size(sizeof(u32)) +	/* RDID, METRIC, VSID */
	       2 * nla_total_size(sizeof(struct in6_addr)) + /* CA6, NEXTHOP6 */
	       nla_total_size(sizeof(u8));		/* PREFIX_LEN */
	nvgre_nl_notify(net, cmd, size, nvgre_nl_put_route, r);
}

int nvgre_nl_route_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nvgre_net *nn = nvgre_pernet(net);
	struct nvgre_croute tmpl, *r;
	struct nvgre_dev *nv;
	u32 rdid;
	int err;

	err = nvgre_nl_parse_route(info, &tmpl, true);
	if (err)
		return err;
	rtnl_lock();
	if (tmpl.vsid) {
		nv = nvgre_dev_find(nn, tmpl.vsid);
		rdid = nvgre_subnet_vsid_rdid(nn, tmpl.vsid);
		if ((nv && nv->rdid != tmpl.key.rdid) ||
		    (rdid && rdid != tmpl.key.rdid)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[NVGRE_A_VSID],
					    "This VSID is in another routing domain");
			err = -EINVAL;
			goto out;
		}
	}
	r = nvgre_croute_add(nn, &tmpl, info->extack);
	if (IS_ERR(r)) {
		err = PTR_ERR(r);
		goto out;
	}
	nvgre_nl_notify_route(net, NVGRE_CMD_ROUTE_ADD, r);
out:
	rtnl_unlock();
	return err;
}

int nvgre_nl_route_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nvgre_croute key, gone;
	s64 metric = -1;
	int err;

	err = nvgre_nl_parse_route(info, &key, false);
	if (err)
		return err;
	if (info->attrs[NVGRE_A_METRIC])
		metric = nla_get_u32(info->attrs[NVGRE_A_METRIC]);
	rtnl_lock();
	err = nvgre_croute_del(nvgre_pernet(net), &key.key, metric, &gone);
	if (!err)
		nvgre_nl_notify_route(net, NVGRE_CMD_ROUTE_DEL, &gone);
	rtnl_unlock();
	if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack,
			       "No such route in this routing domain");
	return err;
}

/**
 * struct nvgre_route_dump - state of a route dump across dumpit calls
 * @c: position among the routes
 * @rdid: dump only this routing domain, or 0 for all
 * @skb: the message being filled, during a call
 * @cb: the dump, during a call
 */
struct nvgre_route_dump {
	struct nvgre_croute_cursor c;
	u32 rdid;
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int nvgre_nl_route_dump_one(const struct nvgre_croute *r, void *arg)
{
	struct nvgre_route_dump *d = arg;

	if (d->rdid && r->key.rdid != d->rdid)
		return 0;
	return nvgre_nl_dump_fill(d->skb, d->cb, NVGRE_CMD_ROUTE_GET,
				  nvgre_nl_put_route, r);
}

int nvgre_nl_route_dump_start(struct netlink_callback *cb)
{
	struct nvgre_net *nn = nvgre_pernet(sock_net(cb->skb->sk));
	struct nlattr **attrs = compat_genl_dump_attrs(cb);
	struct nvgre_route_dump *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return -ENOMEM;
	if (attrs[NVGRE_A_RDID])
		d->rdid = nla_get_u32(attrs[NVGRE_A_RDID]);
	nvgre_croute_walk_enter(nn, &d->c);
	cb->args[0] = (long)d;
	return 0;
}

int nvgre_nl_route_dump_done(struct netlink_callback *cb)
{
	struct nvgre_route_dump *d = (struct nvgre_route_dump *)cb->args[0];

	if (d) {
		nvgre_croute_walk_exit(&d->c);
		kfree(d);
	}
	return 0;
}

/*
 * Each call resumes with the route that did not fit, without RTNL. cb->seq
 * carries the generation of the routes, read before and after each call,
 * plus the resizes that restarted the walk: when it moves, the next
 * message (or NLMSG_DONE) is marked NLM_F_DUMP_INTR.
 */
int nvgre_nl_route_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nvgre_net *nn = nvgre_pernet(sock_net(cb->skb->sk));
	struct nvgre_route_dump *d = (struct nvgre_route_dump *)cb->args[0];
	int err;

	d->skb = skb;
	d->cb = cb;
	cb->seq = nvgre_gen_read_begin(&nn->routes_gen) + d->c.restarts + 1;
	err = nvgre_croute_walk(&d->c, nvgre_nl_route_dump_one, d);
	cb->seq = nvgre_gen_read_end(&nn->routes_gen) + d->c.restarts + 1;
	return nvgre_nl_dump_ret(skb, err);
}
