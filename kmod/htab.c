// SPDX-License-Identifier: GPL-2.0
/*
 * The hash tables of the lookup records: chains of singly linked entries
 * that readers walk under RCU and that the writer resizes in place.
 *
 * Why not rhashtable: it grows a table once it is 75% full, and kvmalloc()
 * rounds its bucket array plus header up to the next power of two, so the
 * two tables of 100,000 records took 84 bytes a record where the goal for
 * the whole record is 128 (docs/benchmarks.md). These tables grow once they
 * hold more entries than buckets, and an array with its header is one
 * power-of-two allocation: two tables cost 16 to 32 bytes a record. An
 * entry is one pointer, where an rhlist_head is two.
 *
 * Writers hold the owner's mutex (struct nvgre_htab.lock) and resize on the
 * insert or removal that crosses a limit, so nothing else writes while
 * entries move. Readers hold rcu_read_lock(). A resize publishes the new
 * array as the old one's ->future, then moves the entries one at a time,
 * always the last entry of an old chain to the head of its new chain: a
 * reader walking an old chain either reaches the entry it looks for, or
 * finds the chain cut short before it and goes on to the future array,
 * where the entry already is. A reader standing on an entry as it moves
 * walks on into the entry's new chain, whose other keys it skips. The old
 * array is freed after a grace period.
 *
 * Every change of the chains, a resize included, is a write section of
 * the table's seqcount (struct nvgre_htab.seq), so that a dump learns
 * whether its walk could have missed or repeated an entry (htab.h).
 */

#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "htab.h"

/* The smallest array: 28 buckets on 64-bit. */
#define NVGRE_HTAB_MIN_BYTES	256
/* The largest: about 134 million buckets. */
#define NVGRE_HTAB_MAX_BYTES	SZ_1G

#define htab_deref(ht, p) rcu_dereference_protected(p, lockdep_is_held((ht)->lock))

static struct nvgre_hbuckets *nvgre_hbuckets_alloc(size_t bytes)
{
	struct nvgre_hbuckets *t;

	t = kvzalloc(bytes, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (t)
		t->size = (bytes - sizeof(*t)) / sizeof(t->b[0]);
	return t;
}

static size_t nvgre_hbuckets_bytes(const struct nvgre_hbuckets *t)
{
	return struct_size(t, b, t->size);
}

/* The bytes of an array for @n entries: at least twice as many buckets. */
static size_t nvgre_htab_fit_bytes(unsigned int n)
{
	size_t want = sizeof(struct nvgre_hbuckets) + 2 * (size_t)n * sizeof(void *);

	if (want <= NVGRE_HTAB_MIN_BYTES)
		return NVGRE_HTAB_MIN_BYTES;
	if (want >= NVGRE_HTAB_MAX_BYTES)
		return NVGRE_HTAB_MAX_BYTES;
	return roundup_pow_of_two(want);
}

/* Like rhashtable's arrays, freed from the RCU callback (vfree defers). */
static void nvgre_hbuckets_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct nvgre_hbuckets, rcu));
}

/* Moves every entry of @t to @nt, keeping the order of each chain. */
static void nvgre_htab_move(struct nvgre_htab *ht, struct nvgre_hbuckets *t,
			    struct nvgre_hbuckets *nt)
{
	struct nvgre_hnode __rcu **pp, **nb;
	struct nvgre_hnode *n, *next;
	u32 i;

	for (i = 0; i < t->size; i++) {
		while (htab_deref(ht, t->b[i])) {
			pp = &t->b[i];
			n = htab_deref(ht, *pp);
			while ((next = htab_deref(ht, n->next))) {
				pp = &n->next;
				n = next;
			}
			nb = &nt->b[reciprocal_scale(ht->hash(n, ht->seed),
						     nt->size)];
			rcu_assign_pointer(n->next, htab_deref(ht, *nb));
			rcu_assign_pointer(*nb, n);
			/* In @nt before it leaves @t: nvgre_hbuckets_next(). */
			smp_wmb();
			RCU_INIT_POINTER(*pp, NULL);
		}
		if (!(i % 1024))
			cond_resched();
	}
}

/*
 * Moves the entries to an array of @bytes. Without memory for it the table
 * keeps its array: chains get longer, nothing fails.
 */
static void nvgre_htab_resize(struct nvgre_htab *ht, size_t bytes)
{
	struct nvgre_hbuckets *t = htab_deref(ht, ht->tbl), *nt;

	if (bytes == nvgre_hbuckets_bytes(t))
		return;
	nt = nvgre_hbuckets_alloc(bytes);
	if (!nt)
		return;
	/* A walk that sees an entry move sees the count change: htab.h. */
	raw_write_seqcount_begin(&ht->seq);
	rcu_assign_pointer(t->future, nt);
	nvgre_htab_move(ht, t, nt);
	rcu_assign_pointer(ht->tbl, nt);
	raw_write_seqcount_end(&ht->seq);
	call_rcu(&t->rcu, nvgre_hbuckets_free_rcu);
}

/* Grows the table past one entry a bucket, shrinks it under a quarter. */
static void nvgre_htab_fit(struct nvgre_htab *ht)
{
	struct nvgre_hbuckets *t = htab_deref(ht, ht->tbl);

	if (ht->nelems > t->size ||
	    (ht->nelems < t->size / 4 &&
	     nvgre_hbuckets_bytes(t) > NVGRE_HTAB_MIN_BYTES))
		nvgre_htab_resize(ht, nvgre_htab_fit_bytes(ht->nelems));
}

/**
 * nvgre_htab_init - an empty table
 * @ht: the table
 * @lock: the mutex its writers will hold
 * @hash: the hash of an entry's key with a seed; lookups must use the same
 *
 * Return: 0 or -ENOMEM.
 */
int nvgre_htab_init(struct nvgre_htab *ht, struct mutex *lock,
		    u32 (*hash)(const struct nvgre_hnode *node, u32 seed))
{
	struct nvgre_hbuckets *t = nvgre_hbuckets_alloc(NVGRE_HTAB_MIN_BYTES);

	if (!t)
		return -ENOMEM;
	ht->lock = lock;
	ht->hash = hash;
	ht->nelems = 0;
	seqcount_init(&ht->seq);
	ht->seed = get_random_u32();
	RCU_INIT_POINTER(ht->tbl, t);
	return 0;
}

/* Frees the array of an empty table that no reader can reach any more. */
void nvgre_htab_destroy(struct nvgre_htab *ht)
{
	WARN_ON(ht->nelems);
	kvfree(rcu_dereference_protected(ht->tbl, true));
	RCU_INIT_POINTER(ht->tbl, NULL);
}

/* The link to @node in its chain of the current array. */
static struct nvgre_hnode __rcu **nvgre_htab_link(struct nvgre_htab *ht,
						  const struct nvgre_hnode *node,
						  u32 hash)
{
	struct nvgre_hbuckets *t = htab_deref(ht, ht->tbl);
	struct nvgre_hnode __rcu **pp = &t->b[reciprocal_scale(hash, t->size)];
	struct nvgre_hnode *n;

	while ((n = htab_deref(ht, *pp)) != node) {
		if (WARN_ON_ONCE(!n))
			return NULL;
		pp = &n->next;
	}
	return pp;
}

/**
 * nvgre_htab_insert - publish @node at the head of its chain
 * @ht: the table
 * @node: the entry, not in any table
 * @hash: the hash of its key (struct nvgre_htab.hash)
 */
void nvgre_htab_insert(struct nvgre_htab *ht, struct nvgre_hnode *node,
		       u32 hash)
{
	struct nvgre_hbuckets *t = htab_deref(ht, ht->tbl);
	struct nvgre_hnode __rcu **b = &t->b[reciprocal_scale(hash, t->size)];

	raw_write_seqcount_begin(&ht->seq);
	RCU_INIT_POINTER(node->next, htab_deref(ht, *b));
	rcu_assign_pointer(*b, node);
	raw_write_seqcount_end(&ht->seq);
	ht->nelems++;
	nvgre_htab_fit(ht);
}

/**
 * nvgre_htab_replace - put @new in the place of @old, for readers at once
 * @ht: the table
 * @old: an entry of @ht
 * @new: an entry with the same key, not in any table
 * @hash: the hash of that key
 */
void nvgre_htab_replace(struct nvgre_htab *ht, struct nvgre_hnode *old,
			struct nvgre_hnode *new, u32 hash)
{
	struct nvgre_hnode __rcu **pp = nvgre_htab_link(ht, old, hash);

	if (!pp)
		return;
	RCU_INIT_POINTER(new->next, htab_deref(ht, old->next));
	raw_write_seqcount_begin(&ht->seq);
	rcu_assign_pointer(*pp, new);
	raw_write_seqcount_end(&ht->seq);
}

/**
 * nvgre_htab_remove - unpublish @node
 * @ht: the table
 * @node: an entry of @ht; readers standing on it may go on walking from it
 *	until a grace period has passed
 * @hash: the hash of its key
 */
void nvgre_htab_remove(struct nvgre_htab *ht, struct nvgre_hnode *node,
		       u32 hash)
{
	struct nvgre_hnode __rcu **pp = nvgre_htab_link(ht, node, hash);

	if (!pp)
		return;
	raw_write_seqcount_begin(&ht->seq);
	RCU_INIT_POINTER(*pp, htab_deref(ht, node->next));
	raw_write_seqcount_end(&ht->seq);
	ht->nelems--;
	nvgre_htab_fit(ht);
}

/**
 * nvgre_htab_remove_if - unpublish every entry @match accepts
 * @ht: the table
 * @match: whether to remove the entry; must not change @ht
 * @removed: called for each entry once it left @ht, to dispose of it;
 *	must not change @ht
 * @arg: passed to both
 *
 * Reschedules every 1024 buckets, with the lock held; from the first
 * removal to the last, the table's seqcount stays odd.
 *
 * Return: the number of entries removed.
 */
unsigned int nvgre_htab_remove_if(struct nvgre_htab *ht,
				  bool (*match)(struct nvgre_hnode *n, void *arg),
				  void (*removed)(struct nvgre_hnode *n, void *arg),
				  void *arg)
{
	struct nvgre_hbuckets *t = htab_deref(ht, ht->tbl);
	struct nvgre_hnode __rcu **pp;
	struct nvgre_hnode *n;
	unsigned int count = 0;
	u32 i;

	for (i = 0; i < t->size; i++) {
		pp = &t->b[i];
		while ((n = htab_deref(ht, *pp))) {
			if (!match(n, arg)) {
				pp = &n->next;
				continue;
			}
			if (!count)
				raw_write_seqcount_begin(&ht->seq);
			RCU_INIT_POINTER(*pp, htab_deref(ht, n->next));
			ht->nelems--;
			count++;
			removed(n, arg);
		}
		if (!(i % 1024))
			cond_resched();
	}
	if (count)
		raw_write_seqcount_end(&ht->seq);
	nvgre_htab_fit(ht);
	return count;
}

/**
 * nvgre_htab_walk - call @fn for each entry, from where @c stopped
 * @ht: the table
 * @c: the cursor, zeroed before the first call
 * @fn: called for each entry under RCU; a non-zero return stops the walk
 *	with @c on that entry, which the next call passes to @fn again
 * @arg: passed to @fn
 *
 * Called under rcu_read_lock(), across which @c may be kept. When the array
 * has another size than at the last call, the walk starts over
 * (@c->restarts); an entry that moved since the last call, or moves during
 * this one, may be missed or come twice, as may one inserted or removed
 * before the cursor, which nvgre_htab_read_retry() tells the caller.
 *
 * Return: what @fn returned, or 0 once every entry was passed.
 */
int nvgre_htab_walk(struct nvgre_htab *ht, struct nvgre_hcursor *c,
		    int (*fn)(struct nvgre_hnode *n, void *arg), void *arg)
{
	struct nvgre_hbuckets *t = rcu_dereference(ht->tbl);
	struct nvgre_hnode *n;
	u32 skip;
	int ret;

	if (c->size != t->size) {
		if (c->size)
			c->restarts++;
		c->size = t->size;
		c->bucket = 0;
		c->skip = 0;
	}
	for (; c->bucket < t->size; c->bucket++, c->skip = 0) {
		skip = c->skip;
		for (n = rcu_dereference(t->b[c->bucket]); n;
		     n = rcu_dereference(n->next)) {
			if (skip) {
				skip--;
				continue;
			}
			ret = fn(n, arg);
			if (ret)
				return ret;
			c->skip++;
		}
	}
	return 0;
}
