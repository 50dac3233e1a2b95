/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KTAP lines of the unit tests: one "ok N name" or "not ok N name" a
 * check; the test prints the header and plan, and exits with failed.
 */
#ifndef NVGRECTL_TESTS_KTAP_H
#define NVGRECTL_TESTS_KTAP_H

#include <stdbool.h>
#include <stdio.h>

static int test_num, failed;

static void report(bool ok, const char *name)
{
	test_num++;
	if (!ok)
		failed++;
	printf("%sok %d %s\n", ok ? "" : "not ", test_num, name);
}

#endif
