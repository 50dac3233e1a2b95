// SPDX-License-Identifier: GPL-2.0
/*
 * Command line parsers of the routing domain objects: add-subnet,
 * del-subnet, show-subnet, add-route, del-route and show-route. Pure like
 * parse.c, with its messages.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static int rperr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

#define R_NEXT_ARG()							\
	do {								\
		if (argc < 2)						\
			return rperr(err, len,				\
				     "Error: missing value after \"%s\".", \
				     *argv);				\
		argc--;							\
		argv++;							\
	} while (0)

static const char vsid_why[] = "VSID must be a number in 4096-16777214";

/* ADDR/LEN with the host bits clear; 0 or -1. */
int parse_prefix(const char *s, struct nvgre_ip *prefix, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const uint8_t *b;
	unsigned int max, i;
	uint32_t v;
	char *slash;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	if (parse_ip(buf, prefix) || parse_u32(slash + 1, &v))
		return -1;
	max = prefix->family == AF_INET ? 32 : 128;
	if (v > max)
		return -1;
	b = prefix->family == AF_INET ? (const uint8_t *)&prefix->v4 :
					prefix->v6.s6_addr;
	for (i = v; i < max; i++)
		if (b[i / 8] & (0x80 >> (i % 8)))
			return -1;
	*plen = v;
	return 0;
}

static int parse_subnet_cmd(int argc, char **argv,
			    struct nvgre_subnet_req *req, bool add, char *err,
			    size_t len)
{
	bool has_vsid = false;

	memset(req, 0, sizeof(*req));
	if (argc < 1)
		return rperr(err, len, "Error: PREFIX is required.");
	if (parse_prefix(argv[0], &req->prefix, &req->plen))
		return rperr(err, len,
			     "Error: argument \"%s\" is wrong: PREFIX must be ADDRESS/LENGTH with the host bits clear",
			     argv[0]);
	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "vsid")) {
			R_NEXT_ARG();
			if (has_vsid)
				return rperr(err, len,
					     "Error: duplicate \"vsid\": \"%s\" is the second value.",
					     *argv);
			if (parse_vsid(*argv, &req->vsid))
				return rperr(err, len,
					     "Error: argument \"%s\" is wrong: %s",
					     *argv, vsid_why);
			has_vsid = true;
		} else if (add && !strcmp(*argv, "rdid")) {
			R_NEXT_ARG();
			if (req->has_rdid)
				return rperr(err, len,
					     "Error: duplicate \"rdid\": \"%s\" is the second value.",
					     *argv);
			if (parse_u32(*argv, &req->rdid) || !req->rdid)
				return rperr(err, len,
					     "Error: argument \"%s\" is wrong: RDID must be a number in 1-4294967295",
					     *argv);
			req->has_rdid = true;
		} else if (add && !strcmp(*argv, "gateway")) {
			R_NEXT_ARG();
			if (req->has_gw)
				return rperr(err, len,
					     "Error: duplicate \"gateway\": \"%s\" is the second value.",
					     *argv);
			if (parse_ip(*argv, &req->gw) ||
			    req->gw.family != req->prefix.family)
				return rperr(err, len,
					     "Error: argument \"%s\" is wrong: the gateway must be an address of the prefix's family",
					     *argv);
			req->has_gw = true;
		} else {
			return rperr(err, len,
				     "Error: unknown argument \"%s\", try \"nvgrectl help\".",
				     *argv);
		}
	}
	if (!has_vsid)
		return rperr(err, len, "Error: \"vsid\" is required.");
	return 0;
}

int parse_subnet_add(int argc, char **argv, struct nvgre_subnet_req *req,
		     char *err, size_t len)
{
	return parse_subnet_cmd(argc, argv, req, true, err, len);
}

int parse_subnet_del(int argc, char **argv, struct nvgre_subnet_req *req,
		     char *err, size_t len)
{
	return parse_subnet_cmd(argc, argv, req, false, err, len);
}

int parse_subnet_show(int argc, char **argv, struct nvgre_filter_req *req,
		      char *err, size_t len)
{
	return parse_lookup_filter(argc, argv, req, err, len);
}

static int dup_arg(char *err, size_t len, const char *key, const char *arg)
{
	return rperr(err, len,
		     "Error: duplicate \"%s\": \"%s\" is the second value.",
		     key, arg);
}

static int parse_rdid(const char *s, uint32_t *rdid, char *err, size_t len)
{
	if (parse_u32(s, rdid) || !*rdid)
		return rperr(err, len,
			     "Error: argument \"%s\" is wrong: RDID must be a number in 1-4294967295",
			     s);
	return 0;
}

/* add: add-route; else del-route (PREFIX rdid RDID [metric N]). */
static int parse_route_cmd(int argc, char **argv, struct nvgre_route_req *req,
			   bool add, char *err, size_t len)
{
	bool has_rdid = false;

	memset(req, 0, sizeof(*req));
	if (argc < 1)
		return rperr(err, len, "Error: PREFIX is required.");
	if (parse_prefix(argv[0], &req->prefix, &req->plen))
		return rperr(err, len,
			     "Error: argument \"%s\" is wrong: PREFIX must be ADDRESS/LENGTH with the host bits clear",
			     argv[0]);
	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "rdid")) {
			R_NEXT_ARG();
			if (has_rdid)
				return dup_arg(err, len, "rdid", *argv);
			if (parse_rdid(*argv, &req->rdid, err, len))
				return -1;
			has_rdid = true;
		} else if (!strcmp(*argv, "metric")) {
			R_NEXT_ARG();
			if (req->has_metric)
				return dup_arg(err, len, "metric", *argv);
			if (parse_u32(*argv, &req->metric))
				return rperr(err, len,
					     "Error: argument \"%s\" is wrong: METRIC must be a number in 0-4294967295",
					     *argv);
			req->has_metric = true;
		} else if (add && !strcmp(*argv, "vsid")) {
			R_NEXT_ARG();
			if (req->has_vsid)
				return dup_arg(err, len, "vsid", *argv);
			if (parse_vsid(*argv, &req->vsid))
				return rperr(err, len,
					     "Error: argument \"%s\" is wrong: %s",
					     *argv, vsid_why);
			req->has_vsid = true;
		} else if (add && (!strcmp(*argv, "nexthop") ||
				   !strcmp(*argv, "via"))) {
			R_NEXT_ARG();
			if (req->has_nh)
				return dup_arg(err, len, "nexthop", *argv);
			if (parse_ip(*argv, &req->nh) ||
			    req->nh.family != req->prefix.family)
				return rperr(err, len,
					     "Error: argument \"%s\" is wrong: the next hop must be a CA of the prefix's family",
					     *argv);
			req->has_nh = true;
		} else {
			return rperr(err, len,
				     "Error: unknown argument \"%s\", try \"nvgrectl help\".",
				     *argv);
		}
	}
	if (!has_rdid)
		return rperr(err, len, "Error: \"rdid\" is required.");
	if (add && !req->has_nh && !req->has_vsid)
		return rperr(err, len,
			     "Error: a route needs \"nexthop\" or \"vsid\" (on-link).");
	return 0;
}

int parse_route_add(int argc, char **argv, struct nvgre_route_req *req,
		    char *err, size_t len)
{
	return parse_route_cmd(argc, argv, req, true, err, len);
}

int parse_route_del(int argc, char **argv, struct nvgre_route_req *req,
		    char *err, size_t len)
{
	return parse_route_cmd(argc, argv, req, false, err, len);
}

int parse_route_show(int argc, char **argv, struct nvgre_route_filter *req,
		     char *err, size_t len)
{
	memset(req, 0, sizeof(*req));
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "rdid")) {
			R_NEXT_ARG();
			if (req->has_rdid)
				return dup_arg(err, len, "rdid", *argv);
			if (parse_rdid(*argv, &req->rdid, err, len))
				return -1;
			req->has_rdid = true;
		} else {
			return rperr(err, len,
				     "Error: unknown argument \"%s\", try \"nvgrectl help\".",
				     *argv);
		}
	}
	return 0;
}
