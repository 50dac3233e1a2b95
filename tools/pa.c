// SPDX-License-Identifier: GPL-2.0
/*
 * Provider addresses of the host (network namespace): add-pa, del-pa and
 * show-pa.
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

/* A PA as the kernel reports it. */
struct pa_rec {
	struct nvgre_pa_req req;	/* as add-pa takes it */
	uint32_t ifindex;
};

struct pa_list {
	struct pa_rec *recs;
	size_t n;
	size_t cap;
};

/* What add-pa sends: the address and the underlay device's ifindex. */
struct pa_msg {
	const struct nvgre_ip *pa;
	int ifindex;		/* 0: none (del-pa) */
};

static int put_pa(struct nl_msg *msg, const void *data)
{
	const struct pa_msg *m = data;

	if (nvgre_put_ip(msg, NVGRE_A_PA4, NVGRE_A_PA6, m->pa) ||
	    (m->ifindex && nla_put_u32(msg, NVGRE_A_IFINDEX, m->ifindex)))
		return -EMSGSIZE;
	return 0;
}

/* A PA of a reply or notification; -EPROTO (printed) if incomplete. */
static int pa_from_attrs(struct nlattr **tb, struct pa_rec *rec)
{
	if ((!tb[NVGRE_A_PA4] && !tb[NVGRE_A_PA6]) || !tb[NVGRE_A_IFINDEX]) {
		fprintf(stderr, "Error: incomplete provider address from the kernel.\n");
		return -EPROTO;
	}
	memset(rec, 0, sizeof(*rec));
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

static int pa_collect(struct nlattr **tb, void *arg)
{
	struct pa_list *list = arg;
	void *p;

	p = array_grow(list->recs, &list->cap, list->n, sizeof(*list->recs),
		       8);
	if (!p) {
		fprintf(stderr, "Error: %s.\n", strerror(ENOMEM));
		return -ENOMEM;
	}
	list->recs = p;
	if (pa_from_attrs(tb, &list->recs[list->n]))
		return -EPROTO;
	list->n++;
	return 0;
}

static void pa_reset(void *arg)
{
	struct pa_list *list = arg;

	list->n = 0;
}

static int pa_rec_cmp(const void *a, const void *b)
{
	return cfg_pa_cmp(&((const struct pa_rec *)a)->req,
			  &((const struct pa_rec *)b)->req);
}

/* The add-pa words of rec; dev as type says. */
static void pa_print_fields(const struct pa_rec *rec, enum output_type type)
{
	char pa[INET6_ADDRSTRLEN];

	inet_ntop(rec->req.pa.family, &rec->req.pa.v6, pa, sizeof(pa));
	print_string(PRINT_ANY, "pa", "%s", pa);
	print_string(type, "dev", " dev %s", rec->req.dev);
	print_uint(PRINT_JSON, "ifindex", NULL, rec->ifindex);
}

int pa_print_event(const char *event, struct nlattr **tb, bool key_only)
{
	struct pa_rec rec;

	if (pa_from_attrs(tb, &rec))
		return -EPROTO;
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s ", event);
	pa_print_fields(&rec, key_only ? PRINT_JSON : PRINT_ANY);
	close_json_object();
	print_nl();
	return 0;
}

int pa_create(const struct nvgre_pa_req *req)
{
	struct pa_msg m = { .pa = &req->pa };
	char kind[32];
	int ret;

	ret = rtnl_link_get(req->dev, &m.ifindex, kind, sizeof(kind));
	if (ret == -ENODEV)
		fprintf(stderr, "Error: cannot find device \"%s\".\n", req->dev);
	if (ret)
		return ret;
	return nvgre_genl_do(NVGRE_CMD_PA_ADD, put_pa, &m, NULL, NULL);
}

int pa_delete(const struct nvgre_ip *pa)
{
	struct pa_msg m = { .pa = pa, .ifindex = 0 };

	return nvgre_genl_do(NVGRE_CMD_PA_DEL, put_pa, &m, NULL, NULL);
}

/* Every PA of the namespace, sorted; 0 or the error (printed). */
static int pa_list_dump(struct pa_list *list)
{
	int ret;

	ret = nvgre_genl_dump(NVGRE_CMD_PA_GET, NULL, NULL, pa_collect,
			      pa_reset, list);
	if (!ret && list->n)
		qsort(list->recs, list->n, sizeof(*list->recs), pa_rec_cmp);
	return ret;
}

int pa_dump(int (*fn)(const struct nvgre_pa_req *req, void *arg), void *arg)
{
	struct pa_list list = { NULL, 0, 0 };
	size_t i;
	int ret;

	ret = pa_list_dump(&list);
	for (i = 0; !ret && i < list.n; i++)
		ret = fn(&list.recs[i].req, arg);
	free(list.recs);
	return ret;
}

int do_add_pa(int argc, char **argv)
{
	char err[PARSE_ERR_LEN];
	struct nvgre_pa_req req;

	if (parse_pa_add(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (pa_create(&req))
		return EXIT_KERNEL;
	return EXIT_OK;
}

int do_del_pa(int argc, char **argv)
{
	char err[PARSE_ERR_LEN];
	struct nvgre_pa_req req;

	if (parse_pa_del(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (pa_delete(&req.pa))
		return EXIT_KERNEL;
	return EXIT_OK;
}

int do_show_pa(int argc, char **argv)
{
	struct pa_list list = { NULL, 0, 0 };
	char err[PARSE_ERR_LEN];
	size_t i;

	if (parse_pa_show(argc, argv, err, sizeof(err)))
		return cmd_usage_error(err);
	if (pa_list_dump(&list)) {
		free(list.recs);
		return EXIT_KERNEL;
	}
	open_json_array(NULL);
	for (i = 0; i < list.n; i++) {
		open_json_object(NULL);
		pa_print_fields(&list.recs[i], PRINT_ANY);
		close_json_object();
		print_nl();
	}
	close_json_array();
	free(list.recs);
	return EXIT_OK;
}
