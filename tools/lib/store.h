/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnvgre: the fleet's desired state in etcd, schema version 1
 * (docs/fleet.md). nvgrectl --store and nvgre-agent read and write it
 * through these functions only.
 *
 *   /nvgre/v1/lookup/<VSID>/<CA>            a static record
 *   /nvgre/v1/lookup/<VSID>/mac/<MAC>       an l2only record
 *   /nvgre/v1/lookup/<VSID>/gateway         the gateway record
 *
 * VSID in decimal, CA as inet_ntop() writes it, MAC in lower case. The
 * value is the record as "nvgrectl -j show-lookup" prints it: a JSON
 * object with the fields ca (static records only), vsid, pa, mac and,
 * unless static, type. Other fields are ignored (a later minor version
 * may add some); a record whose key and value disagree is malformed.
 */
#ifndef NVGRE_STORE_H
#define NVGRE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"

#define STORE_ROOT		"/nvgre/v1/"
#define STORE_LOOKUP_PREFIX	STORE_ROOT "lookup/"
/* Longest key of a record, with its NUL. */
#define STORE_KEY_LEN		96
/* Longest value of a record, with its NUL. */
#define STORE_VALUE_LEN		192

/* The key of record r, into buf; 0 or -1 (too long). */
int store_lookup_key(const struct nvgre_lookup_req *r, char *buf, size_t len);
/* The prefix of every record of vsid, or of all with vsid 0. */
void store_lookup_prefix(uint32_t vsid, char *buf, size_t len);
/* The value of record r, into buf; returns its length. */
size_t store_lookup_value(const struct nvgre_lookup_req *r, char *buf,
			  size_t len);
/*
 * The record under key with value (NUL-terminated), into *r; 0, or -1
 * with one line in err (for the log: the record is skipped).
 */
int store_lookup_parse(const char *key, const char *value,
		       struct nvgre_lookup_req *r, char *err, size_t len);
/*
 * The record key (VSID, type, CA or MAC) that key names, into *r (as
 * del-lookup fills it), for a deleted key; 0 or -1.
 */
int store_lookup_parse_key(const char *key, struct nvgre_lookup_req *r);

#endif /* NVGRE_STORE_H */
