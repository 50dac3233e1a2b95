// SPDX-License-Identifier: GPL-2.0
/*
 * nvgre devices: add-link and del-link over rtnetlink, show-link over the
 * "nvgre" generic netlink family.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <linux/nvgre.h>

#include "array.h"
#include "json_print.h"
#include "netlink.h"
#include "nvgrectl.h"
#include "parse.h"

#define NVGRE_KIND	"nvgre"
/* Text mode wraps counter lines before this column. */
#define STATS_COLS	78

static const char *const stats_names[NVGRE_STATS_MAX + 1] = {
	[NVGRE_STATS_RX_PACKETS]	= "rx_packets",
	[NVGRE_STATS_RX_BYTES]		= "rx_bytes",
	[NVGRE_STATS_TX_PACKETS]	= "tx_packets",
	[NVGRE_STATS_TX_BYTES]		= "tx_bytes",
	[NVGRE_STATS_ARP_REPLIES]	= "arp_replies",
	[NVGRE_STATS_TX_NO_RECORD]	= "tx_no_record",
	[NVGRE_STATS_TX_FLOOD]		= "tx_flood",
	[NVGRE_STATS_TX_ARP_MISS]	= "tx_arp_miss",
	[NVGRE_STATS_TX_LOCAL_PA]	= "tx_local_pa",
	[NVGRE_STATS_TX_NO_ROUTE]	= "tx_no_route",
	[NVGRE_STATS_TX_ERRORS]		= "tx_errors",
	[NVGRE_STATS_RX_BAD_FLAGS]	= "rx_bad_flags",
	[NVGRE_STATS_RX_VLAN]		= "rx_vlan",
	[NVGRE_STATS_RX_WRONG_PA]	= "rx_wrong_pa",
	[NVGRE_STATS_RX_SPOOF_MAC]	= "rx_spoof_mac",
	[NVGRE_STATS_RX_SPOOF_CA]	= "rx_spoof_ca",
	[NVGRE_STATS_RX_MALFORMED]	= "rx_malformed",
	[NVGRE_STATS_RX_ERRORS]		= "rx_errors",
	[NVGRE_STATS_RX_UNKNOWN_VSID]	= "rx_unknown_vsid",
	[NVGRE_STATS_TX_TOO_BIG]	= "tx_too_big",
	[NVGRE_STATS_RX_ECN]		= "rx_ecn",
	[NVGRE_STATS_ND_REPLIES]	= "nd_replies",
	[NVGRE_STATS_TX_ND_MISS]	= "tx_nd_miss",
	[NVGRE_STATS_MISS_EVENTS]	= "miss_events",
	[NVGRE_STATS_MISS_SUPPRESSED]	= "miss_suppressed",
	[NVGRE_STATS_TX_NO_LOCAL_PA]	= "tx_no_local_pa",
	[NVGRE_STATS_TX_NO_SUBNET]	= "tx_no_subnet",
	[NVGRE_STATS_TX_TTL_EXCEEDED]	= "tx_ttl_exceeded",
	[NVGRE_STATS_TX_ROUTED_LOCAL]	= "tx_routed_local",
	[NVGRE_STATS_TX_FLOOD_COPIES]	= "tx_flood_copies",
	[NVGRE_STATS_TX_FLOOD_SKIPPED]	= "tx_flood_skipped",
	[NVGRE_STATS_TX_GATEWAY]	= "tx_gateway",
	[NVGRE_STATS_RX_WRONG_GROUP]	= "rx_wrong_group",
	[NVGRE_STATS_TX_GROUP]		= "tx_group",
	[NVGRE_STATS_TX_ND_SPOOF]	= "tx_nd_spoof",
	[NVGRE_STATS_RX_ND_SPOOF]	= "rx_nd_spoof",
	[NVGRE_STATS_TX_ND_ROUTER]	= "tx_nd_router",
	[NVGRE_STATS_RX_ND_ROUTER]	= "rx_nd_router",
	[NVGRE_STATS_TX_NS_INVALID]	= "tx_ns_invalid",
	[NVGRE_STATS_RX_POLICY]		= "rx_policy",
};

/* The name of counter attr (NVGRE_STATS_*), or NULL. */
const char *stats_name(unsigned int attr)
{
	return attr <= NVGRE_STATS_MAX ? stats_names[attr] : NULL;
}

struct nvgre_stats {
	bool present[NVGRE_STATS_MAX + 1];
	uint64_t val[NVGRE_STATS_MAX + 1];
};

struct link_rec {
	char ifname[IFNAMSIZ];
	uint32_t ifindex;
	uint32_t vsid;
	uint32_t rdid;
	uint8_t ttl;
	uint8_t tos;
	bool has_local;
	struct in_addr local;
	bool has_local6;
	struct in6_addr local6;
	bool has_group;
	struct in_addr group;
	struct nvgre_stats stats;
};

struct link_list {
	struct link_rec *recs;
	size_t n;
	size_t cap;
};

/* Counters of a NVGRE_A_STATS nest; unknown ones are skipped. */
static int stats_parse(struct nlattr *nest, struct nvgre_stats *st)
{
	struct nlattr *tb[NVGRE_STATS_MAX + 1];
	int i;

	memset(st, 0, sizeof(*st));
	if (!nest)
		return 0;
	if (nla_parse_nested(tb, NVGRE_STATS_MAX, nest, NULL) < 0) {
		fprintf(stderr, "Error: malformed counters from the kernel.\n");
		return -EPROTO;
	}
	for (i = 1; i <= NVGRE_STATS_MAX; i++) {
		if (i == NVGRE_STATS_PAD || !tb[i] ||
		    nla_len(tb[i]) < (int)sizeof(uint64_t))
			continue;
		st->present[i] = true;
		st->val[i] = nla_get_u64(tb[i]);
	}
	return 0;
}

/* "key": { "name": value, ... }, or lines of "name value" pairs. */
static void stats_print(const char *key, const struct nvgre_stats *st)
{
	int i, col = 0;

	open_json_object(key);
	for (i = 1; i <= NVGRE_STATS_MAX; i++) {
		char name[32], fmt[48];
		int n;

		if (!st->present[i])
			continue;
		if (stats_names[i])
			snprintf(name, sizeof(name), "%s", stats_names[i]);
		else
			snprintf(name, sizeof(name), "counter_%d", i);
		n = snprintf(NULL, 0, " %s %" PRIu64, name, st->val[i]);
		if (!col || col + n > STATS_COLS) {
			snprintf(fmt, sizeof(fmt), "\n    %s %%" PRIu64, name);
			col = 3 + n;	/* n counts a leading space */
		} else {
			snprintf(fmt, sizeof(fmt), " %s %%" PRIu64, name);
			col += n;
		}
		print_u64(PRINT_ANY, name, fmt, st->val[i]);
	}
	close_json_object();
}

/* A device of a reply or notification; -EPROTO (printed) if incomplete. */
static int link_from_attrs(struct nlattr **tb, struct link_rec *rec)
{
	if (!tb[NVGRE_A_IFINDEX] || !tb[NVGRE_A_IFNAME] || !tb[NVGRE_A_VSID]) {
		fprintf(stderr, "Error: incomplete link reply from the kernel.\n");
		return -EPROTO;
	}
	memset(rec, 0, sizeof(*rec));
	nla_strlcpy(rec->ifname, tb[NVGRE_A_IFNAME], sizeof(rec->ifname));
	rec->ifindex = nla_get_u32(tb[NVGRE_A_IFINDEX]);
	rec->vsid = nla_get_u32(tb[NVGRE_A_VSID]);
	if (tb[NVGRE_A_RDID])
		rec->rdid = nla_get_u32(tb[NVGRE_A_RDID]);
	if (tb[NVGRE_A_TTL])
		rec->ttl = nla_get_u8(tb[NVGRE_A_TTL]);
	if (tb[NVGRE_A_TOS])
		rec->tos = nla_get_u8(tb[NVGRE_A_TOS]);
	if (tb[NVGRE_A_LOCAL4]) {
		rec->has_local = true;
		memcpy(&rec->local, nla_data(tb[NVGRE_A_LOCAL4]),
		       sizeof(rec->local));
	}
	if (tb[NVGRE_A_LOCAL6]) {
		rec->has_local6 = true;
		memcpy(&rec->local6, nla_data(tb[NVGRE_A_LOCAL6]),
		       sizeof(rec->local6));
	}
	if (tb[NVGRE_A_GROUP4]) {
		rec->has_group = true;
		memcpy(&rec->group, nla_data(tb[NVGRE_A_GROUP4]),
		       sizeof(rec->group));
	}
	return stats_parse(tb[NVGRE_A_STATS], &rec->stats);
}

static int link_collect(struct nlattr **tb, void *arg)
{
	struct link_list *list = arg;
	void *p;

	p = array_grow(list->recs, &list->cap, list->n, sizeof(*list->recs),
		       8);
	if (!p) {
		fprintf(stderr, "Error: %s.\n", strerror(ENOMEM));
		return -ENOMEM;
	}
	list->recs = p;
	if (link_from_attrs(tb, &list->recs[list->n]))
		return -EPROTO;
	list->n++;
	return 0;
}

static void link_reset(void *arg)
{
	struct link_list *list = arg;

	list->n = 0;
}

/* show-link lists devices in the order they were created. */
static int link_ifindex_cmp(const void *a, const void *b)
{
	const struct link_rec *x = a, *y = b;

	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

/*
 * The name with name_fmt, then the settings as add-link words, printed as
 * type says.
 */
static void link_print_fields(const struct link_rec *rec,
			      const char *name_fmt, enum output_type type)
{
	print_string(PRINT_ANY, "ifname", name_fmt, rec->ifname);
	print_uint(PRINT_JSON, "ifindex", NULL, rec->ifindex);
	print_uint(type, "vsid", " vsid %u", rec->vsid);
	if (rec->has_local) {
		char local[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &rec->local, local, sizeof(local));
		print_string(type, "local", " local %s", local);
	}
	if (rec->has_local6) {
		char local[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, &rec->local6, local, sizeof(local));
		print_string(type, "local6", " local %s", local);
	}
	print_uint(type, "rdid", " rdid %u", rec->rdid);
	/* ttl and tos only when they are not the defaults. */
	if (rec->ttl)
		print_uint(type, "ttl", " ttl %u", rec->ttl);
	if (rec->tos == NVGRE_TOS_INHERIT)
		print_string(type, "tos", " tos %s", "inherit");
	else if (rec->tos)
		print_uint(type, "tos", " tos 0x%02x", rec->tos);
	/* Without a group: head-end replication, the default. */
	if (rec->has_group) {
		char group[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &rec->group, group, sizeof(group));
		print_string(type, "group", " group %s", group);
	}
}

static void link_print(const struct link_rec *rec, bool stats)
{
	open_json_object(NULL);
	link_print_fields(rec, "%s:", PRINT_ANY);
	if (stats)
		stats_print("stats", &rec->stats);
	close_json_object();
	print_nl();
}

int link_print_event(const char *event, struct nlattr **tb, bool name_only)
{
	struct link_rec rec;

	if (link_from_attrs(tb, &rec))
		return -EPROTO;
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s ", event);
	link_print_fields(&rec, "%s", name_only ? PRINT_JSON : PRINT_ANY);
	close_json_object();
	print_nl();
	return 0;
}

static int ns_stats_collect(struct nlattr **tb, void *arg)
{
	return stats_parse(tb[NVGRE_A_STATS], arg);
}

static int ns_stats_show(void)
{
	struct nvgre_stats st;

	memset(&st, 0, sizeof(st));
	if (nvgre_genl_do(NVGRE_CMD_NS_STATS_GET, NULL, NULL,
			  ns_stats_collect, &st))
		return -1;
	open_json_object(NULL);
	print_string(PRINT_FP, NULL, "%s", "namespace:");
	stats_print("namespace_stats", &st);
	close_json_object();
	print_nl();
	return 0;
}

/*
 * ifindex of name if it is an nvgre device; else print why not and
 * return -1.
 */
static int nvgre_ifindex(const char *name, int *ifindex)
{
	char kind[32];
	int ret;

	ret = rtnl_link_get(name, ifindex, kind, sizeof(kind));
	if (ret == -ENODEV)
		fprintf(stderr, "Error: cannot find device \"%s\".\n", name);
	if (ret)
		return -1;
	if (strcmp(kind, NVGRE_KIND)) {
		fprintf(stderr, "Error: %s is not an nvgre device.\n", name);
		return -1;
	}
	return 0;
}

static int put_ifindex(struct nl_msg *msg, const void *data)
{
	const int *ifindex = data;

	return nla_put_u32(msg, NVGRE_A_IFINDEX, *ifindex) < 0 ? -EMSGSIZE : 0;
}

int do_show_link(int argc, char **argv)
{
	struct link_list list = { NULL, 0, 0 };
	struct nvgre_link_show_req req;
	char err[PARSE_ERR_LEN];
	int ifindex, ret;
	size_t i;

	if (parse_link_show(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	req.stats |= show_stats;
	if (req.has_name) {
		if (nvgre_ifindex(req.name, &ifindex))
			return EXIT_KERNEL;
		ret = nvgre_genl_do(NVGRE_CMD_LINK_GET, put_ifindex, &ifindex,
				    link_collect, &list);
	} else {
		ret = nvgre_genl_dump(NVGRE_CMD_LINK_GET, NULL, NULL,
				      link_collect, link_reset, &list);
	}
	if (ret) {
		free(list.recs);
		return EXIT_KERNEL;
	}
	if (list.n)
		qsort(list.recs, list.n, sizeof(*list.recs),
		      link_ifindex_cmp);
	open_json_array(NULL);
	for (i = 0; i < list.n; i++)
		link_print(&list.recs[i], req.stats);
	ret = req.stats ? ns_stats_show() : 0;
	close_json_array();
	free(list.recs);
	return ret ? EXIT_KERNEL : EXIT_OK;
}

static struct nl_msg *link_new_msg(const struct nvgre_link_req *req)
{
	struct nlattr *linkinfo, *data;
	struct nl_msg *msg;

	msg = rtnl_link_msg(RTM_NEWLINK,
			    NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, 0);
	if (!msg)
		return NULL;
	if (nla_put_string(msg, IFLA_IFNAME, req->name) < 0)
		goto err;
	linkinfo = nla_nest_start(msg, IFLA_LINKINFO);
	if (!linkinfo || nla_put_string(msg, IFLA_INFO_KIND, NVGRE_KIND) < 0)
		goto err;
	data = nla_nest_start(msg, IFLA_INFO_DATA);
	if (!data || nla_put_u32(msg, IFLA_NVGRE_VSID, req->vsid) < 0)
		goto err;
	if (req->has_local &&
	    nla_put(msg, IFLA_NVGRE_LOCAL, sizeof(req->local), &req->local) < 0)
		goto err;
	if (req->has_local6 &&
	    nla_put(msg, IFLA_NVGRE_LOCAL6, sizeof(req->local6),
		    &req->local6) < 0)
		goto err;
	if (req->has_ttl && nla_put_u8(msg, IFLA_NVGRE_TTL, req->ttl) < 0)
		goto err;
	if (req->has_tos && nla_put_u8(msg, IFLA_NVGRE_TOS, req->tos) < 0)
		goto err;
	if (req->has_rdid && nla_put_u32(msg, IFLA_NVGRE_RDID, req->rdid) < 0)
		goto err;
	if (req->has_group &&
	    nla_put(msg, IFLA_NVGRE_GROUP, sizeof(req->group), &req->group) < 0)
		goto err;
	nla_nest_end(msg, data);
	nla_nest_end(msg, linkinfo);
	return msg;
err:
	nlmsg_free(msg);
	return NULL;
}

int link_create(const struct nvgre_link_req *req)
{
	return rtnl_transact(link_new_msg(req));
}

int link_delete(const char *name)
{
	int ifindex;

	if (nvgre_ifindex(name, &ifindex))
		return -ENODEV;
	return rtnl_transact(rtnl_link_msg(RTM_DELLINK, NLM_F_ACK, ifindex));
}

int link_dump(int (*fn)(const struct nvgre_link_req *req, void *arg),
	      void *arg)
{
	struct link_list list = { NULL, 0, 0 };
	int ret;
	size_t i;

	ret = nvgre_genl_dump(NVGRE_CMD_LINK_GET, NULL, NULL, link_collect,
			      link_reset, &list);
	for (i = 0; !ret && i < list.n; i++) {
		const struct link_rec *rec = &list.recs[i];
		struct nvgre_link_req req = {
			.vsid = rec->vsid,
			.has_local = rec->has_local,
			.local = rec->local,
			.has_local6 = rec->has_local6,
			.local6 = rec->local6,
			.has_rdid = rec->rdid != 0,
			.rdid = rec->rdid,
			.has_ttl = rec->ttl != 0,
			.ttl = rec->ttl,
			.has_tos = rec->tos != 0,
			.tos = rec->tos,
			.has_group = rec->has_group,
			.group = rec->group,
		};

		memcpy(req.name, rec->ifname, sizeof(req.name));
		ret = fn(&req, arg);
	}
	free(list.recs);
	return ret;
}

int do_add_link(int argc, char **argv)
{
	struct nvgre_link_req req;
	char err[PARSE_ERR_LEN];

	if (parse_link_add(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (rtnl_transact(link_new_msg(&req)))
		return EXIT_KERNEL;
	return EXIT_OK;
}

int do_del_link(int argc, char **argv)
{
	struct nvgre_link_req req;
	char err[PARSE_ERR_LEN];
	int ifindex;

	if (parse_link_del(argc, argv, &req, err, sizeof(err)))
		return cmd_usage_error(err);
	if (nvgre_ifindex(req.name, &ifindex))
		return EXIT_KERNEL;
	if (rtnl_transact(rtnl_link_msg(RTM_DELLINK, NLM_F_ACK, ifindex)))
		return EXIT_KERNEL;
	return EXIT_OK;
}
