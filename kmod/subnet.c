// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual subnets of a routing domain: prefixes given to a VSID, each with
 * a virtual gateway address that the host answers for with the gateway
 * MAC of the routing domain (see route.c for what is sent to it).
 *
 * Subnets are tenant policy, like the records: a host keeps those of every
 * VSID of a routing domain it routes for, with or without a device for the
 * VSID, and they outlive devices. A VSID is in one routing domain: all its
 * subnets name the same RDID, which is also its device's (add-link and
 * add-subnet refuse anything else). Within one routing domain prefixes do
 * not overlap, so the subnet containing an address is unique. The subnets
 * of a namespace sit in a small hash table keyed by RDID, for the
 * datapath's lookup of (RDID, address), and in an XArray indexed by VSID,
 * for the control path and dumps: writers hold RTNL, readers use RCU.
 */

#include <linux/slab.h>
#include <net/ipv6.h>

#include "nvgre.h"

static struct hlist_head *nvgre_subnet_head(struct nvgre_net *nn, u32 rdid)
{
	return &nn->subnets[hash_32(rdid, NVGRE_SUBNET_HASH_BITS)];
}

/*
 * Whether @addr lies in @prefix/@plen; addresses IPv4 v4-mapped. The
 * families must agree: an IPv4 prefix is ::ffff:0:0/96 and longer, but an
 * IPv6 one as short as ::/80 would hold every v4-mapped address too, and
 * IPv6 prefixes never hold IPv4 CAs (nvgre_nl_parse_prefix() refuses a
 * v4-mapped IPv6 prefix).
 */
bool nvgre_prefix_match(const struct in6_addr *prefix, u8 plen,
			const struct in6_addr *addr)
{
	return ipv6_addr_v4mapped(prefix) == ipv6_addr_v4mapped(addr) &&
	       ipv6_prefix_equal(prefix, addr, plen);
}

/**
 * nvgre_subnet_find - the subnet of a routing domain containing an address
 * @nn: namespace
 * @rdid: routing domain
 * @addr: address, IPv4 v4-mapped
 *
 * Needs rcu_read_lock() or RTNL. Return: the subnet or NULL.
 */
struct nvgre_subnet *nvgre_subnet_find(struct nvgre_net *nn, u32 rdid,
				       const struct in6_addr *addr)
{
	struct nvgre_subnet *sn;

	hlist_for_each_entry_rcu(sn, nvgre_subnet_head(nn, rdid), hlist,
				 lockdep_rtnl_is_held())
		if (sn->rdid == rdid &&
		    nvgre_prefix_match(&sn->prefix, sn->plen, addr))
			return sn;
	return NULL;
}

/**
 * nvgre_subnet_is_gateway - whether @addr is a gateway address of @vsid
 * @nn: namespace
 * @rdid: routing domain of @vsid's device
 * @vsid: VSID asking
 * @addr: address, IPv4 v4-mapped
 *
 * Needs rcu_read_lock().
 */
bool nvgre_subnet_is_gateway(struct nvgre_net *nn, u32 rdid, u32 vsid,
			     const struct in6_addr *addr)
{
	struct nvgre_subnet *sn;

	if (!rdid)
		return false;
	sn = nvgre_subnet_find(nn, rdid, addr);
	return sn && sn->vsid == vsid && ipv6_addr_equal(&sn->gw, addr);
}

/*
 * The routing domain of @vsid's subnets, 0 if it has none. Under RTNL or
 * rcu_read_lock().
 */
u32 nvgre_subnet_vsid_rdid(struct nvgre_net *nn, u32 vsid)
{
	struct nvgre_subnet_vsid *sv = xa_load(&nn->subnet_vsids, vsid);

	return sv ? sv->rdid : 0;
}

/*
 * The struct nvgre_subnet_vsid of @vsid in @rdid, made if it has none;
 * under RTNL, its caller checked that the VSID has no other domain.
 */
static struct nvgre_subnet_vsid *nvgre_subnet_vsid_get(struct nvgre_net *nn,
						       u32 vsid, u32 rdid)
{
	struct nvgre_subnet_vsid *sv = xa_load(&nn->subnet_vsids, vsid);
	int err;

	if (sv)
		return sv;
	sv = kzalloc(sizeof(*sv), GFP_KERNEL_ACCOUNT);
	if (!sv)
		return NULL;
	sv->rdid = rdid;
	err = xa_err(xa_store(&nn->subnet_vsids, vsid, sv, GFP_KERNEL_ACCOUNT));
	if (err) {
		kfree(sv);
		return NULL;
	}
	return sv;
}

/* Frees @vsid's struct nvgre_subnet_vsid once its last subnet is gone. */
static void nvgre_subnet_vsid_put(struct nvgre_net *nn, u32 vsid,
				  struct nvgre_subnet_vsid *sv)
{
	if (!hlist_empty(&sv->subnets))
		return;
	xa_erase(&nn->subnet_vsids, vsid);
	kfree_rcu(sv, rcu);
}

/**
 * nvgre_subnet_add - give a VSID a prefix within a routing domain
 * @net: namespace
 * @tmpl: VSID, RDID (0: the one of the VSID's device), prefix (host bits
 *	clear), plen and gateway; the caller checked that the gateway lies
 *	in the prefix
 * @extack: error messages
 *
 * A VSID is in one routing domain: that of its device if it has one, and
 * that of its other subnets. Under RTNL. Return: the new subnet (for the
 * notification) or an error.
 */
struct nvgre_subnet *nvgre_subnet_add(struct net *net,
				      const struct nvgre_subnet *tmpl,
				      struct netlink_ext_ack *extack)
{
	struct nvgre_net *nn = nvgre_pernet(net);
	struct nvgre_subnet_vsid *sv;
	struct nvgre_subnet *sn;
	struct nvgre_dev *nv;
	u32 rdid = tmpl->rdid, other;

	ASSERT_RTNL();
	nv = nvgre_dev_find(nn, tmpl->vsid);
	if (nv && !nv->rdid) {
		NL_SET_ERR_MSG(extack,
			       "The device of this VSID has no routing domain (rdid)");
		return ERR_PTR(-EINVAL);
	}
	if (nv && rdid && rdid != nv->rdid) {
		NL_SET_ERR_MSG(extack,
			       "The device of this VSID is in another routing domain");
		return ERR_PTR(-EINVAL);
	}
	if (!rdid && !nv) {
		NL_SET_ERR_MSG(extack,
			       "RDID is required: no nvgre device serves this VSID");
		return ERR_PTR(-EINVAL);
	}
	if (!rdid)
		rdid = nv->rdid;
	other = nvgre_subnet_vsid_rdid(nn, tmpl->vsid);
	if (other && other != rdid) {
		NL_SET_ERR_MSG(extack,
			       "This VSID has subnets in another routing domain");
		return ERR_PTR(-EINVAL);
	}
	hlist_for_each_entry(sn, nvgre_subnet_head(nn, rdid), hlist) {
		if (sn->rdid != rdid ||
		    !nvgre_prefix_match(&sn->prefix,
					min(sn->plen, tmpl->plen),
					&tmpl->prefix))
			continue;
		if (sn->vsid == tmpl->vsid && sn->plen == tmpl->plen)
			NL_SET_ERR_MSG(extack,
				       "This VSID has this prefix already");
		else
			NL_SET_ERR_MSG(extack,
				       "Prefix overlaps a subnet of the routing domain");
		return ERR_PTR(-EEXIST);
	}

	if (nn->nsubnets >= READ_ONCE(nn->limits.subnets)) {
		NL_SET_ERR_MSG(extack,
			       "Subnet limit of the namespace reached (net.nvgre.max_subnets)");
		return ERR_PTR(-ENOSPC);
	}

	sn = kmemdup(tmpl, sizeof(*sn), GFP_KERNEL_ACCOUNT);
	if (!sn)
		return ERR_PTR(-ENOMEM);
	sn->rdid = rdid;
	sv = nvgre_subnet_vsid_get(nn, tmpl->vsid, rdid);
	if (!sv) {
		kfree(sn);
		return ERR_PTR(-ENOMEM);
	}
	nvgre_gen_begin(&nn->subnets_gen);
	hlist_add_head_rcu(&sn->hlist, nvgre_subnet_head(nn, rdid));
	hlist_add_head_rcu(&sn->vsid_node, &sv->subnets);
	nvgre_gen_end(&nn->subnets_gen);
	nn->nsubnets++;
	return sn;
}

/**
 * nvgre_subnet_del - take a prefix from a VSID
 * @net: namespace
 * @vsid: VSID
 * @prefix: prefix, host bits clear
 * @plen: its length
 * @gone: gets a copy of the deleted subnet
 *
 * Under RTNL. Return: 0 or -ENOENT.
 */
int nvgre_subnet_del(struct net *net, u32 vsid, const struct in6_addr *prefix,
		     u8 plen, struct nvgre_subnet *gone)
{
	struct nvgre_net *nn = nvgre_pernet(net);
	struct nvgre_subnet_vsid *sv;
	struct nvgre_subnet *sn;

	ASSERT_RTNL();
	sv = xa_load(&nn->subnet_vsids, vsid);
	if (!sv)
		return -ENOENT;
	hlist_for_each_entry(sn, &sv->subnets, vsid_node) {
		if (sn->plen != plen || !ipv6_addr_equal(&sn->prefix, prefix))
			continue;
		*gone = *sn;
		nvgre_gen_begin(&nn->subnets_gen);
		hlist_del_rcu(&sn->hlist);
		hlist_del_rcu(&sn->vsid_node);
		nvgre_gen_end(&nn->subnets_gen);
		nn->nsubnets--;
		kfree_rcu(sn, rcu);
		nvgre_subnet_vsid_put(nn, vsid, sv);
		return 0;
	}
	return -ENOENT;
}

/**
 * nvgre_subnet_walk - pass subnets to @fn in the order of their VSIDs
 * @nn: namespace
 * @vsid: cursor: the VSID to start with; gets the one @fn stopped in
 * @skip: cursor: subnets of *@vsid already passed; updated alike
 * @only: pass only the subnets of this VSID, 0 for all
 * @fn: called for each subnet; a non-zero return stops the walk, and the
 *	next call starts with that subnet again
 * @arg: passed to @fn
 *
 * Under rcu_read_lock(). The cursor is a VSID and a position among its
 * subnets: a walk resumed after changes may miss or repeat subnets of that
 * VSID only, which nvgre_net.subnets_gen tells.
 *
 * Return: what @fn returned, or 0 at the end.
 */
int nvgre_subnet_walk(struct nvgre_net *nn, unsigned long *vsid, long *skip,
		      u32 only,
		      int (*fn)(const struct nvgre_subnet *sn, void *arg),
		      void *arg)
{
	unsigned long last = only ?: NVGRE_VSID_MAX;
	struct nvgre_subnet_vsid *sv;
	struct nvgre_subnet *sn;
	long idx;
	int err;

	if (only && *vsid < only)
		*vsid = only;
	xa_for_each_range(&nn->subnet_vsids, *vsid, sv, *vsid, last) {
		idx = 0;
		hlist_for_each_entry_rcu(sn, &sv->subnets, vsid_node) {
			if (idx++ < *skip)
				continue;
			err = fn(sn, arg);
			if (err)
				return err;
			*skip = idx;
		}
		*skip = 0;
	}
	*vsid = last + 1;
	return 0;
}

void nvgre_subnet_init(struct nvgre_net *nn)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nn->subnets); i++)
		INIT_HLIST_HEAD(&nn->subnets[i]);
	xa_init(&nn->subnet_vsids);
	nn->nsubnets = 0;
}

/* Namespace exit: no device, hook or netlink request can read any more. */
void nvgre_subnet_uninit(struct nvgre_net *nn)
{
	struct nvgre_subnet *sn;
	struct hlist_node *tmp;
	unsigned int b;

	struct nvgre_subnet_vsid *sv;
	unsigned long vsid;

	for (b = 0; b < ARRAY_SIZE(nn->subnets); b++)
		hlist_for_each_entry_safe(sn, tmp, &nn->subnets[b], hlist) {
			hlist_del(&sn->hlist);
			kfree(sn);
		}
	nn->nsubnets = 0;
	xa_for_each(&nn->subnet_vsids, vsid, sv)
		kfree(sv);
	xa_destroy(&nn->subnet_vsids);
}
