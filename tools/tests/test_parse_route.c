// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of parse_route.c: the subnet and route commands and
 * prefixes. KTAP.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "array.h"
#include "parse.h"


enum kind { ADD, DEL, SHOW, RADD, RDEL, RSHOW };

struct tcase {
	enum kind kind;
	const char *args;
	const char *want;
};

static const struct tcase cases[] = {
	{ ADD, "10.1.0.0/24 vsid 5001",
	  "10.1.0.0/24 vsid=5001 rdid=none gw=none" },
	{ ADD, "10.1.0.0/24 vsid 5001 rdid 100 gateway 10.1.0.254",
	  "10.1.0.0/24 vsid=5001 rdid=100 gw=10.1.0.254" },
	{ ADD, "2001:db8:1::/64 gateway 2001:db8:1::1 vsid 5001",
	  "2001:db8:1::/64 vsid=5001 rdid=none gw=2001:db8:1::1" },
	{ ADD, "0.0.0.0/0 vsid 5001", "0.0.0.0/0 vsid=5001 rdid=none gw=none" },
	{ ADD, "10.1.0.1/24 vsid 5001",
	  "Error: argument \"10.1.0.1/24\" is wrong: PREFIX must be ADDRESS/LENGTH with the host bits clear" },
	{ ADD, "10.1.0.0/33 vsid 5001",
	  "Error: argument \"10.1.0.0/33\" is wrong: PREFIX must be ADDRESS/LENGTH with the host bits clear" },
	{ ADD, "10.1.0.0 vsid 5001",
	  "Error: argument \"10.1.0.0\" is wrong: PREFIX must be ADDRESS/LENGTH with the host bits clear" },
	{ ADD, "2001:db8::/129 vsid 5001",
	  "Error: argument \"2001:db8::/129\" is wrong: PREFIX must be ADDRESS/LENGTH with the host bits clear" },
	{ ADD, "10.1.0.0/24", "Error: \"vsid\" is required." },
	{ ADD, "", "Error: PREFIX is required." },
	{ ADD, "10.1.0.0/24 vsid 4095",
	  "Error: argument \"4095\" is wrong: VSID must be a number in 4096-16777214" },
	{ ADD, "10.1.0.0/24 vsid 5001 vsid 5002",
	  "Error: duplicate \"vsid\": \"5002\" is the second value." },
	{ ADD, "10.1.0.0/24 vsid 5001 rdid 0",
	  "Error: argument \"0\" is wrong: RDID must be a number in 1-4294967295" },
	{ ADD, "10.1.0.0/24 vsid 5001 gateway 2001:db8::1",
	  "Error: argument \"2001:db8::1\" is wrong: the gateway must be an address of the prefix's family" },
	{ ADD, "10.1.0.0/24 vsid 5001 gateway",
	  "Error: missing value after \"gateway\"." },
	{ ADD, "10.1.0.0/24 vsid 5001 metric 1",
	  "Error: unknown argument \"metric\", try \"nvgrectl help\"." },
	{ DEL, "10.1.0.0/24 vsid 5001", "10.1.0.0/24 vsid=5001 rdid=none gw=none" },
	{ DEL, "10.1.0.0/24 vsid 5001 gateway 10.1.0.1",
	  "Error: unknown argument \"gateway\", try \"nvgrectl help\"." },
	{ SHOW, "", "vsid=none" },
	{ SHOW, "vsid 5001", "vsid=5001" },
	{ SHOW, "dev x", "Error: unknown argument \"dev\", try \"nvgrectl help\"." },
	{ RADD, "0.0.0.0/0 rdid 100 nexthop 10.1.0.254",
	  "0.0.0.0/0 rdid=100 vsid=none nh=10.1.0.254 metric=none" },
	{ RADD, "10.8.0.0/16 rdid 7 vsid 5001 metric 10",
	  "10.8.0.0/16 rdid=7 vsid=5001 nh=none metric=10" },
	{ RADD, "2001:db8::/32 via 2001:db8:1::fe rdid 7",
	  "2001:db8::/32 rdid=7 vsid=none nh=2001:db8:1::fe metric=none" },
	{ RADD, "10.8.0.0/16 rdid 7",
	  "Error: a route needs \"nexthop\" or \"vsid\" (on-link)." },
	{ RADD, "10.8.0.0/16 nexthop 10.1.0.1",
	  "Error: \"rdid\" is required." },
	{ RADD, "10.8.0.0/16 rdid 7 nexthop 2001:db8::1",
	  "Error: argument \"2001:db8::1\" is wrong: the next hop must be a CA of the prefix's family" },
	{ RADD, "10.8.0.0/16 rdid 7 vsid 5001 metric -1",
	  "Error: argument \"-1\" is wrong: METRIC must be a number in 0-4294967295" },
	{ RADD, "10.8.0.0/16 rdid 7 vsid 5001 metric 1 metric 2",
	  "Error: duplicate \"metric\": \"2\" is the second value." },
	{ RADD, "10.8.0.1/16 rdid 7 vsid 5001",
	  "Error: argument \"10.8.0.1/16\" is wrong: PREFIX must be ADDRESS/LENGTH with the host bits clear" },
	{ RDEL, "10.8.0.0/16 rdid 7", "10.8.0.0/16 rdid=7 vsid=none nh=none metric=none" },
	{ RDEL, "10.8.0.0/16 rdid 7 metric 3", "10.8.0.0/16 rdid=7 vsid=none nh=none metric=3" },
	{ RDEL, "10.8.0.0/16 rdid 7 nexthop 10.1.0.1",
	  "Error: unknown argument \"nexthop\", try \"nvgrectl help\"." },
	{ RSHOW, "", "rdid=none" },
	{ RSHOW, "rdid 0", "Error: argument \"0\" is wrong: RDID must be a number in 1-4294967295" },
	{ RSHOW, "rdid 9", "rdid=9" },
};

static void run_route(const struct tcase *t, int argc, char **argv,
		      char *got, size_t len)
{
	char pfx[INET6_ADDRSTRLEN], nh[INET6_ADDRSTRLEN] = "none";
	char vsid[16] = "none", metric[16] = "none", err[PARSE_ERR_LEN] = "";
	struct nvgre_route_filter f;
	struct nvgre_route_req r = { 0 };
	int rc;

	if (t->kind == RSHOW) {
		rc = parse_route_show(argc, argv, &f, err, sizeof(err));
		if (!rc && f.has_rdid)
			snprintf(got, len, "rdid=%u", f.rdid);
		else if (!rc)
			snprintf(got, len, "rdid=none");
		if (rc)
			snprintf(got, len, "%s", err);
		return;
	}
	rc = (t->kind == RADD ? parse_route_add : parse_route_del)
		(argc, argv, &r, err, sizeof(err));
	if (rc) {
		snprintf(got, len, "%s", err);
		return;
	}
	inet_ntop(r.prefix.family, &r.prefix.v6, pfx, sizeof(pfx));
	if (r.has_nh)
		inet_ntop(r.nh.family, &r.nh.v6, nh, sizeof(nh));
	if (r.has_vsid)
		snprintf(vsid, sizeof(vsid), "%u", r.vsid);
	if (r.has_metric)
		snprintf(metric, sizeof(metric), "%u", r.metric);
	snprintf(got, len, "%s/%u rdid=%u vsid=%s nh=%s metric=%s", pfx,
		 r.plen, r.rdid, vsid, nh, metric);
}

static void run(const struct tcase *t, char *got, size_t len)
{
	char buf[256], err[PARSE_ERR_LEN] = "", *argv[16], *w;
	struct nvgre_subnet_req req;
	struct nvgre_filter_req f;
	int argc = 0, rc;

	snprintf(buf, sizeof(buf), "%s", t->args);
	for (w = strtok(buf, " "); w && argc < 16; w = strtok(NULL, " "))
		argv[argc++] = w;
	if (t->kind >= RADD) {
		run_route(t, argc, argv, got, len);
		return;
	}
	if (t->kind == SHOW) {
		rc = parse_subnet_show(argc, argv, &f, err, sizeof(err));
		if (!rc && f.has_vsid)
			snprintf(got, len, "vsid=%u", f.vsid);
		else if (!rc)
			snprintf(got, len, "vsid=none");
	} else {
		rc = (t->kind == ADD ? parse_subnet_add : parse_subnet_del)
			(argc, argv, &req, err, sizeof(err));
		if (!rc) {
			char pfx[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN] = "none";
			char rdid[16] = "none";

			inet_ntop(req.prefix.family, &req.prefix.v6, pfx,
				  sizeof(pfx));
			if (req.has_gw)
				inet_ntop(req.gw.family, &req.gw.v6, gw,
					  sizeof(gw));
			if (req.has_rdid)
				snprintf(rdid, sizeof(rdid), "%u", req.rdid);
			snprintf(got, len, "%s/%u vsid=%u rdid=%s gw=%s", pfx,
				 req.plen, req.vsid, rdid, gw);
		}
	}
	if (rc)
		snprintf(got, len, "%s", err);
}

int main(void)
{
	static const char *const names[] = {
		"add-subnet", "del-subnet", "show-subnet",
		"add-route", "del-route", "show-route",
	};
	int failed = 0;
	char got[512];
	size_t i;

	printf("KTAP version 1\n");
	printf("1..%zu\n", ARRAY_SIZE(cases));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bool ok;

		got[0] = '\0';
		run(&cases[i], got, sizeof(got));
		ok = !strcmp(got, cases[i].want);
		failed += !ok;
		printf("%s %zu %s: %s\n", ok ? "ok" : "not ok", i + 1,
		       names[cases[i].kind], cases[i].args);
		if (!ok)
			printf("# want: %s\n# got:  %s\n", cases[i].want, got);
	}
	printf("# %zu passed, %d failed\n", ARRAY_SIZE(cases) - failed, failed);
	return failed ? 1 : 0;
}
