/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the files of nvgrectl. */
#ifndef NVGRECTL_H
#define NVGRECTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "obj.h"

#ifndef NVGRECTL_VERSION
#define NVGRECTL_VERSION	"0.1"
#endif

struct nlattr;
struct nvgre_link_req;

/* Exit status, documented in nvgrectl.8. */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,		/* bad command line */
	EXIT_KERNEL = 2,	/* the kernel or the system refused */
};

/* nvgrectl.c */
extern bool show_stats;		/* global -s */

/* storecmd.c: --store URL[,URL...], the lookup commands against etcd */
int store_init(const char *urls);
void store_exit(void);
bool store_enabled(void);
int store_do(const struct nvgre_obj *obj, enum obj_op op, int argc,
	     char **argv);

/* Print a parser's error line; returns EXIT_USAGE. */
static inline int cmd_usage_error(const char *err)
{
	fprintf(stderr, "%s\n", err);
	return EXIT_USAGE;
}

/* link.c */
int do_add_link(int argc, char **argv);
int do_del_link(int argc, char **argv);
int do_show_link(int argc, char **argv);
/*
 * A notification of a device (tb as in LINK_GET replies), like
 * obj_print_event() (obj.h): the words of add-link, or NAME only
 * (del-link).
 */
int link_print_event(const char *event, struct nlattr **tb, bool name_only);
/*
 * save, restore: every nvgre device as add-link takes it (a parameter at
 * its default has has_* false); fn may stop the walk with a nonzero
 * return, which is returned; create one as
 * add-link does, delete one by name. 0 or a negative errno (printed).
 */
int link_dump(int (*fn)(const struct nvgre_link_req *req, void *arg),
	      void *arg);
int link_create(const struct nvgre_link_req *req);
/* The name of the counter NVGRE_STATS_* attr, or NULL. */
const char *stats_name(unsigned int attr);
int link_delete(const char *name);

/* save.c */
int do_save(int argc, char **argv);
int do_restore(int argc, char **argv);

/*
 * objcmd.c: the commands of an object of the table (obj.h), the same in
 * batch mode: queued to be pipelined (netlink.h,
 * nvgre_genl_queue_bulk()); *failed is the line to name when it fails,
 * which may be an earlier one. flush-lookup.
 */
int obj_do(const struct nvgre_obj *obj, enum obj_op op, int argc,
	   char **argv);
int obj_do_queue(const struct nvgre_obj *obj, enum obj_op op, int argc,
		 char **argv, unsigned long line, unsigned long *failed);
int do_flush_lookup(int argc, char **argv);

/* get.c */
int do_get(int argc, char **argv);

/* monitor.c */
int do_monitor(int argc, char **argv);

#endif /* NVGRECTL_H */
