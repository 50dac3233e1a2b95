// SPDX-License-Identifier: GPL-2.0
/*
 * save and restore: the nvgre configuration of a namespace as a batch
 * file, and converging the running state to such a file.
 *
 * Each object kind is one entry of kinds[]: its file syntax and order
 * (config.c) and its netlink operations. save dumps every kind and writes
 * it in table order (the host's provider addresses, devices, subnets,
 * customer routes, records), each kind sorted by key. restore reads the
 * whole file first, then deletes what the file does not have (last kind
 * first), then creates
 * and changes (first kind first), so that a device is gone before another
 * one takes its VSID.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/nvgre.h>

#include "array.h"
#include "config.h"
#include "netlink.h"
#include "nvgrectl.h"
#include "obj.h"
#include "parse.h"

/*
 * A kind of the file: an object of the table (obj.h), which says all, or
 * devices, which are not in it (rtnetlink), with their operations on the
 * running state: 0 or a negative errno (printed). line is the object's
 * line in the file, *failed is set to the line of the request that
 * failed (0: none of the file's, a deletion). A device cannot change in
 * place: it is deleted, then added again.
 */
struct save_kind {
	const struct nvgre_obj *obj;
	const struct cfg_kind *cfg;
	int (*dump)(struct cfg_set *set);
	int (*add)(const void *obj, unsigned long line, unsigned long *failed);
	int (*del)(const void *obj, unsigned long *failed);
	/* Printed when an object is deleted and added again. */
	const char *recreate_why;
};

static int set_collect(struct cfg_set *set, const void *obj)
{
	if (cfg_set_add(set, obj, 0)) {
		fprintf(stderr, "Error: %s.\n", strerror(ENOMEM));
		return -ENOMEM;
	}
	return 0;
}

/* ---- objects of the table (obj.h) ------------------------------------- */

static int obj_dump_set(const struct nvgre_obj *obj, struct cfg_set *set)
{
	struct obj_list list;
	size_t i;
	int ret;

	obj_list_init(&list, obj);
	ret = obj_list_dump(&list, NULL);
	for (i = 0; !ret && i < list.n; i++)
		ret = set_collect(set, obj_list_rec(&list, i));
	obj_list_free(&list);
	return ret;
}

/* ---- devices ----------------------------------------------------------- */

static int link_collect_req(const struct nvgre_link_req *req, void *arg)
{
	return set_collect(arg, req);
}

static int link_dump_set(struct cfg_set *set)
{
	return link_dump(link_collect_req, set);
}

/* Devices go over rtnetlink: the queued records go first. */
static int link_add(const void *obj, unsigned long line,
		    unsigned long *failed)
{
	int ret = nvgre_genl_flush(failed);

	if (ret)
		return ret;
	*failed = line;
	return link_create(obj);
}

static int link_del(const void *obj, unsigned long *failed)
{
	const struct nvgre_link_req *req = obj;
	int ret = nvgre_genl_flush(failed);

	if (ret)
		return ret;
	*failed = 0;
	return link_delete(req->name);
}

static const struct save_kind kinds[] = {
	{ .obj = &obj_pa },
	{
		.cfg = &cfg_link,
		.dump = link_dump_set,
		.add = link_add,
		.del = link_del,
		.recreate_why =
			"no device parameter can change in place; set its master, MTU, state again",
	},
	{ .obj = &obj_subnet },
	{ .obj = &obj_route },
	{ .obj = &obj_lookup },
};

#define SYS_MODULE	"/sys/module/nvgre"
#define NKINDS		ARRAY_SIZE(kinds)

static int kind_dump(const struct save_kind *kind, struct cfg_set *set)
{
	return kind->obj ? obj_dump_set(kind->obj, set) : kind->dump(set);
}

static const struct cfg_kind *kind_cfg(const struct save_kind *kind)
{
	return kind->obj ? kind->obj->cfg : kind->cfg;
}

/*
 * Objects of the table go in bulk where they can (records: many to a
 * request); else the queued ones are sent first, then the object alone.
 */
static int kind_add(const struct save_kind *kind, const void *obj,
		    unsigned long line, unsigned long *failed)
{
	if (kind->obj)
		return obj_queue(kind->obj, OBJ_ADD, obj, line, failed);
	return kind->add(obj, line, failed);
}

/*
 * Whether the kind changes in place: NVGRE_CMD_LOOKUP_REPLACE swaps a
 * record atomically, without a traffic gap. Else delete, add again.
 */
static bool kind_can_replace(const struct save_kind *kind)
{
	return kind->obj && kind->obj->args[OBJ_REPLACE];
}

/* A deletion is no line of the file: *failed becomes 0. */
static int kind_del(const struct save_kind *kind, const void *obj,
		    unsigned long *failed)
{
	if (kind->obj)
		return obj_queue(kind->obj, OBJ_DEL, obj, 0, failed);
	return kind->del(obj, failed);
}

static const char *kind_recreate_why(const struct save_kind *kind)
{
	return kind->obj ? kind->obj->recreate_why : kind->recreate_why;
}

static void sets_init(struct cfg_set *sets)
{
	size_t k;

	for (k = 0; k < NKINDS; k++)
		cfg_set_init(&sets[k], kind_cfg(&kinds[k]));
}

static void sets_free(struct cfg_set *sets)
{
	size_t k;

	for (k = 0; k < NKINDS; k++)
		cfg_set_free(&sets[k]);
}

/* The running state, every kind sorted; 0 or a negative errno (printed). */
static int sets_dump(struct cfg_set *sets)
{
	size_t k;

	for (k = 0; k < NKINDS; k++) {
		int ret = kind_dump(&kinds[k], &sets[k]);

		if (ret)
			return ret;
		cfg_set_sort(&sets[k]);
	}
	return 0;
}

/* ---- save -------------------------------------------------------------- */

static const char save_header[] =
	"# nvgre configuration, written by nvgrectl " NVGRECTL_VERSION " save.\n"
	"# \"nvgrectl restore FILE\" makes a namespace's state this file;\n"
	"# \"nvgrectl -b FILE\" builds it in a namespace without nvgre state.\n";

/* The whole file into a malloc()ed buffer; 0 or -1 (printed). */
static int save_format(const struct cfg_set *sets, char **buf, size_t *len)
{
	char line[CFG_LINE_LEN], err[PARSE_ERR_LEN];
	FILE *fp = open_memstream(buf, len);
	size_t k, i;
	int ret = 0;

	if (!fp) {
		fprintf(stderr, "Error: %s.\n", strerror(errno));
		return -1;
	}
	fputs(save_header, fp);
	for (k = 0; !ret && k < NKINDS; k++) {
		const struct cfg_kind *cfg = kind_cfg(&kinds[k]);

		for (i = 0; !ret && i < sets[k].n; i++) {
			ret = cfg->format(cfg_set_obj(&sets[k], i), line,
					  sizeof(line), err, sizeof(err));
			if (ret)
				fprintf(stderr, "%s\n", err);
			else
				fputs(line, fp);
		}
	}
	if (fclose(fp) && !ret) {
		fprintf(stderr, "Error: %s.\n", strerror(ENOMEM));
		ret = -1;
	}
	if (ret) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * The mode of the file being replaced, else 0666 less the umask: what a
 * plain open(O_CREAT) would give.
 */
static mode_t save_mode(const char *name)
{
	struct stat st;
	mode_t mask;

	if (!stat(name, &st))
		return st.st_mode & 07777;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

/* Make the rename itself durable: fsync() the directory. */
static void sync_dir(const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s", name);
	fd = open(dirname(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/*
 * name gets buf or stays as it was: a temporary file in its directory,
 * written and synced, then renamed over it.
 */
static int save_write(const char *name, const char *buf, size_t len)
{
	char tmp[PATH_MAX];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", name) >= (int)sizeof(tmp)) {
		fprintf(stderr, "Error: file name \"%s\" is too long.\n", name);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "Error: cannot create a temporary file for \"%s\": %s.\n",
			name, strerror(errno));
		return -1;
	}
	if (fchmod(fd, save_mode(name)) || write_all(fd, buf, len) ||
	    fsync(fd)) {
		fprintf(stderr, "Error: cannot write \"%s\": %s.\n", tmp,
			strerror(errno));
		goto err_unlink;
	}
	if (close(fd)) {
		fd = -1;
		fprintf(stderr, "Error: cannot write \"%s\": %s.\n", tmp,
			strerror(errno));
		goto err_unlink;
	}
	fd = -1;
	if (rename(tmp, name)) {
		fprintf(stderr, "Error: cannot rename \"%s\" to \"%s\": %s.\n",
			tmp, name, strerror(errno));
		goto err_unlink;
	}
	sync_dir(name);
	return 0;

err_unlink:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

/*
 * The kernel loads the module for a request to its family: a save then
 * would find nothing and write an empty file over the one the last boot
 * restored. Without the module there is nothing to save.
 */
static bool module_loaded(void)
{
	return access(SYS_MODULE, F_OK) == 0 || errno != ENOENT;
}

int do_save(int argc, char **argv)
{
	struct cfg_set sets[NKINDS];
	const char *name = NULL;
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (argc > 1)
		return cmd_usage_error("Error: save takes one FILE at most.");
	if (argc == 1 && strcmp(argv[0], "-"))
		name = argv[0];
	if (name && !*name)
		return cmd_usage_error("Error: FILE is empty.");
	if (!module_loaded()) {
		fprintf(stderr, "Error: the nvgre module is not loaded, there is nothing to save.\n");
		return EXIT_KERNEL;
	}
	sets_init(sets);
	ret = sets_dump(sets) || save_format(sets, &buf, &len);
	sets_free(sets);
	if (ret)
		return EXIT_KERNEL;
	if (name)
		ret = save_write(name, buf, len);
	else if (fwrite(buf, 1, len, stdout) != len)
		ret = -1;	/* reported by main() */
	free(buf);
	return ret ? EXIT_KERNEL : EXIT_OK;
}

/* ---- restore ----------------------------------------------------------- */

struct restore_ctx {
	const struct save_kind *kind;
	bool adds;		/* the phase of creations and changes */
	unsigned long failed;	/* the file's line of a failed request */
};

static const char *obj_name(const struct save_kind *kind, const void *obj,
			    char *buf, size_t len)
{
	char err[PARSE_ERR_LEN];
	size_t n;

	if (kind_cfg(kind)->format(obj, buf, len, err, sizeof(err)))
		return "an object";
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return buf;
}

static int restore_one(enum cfg_op op, const void *cur, const void *want,
		       unsigned long line, void *arg)
{
	struct restore_ctx *ctx = arg;
	const struct save_kind *kind = ctx->kind;
	bool replace = kind_can_replace(kind);

	if (!ctx->adds) {
		if (op == CFG_DEL || (op == CFG_CHANGE && !replace))
			return kind_del(kind, cur, &ctx->failed);
		return 0;
	}
	if (op == CFG_ADD)
		return kind_add(kind, want, line, &ctx->failed);
	if (op == CFG_CHANGE && replace)
		return obj_queue(kind->obj, OBJ_REPLACE, want, line,
				 &ctx->failed);
	if (op == CFG_CHANGE) {
		char text[CFG_LINE_LEN];

		fprintf(stderr, "Warning: deleted and added again: %s: %s.\n",
			obj_name(kind, want, text, sizeof(text)),
			kind_recreate_why(kind));
		return kind_add(kind, want, line, &ctx->failed);
	}
	return 0;
}

/* Make the running state cur equal to want; 0 or a negative errno. */
static int restore_apply(const struct cfg_set *cur,
			 const struct cfg_set *want, unsigned long *failed)
{
	struct restore_ctx ctx = { .failed = 0 };
	size_t k;
	int ret = 0;

	for (k = NKINDS; !ret && k-- > 0;) {
		ctx.kind = &kinds[k];
		ret = cfg_diff(&cur[k], &want[k], restore_one, &ctx);
	}
	ctx.adds = true;
	for (k = 0; !ret && k < NKINDS; k++) {
		ctx.kind = &kinds[k];
		ret = cfg_diff(&cur[k], &want[k], restore_one, &ctx);
	}
	if (!ret)
		ret = nvgre_genl_flush(&ctx.failed);
	*failed = ctx.failed;
	return ret;
}

/* The file's objects into want; EXIT_OK or an exit status (printed). */
static int restore_read(const char *name, struct cfg_set *want)
{
	const struct cfg_kind *cfgs[NKINDS];
	FILE *fp = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char err[PARSE_ERR_LEN + PATH_MAX];
	size_t k;
	int ret;

	if (!fp) {
		fprintf(stderr, "Error: cannot open \"%s\": %s.\n", name,
			strerror(errno));
		return EXIT_USAGE;
	}
	for (k = 0; k < NKINDS; k++)
		cfgs[k] = kind_cfg(&kinds[k]);
	ret = cfg_parse_file(fp, name, cfgs, NKINDS, want, err, sizeof(err));
	if (fp != stdin)
		fclose(fp);
	if (ret == -ENOMEM) {
		fprintf(stderr, "Error: %s.\n", strerror(ENOMEM));
		return EXIT_KERNEL;
	}
	if (ret) {
		fprintf(stderr, "Error: %s\n", err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int do_restore(int argc, char **argv)
{
	struct cfg_set cur[NKINDS], want[NKINDS];
	unsigned long failed = 0;
	int ret;

	if (argc != 1)
		return cmd_usage_error("Error: restore takes one FILE.");
	sets_init(cur);
	sets_init(want);
	ret = restore_read(argv[0], want);
	if (!ret && sets_dump(cur))
		ret = EXIT_KERNEL;
	if (!ret && restore_apply(cur, want, &failed)) {
		if (failed)
			fprintf(stderr, "Command failed %s:%lu\n", argv[0],
				failed);
		ret = EXIT_KERNEL;
	}
	sets_free(cur);
	sets_free(want);
	return ret;
}
