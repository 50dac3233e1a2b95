// SPDX-License-Identifier: GPL-2.0
/*
 * Batch input read in blocks of LINES_BLOCK bytes and cut into lines in
 * place: getline() through stdio cost a batch line as much as splitting
 * it into words did.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"

#define LINES_BLOCK	65536

void lines_init(struct lines *l, int fd)
{
	memset(l, 0, sizeof(*l));
	l->fd = fd;
}

void lines_free(struct lines *l)
{
	free(l->buf);
	l->buf = NULL;
}

/* The '\n' ending the line at l->start, if it is in the buffer. */
static char *lines_find(struct lines *l)
{
	if (!l->nl)
		l->nl = memchr(l->buf + l->start, '\n', l->end - l->start);
	return l->nl;
}

/*
 * Moves the unread bytes to the front, grows the buffer when they fill
 * it, and reads once more. 0, or -1 at the end of the input or on an
 * error.
 */
static int lines_fill(struct lines *l)
{
	ssize_t n;

	if (l->eof || l->err)
		return -1;
	if (l->start) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	/* One byte stays free for the NUL of a last line without '\n'. */
	if (l->cap - l->end < 2) {
		size_t cap = l->cap ? 2 * l->cap : LINES_BLOCK;
		char *buf = realloc(l->buf, cap);

		if (!buf) {
			l->err = ENOMEM;
			return -1;
		}
		l->buf = buf;
		l->cap = cap;
	}
	do {
		n = read(l->fd, l->buf + l->end, l->cap - l->end - 1);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		l->err = errno;
		return -1;
	}
	if (!n) {
		l->eof = true;
		return -1;
	}
	l->end += n;
	return 0;
}

char *lines_next(struct lines *l)
{
	char *line, *nl;

	for (;;) {
		nl = l->buf ? lines_find(l) : NULL;
		if (nl)
			break;
		if (lines_fill(l)) {
			if (l->err || l->start == l->end)
				return NULL;
			/* The last line, without '\n'. */
			nl = l->buf + l->end;
			break;
		}
	}
	line = l->buf + l->start;
	*nl = '\0';
	/* Past the '\n', or at the end after a last line without one. */
	l->start = nl - l->buf + (nl < l->buf + l->end);
	l->nl = NULL;
	return line;
}

bool lines_buffered(struct lines *l)
{
	return l->eof || l->err || (l->buf && lines_find(l));
}
