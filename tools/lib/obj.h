/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnvgre's object table: each object of the "nvgre" family that is
 * kept in a namespace-wide table (lookup records, provider addresses,
 * virtual subnets, customer routes) is one struct nvgre_obj, which says
 * how it is parsed, ordered, printed (text and JSON from the same calls),
 * read from the kernel's attributes and turned into a request. nvgrectl's
 * add-, replace-, del- and show- commands, batch mode, save and restore,
 * and monitor work on any entry of the table: a new object costs one
 * entry. Devices are not in it: they are made over rtnetlink and shown
 * with their counters (link.c).
 *
 * An object is held as its record: the request struct its add- command
 * fills (parse.h), first, then what only the kernel reports (an ifindex,
 * a MAC), obj->size bytes in all. cfg->cmp and the other cfg_kind
 * operations read the request part only.
 *
 * Functions that talk to the kernel return 0 or a negative errno, and
 * have printed the error.
 */
#ifndef NVGRECTL_OBJ_H
#define NVGRECTL_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "netlink.h"
#include "parse.h"

struct cfg_kind;

/* The operations of an object; their command words are "add-" name... */
enum obj_op {
	OBJ_ADD,
	OBJ_REPLACE,		/* in place, without a gap */
	OBJ_DEL,
	OBJ_SHOW,		/* a dump */
	OBJ_NOPS,
};

/* "add", "replace", "del", "show". */
extern const char *const obj_op_names[OBJ_NOPS];

/* How a record prints. */
enum obj_view {
	OBJ_VIEW_SHOW,		/* a line of show-: every field */
	OBJ_VIEW_ADD,		/* a notification of add- or replace-: its words */
	OBJ_VIEW_KEY,		/* of del-: the del- words (the key) in text */
};

/* The filter of a show- command; what it holds is the object's business. */
union obj_filter {
	struct nvgre_filter_req vsid;		/* show-lookup, show-subnet */
	struct nvgre_route_filter rdid;		/* show-route */
};

/* The most bytes a record has: one fits in a union obj_rec. */
#define OBJ_REC_MAX	128

union obj_rec {
	char bytes[OBJ_REC_MAX];
	max_align_t align;
};

struct nvgre_obj {
	const char *name;		/* "pa": the command is "add-pa" */
	/*
	 * Per operation: the NVGRE_CMD_* (those of add, replace and del are
	 * also the notifications'), and the usage text of its arguments;
	 * args NULL: the object has no such operation.
	 */
	uint8_t cmd[OBJ_NOPS];
	const char *args[OBJ_NOPS];
	/* The file line (save, restore): add- grammar, key order, format. */
	const struct cfg_kind *cfg;
	size_t size;			/* bytes of a record, <= OBJ_REC_MAX */
	/* Printed by restore when an object is deleted and added again. */
	const char *recreate_why;

	/*
	 * Parsers of the commands' words (parse.h), into a zeroed record;
	 * parse_add NULL: cfg->parse, as a line of the file is read.
	 */
	int (*parse_add)(int argc, char **argv, void *rec, char *err,
			 size_t len);
	int (*parse_del)(int argc, char **argv, void *rec, char *err,
			 size_t len);
	int (*parse_show)(int argc, char **argv, union obj_filter *f,
			  char *err, size_t len);
	/*
	 * Fill in what the kernel needs beyond the request (a device's
	 * ifindex), before an add; NULL: nothing.
	 */
	int (*resolve)(void *rec);
	/* The attributes of an add- request, of a del- one (the key). */
	int (*put)(struct nl_msg *msg, const void *rec);
	int (*put_key)(struct nl_msg *msg, const void *rec);
	/* The attributes of a dump request (the filter); NULL: none. */
	int (*put_filter)(struct nl_msg *msg, const void *f);
	/* A reply or notification into a zeroed record; -EPROTO printed. */
	int (*from_attrs)(struct nlattr **tb, void *rec);
	/* The fields, inside the caller's JSON object. */
	void (*print)(const void *rec, enum obj_view view);

	/*
	 * Bulk requests (obj_queue()): the kernel takes many records per
	 * request, each in a nest of type bulk_nest, written by attrs (add,
	 * replace) or attrs_key (del). bulk_nest 0: one request per object.
	 */
	int bulk_nest;
	nvgre_attrs_fn attrs;
	nvgre_attrs_fn attrs_key;
};

/* lookup.c, pa.c, subnet.c, route.c */
extern const struct nvgre_obj obj_lookup;
extern const struct nvgre_obj obj_pa;
extern const struct nvgre_obj obj_subnet;
extern const struct nvgre_obj obj_route;

/* lookup.c: flush-lookup, every record or those of f's VSID. */
int lookup_flush(const struct nvgre_filter_req *f);

/* Every object of the table. */
extern const struct nvgre_obj *const nvgre_objs[];
extern const size_t nvgre_nobjs;

/* Records of one object, sorted by key once obj_list_dump() returned. */
struct obj_list {
	const struct nvgre_obj *obj;
	char *recs;			/* n records of obj->size bytes */
	size_t n;
	size_t cap;
};

static inline void *obj_list_rec(const struct obj_list *list, size_t i)
{
	return list->recs + i * list->obj->size;
}

void obj_list_init(struct obj_list *list, const struct nvgre_obj *obj);
void obj_list_free(struct obj_list *list);
/* Every object of the namespace, or those of filter f (may be NULL). */
int obj_list_dump(struct obj_list *list, const union obj_filter *f);

/*
 * The kernel's add-, replace- or del- of rec (a request as parse_add or
 * parse_del fill it; the record is not needed), one request, answered.
 */
int obj_apply(const struct nvgre_obj *obj, enum obj_op op, const void *rec);
/*
 * The same, queued to be sent with others (netlink.h,
 * nvgre_genl_queue_bulk(): tag, *failed), in bulk where the object has
 * bulk requests; else the queued ones are sent first, then this one.
 */
int obj_queue(const struct nvgre_obj *obj, enum obj_op op, const void *rec,
	      unsigned long tag, unsigned long *failed);

/*
 * show-: one JSON array of the records, sorted, one line each. A
 * notification: one line or JSON object, event then the fields.
 */
void obj_list_print(const struct obj_list *list);
int obj_print_event(const struct nvgre_obj *obj, const char *event,
		    struct nlattr **tb, enum obj_view view);
/* The object whose notification cmd is, and its operation; or NULL. */
const struct nvgre_obj *obj_find_event(uint8_t cmd, enum obj_op *op);

/* ip as attribute a4 or a6 by its family; 0 or -EMSGSIZE. */
int nvgre_put_ip(struct nl_msg *msg, int a4, int a6,
		 const struct nvgre_ip *ip);
/* A struct nvgre_filter_req's VSID, if it has one; 0 or -EMSGSIZE. */
int nvgre_put_vsid_filter(struct nl_msg *msg, const void *f);
/* The address of a4, else of a6 (one of them is given). */
void nvgre_get_ip(struct nlattr *a4, struct nlattr *a6, struct nvgre_ip *ip);

#endif /* NVGRECTL_OBJ_H */
