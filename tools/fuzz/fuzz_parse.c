// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of the nvgrectl parsers: the input is one batch line,
 * split by parse_batch_line() and fed to every command parser and to the
 * option parser. Build with "make fuzz", run with
 * "fuzz/fuzz_parse fuzz/corpus fuzz/seeds" (new inputs go to the first
 * directory).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line, *argv[BATCH_MAX_ARGS], err[PARSE_ERR_LEN];
	struct nvgre_lookup_req lookup;
	struct nvgre_filter_req filter;
	struct nvgre_link_show_req show;
	struct nvgre_monitor_req mon;
	struct nvgre_link_req link;
	struct nvgre_opts opts;
	int argc, next;

	line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (!parse_batch_line(line, argv, BATCH_MAX_ARGS, &argc, err,
			      sizeof(err))) {
		parse_lookup_add(argc, argv, &lookup, err, sizeof(err));
		parse_lookup_del(argc, argv, &lookup, err, sizeof(err));
		parse_lookup_filter(argc, argv, &filter, err, sizeof(err));
		parse_link_add(argc, argv, &link, err, sizeof(err));
		parse_link_del(argc, argv, &link, err, sizeof(err));
		parse_link_show(argc, argv, &show, err, sizeof(err));
		parse_monitor(argc, argv, &mon, err, sizeof(err));
		/* parse_opts() skips argv[0], the program name */
		if (argc > 0)
			parse_opts(argc, argv, &opts, &next, err, sizeof(err));
	}
	free(line);
	return 0;
}
