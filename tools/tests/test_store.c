// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the fleet's key schema (store.c), printed as KTAP: every
 * record type to its key and value and back, and malformed values, each
 * refused with its message.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "etcd.h"
#include "parse.h"
#include "store.h"
#include "tests/ktap.h"

#define NTESTS	19

/* The words of add-lookup into a record; the test fails if they do not. */
static void rec_of(const char *line, struct nvgre_lookup_req *r)
{
	char buf[256], *argv[16], err[PARSE_ERR_LEN];
	int argc;

	snprintf(buf, sizeof(buf), "%s", line);
	if (parse_batch_line(buf, argv, 16, &argc, err, sizeof(err)) ||
	    parse_lookup_add(argc, argv, r, err, sizeof(err))) {
		printf("# %s: %s\n", line, err);
		memset(r, 0, sizeof(*r));
	}
}

static void round_trip(const char *line, const char *key, const char *value)
{
	char k[STORE_KEY_LEN], v[STORE_VALUE_LEN], err[256], name[300];
	struct nvgre_lookup_req r, back;

	rec_of(line, &r);
	store_lookup_key(&r, k, sizeof(k));
	store_lookup_value(&r, v, sizeof(v));
	snprintf(name, sizeof(name), "key and value of \"%s\"", line);
	report(!strcmp(k, key) && !strcmp(v, value), name);
	if (strcmp(k, key) || strcmp(v, value))
		printf("# got %s = %s\n", k, v);
	snprintf(name, sizeof(name), "\"%s\" reads back", line);
	report(!store_lookup_parse(k, v, &back, err, sizeof(err)) &&
	       !memcmp(&back, &r, sizeof(r)), name);
}

static void bad(const char *key, const char *value, const char *want)
{
	struct nvgre_lookup_req r;
	char err[256], name[300];
	int ret;

	ret = store_lookup_parse(key, value, &r, err, sizeof(err));
	snprintf(name, sizeof(name), "malformed: %s", want);
	report(ret == -1 && !strcmp(err, want), name);
	if (ret != -1 || strcmp(err, want))
		printf("# got %d \"%s\"\n", ret, err);
}

int main(void)
{
	struct nvgre_lookup_req r;
	char end[64];

	printf("KTAP version 1\n1..%d\n", NTESTS);
	round_trip("10.0.0.1 vsid 5001 pa 192.0.2.1 mac 02:00:00:00:00:01",
		   "/nvgre/v1/lookup/5001/10.0.0.1",
		   "{\"ca\":\"10.0.0.1\",\"vsid\":5001,\"pa\":\"192.0.2.1\",\"mac\":\"02:00:00:00:00:01\"}");
	round_trip("2001:DB8::A vsid 5001 pa 2001:db8:ff::2 mac 02:AB:00:00:00:01",
		   "/nvgre/v1/lookup/5001/2001:db8::a",
		   "{\"ca\":\"2001:db8::a\",\"vsid\":5001,\"pa\":\"2001:db8:ff::2\",\"mac\":\"02:ab:00:00:00:01\"}");
	round_trip("vsid 6001 mac 02:00:00:00:00:09 pa 192.0.2.2 type l2only",
		   "/nvgre/v1/lookup/6001/mac/02:00:00:00:00:09",
		   "{\"vsid\":6001,\"pa\":\"192.0.2.2\",\"mac\":\"02:00:00:00:00:09\",\"type\":\"l2only\"}");
	round_trip("vsid 6001 pa 192.0.2.3 mac 02:00:00:00:00:0a type gateway",
		   "/nvgre/v1/lookup/6001/gateway",
		   "{\"vsid\":6001,\"pa\":\"192.0.2.3\",\"mac\":\"02:00:00:00:00:0a\",\"type\":\"gateway\"}");

	bad("/nvgre/v1/lookup/5001/10.0.0.1", "{\"ca\":",
	    "/nvgre/v1/lookup/5001/10.0.0.1: the value is not JSON");
	bad("/nvgre/v1/lookup/5001/10.0.0.1", "[1]",
	    "/nvgre/v1/lookup/5001/10.0.0.1: the value is not a JSON object");
	bad("/nvgre/v1/lookup/5001/10.0.0.1",
	    "{\"ca\":\"10.0.0.1\",\"vsid\":\"5001\",\"pa\":\"192.0.2.1\",\"mac\":\"02:00:00:00:00:01\"}",
	    "/nvgre/v1/lookup/5001/10.0.0.1: \"vsid\" is required, a number");
	bad("/nvgre/v1/lookup/5001/10.0.0.1",
	    "{\"ca\":\"10.0.0.1\",\"vsid\":5001,\"mac\":\"02:00:00:00:00:01\"}",
	    "/nvgre/v1/lookup/5001/10.0.0.1: \"pa\" is required.");
	bad("/nvgre/v1/lookup/5001/10.0.0.1",
	    "{\"ca\":\"10.0.0.1\",\"vsid\":5001,\"pa\":\"192.0.2.1\",\"mac\":\"01:00:00:00:00:01\"}",
	    "/nvgre/v1/lookup/5001/10.0.0.1: argument \"01:00:00:00:00:01\" is wrong: MAC must be unicast, not multicast (the first byte is odd)");
	bad("/nvgre/v1/lookup/5001/10.0.0.1",
	    "{\"ca\":\"10.0.0.2\",\"vsid\":5001,\"pa\":\"192.0.2.1\",\"mac\":\"02:00:00:00:00:01\"}",
	    "/nvgre/v1/lookup/5001/10.0.0.1: the value is the record of /nvgre/v1/lookup/5001/10.0.0.2");
	bad("/nvgre/v1/lookup/5001/10.0.0.1",
	    "{\"ca\":\"10.0.0.1\",\"vsid\":4095,\"pa\":\"192.0.2.1\",\"mac\":\"02:00:00:00:00:01\"}",
	    "/nvgre/v1/lookup/5001/10.0.0.1: argument \"4095\" is wrong: VSID must be a number in 4096-16777214");
	bad("/nvgre/v1/lookup/5001/10.0.0.1",
	    "{\"ca\":7,\"vsid\":5001}",
	    "/nvgre/v1/lookup/5001/10.0.0.1: ca, pa, mac and type are strings");

	report(!store_lookup_parse_key("/nvgre/v1/lookup/5001/10.0.0.1", &r) &&
	       r.vsid == 5001 && r.ca.family == AF_INET && !r.type &&
	       !store_lookup_parse_key("/nvgre/v1/lookup/6001/mac/02:00:00:00:00:09", &r) &&
	       r.type == 1 && r.mac[5] == 9 &&
	       !store_lookup_parse_key("/nvgre/v1/lookup/6001/gateway", &r) &&
	       r.type == 2 && r.vsid == 6001,
	       "a deleted key names its record");
	report(store_lookup_parse_key("/nvgre/v1/lookup/5001/010.0.0.1", &r) &&
	       store_lookup_parse_key("/nvgre/v1/lookup/5001", &r) &&
	       store_lookup_parse_key("/nvgre/v1/lookup/5001/mac/02:00:00:00:00:0A", &r) &&
	       store_lookup_parse_key("/nvgre/v1/lookup/99/10.0.0.1", &r),
	       "keys that are not the schema's are refused");
	etcd_prefix_end("/nvgre/v1/lookup/", end, sizeof(end));
	report(!strcmp(end, "/nvgre/v1/lookup0"),
	       "prefix end: the last byte plus one");
	printf("# %d passed, %d failed\n", test_num - failed, failed);
	return failed ? 1 : 0;
}
