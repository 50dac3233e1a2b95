// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of json_print.c, printed as KTAP: the same print calls give
 * the text line and the JSON document.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_print.h"

enum mode { TEXT, JSON, PRETTY };

static int test_num, failed;

static void check(const char *name, const char *want, const char *got)
{
	bool ok = !strcmp(want, got);

	test_num++;
	failed += !ok;
	printf("%s %d %s\n", ok ? "ok" : "not ok", test_num, name);
	if (!ok)
		printf("# want: %s\n# got:  %s\n", want, got);
}

/* Two lookup records as show-lookup prints them. */
static void print_records(int n)
{
	static const char *const cas[] = { "10.0.0.1", "2001:db8::1" };
	int i;

	open_json_array(NULL);
	for (i = 0; i < n; i++) {
		open_json_object(NULL);
		print_string(PRINT_ANY, "ca", "%s", cas[i]);
		print_uint(PRINT_ANY, "vsid", " vsid %u", 5001);
		print_string(PRINT_ANY, "pa", " pa %s", "192.0.2.2");
		print_string(PRINT_ANY, "mac", " mac %s", "02:00:00:00:00:01");
		close_json_object();
		print_nl();
	}
	close_json_array();
}

/* A link with a stats nest and a JSON-only ifindex. */
static void print_link(void)
{
	open_json_array(NULL);
	open_json_object(NULL);
	print_string(PRINT_ANY, "ifname", "%s:", "nv\"5001\n");
	print_uint(PRINT_JSON, "ifindex", NULL, 7);
	print_uint(PRINT_ANY, "rdid", " rdid %u", 1);
	open_json_object("stats");
	print_u64(PRINT_ANY, "rx_spoof_mac", "\n    rx_spoof_mac %" PRIu64,
		  18446744073709551615ULL);
	close_json_object();
	close_json_object();
	print_nl();
	close_json_array();
}

static void run(const char *name, enum mode mode, void (*fn)(int), int arg,
		const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp) {
		perror("open_memstream");
		exit(1);
	}
	print_init(fp, mode != TEXT, mode == PRETTY);
	fn(arg);
	fclose(fp);
	check(name, want, buf);
	free(buf);
}

static void link_fn(int arg)
{
	(void)arg;
	print_link();
}

int main(void)
{
	printf("KTAP version 1\n1..7\n");
	run("text: no records", TEXT, print_records, 0, "");
	run("json: no records", JSON, print_records, 0, "[]\n");
	run("pretty: no records", PRETTY, print_records, 0, "[]\n");
	run("text: two records", TEXT, print_records, 2,
	    "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:01\n"
	    "2001:db8::1 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:01\n");
	run("json: two records", JSON, print_records, 2,
	    "[{\"ca\":\"10.0.0.1\",\"vsid\":5001,\"pa\":\"192.0.2.2\",\"mac\":\"02:00:00:00:00:01\"},"
	    "{\"ca\":\"2001:db8::1\",\"vsid\":5001,\"pa\":\"192.0.2.2\",\"mac\":\"02:00:00:00:00:01\"}]\n");
	run("pretty: link with stats, escaped name", PRETTY, link_fn, 0,
	    "[\n"
	    "    {\n"
	    "        \"ifname\": \"nv\\\"5001\\n\",\n"
	    "        \"ifindex\": 7,\n"
	    "        \"rdid\": 1,\n"
	    "        \"stats\": {\n"
	    "            \"rx_spoof_mac\": 18446744073709551615\n"
	    "        }\n"
	    "    }\n"
	    "]\n");
	run("text: link with stats", TEXT, link_fn, 0,
	    "nv\"5001\n: rdid 1\n    rx_spoof_mac 18446744073709551615\n");
	printf("# %d passed, %d failed\n", test_num - failed, failed);
	return failed ? 1 : 0;
}
