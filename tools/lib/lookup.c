// SPDX-License-Identifier: GPL-2.0
/*
 * Lookup records: the entry of the object table (obj.h) behind add-lookup,
 * replace-lookup, del-lookup, show-lookup, their batch lines and
 * notifications, and the add-lookup lines of save and restore; and
 * flush-lookup. Their requests are written by hand (nvgre_attrs): batch
 * mode and restore send up to millions of them.
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

#define LOOKUP_ADD_ARGS \
	"CA vsid VSID pa PA mac MAC [ type static ] [ proto PROTO ]\n" \
	"                 vsid VSID pa PA mac MAC type { l2only | gateway } [ proto PROTO ]"

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

/*
 * The key; an l2only record's is its MAC. A del- with a protocol deletes
 * the record only if it has that protocol.
 */
static int attrs_lookup_key(struct nvgre_attrs *a, const void *data)
{
	const struct nvgre_lookup_req *req = data;
	int ret = put_key(a, req);

	if (!ret && req->type == NVGRE_LOOKUP_L2ONLY)
		ret = nvgre_attr_put(a, NVGRE_A_MAC, req->mac,
				     sizeof(req->mac));
	if (!ret && req->has_proto)
		ret = nvgre_attr_put(a, NVGRE_A_PROTO, &req->proto,
				     sizeof(req->proto));
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
	/* By hand (0) is the kernel's default: requests stay as they were. */
	if (!ret && req->proto != NVGRE_PROTO_ADMIN)
		ret = nvgre_attr_put(a, NVGRE_A_PROTO, &req->proto,
				     sizeof(req->proto));
	return ret;
}

static int lookup_put(struct nl_msg *msg, const void *req)
{
	return nvgre_put_attrs(msg, attrs_lookup_full, req);
}

static int lookup_put_key(struct nl_msg *msg, const void *req)
{
	return nvgre_put_attrs(msg, attrs_lookup_key, req);
}

static int lookup_parse_del(int argc, char **argv, void *rec, char *err,
			    size_t len)
{
	return parse_lookup_del(argc, argv, rec, err, len);
}

static int lookup_parse_show(int argc, char **argv, union obj_filter *f,
			     char *err, size_t len)
{
	return parse_lookup_filter(argc, argv, &f->vsid, err, len);
}

static int lookup_from_attrs(struct nlattr **tb, void *data)
{
	uint8_t type = tb[NVGRE_A_TYPE] ? nla_get_u8(tb[NVGRE_A_TYPE]) :
					  NVGRE_LOOKUP_STATIC;
	bool has_ca = tb[NVGRE_A_CA4] || tb[NVGRE_A_CA6];
	struct nvgre_lookup_req *rec = data;

	if (!tb[NVGRE_A_VSID] || !lookup_type_name(type) ||
	    has_ca != (type == NVGRE_LOOKUP_STATIC) ||
	    (!tb[NVGRE_A_PA4] && !tb[NVGRE_A_PA6]) || !tb[NVGRE_A_MAC]) {
		fprintf(stderr, "Error: incomplete lookup record from the kernel.\n");
		return -EPROTO;
	}
	rec->vsid = nla_get_u32(tb[NVGRE_A_VSID]);
	rec->type = type;
	/* l2only or gateway: no CA */
	if (has_ca)
		nvgre_get_ip(tb[NVGRE_A_CA4], tb[NVGRE_A_CA6], &rec->ca);
	nvgre_get_ip(tb[NVGRE_A_PA4], tb[NVGRE_A_PA6], &rec->pa);
	memcpy(rec->mac, nla_data(tb[NVGRE_A_MAC]), sizeof(rec->mac));
	if (tb[NVGRE_A_PROTO])
		rec->proto = nla_get_u8(tb[NVGRE_A_PROTO]);
	return 0;
}

/*
 * The add-lookup words of rec; pa and mac (unless it is the key of an
 * l2only record) as del-lookup's in a notification of one. A static
 * record is printed as before record types existed: CA first, no type.
 */
static void lookup_print(const void *data, enum obj_view view)
{
	enum output_type type = view == OBJ_VIEW_KEY ? PRINT_JSON : PRINT_ANY;
	const struct nvgre_lookup_req *rec = data;
	bool is_static = rec->type == NVGRE_LOOKUP_STATIC;
	char pa[INET6_ADDRSTRLEN], mac[18];
	const uint8_t *m = rec->mac;

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
	/* Only when not by hand, so that such records print as before. */
	if (rec->proto != NVGRE_PROTO_ADMIN) {
		char proto[8];

		lookup_proto_name(rec->proto, proto, sizeof(proto));
		print_string(type, "proto", " proto %s", proto);
	}
}

int lookup_flush(const struct nvgre_filter_req *f)
{
	return nvgre_genl_do(NVGRE_CMD_LOOKUP_FLUSH, nvgre_put_vsid_filter, f,
			     NULL, NULL);
}

_Static_assert(sizeof(struct nvgre_lookup_req) <= OBJ_REC_MAX,
	       "a record fits a union obj_rec");

const struct nvgre_obj obj_lookup = {
	.name		= "lookup",
	.cmd = {
		[OBJ_ADD]	= NVGRE_CMD_LOOKUP_ADD,
		[OBJ_REPLACE]	= NVGRE_CMD_LOOKUP_REPLACE,
		[OBJ_DEL]	= NVGRE_CMD_LOOKUP_DEL,
		[OBJ_SHOW]	= NVGRE_CMD_LOOKUP_GET,
	},
	.args = {
		[OBJ_ADD]	= LOOKUP_ADD_ARGS,
		[OBJ_REPLACE]	= LOOKUP_ADD_ARGS,
		[OBJ_DEL]	= "CA vsid VSID [ type static ] [ proto PROTO ]\n"
				  "                 vsid VSID mac MAC type l2only [ proto PROTO ]\n"
				  "                 vsid VSID type gateway [ proto PROTO ]",
		[OBJ_SHOW]	= "[ vsid VSID ]",
	},
	.cfg		= &cfg_lookup,
	.size		= sizeof(struct nvgre_lookup_req),
	.parse_del	= lookup_parse_del,
	.parse_show	= lookup_parse_show,
	.put		= lookup_put,
	.put_key	= lookup_put_key,
	.put_filter	= nvgre_put_vsid_filter,
	.from_attrs	= lookup_from_attrs,
	.print		= lookup_print,
	.bulk_nest	= NVGRE_A_LOOKUP,
	.attrs		= attrs_lookup_full,
	.attrs_key	= attrs_lookup_key,
};
