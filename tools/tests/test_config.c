// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the configuration files of save and restore (config.c),
 * printed as KTAP: the lines save writes, what the file parser accepts
 * and the FILE:LINE of what it refuses, the order of sets, and the
 * differences restore turns into requests.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/nvgre.h>

#include "config.h"
#include "parse.h"
#include "tests/ktap.h"

#define NTESTS	27

static const struct cfg_kind *const kinds[] = {
	&cfg_link, &cfg_lookup, &cfg_pa
};
#define NKINDS	3

struct parsed {
	struct cfg_set sets[NKINDS];
	char err[512];
	int ret;
};

/* Parse text as the file "t.conf". */
static void parse_text(struct parsed *p, const char *text)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	size_t k;

	for (k = 0; k < NKINDS; k++)
		cfg_set_init(&p->sets[k], kinds[k]);
	p->err[0] = '\0';
	p->ret = fp ? cfg_parse_file(fp, "t.conf", kinds, NKINDS, p->sets,
				     p->err, sizeof(p->err)) : -1;
	if (fp)
		fclose(fp);
}

static void parsed_free(struct parsed *p)
{
	size_t k;

	for (k = 0; k < NKINDS; k++)
		cfg_set_free(&p->sets[k]);
}

/* The lines the sets format to, in order, into buf. */
static void format_all(const struct parsed *p, char *buf, size_t len)
{
	char line[CFG_LINE_LEN + PARSE_ERR_LEN], err[PARSE_ERR_LEN];
	size_t k, i, n = 0;

	buf[0] = '\0';
	for (k = 0; k < NKINDS; k++)
		for (i = 0; i < p->sets[k].n && n < len; i++) {
			if (kinds[k]->format(cfg_set_obj(&p->sets[k], i), line,
					     sizeof(line), err, sizeof(err)))
				snprintf(line, sizeof(line), "%s\n", err);
			n += snprintf(buf + n, len - n, "%s", line);
		}
}

static const char canonical[] =
	"add-link nv5001 vsid 5001\n"
	"add-link nv6001 vsid 6001 local 192.0.2.1 rdid 7 ttl 64 tos inherit\n"
	"add-link nv7001 vsid 7001 tos 0xb8\n"
	"add-link nv8001 vsid 8001 local 192.0.2.1 local 2001:db8::1\n"
	"add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:01\n"
	"add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:02\n"
	"add-lookup 10.0.0.3 vsid 5001 pa 2001:db8::3 mac 02:00:00:00:00:04\n"
	"add-lookup 2001:db8::1 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:01\n"
	"add-lookup 10.0.0.1 vsid 6001 pa 192.0.2.2 mac 02:00:00:00:00:03\n"
	"add-lookup 10.0.0.2 vsid 6001 pa 192.0.2.2 mac 02:00:00:00:00:05 proto agent\n"
	"add-lookup vsid 6001 pa 192.0.2.3 mac 02:00:00:00:00:06 type gateway proto 77\n";

static void test_format(void)
{
	static const char shuffled[] =
		"# a comment\n"
		"add-lookup 10.0.0.1 vsid 6001 pa 192.0.2.2 mac 02:00:00:00:00:03\n"
		"\n"
		"add-link nv7001 vsid 7001 tos 184 ttl inherit rdid 0\n"
		"add-lookup 2001:db8:0::1 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:01\n"
		"  add-link   nv6001 tos inherit vsid 6001 ttl 64 rdid 7 local 192.0.2.1 # x\n"
		"add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:02\n"
		"add-link nv5001 vsid 5001\n"
		"add-lookup 10.0.0.3 vsid 5001 pa 2001:DB8:0::3 mac 02:00:00:00:00:04\n"
		"add-link nv8001 local 2001:db8::1 vsid 8001 local 192.0.2.1\n"
		"add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:01 proto admin\n"
		"add-lookup vsid 6001 proto 77 pa 192.0.2.3 mac 02:00:00:00:00:06 type gateway\n"
		"add-lookup 10.0.0.2 vsid 6001 pa 192.0.2.2 mac 02:00:00:00:00:05 proto 1";
	struct parsed p, q;
	char out[2048], again[2048];

	parse_text(&p, canonical);
	format_all(&p, out, sizeof(out));
	report(!p.ret && !strcmp(out, canonical),
	       "format: the canonical file reads back as itself");

	parse_text(&q, shuffled);
	format_all(&q, again, sizeof(again));
	report(!q.ret && !strcmp(again, canonical),
	       "format: any order, spacing, comments and default values give the canonical lines");
	report(q.sets[0].n == 4 && cfg_set_line(&q.sets[0], 0) == 8 &&
	       cfg_set_line(&q.sets[0], 1) == 6 &&
	       cfg_set_line(&q.sets[0], 3) == 10 &&
	       cfg_set_line(&q.sets[1], 0) == 11,
	       "parse: every object keeps its line");
	parsed_free(&p);
	parsed_free(&q);
}

static void test_proto(void)
{
	struct nvgre_lookup_req a = {
		.ca = { .family = AF_INET }, .vsid = 5001,
		.pa = { .family = AF_INET }, .proto = NVGRE_PROTO_AGENT,
	};
	struct nvgre_lookup_req b = a;

	report(cfg_lookup.same(&a, &b), "same: equal records with a protocol");
	b.proto = NVGRE_PROTO_ADMIN;
	report(!cfg_lookup.same(&a, &b) && !cfg_lookup.cmp(&a, &b),
	       "same: a record of another protocol has the same key but differs");
}

static void test_names(void)
{
	char line[CFG_LINE_LEN], err[PARSE_ERR_LEN];
	struct nvgre_link_req l = { .name = "#x", .vsid = 5001 };
	struct parsed p;

	report(!cfg_link.format(&l, line, sizeof(line), err, sizeof(err)) &&
	       !strcmp(line, "add-link \"#x\" vsid 5001\n"),
	       "format: a name starting with '#' is quoted");
	parse_text(&p, line);
	report(!p.ret && p.sets[0].n == 1 &&
	       !strcmp(((struct nvgre_link_req *)cfg_set_obj(&p.sets[0], 0))->name, "#x"),
	       "parse: the quoted name reads back");
	parsed_free(&p);
	strcpy(l.name, "a\"b");
	report(cfg_link.format(&l, line, sizeof(line), err, sizeof(err)) &&
	       strstr(err, "a batch file cannot hold"),
	       "format: a name with '\"' is refused, not written wrong");
}

/* text must fail with exactly want. */
static void expect_error(const char *text, const char *want, const char *name)
{
	struct parsed p;

	parse_text(&p, text);
	report(p.ret == -1 && !strcmp(p.err, want), name);
	if (p.ret != -1 || strcmp(p.err, want))
		printf("# got %d \"%s\"\n", p.ret, p.err);
	parsed_free(&p);
}

static void test_errors(void)
{
	expect_error("add-link nv1 vsid 5001\n\nadd-link nv2 vsid 17\n",
		     "t.conf:3: argument \"17\" is wrong: VSID must be a number in 4096-16777214",
		     "parse: a bad value is FILE:LINE and the parser's message");
	expect_error("add-link nv1 vsid 5001\ndel-link nv1\n",
		     "t.conf:2: \"del-link\" does not belong in a configuration file, only the add- commands of save",
		     "parse: commands other than the add- ones are refused");
	expect_error("add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:01\n"
		     "add-link nv1 vsid 5001\n"
		     "add-link nv1 vsid 5002\n"
		     "add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:01\n",
		     "t.conf:3: the same object as line 2",
		     "parse: the first duplicate by line, naming the first one");
	expect_error("add-link \"nv1 vsid 5001\n",
		     "t.conf:1: unterminated double quote.",
		     "parse: a batch syntax error is FILE:LINE");
	expect_error("add-lookup 10.0.0.1 vsid 5001\n",
		     "t.conf:1: \"pa\" is required.",
		     "parse: a missing keyword is FILE:LINE");
}

struct diff_log {
	char text[2048];
	size_t n;
	int stop_after;		/* calls before returning 1; -1: never */
};

static int log_diff(enum cfg_op op, const void *cur, const void *want,
		    unsigned long line, void *arg)
{
	static const char *const names[] = { "add", "change", "del" };
	const struct nvgre_lookup_req *r = want ? want : cur;
	struct diff_log *log = arg;
	char ca[INET6_ADDRSTRLEN];

	inet_ntop(r->ca.family, &r->ca.v6, ca, sizeof(ca));
	log->n += snprintf(log->text + log->n, sizeof(log->text) - log->n,
			   "%s %s/%u line %lu\n", names[op], ca, r->vsid, line);
	if (log->stop_after >= 0 && !log->stop_after--)
		return 7;
	return 0;
}

static void test_diff(void)
{
	static const char cur_text[] =
		"add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:01\n"
		"add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:02\n"
		"add-lookup 10.0.0.3 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:03\n"
		"add-lookup 10.0.0.4 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:04\n"
		"add-lookup 10.0.0.1 vsid 7001 pa 192.0.2.2 mac 02:00:00:00:00:03\n";
	static const char want_text[] =
		"add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:01\n"
		"add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.3 mac 02:00:00:00:00:02\n"
		"add-lookup 10.0.0.4 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:44\n"
		"add-lookup 2001:db8::1 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:01\n"
		"add-lookup 10.0.0.1 vsid 6001 pa 192.0.2.2 mac 02:00:00:00:00:03\n";
	struct diff_log log = { .stop_after = -1 };
	struct parsed cur, want, empty;
	bool ok;
	int ret;

	parse_text(&cur, cur_text);
	parse_text(&want, want_text);
	parse_text(&empty, "");
	ret = cfg_diff(&cur.sets[1], &cur.sets[1], log_diff, &log);
	report(!ret && !log.n, "diff: a state against itself: nothing");

	ret = cfg_diff(&cur.sets[1], &want.sets[1], log_diff, &log);
	ok = !ret && !strcmp(log.text,
			     "change 10.0.0.2/5001 line 2\n"
			     "del 10.0.0.3/5001 line 0\n"
			     "change 10.0.0.4/5001 line 3\n"
			     "add 2001:db8::1/5001 line 4\n"
			     "add 10.0.0.1/6001 line 5\n"
			     "del 10.0.0.1/7001 line 0\n");
	report(ok, "diff: changed PA or MAC, added and deleted, in key order");
	if (!ok)
		printf("# got:\n%s", log.text);

	memset(&log, 0, sizeof(log));
	log.stop_after = -1;
	ret = cfg_diff(&empty.sets[1], &want.sets[1], log_diff, &log);
	report(!ret && log.n && !strstr(log.text, "del") &&
	       !strstr(log.text, "change"),
	       "diff: onto an empty state everything is added");

	memset(&log, 0, sizeof(log));
	log.stop_after = -1;
	ret = cfg_diff(&cur.sets[1], &empty.sets[1], log_diff, &log);
	report(!ret && !strstr(log.text, "add") &&
	       !strstr(log.text, "change") && strstr(log.text, "10.0.0.1/7001"),
	       "diff: an empty file deletes everything");

	memset(&log, 0, sizeof(log));
	log.stop_after = 1;
	ret = cfg_diff(&cur.sets[1], &want.sets[1], log_diff, &log);
	report(ret == 7 && !strcmp(log.text,
				   "change 10.0.0.2/5001 line 2\n"
				   "del 10.0.0.3/5001 line 0\n"),
	       "diff: a failing step stops the walk with its error");
	parsed_free(&cur);
	parsed_free(&want);
	parsed_free(&empty);
}

static int log_link(enum cfg_op op, const void *cur, const void *want,
		    unsigned long line, void *arg)
{
	static const char *const names[] = { "add", "change", "del" };
	const struct nvgre_link_req *l = want ? want : cur;
	struct diff_log *log = arg;

	log->n += snprintf(log->text + log->n, sizeof(log->text) - log->n,
			   "%s %s line %lu\n", names[op], l->name, line);
	return 0;
}

static void test_links(void)
{
	struct parsed cur, want;
	struct diff_log log = { .n = 0 };
	const struct nvgre_link_req *a, *b;

	parse_text(&cur, "add-link nv1 vsid 5001 ttl 64\nadd-link nv2 vsid 5002\n");
	parse_text(&want, "add-link nv1 vsid 5001 ttl 64 rdid 0 tos 0\n"
			  "add-link nv2 vsid 5002 local 192.0.2.1\n");
	a = cfg_set_obj(&cur.sets[0], 0);
	b = cfg_set_obj(&want.sets[0], 0);
	report(cfg_link.same(a, b),
	       "links: a default written out is the same as none");
	a = cfg_set_obj(&cur.sets[0], 1);
	b = cfg_set_obj(&want.sets[0], 1);
	report(!cfg_link.same(a, b) && !cfg_link.cmp(a, b),
	       "links: the same name with another local PA differs");
	report(!cfg_diff(&cur.sets[0], &want.sets[0], log_link, &log) &&
	       !strcmp(log.text, "change nv2 line 2\n"),
	       "links: only the device whose parameters differ is changed");
	parsed_free(&cur);
	parsed_free(&want);
}

static int log_pa(enum cfg_op op, const void *cur, const void *want,
		  unsigned long line, void *arg)
{
	static const char *const names[] = { "add", "change", "del" };
	const struct nvgre_pa_req *p = want ? want : cur;
	struct diff_log *log = arg;
	char pa[INET6_ADDRSTRLEN];

	inet_ntop(p->pa.family, &p->pa.v6, pa, sizeof(pa));
	log->n += snprintf(log->text + log->n, sizeof(log->text) - log->n,
			   "%s %s dev %s line %lu\n", names[op], pa, p->dev,
			   line);
	return 0;
}

static void test_pas(void)
{
	static const char want_text[] =
		"add-pa 2001:db8:0::1 dev ul0\n"
		"add-pa 192.0.2.10 dev d0\n"
		"  add-pa 192.0.2.1 dev ul0 # the host\n"
		"add-pa 192.0.2.3 dev \"#d\"\n";
	static const char canonical_pa[] =
		"add-pa 192.0.2.1 dev ul0\n"
		"add-pa 192.0.2.3 dev \"#d\"\n"
		"add-pa 192.0.2.10 dev d0\n"
		"add-pa 2001:db8::1 dev ul0\n";
	char line[CFG_LINE_LEN], err[PARSE_ERR_LEN], out[1024];
	struct nvgre_pa_req q = { .dev = "a\"b" };
	struct diff_log log = { .stop_after = -1 };
	const struct nvgre_pa_req *a, *b;
	struct parsed cur, want;
	bool ok;

	parse_text(&want, want_text);
	format_all(&want, out, sizeof(out));
	report(!want.ret && !strcmp(out, canonical_pa) &&
	       cfg_set_line(&want.sets[2], 0) == 3,
	       "pas: IPv4 first, then by address, each with its line");
	if (strcmp(out, canonical_pa))
		printf("# got:\n%s", out);

	q.pa.family = AF_INET;
	report(cfg_pa.format(&q, line, sizeof(line), err, sizeof(err)) &&
	       strstr(err, "a batch file cannot hold"),
	       "pas: a device name with '\"' is refused, not written wrong");

	parse_text(&cur, "add-pa 192.0.2.1 dev ul0\n"
			 "add-pa 192.0.2.2 dev ul0\n"
			 "add-pa 192.0.2.3 dev ul0\n"
			 "add-pa 2001:db8::1 dev ul0\n");
	a = cfg_set_obj(&cur.sets[2], 2);
	b = cfg_set_obj(&want.sets[2], 1);
	report(!cfg_pa.cmp(a, b) && !cfg_pa.same(a, b) &&
	       cfg_pa.same(cfg_set_obj(&cur.sets[2], 3),
			   cfg_set_obj(&want.sets[2], 3)),
	       "pas: the same address on another device differs");

	report(!cfg_diff(&cur.sets[2], &cur.sets[2], log_pa, &log) && !log.n,
	       "pas: a state against itself: nothing");
	ok = !cfg_diff(&cur.sets[2], &want.sets[2], log_pa, &log) &&
	     !strcmp(log.text,
		     "del 192.0.2.2 dev ul0 line 0\n"
		     "change 192.0.2.3 dev #d line 4\n"
		     "add 192.0.2.10 dev d0 line 2\n");
	report(ok, "pas: a PA deleted, one moved to another device, one added");
	if (!ok)
		printf("# got:\n%s", log.text);
	parsed_free(&cur);
	parsed_free(&want);

	expect_error("add-pa 192.0.2.1 dev ul0\nadd-pa 192.0.2.1 dev d0\n",
		     "t.conf:2: the same object as line 1",
		     "pas: the same address twice is refused");
}

int main(void)
{
	printf("KTAP version 1\n1..%d\n", NTESTS);
	test_format();
	test_names();
	test_proto();
	test_errors();
	test_diff();
	test_links();
	test_pas();
	printf("# %d passed, %d failed\n", test_num - failed, failed);
	return failed || test_num != NTESTS;
}
