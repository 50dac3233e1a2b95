// SPDX-License-Identifier: GPL-2.0
/*
 * Lookup records: (VSID, CA) -> (PA, MAC).
 *
 * Every record sits in two tables of its namespace: nvgre_net.lookups keyed
 * by (VSID, type, CA) for ARP replies, source checks and netlink, and
 * nvgre_net.lookups_mac keyed by (VSID, MAC) for transmit. The type keeps
 * the l2only records (keyed by their MAC in place of a CA) and the one
 * gateway record of a VSID (CA ::) apart from the static records, which
 * are the only ones the CA lookups below find; dumps, flushes and the
 * flood set treat every type alike. Readers walk
 * both under RCU without locks; writers hold nvgre_net.lock. Records never
 * change once published: an update publishes a new record next to the old
 * one and then unpublishes the old one, so a reader always finds one.
 */

#include <linux/slab.h>
#include <net/ipv6.h>

#include "nvgre.h"

static struct kmem_cache *nvgre_lookup_cache __read_mostly;

static const struct rhashtable_params nvgre_lookup_params = {
	.key_len = sizeof(struct nvgre_lookup_key),
	.key_offset = offsetof(struct nvgre_lookup, key),
	.head_offset = offsetof(struct nvgre_lookup, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params nvgre_mac_params = {
	.key_len = sizeof(struct nvgre_mac_key),
	.key_offset = offsetof(struct nvgre_lookup, mkey),
	.head_offset = offsetof(struct nvgre_lookup, mac_node),
	.automatic_shrinking = true,
};

static void nvgre_lookup_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(nvgre_lookup_cache,
			container_of(rcu, struct nvgre_lookup, rcu));
}

/* Unpublishes @rec and frees it after a grace period. */
static int nvgre_lookup_unlink(struct nvgre_net *nn, struct nvgre_lookup *rec)
{
	int err;

	lockdep_assert_held(&nn->lock);

	err = rhashtable_remove_fast(&nn->lookups, &rec->node,
				     nvgre_lookup_params);
	if (err)
		return err;
	WARN_ON(rhltable_remove(&nn->lookups_mac, &rec->mac_node,
				nvgre_mac_params));
	nvgre_flood_unref(nn, rec->key.vsid, &rec->pa);
	call_rcu(&rec->rcu, nvgre_lookup_free_rcu);
	return 0;
}

/**
 * nvgre_lookup_insert - add a record, or atomically replace one
 * @nn: namespace
 * @k: (VSID, CA)
 * @mac: the VM's MAC address
 * @pa: PA of the host that runs the VM, IPv4 v4-mapped
 * @replace: replace an existing record instead of failing with -EEXIST
 *
 * Return: 0 when a record was added, 1 when one was replaced, or an error.
 */
int nvgre_lookup_insert(struct nvgre_net *nn, const struct nvgre_lookup_key *k,
			const u8 *mac, const struct in6_addr *pa, bool replace)
{
	struct nvgre_lookup *new, *old;
	int err;

	new = kmem_cache_zalloc(nvgre_lookup_cache, GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	new->key = *k;
	new->mkey.vsid = k->vsid;
	ether_addr_copy(new->mkey.mac, mac);
	new->pa = *pa;

	mutex_lock(&nn->lock);
	old = rhashtable_lookup_fast(&nn->lookups, k, nvgre_lookup_params);
	if (old && !replace) {
		err = -EEXIST;
		goto err_unlock;
	}

	err = nvgre_flood_ref(nn, k->vsid, pa);
	if (err)
		goto err_unlock;

	/*
	 * Publish by MAC first: until the old record leaves, transmit sees
	 * the new one (the newest record of a key is first in its list).
	 */
	err = rhltable_insert(&nn->lookups_mac, &new->mac_node,
			      nvgre_mac_params);
	if (err)
		goto err_unref;
	if (old)
		err = rhashtable_replace_fast(&nn->lookups, &old->node,
					      &new->node, nvgre_lookup_params);
	else
		err = rhashtable_insert_fast(&nn->lookups, &new->node,
					     nvgre_lookup_params);
	if (err)
		goto err_unpublish;
	if (old) {
		WARN_ON(rhltable_remove(&nn->lookups_mac, &old->mac_node,
					nvgre_mac_params));
		nvgre_flood_unref(nn, k->vsid, &old->pa);
		call_rcu(&old->rcu, nvgre_lookup_free_rcu);
	}
	WRITE_ONCE(nn->gen, nn->gen + 1);
	mutex_unlock(&nn->lock);
	return old ? 1 : 0;

err_unpublish:
	rhltable_remove(&nn->lookups_mac, &new->mac_node, nvgre_mac_params);
	nvgre_flood_unref(nn, k->vsid, pa);
	mutex_unlock(&nn->lock);
	/* Readers may have seen it in the MAC table. */
	call_rcu(&new->rcu, nvgre_lookup_free_rcu);
	return err;
err_unref:
	nvgre_flood_unref(nn, k->vsid, pa);
err_unlock:
	mutex_unlock(&nn->lock);
	kmem_cache_free(nvgre_lookup_cache, new);
	return err;
}

/* Deletes the record of @k; *@pa and @mac get what it said. */
int nvgre_lookup_delete(struct nvgre_net *nn, const struct nvgre_lookup_key *k,
			struct in6_addr *pa, u8 *mac)
{
	struct nvgre_lookup *rec;
	int err = -ENOENT;

	mutex_lock(&nn->lock);
	rec = rhashtable_lookup_fast(&nn->lookups, k, nvgre_lookup_params);
	if (rec) {
		*pa = rec->pa;
		ether_addr_copy(mac, rec->mkey.mac);
		err = nvgre_lookup_unlink(nn, rec);
	}
	if (!err)
		WRITE_ONCE(nn->gen, nn->gen + 1);
	mutex_unlock(&nn->lock);
	return err;
}

/*
 * One walk over the table, unlinking the records of @vsid (all if 0).
 * The walk pauses every 1024 records to reschedule; resuming after the
 * record it stopped at was unlinked may skip records of that bucket, so
 * *@paused tells the caller to walk again.
 */
static unsigned int nvgre_lookup_flush_pass(struct nvgre_net *nn, u32 vsid,
					    bool *paused)
{
	struct rhashtable_iter iter;
	struct nvgre_lookup *rec;
	unsigned int n = 0, seen = 0;

	*paused = false;
	rhashtable_walk_enter(&nn->lookups, &iter);
	rhashtable_walk_start(&iter);
	while ((rec = rhashtable_walk_next(&iter))) {
		if (IS_ERR(rec))
			continue;
		if ((!vsid || rec->key.vsid == vsid) &&
		    !nvgre_lookup_unlink(nn, rec))
			n++;
		if (!(++seen % 1024)) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
			*paused = true;
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return n;
}

/**
 * nvgre_lookup_flush - delete all records, or those of one VSID
 * @nn: namespace
 * @vsid: VSID, or 0 for all
 *
 * Return: the number of records deleted.
 */
unsigned int nvgre_lookup_flush(struct nvgre_net *nn, u32 vsid)
{
	unsigned int n = 0, pass;
	bool paused;

	mutex_lock(&nn->lock);
	do {
		pass = nvgre_lookup_flush_pass(nn, vsid, &paused);
		n += pass;
	} while (pass && paused);
	if (n)
		WRITE_ONCE(nn->gen, nn->gen + 1);
	mutex_unlock(&nn->lock);
	return n;
}

/* The lookups below need rcu_read_lock() or nvgre_net.lock. */

struct nvgre_lookup *nvgre_lookup_find(struct nvgre_net *nn, u32 vsid,
				       const struct in6_addr *ca)
{
	struct nvgre_lookup_key k = { .vsid = vsid, .ca = *ca };

	return rhashtable_lookup(&nn->lookups, &k, nvgre_lookup_params);
}

/* The record of @k, of any type. */
struct nvgre_lookup *nvgre_lookup_find_key(struct nvgre_net *nn,
					   const struct nvgre_lookup_key *k)
{
	return rhashtable_lookup(&nn->lookups, k, nvgre_lookup_params);
}

/* The gateway record of @vsid (enum nvgre_lookup_type), if any. */
struct nvgre_lookup *nvgre_lookup_find_gateway(struct nvgre_net *nn, u32 vsid)
{
	struct nvgre_lookup_key k = {
		.vsid = vsid,
		.type = NVGRE_LOOKUP_GATEWAY,
	};

	return rhashtable_lookup(&nn->lookups, &k, nvgre_lookup_params);
}

struct nvgre_lookup *nvgre_lookup_find4(struct nvgre_net *nn, u32 vsid,
					__be32 ca)
{
	struct nvgre_lookup_key k = { .vsid = vsid };

	ipv6_addr_set_v4mapped(ca, &k.ca);
	return rhashtable_lookup(&nn->lookups, &k, nvgre_lookup_params);
}

static struct rhlist_head *nvgre_lookup_mac_list(struct nvgre_net *nn,
						 u32 vsid, const u8 *mac)
{
	struct nvgre_mac_key k = { .vsid = vsid };

	memcpy(k.mac, mac, ETH_ALEN);
	return rhltable_lookup(&nn->lookups_mac, &k, nvgre_mac_params);
}

/* The newest record that owns @mac in @vsid. */
struct nvgre_lookup *nvgre_lookup_find_mac(struct nvgre_net *nn, u32 vsid,
					   const u8 *mac)
{
	struct rhlist_head *list = nvgre_lookup_mac_list(nn, vsid, mac);

	return list ? container_of(list, struct nvgre_lookup, mac_node) : NULL;
}

/* Whether a record of @vsid gives @mac the provider address @pa. */
bool nvgre_lookup_mac_has_pa(struct nvgre_net *nn, u32 vsid, const u8 *mac,
			     const struct in6_addr *pa)
{
	struct rhlist_head *list = nvgre_lookup_mac_list(nn, vsid, mac);
	struct nvgre_lookup *rec;
	struct rhlist_head *pos;

	rhl_for_each_entry_rcu(rec, pos, list, mac_node)
		if (ipv6_addr_equal(&rec->pa, pa))
			return true;
	return false;
}

/*
 * The newest record of @vsid that gives @mac a PA of the namespace of the
 * family @v4 says (a VM may have an IPv4 CA on an IPv4 PA and an IPv6 CA
 * on an IPv6 PA); *@pa gets it.
 */
bool nvgre_lookup_mac_local_pa(struct nvgre_net *nn, u32 vsid, const u8 *mac,
			       bool v4, struct in6_addr *pa)
{
	struct rhlist_head *list = nvgre_lookup_mac_list(nn, vsid, mac);
	struct nvgre_lookup *rec;
	struct rhlist_head *pos;

	rhl_for_each_entry_rcu(rec, pos, list, mac_node) {
		if (ipv6_addr_v4mapped(&rec->pa) == v4 &&
		    nvgre_pa_is_local(nn, &rec->pa)) {
			*pa = rec->pa;
			return true;
		}
	}
	return false;
}

/*
 * Whether an l2only or gateway record of @vsid gives @mac the PA @pa: such
 * a MAC may send with any inner source address, or none.
 */
bool nvgre_lookup_mac_any_ip(struct nvgre_net *nn, u32 vsid, const u8 *mac,
			     const struct in6_addr *pa)
{
	struct rhlist_head *list = nvgre_lookup_mac_list(nn, vsid, mac);
	struct nvgre_lookup *rec;
	struct rhlist_head *pos;

	rhl_for_each_entry_rcu(rec, pos, list, mac_node)
		if (rec->key.type != NVGRE_LOOKUP_STATIC &&
		    ipv6_addr_equal(&rec->pa, pa))
			return true;
	return false;
}

int nvgre_lookup_init(struct nvgre_net *nn)
{
	int err;

	err = rhashtable_init(&nn->lookups, &nvgre_lookup_params);
	if (err)
		return err;
	err = rhltable_init(&nn->lookups_mac, &nvgre_mac_params);
	if (err)
		goto err_lookups;
	err = nvgre_flood_init(nn);
	if (err)
		goto err_mac;
	return 0;

err_mac:
	rhltable_destroy(&nn->lookups_mac);
err_lookups:
	rhashtable_destroy(&nn->lookups);
	return err;
}

static void nvgre_lookup_free(void *ptr, void *arg)
{
	kmem_cache_free(nvgre_lookup_cache, ptr);
}

/* Namespace exit: no device, hook or netlink request can read any more. */
void nvgre_lookup_uninit(struct nvgre_net *nn)
{
	nvgre_flood_uninit(nn);
	rhltable_destroy(&nn->lookups_mac);
	rhashtable_free_and_destroy(&nn->lookups, nvgre_lookup_free, NULL);
}

int __init nvgre_lookup_cache_init(void)
{
	nvgre_lookup_cache = KMEM_CACHE(nvgre_lookup, 0);
	return nvgre_lookup_cache ? 0 : -ENOMEM;
}

void nvgre_lookup_cache_uninit(void)
{
	/* Wait for nvgre_lookup_free_rcu() callbacks in flight. */
	rcu_barrier();
	kmem_cache_destroy(nvgre_lookup_cache);
}
