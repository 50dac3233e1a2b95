// SPDX-License-Identifier: GPL-2.0
/*
 * A small streaming JSON writer behind the print_*() calls: it tracks the
 * nesting to place commas, escapes strings, and indents when pretty.
 */
#include <inttypes.h>

#include "json_print.h"

#define JSON_MAX_DEPTH	16

static struct {
	FILE *fp;
	bool json;
	bool pretty;
	int depth;
	bool has_items[JSON_MAX_DEPTH];	/* per level: a member was written */
} out;

void print_init(FILE *fp, bool json, bool pretty)
{
	out.fp = fp;
	out.json = json;
	out.pretty = pretty;
	out.depth = 0;
}

bool is_json(void)
{
	return out.json;
}

static void indent(int depth)
{
	int i;

	if (!out.pretty)
		return;
	fputc('\n', out.fp);
	for (i = 0; i < depth; i++)
		fputs("    ", out.fp);
}

static void json_escaped(const char *s)
{
	const unsigned char *p;

	fputc('"', out.fp);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out.fp);
			break;
		case '\\':
			fputs("\\\\", out.fp);
			break;
		case '\n':
			fputs("\\n", out.fp);
			break;
		case '\t':
			fputs("\\t", out.fp);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out.fp, "\\u%04x", *p);
			else
				fputc(*p, out.fp);
		}
	}
	fputc('"', out.fp);
}

/* Comma, indentation and "key": before a new member or element. */
static void json_member(const char *key)
{
	if (out.depth > 0 && out.depth <= JSON_MAX_DEPTH) {
		if (out.has_items[out.depth - 1])
			fputc(',', out.fp);
		out.has_items[out.depth - 1] = true;
		indent(out.depth);
	}
	if (key) {
		json_escaped(key);
		fputs(out.pretty ? ": " : ":", out.fp);
	}
}

static void json_open(const char *key, char c)
{
	if (!out.json)
		return;
	json_member(key);
	fputc(c, out.fp);
	if (out.depth < JSON_MAX_DEPTH)
		out.has_items[out.depth] = false;
	out.depth++;
}

static void json_close(char c)
{
	if (!out.json || out.depth == 0)
		return;
	out.depth--;
	if (out.depth < JSON_MAX_DEPTH && out.has_items[out.depth])
		indent(out.depth);
	fputc(c, out.fp);
	if (out.depth == 0)
		fputc('\n', out.fp);
}

void open_json_array(const char *key)
{
	json_open(key, '[');
}

void close_json_array(void)
{
	json_close(']');
}

void open_json_object(const char *key)
{
	json_open(key, '{');
}

void close_json_object(void)
{
	json_close('}');
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value)
{
	if (out.json) {
		if (t & PRINT_JSON) {
			json_member(key);
			json_escaped(value);
		}
	} else if (t & PRINT_FP) {
		fprintf(out.fp, fmt ? fmt : "%s", value);
	}
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value)
{
	if (out.json) {
		if (t & PRINT_JSON) {
			json_member(key);
			fprintf(out.fp, "%u", value);
		}
	} else if (t & PRINT_FP) {
		fprintf(out.fp, fmt ? fmt : "%u", value);
	}
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value)
{
	if (out.json) {
		if (t & PRINT_JSON) {
			json_member(key);
			fprintf(out.fp, "%" PRIu64, value);
		}
	} else if (t & PRINT_FP) {
		fprintf(out.fp, fmt ? fmt : "%" PRIu64, value);
	}
}

void print_nl(void)
{
	if (!out.json)
		fputc('\n', out.fp);
}
