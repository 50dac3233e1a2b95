// SPDX-License-Identifier: GPL-2.0
/*
 * nvgrectl get: what the datapath would do with a frame (NVGRE_CMD_GET),
 * as "ip route get" says it for the kernel's routes. The kernel answers
 * with the decision functions of its own datapath.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/nvgre.h>
#include <netlink/attr.h>

#include "array.h"
#include "json_print.h"
#include "netlink.h"
#include "nvgrectl.h"
#include "parse.h"

static const char *const outcome_names[NVGRE_GET_MAX + 1] = {
	[NVGRE_GET_DROP]	 = "drop",
	[NVGRE_GET_SEND]	 = "send",
	[NVGRE_GET_ROUTED]	 = "routed",
	[NVGRE_GET_ROUTED_LOCAL] = "routed-local",
	[NVGRE_GET_GATEWAY]	 = "gateway",
	[NVGRE_GET_FLOOD]	 = "flood",
	[NVGRE_GET_GROUP]	 = "group",
	[NVGRE_GET_LOCAL]	 = "local",
	[NVGRE_GET_ACCEPT]	 = "accept",
};

static struct nla_policy get_policy[NVGRE_GET_A_MAX + 1] = {
	[NVGRE_GET_A_DIR]	= { .type = NLA_U8 },
	[NVGRE_GET_A_SRC_MAC]	= { .minlen = 6 },
	[NVGRE_GET_A_OUTCOME]	= { .type = NLA_U8 },
	[NVGRE_GET_A_COUNTER]	= { .type = NLA_U16 },
	[NVGRE_GET_A_DST_MAC]	= { .minlen = 6 },
	[NVGRE_GET_A_VSID]	= { .type = NLA_U32 },
	[NVGRE_GET_A_PA4]	= { .type = NLA_U32 },
	[NVGRE_GET_A_PA6]	= { .minlen = 16 },
	[NVGRE_GET_A_LOCAL4]	= { .type = NLA_U32 },
	[NVGRE_GET_A_LOCAL6]	= { .minlen = 16 },
	[NVGRE_GET_A_NEXTHOP4]	= { .type = NLA_U32 },
	[NVGRE_GET_A_NEXTHOP6]	= { .minlen = 16 },
	[NVGRE_GET_A_RECORD]	= { .type = NLA_NESTED },
	[NVGRE_GET_A_ROUTE]	= { .type = NLA_NESTED },
	[NVGRE_GET_A_RDID]	= { .type = NLA_U32 },
	[NVGRE_GET_A_FLOOD]	= { .type = NLA_NESTED },
	[NVGRE_GET_A_GROUP4]	= { .type = NLA_U32 },
	[NVGRE_GET_A_UNDERLAY]	= { .type = NLA_U32 },
	[NVGRE_GET_A_DST_IFINDEX] = { .type = NLA_U32 },
};

static int put_ip(struct nl_msg *msg, int t4, int t6,
		  const struct nvgre_ip *ip)
{
	if (ip->family == AF_INET)
		return nla_put(msg, t4, sizeof(ip->v4), &ip->v4);
	return nla_put(msg, t6, sizeof(ip->v6), &ip->v6);
}

struct get_ctx {
	const struct nvgre_get_req *req;
	int ifindex;		/* of req->dev, 0: none */
};

static int get_put(struct nl_msg *msg, const void *arg)
{
	const struct get_ctx *ctx = arg;
	const struct nvgre_get_req *req = ctx->req;
	struct nlattr *nest;

	if (nla_put_u32(msg, NVGRE_A_VSID, req->vsid) ||
	    (ctx->ifindex && nla_put_u32(msg, NVGRE_A_IFINDEX, ctx->ifindex)))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, NVGRE_A_GET);
	if (!nest || nla_put_u8(msg, NVGRE_GET_A_DIR, req->dir) ||
	    put_ip(msg, NVGRE_GET_A_DST4, NVGRE_GET_A_DST6, &req->dst) ||
	    (req->has_src &&
	     put_ip(msg, NVGRE_GET_A_SRC4, NVGRE_GET_A_SRC6, &req->src)) ||
	    (req->has_mac &&
	     nla_put(msg, NVGRE_GET_A_SRC_MAC, MAC_LEN, req->mac)) ||
	    (req->has_lladdr &&
	     nla_put(msg, NVGRE_GET_A_DST_MAC, MAC_LEN, req->lladdr)) ||
	    (req->has_pa &&
	     put_ip(msg, NVGRE_GET_A_OUTER4, NVGRE_GET_A_OUTER6, &req->pa)) ||
	    (req->has_to &&
	     put_ip(msg, NVGRE_GET_A_OUTER_DST4, NVGRE_GET_A_OUTER_DST6,
		    &req->to)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Prints the address of t4 or t6 in tb, if either is there. */
static void print_addr_t(enum output_type t, struct nlattr **tb, int t4,
			 int t6, const char *key, const char *fmt)
{
	char buf[INET6_ADDRSTRLEN];

	if (tb[t4])
		inet_ntop(AF_INET, nla_data(tb[t4]), buf, sizeof(buf));
	else if (tb[t6])
		inet_ntop(AF_INET6, nla_data(tb[t6]), buf, sizeof(buf));
	else
		return;
	print_string(t, key, fmt, buf);
}

static void print_addr(struct nlattr **tb, int t4, int t6, const char *key,
		       const char *fmt)
{
	print_addr_t(PRINT_ANY, tb, t4, t6, key, fmt);
}

static void print_mac_t(enum output_type t, const char *key, const char *fmt,
			struct nlattr *a)
{
	const uint8_t *m = nla_data(a);
	char mac[18];

	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	print_string(t, key, fmt, mac);
}

static void print_mac(const char *key, const char *fmt, struct nlattr *a)
{
	print_mac_t(PRINT_ANY, key, fmt, a);
}

static void print_ifname(const char *key, const char *fmt, uint32_t ifindex)
{
	char name[IF_NAMESIZE];

	if (!if_indextoname(ifindex, name))
		snprintf(name, sizeof(name), "if%u", ifindex);
	print_string(PRINT_ANY, key, fmt, name);
}

/* The record the datapath used, as show-lookup names it. */
static void print_record(struct nlattr *nest)
{
	struct nlattr *tb[NVGRE_A_MAX + 1];
	const char *type = "static";

	if (nla_parse_nested(tb, NVGRE_A_MAX, nest, NULL) < 0)
		return;
	if (tb[NVGRE_A_TYPE])
		type = lookup_type_name(nla_get_u8(tb[NVGRE_A_TYPE])) ?: "?";
	open_json_object("record");
	print_string(PRINT_ANY, "type", " record %s", type);
	print_addr(tb, NVGRE_A_CA4, NVGRE_A_CA6, "ca", " %s");
	if (tb[NVGRE_A_VSID])
		print_uint(PRINT_JSON, "vsid", NULL,
			   nla_get_u32(tb[NVGRE_A_VSID]));
	print_addr_t(PRINT_JSON, tb, NVGRE_A_PA4, NVGRE_A_PA6, "pa", NULL);
	if (tb[NVGRE_A_MAC] && nla_len(tb[NVGRE_A_MAC]) >= MAC_LEN)
		print_mac_t(PRINT_JSON, "mac", NULL, tb[NVGRE_A_MAC]);
	close_json_object();
}

static void print_route(struct nlattr *nest)
{
	struct nlattr *tb[NVGRE_A_MAX + 1];
	char prefix[INET6_ADDRSTRLEN + 4];
	char buf[INET6_ADDRSTRLEN];

	if (nla_parse_nested(tb, NVGRE_A_MAX, nest, NULL) < 0 ||
	    !tb[NVGRE_A_PREFIX_LEN])
		return;
	if (tb[NVGRE_A_CA4])
		inet_ntop(AF_INET, nla_data(tb[NVGRE_A_CA4]), buf, sizeof(buf));
	else if (tb[NVGRE_A_CA6])
		inet_ntop(AF_INET6, nla_data(tb[NVGRE_A_CA6]), buf,
			  sizeof(buf));
	else
		return;
	snprintf(prefix, sizeof(prefix), "%s/%u", buf,
		 nla_get_u8(tb[NVGRE_A_PREFIX_LEN]));
	open_json_object("route");
	print_string(PRINT_ANY, "prefix", " route %s", prefix);
	if (tb[NVGRE_A_METRIC])
		print_uint(PRINT_ANY, "metric", " metric %u",
			   nla_get_u32(tb[NVGRE_A_METRIC]));
	close_json_object();
}

static void print_flood(struct nlattr *nest)
{
	char buf[INET6_ADDRSTRLEN];
	struct nlattr *a;
	int rem;

	print_string(PRINT_FP, NULL, "%s", " to");
	open_json_array("flood");
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == NVGRE_A_PA4 && nla_len(a) >= 4)
			inet_ntop(AF_INET, nla_data(a), buf, sizeof(buf));
		else if (nla_type(a) == NVGRE_A_PA6 && nla_len(a) >= 16)
			inet_ntop(AF_INET6, nla_data(a), buf, sizeof(buf));
		else
			continue;
		print_string(PRINT_ANY, NULL, " %s", buf);
	}
	close_json_array();
}

/* The verdict, in the order a reader follows the frame. */
static void print_verdict(struct nlattr **g)
{
	uint8_t outcome = nla_get_u8(g[NVGRE_GET_A_OUTCOME]);
	const char *name = outcome <= NVGRE_GET_MAX ? outcome_names[outcome] :
			   NULL;

	print_string(PRINT_ANY, "outcome", ": %s", name ?: "unknown");
	if (g[NVGRE_GET_A_COUNTER]) {
		uint16_t c = nla_get_u16(g[NVGRE_GET_A_COUNTER]);

		print_string(PRINT_ANY, "counter", " %s",
			     stats_name(c) ?: "unknown");
	}
	if (g[NVGRE_GET_A_RDID])
		print_uint(PRINT_ANY, "rdid", " rdid %u",
			   nla_get_u32(g[NVGRE_GET_A_RDID]));
	if (g[NVGRE_GET_A_ROUTE])
		print_route(g[NVGRE_GET_A_ROUTE]);
	print_addr(g, NVGRE_GET_A_NEXTHOP4, NVGRE_GET_A_NEXTHOP6, "nexthop",
		   " nexthop %s");
	if (g[NVGRE_GET_A_VSID])
		print_uint(PRINT_ANY, "dst_vsid", " vsid %u",
			   nla_get_u32(g[NVGRE_GET_A_VSID]));
	if (g[NVGRE_GET_A_DST_MAC])
		print_mac("mac", " mac %s", g[NVGRE_GET_A_DST_MAC]);
	if (g[NVGRE_GET_A_DST_IFINDEX])
		print_ifname("dst_dev", " dev %s",
			     nla_get_u32(g[NVGRE_GET_A_DST_IFINDEX]));
	print_addr(g, NVGRE_GET_A_PA4, NVGRE_GET_A_PA6, "pa", " pa %s");
	if (g[NVGRE_GET_A_GROUP4])
		print_addr(g, NVGRE_GET_A_GROUP4, NVGRE_GET_A_GROUP4, "group",
			   " group %s");
	if (g[NVGRE_GET_A_FLOOD])
		print_flood(g[NVGRE_GET_A_FLOOD]);
	print_addr(g, NVGRE_GET_A_LOCAL4, NVGRE_GET_A_LOCAL6, "local",
		   " from %s");
	/* A flood has a source of each family. */
	if (g[NVGRE_GET_A_LOCAL4] && g[NVGRE_GET_A_LOCAL6]) {
		char buf[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, nla_data(g[NVGRE_GET_A_LOCAL6]), buf,
			  sizeof(buf));
		print_string(PRINT_ANY, "local6", " %s", buf);
	}
	if (g[NVGRE_GET_A_UNDERLAY])
		print_ifname("underlay", " via %s",
			     nla_get_u32(g[NVGRE_GET_A_UNDERLAY]));
	if (g[NVGRE_GET_A_RECORD])
		print_record(g[NVGRE_GET_A_RECORD]);
}

static int get_print(struct nlattr **tb, void *arg)
{
	const struct nvgre_get_req *req = arg;
	struct nlattr *g[NVGRE_GET_A_MAX + 1];
	char dst[INET6_ADDRSTRLEN];

	if (!tb[NVGRE_A_GET] ||
	    nla_parse_nested(g, NVGRE_GET_A_MAX, tb[NVGRE_A_GET],
			     get_policy) < 0 ||
	    !g[NVGRE_GET_A_OUTCOME] || !g[NVGRE_GET_A_SRC_MAC]) {
		fprintf(stderr, "Error: malformed reply from the kernel.\n");
		return -EINVAL;
	}
	inet_ntop(req->dst.family, &req->dst.v6, dst, sizeof(dst));
	open_json_object(NULL);
	print_string(PRINT_ANY, "dst", "%s", dst);
	print_uint(PRINT_ANY, "vsid", " vsid %u", req->vsid);
	if (tb[NVGRE_A_IFNAME])
		print_string(PRINT_ANY, "dev", " dev %s",
			     nla_get_string(tb[NVGRE_A_IFNAME]));
	print_string(PRINT_ANY, "dir", " dir %s",
		     req->dir == NVGRE_GET_DIR_IN ? "in" : "out");
	if (req->has_src) {
		char src[INET6_ADDRSTRLEN];

		inet_ntop(req->src.family, &req->src.v6, src, sizeof(src));
		print_string(PRINT_ANY, "src", " from %s", src);
	}
	print_mac("src_mac", " mac %s", g[NVGRE_GET_A_SRC_MAC]);
	if (req->has_pa) {
		char pa[INET6_ADDRSTRLEN];

		inet_ntop(req->pa.family, &req->pa.v6, pa, sizeof(pa));
		print_string(PRINT_ANY, "outer_src", " pa %s", pa);
	}
	if (req->has_to) {
		char to[INET6_ADDRSTRLEN];

		inet_ntop(req->to.family, &req->to.v6, to, sizeof(to));
		print_string(PRINT_ANY, "outer_dst", " to %s", to);
	}
	print_verdict(g);
	close_json_object();
	print_nl();
	return 0;
}

int do_get(int argc, char **argv)
{
	struct nvgre_get_req req;
	struct get_ctx ctx = { &req, 0 };
	char err[PARSE_ERR_LEN];

	if (parse_get(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (req.has_dev) {
		char kind[32];
		int ret = rtnl_link_get(req.dev, &ctx.ifindex, kind,
					sizeof(kind));

		if (ret == -ENODEV)
			fprintf(stderr, "Error: cannot find device \"%s\".\n",
				req.dev);
		if (ret)
			return EXIT_KERNEL;
	}
	if (nvgre_genl_do(NVGRE_CMD_GET, get_put, &ctx, get_print, &req))
		return EXIT_KERNEL;
	return EXIT_OK;
}
