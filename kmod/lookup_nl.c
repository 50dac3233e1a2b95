// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink handlers of the lookup records: LOOKUP_ADD, _REPLACE, _DEL
 * (one record or bulk NVGRE_A_LOOKUP nests), _GET (one or a dump) and
 * _FLUSH, and their notifications.
 */

#include <linux/nospec.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "nvgre.h"

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
	if (GENL_REQ_ATTR_CHECK(info, NVGRE_A_MAC)) {
		NL_SET_ERR_MSG(info->extack, "MAC is required");
		return -EINVAL;
	}
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

	if (GENL_REQ_ATTR_CHECK(info, NVGRE_A_VSID)) {
		NL_SET_ERR_MSG(info->extack, "VSID is required");
		return -EINVAL;
	}
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
	if (nvgre_nl_get_unicast(a4, a6, &k->ca, false))
		return 0;
	if (a4)
		NL_SET_ERR_MSG_ATTR(info->extack, a4,
				    "CA must be a unicast IPv4 address");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, a6,
				    "CA must be a unicast IPv6 address");
	return -EINVAL;
}

/**
 * struct nvgre_nl_record - a record's parts, for nvgre_nl_put_record()
 * @k: its key
 * @pa: its PA
 * @mac: its MAC
 * @proto: its protocol (NVGRE_PROTO_*)
 */
struct nvgre_nl_record {
	const struct nvgre_lookup_key *k;
	const struct in6_addr *pa;
	const u8 *mac;
	u8 proto;
};

static int nvgre_nl_put_record(struct sk_buff *skb, const void *obj)
{
	const struct nvgre_nl_record *r = obj;
	const struct nvgre_lookup_key *k = r->k;

	if (nla_put_u32(skb, NVGRE_A_VSID, k->vsid))
		return -EMSGSIZE;
	/* Static records say no type, as before types existed. */
	if (k->type != NVGRE_LOOKUP_STATIC) {
		if (nla_put_u8(skb, NVGRE_A_TYPE, k->type))
			return -EMSGSIZE;
	} else if (nvgre_nl_put_addr(skb, NVGRE_A_CA4, NVGRE_A_CA6, &k->ca)) {
		return -EMSGSIZE;
	}
	if (nvgre_nl_put_addr(skb, NVGRE_A_PA4, NVGRE_A_PA6, r->pa) ||
	    nla_put(skb, NVGRE_A_MAC, ETH_ALEN, r->mac))
		return -EMSGSIZE;
	/* Records added by hand say no protocol, as before there was one. */
	if (r->proto != NVGRE_PROTO_ADMIN &&
	    nla_put_u8(skb, NVGRE_A_PROTO, r->proto))
		return -EMSGSIZE;
	return 0;
}

int nvgre_nl_put_lookup(struct sk_buff *skb, const void *obj)
{
	const struct nvgre_lookup *rec = obj;
	struct nvgre_nl_record r = {
		.k = &rec->key, .pa = &rec->pa, .mac = rec->mac,
		.proto = rec->proto,
	};

	return nvgre_nl_put_record(skb, &r);
}

/* A flush says the VSID it flushed, nothing when it flushed them all. */
static int nvgre_nl_put_flush(struct sk_buff *skb, const void *obj)
{
	u32 vsid = *(const u32 *)obj;

	return vsid ? nla_put_u32(skb, NVGRE_A_VSID, vsid) : 0;
}

static size_t nvgre_nl_record_size(void)
{
	return nla_total_size(sizeof(u32)) +		/* NVGRE_A_VSID */
	       nla_total_size(sizeof(struct in6_addr)) +	/* NVGRE_A_CA6 */
	       nla_total_size(sizeof(struct in6_addr)) +	/* NVGRE_A_PA6 */
	       nla_total_size(ETH_ALEN) +			/* NVGRE_A_MAC */
	       nla_total_size(sizeof(u8)) +			/* NVGRE_A_TYPE */
	       nla_total_size(sizeof(u8));			/* NVGRE_A_PROTO */
}

static void nvgre_nl_notify_record(struct net *net, u8 cmd,
				   const struct nvgre_lookup_key *k,
				   const struct in6_addr *pa, const u8 *mac,
				   u8 proto)
{
	struct nvgre_nl_record r = {
		.k = k, .pa = pa, .mac = mac, .proto = proto,
	};

	nvgre_nl_notify(net, cmd, nvgre_nl_record_size(), nvgre_nl_put_record,
			&r);
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
	u8 proto = NVGRE_PROTO_ADMIN;
	struct in6_addr pa;
	const u8 *mac;
	int err;

	err = nvgre_nl_parse_key(info, &k);
	if (err)
		return err;
	/* PA4 or PA6: without either, PA4 is the one missing. */
	if (!info->attrs[NVGRE_A_PA6] &&
	    GENL_REQ_ATTR_CHECK(info, NVGRE_A_PA4)) {
		NL_SET_ERR_MSG(info->extack, "PA is required");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, NVGRE_A_MAC)) {
		NL_SET_ERR_MSG(info->extack, "MAC is required");
		return -EINVAL;
	}
	err = nvgre_nl_parse_pa(info, &pa);
	if (err)
		return err;
	mac = nla_data(info->attrs[NVGRE_A_MAC]);
	if (!is_valid_ether_addr(mac)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NVGRE_A_MAC],
				    "MAC must be a unicast Ethernet address");
		return -EINVAL;
	}

	if (info->attrs[NVGRE_A_PROTO])
		proto = nla_get_u8(info->attrs[NVGRE_A_PROTO]);

	err = nvgre_lookup_insert(nn, &k, mac, &pa, proto, replace);
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
		nvgre_nl_notify_record(genl_info_net(info),
				       err ? NVGRE_CMD_LOOKUP_REPLACE :
					     NVGRE_CMD_LOOKUP_ADD,
				       &k, &pa, mac, proto);
	return 0;
}

static int nvgre_nl_lookup_unset(struct genl_info *info, bool notify)
{
	struct nvgre_net *nn = nvgre_pernet(genl_info_net(info));
	struct nlattr *want = info->attrs[NVGRE_A_PROTO];
	struct nvgre_lookup_key k;
	struct in6_addr pa;
	u8 mac[ETH_ALEN];
	u8 proto;
	int err;

	err = nvgre_nl_parse_key(info, &k);
	if (err)
		return err;
	err = nvgre_lookup_delete(nn, &k, want ? nla_get_u8(want) : -1, &pa,
				  mac, &proto);
	if (err == -ENOENT)
		nvgre_nl_key_missing(info->extack, k.type);
	else if (err == -EPERM)
		NL_SET_ERR_MSG_ATTR(info->extack, want,
				    "The record has another protocol");
	else if (!err && notify)
		nvgre_nl_notify_record(genl_info_net(info),
				       NVGRE_CMD_LOOKUP_DEL, &k, &pa, mac,
				       proto);
	return err;
}

/*
 * The payload length of each attribute a record in an NVGRE_A_LOOKUP nest
 * may hold; 0 for any other. Bulk requests carry hundreds of records, and
 * nla_parse_nested() with a policy cost each record as much as storing it
 * did (the generic validator goes through its type and range switches for
 * every attribute). Like openvswitch's flow keys (ovs_key_lens), records
 * are checked against this table instead.
 */
static const u8 nvgre_record_len[NVGRE_A_MAX + 1] = {
	[NVGRE_A_VSID]	= sizeof(u32),
	[NVGRE_A_CA4]	= sizeof(__be32),
	[NVGRE_A_CA6]	= sizeof(struct in6_addr),
	[NVGRE_A_PA4]	= sizeof(__be32),
	[NVGRE_A_PA6]	= sizeof(struct in6_addr),
	[NVGRE_A_MAC]	= ETH_ALEN,
	[NVGRE_A_TYPE]	= sizeof(u8),
	[NVGRE_A_PROTO]	= sizeof(u8),
};

/*
 * Fills @tb (NVGRE_A_MAX + 1 entries) from the record in @nest. It takes
 * what strict nla_parse_nested() with nvgre_nl_lookup_set_policy takes for
 * these attributes (exact lengths, no NLA_F_NESTED on them, no bytes left
 * over, VSID and TYPE in range) and refuses every other attribute: a
 * record has no use for them.
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
	NL_SET_ERR_MSG_ATTR_POL(extack, a,
				&nvgre_nl_lookup_set_policy[nla_type(a)],
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
	notify = nvgre_nl_event_listeners(genl_info_net(info));
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

int nvgre_nl_lookup_add(struct sk_buff *skb, struct genl_info *info)
{
	return nvgre_nl_lookup_each(info, nvgre_nl_lookup_add_one);
}

int nvgre_nl_lookup_replace(struct sk_buff *skb, struct genl_info *info)
{
	return nvgre_nl_lookup_each(info, nvgre_nl_lookup_replace_one);
}

int nvgre_nl_lookup_del(struct sk_buff *skb, struct genl_info *info)
{
	return nvgre_nl_lookup_each(info, nvgre_nl_lookup_unset);
}

int nvgre_nl_lookup_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct nvgre_net *nn = nvgre_pernet(genl_info_net(info));
	u32 vsid = 0;

	if (info->attrs[NVGRE_A_VSID])
		vsid = nla_get_u32(info->attrs[NVGRE_A_VSID]);
	if (nvgre_lookup_flush(nn, vsid))
		nvgre_nl_notify(genl_info_net(info), NVGRE_CMD_LOOKUP_FLUSH,
				nvgre_nl_record_size(), nvgre_nl_put_flush,
				&vsid);
	return 0;
}

int nvgre_nl_lookup_get(struct sk_buff *skb, struct genl_info *info)
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
		err = nvgre_nl_fill(msg, info->snd_portid, info->snd_seq, 0,
				    NVGRE_CMD_LOOKUP_GET, NULL,
				    nvgre_nl_put_lookup, rec);
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

int nvgre_nl_lookup_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = compat_genl_dump_attrs(cb);
	struct nvgre_dump *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return -ENOMEM;
	if (attrs[NVGRE_A_VSID])
		d->vsid = nla_get_u32(attrs[NVGRE_A_VSID]);
	cb->args[0] = (long)d;
	return 0;
}

int nvgre_nl_lookup_dump_done(struct netlink_callback *cb)
{
	kfree((struct nvgre_dump *)cb->args[0]);
	return 0;
}

static int nvgre_nl_lookup_dump_one(const struct nvgre_lookup *rec, void *arg)
{
	struct nvgre_dump *d = arg;

	if (d->vsid && rec->key.vsid != d->vsid)
		return 0;
	return nvgre_nl_dump_fill(d->skb, d->cb, NVGRE_CMD_LOOKUP_GET,
				  nvgre_nl_put_lookup, rec);
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
int nvgre_nl_lookup_dump(struct sk_buff *skb, struct netlink_callback *cb)
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
	return nvgre_nl_dump_ret(skb, err);
}
