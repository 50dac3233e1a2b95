// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of the configuration file parser (nvgrectl restore):
 * the input is a whole file. Every object it yields must survive the
 * round trip save makes of it: formatted as its line, split and parsed
 * again, it is the same object (same key, same parameters). Build with
 * "make fuzz", run with "fuzz/fuzz_config fuzz/corpus-config fuzz/seeds".
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct cfg_kind *const kinds[] = { &cfg_pa, &cfg_link,
						&cfg_lookup };
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

/* obj formatted, split and parsed again: the same object, or abort(). */
static void round_trip(const struct cfg_kind *kind, const void *obj)
{
	char line[CFG_LINE_LEN], err[PARSE_ERR_LEN], *argv[BATCH_MAX_ARGS];
	void *again;
	int argc;

	if (kind->format(obj, line, sizeof(line), err, sizeof(err)))
		return;		/* a name the batch grammar cannot hold */
	again = calloc(1, kind->size);
	if (!again)
		return;
	if (parse_batch_line(line, argv, BATCH_MAX_ARGS, &argc, err,
			     sizeof(err)) || argc < 1 ||
	    strcmp(argv[0], kind->cmd) ||
	    kind->parse(argc - 1, argv + 1, again, err, sizeof(err)) ||
	    kind->cmp(obj, again) || !kind->same(obj, again)) {
		fprintf(stderr, "round trip of a %s object fails: %s\n",
			kind->cmd, err);
		abort();
	}
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_set sets[NKINDS];
	char err[PARSE_ERR_LEN];
	size_t k;
	FILE *fp;

	if (!size)
		return 0;
	fp = fmemopen((void *)data, size, "r");
	if (!fp)
		return 0;
	for (k = 0; k < NKINDS; k++)
		cfg_set_init(&sets[k], kinds[k]);
	if (!cfg_parse_file(fp, "fuzz", kinds, NKINDS, sets, err,
			    sizeof(err))) {
		for (k = 0; k < NKINDS; k++) {
			size_t i;

			for (i = 0; i < sets[k].n; i++)
				round_trip(kinds[k], cfg_set_obj(&sets[k], i));
		}
	}
	for (k = 0; k < NKINDS; k++)
		cfg_set_free(&sets[k]);
	fclose(fp);
	return 0;
}
