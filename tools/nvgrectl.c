// SPDX-License-Identifier: GPL-2.0
/*
 * nvgrectl: configure NVGRE (RFC 7637) devices and lookup records.
 *
 * main(), the global options, the command table, batch mode and help.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "json_print.h"
#include "lines.h"
#include "netlink.h"
#include "nvgrectl.h"
#include "parse.h"

#define NETNS_RUN_DIR		"/var/run/netns"

bool show_stats;

static int do_help(int argc, char **argv);

/*
 * queue: the batch mode form of a command whose only answer is the ACK,
 * so that runs of such lines are pipelined (nvgrectl.8, -b).
 */
static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	int (*queue)(int argc, char **argv, unsigned long line,
		     unsigned long *failed);
	const char *args;
} commands[] = {
	{ "add-link", do_add_link, NULL,
	  "NAME vsid VSID [ local PA ] [ rdid RDID ]\n"
	  "                 [ ttl { TTL | inherit } ] [ tos { TOS | inherit } ]\n"
	  "                 [ group GROUP ]" },
	{ "del-link", do_del_link, NULL, "NAME" },
	{ "show-link", do_show_link, NULL, "[ NAME ] [ -s ]" },
	{ "add-lookup", do_add_lookup, queue_add_lookup,
	  "CA vsid VSID pa PA mac MAC [ type static ]\n"
	  "                 vsid VSID pa PA mac MAC type { l2only | gateway }" },
	{ "replace-lookup", do_replace_lookup, queue_replace_lookup,
	  "CA vsid VSID pa PA mac MAC [ type static ]\n"
	  "                 vsid VSID pa PA mac MAC type { l2only | gateway }" },
	{ "del-lookup", do_del_lookup, queue_del_lookup,
	  "CA vsid VSID [ type static ]\n"
	  "                 vsid VSID mac MAC type l2only\n"
	  "                 vsid VSID type gateway" },
	{ "show-lookup", do_show_lookup, NULL, "[ vsid VSID ]" },
	{ "flush-lookup", do_flush_lookup, NULL, "[ vsid VSID ]" },
	{ "monitor", do_monitor, NULL,
	  "[ { events | misses | all } ] [ count COUNT ]" },
	{ "save", do_save, NULL, "[ FILE ]" },
	{ "restore", do_restore, NULL, "FILE" },
	{ "add-pa", do_add_pa, NULL, "PA dev DEV" },
	{ "del-pa", do_del_pa, NULL, "PA" },
	{ "show-pa", do_show_pa, NULL, "" },
	{ "add-subnet", do_add_subnet, NULL,
	  "PREFIX vsid VSID [ rdid RDID ] [ gateway ADDR ]" },
	{ "del-subnet", do_del_subnet, NULL, "PREFIX vsid VSID" },
	{ "show-subnet", do_show_subnet, NULL, "[ vsid VSID ]" },
	{ "add-route", do_add_route, NULL,
	  "PREFIX rdid RDID [ vsid VSID ] [ nexthop CA ] [ metric METRIC ]" },
	{ "del-route", do_del_route, NULL,
	  "PREFIX rdid RDID [ metric METRIC ]" },
	{ "show-route", do_show_route, NULL, "[ rdid RDID ]" },
	{ "help", do_help, NULL, "" },
};

static const char where[] =
	"Where: VSID := 4096-16777214\n"
	"       CA := { IPv4 | IPv6 }\n"
	"       PA := { IPv4 | IPv6 } (local: at most one of each)\n"
	"       DEV := underlay device name\n"
	"       MAC := xx:xx:xx:xx:xx:xx (unicast)\n"
	"       RDID := 0-4294967295\n"
	"       TTL := 1-255, TOS := DSCP byte 0x00-0xfc\n"
	"       NAME := device name\n"
	"       COUNT := 1-4294967295\n"
	"       FILE := path, or - for standard input or output\n"
	"       PREFIX := { IPv4/LEN | IPv6/LEN }, host bits clear\n"
	"       ADDR := address of PREFIX's family\n"
	"       METRIC := 0-4294967295, lower wins\n";

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

static const struct command *find_command(const char *name)
{
	size_t i;

	/* The first byte spares most strcmp()s: batch lines come here. */
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (name[0] == commands[i].name[0] &&
		    !strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static bool is_help(int argc, char **argv)
{
	return argc == 2 && !strcmp(argv[1], "help");
}

/* argv[0] is the command name. */
static int run_command(int argc, char **argv)
{
	const struct command *c = find_command(argv[0]);

	if (!c) {
		fprintf(stderr, "Error: unknown command \"%s\", try \"nvgrectl help\".\n",
			argv[0]);
		return EXIT_USAGE;
	}
	if (is_help(argc, argv)) {
		printf("Usage: nvgrectl %s%s%s\n", c->name,
		       *c->args ? " " : "", c->args);
		fputs(where, stdout);
		return EXIT_OK;
	}
	return c->fn(argc - 1, argv + 1);
}

/* NVGRECTL_NO_PIPELINE=1: one request per line (for tests). */
static bool pipeline_enabled(void)
{
	const char *s = getenv("NVGRECTL_NO_PIPELINE");

	return !s || !*s || !strcmp(s, "0");
}

/*
 * One batch line. Lines of commands with a queue form are pipelined;
 * any other line first has the queued ones sent and checked. *failed is
 * the line to name when it fails: this one or a queued one.
 */
static int run_line(int argc, char **argv, unsigned long lineno,
		    bool pipeline, unsigned long *failed)
{
	const struct command *c = find_command(argv[0]);

	*failed = lineno;
	if (pipeline && c && c->queue && !is_help(argc, argv))
		return c->queue(argc - 1, argv + 1, lineno, failed);
	if (nvgre_genl_flush(failed))
		return EXIT_KERNEL;
	return run_command(argc, argv);
}

/*
 * Whether the next line can be read without waiting: it is buffered
 * already, or the descriptor is readable (always, for a regular file).
 * Queued lines are sent before a read that would wait, so that lines fed
 * through a pipe take effect as they come, not when the queue is full or
 * the input ends.
 */
static bool input_ready(struct lines *in)
{
	struct pollfd pfd = { .fd = in->fd, .events = POLLIN };

	return lines_buffered(in) || poll(&pfd, 1, 0) != 0;
}

/* One command per line; stop at the first that fails, like ip -b. */
static int run_batch(const char *name)
{
	int fd = strcmp(name, "-") ? open(name, O_RDONLY | O_CLOEXEC) : 0;
	unsigned long lineno = 0, failed = 0;
	bool pipeline = pipeline_enabled();
	struct lines in;
	int ret = EXIT_OK;

	if (fd < 0) {
		fprintf(stderr, "Error: cannot open \"%s\": %s.\n", name,
			strerror(errno));
		return EXIT_USAGE;
	}
	lines_init(&in, fd);
	for (;;) {
		char *argv[BATCH_MAX_ARGS], err[PARSE_ERR_LEN], *line;
		int argc;

		if (!input_ready(&in) && nvgre_genl_flush(&failed)) {
			ret = EXIT_KERNEL;
			break;
		}
		line = lines_next(&in);
		if (!line)
			break;
		failed = ++lineno;
		if (parse_batch_line(line, argv, BATCH_MAX_ARGS, &argc, err,
				     sizeof(err)))
			ret = nvgre_genl_flush(&failed) ? EXIT_KERNEL :
							  cmd_usage_error(err);
		else if (argc)
			ret = run_line(argc, argv, lineno, pipeline, &failed);
		/* Output in line order with stderr's; most lines print none. */
		if (__fpending(stdout))
			fflush(stdout);
		if (ret)
			break;
	}
	if (!ret && nvgre_genl_flush(&failed))
		ret = EXIT_KERNEL;
	if (ret)
		fprintf(stderr, "Command failed %s:%lu\n", name, failed);
	if (!ret && in.err) {
		fprintf(stderr, "Error: cannot read \"%s\": %s.\n", name,
			strerror(in.err));
		ret = EXIT_USAGE;
	}
	lines_free(&in);
	if (fd)
		close(fd);
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
