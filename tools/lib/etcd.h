/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnvgre's etcd v3 client: the JSON gateway of etcd 3.4 (/v3/kv/range,
 * put, deleterange, txn, /v3/watch, /v3/lease/..., /v3/auth/authenticate)
 * over libcurl, parsed with json-c. nvgrectl --store and nvgre-agent share
 * it. Keys and values are byte strings here; the gateway's base64 and its
 * int64-as-string encoding stay inside etcd.c.
 *
 * Requests go to the first endpoint that answers; one that fails at the
 * transport level is skipped until the others failed too. With a user,
 * the client authenticates first and again when the token expired.
 *
 * Functions return 0 or a negative errno (-EIO: transport, -EPROTO: an
 * answer that is not what the gateway sends, -ESTALE: the revision was
 * compacted), and leave a message in etcd_error().
 */
#ifndef NVGRE_ETCD_H
#define NVGRE_ETCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#define ETCD_MAX_ENDPOINTS	8

struct etcd_opts {
	/* "http://10.0.0.1:2379" or https://; at least one */
	const char *endpoints[ETCD_MAX_ENDPOINTS];
	size_t n_endpoints;
	const char *cacert;		/* TLS: CA bundle to verify the server */
	const char *cert;		/* TLS client certificate and key */
	const char *key;
	const char *user;		/* user/password auth, or NULL */
	const char *password;
	long timeout_ms;		/* per request; 0: 5000 */
};

struct etcd_kv {
	char *key;			/* NUL-terminated */
	size_t key_len;
	char *value;			/* NUL-terminated, may hold NULs */
	size_t value_len;
	int64_t create_revision;
	int64_t mod_revision;
	int64_t version;
	int64_t lease;
};

enum etcd_event_type {
	ETCD_PUT,
	ETCD_DELETE,
};

struct etcd_event {
	enum etcd_event_type type;
	struct etcd_kv kv;		/* of a delete: key and mod_revision */
};

/* One message of a watch stream. */
struct etcd_watch_resp {
	int64_t revision;		/* the header's: store revision */
	bool created;
	bool canceled;
	int64_t compact_revision;	/* canceled: watched from before it */
	const char *cancel_reason;
	struct etcd_event *events;
	size_t n_events;		/* 0 and not created: progress */
};

struct etcd;
struct etcd_watch;

/* Returns NULL (and the message in err) on a bad option. */
struct etcd *etcd_open(const struct etcd_opts *o, char *err, size_t len);
void etcd_close(struct etcd *e);
const char *etcd_error(const struct etcd *e);
/* The endpoint of the last request. */
const char *etcd_endpoint(const struct etcd *e);

/* The range_end of every key that starts with prefix, into buf. */
void etcd_prefix_end(const char *prefix, char *buf, size_t len);

void etcd_kvs_free(struct etcd_kv *kvs, size_t n);

/*
 * Keys from key up to range_end (NULL: key alone) at revision rev (0:
 * the newest); *revision gets the store's revision the answer is of.
 */
int etcd_range(struct etcd *e, const char *key, const char *range_end,
	       int64_t rev, struct etcd_kv **kvs, size_t *n,
	       int64_t *revision);
int etcd_put(struct etcd *e, const char *key, const char *value,
	     size_t value_len, int64_t lease, int64_t *revision);
/* *deleted (may be NULL) gets how many keys went. */
int etcd_delete(struct etcd *e, const char *key, const char *range_end,
		int64_t *deleted, int64_t *revision);
/*
 * Compare-and-swap: put value (with lease, 0: none) if key's mod_revision
 * is mod_rev (0: the key does not exist). *ok says whether it was put;
 * if not, *cur (may be NULL) gets the key as it is (mod_revision 0: none),
 * to be freed with etcd_kvs_free(cur, 1).
 */
int etcd_cas(struct etcd *e, const char *key, int64_t mod_rev,
	     const char *value, size_t value_len, int64_t lease, bool *ok,
	     struct etcd_kv *cur, int64_t *revision);

int etcd_lease_grant(struct etcd *e, int64_t ttl, int64_t *id);
/* *ttl gets the lease's remaining TTL, 0 when it is gone. */
int etcd_lease_keepalive(struct etcd *e, int64_t id, int64_t *ttl);

/*
 * A watch of key..range_end from start_rev, on a stream of its own: fn
 * gets each message, and its nonzero return ends the watch. Driven by the
 * caller's loop through etcd_watch_multi() (curl_multi_wait() can wait on
 * the caller's own descriptors too) and etcd_watch_step().
 */
typedef int (*etcd_watch_fn)(const struct etcd_watch_resp *r, void *arg);

struct etcd_watch *etcd_watch_start(struct etcd *e, const char *key,
				    const char *range_end, int64_t start_rev,
				    bool progress_notify, etcd_watch_fn fn,
				    void *arg);
CURLM *etcd_watch_multi(struct etcd_watch *w);
/*
 * Read what arrived and call fn. Returns 0 while the stream runs, 1 when
 * it ended (fn's nonzero return, or the server closed it), or a negative
 * errno when it broke (etcd_error() says how).
 */
int etcd_watch_step(struct etcd_watch *w);
void etcd_watch_stop(struct etcd_watch *w);

#endif /* NVGRE_ETCD_H */
