/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnvgre's command line parsers, the grammar of nvgrectl (nvgrectl.8)
 * and of its batch and saved files: pure functions that take argc/argv
 * (the words after the command name) and fill a request struct, or write
 * one error line to err and return -1. No I/O, no netlink, no global
 * state, so the unit tests (tests/test_parse.c) and the fuzzer (fuzz/)
 * can drive them.
 */
#ifndef NVGRECTL_PARSE_H
#define NVGRECTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

/* Size of the error buffers the parsers write to. */
#define PARSE_ERR_LEN	256

/* Most words a batch line may hold. */
#define BATCH_MAX_ARGS	64

#define MAC_LEN		6

struct nvgre_ip {
	int family;			/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/*
 * add-lookup, replace-lookup (all fields), del-lookup (the key: vsid,
 * type and ca, or mac for type l2only)
 */
struct nvgre_lookup_req {
	struct nvgre_ip ca;		/* family 0: none (l2only, gateway) */
	uint32_t vsid;
	struct nvgre_ip pa;		/* IPv4 or IPv6 underlay */
	uint8_t mac[MAC_LEN];
	uint8_t type;			/* enum nvgre_lookup_type */
	/*
	 * NVGRE_PROTO_*: who installs it (add, replace; 0: by hand); in
	 * del-lookup, with has_proto, the protocol the record must have.
	 */
	uint8_t proto;
	bool has_proto;
};

/* The word of a record type ("static", "l2only", "gateway"), or NULL. */
const char *lookup_type_name(uint8_t type);
/* The name of a record's protocol ("admin", "agent") or its number. */
void lookup_proto_name(uint8_t proto, char *buf, size_t len);
/* A protocol's name or number 0-255; 0 or -1. */
int parse_lookup_proto(const char *s, uint8_t *proto);

/* show-lookup, flush-lookup */
struct nvgre_filter_req {
	bool has_vsid;
	uint32_t vsid;
};

/* add-link, del-link (name only) */
struct nvgre_link_req {
	char name[IFNAMSIZ];
	uint32_t vsid;
	bool has_local;
	struct in_addr local;
	bool has_local6;
	struct in6_addr local6;
	bool has_rdid;
	uint32_t rdid;
	bool has_ttl;
	uint8_t ttl;
	bool has_tos;
	uint8_t tos;		/* NVGRE_TOS_INHERIT: inherit */
	bool has_group;
	struct in_addr group;	/* IPv4 multicast group */
};

/* show-link */
struct nvgre_link_show_req {
	bool has_name;
	char name[IFNAMSIZ];
	bool stats;
};

/* add-pa (both fields), del-pa (pa only) */
struct nvgre_pa_req {
	struct nvgre_ip pa;
	char dev[IFNAMSIZ];
};

/* add-subnet (all fields), del-subnet (prefix, plen, vsid) */
struct nvgre_subnet_req {
	struct nvgre_ip prefix;
	uint8_t plen;
	uint32_t vsid;
	bool has_rdid;
	uint32_t rdid;		/* 1-4294967295 */
	bool has_gw;
	struct nvgre_ip gw;
};

/* add-route (all fields), del-route (prefix, plen, rdid, metric) */
struct nvgre_route_req {
	struct nvgre_ip prefix;
	uint8_t plen;
	uint32_t rdid;		/* 1-4294967295 */
	bool has_vsid;
	uint32_t vsid;
	bool has_nh;
	struct nvgre_ip nh;
	bool has_metric;
	uint32_t metric;
};

/* show-route */
struct nvgre_route_filter {
	bool has_rdid;
	uint32_t rdid;
};

/* monitor: the multicast groups to listen to */
#define MONITOR_EVENTS	0x1	/* "events" (the default) */
#define MONITOR_MISSES	0x2	/* "misses" */

/* monitor */
struct nvgre_monitor_req {
	uint32_t count;		/* notifications to print; 0: no limit */
	unsigned int groups;	/* MONITOR_* */
	const char *group_word;	/* the word that chose groups, or NULL */
};

/* get: the frame the datapath is asked about */
struct nvgre_get_req {
	struct nvgre_ip dst;		/* inner destination CA */
	uint32_t vsid;
	bool has_src;
	struct nvgre_ip src;		/* inner source CA */
	bool has_mac;
	uint8_t mac[MAC_LEN];		/* inner source MAC */
	bool has_lladdr;
	uint8_t lladdr[MAC_LEN];	/* inner destination MAC */
	bool has_dev;
	char dev[IFNAMSIZ];
	uint8_t dir;			/* enum nvgre_get_dir */
	bool has_pa;
	struct nvgre_ip pa;		/* outer source PA (dir in) */
	bool has_to;
	struct nvgre_ip to;		/* outer destination PA (dir in) */
};

/* Global options before the command. */
struct nvgre_opts {
	bool json;
	bool pretty;
	bool stats;
	bool help;
	bool version;
	const char *netns;
	const char *batch;
	const char *store;		/* --store URL[,URL...] */
};

/* The IFLA_NVGRE_TOS value that copies the inner DSCP ("tos inherit"). */
#define NVGRE_TOS_INHERIT	1

/* Scalars; return 0 or -1 without writing any message. */
int parse_vsid(const char *s, uint32_t *vsid);
int parse_u32(const char *s, uint32_t *val);
int parse_ttl(const char *s, uint8_t *ttl);
int parse_tos(const char *s, uint8_t *tos);
int parse_ip(const char *s, struct nvgre_ip *ip);
/* IPv4 before IPv6, then by address: the order of every listing. */
int nvgre_ip_cmp(const struct nvgre_ip *x, const struct nvgre_ip *y);
int parse_mac(const char *s, uint8_t mac[MAC_LEN], const char **why);
int parse_ifname(const char *s, char name[IFNAMSIZ]);

/* Commands; argv[0] is the first word after the command name. */
int parse_lookup_add(int argc, char **argv, struct nvgre_lookup_req *req,
		     char *err, size_t len);
int parse_lookup_del(int argc, char **argv, struct nvgre_lookup_req *req,
		     char *err, size_t len);
int parse_lookup_filter(int argc, char **argv, struct nvgre_filter_req *req,
			char *err, size_t len);
int parse_link_add(int argc, char **argv, struct nvgre_link_req *req,
		   char *err, size_t len);
int parse_link_del(int argc, char **argv, struct nvgre_link_req *req,
		   char *err, size_t len);
int parse_link_show(int argc, char **argv, struct nvgre_link_show_req *req,
		    char *err, size_t len);
int parse_monitor(int argc, char **argv, struct nvgre_monitor_req *req,
		  char *err, size_t len);
int parse_pa_add(int argc, char **argv, struct nvgre_pa_req *req,
		 char *err, size_t len);
int parse_pa_del(int argc, char **argv, struct nvgre_pa_req *req,
		 char *err, size_t len);
int parse_pa_show(int argc, char **argv, char *err, size_t len);
/* parse_route.c */
int parse_prefix(const char *s, struct nvgre_ip *prefix, uint8_t *plen);
int parse_subnet_add(int argc, char **argv, struct nvgre_subnet_req *req,
		     char *err, size_t len);
int parse_subnet_del(int argc, char **argv, struct nvgre_subnet_req *req,
		     char *err, size_t len);
int parse_subnet_show(int argc, char **argv, struct nvgre_filter_req *req,
		      char *err, size_t len);
int parse_route_add(int argc, char **argv, struct nvgre_route_req *req,
		    char *err, size_t len);
int parse_route_del(int argc, char **argv, struct nvgre_route_req *req,
		    char *err, size_t len);
int parse_get(int argc, char **argv, struct nvgre_get_req *req, char *err,
	      size_t len);
int parse_route_show(int argc, char **argv, struct nvgre_route_filter *req,
		     char *err, size_t len);

/*
 * Global options: argv[0] is the program name. On success *next is the
 * index of the command word (argc when there is none).
 */
int parse_opts(int argc, char **argv, struct nvgre_opts *opts, int *next,
	       char *err, size_t len);

/*
 * Split one batch line in place into at most max words. Blank lines and
 * lines whose first word starts with '#' give *argcp == 0; an unquoted
 * word starting with '#' ends the line. "double quotes" group words.
 */
int parse_batch_line(char *line, char **argv, int max, int *argcp,
		     char *err, size_t len);

#endif /* NVGRECTL_PARSE_H */
