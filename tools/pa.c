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
#include "json_print.h"
#include "netlink.h"
#include "nvgrectl.h"
#include "parse.h"

/* A PA as the kernel reports it. */
struct pa_rec {
	struct nvgre_ip pa;
	uint32_t ifindex;
	char dev[IFNAMSIZ];
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
	int ret;

	if (m->pa->family == AF_INET)
		ret = nla_put(msg, NVGRE_A_PA4, sizeof(m->pa->v4), &m->pa->v4);
	else
		ret = nla_put(msg, NVGRE_A_PA6, sizeof(m->pa->v6), &m->pa->v6);
	if (!ret && m->ifindex)
		ret = nla_put_u32(msg, NVGRE_A_IFINDEX, m->ifindex);
	return ret < 0 ? -EMSGSIZE : 0;
}

/* A PA of a reply or notification; -EPROTO (printed) if incomplete. */
static int pa_from_attrs(struct nlattr **tb, struct pa_rec *rec)
{
	if ((!tb[NVGRE_A_PA4] && !tb[NVGRE_A_PA6]) || !tb[NVGRE_A_IFINDEX]) {
		fprintf(stderr, "Error: incomplete provider address from the kernel.\n");
		return -EPROTO;
	}
	memset(rec, 0, sizeof(*rec));
	if (tb[NVGRE_A_PA4]) {
		rec->pa.family = AF_INET;
		memcpy(&rec->pa.v4, nla_data(tb[NVGRE_A_PA4]),
		       sizeof(rec->pa.v4));
	} else {
		rec->pa.family = AF_INET6;
		memcpy(&rec->pa.v6, nla_data(tb[NVGRE_A_PA6]),
		       sizeof(rec->pa.v6));
	}
	rec->ifindex = nla_get_u32(tb[NVGRE_A_IFINDEX]);
	if (tb[NVGRE_A_IFNAME])
		nla_strlcpy(rec->dev, tb[NVGRE_A_IFNAME], sizeof(rec->dev));
	else
		snprintf(rec->dev, sizeof(rec->dev), "if%u", rec->ifindex);
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

/* IPv4 before IPv6, then by address. */
static int pa_cmp(const void *a, const void *b)
{
	const struct pa_rec *x = a, *y = b;

	if (x->pa.family != y->pa.family)
		return x->pa.family == AF_INET ? -1 : 1;
	if (x->pa.family == AF_INET)
		return memcmp(&x->pa.v4, &y->pa.v4, sizeof(x->pa.v4));
	return memcmp(&x->pa.v6, &y->pa.v6, sizeof(x->pa.v6));
}

/* The add-pa words of rec; dev as type says. */
static void pa_print_fields(const struct pa_rec *rec, enum output_type type)
{
	char pa[INET6_ADDRSTRLEN];

	inet_ntop(rec->pa.family, &rec->pa.v6, pa, sizeof(pa));
	print_string(PRINT_ANY, "pa", "%s", pa);
	print_string(type, "dev", " dev %s", rec->dev);
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
		qsort(list->recs, list->n, sizeof(*list->recs), pa_cmp);
	return ret;
}

int pa_dump(int (*fn)(const struct nvgre_pa_req *req, void *arg), void *arg)
{
	struct pa_list list = { NULL, 0, 0 };
	struct nvgre_pa_req req;
	size_t i;
	int ret;

	ret = pa_list_dump(&list);
	for (i = 0; !ret && i < list.n; i++) {
		memset(&req, 0, sizeof(req));
		req.pa = list.recs[i].pa;
		snprintf(req.dev, sizeof(req.dev), "%s", list.recs[i].dev);
		ret = fn(&req, arg);
	}
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
