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
#include "obj.h"
#include "parse.h"

#define NETNS_RUN_DIR		"/var/run/netns"

bool show_stats;

static int do_help(int argc, char **argv);

/*
 * The commands, in the order help lists them. An object of the table
 * (obj.h) stands for its add-, replace-, del- and show- commands; those
 * of an object with bulk requests are pipelined in batch mode
 * (nvgrectl.8, -b).
 */
static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const struct nvgre_obj *obj;	/* or the commands of obj */
} commands[] = {
	{ "add-link", do_add_link,
	  "NAME vsid VSID [ local PA ] [ rdid RDID ]\n"
	  "                 [ ttl { TTL | inherit } ] [ tos { TOS | inherit } ]\n"
	  "                 [ group GROUP ]", NULL },
	{ "del-link", do_del_link, "NAME", NULL },
	{ "show-link", do_show_link, "[ NAME ] [ -s ]", NULL },
	{ .obj = &obj_lookup },
	{ "flush-lookup", do_flush_lookup, "[ vsid VSID ]", NULL },
	{ "monitor", do_monitor,
	  "[ { events | misses | all } ] [ count COUNT ]", NULL },
	{ "save", do_save, "[ FILE ]", NULL },
	{ "restore", do_restore, "FILE", NULL },
	{ .obj = &obj_pa },
	{ .obj = &obj_subnet },
	{ .obj = &obj_route },
	{ "get", do_get,
	  "DST_CA vsid VSID [ from SRC_CA ] [ mac MAC ] [ lladdr MAC ]\n"
	  "                 [ dev NAME ] [ dir { out | in } ] [ pa PA ] [ to PA ]",
	  NULL },
	{ "help", do_help, "", NULL },
};

/* What a command word names: a command, or an operation of an object. */
struct command_ref {
	const struct command *c;
	enum obj_op op;			/* of c->obj */
};

/* The arguments' usage text of what ref names. */
static const char *command_args(const struct command_ref *ref)
{
	return ref->c->obj ? ref->c->obj->args[ref->op] : ref->c->args;
}

static const char where[] =
	"Where: VSID := 4096-16777214\n"
	"       CA := { IPv4 | IPv6 }\n"
	"       PA := { IPv4 | IPv6 } (local: at most one of each)\n"
	"       DEV := underlay device name\n"
	"       MAC := xx:xx:xx:xx:xx:xx (unicast)\n"
	"       PROTO := { admin | agent | 0-255 }\n"
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
	struct command_ref ref;
	size_t i;

	fprintf(fp, "Usage: nvgrectl [ OPTIONS ] COMMAND [ ARGS ]\n"
		    "       nvgrectl [ OPTIONS ] -b FILE\n"
		    "OPTIONS := { -j[son] | -p[retty] | -n[etns] NETNS | -s[tats] |\n"
		    "             -b[atch] FILE | --store URL[,URL...] | -V[ersion] |\n"
		    "             -h[elp] }\n"
		    "COMMAND :=\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		const struct nvgre_obj *obj = commands[i].obj;
		const char *args;

		ref.c = &commands[i];
		if (!obj) {
			args = command_args(&ref);
			fprintf(fp, "    nvgrectl %s%s%s\n", commands[i].name,
				*args ? " " : "", args);
			continue;
		}
		for (ref.op = 0; ref.op < OBJ_NOPS; ref.op++) {
			args = command_args(&ref);
			if (args)
				fprintf(fp, "    nvgrectl %s-%s%s%s\n",
					obj_op_names[ref.op], obj->name,
					*args ? " " : "", args);
		}
	}
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

/* Whether name is "add-" obj->name or another operation's; *op which. */
static bool obj_command(const struct nvgre_obj *obj, const char *name,
			enum obj_op *op)
{
	for (*op = 0; *op < OBJ_NOPS; (*op)++) {
		const char *word = obj_op_names[*op];
		size_t n = strlen(word);

		if (obj->args[*op] && !strncmp(name, word, n) &&
		    name[n] == '-' && !strcmp(name + n + 1, obj->name))
			return true;
	}
	return false;
}

/* false when there is no such command. */
static bool find_command(const char *name, struct command_ref *ref)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		ref->c = &commands[i];
		if (commands[i].obj) {
			if (obj_command(commands[i].obj, name, &ref->op))
				return true;
		} else if (name[0] == commands[i].name[0] &&
			   !strcmp(name, commands[i].name)) {
			/* The first byte spares most strcmp()s. */
			return true;
		}
	}
	return false;
}

static bool is_help(int argc, char **argv)
{
	return argc == 2 && !strcmp(argv[1], "help");
}

/* argv[0] is the command name. */
static int run_command(int argc, char **argv)
{
	struct command_ref ref;

	if (!find_command(argv[0], &ref)) {
		fprintf(stderr, "Error: unknown command \"%s\", try \"nvgrectl help\".\n",
			argv[0]);
		return EXIT_USAGE;
	}
	if (is_help(argc, argv)) {
		const char *args = command_args(&ref);

		printf("Usage: nvgrectl %s%s%s\n", argv[0], *args ? " " : "",
		       args);
		fputs(where, stdout);
		return EXIT_OK;
	}
	if (store_enabled())
		return store_do(ref.c->obj, ref.op, argc - 1, argv + 1);
	if (ref.c->obj)
		return obj_do(ref.c->obj, ref.op, argc - 1, argv + 1);
	return ref.c->fn(argc - 1, argv + 1);
}

/* NVGRECTL_NO_PIPELINE=1: one request per line (for tests). */
static bool pipeline_enabled(void)
{
	const char *s = getenv("NVGRECTL_NO_PIPELINE");

	return !s || !*s || !strcmp(s, "0");
}

/*
 * One batch line. Lines of objects with bulk requests are pipelined;
 * any other line first has the queued ones sent and checked. *failed is
 * the line to name when it fails: this one or a queued one.
 */
static int run_line(int argc, char **argv, unsigned long lineno,
		    bool pipeline, unsigned long *failed)
{
	struct command_ref ref;

	*failed = lineno;
	if (store_enabled())
		return run_command(argc, argv);
	if (pipeline && find_command(argv[0], &ref) && ref.c->obj &&
	    ref.c->obj->bulk_nest && ref.op != OBJ_SHOW &&
	    !is_help(argc, argv))
		return obj_do_queue(ref.c->obj, ref.op, argc - 1, argv + 1,
				    lineno, failed);
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

	if (opts.store && store_init(opts.store))
		return EXIT_USAGE;
	print_init(stdout, opts.json, opts.pretty);
	show_stats = opts.stats;
	if (opts.batch)
		ret = run_batch(opts.batch);
	else
		ret = run_command(argc - next, argv + next);
	store_exit();
	nl_close_all();
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "Error: cannot write the output: %s.\n",
			strerror(errno));
		if (!ret)
			ret = EXIT_KERNEL;
	}
	return ret;
}
