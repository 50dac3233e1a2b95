// SPDX-License-Identifier: GPL-2.0
/*
 * nvgrectl: configure NVGRE (RFC 7637) devices and lookup records.
 *
 * main(), the global options, the command table, batch mode and help.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_print.h"
#include "netlink.h"
#include "nvgrectl.h"
#include "parse.h"

#ifndef NVGRECTL_VERSION
#define NVGRECTL_VERSION	"0.1"
#endif

#define NETNS_RUN_DIR		"/var/run/netns"

bool show_stats;

static int do_help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
} commands[] = {
	{ "add-link", do_add_link,
	  "NAME vsid VSID [ local PA ] [ rdid RDID ]" },
	{ "del-link", do_del_link, "NAME" },
	{ "show-link", do_show_link, "[ NAME ] [ -s ]" },
	{ "add-lookup", do_add_lookup, "CA vsid VSID pa PA mac MAC" },
	{ "replace-lookup", do_replace_lookup, "CA vsid VSID pa PA mac MAC" },
	{ "del-lookup", do_del_lookup, "CA vsid VSID" },
	{ "show-lookup", do_show_lookup, "[ vsid VSID ]" },
	{ "flush-lookup", do_flush_lookup, "[ vsid VSID ]" },
	{ "help", do_help, "" },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char where[] =
	"Where: VSID := 4096-16777214\n"
	"       CA := { IPv4 | IPv6 }\n"
	"       PA := IPv4\n"
	"       MAC := xx:xx:xx:xx:xx:xx (unicast)\n"
	"       RDID := 0-4294967295\n"
	"       NAME := device name\n";

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "Usage: nvgrectl [ OPTIONS ] COMMAND [ ARGS ]\n"
		    "       nvgrectl [ OPTIONS ] -b FILE\n"
		    "OPTIONS := { -j[son] | -p[retty] | -n[etns] NETNS | -s[tats] |\n"
		    "             -b[atch] FILE | -V[ersion] | -h[elp] }\n"
		    "COMMAND :=\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(fp, "    nvgrectl %s%s%s\n", commands[i].name,
			*commands[i].args ? " " : "", commands[i].args);
	fputs(where, fp);
}

static int do_help(int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		return cmd_usage_error("Error: help takes no arguments.");
	usage(stdout);
	return EXIT_OK;
}

int cmd_usage_error(const char *err)
{
	fprintf(stderr, "%s\n", err);
	return EXIT_USAGE;
}

/* argv[0] is the command name. */
static int run_command(int argc, char **argv)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		const struct command *c = &commands[i];

		if (strcmp(argv[0], c->name))
			continue;
		if (argc == 2 && !strcmp(argv[1], "help")) {
			printf("Usage: nvgrectl %s%s%s\n", c->name,
			       *c->args ? " " : "", c->args);
			fputs(where, stdout);
			return EXIT_OK;
		}
		return c->fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "Error: unknown command \"%s\", try \"nvgrectl help\".\n",
		argv[0]);
	return EXIT_USAGE;
}

/* One command per line; stop at the first that fails, like ip -b. */
static int run_batch(const char *name)
{
	FILE *fp = strcmp(name, "-") ? fopen(name, "r") : stdin;
	unsigned long lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	int ret = EXIT_OK;

	if (!fp) {
		fprintf(stderr, "Error: cannot open \"%s\": %s.\n", name,
			strerror(errno));
		return EXIT_USAGE;
	}
	while (getline(&line, &cap, fp) >= 0) {
		char *argv[BATCH_MAX_ARGS], err[PARSE_ERR_LEN];
		int argc;

		lineno++;
		if (parse_batch_line(line, argv, BATCH_MAX_ARGS, &argc, err,
				     sizeof(err)))
			ret = cmd_usage_error(err);
		else if (argc)
			ret = run_command(argc, argv);
		fflush(stdout);
		if (ret) {
			fprintf(stderr, "Command failed %s:%lu\n", name, lineno);
			break;
		}
	}
	if (!ret && ferror(fp)) {
		fprintf(stderr, "Error: cannot read \"%s\".\n", name);
		ret = EXIT_USAGE;
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	return ret;
}

/* Like ip -n: enter /var/run/netns/NAME before any socket is opened. */
static int netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Error: cannot open network namespace \"%s\": %s.\n",
			name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "Error: cannot enter network namespace \"%s\": %s.\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	char err[PARSE_ERR_LEN];
	struct nvgre_opts opts;
	int next, ret;

	if (parse_opts(argc, argv, &opts, &next, err, sizeof(err)))
		return cmd_usage_error(err);
	if (opts.help) {
		usage(stdout);
		return EXIT_OK;
	}
	if (opts.version) {
		printf("nvgrectl %s\n", NVGRECTL_VERSION);
		return EXIT_OK;
	}
	if (opts.batch && next < argc)
		return cmd_usage_error("Error: -b takes no command, the commands are in the file.");
	if (!opts.batch && next >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (opts.netns && netns_enter(opts.netns))
		return EXIT_KERNEL;

	print_init(stdout, opts.json, opts.pretty);
	show_stats = opts.stats;
	if (opts.batch)
		ret = run_batch(opts.batch);
	else
		ret = run_command(argc - next, argv + next);
	nl_close_all();
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "Error: cannot write the output: %s.\n",
			strerror(errno));
		if (!ret)
			ret = EXIT_KERNEL;
	}
	return ret;
}
