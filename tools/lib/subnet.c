// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual subnets of a routing domain: the entry of the object table
 * (obj.h) behind add-subnet, del-subnet, show-subnet and their
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

/* A subnet as the kernel reports it: as add-subnet takes it, and more. */
struct subnet_rec {
	struct nvgre_subnet_req req;	/* has_rdid, has_gw: always */
	uint8_t gw_mac[6];
};

static int subnet_parse_del(int argc, char **argv, void *rec, char *err,
			    size_t len)
{
	return parse_subnet_del(argc, argv, rec, err, len);
}

static int subnet_parse_show(int argc, char **argv, union obj_filter *f,
			     char *err, size_t len)
{
	return parse_subnet_show(argc, argv, &f->vsid, err, len);
}

/* key_only: the key del-subnet sends, else what add-subnet sends. */
static int subnet_put_req(struct nl_msg *msg,
			  const struct nvgre_subnet_req *r, bool key_only)
{
	if (nla_put_u32(msg, NVGRE_A_VSID, r->vsid) ||
	    nvgre_put_ip(msg, NVGRE_A_CA4, NVGRE_A_CA6, &r->prefix) ||
	    nla_put_u8(msg, NVGRE_A_PREFIX_LEN, r->plen))
		return -EMSGSIZE;
	if (key_only)
		return 0;
	if ((r->has_rdid && nla_put_u32(msg, NVGRE_A_RDID, r->rdid)) ||
	    (r->has_gw &&
	     nvgre_put_ip(msg, NVGRE_A_GW4, NVGRE_A_GW6, &r->gw)))
		return -EMSGSIZE;
	return 0;
}

static int subnet_put(struct nl_msg *msg, const void *rec)
{
	return subnet_put_req(msg, rec, false);
}

static int subnet_put_key(struct nl_msg *msg, const void *rec)
{
	return subnet_put_req(msg, rec, true);
}

static int subnet_from_attrs(struct nlattr **tb, void *data)
{
	struct subnet_rec *rec = data;

	if (!tb[NVGRE_A_VSID] || !tb[NVGRE_A_RDID] ||
	    !tb[NVGRE_A_PREFIX_LEN] || !tb[NVGRE_A_GW_MAC] ||
	    (!tb[NVGRE_A_CA4] && !tb[NVGRE_A_CA6]) ||
	    (!tb[NVGRE_A_GW4] && !tb[NVGRE_A_GW6])) {
		fprintf(stderr, "Error: incomplete subnet from the kernel.\n");
		return -EPROTO;
	}
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

/*
 * The add-subnet words, then (show) gateway-mac; del-subnet has the
 * prefix and VSID only.
 */
static void subnet_print(const void *data, enum obj_view view)
{
	enum output_type type = view == OBJ_VIEW_KEY ? PRINT_JSON : PRINT_ANY;
	char addr[INET6_ADDRSTRLEN], pfx[INET6_ADDRSTRLEN + 4], mac[18];
	const struct subnet_rec *rec = data;
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
	print_string(view == OBJ_VIEW_SHOW ? PRINT_ANY : PRINT_JSON,
		     "gateway_mac", " gateway-mac %s", mac);
}

_Static_assert(sizeof(struct subnet_rec) <= OBJ_REC_MAX,
	       "a record fits a union obj_rec");

const struct nvgre_obj obj_subnet = {
	.name		= "subnet",
	.cmd = {
		[OBJ_ADD]	= NVGRE_CMD_SUBNET_ADD,
		[OBJ_DEL]	= NVGRE_CMD_SUBNET_DEL,
		[OBJ_SHOW]	= NVGRE_CMD_SUBNET_GET,
	},
	.args = {
		[OBJ_ADD]	= "PREFIX vsid VSID [ rdid RDID ] [ gateway ADDR ]",
		[OBJ_DEL]	= "PREFIX vsid VSID",
		[OBJ_SHOW]	= "[ vsid VSID ]",
	},
	.cfg		= &cfg_subnet,
	.size		= sizeof(struct subnet_rec),
	.recreate_why	= "a subnet's gateway cannot change in place",
	.parse_del	= subnet_parse_del,
	.parse_show	= subnet_parse_show,
	.put		= subnet_put,
	.put_key	= subnet_put_key,
	.put_filter	= nvgre_put_vsid_filter,
	.from_attrs	= subnet_from_attrs,
	.print		= subnet_print,
};
