/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnvgre: the saved configuration of a namespace (save, restore),
 * without I/O other than reading the file and without netlink, so that
 * tests/test_config.c can drive it: object kinds, sets of objects sorted
 * by key, the parser of a configuration file and the difference of two
 * sets.
 *
 * A configuration file is a batch file (nvgrectl -b) whose lines are the
 * "add-" command of one object each. An object kind is one struct
 * cfg_kind: the command word, how to parse, order, compare and print one
 * object. The object table (obj.h) and save.c pair each kind with its
 * netlink operations.
 */
#ifndef NVGRECTL_CONFIG_H
#define NVGRECTL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Longest line cfg_kind.format writes, with its newline. */
#define CFG_LINE_LEN	256

struct cfg_kind {
	const char *cmd;	/* the command of a line: "add-link" */
	size_t size;		/* bytes of one object */
	/* The words after cmd, as the command's parser takes them. */
	int (*parse)(int argc, char **argv, void *obj, char *err,
		     size_t len);
	/*
	 * Order by key: 0 for the same object (a device's name, a record's
	 * VSID and CA), whatever its parameters.
	 */
	int (*cmp)(const void *a, const void *b);
	/* Two objects of the same key have the same parameters. */
	bool (*same)(const void *a, const void *b);
	/*
	 * The line that makes obj, with its newline, into buf; -1 (and one
	 * line in err) when the batch grammar cannot say it.
	 */
	int (*format)(const void *obj, char *buf, size_t len, char *err,
		      size_t errlen);
};

/*
 * The kinds of nvgre: devices (add-link), records (add-lookup), the
 * host's provider addresses (add-pa), virtual subnets (add-subnet) and
 * customer routes (add-route). Their cmp is also the order of show-.
 */
extern const struct cfg_kind cfg_link;
extern const struct cfg_kind cfg_lookup;
extern const struct cfg_kind cfg_pa;
extern const struct cfg_kind cfg_subnet;
extern const struct cfg_kind cfg_route;

/*
 * Objects of one kind with the line of the file that named each (0 for
 * objects of the running state), sorted by key once cfg_set_sort() ran.
 */
struct cfg_set {
	const struct cfg_kind *kind;
	char *items;		/* n items of cfg_item_size(kind) bytes */
	size_t n;
	size_t cap;
};

void cfg_set_init(struct cfg_set *set, const struct cfg_kind *kind);
void cfg_set_free(struct cfg_set *set);
/* Append a copy of obj; -ENOMEM or 0. */
int cfg_set_add(struct cfg_set *set, const void *obj, unsigned long line);
void *cfg_set_obj(const struct cfg_set *set, size_t i);

unsigned long cfg_set_line(const struct cfg_set *set, size_t i);
/*
 * Sort by key, then by line. Returns the index of the first item whose
 * key an earlier one has (a duplicate), or -1.
 */
long cfg_set_sort(struct cfg_set *set);

/*
 * Parse a whole configuration file: every line is blank, a comment or
 * the command of one of the nkinds kinds; the objects go to sets[i] of
 * kinds[i] (initialised by the caller), sorted. On the first bad line or
 * duplicate object, err gets "NAME:LINE: message" and -1 is returned
 * (the sets hold what was read); -ENOMEM when out of memory.
 */
int cfg_parse_file(FILE *fp, const char *name,
		   const struct cfg_kind *const *kinds, size_t nkinds,
		   struct cfg_set *sets, char *err, size_t len);

enum cfg_op {
	CFG_ADD,	/* in want only: create it */
	CFG_CHANGE,	/* in both, parameters differ */
	CFG_DEL,	/* in cur only: delete it */
};

/*
 * One difference: cur is NULL for CFG_ADD, want for CFG_DEL; line is
 * the file's line of want (0 for CFG_DEL). A nonzero return stops the
 * walk and is returned by cfg_diff().
 */
typedef int (*cfg_diff_fn)(enum cfg_op op, const void *cur, const void *want,
			   unsigned long line, void *arg);

/*
 * Walk two sorted sets of one kind in key order and call fn for every
 * object to add, change or delete to make cur equal to want. Objects that
 * are the same in both give no call. Returns 0 or what fn returned.
 */
int cfg_diff(const struct cfg_set *cur, const struct cfg_set *want,
	     cfg_diff_fn fn, void *arg);

#endif /* NVGRECTL_CONFIG_H */
