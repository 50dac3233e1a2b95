// SPDX-License-Identifier: GPL-2.0
/*
 * The object table (obj.h): dumping, changing, queueing and printing any
 * object of it, and the attributes that more than one object has.
 */
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
#include "obj.h"

const struct nvgre_obj *const nvgre_objs[] = {
	&obj_lookup,
	&obj_pa,
	&obj_subnet,
	&obj_route,
};

const size_t nvgre_nobjs = ARRAY_SIZE(nvgre_objs);

const char *const obj_op_names[OBJ_NOPS] = {
	[OBJ_ADD]	= "add",
	[OBJ_REPLACE]	= "replace",
	[OBJ_DEL]	= "del",
	[OBJ_SHOW]	= "show",
};

void obj_list_init(struct obj_list *list, const struct nvgre_obj *obj)
{
	memset(list, 0, sizeof(*list));
	list->obj = obj;
}

void obj_list_free(struct obj_list *list)
{
	free(list->recs);
	obj_list_init(list, list->obj);
}

static int obj_collect(struct nlattr **tb, void *arg)
{
	struct obj_list *list = arg;
	void *p, *rec;

	p = array_grow(list->recs, &list->cap, list->n, list->obj->size, 8);
	if (!p) {
		fprintf(stderr, "Error: %s.\n", strerror(ENOMEM));
		return -ENOMEM;
	}
	list->recs = p;
	rec = obj_list_rec(list, list->n);
	memset(rec, 0, list->obj->size);
	if (list->obj->from_attrs(tb, rec))
		return -EPROTO;
	list->n++;
	return 0;
}

static void obj_reset(void *arg)
{
	struct obj_list *list = arg;

	list->n = 0;
}

int obj_list_dump(struct obj_list *list, const union obj_filter *f)
{
	const struct nvgre_obj *obj = list->obj;
	int ret;

	ret = nvgre_genl_dump(obj->cmd[OBJ_SHOW], f ? obj->put_filter : NULL,
			      f, obj_collect, obj_reset, list);
	if (!ret && list->n)
		qsort(list->recs, list->n, obj->size, obj->cfg->cmp);
	return ret;
}

/* An add or replace of an object whose request needs obj->resolve(). */
static int obj_apply_resolved(const struct nvgre_obj *obj, enum obj_op op,
			      const void *rec)
{
	union obj_rec full;
	int ret;

	/* rec may be a request alone (a line of restore's file). */
	memset(&full, 0, obj->size);
	memcpy(&full, rec, obj->cfg->size);
	ret = obj->resolve(&full);
	if (ret)
		return ret;
	return nvgre_genl_do(obj->cmd[op], obj->put, &full, NULL, NULL);
}

int obj_apply(const struct nvgre_obj *obj, enum obj_op op, const void *rec)
{
	if (op == OBJ_DEL)
		return nvgre_genl_do(obj->cmd[op], obj->put_key, rec, NULL,
				     NULL);
	if (obj->resolve)
		return obj_apply_resolved(obj, op, rec);
	return nvgre_genl_do(obj->cmd[op], obj->put, rec, NULL, NULL);
}

int obj_queue(const struct nvgre_obj *obj, enum obj_op op, const void *rec,
	      unsigned long tag, unsigned long *failed)
{
	int ret;

	if (obj->bulk_nest)
		return nvgre_genl_queue_bulk(obj->cmd[op], obj->bulk_nest,
					     op == OBJ_DEL ? obj->attrs_key :
							     obj->attrs,
					     rec, tag, failed);
	ret = nvgre_genl_flush(failed);
	if (ret)
		return ret;
	*failed = tag;
	return obj_apply(obj, op, rec);
}

void obj_list_print(const struct obj_list *list)
{
	size_t i;

	open_json_array(NULL);
	for (i = 0; i < list->n; i++) {
		open_json_object(NULL);
		list->obj->print(obj_list_rec(list, i), OBJ_VIEW_SHOW);
		close_json_object();
		print_nl();
	}
	close_json_array();
}

int obj_print_event(const struct nvgre_obj *obj, const char *event,
		    struct nlattr **tb, enum obj_view view)
{
	union obj_rec rec;

	memset(&rec, 0, obj->size);
	if (obj->from_attrs(tb, &rec))
		return -EPROTO;
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s ", event);
	obj->print(&rec, view);
	close_json_object();
	print_nl();
	return 0;
}

const struct nvgre_obj *obj_find_event(uint8_t cmd, enum obj_op *op)
{
	static const enum obj_op events[] = { OBJ_ADD, OBJ_REPLACE, OBJ_DEL };
	size_t i, e;

	for (i = 0; i < nvgre_nobjs; i++) {
		const struct nvgre_obj *obj = nvgre_objs[i];

		for (e = 0; e < ARRAY_SIZE(events); e++) {
			*op = events[e];
			if (obj->args[*op] && cmd == obj->cmd[*op])
				return obj;
		}
	}
	return NULL;
}

int nvgre_put_ip(struct nl_msg *msg, int a4, int a6,
		 const struct nvgre_ip *ip)
{
	int ret;

	if (ip->family == AF_INET)
		ret = nla_put(msg, a4, sizeof(ip->v4), &ip->v4);
	else
		ret = nla_put(msg, a6, sizeof(ip->v6), &ip->v6);
	return ret < 0 ? -EMSGSIZE : 0;
}

int nvgre_put_vsid_filter(struct nl_msg *msg, const void *data)
{
	const struct nvgre_filter_req *f = data;

	if (f->has_vsid && nla_put_u32(msg, NVGRE_A_VSID, f->vsid) < 0)
		return -EMSGSIZE;
	return 0;
}

void nvgre_get_ip(struct nlattr *a4, struct nlattr *a6, struct nvgre_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (a4) {
		ip->family = AF_INET;
		memcpy(&ip->v4, nla_data(a4), sizeof(ip->v4));
	} else {
		ip->family = AF_INET6;
		memcpy(&ip->v6, nla_data(a6), sizeof(ip->v6));
	}
}
