// SPDX-License-Identifier: GPL-2.0
/*
 * Provider addresses of the host (network namespace): the entry of the
 * object table (obj.h) behind add-pa, del-pa and show-pa.
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

/* A PA as the kernel reports it: as add-pa takes it, and the ifindex. */
struct pa_rec {
	struct nvgre_pa_req req;
	uint32_t ifindex;		/* 0: none (del-pa) */
};

static int pa_parse_del(int argc, char **argv, void *rec, char *err,
			size_t len)
{
	return parse_pa_del(argc, argv, rec, err, len);
}

static int pa_parse_show(int argc, char **argv, union obj_filter *f,
			 char *err, size_t len)
{
	(void)f;
	return parse_pa_show(argc, argv, err, len);
}

/* The underlay device's ifindex, which add-pa sends. */
static int pa_resolve(void *data)
{
	struct pa_rec *rec = data;
	char kind[32];
	int ifindex, ret;

	ret = rtnl_link_get(rec->req.dev, &ifindex, kind, sizeof(kind));
	if (ret == -ENODEV)
		fprintf(stderr, "Error: cannot find device \"%s\".\n",
			rec->req.dev);
	if (!ret)
		rec->ifindex = ifindex;
	return ret;
}

static int pa_put(struct nl_msg *msg, const void *data)
{
	const struct pa_rec *rec = data;

	if (nvgre_put_ip(msg, NVGRE_A_PA4, NVGRE_A_PA6, &rec->req.pa) ||
	    (rec->ifindex && nla_put_u32(msg, NVGRE_A_IFINDEX, rec->ifindex)))
		return -EMSGSIZE;
	return 0;
}

static int pa_put_key(struct nl_msg *msg, const void *data)
{
	const struct nvgre_pa_req *req = data;

	return nvgre_put_ip(msg, NVGRE_A_PA4, NVGRE_A_PA6, &req->pa);
}

static int pa_from_attrs(struct nlattr **tb, void *data)
{
	struct pa_rec *rec = data;

	if ((!tb[NVGRE_A_PA4] && !tb[NVGRE_A_PA6]) || !tb[NVGRE_A_IFINDEX]) {
		fprintf(stderr, "Error: incomplete provider address from the kernel.\n");
		return -EPROTO;
	}
	nvgre_get_ip(tb[NVGRE_A_PA4], tb[NVGRE_A_PA6], &rec->req.pa);
	rec->ifindex = nla_get_u32(tb[NVGRE_A_IFINDEX]);
	if (tb[NVGRE_A_IFNAME])
		nla_strlcpy(rec->req.dev, tb[NVGRE_A_IFNAME],
			    sizeof(rec->req.dev));
	else
		snprintf(rec->req.dev, sizeof(rec->req.dev), "if%u",
			 rec->ifindex);
	return 0;
}

/* The add-pa words; del-pa has the PA only. */
static void pa_print(const void *data, enum obj_view view)
{
	enum output_type type = view == OBJ_VIEW_KEY ? PRINT_JSON : PRINT_ANY;
	const struct pa_rec *rec = data;
	char pa[INET6_ADDRSTRLEN];

	inet_ntop(rec->req.pa.family, &rec->req.pa.v6, pa, sizeof(pa));
	print_string(PRINT_ANY, "pa", "%s", pa);
	print_string(type, "dev", " dev %s", rec->req.dev);
	print_uint(PRINT_JSON, "ifindex", NULL, rec->ifindex);
}

_Static_assert(sizeof(struct pa_rec) <= OBJ_REC_MAX,
	       "a record fits a union obj_rec");

const struct nvgre_obj obj_pa = {
	.name		= "pa",
	.cmd = {
		[OBJ_ADD]	= NVGRE_CMD_PA_ADD,
		[OBJ_DEL]	= NVGRE_CMD_PA_DEL,
		[OBJ_SHOW]	= NVGRE_CMD_PA_GET,
	},
	.args = {
		[OBJ_ADD]	= "PA dev DEV",
		[OBJ_DEL]	= "PA",
		[OBJ_SHOW]	= "",
	},
	.cfg		= &cfg_pa,
	.size		= sizeof(struct pa_rec),
	.recreate_why	= "a PA cannot move to another device in place",
	.parse_del	= pa_parse_del,
	.parse_show	= pa_parse_show,
	.resolve	= pa_resolve,
	.put		= pa_put,
	.put_key	= pa_put_key,
	.from_attrs	= pa_from_attrs,
	.print		= pa_print,
};
