// SPDX-License-Identifier: GPL-2.0
/*
 * The "nvgre" generic netlink family: lookup records, device information
 * and counters. Every write needs CAP_NET_ADMIN in the namespace's user
 * namespace; reading records does too, as they describe tenants.
 */

#include <linux/nospec.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "nvgre.h"

static struct genl_family nvgre_genl_family;

static const struct nla_policy nvgre_genl_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_VSID]		= NLA_POLICY_FULL_RANGE(NLA_U32,
							&nvgre_vsid_range),
	[NVGRE_A_CA4]		= { .type = NLA_BE32 },
	[NVGRE_A_CA6]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NVGRE_A_PA4]		= { .type = NLA_BE32 },
	[NVGRE_A_MAC]		= NLA_POLICY_ETH_ADDR,
	[NVGRE_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[NVGRE_A_IFNAME]	= { .type = NLA_REJECT },
	[NVGRE_A_LOCAL4]	= { .type = NLA_REJECT },
	[NVGRE_A_RDID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[NVGRE_A_STATS]		= { .type = NLA_REJECT },
	[NVGRE_A_TTL]		= { .type = NLA_REJECT },
	[NVGRE_A_TOS]		= { .type = NLA_REJECT },
	[NVGRE_A_MISS_REASON]	= { .type = NLA_REJECT },
	[NVGRE_A_PA6]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NVGRE_A_LOOKUP]	= { .type = NLA_NESTED },
	[NVGRE_A_LOCAL6]	= { .type = NLA_REJECT },
	[NVGRE_A_PREFIX_LEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[NVGRE_A_GW4]		= { .type = NLA_BE32 },
	[NVGRE_A_GW6]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NVGRE_A_GW_MAC]	= { .type = NLA_REJECT },
	[NVGRE_A_NEXTHOP4]	= { .type = NLA_BE32 },
	[NVGRE_A_NEXTHOP6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NVGRE_A_METRIC]	= { .type = NLA_U32 },
	[NVGRE_A_TYPE]		= NLA_POLICY_MAX(NLA_U8, NVGRE_LOOKUP_MAX),
	[NVGRE_A_GROUP4]	= { .type = NLA_REJECT },
};

/* Indexes in nvgre_mcgrps. */
enum {
	NVGRE_MCGRP_EVENTS_IDX,
	NVGRE_MCGRP_MISSES_IDX,
};

static bool nvgre_nl_missing(struct genl_info *info, int attr)
{
	if (info->attrs[attr])
		return false;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	switch (attr) {
	case NVGRE_A_VSID:
		NL_SET_ERR_MSG(info->extack, "VSID is required");
		break;
	case NVGRE_A_PA4:
		NL_SET_ERR_MSG(info->extack, "PA is required");
		break;
	case NVGRE_A_MAC:
		NL_SET_ERR_MSG(info->extack, "MAC is required");
		break;
	case NVGRE_A_IFINDEX:
		NL_SET_ERR_MSG(info->extack, "Device ifindex is required");
		break;
	}
	return true;
}

/*
 * The key of an l2only record, (VSID, MAC), or of the gateway record of a
 * VSID: neither has a CA.
 */
static int nvgre_nl_parse_key_noca(struct genl_info *info,
				   struct nvgre_lookup_key *k)
{
	struct nlattr *ca = info->attrs[NVGRE_A_CA4] ?: info->attrs[NVGRE_A_CA6];
	const u8 *mac;

	if (ca && k->type == NVGRE_LOOKUP_L2ONLY) {
		NL_SET_ERR_MSG_ATTR(info->extack, ca,
				    "An l2only record has no CA");
		return -EINVAL;
	}
	if (ca) {
		NL_SET_ERR_MSG_ATTR(info->extack, ca,
				    "A gateway record has no CA");
		return -EINVAL;
	}
	if (k->type == NVGRE_LOOKUP_GATEWAY)
		return 0;
	if (nvgre_nl_missing(info, NVGRE_A_MAC))
		return -EINVAL;
	mac = nla_data(info->attrs[NVGRE_A_MAC]);
	if (!is_valid_ether_addr(mac)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NVGRE_A_MAC],
				    "MAC must be a unicast Ethernet address");
		return -EINVAL;
	}
	memcpy(k->ca.s6_addr, mac, ETH_ALEN);
	return 0;
}

/* Fills @k with (VSID, type, CA) from the request. */
static int nvgre_nl_parse_key(struct genl_info *info,
			      struct nvgre_lookup_key *k)
{
	struct nlattr *a4 = info->attrs[NVGRE_A_CA4];
	struct nlattr *a6 = info->attrs[NVGRE_A_CA6];
	__be32 ca4;

	if (nvgre_nl_missing(info, NVGRE_A_VSID))
		return -EINVAL;
	memset(k, 0, sizeof(*k));
	k->vsid = nla_get_u32(info->attrs[NVGRE_A_VSID]);
	if (info->attrs[NVGRE_A_TYPE])
		k->type = nla_get_u8(info->attrs[NVGRE_A_TYPE]);
	if (k->type != NVGRE_LOOKUP_STATIC)
		return nvgre_nl_parse_key_noca(info, k);
	if (!a4 == !a6) {
		NL_SET_ERR_MSG(info->extack,
			       "Exactly one CA (IPv4 or IPv6) is required");
		return -EINVAL;
	}
	if (a4) {
		ca4 = nla_get_in_addr(a4);
		if (ipv4_is_zeronet(ca4) || ipv4_is_multicast(ca4) ||
		    ipv4_is_lbcast(ca4) || ipv4_is_loopback(ca4)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a4,
					    "CA must be a unicast IPv4 address");
			return -EINVAL;
		}
		ipv6_addr_set_v4mapped(ca4, &k->ca);
		return 0;
	}
	k->ca = nla_get_in6_addr(a6);
	if (ipv6_addr_any(&k->ca) || ipv6_addr_is_multicast(&k->ca) ||
	    ipv6_addr_loopback(&k->ca) || ipv6_addr_v4mapped(&k->ca)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a6,
				    "CA must be a unicast IPv6 address");
		return -EINVAL;
	}
	return 0;
}

/* PA4 or PA6 as the family of @pa says. */
static int nvgre_nl_put_pa(struct sk_buff *skb, const struct in6_addr *pa)
{
	if (ipv6_addr_v4mapped(pa))
		return nla_put_in_addr(skb, NVGRE_A_PA4, pa->s6_addr32[3]);
	return nla_put_in6_addr(skb, NVGRE_A_PA6, pa);
}

static int nvgre_nl_put_record(struct sk_buff *skb,
			       const struct nvgre_lookup_key *k,
			       const struct in6_addr *pa, const u8 *mac)
{
	const struct in6_addr *ca = &k->ca;

	if (nla_put_u32(skb, NVGRE_A_VSID, k->vsid))
		return -EMSGSIZE;
	/* Static records say no type, as before types existed. */
	if (k->type != NVGRE_LOOKUP_STATIC) {
		if (nla_put_u8(skb, NVGRE_A_TYPE, k->type))
			return -EMSGSIZE;
	} else if (ipv6_addr_v4mapped(ca) ?
		   nla_put_in_addr(skb, NVGRE_A_CA4, ca->s6_addr32[3]) :
		   nla_put_in6_addr(skb, NVGRE_A_CA6, ca)) {
		return -EMSGSIZE;
	}
	if (nvgre_nl_put_pa(skb, pa) ||
	    nla_put(skb, NVGRE_A_MAC, ETH_ALEN, mac))
		return -EMSGSIZE;
	return 0;
}

static size_t nvgre_nl_record_size(void)
{
	return nla_total_size(sizeof(u32)) +		/* NVGRE_A_VSID */
	       nla_total_size(sizeof(struct in6_addr)) +	/* NVGRE_A_CA6 */
	       nla_total_size(sizeof(struct in6_addr)) +	/* NVGRE_A_PA6 */
	       nla_total_size(ETH_ALEN) +			/* NVGRE_A_MAC */
	       nla_total_size(sizeof(u8));			/* NVGRE_A_TYPE */
}

/*
 * Multicasts a change to the listeners of the namespace; @k is NULL for
 * a flush, with @vsid the VSID flushed (0: all).
 */
static void nvgre_nl_notify(struct net *net, u8 cmd,
			    const struct nvgre_lookup_key *k,
			    const struct in6_addr *pa, const u8 *mac, u32 vsid)
{
	struct sk_buff *msg;
	void *hdr;

	/* Nobody reads the events: not even the message is built. */
	if (!genl_has_listeners(&nvgre_genl_family, net,
				NVGRE_MCGRP_EVENTS_IDX))
		return;
	msg = genlmsg_new(nvgre_nl_record_size(), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &nvgre_genl_family, 0, cmd);
	if (!hdr)
		goto err_free;
	if (k ? nvgre_nl_put_record(msg, k, pa, mac) :
	    vsid && nla_put_u32(msg, NVGRE_A_VSID, vsid))
		goto err_free;
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&nvgre_genl_family, net, msg, 0,
				NVGRE_MCGRP_EVENTS_IDX, GFP_KERNEL);
	return;

err_free:
	nlmsg_free(msg);
}

/* Fills @addr with the PA4 or PA6 of a PA or record command. */
static int nvgre_nl_parse_pa(struct genl_info *info, struct in6_addr *addr)
{
	struct nlattr *a4 = info->attrs[NVGRE_A_PA4];
	struct nlattr *a6 = info->attrs[NVGRE_A_PA6];
	__be32 pa4;

	if (!a4 == !a6) {
		NL_SET_ERR_MSG(info->extack,
			       "Exactly one PA (IPv4 or IPv6) is required");
		return -EINVAL;
	}
	if (a4) {
		pa4 = nla_get_in_addr(a4);
		if (ipv4_is_zeronet(pa4) || ipv4_is_multicast(pa4) ||
		    ipv4_is_lbcast(pa4) || ipv4_is_loopback(pa4)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a4,
					    "PA must be a unicast IPv4 address");
			return -EINVAL;
		}
		ipv6_addr_set_v4mapped(pa4, addr);
		return 0;
	}
	*addr = nla_get_in6_addr(a6);
	if (ipv6_addr_any(addr) || ipv6_addr_is_multicast(addr) ||
	    ipv6_addr_loopback(addr) || ipv6_addr_v4mapped(addr) ||
	    ipv6_addr_type(addr) & IPV6_ADDR_LINKLOCAL) {
		NL_SET_ERR_MSG_ATTR(info->extack, a6,
				    "PA must be a global unicast IPv6 address");
		return -EINVAL;
	}
	return 0;
}

/* Tells an add of a record that exists, by its type. */
static void nvgre_nl_key_exists(struct netlink_ext_ack *extack, u8 type)
{
	switch (type) {
	case NVGRE_LOOKUP_L2ONLY:
		NL_SET_ERR_MSG(extack,
			       "An l2only record for this MAC exists in this VSID");
		break;
	case NVGRE_LOOKUP_GATEWAY:
		NL_SET_ERR_MSG(extack, "This VSID has a gateway record");
		break;
	default:
		NL_SET_ERR_MSG(extack,
			       "A record for this CA exists in this VSID");
	}
}

/* Tells a delete or get of a record that does not exist, by its type. */
static void nvgre_nl_key_missing(struct netlink_ext_ack *extack, u8 type)
{
	switch (type) {
	case NVGRE_LOOKUP_L2ONLY:
		NL_SET_ERR_MSG(extack,
			       "No l2only record for this MAC in this VSID");
		break;
	case NVGRE_LOOKUP_GATEWAY:
		NL_SET_ERR_MSG(extack, "No gateway record in this VSID");
		break;
	default:
		NL_SET_ERR_MSG(extack, "No record for this CA in this VSID");
	}
}

static int nvgre_nl_lookup_set(struct genl_info *info, bool replace,
			       bool notify)
{
	struct nvgre_net *nn = nvgre_pernet(genl_info_net(info));
	struct nvgre_lookup_key k;
	struct in6_addr pa;
	const u8 *mac;
	int err;

	err = nvgre_nl_parse_key(info, &k);
	if (err)
		return err;
	/* PA4 or PA6: without either, PA4 is the one missing. */
	if ((!info->attrs[NVGRE_A_PA6] &&
	     nvgre_nl_missing(info, NVGRE_A_PA4)) ||
	    nvgre_nl_missing(info, NVGRE_A_MAC))
		return -EINVAL;
	err = nvgre_nl_parse_pa(info, &pa);
	if (err)
		return err;
	mac = nla_data(info->attrs[NVGRE_A_MAC]);
	if (!is_valid_ether_addr(mac)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NVGRE_A_MAC],
				    "MAC must be a unicast Ethernet address");
		return -EINVAL;
	}

	err = nvgre_lookup_insert(nn, &k, mac, &pa, replace);
	if (err == -EEXIST) {
		nvgre_nl_key_exists(info->extack, k.type);
		return err;
	}
	if (err == -ENOSPC) {
		NL_SET_ERR_MSG(info->extack,
			       "Record limit of the namespace reached (net.nvgre.max_records)");
		return err;
	}
	if (err < 0) {
		NL_SET_ERR_MSG(info->extack, "Cannot store the record");
		return err;
	}
	if (notify)
		nvgre_nl_notify(genl_info_net(info),
				err ? NVGRE_CMD_LOOKUP_REPLACE :
				      NVGRE_CMD_LOOKUP_ADD, &k, &pa, mac, 0);
	return 0;
}

static int nvgre_nl_lookup_unset(struct genl_info *info, bool notify)
{
	struct nvgre_net *nn = nvgre_pernet(genl_info_net(info));
	struct nvgre_lookup_key k;
	struct in6_addr pa;
	u8 mac[ETH_ALEN];
	int err;

	err = nvgre_nl_parse_key(info, &k);
	if (err)
		return err;
	err = nvgre_lookup_delete(nn, &k, &pa, mac);
	if (err == -ENOENT)
		nvgre_nl_key_missing(info->extack, k.type);
	else if (!err && notify)
		nvgre_nl_notify(genl_info_net(info), NVGRE_CMD_LOOKUP_DEL, &k,
				&pa, mac, 0);
	return err;
}

/*
 * The payload length of each attribute a record in an NVGRE_A_LOOKUP nest
 * may hold; 0 for any other. Bulk requests carry hundreds of records, and
 * nla_parse_nested() with nvgre_genl_policy cost each record as much as
 * storing it did (the generic validator goes through its type and range
 * switches for every attribute). Like openvswitch's flow keys
 * (ovs_key_lens), records are checked against this table instead.
 */
static const u8 nvgre_record_len[NVGRE_A_MAX + 1] = {
	[NVGRE_A_VSID]	= sizeof(u32),
	[NVGRE_A_CA4]	= sizeof(__be32),
	[NVGRE_A_CA6]	= sizeof(struct in6_addr),
	[NVGRE_A_PA4]	= sizeof(__be32),
	[NVGRE_A_PA6]	= sizeof(struct in6_addr),
	[NVGRE_A_MAC]	= ETH_ALEN,
	[NVGRE_A_TYPE]	= sizeof(u8),
};

/*
 * Fills @tb (NVGRE_A_MAX + 1 entries) from the record in @nest. It takes
 * what strict nla_parse_nested() with nvgre_genl_policy takes for these
 * attributes (exact lengths, no NLA_F_NESTED on them, no bytes left over,
 * VSID and TYPE in range) and refuses every other attribute: a record has
 * no use for them.
 */
static int nvgre_nl_parse_record(const struct nlattr *nest, struct nlattr **tb,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	int rem;
	u16 t;

	memset(tb, 0, (NVGRE_A_MAX + 1) * sizeof(*tb));
	nla_for_each_nested(a, nest, rem) {
		t = nla_type(a);
		if (t > NVGRE_A_MAX)
			t = NVGRE_A_UNSPEC;
		t = array_index_nospec(t, NVGRE_A_MAX + 1);
		if (t == NVGRE_A_LOOKUP) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "LOOKUP nests do not nest");
			return -EINVAL;
		}
		if (!nvgre_record_len[t]) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "Not an attribute of a record");
			return -EINVAL;
		}
		if (nla_len(a) != nvgre_record_len[t] ||
		    a->nla_type & NLA_F_NESTED) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "Wrong length or flags for this attribute");
			return -EINVAL;
		}
		tb[t] = a;
	}
	if (rem > 0) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Bytes left over after the record's attributes");
		return -EINVAL;
	}
	/* The policy's ranges, with the validator's message. */
	a = tb[NVGRE_A_VSID];
	if (a && (nla_get_u32(a) < NVGRE_VSID_MIN ||
		  nla_get_u32(a) > NVGRE_VSID_MAX))
		goto err_range;
	a = tb[NVGRE_A_TYPE];
	if (a && nla_get_u8(a) > NVGRE_LOOKUP_MAX)
		goto err_range;
	return 0;

err_range:
	NL_SET_ERR_MSG_ATTR_POL(extack, a, &nvgre_genl_policy[nla_type(a)],
				"integer out of range");
	return -ERANGE;
}

/*
 * LOOKUP_ADD, _REPLACE and _DEL carry one record as top-level attributes
 * or any number of records, each in an NVGRE_A_LOOKUP nest. Nests are
 * applied in order; the first that fails stops the request, and its
 * extack points into that nest (at the nest itself when the failure names
 * no attribute), so that the sender can tell which record it was. The
 * records before it stay applied.
 */
static int nvgre_nl_lookup_each(struct genl_info *info,
				int (*fn)(struct genl_info *info, bool notify))
{
	struct nlattr *tb[NVGRE_A_MAX + 1];
	struct genl_info one = *info;
	struct nlattr *nest;
	int i, rem, err;
	bool notify;

	/* Asked once a request: bulk programming must not pay per record. */
	notify = genl_has_listeners(&nvgre_genl_family, genl_info_net(info),
				    NVGRE_MCGRP_EVENTS_IDX);
	if (!info->attrs[NVGRE_A_LOOKUP])
		return fn(info, notify);
	for (i = 1; i <= NVGRE_A_MAX; i++) {
		if (i != NVGRE_A_LOOKUP && info->attrs[i]) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[i],
					    "Records in LOOKUP nests exclude top-level record attributes");
			return -EINVAL;
		}
	}
	one.attrs = tb;
	nlmsg_for_each_attr(nest, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nest) != NVGRE_A_LOOKUP)
			continue;
		err = nvgre_nl_parse_record(nest, tb, info->extack);
		if (!err)
			err = fn(&one, notify);
		if (err) {
			if (!info->extack->bad_attr)
				NL_SET_BAD_ATTR(info->extack, nest);
			return err;
		}
		cond_resched();
	}
	return 0;
}

static int nvgre_nl_lookup_add_one(struct genl_info *info, bool notify)
{
	return nvgre_nl_lookup_set(info, false, notify);
}

static int nvgre_nl_lookup_replace_one(struct genl_info *info, bool notify)
{
	return nvgre_nl_lookup_set(info, true, notify);
}

static int nvgre_nl_lookup_add(struct sk_buff *skb, struct genl_info *info)
{
	return nvgre_nl_lookup_each(info, nvgre_nl_lookup_add_one);
}

static int nvgre_nl_lookup_replace(struct sk_buff *skb, struct genl_info *info)
{
	return nvgre_nl_lookup_each(info, nvgre_nl_lookup_replace_one);
}

static int nvgre_nl_lookup_del(struct sk_buff *skb, struct genl_info *info)
{
	return nvgre_nl_lookup_each(info, nvgre_nl_lookup_unset);
}

static int nvgre_nl_lookup_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct nvgre_net *nn = nvgre_pernet(genl_info_net(info));
	u32 vsid = 0;

	if (info->attrs[NVGRE_A_VSID])
		vsid = nla_get_u32(info->attrs[NVGRE_A_VSID]);
	if (nvgre_lookup_flush(nn, vsid))
		nvgre_nl_notify(genl_info_net(info), NVGRE_CMD_LOOKUP_FLUSH,
				NULL, NULL, NULL, vsid);
	return 0;
}

static int nvgre_nl_lookup_fill(struct sk_buff *skb,
				const struct nvgre_lookup *rec, u32 portid,
				u32 seq, int flags, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nvgre_genl_family, flags,
			  NVGRE_CMD_LOOKUP_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nvgre_nl_put_record(skb, &rec->key, &rec->pa, rec->mac)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int nvgre_nl_lookup_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nvgre_net *nn = nvgre_pernet(genl_info_net(info));
	const struct nvgre_lookup *rec;
	struct nvgre_lookup_key k;
	struct sk_buff *msg;
	int err;

	err = nvgre_nl_parse_key(info, &k);
	if (err)
		return err;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	rec = nvgre_lookup_find_key(nn, &k);
	if (rec)
		err = nvgre_nl_lookup_fill(msg, rec, info->snd_portid,
					   info->snd_seq, 0, NULL);
	else
		err = -ENOENT;
	rcu_read_unlock();
	if (err) {
		if (err == -ENOENT)
			nvgre_nl_key_missing(info->extack, k.type);
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/**
 * struct nvgre_dump - state of a record dump across dumpit calls
 * @c: position in the (VSID, CA) table
 * @vsid: dump only this VSID, or 0 for all
 * @skb: the message being filled, during a call
 * @cb: the dump, during a call
 */
struct nvgre_dump {
	struct nvgre_hcursor c;
	u32 vsid;
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int nvgre_nl_lookup_dump_start(struct netlink_callback *cb)
{
	struct nlattr *tb[NVGRE_A_MAX + 1];
	struct nvgre_dump *d;
	int err;

	err = nlmsg_parse(cb->nlh, GENL_HDRLEN, tb, NVGRE_A_MAX,
			  nvgre_genl_policy, cb->extack);
	if (err)
		return err;
	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return -ENOMEM;
	if (tb[NVGRE_A_VSID])
		d->vsid = nla_get_u32(tb[NVGRE_A_VSID]);
	cb->args[0] = (long)d;
	return 0;
}

static int nvgre_nl_lookup_dump_done(struct netlink_callback *cb)
{
	kfree((struct nvgre_dump *)cb->args[0]);
	return 0;
}

static int nvgre_nl_lookup_dump_one(const struct nvgre_lookup *rec, void *arg)
{
	struct nvgre_dump *d = arg;

	if (d->vsid && rec->key.vsid != d->vsid)
		return 0;
	return nvgre_nl_lookup_fill(d->skb, rec, NETLINK_CB(d->cb->skb).portid,
				    d->cb->nlh->nlmsg_seq, NLM_F_MULTI, d->cb);
}

/*
 * Each call resumes where the last one stopped, with the record that did
 * not fit. The records' seqcount maps onto genl_dump_check_consistent(),
 * which flags a message whose cb->seq differs from the previous message's:
 * each call's messages carry the (even) count read before its walk, plus
 * one so that it is never 0 (which would disarm the check), and a call
 * whose walk raced a change leaves cb->seq at an even value for
 * NLMSG_DONE. So a change between two calls flags the next call's first
 * message, and one during the last walk flags NLMSG_DONE: the reader sees
 * NLM_F_DUMP_INTR and dumps again. A resize, which restarts the cursor
 * (@d->c.restarts), is such a change.
 */
static int nvgre_nl_lookup_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nvgre_net *nn = nvgre_pernet(sock_net(cb->skb->sk));
	struct nvgre_dump *d = (struct nvgre_dump *)cb->args[0];
	unsigned int seq;
	int err;

	d->skb = skb;
	d->cb = cb;
	seq = nvgre_lookup_read_begin(nn);
	cb->seq = seq + 1;
	rcu_read_lock();
	err = nvgre_lookup_walk(nn, &d->c, nvgre_nl_lookup_dump_one, d);
	rcu_read_unlock();
	if (nvgre_lookup_read_retry(nn, seq))
		cb->seq = seq;

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static int nvgre_nl_link_fill(struct sk_buff *skb, struct nvgre_dev *nv,
			      u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nvgre_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NVGRE_A_IFINDEX, nv->dev->ifindex) ||
	    nla_put_string(skb, NVGRE_A_IFNAME, nv->dev->name) ||
	    nla_put_u32(skb, NVGRE_A_VSID, nv->vsid) ||
	    (nv->local && nla_put_in_addr(skb, NVGRE_A_LOCAL4, nv->local)) ||
	    (!ipv6_addr_any(&nv->local6) &&
	     nla_put_in6_addr(skb, NVGRE_A_LOCAL6, &nv->local6)) ||
	    nla_put_u32(skb, NVGRE_A_RDID, nv->rdid) ||
	    nla_put_u8(skb, NVGRE_A_TTL, nv->ttl) ||
	    nla_put_u8(skb, NVGRE_A_TOS, nv->tos) ||
	    (nv->group && nla_put_in_addr(skb, NVGRE_A_GROUP4, nv->group)) ||
	    (cmd == NVGRE_CMD_LINK_GET && nvgre_dev_fill_stats(skb, nv))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int nvgre_nl_link_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct net_device *dev;
	struct nvgre_dev *nv;
	struct sk_buff *msg;
	int err;

	if (nvgre_nl_missing(info, NVGRE_A_IFINDEX))
		return -EINVAL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	dev = __dev_get_by_index(net, nla_get_u32(info->attrs[NVGRE_A_IFINDEX]));
	nv = dev ? nvgre_dev_from_netdev(dev) : NULL;
	if (nv)
		err = nvgre_nl_link_fill(msg, nv, info->snd_portid,
					 info->snd_seq, 0, NVGRE_CMD_LINK_GET);
	else
		err = -ENODEV;
	rtnl_unlock();
	if (err) {
		if (dev)
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[NVGRE_A_IFINDEX],
					    "Not an nvgre device");
		else
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[NVGRE_A_IFINDEX],
					    "No such device");
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: devices already dumped. */
static int nvgre_nl_link_dump(struct sk_buff *skb, struct netlink_callback *cb)
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
		if (nvgre_nl_link_fill(skb, nv, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI,
				       NVGRE_CMD_LINK_GET)) {
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
	struct sk_buff *msg;
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
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return;
	if (nvgre_nl_link_fill(msg, nv, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&nvgre_genl_family, nv->net, msg, 0,
				NVGRE_MCGRP_EVENTS_IDX, GFP_KERNEL);
}

/* Whether a socket of @net listens to the misses group; any context. */
bool nvgre_nl_miss_listeners(struct net *net)
{
	return genl_has_listeners(&nvgre_genl_family, net,
				  NVGRE_MCGRP_MISSES_IDX);
}

static int nvgre_nl_put_miss(struct sk_buff *skb, struct nvgre_dev *nv,
			     const struct nvgre_miss *m)
{
	const struct in6_addr *ca = &m->ca;

	if (nla_put_u32(skb, NVGRE_A_IFINDEX, nv->dev->ifindex) ||
	    nla_put_u32(skb, NVGRE_A_VSID, nv->vsid) ||
	    nla_put_u32(skb, NVGRE_A_MISS_REASON, m->reason))
		return -EMSGSIZE;
	if (m->mac && nla_put(skb, NVGRE_A_MAC, ETH_ALEN, m->mac))
		return -EMSGSIZE;
	if (m->has_ca &&
	    (ipv6_addr_v4mapped(ca) ?
	     nla_put_in_addr(skb, NVGRE_A_CA4, ca->s6_addr32[3]) :
	     nla_put_in6_addr(skb, NVGRE_A_CA6, ca)))
		return -EMSGSIZE;
	if (!ipv6_addr_any(&m->pa) && nvgre_nl_put_pa(skb, &m->pa))
		return -EMSGSIZE;
	return 0;
}

/*
 * Multicasts a miss of @nv to the misses group of its namespace. From the
 * datapath: atomic allocation. 0 once multicast, else the error.
 */
int nvgre_nl_notify_miss(struct nvgre_dev *nv, const struct nvgre_miss *m)
{
	struct sk_buff *msg;
	size_t size;
	void *hdr;

	size = nla_total_size(sizeof(u32)) +		/* NVGRE_A_IFINDEX */
	       nla_total_size(sizeof(u32)) +		/* NVGRE_A_VSID */
	       nla_total_size(sizeof(u32)) +		/* NVGRE_A_MISS_REASON */
	       nla_total_size(ETH_ALEN) +		/* NVGRE_A_MAC */
	       nla_total_size(sizeof(struct in6_addr)) + /* NVGRE_A_CA6 */
	       nla_total_size(sizeof(struct in6_addr)); /* NVGRE_A_PA6 */
	msg = genlmsg_new(size, GFP_ATOMIC);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &nvgre_genl_family, 0, NVGRE_CMD_MISS);
	if (!hdr || nvgre_nl_put_miss(msg, nv, m)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&nvgre_genl_family, nv->net, msg, 0,
				NVGRE_MCGRP_MISSES_IDX, GFP_ATOMIC);
	return 0;
}

static int nvgre_nl_ns_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nvgre_net *nn = nvgre_pernet(genl_info_net(info));
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &nvgre_genl_family, 0,
				NVGRE_CMD_NS_STATS_GET);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, NVGRE_A_STATS);
	if (!nest ||
	    nla_put_u64_64bit(msg, NVGRE_STATS_RX_UNKNOWN_VSID,
			      nvgre_net_rx_unknown_vsid(nn),
			      NVGRE_STATS_PAD))
		goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* A dump's message and callback, for the walkers' callbacks. */
struct nvgre_dump_msg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

/*
 * A PA and its underlay device; RTNL keeps the device's name stable. @cb
 * is the dump, NULL for a notification.
 */
static int nvgre_nl_pa_fill(struct sk_buff *skb, struct net *net,
			    const struct in6_addr *addr, int ifindex,
			    u32 portid, u32 seq, int flags, u8 cmd,
			    struct netlink_callback *cb)
{
	struct net_device *dev = __dev_get_by_index(net, ifindex);
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nvgre_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nvgre_nl_put_pa(skb, addr) ||
	    nla_put_u32(skb, NVGRE_A_IFINDEX, ifindex) ||
	    (dev && nla_put_string(skb, NVGRE_A_IFNAME, dev->name))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Under RTNL: PA_ADD and PA_DEL, also from pa.c. */
void nvgre_nl_notify_pa(struct net *net, u8 cmd, const struct in6_addr *addr,
			int ifindex)
{
	struct sk_buff *msg;
	size_t size;

	size = nla_total_size(sizeof(struct in6_addr)) +	/* NVGRE_A_PA6 */
	       nla_total_size(sizeof(u32)) +		/* NVGRE_A_IFINDEX */
	       nla_total_size(IFNAMSIZ);		/* NVGRE_A_IFNAME */
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return;
	if (nvgre_nl_pa_fill(msg, net, addr, ifindex, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&nvgre_genl_family, net, msg, 0,
				NVGRE_MCGRP_EVENTS_IDX, GFP_KERNEL);
}

static int nvgre_nl_pa_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct in6_addr addr;
	int ifindex, err;

	err = nvgre_nl_parse_pa(info, &addr);
	if (err)
		return err;
	if (nvgre_nl_missing(info, NVGRE_A_IFINDEX))
		return -EINVAL;
	ifindex = nla_get_u32(info->attrs[NVGRE_A_IFINDEX]);

	rtnl_lock();
	err = nvgre_pa_add(net, &addr, ifindex, info->extack);
	if (!err)
		nvgre_nl_notify_pa(net, NVGRE_CMD_PA_ADD, &addr, ifindex);
	rtnl_unlock();
	return err;
}

static int nvgre_nl_pa_del(struct sk_buff *skb, struct genl_info *info)
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

	return nvgre_nl_pa_fill(m->skb, sock_net(m->cb->skb->sk), &pa->addr,
				pa->ifindex, NETLINK_CB(m->cb->skb).portid,
				m->cb->nlh->nlmsg_seq, NLM_F_MULTI,
				NVGRE_CMD_PA_GET, m->cb);
}

/*
 * Resumes after the PA dumped last. RTNL keeps the PAs still during one
 * call (the namespace has at most net.nvgre.max_pas); cb->seq carries
 * their generation, so that a change between calls marks the next message
 * NLM_F_DUMP_INTR.
 */
static int nvgre_nl_pa_dump(struct sk_buff *skb, struct netlink_callback *cb)
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

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* Fills @sn's prefix and length from CA4 or CA6 and PREFIX_LEN. */
static int nvgre_nl_parse_prefix(struct genl_info *info,
				 struct nvgre_subnet *sn)
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
	if (!info->attrs[NVGRE_A_PREFIX_LEN]) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, NVGRE_A_PREFIX_LEN);
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

/*
 * Fills @sn with VSID, prefix and gateway of a subnet command; the gateway
 * only for @add (default: the first address of the prefix).
 */
static int nvgre_nl_parse_subnet(struct genl_info *info,
				 struct nvgre_subnet *sn, bool add)
{
	struct nlattr *gw4 = info->attrs[NVGRE_A_GW4];
	struct nlattr *gw6 = info->attrs[NVGRE_A_GW6];
	struct nlattr *a4 = info->attrs[NVGRE_A_CA4];
	struct nlattr *a6 = info->attrs[NVGRE_A_CA6];
	struct netlink_ext_ack *extack = info->extack;
	int err;

	if (nvgre_nl_missing(info, NVGRE_A_VSID))
		return -EINVAL;
	err = nvgre_nl_parse_prefix(info, sn);
	if (err)
		return err;
	sn->vsid = nla_get_u32(info->attrs[NVGRE_A_VSID]);
	if (add && info->attrs[NVGRE_A_RDID])
		sn->rdid = nla_get_u32(info->attrs[NVGRE_A_RDID]);
	if (!add)
		return 0;

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

static int nvgre_nl_subnet_fill(struct sk_buff *skb,
				const struct nvgre_subnet *sn, u32 portid,
				u32 seq, int flags, u8 cmd,
				struct netlink_callback *cb)
{
	bool v4 = ipv6_addr_v4mapped(&sn->prefix);
	u8 mac[ETH_ALEN];
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nvgre_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	nvgre_gateway_mac(sn->rdid, mac);
	if (nla_put_u32(skb, NVGRE_A_VSID, sn->vsid) ||
	    nla_put_u32(skb, NVGRE_A_RDID, sn->rdid) ||
	    (v4 ? nla_put_in_addr(skb, NVGRE_A_CA4, sn->prefix.s6_addr32[3]) ||
		  nla_put_in_addr(skb, NVGRE_A_GW4, sn->gw.s6_addr32[3]) :
		  nla_put_in6_addr(skb, NVGRE_A_CA6, &sn->prefix) ||
		  nla_put_in6_addr(skb, NVGRE_A_GW6, &sn->gw)) ||
	    nla_put_u8(skb, NVGRE_A_PREFIX_LEN, v4 ? sn->plen - 96 : sn->plen) ||
	    nla_put(skb, NVGRE_A_GW_MAC, ETH_ALEN, mac)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Under RTNL: SUBNET_ADD and SUBNET_DEL, also from subnet.c. */
void nvgre_nl_notify_subnet(struct net *net, u8 cmd,
			    const struct nvgre_subnet *sn)
{
	struct sk_buff *msg;
	size_t size;

	size = 2 * nla_total_size(sizeof(u32)) +	/* VSID, RDID */
	       2 * nla_total_size(sizeof(struct in6_addr)) + /* CA6, GW6 */
	       nla_total_size(sizeof(u8)) +		/* PREFIX_LEN */
	       nla_total_size(ETH_ALEN);		/* GW_MAC */
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return;
	if (nvgre_nl_subnet_fill(msg, sn, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&nvgre_genl_family, net, msg, 0,
				NVGRE_MCGRP_EVENTS_IDX, GFP_KERNEL);
}

static int nvgre_nl_subnet_add(struct sk_buff *skb, struct genl_info *info)
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

static int nvgre_nl_subnet_del(struct sk_buff *skb, struct genl_info *info)
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

static int nvgre_nl_subnet_dump_start(struct netlink_callback *cb)
{
	struct nlattr *tb[NVGRE_A_MAX + 1];
	int err;

	err = nlmsg_parse(cb->nlh, GENL_HDRLEN, tb, NVGRE_A_MAX,
			  nvgre_genl_policy, cb->extack);
	if (err)
		return err;
	cb->args[2] = tb[NVGRE_A_VSID] ? nla_get_u32(tb[NVGRE_A_VSID]) : 0;
	return 0;
}

static int nvgre_nl_subnet_dump_one(const struct nvgre_subnet *sn, void *arg)
{
	struct nvgre_dump_msg *m = arg;

	return nvgre_nl_subnet_fill(m->skb, sn, NETLINK_CB(m->cb->skb).portid,
				    m->cb->nlh->nlmsg_seq, NLM_F_MULTI,
				    NVGRE_CMD_SUBNET_GET, m->cb);
}

/*
 * cb->args[0]: the VSID to go on with, cb->args[1]: its subnets already
 * dumped, cb->args[2]: the VSID asked for, 0 for all. Under RCU, without
 * RTNL; cb->seq carries the generation of the subnets, read before and
 * after each call, so that a dump that may have missed or repeated a
 * subnet is marked NLM_F_DUMP_INTR.
 */
static int nvgre_nl_subnet_dump(struct sk_buff *skb,
				struct netlink_callback *cb)
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

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* Fills @r's key (and for @add the rest) from a route command. */
static int nvgre_nl_parse_route(struct genl_info *info,
				struct nvgre_croute *r, bool add)
{
	struct nlattr *n4 = info->attrs[NVGRE_A_NEXTHOP4];
	struct nlattr *n6 = info->attrs[NVGRE_A_NEXTHOP6];
	struct netlink_ext_ack *extack = info->extack;
	struct nvgre_subnet sn;
	int err;

	if (!info->attrs[NVGRE_A_RDID]) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, NVGRE_A_RDID);
		NL_SET_ERR_MSG(extack, "RDID is required");
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
	if (n4 && n6) {
		NL_SET_ERR_MSG(extack, "At most one next hop");
		return -EINVAL;
	}
	if (!n4 && !n6 && !r->vsid) {
		NL_SET_ERR_MSG(extack,
			       "A route needs a next hop or a VSID (on-link)");
		return -EINVAL;
	}
	if (n4 || n6) {
		bool v4 = ipv6_addr_v4mapped(&r->key.prefix);

		if (v4 != !!n4) {
			NL_SET_ERR_MSG_ATTR(extack, n4 ?: n6,
					    "Next hop and prefix must be of one family");
			return -EINVAL;
		}
		if (n4)
			ipv6_addr_set_v4mapped(nla_get_in_addr(n4), &r->nh);
		else
			r->nh = nla_get_in6_addr(n6);
		if ((n4 && (ipv4_is_zeronet(r->nh.s6_addr32[3]) ||
			    ipv4_is_multicast(r->nh.s6_addr32[3]) ||
			    ipv4_is_lbcast(r->nh.s6_addr32[3]) ||
			    ipv4_is_loopback(r->nh.s6_addr32[3]))) ||
		    (n6 && (ipv6_addr_any(&r->nh) ||
			    ipv6_addr_is_multicast(&r->nh) ||
			    ipv6_addr_loopback(&r->nh) ||
			    ipv6_addr_v4mapped(&r->nh)))) {
			NL_SET_ERR_MSG_ATTR(extack, n4 ?: n6,
					    "Next hop must be a unicast CA");
			return -EINVAL;
		}
		r->has_nh = true;
	}
	return 0;
}

static int nvgre_nl_route_fill(struct sk_buff *skb,
			       const struct nvgre_croute *r, u32 portid,
			       u32 seq, int flags, u8 cmd,
			       struct netlink_callback *cb)
{
	bool v4 = ipv6_addr_v4mapped(&r->key.prefix);
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nvgre_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, NVGRE_A_RDID, r->key.rdid) ||
	    (v4 ? nla_put_in_addr(skb, NVGRE_A_CA4,
				  r->key.prefix.s6_addr32[3]) :
		  nla_put_in6_addr(skb, NVGRE_A_CA6, &r->key.prefix)) ||
	    nla_put_u8(skb, NVGRE_A_PREFIX_LEN,
		       v4 ? r->key.plen - 96 : r->key.plen) ||
	    nla_put_u32(skb, NVGRE_A_METRIC, r->metric) ||
	    (r->vsid && nla_put_u32(skb, NVGRE_A_VSID, r->vsid)) ||
	    (r->has_nh &&
	     (v4 ? nla_put_in_addr(skb, NVGRE_A_NEXTHOP4, r->nh.s6_addr32[3]) :
		   nla_put_in6_addr(skb, NVGRE_A_NEXTHOP6, &r->nh)))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Under RTNL: ROUTE_ADD and ROUTE_DEL. */
void nvgre_nl_notify_route(struct net *net, u8 cmd,
			   const struct nvgre_croute *r)
{
	struct sk_buff *msg;
	size_t size;

	size = 3 * nla_total_size(sizeof(u32)) +	/* RDID, METRIC, VSID */
	       2 * nla_total_size(sizeof(struct in6_addr)) + /* CA6, NEXTHOP6 */
	       nla_total_size(sizeof(u8));		/* PREFIX_LEN */
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return;
	if (nvgre_nl_route_fill(msg, r, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&nvgre_genl_family, net, msg, 0,
				NVGRE_MCGRP_EVENTS_IDX, GFP_KERNEL);
}

static int nvgre_nl_route_add(struct sk_buff *skb, struct genl_info *info)
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

static int nvgre_nl_route_del(struct sk_buff *skb, struct genl_info *info)
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
	int err;

	if (d->rdid && r->key.rdid != d->rdid)
		return 0;
	err = nvgre_nl_route_fill(d->skb, r, NETLINK_CB(d->cb->skb).portid,
				  d->cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  NVGRE_CMD_ROUTE_GET, d->cb);
	return err;
}

static int nvgre_nl_route_dump_start(struct netlink_callback *cb)
{
	struct nvgre_net *nn = nvgre_pernet(sock_net(cb->skb->sk));
	struct nlattr *tb[NVGRE_A_MAX + 1];
	struct nvgre_route_dump *d;
	int err;

	err = nlmsg_parse(cb->nlh, GENL_HDRLEN, tb, NVGRE_A_MAX,
			  nvgre_genl_policy, cb->extack);
	if (err)
		return err;
	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return -ENOMEM;
	if (tb[NVGRE_A_RDID])
		d->rdid = nla_get_u32(tb[NVGRE_A_RDID]);
	nvgre_croute_walk_enter(nn, &d->c);
	cb->args[0] = (long)d;
	return 0;
}

static int nvgre_nl_route_dump_done(struct netlink_callback *cb)
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
static int nvgre_nl_route_dump(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct nvgre_net *nn = nvgre_pernet(sock_net(cb->skb->sk));
	struct nvgre_route_dump *d = (struct nvgre_route_dump *)cb->args[0];
	int err;

	d->skb = skb;
	d->cb = cb;
	cb->seq = nvgre_gen_read_begin(&nn->routes_gen) + d->c.restarts + 1;
	err = nvgre_croute_walk(&d->c, nvgre_nl_route_dump_one, d);
	cb->seq = nvgre_gen_read_end(&nn->routes_gen) + d->c.restarts + 1;

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static const struct genl_ops nvgre_genl_ops[] = {
	{
		.cmd = NVGRE_CMD_LOOKUP_ADD,
		.doit = nvgre_nl_lookup_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_LOOKUP_REPLACE,
		.doit = nvgre_nl_lookup_replace,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_LOOKUP_DEL,
		.doit = nvgre_nl_lookup_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_LOOKUP_GET,
		.doit = nvgre_nl_lookup_get,
		.start = nvgre_nl_lookup_dump_start,
		.dumpit = nvgre_nl_lookup_dump,
		.done = nvgre_nl_lookup_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_LOOKUP_FLUSH,
		.doit = nvgre_nl_lookup_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_LINK_GET,
		.doit = nvgre_nl_link_get,
		.dumpit = nvgre_nl_link_dump,
	},
	{
		.cmd = NVGRE_CMD_NS_STATS_GET,
		.doit = nvgre_nl_ns_stats_get,
	},
	{
		.cmd = NVGRE_CMD_PA_ADD,
		.doit = nvgre_nl_pa_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_PA_DEL,
		.doit = nvgre_nl_pa_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_PA_GET,
		.dumpit = nvgre_nl_pa_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_SUBNET_ADD,
		.doit = nvgre_nl_subnet_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_SUBNET_DEL,
		.doit = nvgre_nl_subnet_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_SUBNET_GET,
		.start = nvgre_nl_subnet_dump_start,
		.dumpit = nvgre_nl_subnet_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_ROUTE_ADD,
		.doit = nvgre_nl_route_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_ROUTE_DEL,
		.doit = nvgre_nl_route_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NVGRE_CMD_ROUTE_GET,
		.start = nvgre_nl_route_dump_start,
		.dumpit = nvgre_nl_route_dump,
		.done = nvgre_nl_route_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
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
	.policy = nvgre_genl_policy,
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
