// SPDX-License-Identifier: GPL-2.0
/*
 * nvgrectl --store URL[,URL...]: add-, replace-, del- and show-lookup
 * with the same words, against the fleet's desired state in etcd (key
 * schema: lib/store.h) instead of the kernel. nvgre-agent on each host
 * makes its kernel follow. TLS and auth come from the environment:
 * NVGRE_ETCD_CACERT, NVGRE_ETCD_CERT, NVGRE_ETCD_KEY, NVGRE_ETCD_USER,
 * NVGRE_ETCD_PASSWORD.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/nvgre.h>

#include "config.h"
#include "etcd.h"
#include "nvgrectl.h"
#include "obj.h"
#include "store.h"

static struct etcd *store;
static char *store_urls;

bool store_enabled(void)
{
	return store;
}

int store_init(const char *urls)
{
	struct etcd_opts o = {
		.cacert = getenv("NVGRE_ETCD_CACERT"),
		.cert = getenv("NVGRE_ETCD_CERT"),
		.key = getenv("NVGRE_ETCD_KEY"),
		.user = getenv("NVGRE_ETCD_USER"),
		.password = getenv("NVGRE_ETCD_PASSWORD"),
	};
	char err[256], *url, *save = NULL;

	store_urls = strdup(urls);
	if (!store_urls)
		return -ENOMEM;
	for (url = strtok_r(store_urls, ",", &save); url;
	     url = strtok_r(NULL, ",", &save)) {
		if (o.n_endpoints == ETCD_MAX_ENDPOINTS) {
			fprintf(stderr, "Error: --store takes at most %d URLs.\n",
				ETCD_MAX_ENDPOINTS);
			return -EINVAL;
		}
		o.endpoints[o.n_endpoints++] = url;
	}
	store = etcd_open(&o, err, sizeof(err));
	if (!store) {
		fprintf(stderr, "Error: %s.\n", err);
		return -EINVAL;
	}
	return 0;
}

void store_exit(void)
{
	etcd_close(store);
	store = NULL;
	free(store_urls);
	store_urls = NULL;
}

static int store_failed(void)
{
	fprintf(stderr, "Error: %s.\n", etcd_error(store));
	return EXIT_KERNEL;
}

/* The kernel's words for a record of this key that exists, or not. */
static const char *const exists_msg[] = {
	[NVGRE_LOOKUP_STATIC]	= "A record for this CA exists in this VSID",
	[NVGRE_LOOKUP_L2ONLY]	= "An l2only record for this MAC exists in this VSID",
	[NVGRE_LOOKUP_GATEWAY]	= "This VSID has a gateway record",
};

static const char *const missing_msg[] = {
	[NVGRE_LOOKUP_STATIC]	= "No record for this CA in this VSID",
	[NVGRE_LOOKUP_L2ONLY]	= "No l2only record for this MAC in this VSID",
	[NVGRE_LOOKUP_GATEWAY]	= "No gateway record in this VSID",
};

static int store_set(const struct nvgre_lookup_req *r, bool replace)
{
	char key[STORE_KEY_LEN], val[STORE_VALUE_LEN];
	size_t n = store_lookup_value(r, val, sizeof(val));
	bool ok = true;

	if (store_lookup_key(r, key, sizeof(key)))
		return EXIT_USAGE;
	if (replace ? etcd_put(store, key, val, n, 0, NULL) :
		      etcd_cas(store, key, 0, val, n, 0, &ok, NULL, NULL))
		return store_failed();
	if (!ok) {
		fprintf(stderr, "Error: %s.\n", exists_msg[r->type]);
		return EXIT_KERNEL;
	}
	return EXIT_OK;
}

static int store_del(const struct nvgre_lookup_req *r)
{
	char key[STORE_KEY_LEN];
	int64_t deleted = 0;

	if (store_lookup_key(r, key, sizeof(key)))
		return EXIT_USAGE;
	if (etcd_delete(store, key, NULL, &deleted, NULL))
		return store_failed();
	if (!deleted) {
		fprintf(stderr, "Error: %s.\n", missing_msg[r->type]);
		return EXIT_KERNEL;
	}
	return EXIT_OK;
}

static int cmp_lookup(const void *a, const void *b)
{
	return cfg_lookup.cmp(a, b);
}

/* Every record of the filter's VSID (or all), sorted; malformed: warned. */
static int store_show(const struct nvgre_filter_req *f)
{
	char prefix[STORE_KEY_LEN], end[STORE_KEY_LEN], err[512];
	struct nvgre_lookup_req *recs;
	struct obj_list list;
	struct etcd_kv *kvs;
	size_t n, i, good = 0;

	store_lookup_prefix(f->has_vsid ? f->vsid : 0, prefix, sizeof(prefix));
	etcd_prefix_end(prefix, end, sizeof(end));
	if (etcd_range(store, prefix, end, 0, &kvs, &n, NULL))
		return store_failed();
	recs = calloc(n ? n : 1, sizeof(*recs));
	if (!recs) {
		etcd_kvs_free(kvs, n);
		free(kvs);
		fprintf(stderr, "Error: out of memory.\n");
		return EXIT_KERNEL;
	}
	for (i = 0; i < n; i++) {
		if (store_lookup_parse(kvs[i].key, kvs[i].value, &recs[good],
				       err, sizeof(err)))
			fprintf(stderr, "Warning: skipped %s.\n", err);
		else
			good++;
	}
	etcd_kvs_free(kvs, n);
	free(kvs);
	qsort(recs, good, sizeof(*recs), cmp_lookup);
	obj_list_init(&list, &obj_lookup);
	list.recs = (char *)recs;
	list.n = good;
	obj_list_print(&list);
	obj_list_free(&list);
	return EXIT_OK;
}

int store_do(const struct nvgre_obj *obj, enum obj_op op, int argc,
	     char **argv)
{
	char err[PARSE_ERR_LEN];
	struct nvgre_lookup_req r;
	struct nvgre_filter_req f;

	if (obj != &obj_lookup) {
		fprintf(stderr, "Error: --store takes add-, replace-, del- and show-lookup only.\n");
		return EXIT_USAGE;
	}
	if (op == OBJ_SHOW) {
		if (parse_lookup_filter(argc, argv, &f, err, sizeof(err)))
			return cmd_usage_error(err);
		return store_show(&f);
	}
	if ((op == OBJ_DEL ? parse_lookup_del : parse_lookup_add)(argc, argv,
								 &r, err,
								 sizeof(err)))
		return cmd_usage_error(err);
	if (r.has_proto)
		return cmd_usage_error("Error: \"proto\" is of a host's records; the store's have none.");
	/* what the kernel refuses, the store refuses with its words */
	if (r.type == NVGRE_LOOKUP_L2ONLY && r.ca.family)
		return cmd_usage_error("Error: An l2only record has no CA.");
	if (r.type == NVGRE_LOOKUP_GATEWAY && r.ca.family)
		return cmd_usage_error("Error: A gateway record has no CA.");
	if (op == OBJ_DEL)
		return store_del(&r);
	return store_set(&r, op == OBJ_REPLACE);
}
