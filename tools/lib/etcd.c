// SPDX-License-Identifier: GPL-2.0
/*
 * The etcd v3 client of libnvgre (etcd.h): requests to etcd 3.4's JSON
 * gateway with libcurl, answers parsed with json-c. Keys and values are
 * base64 in JSON and int64 numbers are strings; both are converted here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "etcd.h"

struct etcd {
	struct etcd_opts o;
	CURL *curl;
	size_t cur;			/* endpoint of the next request */
	char *token;			/* auth token, or NULL */
	char err[256];
};

struct etcd_watch {
	struct etcd *e;
	CURL *curl;
	CURLM *multi;
	struct curl_slist *hdrs;
	json_tokener *tok;
	etcd_watch_fn fn;
	void *arg;
	char *body;
	int done;			/* 1: ended, < 0: broke */
};

/* A growing buffer of a response body. */
struct buf {
	char *p;
	size_t n;
	size_t cap;
};

static void seterr(struct etcd *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->err, sizeof(e->err), fmt, ap);
	va_end(ap);
}

const char *etcd_error(const struct etcd *e)
{
	return e->err;
}

const char *etcd_endpoint(const struct etcd *e)
{
	return e->o.endpoints[e->cur];
}

/* ---- base64 (RFC 4648, with padding) ---------------------------------- */

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(const void *data, size_t n)
{
	const unsigned char *s = data;
	char *out = malloc(4 * ((n + 2) / 3) + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i + 2 < n; i += 3) {
		*o++ = b64[s[i] >> 2];
		*o++ = b64[(s[i] & 3) << 4 | s[i + 1] >> 4];
		*o++ = b64[(s[i + 1] & 15) << 2 | s[i + 2] >> 6];
		*o++ = b64[s[i + 2] & 63];
	}
	if (i < n) {
		*o++ = b64[s[i] >> 2];
		if (i + 1 < n) {
			*o++ = b64[(s[i] & 3) << 4 | s[i + 1] >> 4];
			*o++ = b64[(s[i + 1] & 15) << 2];
		} else {
			*o++ = b64[(s[i] & 3) << 4];
			*o++ = '=';
		}
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

static int b64_val(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? p - b64 : -1;
}

/* NUL-terminated copy of the decoded bytes; NULL if s is not base64. */
static char *b64_decode(const char *s, size_t *len)
{
	size_t n = strlen(s), i, o = 0;
	unsigned int acc = 0;
	int bits = 0;
	char *out;

	out = malloc(n / 4 * 3 + 3);
	if (!out)
		return NULL;
	for (i = 0; i < n && s[i] != '='; i++) {
		int v = b64_val(s[i]);

		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = acc << 6 | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = acc >> bits & 0xff;
		}
	}
	out[o] = '\0';
	*len = o;
	return out;
}

/* ---- JSON helpers ----------------------------------------------------- */

/* An int64 field, a string in the gateway's JSON; 0 when absent. */
static int64_t jint(json_object *o, const char *name)
{
	json_object *v;

	if (!json_object_object_get_ex(o, name, &v))
		return 0;
	if (json_object_is_type(v, json_type_string))
		return strtoll(json_object_get_string(v), NULL, 10);
	return json_object_get_int64(v);
}

static bool jbool(json_object *o, const char *name)
{
	json_object *v;

	return json_object_object_get_ex(o, name, &v) &&
	       json_object_get_boolean(v);
}

static void jset_int(json_object *o, const char *name, int64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%" PRId64, v);
	json_object_object_add(o, name, json_object_new_string(s));
}

/* A base64 field from len bytes; 0 or -ENOMEM. */
static int jset_b64(json_object *o, const char *name, const void *data,
		    size_t len)
{
	char *s = b64_encode(data, len);

	if (!s)
		return -ENOMEM;
	json_object_object_add(o, name, json_object_new_string(s));
	free(s);
	return 0;
}

static int64_t header_rev(json_object *resp)
{
	json_object *h;

	return json_object_object_get_ex(resp, "header", &h) ?
	       jint(h, "revision") : 0;
}

static int kv_parse(json_object *j, struct etcd_kv *kv)
{
	json_object *k, *v;

	memset(kv, 0, sizeof(*kv));
	if (!json_object_object_get_ex(j, "key", &k))
		return -EPROTO;
	kv->key = b64_decode(json_object_get_string(k), &kv->key_len);
	if (json_object_object_get_ex(j, "value", &v))
		kv->value = b64_decode(json_object_get_string(v),
				       &kv->value_len);
	else
		kv->value = calloc(1, 1);
	if (!kv->key || !kv->value) {
		free(kv->key);
		free(kv->value);
		kv->key = kv->value = NULL;
		return -EPROTO;
	}
	kv->create_revision = jint(j, "create_revision");
	kv->mod_revision = jint(j, "mod_revision");
	kv->version = jint(j, "version");
	kv->lease = jint(j, "lease");
	return 0;
}

void etcd_kvs_free(struct etcd_kv *kvs, size_t n)
{
	size_t i;

	if (!kvs)
		return;
	for (i = 0; i < n; i++) {
		free(kvs[i].key);
		free(kvs[i].value);
	}
}

static int kvs_parse(json_object *arr, struct etcd_kv **kvs, size_t *n)
{
	size_t i, len = arr ? json_object_array_length(arr) : 0;

	*kvs = calloc(len ? len : 1, sizeof(**kvs));
	*n = 0;
	if (!*kvs)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		int ret = kv_parse(json_object_array_get_idx(arr, i), &(*kvs)[i]);
		if (ret) {
			etcd_kvs_free(*kvs, i);
			free(*kvs);
			*kvs = NULL;
			return ret;
		}
	}
	*n = len;
	return 0;
}

/* ---- requests --------------------------------------------------------- */

static size_t buf_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;
	char *np;

	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		np = realloc(b->p, b->cap);
		if (!np)
			return 0;
		b->p = np;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

/* The options every handle of e has: TLS, timeouts, no signals. */
static void easy_setup(struct etcd *e, CURL *c)
{
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
			 e->o.timeout_ms < 2000 ? e->o.timeout_ms : 2000);
	if (e->o.cacert)
		curl_easy_setopt(c, CURLOPT_CAINFO, e->o.cacert);
	if (e->o.cert)
		curl_easy_setopt(c, CURLOPT_SSLCERT, e->o.cert);
	if (e->o.key)
		curl_easy_setopt(c, CURLOPT_SSLKEY, e->o.key);
}

static struct curl_slist *headers(struct etcd *e)
{
	struct curl_slist *h = curl_slist_append(NULL,
				"Content-Type: application/json");

	if (h && e->token) {
		char auth[1024];

		snprintf(auth, sizeof(auth), "Authorization: %s", e->token);
		h = curl_slist_append(h, auth);
	}
	return h;
}

/*
 * POST body to path on the current endpoint; *status gets the HTTP
 * status, b the answer. -EIO when the endpoint cannot be reached.
 */
static int post_one(struct etcd *e, const char *path, const char *body,
		    struct buf *b, long *status)
{
	struct curl_slist *h = headers(e);
	char url[512];
	CURLcode rc;

	snprintf(url, sizeof(url), "%s%s", e->o.endpoints[e->cur], path);
	curl_easy_reset(e->curl);
	easy_setup(e, e->curl);
	curl_easy_setopt(e->curl, CURLOPT_URL, url);
	curl_easy_setopt(e->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e->curl, CURLOPT_TIMEOUT_MS, e->o.timeout_ms);
	curl_easy_setopt(e->curl, CURLOPT_WRITEFUNCTION, buf_write);
	curl_easy_setopt(e->curl, CURLOPT_WRITEDATA, b);
	b->n = 0;
	rc = curl_easy_perform(e->curl);
	curl_slist_free_all(h);
	if (rc != CURLE_OK) {
		seterr(e, "etcd %s: %s", e->o.endpoints[e->cur],
		       curl_easy_strerror(rc));
		return -EIO;
	}
	curl_easy_getinfo(e->curl, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

static int authenticate(struct etcd *e);

/*
 * The gateway's answer to req at path, or NULL with the error in *ret.
 * Endpoints are tried in turn from the last one that answered; a token
 * that expired is renewed once.
 */
static json_object *request(struct etcd *e, const char *path,
			    json_object *req, int *ret)
{
	const char *body = json_object_to_json_string_ext(req,
							  JSON_C_TO_STRING_PLAIN);
	struct buf b = { 0 };
	bool reauth = false;
	json_object *resp, *msg;
	long status = 0;
	size_t tries;

again:
	*ret = -EIO;
	for (tries = 0; tries < e->o.n_endpoints; tries++) {
		*ret = post_one(e, path, body, &b, &status);
		if (!*ret)
			break;
		e->cur = (e->cur + 1) % e->o.n_endpoints;
	}
	if (*ret) {
		free(b.p);
		return NULL;
	}
	resp = b.p ? json_tokener_parse(b.p) : NULL;
	if (!resp) {
		seterr(e, "etcd %s%s: HTTP %ld, not JSON", etcd_endpoint(e),
		       path, status);
		free(b.p);
		*ret = -EPROTO;
		return NULL;
	}
	free(b.p);
	b.p = NULL;
	b.cap = 0;
	if (status == 200) {
		*ret = 0;
		return resp;
	}
	if (!json_object_object_get_ex(resp, "message", &msg) &&
	    !json_object_object_get_ex(resp, "error", &msg))
		msg = NULL;
	seterr(e, "etcd %s%s: %s", etcd_endpoint(e), path,
	       msg ? json_object_get_string(msg) : "error");
	*ret = strstr(e->err, "compacted") ? -ESTALE : -EIO;
	/* 16: UNAUTHENTICATED, an expired or unknown token */
	if (e->o.user && !reauth && jint(resp, "code") == 16) {
		json_object_put(resp);
		reauth = true;
		if (!authenticate(e))
			goto again;
		return NULL;
	}
	json_object_put(resp);
	return NULL;
}

static int authenticate(struct etcd *e)
{
	json_object *req = json_object_new_object(), *resp, *tok;
	char *user = (char *)e->o.user;
	int ret;

	free(e->token);
	e->token = NULL;
	e->o.user = NULL;		/* no reauth inside */
	json_object_object_add(req, "name", json_object_new_string(user));
	json_object_object_add(req, "password",
			       json_object_new_string(e->o.password ?: ""));
	resp = request(e, "/v3/auth/authenticate", req, &ret);
	json_object_put(req);
	e->o.user = user;
	if (!resp)
		return ret;
	if (json_object_object_get_ex(resp, "token", &tok))
		e->token = strdup(json_object_get_string(tok));
	json_object_put(resp);
	if (!e->token) {
		seterr(e, "etcd %s: no token for user %s", etcd_endpoint(e),
		       user);
		return -EPROTO;
	}
	return 0;
}

struct etcd *etcd_open(const struct etcd_opts *o, char *err, size_t len)
{
	struct etcd *e;
	size_t i;

	if (!o->n_endpoints || o->n_endpoints > ETCD_MAX_ENDPOINTS) {
		snprintf(err, len, "etcd: 1-%d endpoints", ETCD_MAX_ENDPOINTS);
		return NULL;
	}
	for (i = 0; i < o->n_endpoints; i++) {
		if (strncmp(o->endpoints[i], "http://", 7) &&
		    strncmp(o->endpoints[i], "https://", 8)) {
			snprintf(err, len,
				 "etcd endpoint \"%s\" is not an http:// or https:// URL",
				 o->endpoints[i]);
			return NULL;
		}
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		snprintf(err, len, "cannot initialise libcurl");
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e || !(e->curl = curl_easy_init())) {
		free(e);
		snprintf(err, len, "out of memory");
		return NULL;
	}
	e->o = *o;
	if (!e->o.timeout_ms)
		e->o.timeout_ms = 5000;
	if (e->o.user && authenticate(e)) {
		snprintf(err, len, "%s", e->err);
		etcd_close(e);
		return NULL;
	}
	return e;
}

void etcd_close(struct etcd *e)
{
	if (!e)
		return;
	curl_easy_cleanup(e->curl);
	free(e->token);
	free(e);
}

void etcd_prefix_end(const char *prefix, char *buf, size_t len)
{
	size_t n = strlen(prefix);

	snprintf(buf, len, "%s", prefix);
	/* The next key after every key with the prefix: its last byte + 1. */
	while (n > 0 && n <= len - 1) {
		if ((unsigned char)buf[n - 1] < 0xff) {
			buf[n - 1]++;
			buf[n] = '\0';
			return;
		}
		buf[--n] = '\0';
	}
	/* All 0xff: to the end of the key space. */
	snprintf(buf, len, "%c", 0);
}

static int put_range(json_object *req, const char *key, const char *range_end)
{
	int ret = jset_b64(req, "key", key, strlen(key));

	if (!ret && range_end)
		ret = jset_b64(req, "range_end", range_end,
			       *range_end ? strlen(range_end) : 1);
	return ret;
}

int etcd_range(struct etcd *e, const char *key, const char *range_end,
	       int64_t rev, struct etcd_kv **kvs, size_t *n,
	       int64_t *revision)
{
	json_object *req = json_object_new_object(), *resp, *arr;
	int ret = put_range(req, key, range_end);

	*kvs = NULL;
	*n = 0;
	if (rev)
		jset_int(req, "revision", rev);
	resp = ret ? NULL : request(e, "/v3/kv/range", req, &ret);
	json_object_put(req);
	if (!resp)
		return ret;
	if (!json_object_object_get_ex(resp, "kvs", &arr))
		arr = NULL;
	ret = kvs_parse(arr, kvs, n);
	if (ret == -EPROTO)
		seterr(e, "etcd %s: a key or value that is not base64",
		       etcd_endpoint(e));
	if (revision)
		*revision = header_rev(resp);
	json_object_put(resp);
	return ret;
}

int etcd_put(struct etcd *e, const char *key, const char *value,
	     size_t value_len, int64_t lease, int64_t *revision)
{
	json_object *req = json_object_new_object(), *resp;
	int ret = jset_b64(req, "key", key, strlen(key));

	if (!ret)
		ret = jset_b64(req, "value", value, value_len);
	if (lease)
		jset_int(req, "lease", lease);
	resp = ret ? NULL : request(e, "/v3/kv/put", req, &ret);
	json_object_put(req);
	if (!resp)
		return ret;
	if (revision)
		*revision = header_rev(resp);
	json_object_put(resp);
	return 0;
}

int etcd_delete(struct etcd *e, const char *key, const char *range_end,
		int64_t *deleted, int64_t *revision)
{
	json_object *req = json_object_new_object(), *resp;
	int ret = put_range(req, key, range_end);

	resp = ret ? NULL : request(e, "/v3/kv/deleterange", req, &ret);
	json_object_put(req);
	if (!resp)
		return ret;
	if (deleted)
		*deleted = jint(resp, "deleted");
	if (revision)
		*revision = header_rev(resp);
	json_object_put(resp);
	return 0;
}

/* The kv of the failure branch's range answer of a txn, if any. */
static int txn_cur(json_object *resp, struct etcd_kv *cur)
{
	json_object *arr, *r, *rr, *kvs;

	memset(cur, 0, sizeof(*cur));
	if (!json_object_object_get_ex(resp, "responses", &arr) ||
	    !(r = json_object_array_get_idx(arr, 0)) ||
	    !json_object_object_get_ex(r, "response_range", &rr) ||
	    !json_object_object_get_ex(rr, "kvs", &kvs) ||
	    !json_object_array_length(kvs))
		return 0;
	return kv_parse(json_object_array_get_idx(kvs, 0), cur);
}

int etcd_cas(struct etcd *e, const char *key, int64_t mod_rev,
	     const char *value, size_t value_len, int64_t lease, bool *ok,
	     struct etcd_kv *cur, int64_t *revision)
{
	json_object *req = json_object_new_object(), *resp;
	json_object *cmp = json_object_new_object();
	json_object *put = json_object_new_object();
	json_object *get = json_object_new_object();
	json_object *op, *arr;
	int ret;

	ret = jset_b64(cmp, "key", key, strlen(key));
	json_object_object_add(cmp, "target", json_object_new_string("MOD"));
	json_object_object_add(cmp, "result", json_object_new_string("EQUAL"));
	jset_int(cmp, "mod_revision", mod_rev);
	arr = json_object_new_array();
	json_object_array_add(arr, cmp);
	json_object_object_add(req, "compare", arr);

	ret = ret ?: jset_b64(put, "key", key, strlen(key));
	ret = ret ?: jset_b64(put, "value", value, value_len);
	if (lease)
		jset_int(put, "lease", lease);
	op = json_object_new_object();
	json_object_object_add(op, "request_put", put);
	arr = json_object_new_array();
	json_object_array_add(arr, op);
	json_object_object_add(req, "success", arr);

	ret = ret ?: jset_b64(get, "key", key, strlen(key));
	op = json_object_new_object();
	json_object_object_add(op, "request_range", get);
	arr = json_object_new_array();
	json_object_array_add(arr, op);
	json_object_object_add(req, "failure", arr);

	resp = ret ? NULL : request(e, "/v3/kv/txn", req, &ret);
	json_object_put(req);
	if (!resp)
		return ret;
	*ok = jbool(resp, "succeeded");
	if (revision)
		*revision = header_rev(resp);
	ret = 0;
	if (cur)
		ret = *ok ? (memset(cur, 0, sizeof(*cur)), 0) :
			    txn_cur(resp, cur);
	json_object_put(resp);
	return ret;
}

int etcd_lease_grant(struct etcd *e, int64_t ttl, int64_t *id)
{
	json_object *req = json_object_new_object(), *resp;
	int ret;

	jset_int(req, "TTL", ttl);
	resp = request(e, "/v3/lease/grant", req, &ret);
	json_object_put(req);
	if (!resp)
		return ret;
	*id = jint(resp, "ID");
	json_object_put(resp);
	if (!*id) {
		seterr(e, "etcd %s: no lease granted", etcd_endpoint(e));
		return -EPROTO;
	}
	return 0;
}

int etcd_lease_keepalive(struct etcd *e, int64_t id, int64_t *ttl)
{
	json_object *req = json_object_new_object(), *resp, *res;
	int ret;

	jset_int(req, "ID", id);
	resp = request(e, "/v3/lease/keepalive", req, &ret);
	json_object_put(req);
	if (!resp)
		return ret;
	/* A stream of one message here: {"result": {"ID", "TTL"}} */
	*ttl = json_object_object_get_ex(resp, "result", &res) ?
	       jint(res, "TTL") : 0;
	json_object_put(resp);
	return 0;
}

/* ---- watch ------------------------------------------------------------ */

static int watch_events(json_object *arr, struct etcd_watch_resp *r)
{
	size_t i, n = arr ? json_object_array_length(arr) : 0;

	r->events = calloc(n ? n : 1, sizeof(*r->events));
	if (!r->events)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		json_object *ev = json_object_array_get_idx(arr, i), *kv, *type;

		r->events[i].type =
			json_object_object_get_ex(ev, "type", &type) &&
			!strcmp(json_object_get_string(type), "DELETE") ?
			ETCD_DELETE : ETCD_PUT;
		if (!json_object_object_get_ex(ev, "kv", &kv) ||
		    kv_parse(kv, &r->events[i].kv))
			return -EPROTO;
		r->n_events++;
	}
	return 0;
}

static void watch_resp_free(struct etcd_watch_resp *r)
{
	size_t i;

	for (i = 0; i < r->n_events; i++)
		etcd_kvs_free(&r->events[i].kv, 1);
	free(r->events);
}

/* One message of the stream: {"result": {...}} or {"error": {...}}. */
static int watch_message(struct etcd_watch *w, json_object *msg)
{
	struct etcd_watch_resp r = { 0 };
	json_object *res, *arr, *reason;
	int ret;

	if (!json_object_object_get_ex(msg, "result", &res)) {
		seterr(w->e, "etcd %s watch: %s", etcd_endpoint(w->e),
		       json_object_to_json_string(msg));
		return -EIO;
	}
	r.revision = header_rev(res);
	r.created = jbool(res, "created");
	r.canceled = jbool(res, "canceled");
	r.compact_revision = jint(res, "compact_revision");
	if (json_object_object_get_ex(res, "cancel_reason", &reason))
		r.cancel_reason = json_object_get_string(reason);
	if (!json_object_object_get_ex(res, "events", &arr))
		arr = NULL;
	ret = watch_events(arr, &r);
	if (ret) {
		watch_resp_free(&r);
		seterr(w->e, "etcd %s watch: malformed event",
		       etcd_endpoint(w->e));
		return ret;
	}
	ret = w->fn(&r, w->arg);
	watch_resp_free(&r);
	return ret ? 1 : 0;
}

/* Feeds the stream to the tokenizer, one message per complete object. */
static size_t watch_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct etcd_watch *w = arg;
	size_t n = size * nmemb, off = 0;
	enum json_tokener_error jerr;
	json_object *msg;
	int ret;

	while (off < n && !w->done) {
		/* skip the newlines between messages */
		if (p[off] == '\n' || p[off] == '\r' || p[off] == ' ') {
			off++;
			continue;
		}
		msg = json_tokener_parse_ex(w->tok, p + off, n - off);
		jerr = json_tokener_get_error(w->tok);
		if (jerr == json_tokener_continue)
			return n;
		if (!msg) {
			seterr(w->e, "etcd %s watch: %s", etcd_endpoint(w->e),
			       json_tokener_error_desc(jerr));
			w->done = -EPROTO;
			return 0;
		}
		off += json_tokener_get_parse_end(w->tok);
		json_tokener_reset(w->tok);
		ret = watch_message(w, msg);
		json_object_put(msg);
		if (ret)
			w->done = ret;
	}
	return w->done ? 0 : n;
}

struct etcd_watch *etcd_watch_start(struct etcd *e, const char *key,
				    const char *range_end, int64_t start_rev,
				    bool progress_notify, etcd_watch_fn fn,
				    void *arg)
{
	json_object *req = json_object_new_object();
	json_object *cr = json_object_new_object();
	struct etcd_watch *w = calloc(1, sizeof(*w));
	char url[512];

	if (!w || put_range(cr, key, range_end))
		goto err;
	if (start_rev)
		jset_int(cr, "start_revision", start_rev);
	if (progress_notify)
		json_object_object_add(cr, "progress_notify",
				       json_object_new_boolean(1));
	json_object_object_add(req, "create_request", cr);
	cr = NULL;
	w->body = strdup(json_object_to_json_string_ext(req,
						JSON_C_TO_STRING_PLAIN));
	w->e = e;
	w->fn = fn;
	w->arg = arg;
	w->tok = json_tokener_new();
	w->curl = curl_easy_init();
	w->multi = curl_multi_init();
	w->hdrs = headers(e);
	if (!w->body || !w->tok || !w->curl || !w->multi || !w->hdrs)
		goto err;
	snprintf(url, sizeof(url), "%s/v3/watch", e->o.endpoints[e->cur]);
	easy_setup(e, w->curl);
	curl_easy_setopt(w->curl, CURLOPT_URL, url);
	curl_easy_setopt(w->curl, CURLOPT_HTTPHEADER, w->hdrs);
	curl_easy_setopt(w->curl, CURLOPT_POSTFIELDS, w->body);
	curl_easy_setopt(w->curl, CURLOPT_WRITEFUNCTION, watch_write);
	curl_easy_setopt(w->curl, CURLOPT_WRITEDATA, w);
	/* a dead peer without FIN: the caller's progress timer sees it */
	curl_easy_setopt(w->curl, CURLOPT_TCP_KEEPALIVE, 1L);
	if (curl_multi_add_handle(w->multi, w->curl))
		goto err;
	json_object_put(req);
	return w;

err:
	json_object_put(cr);
	json_object_put(req);
	seterr(e, "etcd watch: out of memory");
	etcd_watch_stop(w);
	return NULL;
}

CURLM *etcd_watch_multi(struct etcd_watch *w)
{
	return w->multi;
}

int etcd_watch_step(struct etcd_watch *w)
{
	int running = 0, left;
	long status = 0;
	CURLMsg *m;

	if (curl_multi_perform(w->multi, &running) != CURLM_OK) {
		seterr(w->e, "etcd %s watch: libcurl failed",
		       etcd_endpoint(w->e));
		return -EIO;
	}
	if (w->done)
		return w->done > 0 ? 1 : w->done;
	if (running)
		return 0;
	while ((m = curl_multi_info_read(w->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, &status);
		if (m->data.result != CURLE_OK) {
			seterr(w->e, "etcd %s watch: %s", etcd_endpoint(w->e),
			       curl_easy_strerror(m->data.result));
			w->e->cur = (w->e->cur + 1) % w->e->o.n_endpoints;
			return -EIO;
		}
		if (status != 200) {
			seterr(w->e, "etcd %s watch: HTTP %ld",
			       etcd_endpoint(w->e), status);
			return -EIO;
		}
	}
	seterr(w->e, "etcd %s watch: the stream ended", etcd_endpoint(w->e));
	return -EIO;
}

void etcd_watch_stop(struct etcd_watch *w)
{
	if (!w)
		return;
	if (w->multi && w->curl)
		curl_multi_remove_handle(w->multi, w->curl);
	if (w->curl)
		curl_easy_cleanup(w->curl);
	if (w->multi)
		curl_multi_cleanup(w->multi);
	curl_slist_free_all(w->hdrs);
	if (w->tok)
		json_tokener_free(w->tok);
	free(w->body);
	free(w);
}
