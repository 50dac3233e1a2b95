// SPDX-License-Identifier: GPL-2.0
/*
 * Customer routes of the routing domains: the entry of the object table
 * (obj.h) behind add-route, del-route, show-route and their
 * notifications, save and restore (its file line: config.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/nvgre.h>

#include "config.h"
#include "json_print.h"
#include "netlink.h"
#include "obj.h"
#include "parse.h"

static int route_parse_add(int argc, char **argv, void *req, char *err,
			   size_t len)
{
	return parse_route_add(argc, argv, req, err, len);
}

static int route_parse_del(int argc, char **argv, void *req, char *err,
			   size_t len)
{
	return parse_route_del(argc, argv, req, err, len);
}

static int route_parse_show(int argc, char **argv, union obj_filter *f,
			    char *err, size_t len)
{
	return parse_route_show(argc, argv, &f->rdid, err, len);
}

/* key_only: the key del-route sends, else what add-route sends. */
static int route_put_req(struct nl_msg *msg, const struct nvgre_route_req *r,
			 bool key_only)
{
	if (nla_put_u32(msg, NVGRE_A_RDID, r->rdid) ||
	    nvgre_put_ip(msg, NVGRE_A_CA4, NVGRE_A_CA6, &r->prefix) ||
	    nla_put_u8(msg, NVGRE_A_PREFIX_LEN, r->plen) ||
	    (r->has_metric && nla_put_u32(msg, NVGRE_A_METRIC, r->metric)))
		return -EMSGSIZE;
	if (key_only)
		return 0;
	if ((r->has_vsid && nla_put_u32(msg, NVGRE_A_VSID, r->vsid)) ||
	    (r->has_nh &&
	     nvgre_put_ip(msg, NVGRE_A_NEXTHOP4, NVGRE_A_NEXTHOP6, &r->nh)))
		return -EMSGSIZE;
	return 0;
}

static int route_put(struct nl_msg *msg, const void *req)
{
	return route_put_req(msg, req, false);
}

static int route_put_key(struct nl_msg *msg, const void *req)
{
	return route_put_req(msg, req, true);
}

static int route_put_filter(struct nl_msg *msg, const void *data)
{
	const struct nvgre_route_filter *f = data;

	if (f->has_rdid && nla_put_u32(msg, NVGRE_A_RDID, f->rdid) < 0)
		return -EMSGSIZE;
	return 0;
}

static int route_from_attrs(struct nlattr **tb, void *data)
{
	struct nvgre_route_req *r = data;

	if (!tb[NVGRE_A_RDID] || !tb[NVGRE_A_PREFIX_LEN] ||
	    !tb[NVGRE_A_METRIC] || (!tb[NVGRE_A_CA4] && !tb[NVGRE_A_CA6])) {
		fprintf(stderr, "Error: incomplete route from the kernel.\n");
		return -EPROTO;
	}
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

/* The add-route words; del-route has the key only. */
static void route_print(const void *data, enum obj_view view)
{
	enum output_type type = view == OBJ_VIEW_KEY ? PRINT_JSON : PRINT_ANY;
	char addr[INET6_ADDRSTRLEN], pfx[INET6_ADDRSTRLEN + 4];
	const struct nvgre_route_req *r = data;

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

_Static_assert(sizeof(struct nvgre_route_req) <= OBJ_REC_MAX,
	       "a record fits a union obj_rec");

const struct nvgre_obj obj_route = {
	.name		= "route",
	.cmd = {
		[OBJ_ADD]	= NVGRE_CMD_ROUTE_ADD,
		[OBJ_DEL]	= NVGRE_CMD_ROUTE_DEL,
		[OBJ_SHOW]	= NVGRE_CMD_ROUTE_GET,
	},
	.args = {
		[OBJ_ADD]	= "PREFIX rdid RDID [ vsid VSID ] [ nexthop CA ] [ metric METRIC ]",
		[OBJ_DEL]	= "PREFIX rdid RDID [ metric METRIC ]",
		[OBJ_SHOW]	= "[ rdid RDID ]",
	},
	.cfg		= &cfg_route,
	.size		= sizeof(struct nvgre_route_req),
	.recreate_why	= "a route's next hop cannot change in place",
	.parse_add	= route_parse_add,
	.parse_del	= route_parse_del,
	.parse_show	= route_parse_show,
	.put		= route_put,
	.put_key	= route_put_key,
	.put_filter	= route_put_filter,
	.from_attrs	= route_from_attrs,
	.print		= route_print,
};
