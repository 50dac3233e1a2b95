// SPDX-License-Identifier: GPL-2.0
/*
 * Customer routes of the routing domains: add-route, del-route and
 * show-route, their notifications, and the add-route kind of save and
 * restore.
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
#include "obj.h"
#include "parse.h"

struct route_list {
	struct nvgre_route_req *recs;
	size_t n;
	size_t cap;
};

static int put_route(struct nl_msg *msg, const void *data)
{
	const struct nvgre_route_req *r = data;

	if (nla_put_u32(msg, NVGRE_A_RDID, r->rdid) ||
	    nvgre_put_ip(msg, NVGRE_A_CA4, NVGRE_A_CA6, &r->prefix) ||
	    nla_put_u8(msg, NVGRE_A_PREFIX_LEN, r->plen) ||
	    (r->has_metric && nla_put_u32(msg, NVGRE_A_METRIC, r->metric)) ||
	    (r->has_vsid && nla_put_u32(msg, NVGRE_A_VSID, r->vsid)) ||
	    (r->has_nh &&
	     nvgre_put_ip(msg, NVGRE_A_NEXTHOP4, NVGRE_A_NEXTHOP6, &r->nh)))
		return -EMSGSIZE;
	return 0;
}

static int put_filter(struct nl_msg *msg, const void *data)
{
	const struct nvgre_route_filter *f = data;

	if (f->has_rdid && nla_put_u32(msg, NVGRE_A_RDID, f->rdid) < 0)
		return -EMSGSIZE;
	return 0;
}

/* A route of a reply or notification; -EPROTO (printed) if incomplete. */
static int route_from_attrs(struct nlattr **tb, struct nvgre_route_req *r)
{
	if (!tb[NVGRE_A_RDID] || !tb[NVGRE_A_PREFIX_LEN] ||
	    !tb[NVGRE_A_METRIC] || (!tb[NVGRE_A_CA4] && !tb[NVGRE_A_CA6])) {
		fprintf(stderr, "Error: incomplete route from the kernel.\n");
		return -EPROTO;
	}
	memset(r, 0, sizeof(*r));
	r->rdid = nla_get_u32(tb[NVGRE_A_RDID]);
	r->plen = nla_get_u8(tb[NVGRE_A_PREFIX_LEN]);
	nvgre_get_ip(tb[NVGRE_A_CA4], tb[NVGRE_A_CA6], &r->prefix);
	r->metric = nla_get_u32(tb[NVGRE_A_METRIC]);
	r->has_metric = true;
	if (tb[NVGRE_A_VSID]) {
		r->vsid = nla_get_u32(tb[NVGRE_A_VSID]);
		r->has_vsid = true;
	}
	if (tb[NVGRE_A_NEXTHOP4] || tb[NVGRE_A_NEXTHOP6]) {
		nvgre_get_ip(tb[NVGRE_A_NEXTHOP4], tb[NVGRE_A_NEXTHOP6],
			     &r->nh);
		r->has_nh = true;
	}
	return 0;
}

static int route_collect(struct nlattr **tb, void *arg)
{
	struct route_list *list = arg;
	void *p;

	p = array_grow(list->recs, &list->cap, list->n, sizeof(*list->recs),
		       8);
	if (!p) {
		fprintf(stderr, "Error: %s.\n", strerror(ENOMEM));
		return -ENOMEM;
	}
	list->recs = p;
	if (route_from_attrs(tb, &list->recs[list->n]))
		return -EPROTO;
	list->n++;
	return 0;
}

static void route_reset(void *arg)
{
	struct route_list *list = arg;

	list->n = 0;
}

/* By RDID, IPv4 before IPv6, prefix, longer first, then metric. */
static int route_cmp(const void *a, const void *b)
{
	const struct nvgre_route_req *x = a, *y = b;
	int d;

	if (x->rdid != y->rdid)
		return x->rdid < y->rdid ? -1 : 1;
	d = nvgre_ip_cmp(&x->prefix, &y->prefix);
	if (d)
		return d;
	if (x->plen != y->plen)
		return x->plen > y->plen ? -1 : 1;
	if (x->metric != y->metric)
		return x->metric < y->metric ? -1 : 1;
	return 0;
}

/* The add-route words of r; key_only: those del-route takes. */
static void route_print_fields(const struct nvgre_route_req *r, bool key_only)
{
	enum output_type type = key_only ? PRINT_JSON : PRINT_ANY;
	char addr[INET6_ADDRSTRLEN], pfx[INET6_ADDRSTRLEN + 4];

	inet_ntop(r->prefix.family, &r->prefix.v6, addr, sizeof(addr));
	snprintf(pfx, sizeof(pfx), "%s/%u", addr, r->plen);
	print_string(PRINT_ANY, "prefix", "%s", pfx);
	print_uint(PRINT_ANY, "rdid", " rdid %u", r->rdid);
	if (r->has_vsid)
		print_uint(type, "vsid", " vsid %u", r->vsid);
	if (r->has_nh) {
		inet_ntop(r->nh.family, &r->nh.v6, addr, sizeof(addr));
		print_string(type, "nexthop", " nexthop %s", addr);
	}
	print_uint(PRINT_ANY, "metric", " metric %u", r->metric);
}

int route_print_event(const char *event, struct nlattr **tb, bool key_only)
{
	struct nvgre_route_req r;

	if (route_from_attrs(tb, &r))
		return -EPROTO;
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s ", event);
	route_print_fields(&r, key_only);
	close_json_object();
	print_nl();
	return 0;
}

int route_create(const struct nvgre_route_req *req)
{
	return nvgre_genl_do(NVGRE_CMD_ROUTE_ADD, put_route, req, NULL, NULL);
}

int route_delete(const struct nvgre_route_req *req)
{
	struct nvgre_route_req key = *req;

	key.has_vsid = false;
	key.has_nh = false;
	return nvgre_genl_do(NVGRE_CMD_ROUTE_DEL, put_route, &key, NULL, NULL);
}

static int route_list_dump(struct route_list *list,
			   const struct nvgre_route_filter *f)
{
	int ret;

	ret = nvgre_genl_dump(NVGRE_CMD_ROUTE_GET, put_filter, f,
			      route_collect, route_reset, list);
	if (!ret && list->n)
		qsort(list->recs, list->n, sizeof(*list->recs), route_cmp);
	return ret;
}

int route_dump(int (*fn)(const struct nvgre_route_req *req, void *arg),
	       void *arg)
{
	struct route_list list = { NULL, 0, 0 };
	struct nvgre_route_filter f = { .has_rdid = false };
	size_t i;
	int ret;

	ret = route_list_dump(&list, &f);
	for (i = 0; !ret && i < list.n; i++)
		ret = fn(&list.recs[i], arg);
	free(list.recs);
	return ret;
}

int do_add_route(int argc, char **argv)
{
	char err[PARSE_ERR_LEN];
	struct nvgre_route_req req;

	if (parse_route_add(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (route_create(&req))
		return EXIT_KERNEL;
	return EXIT_OK;
}

int do_del_route(int argc, char **argv)
{
	char err[PARSE_ERR_LEN];
	struct nvgre_route_req req;

	if (parse_route_del(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (route_delete(&req))
		return EXIT_KERNEL;
	return EXIT_OK;
}

int do_show_route(int argc, char **argv)
{
	struct route_list list = { NULL, 0, 0 };
	struct nvgre_route_filter f;
	char err[PARSE_ERR_LEN];
	size_t i;

	if (parse_route_show(argc, argv, &f, err, sizeof(err)))
		return cmd_usage_error(err);
	if (route_list_dump(&list, &f)) {
		free(list.recs);
		return EXIT_KERNEL;
	}
	open_json_array(NULL);
	for (i = 0; i < list.n; i++) {
		open_json_object(NULL);
		route_print_fields(&list.recs[i], false);
		close_json_object();
		print_nl();
	}
	close_json_array();
	free(list.recs);
	return EXIT_OK;
}

/* ---- save and restore: add-route ------------------------------------- */

static int route_cfg_parse(int argc, char **argv, void *obj, char *err,
			   size_t len)
{
	struct nvgre_route_req *r = obj;

	if (parse_route_add(argc, argv, r, err, len))
		return -1;
	/* Without metric: 0, as the kernel reports it. */
	r->has_metric = true;
	return 0;
}

static bool route_cfg_same(const void *a, const void *b)
{
	const struct nvgre_route_req *x = a, *y = b;

	return x->has_vsid == y->has_vsid &&
	       (!x->has_vsid || x->vsid == y->vsid) &&
	       x->has_nh == y->has_nh &&
	       (!x->has_nh || !nvgre_ip_cmp(&x->nh, &y->nh));
}

static int route_cfg_format(const void *obj, char *buf, size_t len,
			    char *err, size_t errlen)
{
	const struct nvgre_route_req *r = obj;
	char pfx[INET6_ADDRSTRLEN], nh[INET6_ADDRSTRLEN + 16] = "";
	char vsid[24] = "";

	(void)err;
	(void)errlen;
	inet_ntop(r->prefix.family, &r->prefix.v6, pfx, sizeof(pfx));
	if (r->has_vsid)
		snprintf(vsid, sizeof(vsid), " vsid %u", r->vsid);
	if (r->has_nh) {
		char addr[INET6_ADDRSTRLEN];

		inet_ntop(r->nh.family, &r->nh.v6, addr, sizeof(addr));
		snprintf(nh, sizeof(nh), " nexthop %s", addr);
	}
	snprintf(buf, len, "add-route %s/%u rdid %u%s%s metric %u\n", pfx,
		 r->plen, r->rdid, vsid, nh, r->metric);
	return 0;
}

const struct cfg_kind cfg_route = {
	.cmd	= "add-route",
	.size	= sizeof(struct nvgre_route_req),
	.parse	= route_cfg_parse,
	.cmp	= route_cmp,
	.same	= route_cfg_same,
	.format	= route_cfg_format,
};
