// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration files of save and restore: the object kinds of nvgre,
 * sorted sets of objects, the file parser and the difference of two sets.
 * The parsers of the commands (parse.c) read the lines.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/nvgre.h>

#include "array.h"
#include "config.h"
#include "parse.h"

/* ---- devices: add-link ----------------------------------------------- */

/*
 * The kernel reports every parameter, the defaults as 0: a parameter
 * given with its default value is the same as one not given.
 */
static void link_normalize(struct nvgre_link_req *l)
{
	l->has_rdid = l->rdid != 0;
	l->has_ttl = l->ttl != 0;
	l->has_tos = l->tos != 0;
	if (!l->has_local)
		memset(&l->local, 0, sizeof(l->local));
	if (!l->has_local6)
		memset(&l->local6, 0, sizeof(l->local6));
	if (!l->has_group)
		memset(&l->group, 0, sizeof(l->group));
}

static int link_parse(int argc, char **argv, void *obj, char *err,
		      size_t len)
{
	if (parse_link_add(argc, argv, obj, err, len))
		return -1;
	link_normalize(obj);
	return 0;
}

/* A device's key is its name. */
static int link_name_cmp(const void *a, const void *b)
{
	const struct nvgre_link_req *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static bool link_same(const void *a, const void *b)
{
	const struct nvgre_link_req *x = a, *y = b;

	return x->vsid == y->vsid && x->has_local == y->has_local &&
	       x->local.s_addr == y->local.s_addr &&
	       x->has_local6 == y->has_local6 &&
	       !memcmp(&x->local6, &y->local6, sizeof(x->local6)) &&
	       x->rdid == y->rdid &&
	       x->ttl == y->ttl && x->tos == y->tos &&
	       x->has_group == y->has_group &&
	       x->group.s_addr == y->group.s_addr;
}

/*
 * A device name as one batch word: the quote to put around it, NULL (and
 * one line in err) if it cannot be said. A '"' cannot (quotes only
 * group), a leading '#' would start a comment unless quoted.
 */
static const char *name_quote(const char *name, char *err, size_t errlen)
{
	if (strchr(name, '"')) {
		snprintf(err, errlen,
			 "Error: the name of device \"%s\" has a '\"', which a batch file cannot hold.",
			 name);
		return NULL;
	}
	return name[0] == '#' ? "\"" : "";
}

static int link_format(const void *obj, char *buf, size_t len, char *err,
		       size_t errlen)
{
	const struct nvgre_link_req *l = obj;
	const char *q = name_quote(l->name, err, errlen);
	size_t n;

	if (!q)
		return -1;
	n = snprintf(buf, len, "add-link %s%s%s vsid %u", q, l->name, q,
		     l->vsid);
	if (l->has_local && n < len) {
		char local[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &l->local, local, sizeof(local));
		n += snprintf(buf + n, len - n, " local %s", local);
	}
	if (l->has_local6 && n < len) {
		char local[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, &l->local6, local, sizeof(local));
		n += snprintf(buf + n, len - n, " local %s", local);
	}
	if (l->rdid && n < len)
		n += snprintf(buf + n, len - n, " rdid %u", l->rdid);
	if (l->ttl && n < len)
		n += snprintf(buf + n, len - n, " ttl %u", l->ttl);
	if (l->tos == NVGRE_TOS_INHERIT && n < len)
		n += snprintf(buf + n, len - n, " tos inherit");
	else if (l->tos && n < len)
		n += snprintf(buf + n, len - n, " tos 0x%02x", l->tos);
	if (l->has_group && n < len) {
		char group[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &l->group, group, sizeof(group));
		n += snprintf(buf + n, len - n, " group %s", group);
	}
	if (n < len)
		snprintf(buf + n, len - n, "\n");
	return 0;
}

const struct cfg_kind cfg_link = {
	.cmd	= "add-link",
	.size	= sizeof(struct nvgre_link_req),
	.parse	= link_parse,
	.cmp	= link_name_cmp,
	.same	= link_same,
	.format	= link_format,
};

/* ---- lookup records: add-lookup -------------------------------------- */

static int lookup_parse(int argc, char **argv, void *obj, char *err,
			size_t len)
{
	return parse_lookup_add(argc, argv, obj, err, len);
}

/*
 * By VSID, then type (static, l2only, gateway), then IPv4 before IPv6 and
 * address, or MAC for l2only: the order of save and of show-lookup; the
 * key of a record.
 */
static int lookup_cmp(const void *a, const void *b)
{
	const struct nvgre_lookup_req *x = a, *y = b;

	if (x->vsid != y->vsid)
		return x->vsid < y->vsid ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->type == NVGRE_LOOKUP_L2ONLY)
		return memcmp(x->mac, y->mac, sizeof(x->mac));
	if (x->type == NVGRE_LOOKUP_GATEWAY)
		return 0;
	return nvgre_ip_cmp(&x->ca, &y->ca);
}

static bool lookup_same(const void *a, const void *b)
{
	const struct nvgre_lookup_req *x = a, *y = b;

	return x->pa.family == y->pa.family &&
	       !memcmp(&x->pa.v6, &y->pa.v6, x->pa.family == AF_INET ?
		       sizeof(x->pa.v4) : sizeof(x->pa.v6)) &&
	       !memcmp(x->mac, y->mac, sizeof(x->mac)) &&
	       x->proto == y->proto;
}

static int lookup_format(const void *obj, char *buf, size_t len, char *err,
			 size_t errlen)
{
	const struct nvgre_lookup_req *r = obj;
	char ca[INET6_ADDRSTRLEN], pa[INET6_ADDRSTRLEN];
	char proto[16] = "";
	const uint8_t *m = r->mac;

	(void)err;
	(void)errlen;
	/* A record added by hand is saved as before protocols existed. */
	if (r->proto != NVGRE_PROTO_ADMIN) {
		memcpy(proto, " proto ", 7);
		lookup_proto_name(r->proto, proto + 7, sizeof(proto) - 7);
	}
	inet_ntop(r->pa.family, &r->pa.v6, pa, sizeof(pa));
	if (r->type != NVGRE_LOOKUP_STATIC) {
		snprintf(buf, len,
			 "add-lookup vsid %u pa %s mac %02x:%02x:%02x:%02x:%02x:%02x type %s%s\n",
			 r->vsid, pa, m[0], m[1], m[2], m[3], m[4], m[5],
			 lookup_type_name(r->type), proto);
		return 0;
	}
	inet_ntop(r->ca.family, &r->ca.v6, ca, sizeof(ca));
	snprintf(buf, len,
		 "add-lookup %s vsid %u pa %s mac %02x:%02x:%02x:%02x:%02x:%02x%s\n",
		 ca, r->vsid, pa, m[0], m[1], m[2], m[3], m[4], m[5], proto);
	return 0;
}

const struct cfg_kind cfg_lookup = {
	.cmd	= "add-lookup",
	.size	= sizeof(struct nvgre_lookup_req),
	.parse	= lookup_parse,
	.cmp	= lookup_cmp,
	.same	= lookup_same,
	.format	= lookup_format,
};

/* ---- provider addresses: add-pa -------------------------------------- */

static int pa_parse(int argc, char **argv, void *obj, char *err, size_t len)
{
	return parse_pa_add(argc, argv, obj, err, len);
}

/* IPv4 before IPv6, then by address: show-pa's order. */
static int pa_cmp(const void *a, const void *b)
{
	const struct nvgre_pa_req *x = a, *y = b;

	return nvgre_ip_cmp(&x->pa, &y->pa);
}

static bool pa_same(const void *a, const void *b)
{
	const struct nvgre_pa_req *x = a, *y = b;

	return !strcmp(x->dev, y->dev);
}

static int pa_format(const void *obj, char *buf, size_t len, char *err,
		     size_t errlen)
{
	const struct nvgre_pa_req *p = obj;
	const char *q = name_quote(p->dev, err, errlen);
	char pa[INET6_ADDRSTRLEN];

	if (!q)
		return -1;
	inet_ntop(p->pa.family, &p->pa.v6, pa, sizeof(pa));
	snprintf(buf, len, "add-pa %s dev %s%s%s\n", pa, q, p->dev, q);
	return 0;
}

const struct cfg_kind cfg_pa = {
	.cmd	= "add-pa",
	.size	= sizeof(struct nvgre_pa_req),
	.parse	= pa_parse,
	.cmp	= pa_cmp,
	.same	= pa_same,
	.format	= pa_format,
};

/* ---- virtual subnets: add-subnet ------------------------------------ */

static int subnet_parse(int argc, char **argv, void *obj, char *err,
			size_t len)
{
	return parse_subnet_add(argc, argv, obj, err, len);
}

/* By VSID, IPv4 before IPv6, then by prefix and length. */
static int subnet_cmp(const void *a, const void *b)
{
	const struct nvgre_subnet_req *x = a, *y = b;
	int d;

	if (x->vsid != y->vsid)
		return x->vsid < y->vsid ? -1 : 1;
	d = nvgre_ip_cmp(&x->prefix, &y->prefix);
	if (d)
		return d;
	return (int)x->plen - (int)y->plen;
}

/*
 * The same gateway: a file's line without one means the default, the
 * first address of the prefix, which is what the kernel reports.
 */
static void subnet_gw(const struct nvgre_subnet_req *r, struct nvgre_ip *gw)
{
	uint8_t *last;

	if (r->has_gw) {
		*gw = r->gw;
		return;
	}
	*gw = r->prefix;
	last = gw->family == AF_INET ? (uint8_t *)&gw->v4 + 3 :
				       &gw->v6.s6_addr[15];
	*last |= 1;
}

/* Without rdid, a line means the device's: any RDID is the same. */
static bool subnet_same(const void *a, const void *b)
{
	const struct nvgre_subnet_req *p = a, *q = b;
	struct nvgre_ip x, y;

	if (p->has_rdid && q->has_rdid && p->rdid != q->rdid)
		return false;
	subnet_gw(p, &x);
	subnet_gw(q, &y);
	return !memcmp(&x.v6, &y.v6, sizeof(x.v6));
}

static int subnet_format(const void *obj, char *buf, size_t len,
			     char *err, size_t errlen)
{
	const struct nvgre_subnet_req *r = obj;
	char pfx[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];
	struct nvgre_ip g;

	(void)err;
	(void)errlen;
	subnet_gw(r, &g);
	inet_ntop(r->prefix.family, &r->prefix.v6, pfx, sizeof(pfx));
	inet_ntop(g.family, &g.v6, gw, sizeof(gw));
	if (r->has_rdid)
		snprintf(buf, len, "add-subnet %s/%u vsid %u rdid %u gateway %s\n",
			 pfx, r->plen, r->vsid, r->rdid, gw);
	else
		snprintf(buf, len, "add-subnet %s/%u vsid %u gateway %s\n",
			 pfx, r->plen, r->vsid, gw);
	return 0;
}

const struct cfg_kind cfg_subnet = {
	.cmd	= "add-subnet",
	.size	= sizeof(struct nvgre_subnet_req),
	.parse	= subnet_parse,
	.cmp	= subnet_cmp,
	.same	= subnet_same,
	.format	= subnet_format,
};

/* ---- customer routes: add-route -------------------------------------- */

static int route_parse(int argc, char **argv, void *obj, char *err,
		       size_t len)
{
	struct nvgre_route_req *r = obj;

	if (parse_route_add(argc, argv, r, err, len))
		return -1;
	/* Without metric: 0, as the kernel reports it. */
	r->has_metric = true;
	return 0;
}

/* By RDID, IPv4 before IPv6, prefix, longer first, then metric. */
static int route_cmp(const void *a, const void *b)
{
	const struct nvgre_route_req *x = a, *y = b;
	int d;

	if (x->rdid != y->rdid)
		return x->rdid < y->rdid ? -1 : 1;
	d = nvgre_ip_cmp(&x->prefix, &y->prefix);
	if (d)
		return d;
	if (x->plen != y->plen)
		return x->plen > y->plen ? -1 : 1;
	if (x->metric != y->metric)
		return x->metric < y->metric ? -1 : 1;
	return 0;
}

static bool route_same(const void *a, const void *b)
{
	const struct nvgre_route_req *x = a, *y = b;

	return x->has_vsid == y->has_vsid &&
	       (!x->has_vsid || x->vsid == y->vsid) &&
	       x->has_nh == y->has_nh &&
	       (!x->has_nh || !nvgre_ip_cmp(&x->nh, &y->nh));
}

static int route_format(const void *obj, char *buf, size_t len,
			    char *err, size_t errlen)
{
	const struct nvgre_route_req *r = obj;
	char pfx[INET6_ADDRSTRLEN], nh[INET6_ADDRSTRLEN + 16] = "";
	char vsid[24] = "";

	(void)err;
	(void)errlen;
	inet_ntop(r->prefix.family, &r->prefix.v6, pfx, sizeof(pfx));
	if (r->has_vsid)
		snprintf(vsid, sizeof(vsid), " vsid %u", r->vsid);
	if (r->has_nh) {
		char addr[INET6_ADDRSTRLEN];

		inet_ntop(r->nh.family, &r->nh.v6, addr, sizeof(addr));
		snprintf(nh, sizeof(nh), " nexthop %s", addr);
	}
	snprintf(buf, len, "add-route %s/%u rdid %u%s%s metric %u\n", pfx,
		 r->plen, r->rdid, vsid, nh, r->metric);
	return 0;
}

const struct cfg_kind cfg_route = {
	.cmd	= "add-route",
	.size	= sizeof(struct nvgre_route_req),
	.parse	= route_parse,
	.cmp	= route_cmp,
	.same	= route_same,
	.format	= route_format,
};

/* ---- sets -------------------------------------------------------------- */

/*
 * An item is the line number, then the object at CFG_OBJ_OFF, aligned
 * for any type.
 */
#define CFG_OBJ_OFF	16
#define CFG_ALIGN(x)	(((x) + 15) & ~(size_t)15)

static size_t cfg_item_size(const struct cfg_kind *kind)
{
	return CFG_OBJ_OFF + CFG_ALIGN(kind->size);
}

void cfg_set_init(struct cfg_set *set, const struct cfg_kind *kind)
{
	memset(set, 0, sizeof(*set));
	set->kind = kind;
}

void cfg_set_free(struct cfg_set *set)
{
	free(set->items);
	set->items = NULL;
	set->n = 0;
	set->cap = 0;
}

static char *cfg_item(const struct cfg_set *set, size_t i)
{
	return set->items + i * cfg_item_size(set->kind);
}

void *cfg_set_obj(const struct cfg_set *set, size_t i)
{
	return cfg_item(set, i) + CFG_OBJ_OFF;
}

unsigned long cfg_set_line(const struct cfg_set *set, size_t i)
{
	unsigned long line;

	memcpy(&line, cfg_item(set, i), sizeof(line));
	return line;
}

int cfg_set_add(struct cfg_set *set, const void *obj, unsigned long line)
{
	size_t size = cfg_item_size(set->kind);
	char *item;
	void *p;

	p = array_grow(set->items, &set->cap, set->n, size, 64);
	if (!p)
		return -ENOMEM;
	set->items = p;
	item = set->items + set->n * size;
	memset(item, 0, size);
	memcpy(item, &line, sizeof(line));
	memcpy(item + CFG_OBJ_OFF, obj, set->kind->size);
	set->n++;
	return 0;
}

static int cfg_item_cmp(const void *a, const void *b, void *arg)
{
	const struct cfg_kind *kind = arg;
	unsigned long la, lb;
	int ret;

	ret = kind->cmp((const char *)a + CFG_OBJ_OFF,
			(const char *)b + CFG_OBJ_OFF);
	if (ret)
		return ret;
	memcpy(&la, a, sizeof(la));
	memcpy(&lb, b, sizeof(lb));
	return la < lb ? -1 : la > lb;
}

long cfg_set_sort(struct cfg_set *set)
{
	size_t i;

	if (set->n < 2)
		return -1;
	qsort_r(set->items, set->n, cfg_item_size(set->kind), cfg_item_cmp,
		(void *)set->kind);
	for (i = 1; i < set->n; i++)
		if (!set->kind->cmp(cfg_set_obj(set, i - 1), cfg_set_obj(set, i)))
			return i;
	return -1;
}

/* ---- files ------------------------------------------------------------- */

/* "NAME:LINE: msg" from a parser's "Error: msg". */
static int cfg_error(char *err, size_t len, const char *name,
		     unsigned long line, const char *msg)
{
	const char *prefix = "Error: ";

	if (!strncmp(msg, prefix, strlen(prefix)))
		msg += strlen(prefix);
	snprintf(err, len, "%s:%lu: %s", name, line, msg);
	return -1;
}

static int cfg_parse_line(char *text, const char *name, unsigned long line,
			  const struct cfg_kind *const *kinds, size_t nkinds,
			  struct cfg_set *sets, void *obj, char *err,
			  size_t len)
{
	char *argv[BATCH_MAX_ARGS], msg[PARSE_ERR_LEN];
	int argc;
	size_t k;

	if (parse_batch_line(text, argv, BATCH_MAX_ARGS, &argc, msg,
			     sizeof(msg)))
		return cfg_error(err, len, name, line, msg);
	if (!argc)
		return 0;
	for (k = 0; k < nkinds; k++)
		if (!strcmp(argv[0], kinds[k]->cmd))
			break;
	if (k == nkinds) {
		snprintf(msg, sizeof(msg),
			 "\"%s\" does not belong in a configuration file, only the add- commands of save",
			 argv[0]);
		return cfg_error(err, len, name, line, msg);
	}
	if (kinds[k]->parse(argc - 1, argv + 1, obj, msg, sizeof(msg)))
		return cfg_error(err, len, name, line, msg);
	return cfg_set_add(&sets[k], obj, line);
}

/* After the sort: the first duplicate of any set, by line. */
static int cfg_check_dups(const char *name, struct cfg_set *sets,
			  size_t nkinds, char *err, size_t len)
{
	unsigned long line = 0, first = 0;
	char msg[PARSE_ERR_LEN];
	size_t k;

	for (k = 0; k < nkinds; k++) {
		long d = cfg_set_sort(&sets[k]);

		if (d >= 0 && (!line || cfg_set_line(&sets[k], d) < line)) {
			line = cfg_set_line(&sets[k], d);
			first = cfg_set_line(&sets[k], d - 1);
		}
	}
	if (!line)
		return 0;
	snprintf(msg, sizeof(msg), "the same object as line %lu", first);
	return cfg_error(err, len, name, line, msg);
}

int cfg_parse_file(FILE *fp, const char *name,
		   const struct cfg_kind *const *kinds, size_t nkinds,
		   struct cfg_set *sets, char *err, size_t len)
{
	unsigned long line = 0;
	size_t k, size = 0;
	char *text = NULL;
	void *obj = NULL;
	size_t cap = 0;
	int ret = 0;

	for (k = 0; k < nkinds; k++)
		if (kinds[k]->size > size)
			size = kinds[k]->size;
	obj = malloc(size);
	if (!obj)
		return -ENOMEM;
	while (!ret && getline(&text, &cap, fp) >= 0)
		ret = cfg_parse_line(text, name, ++line, kinds, nkinds, sets,
				     obj, err, len);
	if (!ret && ferror(fp)) {
		snprintf(err, len, "%s: cannot be read", name);
		ret = -1;
	}
	if (!ret)
		ret = cfg_check_dups(name, sets, nkinds, err, len);
	free(text);
	free(obj);
	return ret;
}

/* ---- differences ------------------------------------------------------- */

int cfg_diff(const struct cfg_set *cur, const struct cfg_set *want,
	     cfg_diff_fn fn, void *arg)
{
	const struct cfg_kind *kind = want->kind;
	size_t i = 0, j = 0;
	int ret = 0;

	while (!ret && (i < cur->n || j < want->n)) {
		const void *c = i < cur->n ? cfg_set_obj(cur, i) : NULL;
		const void *w = j < want->n ? cfg_set_obj(want, j) : NULL;
		int order = !c ? 1 : !w ? -1 : kind->cmp(c, w);

		if (order < 0) {
			ret = fn(CFG_DEL, c, NULL, 0, arg);
			i++;
		} else if (order > 0) {
			ret = fn(CFG_ADD, NULL, w, cfg_set_line(want, j), arg);
			j++;
		} else {
			if (!kind->same(c, w))
				ret = fn(CFG_CHANGE, c, w,
					 cfg_set_line(want, j), arg);
			i++;
			j++;
		}
	}
	return ret;
}
