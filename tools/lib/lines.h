/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnvgre: batch input, lines read from a descriptor in large blocks.
 */
#ifndef NVGRECTL_LINES_H
#define NVGRECTL_LINES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * struct lines - a reader of the lines of one descriptor
 * @fd: the descriptor, not owned
 * @buf: bytes read: @buf[@start, @end) are not returned yet
 * @cap: the size of @buf; it grows to hold a line longer than it
 * @nl: the '\n' of the line at @start once looked for, or NULL
 * @eof: read() returned 0
 * @err: the errno of a failed read(), or 0
 */
struct lines {
	int fd;
	char *buf;
	size_t start, end, cap;
	char *nl;
	bool eof;
	int err;
};

void lines_init(struct lines *l, int fd);
void lines_free(struct lines *l);

/*
 * The next line without its '\n', NUL-terminated, valid until the next
 * call; a last line without '\n' counts. NULL at the end of the input or
 * on an error (then l->err is set, or ENOMEM).
 */
char *lines_next(struct lines *l);

/* Whether lines_next() can return without waiting for read(). */
bool lines_buffered(struct lines *l);

#endif
