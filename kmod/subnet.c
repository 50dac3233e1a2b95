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
 * of a namespace sit in a small hash table keyed by RDID: writers hold
 * RTNL, readers walk it under RCU.
 */

#include <linux/slab.h>
#include <net/ipv6.h>

#include "nvgre.h"

static struct hlist_head *nvgre_subnet_head(struct nvgre_net *nn, u32 rdid)
{
	return &nn->subnets[hash_32(rdid, NVGRE_SUBNET_HASH_BITS)];
}

/* Whether @addr lies in @prefix/@plen; addresses IPv4 v4-mapped. */
bool nvgre_prefix_match(const struct in6_addr *prefix, u8 plen,
			const struct in6_addr *addr)
{
	return ipv6_prefix_equal(prefix, addr, plen);
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
 * The routing domain of @vsid's subnets, 0 if it has none. Under RTNL; a
 * walk of every bucket, for the control path only.
 */
u32 nvgre_subnet_vsid_rdid(struct nvgre_net *nn, u32 vsid)
{
	struct nvgre_subnet *sn;
	unsigned int b;

	ASSERT_RTNL();
	for (b = 0; b < ARRAY_SIZE(nn->subnets); b++)
		hlist_for_each_entry(sn, &nn->subnets[b], hlist)
			if (sn->vsid == vsid)
				return sn->rdid;
	return 0;
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

	sn = kmemdup(tmpl, sizeof(*sn), GFP_KERNEL_ACCOUNT);
	if (!sn)
		return ERR_PTR(-ENOMEM);
	sn->rdid = rdid;
	hlist_add_head_rcu(&sn->hlist, nvgre_subnet_head(nn, rdid));
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
	struct nvgre_subnet *sn;
	u32 rdid;

	ASSERT_RTNL();
	rdid = nvgre_subnet_vsid_rdid(nn, vsid);
	if (!rdid)
		return -ENOENT;
	hlist_for_each_entry(sn, nvgre_subnet_head(nn, rdid), hlist) {
		if (sn->rdid != rdid || sn->vsid != vsid ||
		    sn->plen != plen || !ipv6_addr_equal(&sn->prefix, prefix))
			continue;
		*gone = *sn;
		hlist_del_rcu(&sn->hlist);
		nn->nsubnets--;
		kfree_rcu(sn, rcu);
		return 0;
	}
	return -ENOENT;
}

void nvgre_subnet_init(struct nvgre_net *nn)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nn->subnets); i++)
		INIT_HLIST_HEAD(&nn->subnets[i]);
}

/* Namespace exit: no device, hook or netlink request can read any more. */
void nvgre_subnet_uninit(struct nvgre_net *nn)
{
	struct nvgre_subnet *sn;
	struct hlist_node *tmp;
	unsigned int b;

	for (b = 0; b < ARRAY_SIZE(nn->subnets); b++)
		hlist_for_each_entry_safe(sn, tmp, &nn->subnets[b], hlist) {
			hlist_del(&sn->hlist);
			kfree(sn);
		}
	nn->nsubnets = 0;
}
