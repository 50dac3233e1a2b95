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
 * flood set treat every type alike. Both are struct nvgre_htab (htab.c):
 * readers walk them under RCU without locks, also while they resize;
 * writers hold nvgre_net.lock. Records never change once published: an
 * update publishes a new record next to the old one and then unpublishes
 * the old one, so a reader always finds one.
 */

#include <linux/jhash.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "nvgre.h"

static struct kmem_cache *nvgre_lookup_cache __read_mostly;

static u32 nvgre_key_hash(const struct nvgre_lookup_key *k, u32 seed)
{
	const u32 w[6] = {
		k->vsid, k->type,
		(__force u32)k->ca.s6_addr32[0], (__force u32)k->ca.s6_addr32[1],
		(__force u32)k->ca.s6_addr32[2], (__force u32)k->ca.s6_addr32[3],
	};

	return jhash2(w, ARRAY_SIZE(w), seed);
}

static bool nvgre_key_equal(const struct nvgre_lookup_key *a,
			    const struct nvgre_lookup_key *b)
{
	return a->vsid == b->vsid && a->type == b->type &&
	       ipv6_addr_equal(&a->ca, &b->ca);
}

static u32 nvgre_mac_hash(u32 vsid, const u8 *mac, u32 seed)
{
	return jhash_3words(vsid, get_unaligned((const u32 *)mac),
			    get_unaligned((const u16 *)(mac + 4)), seed);
}

static u32 nvgre_lookup_node_hash(const struct nvgre_hnode *n, u32 seed)
{
	return nvgre_key_hash(&container_of(n, struct nvgre_lookup, node)->key,
			      seed);
}

static u32 nvgre_lookup_mac_node_hash(const struct nvgre_hnode *n, u32 seed)
{
	const struct nvgre_lookup *rec =
		container_of(n, struct nvgre_lookup, mac_node);

	return nvgre_mac_hash(rec->key.vsid, rec->mac, seed);
}

static void nvgre_lookup_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(nvgre_lookup_cache,
			container_of(rcu, struct nvgre_lookup, rcu));
}

/*
 * Takes @rec, already out of nvgre_net.lookups, out of the MAC table and
 * the flood set, and frees it after a grace period.
 */
static void nvgre_lookup_retire(struct nvgre_net *nn, struct nvgre_lookup *rec)
{
	lockdep_assert_held(&nn->lock);

	nvgre_htab_remove(&nn->lookups_mac, &rec->mac_node,
			  nvgre_mac_hash(rec->key.vsid, rec->mac,
					 nn->lookups_mac.seed));
	nvgre_flood_unref(nn, rec->key.vsid, &rec->pa);
	call_rcu(&rec->rcu, nvgre_lookup_free_rcu);
}

/*
 * The record of @k, whose hash in nvgre_net.lookups is @hash; no
 * reference is taken: the caller holds rcu_read_lock() or nvgre_net.lock.
 */
static struct nvgre_lookup *
nvgre_lookup_find_hashed(struct nvgre_net *nn, const struct nvgre_lookup_key *k,
			 u32 hash)
{
	struct nvgre_lookup *rec;
	struct nvgre_hiter it;
	struct nvgre_hnode *n;

	for (n = nvgre_hiter_first(&it, &nn->lookups, hash); n;
	     n = nvgre_hiter_next(&it, n)) {
		rec = container_of(n, struct nvgre_lookup, node);
		if (nvgre_key_equal(&rec->key, k))
			return rec;
	}
	return NULL;
}

/**
 * nvgre_lookup_insert - add a record, or atomically replace one
 * @nn: namespace
 * @k: (VSID, CA)
 * @mac: the VM's MAC address
 * @pa: PA of the host that runs the VM, IPv4 v4-mapped
 * @proto: who installs it (NVGRE_PROTO_*); a replace sets it too
 * @replace: replace an existing record instead of failing with -EEXIST
 *
 * The record, and the bucket array when the tables grow, are charged to
 * the caller's memory cgroup.
 *
 * Return: 0 when a record was added, 1 when one was replaced, or an error
 * (-ENOSPC: the namespace has nvgre_net.limits.records records).
 */
int nvgre_lookup_insert(struct nvgre_net *nn, const struct nvgre_lookup_key *k,
			const u8 *mac, const struct in6_addr *pa, u8 proto,
			bool replace)
{
	struct nvgre_lookup *new, *old;
	u32 hash;
	int err;

	new = kmem_cache_zalloc(nvgre_lookup_cache, GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	new->key = *k;
	ether_addr_copy(new->mac, mac);
	new->proto = proto;
	new->pa = *pa;
	hash = nvgre_key_hash(k, nn->lookups.seed);

	mutex_lock(&nn->lock);
	old = nvgre_lookup_find_hashed(nn, k, hash);
	if (old && !replace) {
		err = -EEXIST;
		goto err_unlock;
	}
	if (!old && nn->lookups.nelems >= READ_ONCE(nn->limits.records)) {
		err = -ENOSPC;
		goto err_unlock;
	}
	err = nvgre_flood_ref(nn, k->vsid, pa);
	if (err)
		goto err_unlock;

	/*
	 * Publish by MAC first: until the old record leaves, transmit sees
	 * the new one (the newest record of a MAC is first in its chain).
	 */
	nvgre_htab_insert(&nn->lookups_mac, &new->mac_node,
			  nvgre_mac_hash(k->vsid, mac, nn->lookups_mac.seed));
	if (old) {
		nvgre_htab_replace(&nn->lookups, &old->node, &new->node, hash);
		nvgre_lookup_retire(nn, old);
	} else {
		nvgre_htab_insert(&nn->lookups, &new->node, hash);
	}
	mutex_unlock(&nn->lock);
	return old ? 1 : 0;

err_unlock:
	mutex_unlock(&nn->lock);
	kmem_cache_free(nvgre_lookup_cache, new);
	return err;
}

/**
 * nvgre_lookup_delete - delete a record
 * @nn: namespace
 * @k: its key
 * @want_proto: delete it only if it has this protocol (else -EPERM), or
 *	-1 for any; checked under the lock, so that a record an administrator
 *	replaced a moment ago is not deleted by a program that owned it before
 * @pa: gets its PA
 * @mac: gets its MAC
 * @proto: gets its protocol
 *
 * Return: 0, -ENOENT or -EPERM.
 */
int nvgre_lookup_delete(struct nvgre_net *nn, const struct nvgre_lookup_key *k,
			int want_proto, struct in6_addr *pa, u8 *mac,
			u8 *proto)
{
	u32 hash = nvgre_key_hash(k, nn->lookups.seed);
	struct nvgre_lookup *rec;
	int err = -ENOENT;

	mutex_lock(&nn->lock);
	rec = nvgre_lookup_find_hashed(nn, k, hash);
	if (rec && want_proto >= 0 && rec->proto != want_proto) {
		err = -EPERM;
	} else if (rec) {
		*pa = rec->pa;
		ether_addr_copy(mac, rec->mac);
		*proto = rec->proto;
		nvgre_htab_remove(&nn->lookups, &rec->node, hash);
		nvgre_lookup_retire(nn, rec);
		err = 0;
	}
	mutex_unlock(&nn->lock);
	return err;
}

/* The VSID a flush empties, 0 for all, and where it happens. */
struct nvgre_flush {
	struct nvgre_net *nn;
	u32 vsid;
};

static bool nvgre_lookup_flush_match(struct nvgre_hnode *n, void *arg)
{
	const struct nvgre_flush *f = arg;

	return !f->vsid ||
	       container_of(n, struct nvgre_lookup, node)->key.vsid == f->vsid;
}

static void nvgre_lookup_flush_removed(struct nvgre_hnode *n, void *arg)
{
	const struct nvgre_flush *f = arg;

	nvgre_lookup_retire(f->nn, container_of(n, struct nvgre_lookup, node));
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
	struct nvgre_flush f = { .nn = nn, .vsid = vsid };
	unsigned int n;

	mutex_lock(&nn->lock);
	n = nvgre_htab_remove_if(&nn->lookups, nvgre_lookup_flush_match,
				 nvgre_lookup_flush_removed, &f);
	mutex_unlock(&nn->lock);
	return n;
}

/* The lookups below need rcu_read_lock() or nvgre_net.lock. */

struct nvgre_lookup *nvgre_lookup_find(struct nvgre_net *nn, u32 vsid,
				       const struct in6_addr *ca)
{
	struct nvgre_lookup_key k = { .vsid = vsid, .ca = *ca };

	return nvgre_lookup_find_key(nn, &k);
}

/* The record of @k, of any type. */
struct nvgre_lookup *nvgre_lookup_find_key(struct nvgre_net *nn,
					   const struct nvgre_lookup_key *k)
{
	return nvgre_lookup_find_hashed(nn, k,
					nvgre_key_hash(k, nn->lookups.seed));
}

/* The gateway record of @vsid (enum nvgre_lookup_type), if any. */
struct nvgre_lookup *nvgre_lookup_find_gateway(struct nvgre_net *nn, u32 vsid)
{
	struct nvgre_lookup_key k = {
		.vsid = vsid,
		.type = NVGRE_LOOKUP_GATEWAY,
	};

	return nvgre_lookup_find_key(nn, &k);
}

struct nvgre_lookup *nvgre_lookup_find4(struct nvgre_net *nn, u32 vsid,
					__be32 ca)
{
	struct nvgre_lookup_key k = { .vsid = vsid };

	ipv6_addr_set_v4mapped(ca, &k.ca);
	return nvgre_lookup_find_key(nn, &k);
}

/* @n or the first after it that is a record of (@vsid, @mac). */
static struct nvgre_lookup *nvgre_lookup_mac_match(struct nvgre_hiter *it,
						   struct nvgre_hnode *n,
						   u32 vsid, const u8 *mac)
{
	struct nvgre_lookup *rec;

	for (; n; n = nvgre_hiter_next(it, n)) {
		rec = container_of(n, struct nvgre_lookup, mac_node);
		if (rec->key.vsid == vsid && ether_addr_equal(rec->mac, mac))
			return rec;
	}
	return NULL;
}

/*
 * The records of (@vsid, @mac), newest first: nvgre_lookup_mac_first(),
 * then nvgre_lookup_mac_next() until NULL. During a resize one may come
 * twice, which none of the questions below minds. A replace inserts the
 * new record before it removes the old one, so they ask again when they
 * found nothing while a writer changed the table (htab.h).
 */
static struct nvgre_lookup *nvgre_lookup_mac_first(struct nvgre_hiter *it,
						   struct nvgre_net *nn,
						   u32 vsid, const u8 *mac)
{
	u32 hash = nvgre_mac_hash(vsid, mac, nn->lookups_mac.seed);

	return nvgre_lookup_mac_match(it,
				      nvgre_hiter_first(it, &nn->lookups_mac, hash),
				      vsid, mac);
}

static struct nvgre_lookup *nvgre_lookup_mac_next(struct nvgre_hiter *it,
						  const struct nvgre_lookup *rec)
{
	return nvgre_lookup_mac_match(it, nvgre_hiter_next(it, &rec->mac_node),
				      rec->key.vsid, rec->mac);
}

/*
 * The newest record of (@vsid, @mac) that @match accepts (NULL: any), or
 * NULL; asks again, at most a few times, when it found none while a writer
 * changed the table. Inlined with its @match into each question below.
 */
static __always_inline struct nvgre_lookup *
nvgre_lookup_mac_search(struct nvgre_net *nn, u32 vsid, const u8 *mac,
			bool (*match)(const struct nvgre_lookup *rec,
				      const void *arg),
			const void *arg)
{
	struct nvgre_htab *ht = &nn->lookups_mac;
	unsigned int seq, tries = 0;
	struct nvgre_lookup *rec;
	struct nvgre_hiter it;

	do {
		seq = nvgre_htab_lookup_begin(ht);
		for (rec = nvgre_lookup_mac_first(&it, nn, vsid, mac); rec;
		     rec = nvgre_lookup_mac_next(&it, rec))
			if (!match || match(rec, arg))
				return rec;
	} while (nvgre_htab_lookup_again(ht, seq, &tries));
	return NULL;
}

/* The newest record that owns @mac in @vsid. */
struct nvgre_lookup *nvgre_lookup_find_mac(struct nvgre_net *nn, u32 vsid,
					   const u8 *mac)
{
	return nvgre_lookup_mac_search(nn, vsid, mac, NULL, NULL);
}

/* What nvgre_lookup_mac_pa() asks of a record. */
struct nvgre_mac_pa_query {
	const struct in6_addr *pa;	/* NULL: any PA */
	bool any_ip;
};

static bool nvgre_lookup_mac_pa_match(const struct nvgre_lookup *rec,
				      const void *arg)
{
	const struct nvgre_mac_pa_query *q = arg;

	return (!q->any_ip || rec->key.type != NVGRE_LOOKUP_STATIC) &&
	       (!q->pa || ipv6_addr_equal(&rec->pa, q->pa));
}

/*
 * The newest record of @vsid that gives @mac the provider address @pa
 * (NULL: any PA); with @any_ip, only an l2only or gateway record counts:
 * such a MAC may send with any inner source address, or none.
 */
static struct nvgre_lookup *nvgre_lookup_mac_pa(struct nvgre_net *nn,
						u32 vsid, const u8 *mac,
						const struct in6_addr *pa,
						bool any_ip)
{
	struct nvgre_mac_pa_query q = { .pa = pa, .any_ip = any_ip };

	return nvgre_lookup_mac_search(nn, vsid, mac,
				       nvgre_lookup_mac_pa_match, &q);
}

struct nvgre_lookup *nvgre_lookup_mac_find_pa(struct nvgre_net *nn, u32 vsid,
					      const u8 *mac,
					      const struct in6_addr *pa)
{
	return nvgre_lookup_mac_pa(nn, vsid, mac, pa, false);
}

bool nvgre_lookup_mac_any_ip(struct nvgre_net *nn, u32 vsid, const u8 *mac,
			     const struct in6_addr *pa)
{
	return nvgre_lookup_mac_pa(nn, vsid, mac, pa, true);
}

/* What nvgre_lookup_mac_local_pa() asks of a record. */
struct nvgre_mac_local_query {
	struct nvgre_net *nn;
	bool v4;
};

static bool nvgre_lookup_mac_local_match(const struct nvgre_lookup *rec,
					 const void *arg)
{
	const struct nvgre_mac_local_query *q = arg;

	return ipv6_addr_v4mapped(&rec->pa) == q->v4 &&
	       nvgre_pa_is_local(q->nn, &rec->pa);
}

/*
 * The newest record of @vsid that gives @mac a PA of the namespace of the
 * family @v4 says (a VM may have an IPv4 CA on an IPv4 PA and an IPv6 CA
 * on an IPv6 PA); *@pa gets it.
 */
bool nvgre_lookup_mac_local_pa(struct nvgre_net *nn, u32 vsid, const u8 *mac,
			       bool v4, struct in6_addr *pa)
{
	struct nvgre_mac_local_query q = { .nn = nn, .v4 = v4 };
	struct nvgre_lookup *rec;

	rec = nvgre_lookup_mac_search(nn, vsid, mac,
				      nvgre_lookup_mac_local_match, &q);
	if (!rec)
		return false;
	*pa = rec->pa;
	return true;
}

/* A dump's callback and its argument, behind nvgre_htab_walk()'s. */
struct nvgre_lookup_walker {
	int (*fn)(const struct nvgre_lookup *rec, void *arg);
	void *arg;
};

static int nvgre_lookup_walk_one(struct nvgre_hnode *n, void *arg)
{
	struct nvgre_lookup_walker *w = arg;

	return w->fn(container_of(n, struct nvgre_lookup, node), w->arg);
}

/**
 * nvgre_lookup_walk - pass the records to @fn, from where @c stopped
 * @nn: namespace
 * @c: cursor, zeroed before the first call
 * @fn: called for each record; a non-zero return stops the walk, and the
 *	next call starts with that record again
 * @arg: passed to @fn
 *
 * Under rcu_read_lock(), between nvgre_lookup_read_begin() and
 * nvgre_lookup_read_retry(): a retry, or a count from the begin of this
 * call other than that of the last, means the walk may have missed
 * records or repeated some.
 *
 * Return: what @fn returned, or 0 at the end.
 */
int nvgre_lookup_walk(struct nvgre_net *nn, struct nvgre_hcursor *c,
		      int (*fn)(const struct nvgre_lookup *rec, void *arg),
		      void *arg)
{
	struct nvgre_lookup_walker w = { .fn = fn, .arg = arg };

	return nvgre_htab_walk(&nn->lookups, c, nvgre_lookup_walk_one, &w);
}

/**
 * nvgre_lookup_read_begin - the seqcount of the records before a walk
 * @nn: namespace
 *
 * The count of nvgre_net.lookups, which every change of the records and
 * every move of them in a resize passes through (htab.h). Waits for a
 * writer in the middle of a change: process context, outside RCU.
 *
 * Return: an even count for nvgre_lookup_read_retry().
 */
unsigned int nvgre_lookup_read_begin(struct nvgre_net *nn)
{
	return nvgre_htab_read_begin(&nn->lookups);
}

/* Whether the records changed since nvgre_lookup_read_begin() gave @seq. */
bool nvgre_lookup_read_retry(struct nvgre_net *nn, unsigned int seq)
{
	return nvgre_htab_read_retry(&nn->lookups, seq);
}

int nvgre_lookup_init(struct nvgre_net *nn)
{
	int err;

	err = nvgre_htab_init(&nn->lookups, &nn->lock, nvgre_lookup_node_hash);
	if (err)
		return err;
	err = nvgre_htab_init(&nn->lookups_mac, &nn->lock,
			      nvgre_lookup_mac_node_hash);
	if (err)
		goto err_lookups;
	err = nvgre_flood_init(nn);
	if (err)
		goto err_mac;
	return 0;

err_mac:
	nvgre_htab_destroy(&nn->lookups_mac);
err_lookups:
	nvgre_htab_destroy(&nn->lookups);
	return err;
}

/*
 * Namespace exit: no device, hook or netlink request can read any more.
 * The records go as a flush would take them, after a grace period.
 */
void nvgre_lookup_uninit(struct nvgre_net *nn)
{
	nvgre_lookup_flush(nn, 0);
	nvgre_flood_uninit(nn);
	nvgre_htab_destroy(&nn->lookups_mac);
	nvgre_htab_destroy(&nn->lookups);
}

int __init nvgre_lookup_cache_init(void)
{
	nvgre_lookup_cache = KMEM_CACHE(nvgre_lookup, SLAB_ACCOUNT);
	return nvgre_lookup_cache ? 0 : -ENOMEM;
}

void nvgre_lookup_cache_uninit(void)
{
	/* Wait for nvgre_lookup_free_rcu() callbacks in flight. */
	rcu_barrier();
	kmem_cache_destroy(nvgre_lookup_cache);
}
