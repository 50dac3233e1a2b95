// SPDX-License-Identifier: GPL-2.0
/*
 * The commands of every object of the table (obj.h): add-pa,
 * replace-lookup, del-subnet, show-route, ..., their batch mode form;
 * and flush-lookup.
 */
#include <string.h>

#include "config.h"
#include "netlink.h"
#include "nvgrectl.h"
#include "obj.h"

/* The words of op into a zeroed record rec; 0 or -1 (err). */
static int obj_parse(const struct nvgre_obj *obj, enum obj_op op,
		     int argc, char **argv, void *rec, char *err, size_t len)
{
	if (op == OBJ_DEL)
		return obj->parse_del(argc, argv, rec, err, len);
	if (obj->parse_add)
		return obj->parse_add(argc, argv, rec, err, len);
	return obj->cfg->parse(argc, argv, rec, err, len);
}

static int obj_show(const struct nvgre_obj *obj, int argc, char **argv)
{
	char err[PARSE_ERR_LEN];
	struct obj_list list;
	union obj_filter f;
	int ret = EXIT_OK;

	memset(&f, 0, sizeof(f));
	if (obj->parse_show(argc, argv, &f, err, sizeof(err)))
		return cmd_usage_error(err);
	obj_list_init(&list, obj);
	if (obj_list_dump(&list, &f))
		ret = EXIT_KERNEL;
	else
		obj_list_print(&list);
	obj_list_free(&list);
	return ret;
}

int obj_do(const struct nvgre_obj *obj, enum obj_op op, int argc,
	   char **argv)
{
	char err[PARSE_ERR_LEN];
	union obj_rec rec;

	if (op == OBJ_SHOW)
		return obj_show(obj, argc, argv);
	memset(&rec, 0, obj->size);
	if (obj_parse(obj, op, argc, argv, &rec, err, sizeof(err)))
		return cmd_usage_error(err);
	if (obj_apply(obj, op, &rec))
		return EXIT_KERNEL;
	return EXIT_OK;
}

int obj_do_queue(const struct nvgre_obj *obj, enum obj_op op, int argc,
		 char **argv, unsigned long line, unsigned long *failed)
{
	char err[PARSE_ERR_LEN];
	union obj_rec rec;

	*failed = line;
	memset(&rec, 0, obj->size);
	if (obj_parse(obj, op, argc, argv, &rec, err, sizeof(err))) {
		/* Reported after the lines queued before it were checked. */
		if (nvgre_genl_flush(failed))
			return EXIT_KERNEL;
		return cmd_usage_error(err);
	}
	if (obj_queue(obj, op, &rec, line, failed))
		return EXIT_KERNEL;
	return EXIT_OK;
}

int do_flush_lookup(int argc, char **argv)
{
	struct nvgre_filter_req f;
	char err[PARSE_ERR_LEN];

	if (parse_lookup_filter(argc, argv, &f, err, sizeof(err)))
		return cmd_usage_error(err);
	if (lookup_flush(&f))
		return EXIT_KERNEL;
	return EXIT_OK;
}
