// SPDX-License-Identifier: GPL-2.0
/*
 * Lookup records: add-lookup, replace-lookup, del-lookup, show-lookup and
 * flush-lookup.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/nvgre.h>

#include "array.h"
#include "config.h"
#include "json_print.h"
#include "netlink.h"
#include "nvgrectl.h"
#include "parse.h"

struct lookup_list {
	struct nvgre_lookup_req *recs;
	size_t n;
	size_t cap;
};

/* VSID, the type unless static, the CA if any. */
static int put_key(struct nvgre_attrs *a, const struct nvgre_lookup_req *req)
{
	int ret = nvgre_attr_put(a, NVGRE_A_VSID, &req->vsid,
				 sizeof(req->vsid));

	if (!ret && req->type != NVGRE_LOOKUP_STATIC)
		ret = nvgre_attr_put(a, NVGRE_A_TYPE, &req->type,
				     sizeof(req->type));
	if (!ret && req->ca.family == AF_INET)
		ret = nvgre_attr_put(a, NVGRE_A_CA4, &req->ca.v4,
				     sizeof(req->ca.v4));
	else if (!ret && req->ca.family == AF_INET6)
		ret = nvgre_attr_put(a, NVGRE_A_CA6, &req->ca.v6,
				     sizeof(req->ca.v6));
	return ret;
}

/* The key; an l2only record's is its MAC. */
static int attrs_lookup_key(struct nvgre_attrs *a, const void *data)
{
	const struct nvgre_lookup_req *req = data;
	int ret = put_key(a, req);

	if (!ret && req->type == NVGRE_LOOKUP_L2ONLY)
		ret = nvgre_attr_put(a, NVGRE_A_MAC, req->mac,
				     sizeof(req->mac));
	return ret;
}

static int attrs_lookup_full(struct nvgre_attrs *a, const void *data)
{
	const struct nvgre_lookup_req *req = data;
	int ret = put_key(a, req);

	if (!ret && req->pa.family == AF_INET)
		ret = nvgre_attr_put(a, NVGRE_A_PA4, &req->pa.v4,
				     sizeof(req->pa.v4));
	else if (!ret)
		ret = nvgre_attr_put(a, NVGRE_A_PA6, &req->pa.v6,
				     sizeof(req->pa.v6));
	if (!ret)
		ret = nvgre_attr_put(a, NVGRE_A_MAC, req->mac,
				     sizeof(req->mac));
	return ret;
}

static int put_lookup_key(struct nl_msg *msg, const void *req)
{
	return nvgre_put_attrs(msg, attrs_lookup_key, req);
}

static int put_lookup_full(struct nl_msg *msg, const void *req)
{
	return nvgre_put_attrs(msg, attrs_lookup_full, req);
}

static int put_filter(struct nl_msg *msg, const void *data)
{
	const struct nvgre_filter_req *req = data;

	if (req->has_vsid && nla_put_u32(msg, NVGRE_A_VSID, req->vsid) < 0)
		return -EMSGSIZE;
	return 0;
}

/* A record of a reply or notification; -EPROTO (printed) if incomplete. */
static int lookup_from_attrs(struct nlattr **tb, struct nvgre_lookup_req *rec)
{
	uint8_t type = tb[NVGRE_A_TYPE] ? nla_get_u8(tb[NVGRE_A_TYPE]) :
					  NVGRE_LOOKUP_STATIC;
	bool has_ca = tb[NVGRE_A_CA4] || tb[NVGRE_A_CA6];

	if (!tb[NVGRE_A_VSID] || !lookup_type_name(type) ||
	    has_ca != (type == NVGRE_LOOKUP_STATIC) ||
	    (!tb[NVGRE_A_PA4] && !tb[NVGRE_A_PA6]) || !tb[NVGRE_A_MAC]) {
		fprintf(stderr, "Error: incomplete lookup record from the kernel.\n");
		return -EPROTO;
	}
	memset(rec, 0, sizeof(*rec));
	rec->vsid = nla_get_u32(tb[NVGRE_A_VSID]);
	rec->type = type;
	if (!has_ca) {
		/* l2only or gateway: no CA */
	} else if (tb[NVGRE_A_CA4]) {
		rec->ca.family = AF_INET;
		memcpy(&rec->ca.v4, nla_data(tb[NVGRE_A_CA4]), sizeof(rec->ca.v4));
	} else {
		rec->ca.family = AF_INET6;
		memcpy(&rec->ca.v6, nla_data(tb[NVGRE_A_CA6]), sizeof(rec->ca.v6));
	}
	if (tb[NVGRE_A_PA4]) {
		rec->pa.family = AF_INET;
		memcpy(&rec->pa.v4, nla_data(tb[NVGRE_A_PA4]), sizeof(rec->pa.v4));
	} else {
		rec->pa.family = AF_INET6;
		memcpy(&rec->pa.v6, nla_data(tb[NVGRE_A_PA6]), sizeof(rec->pa.v6));
	}
	memcpy(rec->mac, nla_data(tb[NVGRE_A_MAC]), sizeof(rec->mac));
	return 0;
}

static int lookup_collect(struct nlattr **tb, void *arg)
{
	struct lookup_list *list = arg;
	struct nvgre_lookup_req rec;
	void *p;

	if (lookup_from_attrs(tb, &rec))
		return -EPROTO;
	p = array_grow(list->recs, &list->cap, list->n, sizeof(*list->recs),
		       64);
	if (!p) {
		fprintf(stderr, "Error: %s.\n", strerror(ENOMEM));
		return -ENOMEM;
	}
	list->recs = p;
	list->recs[list->n++] = rec;
	return 0;
}

static void lookup_reset(void *arg)
{
	struct lookup_list *list = arg;

	list->n = 0;
}

/*
 * The add-lookup words of rec; pa and mac (unless it is the key of an
 * l2only record) as type says. A static record is printed as before
 * record types existed: CA first, no type.
 */
static void lookup_print_fields(const struct nvgre_lookup_req *rec,
				enum output_type type)
{
	char pa[INET6_ADDRSTRLEN], mac[18];
	const uint8_t *m = rec->mac;
	bool is_static = rec->type == NVGRE_LOOKUP_STATIC;

	inet_ntop(rec->pa.family, &rec->pa.v6, pa, sizeof(pa));
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);

	if (is_static) {
		char ca[INET6_ADDRSTRLEN];

		inet_ntop(rec->ca.family, &rec->ca.v6, ca, sizeof(ca));
		print_string(PRINT_ANY, "ca", "%s", ca);
		print_uint(PRINT_ANY, "vsid", " vsid %u", rec->vsid);
	} else {
		print_uint(PRINT_ANY, "vsid", "vsid %u", rec->vsid);
	}
	print_string(type, "pa", " pa %s", pa);
	print_string(rec->type == NVGRE_LOOKUP_L2ONLY ? PRINT_ANY : type,
		     "mac", " mac %s", mac);
	if (!is_static)
		print_string(PRINT_ANY, "type", " type %s",
			     lookup_type_name(rec->type));
}

static void lookup_print(const struct nvgre_lookup_req *rec)
{
	open_json_object(NULL);
	lookup_print_fields(rec, PRINT_ANY);
	close_json_object();
	print_nl();
}

int lookup_print_event(const char *event, struct nlattr **tb, bool key_only)
{
	struct nvgre_lookup_req rec;

	if (lookup_from_attrs(tb, &rec))
		return -EPROTO;
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s ", event);
	lookup_print_fields(&rec, key_only ? PRINT_JSON : PRINT_ANY);
	close_json_object();
	print_nl();
	return 0;
}

static int lookup_set(int argc, char **argv, uint8_t cmd)
{
	struct nvgre_lookup_req req;
	char err[PARSE_ERR_LEN];

	if (parse_lookup_add(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (nvgre_genl_do(cmd, put_lookup_full, &req, NULL, NULL))
		return EXIT_KERNEL;
	return EXIT_OK;
}

int do_add_lookup(int argc, char **argv)
{
	return lookup_set(argc, argv, NVGRE_CMD_LOOKUP_ADD);
}

int do_replace_lookup(int argc, char **argv)
{
	return lookup_set(argc, argv, NVGRE_CMD_LOOKUP_REPLACE);
}

int do_del_lookup(int argc, char **argv)
{
	struct nvgre_lookup_req req;
	char err[PARSE_ERR_LEN];

	if (parse_lookup_del(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (nvgre_genl_do(NVGRE_CMD_LOOKUP_DEL, put_lookup_key, &req,
			  NULL, NULL))
		return EXIT_KERNEL;
	return EXIT_OK;
}

typedef int (*lookup_parse_fn)(int argc, char **argv,
			       struct nvgre_lookup_req *req, char *err,
			       size_t len);

/*
 * Batch mode: parse the line, then queue its request. A line that does
 * not parse is reported after the lines queued before it were checked.
 */
static int lookup_queue(int argc, char **argv, lookup_parse_fn parse,
			uint8_t cmd, nvgre_attrs_fn put, unsigned long line,
			unsigned long *failed)
{
	struct nvgre_lookup_req req;
	char err[PARSE_ERR_LEN];

	*failed = line;
	if (parse(argc, argv, &req, err, sizeof(err))) {
		if (nvgre_genl_flush(failed))
			return EXIT_KERNEL;
		return cmd_usage_error(err);
	}
	if (nvgre_genl_queue_bulk(cmd, NVGRE_A_LOOKUP, put, &req, line,
				  failed))
		return EXIT_KERNEL;
	return EXIT_OK;
}

int queue_add_lookup(int argc, char **argv, unsigned long line,
		     unsigned long *failed)
{
	return lookup_queue(argc, argv, parse_lookup_add, NVGRE_CMD_LOOKUP_ADD,
			    attrs_lookup_full, line, failed);
}

int queue_replace_lookup(int argc, char **argv, unsigned long line,
			 unsigned long *failed)
{
	return lookup_queue(argc, argv, parse_lookup_add,
			    NVGRE_CMD_LOOKUP_REPLACE, attrs_lookup_full, line,
			    failed);
}

int queue_del_lookup(int argc, char **argv, unsigned long line,
		     unsigned long *failed)
{
	return lookup_queue(argc, argv, parse_lookup_del, NVGRE_CMD_LOOKUP_DEL,
			    attrs_lookup_key, line, failed);
}

int lookup_queue_req(uint8_t cmd, const struct nvgre_lookup_req *req,
		     unsigned long line, unsigned long *failed)
{
	nvgre_attrs_fn put = cmd == NVGRE_CMD_LOOKUP_DEL ? attrs_lookup_key :
							    attrs_lookup_full;

	return nvgre_genl_queue_bulk(cmd, NVGRE_A_LOOKUP, put, req, line,
				     failed);
}

int lookup_dump(int (*fn)(const struct nvgre_lookup_req *req, void *arg),
		void *arg)
{
	struct lookup_list list = { NULL, 0, 0 };
	int ret;
	size_t i;

	ret = nvgre_genl_dump(NVGRE_CMD_LOOKUP_GET, NULL, NULL,
			      lookup_collect, lookup_reset, &list);
	for (i = 0; !ret && i < list.n; i++)
		ret = fn(&list.recs[i], arg);
	free(list.recs);
	return ret;
}

int do_show_lookup(int argc, char **argv)
{
	struct lookup_list list = { NULL, 0, 0 };
	struct nvgre_filter_req req;
	char err[PARSE_ERR_LEN];
	size_t i;

	if (parse_lookup_filter(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (nvgre_genl_dump(NVGRE_CMD_LOOKUP_GET, put_filter, &req,
			    lookup_collect, lookup_reset, &list)) {
		free(list.recs);
		return EXIT_KERNEL;
	}
	if (list.n)
		qsort(list.recs, list.n, sizeof(*list.recs), cfg_lookup_cmp);
	open_json_array(NULL);
	for (i = 0; i < list.n; i++)
		lookup_print(&list.recs[i]);
	close_json_array();
	free(list.recs);
	return EXIT_OK;
}

int do_flush_lookup(int argc, char **argv)
{
	struct nvgre_filter_req req;
	char err[PARSE_ERR_LEN];

	if (parse_lookup_filter(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (nvgre_genl_do(NVGRE_CMD_LOOKUP_FLUSH, put_filter, &req,
			  NULL, NULL))
		return EXIT_KERNEL;
	return EXIT_OK;
}
