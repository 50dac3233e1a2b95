// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the batch input reader (lines.c), printed as KTAP: lines
 * and their endings, lines across the reader's blocks and longer than a
 * block, the end of the input, read errors, and what lines_buffered()
 * says on the way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"
#include "tests/ktap.h"

#define NTESTS	7

/* A descriptor that reads back len bytes of s (a file, unlinked). */
static int input(const char *s, size_t len)
{
	char path[] = "/tmp/test_lines.XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0) {
		perror("mkstemp");
		exit(1);
	}
	unlink(path);
	if (write(fd, s, len) != (ssize_t)len ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		perror("write");
		exit(1);
	}
	return fd;
}

/* The lines of s joined by '|', "ERR" on an error. */
static void read_all(const char *s, size_t len, char *out, size_t outlen)
{
	struct lines l;
	char *line;
	int fd = input(s, len);

	out[0] = '\0';
	lines_init(&l, fd);
	while ((line = lines_next(&l)))
		snprintf(out + strlen(out), outlen - strlen(out), "%s|", line);
	if (l.err)
		snprintf(out, outlen, "ERR");
	lines_free(&l);
	close(fd);
}

static void test_endings(void)
{
	static const char s[] = "a b\n\nc\r\nlast";
	char out[64];

	read_all(s, sizeof(s) - 1, out, sizeof(out));
	report(!strcmp(out, "a b||c\r|last|"),
	       "lines: '\\n' ends a line, an empty line counts, a last line needs none");
	read_all("one\n", 4, out, sizeof(out));
	report(!strcmp(out, "one|"), "lines: no empty line after a final '\\n'");
	read_all("", 0, out, sizeof(out));
	report(!strcmp(out, ""), "lines: empty input, no line and no error");
}

/* 20,000 numbered lines (about 150 KiB): some cross a block boundary. */
static void test_blocks(void)
{
	size_t cap = 1 << 20, len = 0;
	char *s = malloc(cap), want[32], *line;
	struct lines l;
	bool ok = true;
	int i, fd;

	for (i = 0; i < 20000; i++)
		len += snprintf(s + len, cap - len, "add-lookup %d\n", i);
	fd = input(s, len);
	lines_init(&l, fd);
	for (i = 0; (line = lines_next(&l)); i++) {
		snprintf(want, sizeof(want), "add-lookup %d", i);
		if (strcmp(line, want))
			ok = false;
	}
	report(ok && i == 20000 && !l.err,
	       "lines: 20,000 lines across 64 KiB blocks come out whole");
	lines_free(&l);
	close(fd);

	/* One line of 300,000 bytes between two short ones. */
	memset(s, 'x', 300002);
	s[0] = 'a';
	s[1] = '\n';
	s[300002] = '\n';
	s[300003] = 'b';
	fd = input(s, 300004);
	lines_init(&l, fd);
	ok = !strcmp(lines_next(&l), "a");
	line = lines_next(&l);
	ok = ok && line && strlen(line) == 300000 && line[0] == 'x' &&
	     line[299999] == 'x';
	line = lines_next(&l);
	ok = ok && line && !strcmp(line, "b") && !lines_next(&l) && !l.err;
	report(ok, "lines: a line longer than a block grows the buffer");
	lines_free(&l);
	close(fd);
	free(s);
}

static void test_error(void)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY);
	struct lines l;

	lines_init(&l, fd);
	report(!lines_next(&l) && l.err == EISDIR,
	       "lines: a read error ends the input with its errno");
	lines_free(&l);
	close(fd);
}

static void test_buffered(void)
{
	int fd = input("a\nb\n", 4);
	struct lines l;
	bool ok;

	lines_init(&l, fd);
	ok = !lines_buffered(&l);		/* nothing read yet */
	ok = ok && !strcmp(lines_next(&l), "a") && lines_buffered(&l);
	ok = ok && !strcmp(lines_next(&l), "b") && !lines_buffered(&l);
	ok = ok && !lines_next(&l) && lines_buffered(&l);	/* at the end */
	report(ok, "lines: buffered only while a whole line or the end is known");
	lines_free(&l);
	close(fd);
}

int main(void)
{
	printf("KTAP version 1\n1..%d\n", NTESTS);
	test_endings();
	test_blocks();
	test_error();
	test_buffered();
	if (test_num != NTESTS) {
		printf("# ran %d tests, planned %d\n", test_num, NTESTS);
		return 1;
	}
	return failed ? 1 : 0;
}
