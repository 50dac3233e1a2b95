/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnvgre: one set of print calls for text and JSON output, iproute2
 * style:
 *
 *	print_uint(PRINT_ANY, "vsid", " vsid %u", vsid);
 *
 * prints " vsid 5001" in text mode and "vsid":5001 in JSON mode. Text
 * formats take exactly one argument of the value's type.
 */
#ifndef NVGRECTL_JSON_PRINT_H
#define NVGRECTL_JSON_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_FP = 1,		/* text only */
	PRINT_JSON = 2,		/* JSON only */
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

void print_init(FILE *fp, bool json, bool pretty);
bool is_json(void);

/* Containers exist in JSON only; key is NULL inside arrays. */
void open_json_array(const char *key);
void close_json_array(void);
void open_json_object(const char *key);
void close_json_object(void);

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value);
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value);
/* End of a text line; nothing in JSON mode. */
void print_nl(void);

#endif /* NVGRECTL_JSON_PRINT_H */
