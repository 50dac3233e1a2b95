/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the files of nvgrectl. */
#ifndef NVGRECTL_H
#define NVGRECTL_H

#include <stdbool.h>
#include <stdint.h>

#ifndef NVGRECTL_VERSION
#define NVGRECTL_VERSION	"0.1"
#endif

struct nlattr;
struct nvgre_link_req;
struct nvgre_lookup_req;
struct nvgre_ip;
struct nvgre_pa_req;
struct nvgre_subnet_req;
struct nvgre_route_req;

/* Exit status, documented in nvgrectl.8. */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,		/* bad command line */
	EXIT_KERNEL = 2,	/* the kernel or the system refused */
};

/* nvgrectl.c */
extern bool show_stats;		/* global -s */
/* Print a parser's error line; returns EXIT_USAGE. */
int cmd_usage_error(const char *err);

/* lookup.c */
int do_add_lookup(int argc, char **argv);
int do_replace_lookup(int argc, char **argv);
int do_del_lookup(int argc, char **argv);
int do_show_lookup(int argc, char **argv);
int do_flush_lookup(int argc, char **argv);
/*
 * Batch mode: queue the line's record (netlink.h, nvgre_genl_queue_bulk());
 * *failed is the line to name when it fails, which may be an earlier one.
 */
int queue_add_lookup(int argc, char **argv, unsigned long line,
		     unsigned long *failed);
int queue_replace_lookup(int argc, char **argv, unsigned long line,
			 unsigned long *failed);
int queue_del_lookup(int argc, char **argv, unsigned long line,
		     unsigned long *failed);
/*
 * A notification of a record (tb as in LOOKUP_GET replies) as one line or
 * JSON object: event, then the words of add-lookup; key_only: the text
 * has CA and VSID only, as del-lookup takes. 0 or -EPROTO (printed).
 */
int lookup_print_event(const char *event, struct nlattr **tb, bool key_only);
/*
 * save, restore: every record of the namespace to fn, which may stop the
 * walk with a nonzero return; 0 or the error (printed).
 */
int lookup_dump(int (*fn)(const struct nvgre_lookup_req *req, void *arg),
		void *arg);
/* Queue a LOOKUP_ADD, _REPLACE or _DEL of req, as the batch mode does. */
int lookup_queue_req(uint8_t cmd, const struct nvgre_lookup_req *req,
		     unsigned long line, unsigned long *failed);

/* link.c */
int do_add_link(int argc, char **argv);
int do_del_link(int argc, char **argv);
int do_show_link(int argc, char **argv);
/*
 * A notification of a device (tb as in LINK_GET replies), like
 * lookup_print_event(): the words of add-link, or NAME only (del-link).
 */
int link_print_event(const char *event, struct nlattr **tb, bool name_only);
/*
 * save, restore: every nvgre device as add-link takes it (a parameter at
 * its default has has_* false), like lookup_dump(); create one as
 * add-link does, delete one by name. 0 or a negative errno (printed).
 */
int link_dump(int (*fn)(const struct nvgre_link_req *req, void *arg),
	      void *arg);
int link_create(const struct nvgre_link_req *req);
int link_delete(const char *name);

/* save.c */
int do_save(int argc, char **argv);
int do_restore(int argc, char **argv);

/* pa.c */
int do_add_pa(int argc, char **argv);
int do_del_pa(int argc, char **argv);
int do_show_pa(int argc, char **argv);
/*
 * A notification of a PA (tb as in PA_GET replies), like
 * lookup_print_event(): the words of add-pa, or PA only (del-pa).
 */
int pa_print_event(const char *event, struct nlattr **tb, bool key_only);
/*
 * save, restore: every PA of the namespace as add-pa takes it, sorted,
 * like lookup_dump(); create one as add-pa does, delete one as del-pa
 * does. 0 or a negative errno (printed).
 */
int pa_dump(int (*fn)(const struct nvgre_pa_req *req, void *arg), void *arg);
int pa_create(const struct nvgre_pa_req *req);
int pa_delete(const struct nvgre_ip *pa);

/* subnet.c */
int do_add_subnet(int argc, char **argv);
int do_del_subnet(int argc, char **argv);
int do_show_subnet(int argc, char **argv);
/*
 * A notification of a subnet (tb as in SUBNET_GET replies), like
 * lookup_print_event(): the words of add-subnet, or PREFIX vsid VSID only
 * (del-subnet).
 */
int subnet_print_event(const char *event, struct nlattr **tb, bool key_only);
/* save, restore: like pa_dump(), pa_create(), pa_delete(). */
int subnet_dump(int (*fn)(const struct nvgre_subnet_req *req, void *arg),
		void *arg);
int subnet_create(const struct nvgre_subnet_req *req);
int subnet_delete(const struct nvgre_subnet_req *req);

/* route.c: customer routes, like subnet.c */
int do_add_route(int argc, char **argv);
int do_del_route(int argc, char **argv);
int do_show_route(int argc, char **argv);
int route_print_event(const char *event, struct nlattr **tb, bool key_only);
int route_dump(int (*fn)(const struct nvgre_route_req *req, void *arg),
	       void *arg);
int route_create(const struct nvgre_route_req *req);
int route_delete(const struct nvgre_route_req *req);

/* monitor.c */
int do_monitor(int argc, char **argv);

#endif /* NVGRECTL_H */
