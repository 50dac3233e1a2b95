// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the pipelined batch bookkeeping (pipeline.c), printed as
 * KTAP: how many requests a receive buffer allows, how requests are cut
 * into sends, and which batch line an ACK's sequence number names.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "pipeline.h"
#include "tests/ktap.h"

#define NTESTS	14

/* ACK errors are negative errno values; -17 is EEXIST. */
#define E_EXIST	(-17)

static void test_limit(void)
{
	report(pipe_limit(0) == 1 && pipe_limit(-1) == 1 &&
	       pipe_limit(PIPE_ACK_COST - 1) == 1,
	       "limit: a tiny receive buffer still allows one request");
	/* 64 KiB: libnl's default of 32 KiB, doubled by the kernel. */
	report(pipe_limit(65536) == 32 && pipe_limit(425984) == 208,
	       "limit: one request per PIPE_ACK_COST bytes");
	report(pipe_limit(2 * PIPE_RCVBUF) == PIPE_MAX_MSGS &&
	       pipe_limit(1 << 30) == PIPE_MAX_MSGS,
	       "limit: at most PIPE_MAX_MSGS");
}

/* Cut n requests of len bytes into sends as the batch mode does. */
static int count_sends(unsigned int max, unsigned int n, size_t len,
		       unsigned int *last)
{
	struct pipe_state p;
	unsigned int i, sends = 0;
	uint32_t seq = 1000;

	pipe_reset(&p, max);
	for (i = 0; i < n; i++) {
		if (!pipe_fits(&p, len)) {
			sends++;
			pipe_reset(&p, max);
		}
		if (pipe_add(&p, seq++, i + 1, len))
			return -1;
	}
	*last = p.n;
	return sends + (p.n > 0);
}

static void test_chunks(void)
{
	unsigned int last = 0;
	struct pipe_state p;

	report(count_sends(256, 1000, 56, &last) == 4 && last == 1000 - 3 * 256,
	       "chunks: 1000 small requests, 256 per send");
	report(count_sends(256, 1000, 200, &last) == 7 &&
	       last == 1000 - 6 * (PIPE_MAX_BYTES / 200),
	       "chunks: 1000 requests of 200 bytes, 32 KiB per send");
	report(count_sends(32, 100, 56, &last) == 4 && last == 4,
	       "chunks: the receive buffer's limit");
	pipe_reset(&p, 4);
	report(!pipe_fits(&p, PIPE_MAX_BYTES + 1) && pipe_fits(&p, PIPE_MAX_BYTES),
	       "chunks: no request over PIPE_MAX_BYTES");
	pipe_reset(&p, 4);
	report(!pipe_add(&p, 7, 1, 56) && pipe_add(&p, 9, 2, 56) == -1 &&
	       !pipe_add(&p, 8, 2, 56) && p.n == 2,
	       "chunks: sequence numbers must follow each other");
}

static void test_acks(void)
{
	struct pipe_state p;
	unsigned int i;
	bool ok;

	/* Lines 10, 11, 13, 14 (12 is a comment); seq wraps after line 11. */
	pipe_reset(&p, 8);
	ok = !pipe_add(&p, 0xfffffffe, 10, 56) &&
	     !pipe_add(&p, 0xffffffff, 11, 56) &&
	     !pipe_add(&p, 0, 13, 56) && !pipe_add(&p, 1, 14, 56);
	ok = ok && pipe_slot(&p, 0) == 2 && pipe_slot(&p, 0xfffffffe) == 0 &&
	     pipe_slot(&p, 2) == -1 && pipe_slot(&p, 0xfffffffd) == -1;
	report(ok, "acks: sequence number to slot, across the wrap");

	ok = pipe_ack(&p, 0xfffffffe, 0) == 0 &&
	     pipe_ack(&p, 0, E_EXIST) == 1 &&		/* line 13 */
	     pipe_ack(&p, 0, E_EXIST) == -1 &&		/* again */
	     pipe_ack(&p, 5, 0) == -1 &&		/* not ours */
	     !pipe_done(&p) && pipe_first_unacked(&p) == 1 &&
	     pipe_ack(&p, 1, -2) == 0 &&		/* line 14, later */
	     pipe_ack(&p, 0xffffffff, -1) == 1 &&	/* line 11, earlier */
	     pipe_done(&p) && p.err == -1 && p.tag[p.err_slot] == 11;
	report(ok, "acks: the first failing line wins, in any order");

	pipe_reset(&p, PIPE_MAX_MSGS);
	for (i = 0; i < PIPE_MAX_MSGS; i++)
		pipe_add(&p, 100 + i, 2 * i + 1, 56);
	for (i = 0; i < PIPE_MAX_MSGS; i++)
		pipe_ack(&p, 100 + i, i == 150 || i == 200 ? E_EXIST : 0);
	report(pipe_done(&p) && p.err == E_EXIST && p.tag[p.err_slot] == 301 &&
	       pipe_first_unacked(&p) == PIPE_MAX_MSGS,
	       "acks: a full send, failures on lines 301 and 401 name 301");
}

/* Bulk requests: records appended to the last request, found by offset. */
static void test_bulk(void)
{
	struct pipe_state p;
	unsigned int i;
	bool ok;

	/* Request 0: lines 1-3 at 20, 60, 100; request 1: line 5 alone. */
	pipe_reset(&p, 8);
	ok = !pipe_fits_rec(&p, 40) && pipe_add_rec(&p, 9, 20, 40) == -1 &&
	     !pipe_add(&p, 50, 1, 60) && !pipe_add_rec(&p, 2, 60, 40) &&
	     !pipe_add_rec(&p, 3, 100, 40) && !pipe_add(&p, 51, 5, 60) &&
	     p.n == 2 && p.nrec == 4 && p.bytes == 200;
	report(ok, "bulk: records join the last request");

	ok = pipe_rec_tag(&p, 0, 0) == 1 && pipe_rec_tag(&p, 0, 24) == 1 &&
	     pipe_rec_tag(&p, 0, 59) == 1 && pipe_rec_tag(&p, 0, 60) == 2 &&
	     pipe_rec_tag(&p, 0, 99) == 2 && pipe_rec_tag(&p, 0, 104) == 3 &&
	     pipe_rec_tag(&p, 0, 5000) == 3 && pipe_rec_tag(&p, 1, 24) == 5 &&
	     pipe_rec_tag(&p, 2, 24) == 0;
	report(ok, "bulk: an ACK's offset names the record's line");

	pipe_reset(&p, 8);
	ok = !pipe_add(&p, 1, 1, 20);
	for (i = 1; ok && i < PIPE_MAX_RECS; i++)
		ok = !pipe_add_rec(&p, i + 1, 20 * i, 8);
	ok = ok && p.nrec == PIPE_MAX_RECS && !pipe_fits_rec(&p, 8) &&
	     !pipe_fits(&p, 8) && pipe_add(&p, 2, 9999, 8) == -1;
	pipe_reset(&p, 8);
	ok = ok && !pipe_add(&p, 1, 1, PIPE_MAX_BYTES - 8) &&
	     pipe_fits_rec(&p, 8) && !pipe_fits_rec(&p, 9);
	report(ok, "bulk: at most PIPE_MAX_RECS records and PIPE_MAX_BYTES a send");
}

int main(void)
{
	printf("KTAP version 1\n1..%d\n", NTESTS);
	test_limit();
	test_chunks();
	test_acks();
	test_bulk();
	printf("# %d passed, %d failed\n", test_num - failed, failed);
	return failed || test_num != NTESTS ? 1 : 0;
}
