// SPDX-License-Identifier: GPL-2.0
/*
 * Broadcast and multicast of the VMs (RFC 7637 section 4.2): head-end
 * replication.
 *
 * Each namespace keeps, per VSID, the set of distinct PAs that records of
 * the VSID name, with the number of records naming each (its flood set).
 * lookup.c keeps it in step with the records under nvgre_net.lock; the
 * transmit path walks it under RCU and sends one unicast NVGRE copy of a
 * broadcast or multicast frame to every PA of the set that is not this
 * host's, at most NVGRE_FLOOD_MAX_COPIES per frame.
 */

#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "nvgre.h"

/**
 * struct nvgre_flood_pa - a PA of a VSID's flood set
 * @node: entry in nvgre_net.flood keyed by @vsid; nvgre_net.lock for
 *	writers, RCU for readers
 * @vsid: the VSID; fixed
 * @pa: the PA, IPv4 v4-mapped; fixed
 * @refs: number of records of @vsid naming @pa; nvgre_net.lock
 * @rcu: freeing after readers are done
 */
struct nvgre_flood_pa {
	struct rhlist_head node;
	u32 vsid;
	struct in6_addr pa;
	unsigned int refs;
	struct rcu_head rcu;
};

static const struct rhashtable_params nvgre_flood_params = {
	.key_len = sizeof(u32),
	.key_offset = offsetof(struct nvgre_flood_pa, vsid),
	.head_offset = offsetof(struct nvgre_flood_pa, node),
	.automatic_shrinking = true,
};

static bool nvgre_flood_is(const struct nvgre_flood_pa *fp, u32 vsid,
			   const struct in6_addr *pa)
{
	return fp->vsid == vsid && ipv6_addr_equal(&fp->pa, pa);
}

/*
 * The entry of (@vsid, @pa); needs nvgre_net.lock. Records come in runs
 * of one host's VMs (a batch, a host's VMs moving), so the entry found
 * last is tried first: it spares the hash and the walk of a VSID's list,
 * which is as long as the VSID has hosts.
 */
static struct nvgre_flood_pa *nvgre_flood_find(struct nvgre_net *nn, u32 vsid,
					       const struct in6_addr *pa)
{
	struct nvgre_flood_pa *fp = nn->flood_last;
	struct rhlist_head *list, *pos;

	lockdep_assert_held(&nn->lock);

	if (fp && nvgre_flood_is(fp, vsid, pa))
		return fp;
	/* The lock keeps the entry; RCU is what rhltable_lookup() wants. */
	rcu_read_lock();
	list = rhltable_lookup(&nn->flood, &vsid, nvgre_flood_params);
	rhl_for_each_entry_rcu(fp, pos, list, node)
		if (nvgre_flood_is(fp, vsid, pa))
			goto out;
	fp = NULL;
out:
	rcu_read_unlock();
	if (fp)
		nn->flood_last = fp;
	return fp;
}

/**
 * nvgre_flood_ref - a record of @vsid now names @pa
 * @nn: namespace
 * @vsid: the record's VSID
 * @pa: the record's PA, IPv4 v4-mapped
 *
 * Called with nvgre_net.lock held, before the record is published.
 *
 * Return: 0 or -ENOMEM.
 */
int nvgre_flood_ref(struct nvgre_net *nn, u32 vsid, const struct in6_addr *pa)
{
	struct nvgre_flood_pa *fp;
	int err;

	fp = nvgre_flood_find(nn, vsid, pa);
	if (fp) {
		fp->refs++;
		return 0;
	}
	fp = kzalloc(sizeof(*fp), GFP_KERNEL_ACCOUNT);
	if (!fp)
		return -ENOMEM;
	fp->vsid = vsid;
	fp->pa = *pa;
	fp->refs = 1;
	err = rhltable_insert(&nn->flood, &fp->node, nvgre_flood_params);
	if (err) {
		kfree(fp);
		return err;
	}
	nn->flood_last = fp;
	return 0;
}

/**
 * nvgre_flood_unref - a record of @vsid naming @pa is gone
 * @nn: namespace
 * @vsid: the record's VSID
 * @pa: the record's PA, IPv4 v4-mapped
 *
 * Called with nvgre_net.lock held; the last reference takes @pa out of
 * the set.
 */
void nvgre_flood_unref(struct nvgre_net *nn, u32 vsid,
		       const struct in6_addr *pa)
{
	struct nvgre_flood_pa *fp = nvgre_flood_find(nn, vsid, pa);

	if (WARN_ON(!fp) || --fp->refs)
		return;
	WARN_ON(rhltable_remove(&nn->flood, &fp->node, nvgre_flood_params));
	nn->flood_last = NULL;
	kfree_rcu(fp, rcu);
}

/*
 * Whether @pa (IPv4 v4-mapped) is an address of this host: the sender's
 * own host never gets a copy back (its VMs heard the frame on the bridge).
 */
static bool nvgre_flood_pa_local(struct nvgre_dev *nv,
				 const struct in6_addr *pa)
{
	if (ipv6_addr_v4mapped(pa))
		return inet_addr_type(nv->net, nvgre_pa4(pa)) == RTN_LOCAL;
	return ipv6_chk_addr(nv->net, pa, NULL, 0);
}

/* What head-end replication does with a PA of the flood set. */
enum nvgre_flood_pick {
	NVGRE_FLOOD_COPY,	/* a copy goes to it */
	NVGRE_FLOOD_SKIP,	/* left out, counted as tx_flood_skipped */
	NVGRE_FLOOD_SELF,	/* this host's: no copy */
};

/*
 * The decision of head-end replication for @fp after @copies copies: the
 * datapath (nvgre_flood_xmit()) and NVGRE_CMD_GET (nvgre_flood_put())
 * both ask it. *@src gets the source PA of a copy.
 */
static enum nvgre_flood_pick nvgre_flood_pick(struct nvgre_dev *nv,
					      const struct nvgre_flood_pa *fp,
					      const struct in6_addr *src4,
					      const struct in6_addr *src6,
					      unsigned int copies,
					      const struct in6_addr **src)
{
	*src = ipv6_addr_v4mapped(&fp->pa) ? src4 : src6;
	if (!*src || copies == NVGRE_FLOOD_MAX_COPIES)
		return NVGRE_FLOOD_SKIP;
	if (nvgre_flood_pa_local(nv, &fp->pa))
		return NVGRE_FLOOD_SELF;
	return NVGRE_FLOOD_COPY;
}

/**
 * nvgre_flood_xmit - head-end replication of a broadcast or multicast frame
 * @nv: the device of the VSID
 * @skb: the frame, consumed
 * @src4: outer source towards IPv4 PAs, v4-mapped (0: the route's
 *	choice), or NULL when the sender has none
 * @src6: outer source towards IPv6 PAs (::: the route's choice), or NULL
 * @key: GRE key of the copies
 *
 * Sends one unicast copy to each PA of the VSID's flood set that is not
 * this host's, at most NVGRE_FLOOD_MAX_COPIES, over the PA's family; counts
 * each copy (tx_flood_copies) and each PA left out (tx_flood_skipped:
 * above the limit, or of a family the sender has no source PA of). A
 * frame that makes no copy at all counts as tx_flood.
 *
 * Return: NETDEV_TX_OK.
 */
netdev_tx_t nvgre_flood_xmit(struct nvgre_dev *nv, struct sk_buff *skb,
			     const struct in6_addr *src4,
			     const struct in6_addr *src6, __be32 key)
{
	struct nvgre_net *nn = nvgre_pernet(nv->net);
	const struct in6_addr *src;
	unsigned int copies = 0;
	struct nvgre_flood_pa *fp;
	struct rhlist_head *list, *pos;
	struct sk_buff *copy;

	rcu_read_lock();
	list = rhltable_lookup(&nn->flood, &nv->vsid, nvgre_flood_params);
	rhl_for_each_entry_rcu(fp, pos, list, node) {
		switch (nvgre_flood_pick(nv, fp, src4, src6, copies, &src)) {
		case NVGRE_FLOOD_SKIP:
			nvgre_dev_count(nv, NVGRE_CTR_TX_FLOOD_SKIPPED);
			continue;
		case NVGRE_FLOOD_SELF:
			continue;
		case NVGRE_FLOOD_COPY:
			break;
		}
		copy = skb_clone(skb, GFP_ATOMIC);
		if (!copy) {
			nvgre_dev_count(nv, NVGRE_CTR_TX_ERRORS);
			continue;
		}
		copies++;
		nvgre_dev_count(nv, NVGRE_CTR_TX_FLOOD_COPIES);
		if (ipv6_addr_v4mapped(&fp->pa))
			nvgre_xmit4(nv, copy, nvgre_pa4(src), nvgre_pa4(&fp->pa),
				    key);
		else
			nvgre_xmit6(nv, copy, src, &fp->pa, key);
	}
	rcu_read_unlock();

	if (copies)
		consume_skb(skb);
	else
		nvgre_dev_drop(nv, skb, NVGRE_CTR_TX_FLOOD);
	return NETDEV_TX_OK;
}

/**
 * nvgre_flood_put - the PAs head-end replication would copy a frame to
 * @skb: a netlink message, gets one PA4 or PA6 attribute per PA
 * @nv: the device of the VSID
 * @src4: as nvgre_flood_xmit() takes it
 * @src6: as nvgre_flood_xmit() takes it
 *
 * Needs rcu_read_lock(). Return: the number of copies, or -EMSGSIZE.
 */
int nvgre_flood_put(struct sk_buff *skb, struct nvgre_dev *nv,
		    const struct in6_addr *src4, const struct in6_addr *src6)
{
	struct nvgre_net *nn = nvgre_pernet(nv->net);
	struct rhlist_head *list, *pos;
	const struct in6_addr *src;
	struct nvgre_flood_pa *fp;
	unsigned int copies = 0;

	list = rhltable_lookup(&nn->flood, &nv->vsid, nvgre_flood_params);
	rhl_for_each_entry_rcu(fp, pos, list, node) {
		if (nvgre_flood_pick(nv, fp, src4, src6, copies, &src) !=
		    NVGRE_FLOOD_COPY)
			continue;
		if (nvgre_nl_put_addr(skb, NVGRE_A_PA4, NVGRE_A_PA6, &fp->pa))
			return -EMSGSIZE;
		copies++;
	}
	return copies;
}

int nvgre_flood_init(struct nvgre_net *nn)
{
	return rhltable_init(&nn->flood, &nvgre_flood_params);
}

static void nvgre_flood_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* Namespace exit: no record, device or netlink request is left. */
void nvgre_flood_uninit(struct nvgre_net *nn)
{
	nn->flood_last = NULL;
	rhltable_free_and_destroy(&nn->flood, nvgre_flood_free, NULL);
}
