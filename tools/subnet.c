// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual subnets of a routing domain: add-subnet, del-subnet and
 * show-subnet, their notifications, and the add-subnet kind of save and
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

/* A subnet as the kernel reports it. */
struct subnet_rec {
	struct nvgre_subnet_req req;	/* has_rdid, has_gw: always */
	uint8_t gw_mac[6];
};

struct subnet_list {
	struct subnet_rec *recs;
	size_t n;
	size_t cap;
};

static int put_subnet(struct nl_msg *msg, const void *data)
{
	const struct nvgre_subnet_req *r = data;

	if (nla_put_u32(msg, NVGRE_A_VSID, r->vsid) ||
	    nvgre_put_ip(msg, NVGRE_A_CA4, NVGRE_A_CA6, &r->prefix) ||
	    nla_put_u8(msg, NVGRE_A_PREFIX_LEN, r->plen) ||
	    (r->has_rdid && nla_put_u32(msg, NVGRE_A_RDID, r->rdid)) ||
	    (r->has_gw &&
	     nvgre_put_ip(msg, NVGRE_A_GW4, NVGRE_A_GW6, &r->gw)))
		return -EMSGSIZE;
	return 0;
}

static int put_filter(struct nl_msg *msg, const void *data)
{
	const struct nvgre_filter_req *f = data;

	if (f->has_vsid && nla_put_u32(msg, NVGRE_A_VSID, f->vsid) < 0)
		return -EMSGSIZE;
	return 0;
}

/* A subnet of a reply or notification; -EPROTO (printed) if incomplete. */
static int subnet_from_attrs(struct nlattr **tb, struct subnet_rec *rec)
{
	if (!tb[NVGRE_A_VSID] || !tb[NVGRE_A_RDID] ||
	    !tb[NVGRE_A_PREFIX_LEN] || !tb[NVGRE_A_GW_MAC] ||
	    (!tb[NVGRE_A_CA4] && !tb[NVGRE_A_CA6]) ||
	    (!tb[NVGRE_A_GW4] && !tb[NVGRE_A_GW6])) {
		fprintf(stderr, "Error: incomplete subnet from the kernel.\n");
		return -EPROTO;
	}
	memset(rec, 0, sizeof(*rec));
	rec->req.vsid = nla_get_u32(tb[NVGRE_A_VSID]);
	rec->req.rdid = nla_get_u32(tb[NVGRE_A_RDID]);
	rec->req.has_rdid = true;
	rec->req.plen = nla_get_u8(tb[NVGRE_A_PREFIX_LEN]);
	nvgre_get_ip(tb[NVGRE_A_CA4], tb[NVGRE_A_CA6], &rec->req.prefix);
	nvgre_get_ip(tb[NVGRE_A_GW4], tb[NVGRE_A_GW6], &rec->req.gw);
	rec->req.has_gw = true;
	memcpy(rec->gw_mac, nla_data(tb[NVGRE_A_GW_MAC]), 6);
	return 0;
}

static int subnet_collect(struct nlattr **tb, void *arg)
{
	struct subnet_list *list = arg;
	void *p;

	p = array_grow(list->recs, &list->cap, list->n, sizeof(*list->recs),
		       8);
	if (!p) {
		fprintf(stderr, "Error: %s.\n", strerror(ENOMEM));
		return -ENOMEM;
	}
	list->recs = p;
	if (subnet_from_attrs(tb, &list->recs[list->n]))
		return -EPROTO;
	list->n++;
	return 0;
}

static void subnet_reset(void *arg)
{
	struct subnet_list *list = arg;

	list->n = 0;
}

/* By VSID, IPv4 before IPv6, then by prefix and length. */
static int subnet_req_cmp(const void *a, const void *b)
{
	const struct nvgre_subnet_req *x = a, *y = b;
	int d;

	if (x->vsid != y->vsid)
		return x->vsid < y->vsid ? -1 : 1;
	d = nvgre_ip_cmp(&x->prefix, &y->prefix);
	if (d)
		return d;
	return (int)x->plen - (int)y->plen;
}

static int subnet_rec_cmp(const void *a, const void *b)
{
	return subnet_req_cmp(&((const struct subnet_rec *)a)->req,
			      &((const struct subnet_rec *)b)->req);
}

/* The add-subnet words of rec, then (info) gateway-mac. */
static void subnet_print_fields(const struct subnet_rec *rec, bool info,
				enum output_type type)
{
	char addr[INET6_ADDRSTRLEN], pfx[INET6_ADDRSTRLEN + 4], mac[18];
	const uint8_t *m = rec->gw_mac;

	inet_ntop(rec->req.prefix.family, &rec->req.prefix.v6, addr,
		  sizeof(addr));
	snprintf(pfx, sizeof(pfx), "%s/%u", addr, rec->req.plen);
	print_string(PRINT_ANY, "prefix", "%s", pfx);
	print_uint(PRINT_ANY, "vsid", " vsid %u", rec->req.vsid);
	print_uint(type, "rdid", " rdid %u", rec->req.rdid);
	inet_ntop(rec->req.gw.family, &rec->req.gw.v6, addr, sizeof(addr));
	print_string(type, "gateway", " gateway %s", addr);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	print_string(info ? type : PRINT_JSON, "gateway_mac",
		     " gateway-mac %s", mac);
}

int subnet_print_event(const char *event, struct nlattr **tb, bool key_only)
{
	struct subnet_rec rec;

	if (subnet_from_attrs(tb, &rec))
		return -EPROTO;
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s ", event);
	subnet_print_fields(&rec, false, key_only ? PRINT_JSON : PRINT_ANY);
	close_json_object();
	print_nl();
	return 0;
}

int subnet_create(const struct nvgre_subnet_req *req)
{
	return nvgre_genl_do(NVGRE_CMD_SUBNET_ADD, put_subnet, req, NULL,
			     NULL);
}

int subnet_delete(const struct nvgre_subnet_req *req)
{
	struct nvgre_subnet_req key = *req;

	key.has_gw = false;
	key.has_rdid = false;
	return nvgre_genl_do(NVGRE_CMD_SUBNET_DEL, put_subnet, &key, NULL,
			     NULL);
}

static int subnet_list_dump(struct subnet_list *list,
			    const struct nvgre_filter_req *f)
{
	int ret;

	ret = nvgre_genl_dump(NVGRE_CMD_SUBNET_GET, put_filter, f,
			      subnet_collect, subnet_reset, list);
	if (!ret && list->n)
		qsort(list->recs, list->n, sizeof(*list->recs),
		      subnet_rec_cmp);
	return ret;
}

int subnet_dump(int (*fn)(const struct nvgre_subnet_req *req, void *arg),
		void *arg)
{
	struct subnet_list list = { NULL, 0, 0 };
	struct nvgre_filter_req f = { .has_vsid = false };
	size_t i;
	int ret;

	ret = subnet_list_dump(&list, &f);
	for (i = 0; !ret && i < list.n; i++)
		ret = fn(&list.recs[i].req, arg);
	free(list.recs);
	return ret;
}

int do_add_subnet(int argc, char **argv)
{
	char err[PARSE_ERR_LEN];
	struct nvgre_subnet_req req;

	if (parse_subnet_add(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (subnet_create(&req))
		return EXIT_KERNEL;
	return EXIT_OK;
}

int do_del_subnet(int argc, char **argv)
{
	char err[PARSE_ERR_LEN];
	struct nvgre_subnet_req req;

	if (parse_subnet_del(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (subnet_delete(&req))
		return EXIT_KERNEL;
	return EXIT_OK;
}

int do_show_subnet(int argc, char **argv)
{
	struct subnet_list list = { NULL, 0, 0 };
	char err[PARSE_ERR_LEN];
	struct nvgre_filter_req f;
	size_t i;

	if (parse_subnet_show(argc, argv, &f, err, sizeof(err)))
		return cmd_usage_error(err);
	if (subnet_list_dump(&list, &f)) {
		free(list.recs);
		return EXIT_KERNEL;
	}
	open_json_array(NULL);
	for (i = 0; i < list.n; i++) {
		open_json_object(NULL);
		subnet_print_fields(&list.recs[i], true, PRINT_ANY);
		close_json_object();
		print_nl();
	}
	close_json_array();
	free(list.recs);
	return EXIT_OK;
}

/* ---- save and restore: add-subnet ------------------------------------ */

static int subnet_cfg_parse(int argc, char **argv, void *obj, char *err,
			    size_t len)
{
	return parse_subnet_add(argc, argv, obj, err, len);
}

/*
 * The same gateway: a file's line without one means the default, the
 * first address of the prefix, which is what the kernel reports.
 */
static void subnet_gw(const struct nvgre_subnet_req *r, struct nvgre_ip *gw)
{
	uint8_t *last;

	if (r->has_gw) {
		*gw = r->gw;
		return;
	}
	*gw = r->prefix;
	last = gw->family == AF_INET ? (uint8_t *)&gw->v4 + 3 :
				       &gw->v6.s6_addr[15];
	*last |= 1;
}

/* Without rdid, a line means the device's: any RDID is the same. */
static bool subnet_cfg_same(const void *a, const void *b)
{
	const struct nvgre_subnet_req *p = a, *q = b;
	struct nvgre_ip x, y;

	if (p->has_rdid && q->has_rdid && p->rdid != q->rdid)
		return false;
	subnet_gw(p, &x);
	subnet_gw(q, &y);
	return !memcmp(&x.v6, &y.v6, sizeof(x.v6));
}

static int subnet_cfg_format(const void *obj, char *buf, size_t len,
			     char *err, size_t errlen)
{
	const struct nvgre_subnet_req *r = obj;
	char pfx[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];
	struct nvgre_ip g;

	(void)err;
	(void)errlen;
	subnet_gw(r, &g);
	inet_ntop(r->prefix.family, &r->prefix.v6, pfx, sizeof(pfx));
	inet_ntop(g.family, &g.v6, gw, sizeof(gw));
	if (r->has_rdid)
		snprintf(buf, len, "add-subnet %s/%u vsid %u rdid %u gateway %s\n",
			 pfx, r->plen, r->vsid, r->rdid, gw);
	else
		snprintf(buf, len, "add-subnet %s/%u vsid %u gateway %s\n",
			 pfx, r->plen, r->vsid, gw);
	return 0;
}

const struct cfg_kind cfg_subnet = {
	.cmd	= "add-subnet",
	.size	= sizeof(struct nvgre_subnet_req),
	.parse	= subnet_cfg_parse,
	.cmp	= subnet_req_cmp,
	.same	= subnet_cfg_same,
	.format	= subnet_cfg_format,
};
