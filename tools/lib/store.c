// SPDX-License-Identifier: GPL-2.0
/*
 * The fleet's key schema (store.h): records to keys and JSON values and
 * back. A value is checked by the add-lookup parser itself (its fields
 * become that command's words), so the store accepts exactly what
 * nvgrectl accepts.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <json-c/json.h>
#include <linux/nvgre.h>

#include "store.h"

static void mac_str(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
}

int store_lookup_key(const struct nvgre_lookup_req *r, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN];
	int n;

	switch (r->type) {
	case NVGRE_LOOKUP_L2ONLY:
		mac_str(r->mac, s, sizeof(s));
		n = snprintf(buf, len, STORE_LOOKUP_PREFIX "%u/mac/%s",
			     r->vsid, s);
		break;
	case NVGRE_LOOKUP_GATEWAY:
		n = snprintf(buf, len, STORE_LOOKUP_PREFIX "%u/gateway",
			     r->vsid);
		break;
	default:
		inet_ntop(r->ca.family, &r->ca.v6, s, sizeof(s));
		n = snprintf(buf, len, STORE_LOOKUP_PREFIX "%u/%s", r->vsid,
			     s);
	}
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

void store_lookup_prefix(uint32_t vsid, char *buf, size_t len)
{
	if (vsid)
		snprintf(buf, len, STORE_LOOKUP_PREFIX "%u/", vsid);
	else
		snprintf(buf, len, STORE_LOOKUP_PREFIX);
}

size_t store_lookup_value(const struct nvgre_lookup_req *r, char *buf,
			  size_t len)
{
	char pa[INET6_ADDRSTRLEN], mac[18];
	int n;

	inet_ntop(r->pa.family, &r->pa.v6, pa, sizeof(pa));
	mac_str(r->mac, mac, sizeof(mac));
	if (r->type == NVGRE_LOOKUP_STATIC) {
		char ca[INET6_ADDRSTRLEN];

		inet_ntop(r->ca.family, &r->ca.v6, ca, sizeof(ca));
		n = snprintf(buf, len,
			     "{\"ca\":\"%s\",\"vsid\":%u,\"pa\":\"%s\",\"mac\":\"%s\"}",
			     ca, r->vsid, pa, mac);
	} else {
		n = snprintf(buf, len,
			     "{\"vsid\":%u,\"pa\":\"%s\",\"mac\":\"%s\",\"type\":\"%s\"}",
			     r->vsid, pa, mac, lookup_type_name(r->type));
	}
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

static int perr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* A string field of o, or NULL; *bad when it is there but no string. */
static const char *jstr(json_object *o, const char *name, bool *bad)
{
	json_object *v;

	if (!json_object_object_get_ex(o, name, &v))
		return NULL;
	if (!json_object_is_type(v, json_type_string)) {
		*bad = true;
		return NULL;
	}
	return json_object_get_string(v);
}

/* The add-lookup words of the value o into argv; their number, or -1. */
static int value_words(json_object *o, char **argv, char *vsid, size_t vlen,
		       char *err, size_t len)
{
	const char *ca, *pa, *mac, *type;
	bool bad = false;
	json_object *v;
	int argc = 0;

	if (!json_object_is_type(o, json_type_object))
		return perr(err, len, "the value is not a JSON object");
	ca = jstr(o, "ca", &bad);
	pa = jstr(o, "pa", &bad);
	mac = jstr(o, "mac", &bad);
	type = jstr(o, "type", &bad);
	if (bad)
		return perr(err, len, "ca, pa, mac and type are strings");
	if (!json_object_object_get_ex(o, "vsid", &v) ||
	    !json_object_is_type(v, json_type_int))
		return perr(err, len, "\"vsid\" is required, a number");
	snprintf(vsid, vlen, "%" PRId64, json_object_get_int64(v));
	if (ca)
		argv[argc++] = (char *)ca;
	argv[argc++] = "vsid";
	argv[argc++] = vsid;
	if (pa) {
		argv[argc++] = "pa";
		argv[argc++] = (char *)pa;
	}
	if (mac) {
		argv[argc++] = "mac";
		argv[argc++] = (char *)mac;
	}
	if (type) {
		argv[argc++] = "type";
		argv[argc++] = (char *)type;
	}
	return argc;
}

int store_lookup_parse_key(const char *key, struct nvgre_lookup_req *r)
{
	char buf[STORE_KEY_LEN], want[STORE_KEY_LEN], err[PARSE_ERR_LEN];
	size_t plen = strlen(STORE_LOOKUP_PREFIX);
	char *argv[6], *rest;
	int argc = 0;

	if (strncmp(key, STORE_LOOKUP_PREFIX, plen) ||
	    strlen(key) >= sizeof(buf))
		return -1;
	strcpy(buf, key + plen);
	rest = strchr(buf, '/');
	if (!rest)
		return -1;
	*rest++ = '\0';
	/* del-lookup's words: the CA first, or keywords with a type */
	if (strcmp(rest, "gateway") && strncmp(rest, "mac/", 4))
		argv[argc++] = rest;
	argv[argc++] = "vsid";
	argv[argc++] = buf;
	if (!strncmp(rest, "mac/", 4)) {
		argv[argc++] = "mac";
		argv[argc++] = rest + 4;
		argv[argc++] = "type";
		argv[argc++] = "l2only";
	} else if (!strcmp(rest, "gateway")) {
		argv[argc++] = "type";
		argv[argc++] = "gateway";
	}
	if (parse_lookup_del(argc, argv, r, err, sizeof(err)))
		return -1;
	/* only the canonical spelling is a key of the schema */
	if (store_lookup_key(r, want, sizeof(want)) || strcmp(want, key))
		return -1;
	return 0;
}

int store_lookup_parse(const char *key, const char *value,
		       struct nvgre_lookup_req *r, char *err, size_t len)
{
	char *argv[12], vsid[24], perr_buf[PARSE_ERR_LEN], want[STORE_KEY_LEN];
	json_object *o = json_tokener_parse(value);
	int argc, ret = -1;

	if (!o)
		return perr(err, len, "%s: the value is not JSON", key);
	argc = value_words(o, argv, vsid, sizeof(vsid), perr_buf,
			   sizeof(perr_buf));
	if (argc < 0) {
		perr(err, len, "%s: %s", key, perr_buf);
	} else if (parse_lookup_add(argc, argv, r, perr_buf,
				    sizeof(perr_buf))) {
		/* "Error: ..." from the parser, without its prefix */
		perr(err, len, "%s: %s", key,
		     strncmp(perr_buf, "Error: ", 7) ? perr_buf :
						       perr_buf + 7);
	} else if (store_lookup_key(r, want, sizeof(want)) ||
		   strcmp(want, key)) {
		perr(err, len, "%s: the value is the record of %s", key, want);
	} else {
		ret = 0;
	}
	json_object_put(o);
	return ret;
}
