/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvgre: the hash tables of the lookup records (htab.c).
 */
#ifndef _NVGRE_HTAB_H
#define _NVGRE_HTAB_H

#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/seqlock.h>

/**
 * struct nvgre_hnode - link of an entry in a chain of a struct nvgre_htab
 * @next: the next entry of the chain; written under the table's lock,
 *	read under RCU
 */
struct nvgre_hnode {
	struct nvgre_hnode __rcu *next;
};

/**
 * struct nvgre_hbuckets - the bucket array of a table
 * @rcu: freeing after readers are done
 * @future: while a resize moves the entries out of this array, the array
 *	they move to; readers that did not find a key here search it too
 * @size: number of buckets; fixed
 * @b: the chains; written under the table's lock, read under RCU
 *
 * The array and this header are one allocation of a power of two bytes,
 * so that kvmalloc() rounds nothing up; @size is what is left for @b.
 */
struct nvgre_hbuckets {
	struct rcu_head rcu;
	struct nvgre_hbuckets __rcu *future;
	u32 size;
	struct nvgre_hnode __rcu *b[];
};

/**
 * struct nvgre_htab - an RCU hash table of singly linked chains
 * @tbl: the current bucket array; written under @lock, read under RCU
 * @hash: the hash of an entry's key, to move it when the table resizes
 * @lock: the owner's lock, held by every writer
 * @nelems: number of entries; @lock
 * @seq: odd while a writer changes the chains (an insert, replace or
 *	removal, or a resize moving the entries); written under @lock, read
 *	by walks that must know whether they saw every entry exactly once
 *	(nvgre_htab_read_begin(), nvgre_htab_read_retry())
 * @seed: hash seed; fixed
 */
struct nvgre_htab {
	struct nvgre_hbuckets __rcu *tbl;
	u32 (*hash)(const struct nvgre_hnode *node, u32 seed);
	struct mutex *lock; /* the owner's, held by every writer */
	unsigned int nelems;
	seqcount_t seq;
	u32 seed;
};

/* The readers below need rcu_read_lock() or the table's lock. */

static inline struct nvgre_hbuckets *nvgre_htab_tbl(const struct nvgre_htab *ht)
{
	return rcu_dereference_check(ht->tbl, lockdep_is_held(ht->lock));
}

static inline struct nvgre_hnode *
nvgre_hbuckets_first(const struct nvgre_htab *ht,
		     const struct nvgre_hbuckets *t, u32 hash)
{
	return rcu_dereference_check(t->b[reciprocal_scale(hash, t->size)],
				     lockdep_is_held(ht->lock));
}

static inline struct nvgre_hnode *nvgre_hnode_next(const struct nvgre_htab *ht,
						   const struct nvgre_hnode *n)
{
	return rcu_dereference_check(n->next, lockdep_is_held(ht->lock));
}

/*
 * The array to search after @t: a resize publishes its new array in
 * @t->future before it empties any chain of @t, so a reader that reached
 * the end of an emptied chain sees where the entries went.
 */
static inline struct nvgre_hbuckets *
nvgre_hbuckets_next(const struct nvgre_htab *ht, const struct nvgre_hbuckets *t)
{
	/* Pairs with the smp_wmb() of nvgre_htab_move(). */
	smp_rmb();
	return rcu_dereference_check(t->future, lockdep_is_held(ht->lock));
}

/**
 * struct nvgre_hiter - a walk of the entries that may have a key
 * @ht: the table
 * @t: the array being walked
 * @hash: the key's hash
 *
 * Entries of other keys come too, and during a resize an entry may come
 * twice: the caller compares keys, and stops at the first that matches
 * when it wants the newest entry of a key (entries are added at the head
 * of their chain, and a resize keeps their order).
 */
struct nvgre_hiter {
	const struct nvgre_htab *ht;
	struct nvgre_hbuckets *t;
	u32 hash;
};

/* The head of the chain in @it->t, else of the next non-empty array's. */
static inline struct nvgre_hnode *nvgre_hiter_chain(struct nvgre_hiter *it)
{
	struct nvgre_hnode *n;

	for (; it->t; it->t = nvgre_hbuckets_next(it->ht, it->t)) {
		n = nvgre_hbuckets_first(it->ht, it->t, it->hash);
		if (n)
			return n;
	}
	return NULL;
}

static inline struct nvgre_hnode *nvgre_hiter_first(struct nvgre_hiter *it,
						    const struct nvgre_htab *ht,
						    u32 hash)
{
	it->ht = ht;
	it->t = nvgre_htab_tbl(ht);
	it->hash = hash;
	return nvgre_hiter_chain(it);
}

static inline struct nvgre_hnode *nvgre_hiter_next(struct nvgre_hiter *it,
						   const struct nvgre_hnode *n)
{
	struct nvgre_hnode *next = nvgre_hnode_next(it->ht, n);

	if (next)
		return next;
	it->t = nvgre_hbuckets_next(it->ht, it->t);
	return nvgre_hiter_chain(it);
}

/*
 * A walk that must see every entry once (a dump) brackets itself with
 * these, as read_seqcount_begin() and read_seqcount_retry() would: the
 * walk is exact when nvgre_htab_read_retry() says false.
 *
 * Writers open a section with raw_write_seqcount_begin(): count odd,
 * smp_wmb(), then the changes of the chains; they close it with smp_wmb()
 * and the count even again (htab.c). A walk reads the count, smp_rmb(),
 * walks the chains, smp_rmb(), and reads the count again. When the walk
 * saw anything a section stored, the barriers pair so that the second
 * read sees that section's opening increment at least: an equal, even
 * count before and after means that no section overlapped the walk. The
 * second smp_rmb() has to come between the walk and the read of the
 * count: after that read, as the generation of old had it, it let a weakly
 * ordered CPU read the count before the chains and miss a resize.
 *
 * Writers hold a mutex and may sleep inside a section (a resize of a
 * million entries reschedules), so they do not disable preemption, which
 * is why they use the raw_ functions; and no reader spins on an odd count:
 * nvgre_htab_read_begin() waits for the writer on its lock instead.
 */

/**
 * nvgre_htab_read_begin - the count of a table with no writer inside
 * @ht: the table
 *
 * Process context, without rcu_read_lock(): may sleep.
 *
 * Return: the even count to pass to nvgre_htab_read_retry().
 */
static inline unsigned int nvgre_htab_read_begin(struct nvgre_htab *ht)
{
	unsigned int seq;

	while ((seq = raw_read_seqcount(&ht->seq)) & 1) {
		mutex_lock(ht->lock);
		mutex_unlock(ht->lock);
	}
	return seq;
}

/* Whether a writer changed @ht since nvgre_htab_read_begin() gave @seq. */
static inline bool nvgre_htab_read_retry(struct nvgre_htab *ht,
					 unsigned int seq)
{
	return read_seqcount_retry(&ht->seq, seq);
}

/*
 * A lookup finds the entry that is in the table for the whole lookup. A
 * writer that inserts a key's new entry at the head of its chain and then
 * removes the old one (lookup.c's MAC table on a replace) can make a
 * lookup that read the head before the insert, and reaches the old
 * entry's place after the removal, find neither. Lookups that must not
 * miss such a key bracket themselves with these: a miss is looked up
 * again when a writer changed the chains meanwhile, at most
 * NVGRE_HTAB_LOOKUP_TRIES times in all, as the datapath may not wait for
 * a writer (it may have interrupted it).
 */
#define NVGRE_HTAB_LOOKUP_TRIES 4

/* Under rcu_read_lock(); the count to pass to nvgre_htab_lookup_again(). */
static inline unsigned int nvgre_htab_lookup_begin(struct nvgre_htab *ht)
{
	return raw_read_seqcount(&ht->seq);
}

/* Whether a lookup begun at @seq that found nothing is to be made again. */
static inline bool nvgre_htab_lookup_again(struct nvgre_htab *ht,
					   unsigned int seq,
					   unsigned int *tries)
{
	return ++*tries < NVGRE_HTAB_LOOKUP_TRIES &&
	       read_seqcount_retry(&ht->seq, seq);
}

/**
 * struct nvgre_hcursor - where a walk of a table (nvgre_htab_walk()) stands
 * @size: buckets of the array walked; 0 before the first call
 * @bucket: the bucket it stands in
 * @skip: the entries of that bucket already passed
 * @restarts: times a resize made it start over
 */
struct nvgre_hcursor {
	u32 size;
	u32 bucket;
	u32 skip;
	u32 restarts;
};

/* htab.c: writers hold the table's lock. */
int nvgre_htab_init(struct nvgre_htab *ht, struct mutex *lock,
		    u32 (*hash)(const struct nvgre_hnode *node, u32 seed));
void nvgre_htab_destroy(struct nvgre_htab *ht);
void nvgre_htab_insert(struct nvgre_htab *ht, struct nvgre_hnode *node,
		       u32 hash);
void nvgre_htab_replace(struct nvgre_htab *ht, struct nvgre_hnode *old,
			struct nvgre_hnode *new, u32 hash);
void nvgre_htab_remove(struct nvgre_htab *ht, struct nvgre_hnode *node,
		       u32 hash);
unsigned int nvgre_htab_remove_if(struct nvgre_htab *ht,
				  bool (*match)(struct nvgre_hnode *n, void *arg),
				  void (*removed)(struct nvgre_hnode *n, void *arg),
				  void *arg);
int nvgre_htab_walk(struct nvgre_htab *ht, struct nvgre_hcursor *c,
		    int (*fn)(struct nvgre_hnode *n, void *arg), void *arg);

#endif /* _NVGRE_HTAB_H */
