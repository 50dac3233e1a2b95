// SPDX-License-Identifier: GPL-2.0
/*
 * nvgre-agent: keeps a host's lookup records equal to the fleet's desired
 * state in etcd (docs/fleet.md).
 *
 * One loop (curl_multi_wait() over the etcd watch and the nvgre events
 * socket), no threads. At start and after any doubt (a compacted
 * revision, a broken or silent watch, lost kernel events, a device or PA
 * coming or going) it resyncs: it reads the store at one revision, dumps
 * the kernel, converges (adds what is missing, replaces what differs,
 * deletes only its own extras, never flushes) and watches from the next
 * revision. Its records carry NVGRE_PROTO_AGENT; it deletes with that
 * condition, so records an operator added by hand survive it. A record
 * added or replaced by hand that names one of this host's PAs is a local
 * move: it is published to the store with a compare-and-swap.
 *
 * It shares nvgrectl's library: netlink, the lookup object, the parser
 * (values in the store are checked by it), the etcd client.
 */
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <poll.h>
#include <search.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/nvgre.h>

#include "array.h"
#include "config.h"
#include "etcd.h"
#include "netlink.h"
#include "obj.h"
#include "parse.h"
#include "store.h"

#define AGENT_CONF		"/etc/nvgre/agent.conf"
#define AGENT_STATUS		"/run/nvgre-agent.status"
#define AGENT_RCVBUF		(4 * 1024 * 1024)
#define AGENT_MAX_VSIDS		1024
#define AGENT_MAX_PAS		64
/* Keys re-read on a kernel notification that contradicts the store. */
#define AGENT_REREAD_RATE	10	/* per second, at most */
#define AGENT_REREAD_BURST	20
#define AGENT_REREAD_QUEUE	64

struct agent_conf {
	struct etcd_opts etcd;
	char *endpoints;		/* the strings etcd.endpoints point in */
	uint32_t vsids[AGENT_MAX_VSIDS];	/* fixed scope; 0 of them: auto */
	size_t n_vsids;
	char status[256];
	int progress_timeout;		/* s without word from etcd: resync */
	int backoff_max;		/* s between reconnects, at most */
	int metrics_port;		/* Prometheus text on 127.0.0.1; 0: off */
	int claim_lease;		/* s: TTL of the claims' lease; 0: off */
};

struct agent_stats {
	uint64_t applied;		/* kernel changes made */
	uint64_t resyncs;
	uint64_t malformed;		/* store values skipped */
	uint64_t published;		/* local moves written to the store */
	uint64_t conflicts;		/* claims that lost */
	uint64_t kept;			/* hand records left as they are */
	uint64_t errors;
	uint64_t rereads;		/* keys re-read on a contradiction */
	uint64_t restored;		/* kernel records set back to the store's */
	uint64_t reread_dropped;	/* contradictions over the rate limit */
	uint64_t leases;		/* claim leases granted */
};

static struct agent {
	struct agent_conf conf;
	struct agent_stats st;
	struct etcd *etcd;
	struct etcd_watch *watch;
	void *kcache;			/* the kernel's records (tsearch) */
	size_t n_kcache;
	uint32_t scope[AGENT_MAX_VSIDS];
	size_t n_scope;
	struct nvgre_ip pas[AGENT_MAX_PAS];
	size_t n_pas;
	int64_t rev;			/* store revision applied */
	int64_t head;			/* newest store revision seen */
	bool need_resync;
	time_t last_word;		/* of the watch */
	time_t next_try;
	int backoff;
	const char *state;
	struct nvgre_lookup_req *pending;	/* local moves to publish */
	size_t n_pending;
	size_t cap_pending;
	unsigned long tag;
	int metrics_fd;
	struct nvgre_lookup_req reread[AGENT_REREAD_QUEUE];	/* keys */
	size_t n_reread;
	int reread_tokens;
	time_t reread_refill;
	int64_t lease;			/* of this host's claims; 0: none */
	time_t lease_next;		/* next keepalive */
	time_t lease_last;		/* last keepalive (or grant) answered */
	struct nvgre_lookup_req *claims;	/* published with the lease */
	size_t n_claims;
	size_t cap_claims;
} ag = { .state = "starting", .metrics_fd = -1 };

static volatile sig_atomic_t stopping;

static void logm(int prio, const char *fmt, ...)
{
	va_list ap;

	/* <N>: the syslog priority, read by journald */
	fprintf(stderr, "<%d>", prio);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#define LOG_ERR		3
#define LOG_WARNING	4
#define LOG_NOTICE	5
#define LOG_INFO	6

static void rec_key(const struct nvgre_lookup_req *r, char *buf, size_t len)
{
	if (store_lookup_key(r, buf, len))
		snprintf(buf, len, "?");
}

/* ---- the kernel's records --------------------------------------------- */

static int kc_cmp(const void *a, const void *b)
{
	return cfg_lookup.cmp(a, b);
}

static struct nvgre_lookup_req *kc_find(const struct nvgre_lookup_req *r)
{
	void *n = tfind(r, &ag.kcache, kc_cmp);

	return n ? *(struct nvgre_lookup_req **)n : NULL;
}

static void kc_set(const struct nvgre_lookup_req *r)
{
	struct nvgre_lookup_req *k = kc_find(r), *new;

	if (k) {
		*k = *r;
		return;
	}
	new = malloc(sizeof(*new));
	if (!new)
		return;
	*new = *r;
	if (!tsearch(new, &ag.kcache, kc_cmp)) {
		free(new);
		return;
	}
	ag.n_kcache++;
}

static void kc_del(const struct nvgre_lookup_req *r)
{
	struct nvgre_lookup_req *k = kc_find(r);

	if (!k)
		return;
	tdelete(r, &ag.kcache, kc_cmp);
	free(k);
	ag.n_kcache--;
}

static void kc_clear(void)
{
	tdestroy(ag.kcache, free);
	ag.kcache = NULL;
	ag.n_kcache = 0;
}

/* The same PA and MAC: what a record says, whoever installed it. */
static bool same_target(const struct nvgre_lookup_req *a,
			const struct nvgre_lookup_req *b)
{
	struct nvgre_lookup_req c = *b;

	c.proto = a->proto;
	return cfg_lookup.same(a, &c);
}

static bool in_scope(uint32_t vsid)
{
	size_t i;

	for (i = 0; i < ag.n_scope; i++)
		if (ag.scope[i] == vsid)
			return true;
	return false;
}

static bool is_local_pa(const struct nvgre_ip *ip)
{
	size_t i;

	for (i = 0; i < ag.n_pas; i++)
		if (!nvgre_ip_cmp(&ag.pas[i], ip))
			return true;
	return false;
}

/* ---- changes to the kernel -------------------------------------------- */

static void k_flush(void)
{
	unsigned long failed = 0;

	if (nvgre_genl_flush(&failed)) {
		ag.st.errors++;
		logm(LOG_ERR, "kernel refused a change (request %lu), resync later",
		     failed);
	}
}

/* Install r as the agent's (add or replace), in bulk. */
static void k_set(const struct nvgre_lookup_req *r)
{
	struct nvgre_lookup_req a = *r;
	unsigned long failed = 0;

	a.proto = NVGRE_PROTO_AGENT;
	a.has_proto = false;
	if (obj_queue(&obj_lookup, OBJ_REPLACE, &a, ++ag.tag, &failed)) {
		ag.st.errors++;
		return;
	}
	kc_set(&a);
	ag.st.applied++;
}

/* Delete r if it is still the agent's. */
static void k_del(const struct nvgre_lookup_req *r)
{
	struct nvgre_lookup_req a = *r;

	k_flush();
	a.proto = NVGRE_PROTO_AGENT;
	a.has_proto = true;
	if (obj_apply(&obj_lookup, OBJ_DEL, &a))
		ag.st.errors++;
	else
		ag.st.applied++;
	kc_del(r);
}

static void pending_add(const struct nvgre_lookup_req *r)
{
	struct nvgre_lookup_req *p;

	p = array_grow(ag.pending, &ag.cap_pending, ag.n_pending, sizeof(*p),
		       16);
	if (!p)
		return;
	ag.pending = p;
	ag.pending[ag.n_pending++] = *r;
}

/*
 * The store says r. resync: a differing record by hand that names a PA
 * of this host is a claim made while the agent was away: published, not
 * overwritten.
 */
static void want_record(const struct nvgre_lookup_req *r, bool resync)
{
	const struct nvgre_lookup_req *k = kc_find(r);
	char key[STORE_KEY_LEN];

	if (!k || (k->proto == NVGRE_PROTO_AGENT && !same_target(k, r))) {
		k_set(r);
		return;
	}
	if (k->proto == NVGRE_PROTO_AGENT || same_target(k, r))
		return;
	if (is_local_pa(&k->pa)) {
		/* a claim of this host: newer than the store's at resync */
		if (resync) {
			pending_add(k);
			return;
		}
		rec_key(r, key, sizeof(key));
		logm(LOG_NOTICE,
		     "%s: a newer claim in the store supersedes this host's, following it",
		     key);
		k_set(r);
		return;
	}
	rec_key(r, key, sizeof(key));
	ag.st.kept++;
	logm(LOG_NOTICE, "%s: keeping the record added by hand", key);
}

/* ---- the store -------------------------------------------------------- */

/* This host's claims bound to its lease (claim-lease), by key. */
static struct nvgre_lookup_req *claim_find(const struct nvgre_lookup_req *r)
{
	size_t i;

	for (i = 0; i < ag.n_claims; i++)
		if (!kc_cmp(&ag.claims[i], r))
			return &ag.claims[i];
	return NULL;
}

static void claim_add(const struct nvgre_lookup_req *r)
{
	struct nvgre_lookup_req *c = claim_find(r);

	if (!c) {
		c = array_grow(ag.claims, &ag.cap_claims, ag.n_claims,
			       sizeof(*c), 16);
		if (!c)
			return;
		ag.claims = c;
		c = &ag.claims[ag.n_claims++];
	}
	*c = *r;
}

static void claim_drop(const struct nvgre_lookup_req *r)
{
	struct nvgre_lookup_req *c = claim_find(r);

	if (c)
		*c = ag.claims[--ag.n_claims];
}

/*
 * claim-lease: the lease this host's claims are put with, granted when
 * there is none (at start, and when the last one expired); 1 when it
 * granted one, 0, or -errno.
 */
static int lease_ensure(void)
{
	int64_t id;
	int ret;

	if (!ag.conf.claim_lease || ag.lease)
		return 0;
	ret = etcd_lease_grant(ag.etcd, ag.conf.claim_lease, &id);
	if (ret)
		return ret;
	ag.lease = id;
	ag.st.leases++;
	ag.lease_last = time(NULL);
	ag.lease_next = ag.lease_last + (ag.conf.claim_lease + 3) / 4;
	logm(LOG_INFO, "claims bound to lease %" PRIx64 " (TTL %d s)", id,
	     ag.conf.claim_lease);
	return 1;
}

/*
 * Keeps the lease alive; 0, or -errno. A lease that is gone (the host
 * was cut off from the store for longer than the TTL) withdrew this
 * host's claims fleet-wide: a resync grants a new one and claims again.
 */
static int lease_keep(bool now)
{
	int64_t ttl = 0;
	int ret;

	if (!ag.lease || (!now && time(NULL) < ag.lease_next))
		return 0;
	ret = etcd_lease_keepalive(ag.etcd, ag.lease, &ttl);
	if (ret)
		return ret;
	ag.lease_next = time(NULL) + (ag.conf.claim_lease + 3) / 4;
	if (ttl > 0) {
		ag.lease_last = time(NULL);
		return 0;
	}
	logm(LOG_WARNING, "lease %" PRIx64 " expired (last kept alive %ld s ago): %zu claims of this host were withdrawn, claiming again",
	     ag.lease, (long)(time(NULL) - ag.lease_last), ag.n_claims);
	ag.lease = 0;
	ag.need_resync = true;
	return 0;
}

/*
 * After a lease was lost: the claims the store lacks now are put again
 * with the new lease, if no one else claimed the key meanwhile.
 */
static int claims_renew(void)
{
	char key[STORE_KEY_LEN], val[STORE_VALUE_LEN];
	size_t i = 0;
	bool ok;

	while (i < ag.n_claims) {
		const struct nvgre_lookup_req *c = &ag.claims[i];
		size_t vlen;
		int ret;

		rec_key(c, key, sizeof(key));
		vlen = store_lookup_value(c, val, sizeof(val));
		ret = etcd_cas(ag.etcd, key, 0, val, vlen, ag.lease, &ok, NULL,
			       NULL);
		if (ret)
			return ret;
		if (ok) {
			logm(LOG_INFO, "%s: claimed again: %s", key, val);
			ag.st.published++;
			i++;
		} else {
			/* claimed by another host meanwhile: it stays */
			claim_drop(c);
		}
	}
	return 0;
}

/*
 * A local move: r, by hand, names a PA of this host. Written to the store
 * if the store's record is still the one read (compare-and-swap on its
 * mod_revision); a claim that lost to a concurrent write follows the
 * store, as every other host does: the store orders the claims.
 */
static int publish(const struct nvgre_lookup_req *r)
{
	char key[STORE_KEY_LEN], val[STORE_VALUE_LEN], err[512];
	struct nvgre_lookup_req cur_rec;
	struct etcd_kv *kvs, cur;
	size_t n, vlen;
	int64_t mod = 0;
	bool ok = false;
	int ret;

	rec_key(r, key, sizeof(key));
	ret = etcd_range(ag.etcd, key, NULL, 0, &kvs, &n, NULL);
	if (ret)
		return ret;
	if (n) {
		mod = kvs[0].mod_revision;
		if (!store_lookup_parse(key, kvs[0].value, &cur_rec, err,
					sizeof(err)) &&
		    same_target(&cur_rec, r))
			ok = true;
	}
	etcd_kvs_free(kvs, n);
	free(kvs);
	if (ok) {
		k_set(r);	/* the store has it already: adopt it */
		return 0;
	}
	vlen = store_lookup_value(r, val, sizeof(val));
	ret = etcd_cas(ag.etcd, key, mod, val, vlen, ag.lease, &ok, &cur,
		       NULL);
	if (ret)
		return ret;
	if (ok) {
		if (ag.lease)
			claim_add(r);
		ag.st.published++;
		logm(LOG_INFO, "%s: published the local move to %s", key, val);
		k_set(r);
		return 0;
	}
	ag.st.conflicts++;
	if (cur.mod_revision &&
	    !store_lookup_parse(key, cur.value, &cur_rec, err, sizeof(err))) {
		logm(LOG_WARNING,
		     "%s: our claim lost to the store's %s (revision %" PRId64 "), following it",
		     key, cur.value, cur.mod_revision);
		k_set(&cur_rec);
	} else {
		logm(LOG_WARNING, "%s: our claim lost, the key changed", key);
	}
	etcd_kvs_free(&cur, 1);
	return 0;
}

static int publish_pending(void)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < ag.n_pending && !ret; i++)
		ret = publish(&ag.pending[i]);
	ag.n_pending = 0;
	k_flush();
	return ret;
}

static void store_put(const struct etcd_kv *kv)
{
	struct nvgre_lookup_req r;
	char err[512];

	if (store_lookup_parse(kv->key, kv->value, &r, err, sizeof(err))) {
		ag.st.malformed++;
		logm(LOG_WARNING, "skipped %s", err);
		return;
	}
	if (ag.n_claims) {
		const struct nvgre_lookup_req *c = claim_find(&r);

		if (c && !same_target(c, &r))
			claim_drop(c);	/* another claim superseded it */
	}
	if (in_scope(r.vsid))
		want_record(&r, false);
}

static void store_delete(const struct etcd_kv *kv)
{
	const struct nvgre_lookup_req *k;
	struct nvgre_lookup_req r;

	if (store_lookup_parse_key(kv->key, &r))
		return;
	/*
	 * A claim of this host deleted: by its lease's expiry (kept, to be
	 * claimed again), or by someone else while the lease lives.
	 */
	if (claim_find(&r) && !lease_keep(true) && ag.lease)
		claim_drop(&r);
	k = kc_find(&r);
	if (k && k->proto == NVGRE_PROTO_AGENT)
		k_del(k);
}

static int watch_cb(const struct etcd_watch_resp *w, void *arg)
{
	size_t i;

	(void)arg;
	ag.last_word = time(NULL);
	if (w->revision > ag.head)
		ag.head = w->revision;
	if (w->canceled) {
		logm(LOG_NOTICE,
		     "watch from revision %" PRId64 " canceled (compacted at %" PRId64 "%s%s), resync",
		     ag.rev + 1, w->compact_revision,
		     w->cancel_reason ? ": " : "",
		     w->cancel_reason ?: "");
		ag.need_resync = true;
		return 1;
	}
	for (i = 0; i < w->n_events; i++) {
		const struct etcd_event *ev = &w->events[i];

		if (ev->type == ETCD_PUT)
			store_put(&ev->kv);
		else
			store_delete(&ev->kv);
		ag.rev = ev->kv.mod_revision;
	}
	k_flush();
	/* every event up to the header's revision has been delivered */
	if (!w->created && w->revision > ag.rev)
		ag.rev = w->revision;
	return 0;
}

/*
 * Re-read key r from the store and set the kernel back to it where the
 * agent owns the record or the kernel lacks it: a record by hand is
 * left alone (a local move is published by the event path).
 */
static int reread_one(const struct nvgre_lookup_req *r)
{
	char key[STORE_KEY_LEN], err[512];
	const struct nvgre_lookup_req *k;
	struct nvgre_lookup_req s;
	struct etcd_kv *kvs;
	size_t n;
	int ret;

	rec_key(r, key, sizeof(key));
	ret = etcd_range(ag.etcd, key, NULL, 0, &kvs, &n, NULL);
	if (ret)
		return ret;
	ag.st.rereads++;
	k = kc_find(r);
	if (n && store_lookup_parse(key, kvs[0].value, &s, err,
				    sizeof(err))) {
		ag.st.malformed++;
		logm(LOG_WARNING, "skipped %s", err);
	} else if (n) {
		if (!k || (k->proto == NVGRE_PROTO_AGENT &&
			   !same_target(k, &s))) {
			logm(LOG_NOTICE, "%s: the kernel contradicts the store, restoring %s",
			     key, kvs[0].value);
			ag.st.restored++;
			k_set(&s);
		}
	} else if (k && k->proto == NVGRE_PROTO_AGENT) {
		logm(LOG_NOTICE, "%s: not in the store, deleting the agent's record",
		     key);
		ag.st.restored++;
		k_del(k);
	}
	etcd_kvs_free(kvs, n);
	free(kvs);
	return 0;
}

/* The queued re-reads, AGENT_REREAD_RATE a second at most. */
static void reread_run(void)
{
	time_t now = time(NULL);
	size_t i = 0;

	if (now != ag.reread_refill) {
		long t = ag.reread_tokens +
			 (long)(now - ag.reread_refill) * AGENT_REREAD_RATE;

		ag.reread_tokens = t > AGENT_REREAD_BURST ?
				   AGENT_REREAD_BURST : (int)t;
		ag.reread_refill = now;
	}
	while (i < ag.n_reread && ag.reread_tokens > 0) {
		ag.reread_tokens--;
		if (reread_one(&ag.reread[i++])) {
			ag.st.errors++;
			logm(LOG_WARNING, "re-read: etcd %s: %s",
			     etcd_endpoint(ag.etcd), etcd_error(ag.etcd));
			break;
		}
	}
	memmove(ag.reread, ag.reread + i,
		(ag.n_reread - i) * sizeof(ag.reread[0]));
	ag.n_reread -= i;
	k_flush();
}

/* ---- kernel notifications --------------------------------------------- */

/*
 * A kernel notification that the agent did not cause and that may
 * contradict the store: the key is re-read from etcd (reread_run()).
 * Queued once per key, at most AGENT_REREAD_QUEUE of them.
 */
static void reread_want(const struct nvgre_lookup_req *r)
{
	struct nvgre_lookup_req *q;
	size_t i;

	if (!in_scope(r->vsid))
		return;
	for (i = 0; i < ag.n_reread; i++)
		if (!kc_cmp(&ag.reread[i], r))
			return;
	if (ag.n_reread == AGENT_REREAD_QUEUE) {
		ag.st.reread_dropped++;
		return;
	}
	q = &ag.reread[ag.n_reread++];
	memset(q, 0, sizeof(*q));
	q->vsid = r->vsid;
	q->type = r->type;
	q->ca = r->ca;
	memcpy(q->mac, r->mac, sizeof(q->mac));
}

/* What a miss walks the kernel's records for: those of a MAC. */
static struct {
	uint32_t vsid;
	const uint8_t *mac;
	bool found;
} mwalk;

static void mac_walk_one(const void *node, VISIT v, void *arg)
{
	const struct nvgre_lookup_req *k = *(struct nvgre_lookup_req **)node;

	(void)arg;
	if ((v == postorder || v == leaf) && k->vsid == mwalk.vsid &&
	    !memcmp(k->mac, mwalk.mac, MAC_LEN)) {
		reread_want(k);
		mwalk.found = true;
	}
}

/*
 * A frame dropped for want of a (matching) record: the key it names is
 * re-read. A miss that names a CA gives the static record's key; one
 * that names only a MAC, the kernel's records of that MAC (a walk of the
 * cache, rate-limited by the kernel's miss_rate), else the l2only key.
 */
static void miss_cb(struct nlattr **tb)
{
	struct nvgre_lookup_req r = { 0 };

	if (!tb[NVGRE_A_VSID])
		return;
	r.vsid = nla_get_u32(tb[NVGRE_A_VSID]);
	if (!in_scope(r.vsid))
		return;
	if (tb[NVGRE_A_CA4] && nla_len(tb[NVGRE_A_CA4]) == 4) {
		r.type = NVGRE_LOOKUP_STATIC;
		r.ca.family = AF_INET;
		memcpy(&r.ca.v4, nla_data(tb[NVGRE_A_CA4]), 4);
		reread_want(&r);
	} else if (tb[NVGRE_A_CA6] && nla_len(tb[NVGRE_A_CA6]) == 16) {
		r.type = NVGRE_LOOKUP_STATIC;
		r.ca.family = AF_INET6;
		memcpy(&r.ca.v6, nla_data(tb[NVGRE_A_CA6]), 16);
		reread_want(&r);
	} else if (tb[NVGRE_A_MAC] && nla_len(tb[NVGRE_A_MAC]) == MAC_LEN) {
		mwalk.vsid = r.vsid;
		mwalk.mac = nla_data(tb[NVGRE_A_MAC]);
		mwalk.found = false;
		twalk_r(ag.kcache, mac_walk_one, NULL);
		if (!mwalk.found) {
			r.type = NVGRE_LOOKUP_L2ONLY;
			memcpy(r.mac, mwalk.mac, MAC_LEN);
			reread_want(&r);
		}
	}
}

static int event_cb(uint8_t cmd, struct nlattr **tb, void *arg)
{
	const struct nvgre_lookup_req *k;
	struct nvgre_lookup_req r;
	bool ours;

	(void)arg;
	switch (cmd) {
	case NVGRE_CMD_LOOKUP_ADD:
	case NVGRE_CMD_LOOKUP_REPLACE:
		memset(&r, 0, sizeof(r));
		if (obj_lookup.from_attrs(tb, &r))
			return 0;
		/* the agent's own changes are in its cache already */
		k = kc_find(&r);
		ours = k && cfg_lookup.same(k, &r);
		kc_set(&r);
		if (r.proto != NVGRE_PROTO_AGENT && in_scope(r.vsid) &&
		    is_local_pa(&r.pa))
			pending_add(&r);
		else if (r.proto == NVGRE_PROTO_AGENT && !ours)
			reread_want(&r);	/* someone else's, as the agent */
		return 0;
	case NVGRE_CMD_LOOKUP_DEL:
		memset(&r, 0, sizeof(r));
		if (obj_lookup.from_attrs(tb, &r))
			return 0;
		/* the agent's own deletes left its cache already */
		if (kc_find(&r)) {
			kc_del(&r);
			reread_want(&r);
		}
		return 0;
	case NVGRE_CMD_MISS:
		miss_cb(tb);
		return 0;
	case NVGRE_CMD_LOOKUP_FLUSH:
	case NVGRE_CMD_LINK_NEW:
	case NVGRE_CMD_LINK_DEL:
	case NVGRE_CMD_PA_ADD:
	case NVGRE_CMD_PA_DEL:
		ag.need_resync = true;
		return 0;
	default:
		return 0;
	}
}

/* ---- resync ----------------------------------------------------------- */

static void add_pa(const struct nvgre_ip *ip)
{
	if (ag.n_pas < AGENT_MAX_PAS && !is_local_pa(ip))
		ag.pas[ag.n_pas++] = *ip;
}

static int link_cb(struct nlattr **tb, void *arg)
{
	struct nvgre_ip ip = { 0 };

	(void)arg;
	if (tb[NVGRE_A_VSID] && !ag.conf.n_vsids &&
	    !in_scope(nla_get_u32(tb[NVGRE_A_VSID])) &&
	    ag.n_scope < AGENT_MAX_VSIDS)
		ag.scope[ag.n_scope++] = nla_get_u32(tb[NVGRE_A_VSID]);
	if (tb[NVGRE_A_LOCAL4]) {
		ip.family = AF_INET;
		memcpy(&ip.v4, nla_data(tb[NVGRE_A_LOCAL4]), 4);
		add_pa(&ip);
	}
	if (tb[NVGRE_A_LOCAL6]) {
		ip.family = AF_INET6;
		memcpy(&ip.v6, nla_data(tb[NVGRE_A_LOCAL6]), 16);
		add_pa(&ip);
	}
	return 0;
}

static void link_reset(void *arg)
{
	(void)arg;
	ag.n_scope = 0;
	ag.n_pas = 0;
}

static void add_host_addrs(void)
{
	struct ifaddrs *ifa, *i;
	struct nvgre_ip ip;

	if (getifaddrs(&ifa))
		return;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr)
			continue;
		memset(&ip, 0, sizeof(ip));
		ip.family = i->ifa_addr->sa_family;
		if (ip.family == AF_INET)
			ip.v4 = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
		else if (ip.family == AF_INET6)
			ip.v6 = ((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		else
			continue;
		add_pa(&ip);
	}
	freeifaddrs(ifa);
}

/* The VSIDs this host serves and its PAs, from its devices and PAs. */
static int rescope(void)
{
	struct obj_list pas;
	size_t i;
	int ret;

	link_reset(NULL);
	if (ag.conf.n_vsids) {
		memcpy(ag.scope, ag.conf.vsids, sizeof(ag.scope));
		ag.n_scope = ag.conf.n_vsids;
	}
	ret = nvgre_genl_dump(NVGRE_CMD_LINK_GET, NULL, NULL, link_cb,
			      link_reset, NULL);
	if (ret)
		return ret;
	if (ag.conf.n_vsids) {
		memcpy(ag.scope, ag.conf.vsids, sizeof(ag.scope));
		ag.n_scope = ag.conf.n_vsids;
	}
	obj_list_init(&pas, &obj_pa);
	ret = obj_list_dump(&pas, NULL);
	for (i = 0; !ret && i < pas.n; i++)
		add_pa(&((struct nvgre_pa_req *)obj_list_rec(&pas, i))->pa);
	obj_list_free(&pas);
	/* Without PAs, any address of the host is one (nvgre.h). */
	if (!ret && !ag.n_pas)
		add_host_addrs();
	return ret;
}

static int kernel_dump(void)
{
	struct obj_list recs;
	size_t i;
	int ret;

	kc_clear();
	obj_list_init(&recs, &obj_lookup);
	ret = obj_list_dump(&recs, NULL);
	for (i = 0; !ret && i < recs.n; i++)
		kc_set(obj_list_rec(&recs, i));
	obj_list_free(&recs);
	return ret;
}

/* What the resync's walk of the kernel's records collects. */
static struct {
	const struct nvgre_lookup_req *want;	/* sorted */
	size_t n_want;
	struct nvgre_lookup_req *del;		/* the agent's extras */
	size_t n_del, cap_del;
} walk;

static void walk_one(const void *node, VISIT v, void *arg)
{
	const struct nvgre_lookup_req *k = *(struct nvgre_lookup_req **)node;
	bool wanted;

	(void)arg;
	if (v != postorder && v != leaf)
		return;
	wanted = bsearch(k, walk.want, walk.n_want, sizeof(*k), kc_cmp);
	if (k->proto == NVGRE_PROTO_AGENT && (!wanted || !in_scope(k->vsid))) {
		void *p = array_grow(walk.del, &walk.cap_del, walk.n_del,
				     sizeof(*k), 64);

		if (!p)
			return;
		walk.del = p;
		walk.del[walk.n_del++] = *k;
	} else if (k->proto != NVGRE_PROTO_AGENT && !wanted &&
		   in_scope(k->vsid) && is_local_pa(&k->pa)) {
		pending_add(k);	/* a VM started here that the store lacks */
	}
}

/*
 * A claim of this host under another lease (of the agent before a
 * restart): bound to this one, unless the key changed meanwhile.
 */
static void rebind(const struct etcd_kv *kv, const struct nvgre_lookup_req *r)
{
	bool ok = false;

	if (etcd_cas(ag.etcd, kv->key, kv->mod_revision, kv->value,
		     kv->value_len, ag.lease, &ok, NULL, NULL) || !ok)
		return;
	logm(LOG_INFO, "%s: claim bound to lease %" PRIx64 " (was %" PRIx64 ")",
	     kv->key, ag.lease, kv->lease);
	claim_add(r);
}

/* The store's records of the scope at one revision, sorted; or -errno. */
static int store_read(struct nvgre_lookup_req **want, size_t *n_want,
		      int64_t *rev)
{
	char end[STORE_KEY_LEN], err[512];
	struct etcd_kv *kvs;
	size_t n, i;
	int ret;

	etcd_prefix_end(STORE_LOOKUP_PREFIX, end, sizeof(end));
	ret = etcd_range(ag.etcd, STORE_LOOKUP_PREFIX, end, 0, &kvs, &n, rev);
	if (ret)
		return ret;
	*want = calloc(n ? n : 1, sizeof(**want));
	*n_want = 0;
	for (i = 0; *want && i < n; i++) {
		struct nvgre_lookup_req *r = &(*want)[*n_want];

		if (store_lookup_parse(kvs[i].key, kvs[i].value, r, err,
				       sizeof(err))) {
			ag.st.malformed++;
			logm(LOG_WARNING, "skipped %s", err);
		} else if (in_scope(r->vsid)) {
			(*n_want)++;
			if (ag.lease && kvs[i].lease && kvs[i].lease != ag.lease &&
			    is_local_pa(&r->pa))
				rebind(&kvs[i], r);
		}
	}
	etcd_kvs_free(kvs, n);
	free(kvs);
	if (!*want)
		return -ENOMEM;
	qsort(*want, *n_want, sizeof(**want), kc_cmp);
	return 0;
}

static int resync(void)
{
	struct nvgre_lookup_req *want = NULL;
	char end[STORE_KEY_LEN];
	size_t n_want = 0, i;
	int64_t rev = 0;
	int ret;

	ag.state = "resyncing";
	etcd_watch_stop(ag.watch);
	ag.watch = NULL;
	ag.need_resync = false;
	ag.n_pending = 0;
	ag.n_reread = 0;	/* the resync reads every key */
	if (rescope() || kernel_dump()) {
		ag.st.errors++;
		return -EIO;
	}
	/* a lease lost while the agent was away from the store: known now */
	ret = lease_keep(true);
	ag.need_resync = false;
	if (!ret)
		ret = lease_ensure();
	if (ret > 0 && ag.n_claims)
		ret = claims_renew();
	if (ret < 0)
		return ret;
	ret = store_read(&want, &n_want, &rev);
	if (ret)
		return ret;
	for (i = 0; i < n_want; i++)
		want_record(&want[i], true);
	k_flush();
	walk.want = want;
	walk.n_want = n_want;
	walk.n_del = 0;
	twalk_r(ag.kcache, walk_one, NULL);
	for (i = 0; i < walk.n_del; i++)
		k_del(&walk.del[i]);
	free(want);
	ret = publish_pending();
	if (ret)
		return ret;
	ag.rev = rev;
	ag.head = rev;
	ag.st.resyncs++;
	etcd_prefix_end(STORE_LOOKUP_PREFIX, end, sizeof(end));
	ag.watch = etcd_watch_start(ag.etcd, STORE_LOOKUP_PREFIX, end,
				    rev + 1, true, watch_cb, NULL);
	if (!ag.watch)
		return -ENOMEM;
	ag.last_word = time(NULL);
	ag.state = "watching";
	logm(LOG_INFO, "converged at revision %" PRId64 ": %zu records of %zu VSIDs from %s",
	     rev, n_want, ag.n_scope, etcd_endpoint(ag.etcd));
	return 0;
}

/* ---- status ----------------------------------------------------------- */

static void write_status(void)
{
	char tmp[300];
	FILE *f;
	size_t i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", ag.conf.status);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "state %s\nendpoint %s\nrevision %" PRId64 "\nstore_revision %" PRId64 "\n",
		ag.state, ag.etcd ? etcd_endpoint(ag.etcd) : "-", ag.rev,
		ag.head);
	fprintf(f, "kernel_records %zu\nvsids", ag.n_kcache);
	for (i = 0; i < ag.n_scope; i++)
		fprintf(f, " %u", ag.scope[i]);
	fprintf(f, "\napplied %" PRIu64 "\nresyncs %" PRIu64 "\nmalformed %" PRIu64
		   "\npublished %" PRIu64 "\nconflicts %" PRIu64 "\nkept %" PRIu64
		   "\nerrors %" PRIu64 "\nrereads %" PRIu64 "\nrestored %" PRIu64
		   "\nreread_dropped %" PRIu64 "\nleases %" PRIu64
		   "\nlease %" PRIx64 "\nclaims %zu\n",
		ag.st.applied, ag.st.resyncs, ag.st.malformed, ag.st.published,
		ag.st.conflicts, ag.st.kept, ag.st.errors, ag.st.rereads,
		ag.st.restored, ag.st.reread_dropped, ag.st.leases, ag.lease,
		ag.n_claims);
	if (fclose(f) == 0)
		rename(tmp, ag.conf.status);
}

/* ---- Prometheus metrics ----------------------------------------------- */

static int metrics_open(int port)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 8)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* One answer per connection, whatever was asked: the text format. */
static void metrics_serve(void)
{
	char body[3072], head[128];
	int fd;

	while ((fd = accept4(ag.metrics_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		int h, n = snprintf(body, sizeof(body),
			     "# TYPE nvgre_agent_up gauge\nnvgre_agent_up %d\n"
			     "# TYPE nvgre_agent_revision_applied gauge\nnvgre_agent_revision_applied %" PRId64 "\n"
			     "# TYPE nvgre_agent_store_revision gauge\nnvgre_agent_store_revision %" PRId64 "\n"
			     "# TYPE nvgre_agent_kernel_records gauge\nnvgre_agent_kernel_records %zu\n"
			     "# TYPE nvgre_agent_vsids gauge\nnvgre_agent_vsids %zu\n"
			     "# TYPE nvgre_agent_changes_applied_total counter\nnvgre_agent_changes_applied_total %" PRIu64 "\n"
			     "# TYPE nvgre_agent_resyncs_total counter\nnvgre_agent_resyncs_total %" PRIu64 "\n"
			     "# TYPE nvgre_agent_malformed_total counter\nnvgre_agent_malformed_total %" PRIu64 "\n"
			     "# TYPE nvgre_agent_published_total counter\nnvgre_agent_published_total %" PRIu64 "\n"
			     "# TYPE nvgre_agent_conflicts_total counter\nnvgre_agent_conflicts_total %" PRIu64 "\n"
			     "# TYPE nvgre_agent_kept_total counter\nnvgre_agent_kept_total %" PRIu64 "\n"
			     "# TYPE nvgre_agent_errors_total counter\nnvgre_agent_errors_total %" PRIu64 "\n"
			     "# TYPE nvgre_agent_rereads_total counter\nnvgre_agent_rereads_total %" PRIu64 "\n"
			     "# TYPE nvgre_agent_restored_total counter\nnvgre_agent_restored_total %" PRIu64 "\n"
			     "# TYPE nvgre_agent_reread_dropped_total counter\nnvgre_agent_reread_dropped_total %" PRIu64 "\n",
			     ag.watch ? 1 : 0, ag.rev, ag.head, ag.n_kcache,
			     ag.n_scope, ag.st.applied, ag.st.resyncs,
			     ag.st.malformed, ag.st.published, ag.st.conflicts,
			     ag.st.kept, ag.st.errors, ag.st.rereads,
			     ag.st.restored, ag.st.reread_dropped);
		h = snprintf(head, sizeof(head),
			     "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
			     "Content-Length: %d\r\nConnection: close\r\n\r\n", n);
		/* small: the socket buffer takes it at once */
		if (send(fd, head, h, MSG_NOSIGNAL | MSG_DONTWAIT) == h)
			send(fd, body, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		shutdown(fd, SHUT_WR);
		close(fd);
	}
}

/* ---- configuration ---------------------------------------------------- */

static int parse_vsids(char *s, uint32_t *v, size_t *n)
{
	char *tok, *save = NULL;

	*n = 0;
	if (!strcmp(s, "auto"))
		return 0;
	for (tok = strtok_r(s, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		if (*n == AGENT_MAX_VSIDS || parse_vsid(tok, &v[*n]))
			return -1;
		(*n)++;
	}
	return 0;
}

static int set_endpoints(struct agent_conf *c, const char *s)
{
	char *tok, *save = NULL;

	free(c->endpoints);
	c->endpoints = strdup(s);
	c->etcd.n_endpoints = 0;
	for (tok = strtok_r(c->endpoints, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		if (c->etcd.n_endpoints == ETCD_MAX_ENDPOINTS)
			return -1;
		c->etcd.endpoints[c->etcd.n_endpoints++] = tok;
	}
	return c->etcd.n_endpoints ? 0 : -1;
}

/* "key value" lines; # comments. */
static int read_conf(struct agent_conf *c, const char *path, bool must)
{
	char line[1024], *k, *v, *end;
	unsigned int lineno = 0;
	FILE *f = fopen(path, "r");
	int bad = 0;

	if (!f) {
		if (!must && errno == ENOENT)
			return 0;
		logm(LOG_ERR, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "#\n")] = '\0';
		k = line + strspn(line, " \t");
		if (!*k)
			continue;
		v = k + strcspn(k, " \t");
		if (*v)
			*v++ = '\0';
		v += strspn(v, " \t");
		end = v + strlen(v);
		while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!strcmp(k, "endpoints"))
			bad = set_endpoints(c, v);
		else if (!strcmp(k, "vsids"))
			bad = parse_vsids(v, c->vsids, &c->n_vsids);
		else if (!strcmp(k, "progress-timeout"))
			c->progress_timeout = atoi(v), bad = c->progress_timeout < 0;
		else if (!strcmp(k, "metrics-port"))
			c->metrics_port = atoi(v),
			bad = c->metrics_port < 0 || c->metrics_port > 65535;
		else if (!strcmp(k, "claim-lease"))
			c->claim_lease = atoi(v), bad = c->claim_lease < 0;
		else if (!strcmp(k, "backoff-max"))
			c->backoff_max = atoi(v), bad = c->backoff_max < 1;
		else if (!strcmp(k, "status-file"))
			snprintf(c->status, sizeof(c->status), "%s", v);
		else if (!strcmp(k, "cacert"))
			c->etcd.cacert = strdup(v);
		else if (!strcmp(k, "cert"))
			c->etcd.cert = strdup(v);
		else if (!strcmp(k, "key"))
			c->etcd.key = strdup(v);
		else if (!strcmp(k, "user"))
			c->etcd.user = strdup(v);
		else if (!strcmp(k, "password"))
			c->etcd.password = strdup(v);
		else
			bad = 1;
		if (bad) {
			logm(LOG_ERR, "%s:%u: bad line \"%s\"", path, lineno, k);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

/* ---- the loop --------------------------------------------------------- */

/* sd_notify(3) without libsystemd: one datagram to $NOTIFY_SOCKET. */
static void notify(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n;
	int fd;

	if (!path || (*path != '/' && *path != '@'))
		return;
	n = strlen(path);
	if (n >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, n);
	if (*path == '@')
		sa.sun_path[0] = '\0';		/* abstract namespace */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa,
	       offsetof(struct sockaddr_un, sun_path) + n);
	close(fd);
}

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void disconnected(const char *what)
{
	int delay = 1 << (ag.backoff < 5 ? ag.backoff : 5);

	if (delay > ag.conf.backoff_max)
		delay = ag.conf.backoff_max;
	/* jitter: 75-125% */
	delay = delay * (75 + rand() % 51) / 100;
	if (!delay)
		delay = 1;
	ag.backoff++;
	ag.st.errors++;
	etcd_watch_stop(ag.watch);
	ag.watch = NULL;
	ag.state = "disconnected";
	ag.next_try = time(NULL) + delay;
	logm(LOG_WARNING, "%s: %s; keeping %zu records, retry in %d s", what,
	     etcd_error(ag.etcd), ag.n_kcache, delay);
}

static void step(int evfd)
{
	struct curl_waitfd wfd[2] = {
		{ .fd = evfd, .events = CURL_WAIT_POLLIN },
		{ .fd = ag.metrics_fd, .events = CURL_WAIT_POLLIN },
	};
	struct pollfd pfd[2] = {
		{ .fd = evfd, .events = POLLIN },
		{ .fd = ag.metrics_fd, .events = POLLIN },
	};
	unsigned int nfds = ag.metrics_fd >= 0 ? 2 : 1;
	time_t now = time(NULL);
	int ret, timeout = 500;

	if (!ag.watch && now >= ag.next_try) {
		ret = resync();
		if (ret) {
			disconnected("resync");
		} else {
			ag.backoff = 0;
			/* Type=notify: ready once converged, the first time */
			if (ag.st.resyncs == 1)
				notify("READY=1");
		}
	}
	if (ag.watch) {
		curl_multi_wait(etcd_watch_multi(ag.watch), wfd, nfds, timeout,
				NULL);
		pfd[0].revents = wfd[0].revents ? POLLIN : 0;
		pfd[1].revents = wfd[1].revents ? POLLIN : 0;
	} else {
		poll(pfd, nfds, timeout);
	}
	if (nfds > 1 && pfd[1].revents)
		metrics_serve();
	if (pfd[0].revents & POLLIN) {
		ret = nvgre_genl_events(event_cb, NULL);
		if (ret == -ENOBUFS) {
			logm(LOG_WARNING, "kernel events lost, resync");
			ag.need_resync = true;
		}
		k_flush();
	}
	if (ag.watch) {
		ret = etcd_watch_step(ag.watch);
		if (ret < 0)
			disconnected("watch");
		else if (ret > 0)
			ag.need_resync = true;
	}
	if (ag.watch && ag.n_pending && publish_pending())
		disconnected("publish");
	if (ag.watch && ag.n_reread && !ag.need_resync)
		reread_run();
	if (ag.watch && lease_keep(false))
		disconnected("lease keepalive");
	now = time(NULL);
	if (ag.watch && ag.conf.progress_timeout &&
	    now - ag.last_word > ag.conf.progress_timeout) {
		logm(LOG_WARNING, "no word from etcd %s for %ld s, resync",
		     etcd_endpoint(ag.etcd), (long)(now - ag.last_word));
		ag.need_resync = true;
	}
	if (ag.need_resync && ag.watch) {
		etcd_watch_stop(ag.watch);
		ag.watch = NULL;
		ag.next_try = 0;
	}
	write_status();
	/* the loop turns at least every 500 ms */
	if (getenv("WATCHDOG_USEC"))
		notify("WATCHDOG=1");
}

static int cmd_status(const char *path)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "Error: cannot open \"%s\": %s (is nvgre-agent running?).\n",
			path, strerror(errno));
		return 1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	return 0;
}

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: nvgre-agent [ -c CONF ] [ -e URL[,URL...] ] [ -s STATUS ] [ run ]\n"
		"       nvgre-agent [ -s STATUS ] status\n"
		"CONF: %s; STATUS: %s\n", AGENT_CONF, AGENT_STATUS);
}

int main(int argc, char **argv)
{
	const char *conf = AGENT_CONF, *endpoints = NULL, *status = NULL;
	bool conf_given = false;
	char err[256];
	int opt, evfd;

	while ((opt = getopt(argc, argv, "c:e:s:hV")) != -1) {
		switch (opt) {
		case 'c':
			conf = optarg;
			conf_given = true;
			break;
		case 'e':
			endpoints = optarg;
			break;
		case 's':
			status = optarg;
			break;
		case 'V':
			printf("nvgre-agent %s\n", "0.1");
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	snprintf(ag.conf.status, sizeof(ag.conf.status), "%s", AGENT_STATUS);
	ag.conf.progress_timeout = 0;
	ag.conf.backoff_max = 30;
	if (optind < argc && !strcmp(argv[optind], "status")) {
		if (!status && !read_conf(&ag.conf, conf, conf_given))
			status = ag.conf.status;
		return cmd_status(status ?: ag.conf.status);
	}
	if (optind < argc && strcmp(argv[optind], "run")) {
		usage(stderr);
		return 1;
	}
	if (read_conf(&ag.conf, conf, conf_given))
		return 1;
	if (endpoints && set_endpoints(&ag.conf, endpoints)) {
		logm(LOG_ERR, "bad endpoints \"%s\"", endpoints);
		return 1;
	}
	if (status)
		snprintf(ag.conf.status, sizeof(ag.conf.status), "%s", status);
	if (!ag.conf.etcd.n_endpoints) {
		logm(LOG_ERR, "no etcd endpoints (endpoints in %s, or -e)", conf);
		return 1;
	}
	ag.etcd = etcd_open(&ag.conf.etcd, err, sizeof(err));
	if (!ag.etcd) {
		logm(LOG_ERR, "%s", err);
		return 1;
	}
	evfd = nvgre_genl_listen(NVGRE_MCGRP_EVENTS, AGENT_RCVBUF);
	if (evfd < 0 || nvgre_genl_listen_more(NVGRE_MCGRP_MISSES))
		return 1;
	if (ag.conf.metrics_port) {
		ag.metrics_fd = metrics_open(ag.conf.metrics_port);
		if (ag.metrics_fd < 0) {
			logm(LOG_ERR, "cannot listen on 127.0.0.1:%d: %s",
			     ag.conf.metrics_port, strerror(-ag.metrics_fd));
			return 1;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	srand(getpid() ^ time(NULL));
	logm(LOG_INFO, "nvgre-agent starting, etcd %s", ag.conf.etcd.endpoints[0]);
	while (!stopping)
		step(evfd);
	/* the records stay: the datapath keeps forwarding */
	logm(LOG_INFO, "nvgre-agent stopping, leaving %zu records", ag.n_kcache);
	ag.state = "stopped";
	write_status();
	etcd_watch_stop(ag.watch);
	etcd_close(ag.etcd);
	kc_clear();
	nl_close_all();
	return 0;
}
