// SPDX-License-Identifier: GPL-2.0
/*
 * nvgre_selftest: the record tables (htab.c) against a reference model.
 *
 * htab.c is the one data structure of nvgre that is not the kernel's own,
 * so it gets what WireGuard gives its allowedips trie: random operations
 * checked against a model simple enough to be obviously right. This module
 * compiles its own copy of htab.c (nvgre.ko exports nothing, and is not
 * touched), runs the test from its init and fails to load, saying why,
 * when the table gave one wrong answer. It is built only for the selftests
 * (Kbuild: NVGRE_SELFTEST=m) and never installed or packaged;
 * selftests/nvgre_htab.sh loads it in the test VMs.
 *
 * The writer (the loading task) holds the table's mutex and runs random
 * inserts, second and third entries of a key, replaces, updates (a new
 * entry, then the old one removed, as lookup.c updates its MAC table),
 * removes and removals by predicate, in phases that fill and drain the
 * table so that it resizes both ways many times. After each operation it
 * compares the key's entries with the model, in order; after each resize
 * and every 1024 operations, the whole table: every entry in the bucket of
 * its hash and in the model, the array sized as htab.c promises. Its walks
 * go in chunks with the cursor, as dumps do, with replaces or net-zero
 * inserts and removes (which may resize the table) between the chunks,
 * and must see every entry exactly once unless the table was resized after
 * the walk last started over.
 *
 * Meanwhile readers (kthreads) look keys up under rcu_read_lock() alone.
 * The pinned keys must always be found, their newest entry never older
 * than one found before; keys never inserted must never be found; no
 * entry a lookup or a walk reaches may have been unlinked a grace period
 * earlier (get_state_synchronize_rcu() when it was unlinked,
 * poll_state_synchronize_rcu() when it is reached), and a freed entry
 * (poisoned) is never reached. A reader's walk that no change of the key
 * set overlapped (a sequence count) must see exactly as many entries, of
 * the same keys, as the writer says the table holds.
 *
 * What the table promises a lookup is the entry that was in it for the
 * whole lookup (or one of the same key before it in the chain), not an
 * entry of a key that always had one: a lookup that started before a new
 * entry was inserted at the head of the chain, and reaches the place of
 * the old one after it was removed, finds neither, and must look again
 * (nvgre_htab_lookup_again(), as lookup.c's MAC lookups do). So a pinned
 * key with one entry is also updated as lookup.c replaces a record in its
 * MAC table (the new entry first, then the old one out), and the readers
 * must still always find it. With more entries than one, a lookup may
 * then find an older one of them, so there the entries are replaced (one
 * store) or added to, and removed only while the newest has been in the
 * table for a grace period, which every lookup that runs during the
 * removal started after: it finds the newest.
 *
 * Module parameters scale the run: ops, keys, readers, and seed to repeat
 * the writer's operations of a failed run.
 */

#include <linux/delay.h>
#include <linux/jhash.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/seqlock.h>
#include <linux/slab.h>

/* The code under test, in this module: static functions included. */
#include "../htab.c"

static unsigned int ops = 30000;
module_param(ops, uint, 0444);
MODULE_PARM_DESC(ops, "Random operations of the writer (default 30000)");

static unsigned int keys = 4096;
module_param(keys, uint, 0444);
MODULE_PARM_DESC(keys, "Keys the writer draws from, 128-1048576 (default 4096)");

static unsigned int readers = 2;
module_param(readers, uint, 0444);
MODULE_PARM_DESC(readers, "Reader threads, 0-8 (default 2)");

static unsigned int seed;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "Seed of the writer's operations; 0: random (default)");

#define ST_PINNED	64	/* pinned keys at most: 1/32 of the keys */
#define ST_DUPS		3	/* entries of one key at most */
#define ST_SHARE	4	/* keys that share a hash: long chains */
#define ST_MAX_READERS	8
#define ST_REPORT	10	/* failures printed; the others are counted */
#define ST_POISON	0x6b6b6b6bU

/**
 * struct st_entry - an entry of the table under test
 * @node: its link in the table
 * @key: fixed
 * @version: fixed; each entry has its own, later entries greater ones
 * @value: st_value(@key, @version), which readers check; poisoned when the
 *	entry is freed
 * @gone: the entry left the table; set after @gone_gp
 * @gone_gp: get_state_synchronize_rcu() after the entry left the table
 * @born_gp: get_state_synchronize_rcu() once it, or the entry it replaced,
 *	was in the table; writer only
 * @older: the next older entry of @key in the model; writer only
 * @rcu: freeing after the readers are done
 */
struct st_entry {
	struct nvgre_hnode node;
	u32 key;
	u32 version;
	u32 value;
	bool gone;
	unsigned long gone_gp;
	unsigned long born_gp;
	struct st_entry *older;
	struct rcu_head rcu;
};

struct st;

/**
 * struct st_reader - a reader thread
 * @st: the test
 * @task: the thread
 * @id: its number, in reports
 * @rnd: its random numbers
 * @last: the newest version of each pinned key it found
 * @lookups: lookups done
 * @walks: walks done
 * @stable_walks: walks that no change of the key set overlapped, which
 *	the writer reads to know that the reader is still walking
 */
struct st_reader {
	struct st *st;
	struct task_struct *task;
	unsigned int id;
	struct rnd_state rnd;
	u32 last[ST_PINNED];
	unsigned long lookups;
	unsigned long walks;
	unsigned long stable_walks;
};

/**
 * struct st - the test
 * @ht: the table under test
 * @lock: its writers' lock
 * @seq: odd while the writer changes the set of entries; the writer
 *	sleeps inside (allocations, cond_resched() in a resize), so readers
 *	never wait for it: they only compare
 * @count: the entries of @ht; written under @seq
 * @sum: the sum of st_mix() of their keys; written under @seq
 * @nkeys: keys are below; keys from @nkeys up are never inserted
 * @npinned: keys below are pinned: they always have an entry
 * @model: the newest entry of each key, the others linked by ->older;
 *	@lock
 * @seen: a walk's count of each key's entries; writer only
 * @added: the keys st_net_zero() added to; writer only
 * @version: the last version given to an entry
 * @rnd: the writer's random numbers
 * @failures: wrong answers seen, by the writer and the readers
 * @size: the number of buckets after the last change of the table
 * @resized: the whole table is to be checked: it was resized
 * @grows: resizes to more buckets
 * @shrinks: resizes to fewer
 * @walks: the writer's walks
 * @exact_walks: those that must have seen every entry once, and did
 * @restarts: times the writer's walks started over after a resize
 * @ops: operations the writer made
 * @run_ms: how long it ran
 * @settle_ms: how long it then waited for the readers' last walks
 * @rd: the readers
 */
struct st {
	struct nvgre_htab ht;
	struct mutex lock; /* the writer's, of @ht and the model */
	seqcount_t seq;
	unsigned int count;
	u64 sum;
	u32 nkeys;
	u32 npinned;
	struct st_entry **model;
	u8 *seen;
	u32 *added;
	u32 version;
	struct rnd_state rnd;
	atomic_t failures;
	u32 size;
	bool resized;
	unsigned int grows;
	unsigned int shrinks;
	unsigned int walks;
	unsigned int exact_walks;
	unsigned int restarts;
	unsigned int ops;
	unsigned int run_ms;
	unsigned int settle_ms;
	struct st_reader rd[ST_MAX_READERS];
};

static struct kmem_cache *st_cache;

static __printf(2, 3) void st_fail(struct st *st, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (atomic_inc_return(&st->failures) > ST_REPORT)
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("nvgre_selftest: htab: FAIL: %pV\n", &vaf);
	va_end(args);
}

static bool st_failed(struct st *st)
{
	return atomic_read(&st->failures);
}

static u32 st_rand(struct rnd_state *rnd, u32 n)
{
	return prandom_u32_state(rnd) % n;
}

static u32 st_value(u32 key, u32 version)
{
	return jhash_2words(key, version, 0x6e766772);
}

/* What a key adds to struct st.sum. */
static u64 st_mix(u32 key)
{
	return (u64)jhash_1word(key, 1) << 32 | jhash_1word(key, 2);
}

static u32 st_key_hash(u32 key, u32 seed)
{
	return jhash_1word(key / ST_SHARE, seed);
}

static struct st_entry *st_entry(const struct nvgre_hnode *n)
{
	return container_of(n, struct st_entry, node);
}

static u32 st_node_hash(const struct nvgre_hnode *n, u32 seed)
{
	return st_key_hash(st_entry(n)->key, seed);
}

/*
 * Whether a reader (in an RCU read section) or the writer may come upon
 * @e: an entry in one piece, not unlinked a grace period ago, not freed.
 */
static bool st_entry_ok(struct st *st, const struct st_entry *e,
			const char *who)
{
	u32 key = READ_ONCE(e->key), version = READ_ONCE(e->version);

	if (READ_ONCE(e->value) != st_value(key, version)) {
		st_fail(st, "%s reached a freed or corrupted entry: key %u version %u value %#x",
			who, key, version, READ_ONCE(e->value));
		return false;
	}
	if (key >= st->nkeys) {
		st_fail(st, "%s reached key %u, never inserted", who, key);
		return false;
	}
	/* Pairs with the smp_store_release() of st_retire(). */
	if (smp_load_acquire(&e->gone) &&
	    poll_state_synchronize_rcu(READ_ONCE(e->gone_gp))) {
		st_fail(st, "%s reached key %u version %u, unlinked a grace period ago",
			who, key, version);
		return false;
	}
	return true;
}

static void st_entry_free_rcu(struct rcu_head *rcu)
{
	struct st_entry *e = container_of(rcu, struct st_entry, rcu);

	WRITE_ONCE(e->value, ST_POISON);
	kmem_cache_free(st_cache, e);
}

/* @e left the table: readers may reach it until a grace period passed. */
static void st_retire(struct st_entry *e)
{
	WRITE_ONCE(e->gone_gp, get_state_synchronize_rcu());
	/* @gone_gp before @gone: pairs with st_entry_ok(). */
	smp_store_release(&e->gone, true);
	call_rcu(&e->rcu, st_entry_free_rcu);
}

static struct st_entry *st_entry_new(struct st *st, u32 key)
{
	struct st_entry *e = kmem_cache_zalloc(st_cache, GFP_KERNEL);

	if (!e) {
		st_fail(st, "out of memory");
		return NULL;
	}
	e->key = key;
	e->version = ++st->version;
	e->value = st_value(key, e->version);
	return e;
}

/* ---- the writer's operations, under st->lock ---------------------------- */

static u32 st_hash(struct st *st, u32 key)
{
	return st_key_hash(key, st->ht.seed);
}

static unsigned int st_depth(struct st *st, u32 key)
{
	struct st_entry *e;
	unsigned int n = 0;

	for (e = st->model[key]; e; e = e->older)
		n++;
	return n;
}

/* The @i-th newest entry of @key, which has one. */
static struct st_entry *st_nth(struct st *st, u32 key, unsigned int i)
{
	struct st_entry *e = st->model[key];

	while (i--)
		e = e->older;
	return e;
}

/* The model's link to @e, NULL when @e is not in the model. */
static struct st_entry **st_model_link(struct st *st, struct st_entry *e)
{
	struct st_entry **pp;

	if (e->key >= st->nkeys)
		return NULL;
	for (pp = &st->model[e->key]; *pp; pp = &(*pp)->older)
		if (*pp == e)
			return pp;
	return NULL;
}

/* The key set changes: readers' walks that overlap this are not checked. */
static void st_change_begin(struct st *st)
{
	lockdep_assert_held(&st->lock);
	/* Not write_seqcount_begin(): no reader spins, and this may sleep. */
	raw_write_seqcount_begin(&st->seq);
}

static void st_change_end(struct st *st)
{
	raw_write_seqcount_end(&st->seq);
}

static void st_account(struct st *st, u32 key, int delta)
{
	WRITE_ONCE(st->count, st->count + delta);
	WRITE_ONCE(st->sum, st->sum + delta * st_mix(key));
}

/* Counts a resize of the last change of the table. */
static void st_note_size(struct st *st)
{
	u32 size = htab_deref(&st->ht, st->ht.tbl)->size;

	if (size == st->size)
		return;
	if (size > st->size)
		st->grows++;
	else
		st->shrinks++;
	st->size = size;
	st->resized = true;
}

/* A new newest entry of @key; inside st_change_begin(). */
static struct st_entry *st_insert(struct st *st, u32 key)
{
	struct st_entry *e = st_entry_new(st, key);

	if (!e)
		return NULL;
	nvgre_htab_insert(&st->ht, &e->node, st_hash(st, key));
	e->born_gp = get_state_synchronize_rcu();
	e->older = st->model[key];
	st->model[key] = e;
	st_account(st, key, 1);
	st_note_size(st);
	return e;
}

/* Inside st_change_begin(). */
static void st_remove(struct st *st, struct st_entry *e)
{
	struct st_entry **pp = st_model_link(st, e);

	nvgre_htab_remove(&st->ht, &e->node, st_hash(st, e->key));
	*pp = e->older;
	st_account(st, e->key, -1);
	st_retire(e);
	st_note_size(st);
}

/* A new entry in the place of @old: the key set stays. */
static void st_replace(struct st *st, struct st_entry *old)
{
	struct st_entry **pp = st_model_link(st, old);
	struct st_entry *new = st_entry_new(st, old->key);

	if (!new)
		return;
	nvgre_htab_replace(&st->ht, &old->node, &new->node,
			   st_hash(st, old->key));
	/* Readers find the one or the other in its place. */
	new->born_gp = old->born_gp;
	new->older = old->older;
	*pp = new;
	st_retire(old);
}

/*
 * What lookup.c does to its MAC table: the new entry first, then the old
 * one out. A lookup may find neither, and then looks again.
 */
static void st_update(struct st *st, struct st_entry *old)
{
	st_change_begin(st);
	if (st_insert(st, old->key))
		st_remove(st, old);
	st_change_end(st);
}

struct st_match {
	struct st *st;
	u32 mod;
	u32 rest;
};

static bool st_remove_if_match(struct nvgre_hnode *n, void *arg)
{
	const struct st_match *m = arg;
	u32 key = st_entry(n)->key;

	return key >= m->st->npinned && key % m->mod == m->rest;
}

static void st_remove_if_removed(struct nvgre_hnode *n, void *arg)
{
	const struct st_match *m = arg;
	struct st_entry *e = st_entry(n);
	struct st_entry **pp = st_model_link(m->st, e);

	if (!pp) {
		st_fail(m->st, "remove_if removed key %u version %u, not in the table",
			e->key, e->version);
		return;
	}
	*pp = e->older;
	st_account(m->st, e->key, -1);
	st_retire(e);
}

/* Removes every key but the pinned ones that is @rest modulo @mod. */
static void st_remove_if(struct st *st, u32 mod, u32 rest)
{
	struct st_match m = { .st = st, .mod = mod, .rest = rest };
	unsigned int want = 0, got;
	u32 key;

	for (key = st->npinned; key < st->nkeys; key++)
		if (key % mod == rest)
			want += st_depth(st, key);
	st_change_begin(st);
	got = nvgre_htab_remove_if(&st->ht, st_remove_if_match,
				   st_remove_if_removed, &m);
	st_change_end(st);
	st_note_size(st);
	if (got != want)
		st_fail(st, "remove_if removed %u entries of keys %u modulo %u, the model %u",
			got, rest, mod, want);
}

/* ---- the writer's checks ------------------------------------------------- */

/*
 * The entries of @key in the table, in order, are the model's. Under
 * st->lock, where no resize is under way: nothing comes twice.
 */
static void st_check_key(struct st *st, u32 key)
{
	struct st_entry *want = key < st->nkeys ? st->model[key] : NULL, *e;
	unsigned int visited = 0, i = 0;
	struct nvgre_hiter it;
	struct nvgre_hnode *n;

	for (n = nvgre_hiter_first(&it, &st->ht, st_hash(st, key)); n;
	     n = nvgre_hiter_next(&it, n)) {
		e = st_entry(n);
		if (++visited > st->ht.nelems) {
			st_fail(st, "lookup of key %u does not end", key);
			return;
		}
		if (!st_entry_ok(st, e, "writer's lookup") || e->key != key)
			continue;
		if (e != want) {
			st_fail(st, "key %u: entry %u is version %u, the model says %u",
				key, i, e->version, want ? want->version : 0);
			return;
		}
		want = want->older;
		i++;
	}
	if (want)
		st_fail(st, "key %u: %u entries found, the model has %u", key,
			i, st_depth(st, key));
}

/* Every entry in its bucket and in the model; the array as promised. */
static void st_check_table(struct st *st)
{
	struct nvgre_hbuckets *t = htab_deref(&st->ht, st->ht.tbl);
	size_t bytes = nvgre_hbuckets_bytes(t);
	unsigned int count = 0;
	struct st_entry *e;
	struct nvgre_hnode *n;
	u32 i;

	if (rcu_access_pointer(t->future))
		st_fail(st, "the array has a future outside a resize");
	if (!is_power_of_2(bytes) || bytes < NVGRE_HTAB_MIN_BYTES ||
	    bytes > NVGRE_HTAB_MAX_BYTES)
		st_fail(st, "array of %zu bytes", bytes);
	for (i = 0; i < t->size; i++) {
		for (n = htab_deref(&st->ht, t->b[i]); n;
		     n = htab_deref(&st->ht, n->next)) {
			e = st_entry(n);
			if (++count > st->count) {
				st_fail(st, "the table has more entries than the model, %u",
					st->count);
				return;
			}
			if (!st_entry_ok(st, e, "writer's check") ||
			    !st_model_link(st, e))
				st_fail(st, "key %u version %u in the table, not in the model",
					e->key, e->version);
			if (reciprocal_scale(st_node_hash(n, st->ht.seed),
					     t->size) != i)
				st_fail(st, "key %u in bucket %u of %u, not in its own",
					e->key, i, t->size);
		}
	}
	if (count != st->count || st->ht.nelems != st->count)
		st_fail(st, "%u entries in the buckets, nelems %u, the model %u",
			count, st->ht.nelems, st->count);
	if (st->count > t->size && bytes < NVGRE_HTAB_MAX_BYTES)
		st_fail(st, "%u entries in %u buckets: not grown", st->count,
			t->size);
	if (st->count < t->size / 4 && bytes > NVGRE_HTAB_MIN_BYTES)
		st_fail(st, "%u entries in %u buckets: not shrunk", st->count,
			t->size);
}

/* After each operation: the key's entries, and the table after a resize. */
static void st_check_op(struct st *st, u32 key)
{
	st_check_key(st, key);
	if (st->ht.nelems != st->count)
		st_fail(st, "nelems %u, the model %u", st->ht.nelems, st->count);
	if (st->resized) {
		st->resized = false;
		st_check_table(st);
	}
}

/* ---- the writer's walks, in chunks as dumps make them --------------------- */

struct st_walk {
	struct st *st;
	u8 *seen;
	unsigned int left;
	u64 visited;
	u64 sum;
	const char *who;
};

static int st_walk_one(struct nvgre_hnode *n, void *arg)
{
	struct st_walk *w = arg;
	struct st_entry *e = st_entry(n);

	if (!w->left)
		return 1;	/* the next chunk starts with @n */
	w->left--;
	w->visited++;
	if (st_entry_ok(w->st, e, w->who)) {
		w->sum += st_mix(e->key);
		if (w->seen && w->seen[e->key] < U8_MAX)
			w->seen[e->key]++;
	}
	return 0;
}

/* One chunk of a walk; false when it is over. */
static bool st_walk_chunk(struct st *st, struct st_walk *w,
			  struct nvgre_hcursor *c, unsigned int chunk)
{
	int ret;

	w->left = chunk;
	rcu_read_lock();
	ret = nvgre_htab_walk(&st->ht, c, st_walk_one, w);
	rcu_read_unlock();
	if (c->skip > ST_DUPS * st->nkeys) {
		st_fail(st, "%s: a chain of more than %u entries", w->who,
			ST_DUPS * st->nkeys);
		return false;
	}
	return ret;
}

enum st_between {
	ST_BETWEEN_NOTHING,	/* the table does not change */
	ST_BETWEEN_REPLACE,	/* entries are replaced */
	ST_BETWEEN_NET_ZERO,	/* entries come and go again, maybe resizing */
	ST_BETWEEN_MAX,
};

static void st_random_replaces(struct st *st)
{
	unsigned int i, n = 1 + st_rand(&st->rnd, 8);
	u32 key;

	for (i = 0; i < n; i++) {
		key = st_rand(&st->rnd, st->nkeys);
		if (st->model[key])
			st_replace(st, st_nth(st, key,
					      st_rand(&st->rnd, st_depth(st, key))));
	}
}

/* A new entry of a key with room for one; NULL when none was found. */
static struct st_entry *st_insert_any(struct st *st)
{
	unsigned int i;
	u32 key;

	for (i = 0; i < 16; i++) {
		key = st->npinned + st_rand(&st->rnd, st->nkeys - st->npinned);
		if (st_depth(st, key) < ST_DUPS)
			return st_insert(st, key);
	}
	return NULL;
}

/*
 * Entries added until the table grows, which makes a walk start over: the
 * walk must see them all, as if it had just started.
 */
static void st_grow(struct st *st)
{
	u32 size = st->size;

	st_change_begin(st);
	while (st->size == size && st_insert_any(st))
		;
	st_change_end(st);
}

/*
 * Entries inserted and removed again, newest first: the chains end as
 * they were unless the table resized meanwhile. Sometimes, when
 * @may_grow, enough of them to grow it.
 */
static void st_net_zero(struct st *st, bool may_grow)
{
	struct nvgre_hbuckets *t = htab_deref(&st->ht, st->ht.tbl);
	unsigned int n = 1 + st_rand(&st->rnd, 4), added = 0;
	struct st_entry *e;

	if (may_grow && !st_rand(&st->rnd, 8))
		n = t->size - st->count + 1 + st_rand(&st->rnd, 4);
	n = min(n, st->nkeys);
	st_change_begin(st);
	while (added < n && (e = st_insert_any(st)))
		st->added[added++] = e->key;
	/* Each is the newest entry of its key again when its turn comes. */
	while (added--)
		st_remove(st, st->model[st->added[added]]);
	st_change_end(st);
}

/*
 * A walk in chunks of 1 to 64 entries with changes of the table between
 * them (@between). Every key must come as often as it has entries, unless
 * the array was resized after the walk last started over: the cursor
 * alone cannot know that (nvgre_htab_walk()). Net-zero changes start with
 * a growth that the walk must start over after.
 */
static void st_walk_check(struct st *st, enum st_between between)
{
	struct st_walk w = { .st = st, .seen = st->seen, .who = "writer's walk" };
	struct nvgre_hcursor c = {};
	unsigned int restarts = 0, chunks = 0, chunk;
	struct nvgre_hbuckets *t;
	u32 resizes;
	bool more;
	u32 key;

	memset(st->seen, 0, st->nkeys);
	resizes = st->grows + st->shrinks;
	do {
		mutex_lock(&st->lock);
		t = htab_deref(&st->ht, st->ht.tbl);
		if (c.size && c.size != t->size) {
			/* The walk must start over: count from here. */
			memset(st->seen, 0, st->nkeys);
			resizes = st->grows + st->shrinks;
			restarts++;
		}
		/* Dozens of chunks, in small tables too. */
		chunk = 1 + st_rand(&st->rnd, min(st->count / 16 + 1, 64U));
		more = st_walk_chunk(st, &w, &c, chunk);
		if (c.restarts != restarts) {
			st_fail(st, "walk: %u restarts, %u resizes to another size",
				c.restarts, restarts);
			more = false;
		}
		if (more && between == ST_BETWEEN_REPLACE)
			st_random_replaces(st);
		if (more && between == ST_BETWEEN_NET_ZERO && !chunks)
			st_grow(st);
		else if (more && between == ST_BETWEEN_NET_ZERO)
			st_net_zero(st, restarts < 4);
		if (st->resized) {
			st->resized = false;
			st_check_table(st);
		}
		mutex_unlock(&st->lock);
		if (++chunks > 4 * st->nkeys * (restarts + 1)) {
			st_fail(st, "walk: no end after %u chunks", chunks);
			more = false;
		}
		cond_resched();
	} while (more && !st_failed(st));

	st->walks++;
	st->restarts += restarts;
	if (st_failed(st) || st->grows + st->shrinks != resizes)
		return;
	mutex_lock(&st->lock);
	for (key = 0; key < st->nkeys; key++) {
		if (st->seen[key] != st_depth(st, key)) {
			st_fail(st, "walk of %u chunks: key %u seen %u times, %u entries",
				chunks, key, st->seen[key], st_depth(st, key));
			break;
		}
	}
	mutex_unlock(&st->lock);
	st->exact_walks++;
}

/* ---- the writer ------------------------------------------------------------ */

/*
 * One random operation on a pinned key: the newest entry replaced in one
 * store, or the only one updated as lookup.c does, or one added, or one
 * but the newest removed once the newest has been in the table for a grace
 * period (see the top of this file). The newest entry is only ever
 * followed by a newer one, and each entry is newer than those after it in
 * the chain: an older entry replaced in its place would be newer than the
 * head, and a lookup that read the chain before the head was inserted
 * could find it first and the head after it, a legitimate answer that the
 * readers' check could not tell from a wrong one.
 */
static void st_op_pinned(struct st *st, u32 key)
{
	unsigned int depth = st_depth(st, key), r = st_rand(&st->rnd, 10);

	if (depth == 1 && r < 3) {
		st_update(st, st->model[key]);
	} else if (r < 5) {
		st_replace(st, st->model[key]);
	} else if (r < 7 && depth < ST_DUPS) {
		st_change_begin(st);
		st_insert(st, key);
		st_change_end(st);
	} else if (depth > 1 &&
		   poll_state_synchronize_rcu(st->model[key]->born_gp)) {
		st_change_begin(st);
		st_remove(st, st_nth(st, key, 1 + st_rand(&st->rnd, depth - 1)));
		st_change_end(st);
	}
}

/* One random operation on another key; @grow: mostly inserts. */
static void st_op(struct st *st, u32 key, bool grow)
{
	unsigned int depth = st_depth(st, key), r = st_rand(&st->rnd, 10);
	struct st_entry *e;

	if (!depth) {
		if (grow || !r) {
			st_change_begin(st);
			st_insert(st, key);
			st_change_end(st);
		}
		return;
	}
	e = st_nth(st, key, st_rand(&st->rnd, depth));
	if (r < (grow ? 3 : 8)) {
		st_change_begin(st);
		st_remove(st, e);
		st_change_end(st);
	} else if (r < (grow ? 5 : 9)) {
		st_replace(st, e);
	} else if (r < (grow ? 7 : 10) || depth == ST_DUPS) {
		st_update(st, e);
	} else {
		st_change_begin(st);
		st_insert(st, key);
		st_change_end(st);
	}
}

/* Lets the readers make walks no change overlaps. */
static void st_quiet(struct st *st, unsigned int n)
{
	while (n-- && !st_failed(st)) {
		mutex_lock(&st->lock);
		st_random_replaces(st);
		mutex_unlock(&st->lock);
		cond_resched();
	}
}

static void st_run(struct st *st)
{
	unsigned int i, churn, low = 0, high = st->nkeys / 2;
	bool grow = true;
	u32 key, mod;

	for (i = 0; i < ops && !st_failed(st); i++, st->ops++) {
		for (churn = st->count, key = 0; key < st->npinned; key++)
			churn -= st_depth(st, key);
		if (grow && churn >= high) {
			grow = false;
			low = st_rand(&st->rnd, st->nkeys / 16);
		} else if (!grow && churn <= low) {
			grow = true;
			high = st->nkeys / 4 + st_rand(&st->rnd, st->nkeys / 2);
		}
		key = st_rand(&st->rnd, st->nkeys);
		mutex_lock(&st->lock);
		if (!st_rand(&st->rnd, 1000)) {
			mod = grow ? 2 + st_rand(&st->rnd, 7) : 1;
			st_remove_if(st, mod, key % mod);
			st_check_table(st);
		} else if (key < st->npinned) {
			st_op_pinned(st, key);
		} else {
			st_op(st, key, grow);
		}
		st_check_op(st, key);
		st_check_key(st, st->nkeys + st_rand(&st->rnd, st->nkeys));
		if (!(i % 1024))
			st_check_table(st);
		mutex_unlock(&st->lock);

		if (i % 1024 == 512)
			st_walk_check(st, i / 1024 % ST_BETWEEN_MAX);
		if (i % 4096 == 2048)
			st_quiet(st, 500);
		cond_resched();
	}
}

/* ---- the readers ------------------------------------------------------------ */

/*
 * The first entry of @key, as lookup.c's readers take it; every entry
 * passed on the way is checked.
 */
static struct st_entry *st_lookup(struct st_reader *r, u32 key, bool *bad)
{
	struct st *st = r->st;
	unsigned int visited = 0;
	unsigned int seq, tries = 0;
	struct nvgre_hiter it;
	struct nvgre_hnode *n;
	struct st_entry *e;

	do {
		seq = nvgre_htab_lookup_begin(&st->ht);
		for (n = nvgre_hiter_first(&it, &st->ht, st_hash(st, key)); n;
		     n = nvgre_hiter_next(&it, n)) {
			e = st_entry(n);
			if (++visited > 2 * ST_DUPS * st->nkeys) {
				st_fail(st, "reader %u: lookup of key %u does not end",
					r->id, key);
				*bad = true;
				return NULL;
			}
			if (!st_entry_ok(st, e, "reader's lookup")) {
				*bad = true;
				return NULL;
			}
			if (READ_ONCE(e->key) == key)
				return e;
		}
	} while (nvgre_htab_lookup_again(&st->ht, seq, &tries));
	return NULL;
}

static void st_reader_lookup(struct st_reader *r)
{
	struct st *st = r->st;
	u32 key, rnd = st_rand(&r->rnd, 4);
	bool bad = false;
	struct st_entry *e;

	if (rnd < 2)
		key = st_rand(&r->rnd, st->npinned);
	else if (rnd == 2)
		key = st->npinned + st_rand(&r->rnd, st->nkeys - st->npinned);
	else
		key = st->nkeys + st_rand(&r->rnd, st->nkeys);
	e = st_lookup(r, key, &bad);
	r->lookups++;
	if (bad || key >= st->npinned) {
		if (e && key >= st->nkeys)
			st_fail(st, "reader %u found key %u, never inserted",
				r->id, key);
		return;
	}
	if (!e) {
		st_fail(st, "reader %u: pinned key %u not found", r->id, key);
		return;
	}
	if (e->version < r->last[key])
		st_fail(st, "reader %u: pinned key %u is version %u after %u",
			r->id, key, e->version, r->last[key]);
	r->last[key] = e->version;
}

/*
 * A walk in chunks, as a dump takes it. When the key set did not change
 * meanwhile, it must have seen what the writer said the table holds.
 */
static void st_reader_walk(struct st_reader *r)
{
	struct st_walk w = { .st = r->st, .who = "reader's walk" };
	struct st *st = r->st;
	unsigned int count, chunks = 0, restarts = 0;
	struct nvgre_hcursor c = {};
	unsigned int start;
	u64 sum;

	start = raw_read_seqcount(&st->seq);
	count = READ_ONCE(st->count);
	sum = READ_ONCE(st->sum);
	while (st_walk_chunk(st, &w, &c, 1 + st_rand(&r->rnd, 64))) {
		/* Resizes may make a walk start over and over, not go round. */
		if (c.restarts != restarts) {
			restarts = c.restarts;
			chunks = 0;
		}
		if (++chunks > 4 * st->nkeys) {
			st_fail(st, "reader %u: walk: no end after %u chunks",
				r->id, chunks);
			return;
		}
		if (kthread_should_stop() || st_failed(st))
			return;
		cond_resched();
	}
	r->walks++;
	if ((start & 1) || read_seqcount_retry(&st->seq, start))
		return;
	if (w.visited != count || w.sum != sum || c.restarts)
		st_fail(st, "reader %u: walk saw %llu entries (sum %llx), the table %u (%llx)",
			r->id, w.visited, w.sum, count, sum);
	WRITE_ONCE(r->stable_walks, r->stable_walks + 1);
}

static int st_reader(void *arg)
{
	struct st_reader *r = arg;
	unsigned int i, n = 0;

	while (!kthread_should_stop()) {
		rcu_read_lock();
		for (i = 0; i < 32; i++)
			st_reader_lookup(r);
		rcu_read_unlock();
		if (!(++n % 32))
			st_reader_walk(r);
		cond_resched();
	}
	return 0;
}

/*
 * Once the writer is done, each reader makes one more walk, which nothing
 * overlaps; a reader that does not is stuck.
 */
static void st_readers_settle(struct st *st)
{
	unsigned long want[ST_MAX_READERS], deadline = jiffies + 120 * HZ;
	unsigned int i;

	for (i = 0; i < readers; i++)
		want[i] = READ_ONCE(st->rd[i].stable_walks) + 1;
	for (i = 0; i < readers && !st_failed(st); i++) {
		while (READ_ONCE(st->rd[i].stable_walks) < want[i]) {
			if (time_after(jiffies, deadline)) {
				st_fail(st, "reader %u made no walk in 120 s", i);
				return;
			}
			msleep(20);
		}
	}
}

static int st_readers_start(struct st *st)
{
	struct st_reader *r;
	unsigned int i;

	for (i = 0; i < readers; i++) {
		r = &st->rd[i];
		r->st = st;
		r->id = i;
		prandom_seed_state(&r->rnd, get_random_u64());
		r->task = kthread_run(st_reader, r, "nvgre_st_rd/%u", i);
		if (IS_ERR(r->task)) {
			int err = PTR_ERR(r->task);

			r->task = NULL;
			return err;
		}
	}
	return 0;
}

static void st_readers_stop(struct st *st)
{
	unsigned int i;

	for (i = 0; i < readers; i++)
		if (st->rd[i].task)
			kthread_stop(st->rd[i].task);
}

/* ---- setup, the run, the verdict -------------------------------------------- */

static bool st_all(struct nvgre_hnode *n, void *arg)
{
	return true;
}

static void st_destroy_removed(struct nvgre_hnode *n, void *arg)
{
	struct st_entry *e = st_entry(n), **pp = st_model_link(arg, e);

	if (pp)
		*pp = e->older;
	st_retire(e);
}

/*
 * Empties the table and frees it, and frees what the model still has,
 * which is nothing unless the table lost entries.
 */
static void st_destroy(struct st *st)
{
	struct nvgre_hbuckets *t;
	struct st_entry *e;
	u32 key;

	if (!rcu_access_pointer(st->ht.tbl))
		return;
	mutex_lock(&st->lock);
	nvgre_htab_remove_if(&st->ht, st_all, st_destroy_removed, st);
	t = htab_deref(&st->ht, st->ht.tbl);
	if (nvgre_hbuckets_bytes(t) != NVGRE_HTAB_MIN_BYTES)
		st_fail(st, "emptied table has %zu bytes",
			nvgre_hbuckets_bytes(t));
	if (st->ht.nelems)
		st_fail(st, "emptied table has nelems %u", st->ht.nelems);
	else
		nvgre_htab_destroy(&st->ht);
	for (key = 0; key < st->nkeys; key++) {
		while ((e = st->model[key])) {
			st_fail(st, "key %u version %u lost", key, e->version);
			st->model[key] = e->older;
			st_retire(e);
		}
	}
	mutex_unlock(&st->lock);
}

static int st_setup(struct st *st)
{
	u32 key;
	int err;

	mutex_init(&st->lock);
	seqcount_init(&st->seq);
	st->nkeys = keys;
	st->npinned = min_t(u32, keys / 32, ST_PINNED);
	prandom_seed_state(&st->rnd, seed);
	st->model = kvcalloc(st->nkeys, sizeof(*st->model), GFP_KERNEL);
	st->seen = kvzalloc(st->nkeys, GFP_KERNEL);
	st->added = kvcalloc(st->nkeys, sizeof(*st->added), GFP_KERNEL);
	if (!st->model || !st->seen || !st->added)
		return -ENOMEM;
	err = nvgre_htab_init(&st->ht, &st->lock, st_node_hash);
	if (err)
		return err;
	mutex_lock(&st->lock);
	st->size = htab_deref(&st->ht, st->ht.tbl)->size;
	for (key = 0; key < st->npinned; key++) {
		st_change_begin(st);
		st_insert(st, key);
		st_change_end(st);
		st_check_op(st, key);
	}
	st_check_table(st);
	mutex_unlock(&st->lock);
	return 0;
}

static void st_report(struct st *st)
{
	unsigned long lookups = 0, walks = 0, stable = 0;
	unsigned int i;

	for (i = 0; i < readers; i++) {
		lookups += st->rd[i].lookups;
		walks += st->rd[i].walks;
		stable += st->rd[i].stable_walks;
	}
	pr_info("nvgre_selftest: htab: seed %u, %u keys, %u operations in %u ms: %u grows, %u shrinks, %u walks (%u checked exactly, %u restarts); %u readers: %lu lookups, %lu walks (%lu checked, the last after %u ms)\n",
		seed, st->nkeys, st->ops, st->run_ms, st->grows, st->shrinks,
		st->walks, st->exact_walks, st->restarts,
		readers, lookups, walks, stable, st->settle_ms);
	/* A run that did not get to the cases it exists for proves nothing. */
	if (st_failed(st))
		return;
	if (ops >= 10000 && (!st->grows || !st->shrinks || !st->exact_walks ||
			     !st->restarts))
		st_fail(st, "the run made no resize, checked walk or restarted walk");
	for (i = 0; i < readers; i++)
		if (!st->rd[i].stable_walks)
			st_fail(st, "reader %u checked no walk", i);
}

static int __init nvgre_selftest_init(void)
{
	unsigned long start;
	struct st *st;
	int err, failures;

	if (keys < 128 || keys > SZ_1M || readers > ST_MAX_READERS)
		return -EINVAL;
	if (!seed)
		seed = get_random_u32() ?: 1;
	st_cache = kmem_cache_create("nvgre_selftest_entry",
				     sizeof(struct st_entry), 0, 0, NULL);
	if (!st_cache)
		return -ENOMEM;
	st = kvzalloc(sizeof(*st), GFP_KERNEL);
	if (!st) {
		err = -ENOMEM;
		goto err_cache;
	}
	err = st_setup(st);
	if (!err)
		err = st_readers_start(st);
	if (!err) {
		start = jiffies;
		st_run(st);
		st->run_ms = jiffies_to_msecs(jiffies - start);
		st_readers_settle(st);
		st->settle_ms = jiffies_to_msecs(jiffies - start) - st->run_ms;
	}
	st_readers_stop(st);
	if (!err)
		st_report(st);
	st_destroy(st);
	failures = atomic_read(&st->failures);
	if (!err && failures) {
		pr_err("nvgre_selftest: htab: %d failures (seed %u)\n",
		       failures, seed);
		err = -EINVAL;
	} else if (!err) {
		pr_info("nvgre_selftest: htab: pass\n");
	}
	kvfree(st->added);
	kvfree(st->seen);
	kvfree(st->model);
	kvfree(st);
	/* st_entry_free_rcu() and the arrays' callbacks are ours. */
	rcu_barrier();
err_cache:
	kmem_cache_destroy(st_cache);
	return err;
}

static void __exit nvgre_selftest_exit(void)
{
}

module_init(nvgre_selftest_init);
module_exit(nvgre_selftest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Self-test of nvgre's record tables");
