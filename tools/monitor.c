// SPDX-License-Identifier: GPL-2.0
/*
 * monitor: print the notifications of the "nvgre" family as they come:
 * changes (the "events" group), each as the nvgrectl command that would
 * make the same change, and misses (the "misses" group), each as a line
 * "miss dev NAME vsid VSID reason REASON [mac MAC] [ca CA] [pa PA]".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/nvgre.h>

#include "json_print.h"
#include "netlink.h"
#include "nvgrectl.h"
#include "obj.h"
#include "parse.h"

/*
 * Receive buffer asked for, as "ip monitor" does; the kernel doubles it.
 * A burst beyond it is reported as lost events, not absorbed.
 */
#define MONITOR_RCVBUF	(1024 * 1024)

static const char *const event_names[NVGRE_CMD_MAX + 1] = {
	[NVGRE_CMD_LOOKUP_FLUSH]	= "flush-lookup",
	[NVGRE_CMD_LINK_NEW]		= "add-link",
	[NVGRE_CMD_LINK_DEL]		= "del-link",
	/* Those of the object table: its add- and del- words. */
};

static const char *const miss_reasons[NVGRE_MISS_MAX + 1] = {
	[NVGRE_MISS_TX_UNICAST]		= "tx-unicast",
	[NVGRE_MISS_TX_ARP]		= "tx-arp",
	[NVGRE_MISS_TX_ND]		= "tx-nd",
	[NVGRE_MISS_RX_UNKNOWN]		= "rx-unknown",
	[NVGRE_MISS_RX_STALE_PA]	= "rx-stale-pa",
	[NVGRE_MISS_TX_ROUTED]		= "tx-routed",
};

struct monitor {
	uint32_t count;		/* notifications left to print; 0: no limit */
};

static volatile sig_atomic_t monitor_stop;

static void monitor_signal(int sig)
{
	(void)sig;
	monitor_stop = 1;
}

/* A flush, or a command this nvgrectl does not know: a comment in text. */
static int print_other(uint8_t cmd, struct nlattr **tb)
{
	open_json_object(NULL);
	if (cmd == NVGRE_CMD_LOOKUP_FLUSH) {
		print_string(PRINT_ANY, "event", "%s", event_names[cmd]);
		if (tb[NVGRE_A_VSID])
			print_uint(PRINT_ANY, "vsid", " vsid %u",
				   nla_get_u32(tb[NVGRE_A_VSID]));
	} else {
		print_string(PRINT_ANY, "event", "# %s", "unknown");
		print_uint(PRINT_ANY, "cmd", " command %u", cmd);
	}
	close_json_object();
	print_nl();
	return 0;
}

/* The address in attribute a (4 or 16 bytes as family says). */
static void print_addr(const char *key, const char *fmt, int family,
		       const struct nlattr *a)
{
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(family, nla_data(a), addr, sizeof(addr));
	print_string(PRINT_ANY, key, fmt, addr);
}

/* The key without record and the outer source PA of a miss, if given. */
static void print_miss_key(struct nlattr **tb)
{
	if (tb[NVGRE_A_MAC]) {
		const uint8_t *m = nla_data(tb[NVGRE_A_MAC]);
		char mac[18];

		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
		print_string(PRINT_ANY, "mac", " mac %s", mac);
	}
	if (tb[NVGRE_A_CA4])
		print_addr("ca", " ca %s", AF_INET, tb[NVGRE_A_CA4]);
	else if (tb[NVGRE_A_CA6])
		print_addr("ca", " ca %s", AF_INET6, tb[NVGRE_A_CA6]);
	if (tb[NVGRE_A_PA4])
		print_addr("pa", " pa %s", AF_INET, tb[NVGRE_A_PA4]);
	else if (tb[NVGRE_A_PA6])
		print_addr("pa", " pa %s", AF_INET6, tb[NVGRE_A_PA6]);
}

/*
 * A miss: the device (its name when this namespace still has it), VSID,
 * reason, then the key without record and the outer source PA if given.
 */
static int print_miss(struct nlattr **tb)
{
	char name[IF_NAMESIZE];
	uint32_t ifindex, reason;

	if (!tb[NVGRE_A_IFINDEX] || !tb[NVGRE_A_VSID] ||
	    !tb[NVGRE_A_MISS_REASON]) {
		fprintf(stderr, "Error: incomplete miss notification from the kernel.\n");
		return -EPROTO;
	}
	ifindex = nla_get_u32(tb[NVGRE_A_IFINDEX]);
	reason = nla_get_u32(tb[NVGRE_A_MISS_REASON]);

	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s", "miss");
	if (if_indextoname(ifindex, name))
		print_string(PRINT_ANY, "ifname", " dev %s", name);
	else
		print_uint(PRINT_FP, NULL, " ifindex %u", ifindex);
	print_uint(PRINT_JSON, "ifindex", NULL, ifindex);
	print_uint(PRINT_ANY, "vsid", " vsid %u", nla_get_u32(tb[NVGRE_A_VSID]));
	if (reason <= NVGRE_MISS_MAX && miss_reasons[reason])
		print_string(PRINT_ANY, "reason", " reason %s",
			     miss_reasons[reason]);
	else
		print_uint(PRINT_ANY, "reason", " reason %u", reason);
	print_miss_key(tb);
	close_json_object();
	print_nl();
	return 0;
}

/* A notification of an object of the table (obj.h); 1: not one. */
static int print_obj_event(uint8_t cmd, struct nlattr **tb)
{
	const struct nvgre_obj *obj;
	enum obj_op op;
	char event[32];

	obj = obj_find_event(cmd, &op);
	if (!obj)
		return 1;
	snprintf(event, sizeof(event), "%s-%s", obj_op_names[op], obj->name);
	return obj_print_event(obj, event, tb,
			       op == OBJ_DEL ? OBJ_VIEW_KEY : OBJ_VIEW_ADD);
}

static int monitor_event(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct monitor *m = arg;
	int ret = 0;

	switch (cmd) {
	case NVGRE_CMD_LINK_NEW:
	case NVGRE_CMD_LINK_DEL:
		ret = link_print_event(event_names[cmd], tb,
				       cmd == NVGRE_CMD_LINK_DEL);
		break;
	case NVGRE_CMD_MISS:
		ret = print_miss(tb);
		break;
	default:
		ret = print_obj_event(cmd, tb);
		if (ret == 1)
			ret = print_other(cmd, tb);
		break;
	}
	if (ret)
		return ret;
	if (fflush(stdout))
		return -EIO;
	return m->count && !--m->count;
}

static int print_overflow(void)
{
	open_json_object(NULL);
	print_string(PRINT_JSON, "event", NULL, "overflow");
	print_string(PRINT_FP, NULL, "%s",
		     "# events lost (receive buffer overflow): resynchronise with show-lookup / show-link");
	close_json_object();
	print_nl();
	return fflush(stdout) ? -EIO : 0;
}

/*
 * SIGINT and SIGTERM are blocked but while waiting in ppoll(), so that
 * one arriving at any other time is seen at the next wait.
 */
static int monitor_loop(int fd, struct monitor *m, const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret;

	while (!monitor_stop) {
		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "Error: cannot wait for notifications: %s.\n",
				strerror(errno));
			return EXIT_KERNEL;
		}
		ret = nvgre_genl_events(monitor_event, m);
		if (ret == -ENOBUFS)
			ret = print_overflow();
		if (ret == 1)
			break;
		if (ret)
			return EXIT_KERNEL;
	}
	return EXIT_OK;
}

/* A socket listening to the groups of MONITOR_* mask groups, or < 0. */
static int monitor_listen(unsigned int groups)
{
	int fd, ret;

	if (!(groups & MONITOR_EVENTS))
		return nvgre_genl_listen(NVGRE_MCGRP_MISSES, MONITOR_RCVBUF);
	fd = nvgre_genl_listen(NVGRE_MCGRP_EVENTS, MONITOR_RCVBUF);
	if (fd < 0 || !(groups & MONITOR_MISSES))
		return fd;
	ret = nvgre_genl_listen_more(NVGRE_MCGRP_MISSES);
	return ret ? ret : fd;
}

int do_monitor(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = monitor_signal };
	struct nvgre_monitor_req req;
	sigset_t block, old, waitmask;
	char err[PARSE_ERR_LEN];
	struct monitor m;
	int fd, ret;

	if (parse_monitor(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	m.count = req.count;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	waitmask = old;
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	fd = monitor_listen(req.groups);
	if (fd < 0) {
		ret = EXIT_KERNEL;
	} else {
		/* Scripts wait for this before making the changes to see. */
		fputs("# listening\n", stderr);
		ret = monitor_loop(fd, &m, &waitmask);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
