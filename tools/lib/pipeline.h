/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnvgre: bookkeeping of pipelined requests (batch mode): which
 * sequence number belongs to which batch line, how many requests one send
 * may carry, and which of the ACKs that came back is the first failure.
 * A bulk request carries the records of several consecutive lines
 * (NVGRE_A_LOOKUP nests): each record keeps its line and its offset in
 * the request, so that the offset the kernel's extended ACK gives names
 * the line. No I/O and no netlink library, so tests/test_pipeline.c can
 * drive it.
 */
#ifndef NVGRECTL_PIPELINE_H
#define NVGRECTL_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most bytes and requests one send carries. */
#define PIPE_MAX_BYTES	(32 * 1024)
#define PIPE_MAX_MSGS	256
/* Most records (batch lines) one send carries: 32 KiB of 20-byte nests. */
#define PIPE_MAX_RECS	2048

/*
 * What one ACK is assumed to cost in the socket's receive buffer: the
 * kernel charges an skb's truesize (sk_buff, shared info and the rounded
 * up head: about 1 KiB for an ACK with an extended ACK message), not the
 * 36 bytes of a capped ACK. The kernel queues every ACK of a send before
 * sendmsg() returns, so a send may not carry more requests than the
 * receive buffer holds ACKs: those beyond would be dropped (ENOBUFS).
 */
#define PIPE_ACK_COST	2048

/* The receive buffer pipelining asks for (SO_RCVBUF(FORCE)). */
#define PIPE_RCVBUF	(1024 * 1024)

struct pipe_state {
	uint32_t first_seq;	/* sequence number of slot 0 (if n > 0) */
	unsigned int max;	/* most requests in flight */
	unsigned int n;		/* requests queued or in flight */
	unsigned int nacked;	/* ACKs received */
	size_t bytes;		/* bytes queued */
	int err;		/* negative errno of the first failure, or 0 */
	unsigned int err_slot;	/* its slot */
	unsigned long tag[PIPE_MAX_MSGS];	/* batch line of each slot */
	bool acked[PIPE_MAX_MSGS];
	unsigned int first_rec[PIPE_MAX_MSGS];	/* each slot's first record */
	unsigned int nrec;			/* records queued */
	unsigned long rec_tag[PIPE_MAX_RECS];	/* batch line of each record */
	uint32_t rec_off[PIPE_MAX_RECS];	/* its offset in its request */
};

/* Requests in flight a receive buffer of rcvbuf bytes allows: 1-256. */
unsigned int pipe_limit(int rcvbuf);

/* Empty, with at most max (1-PIPE_MAX_MSGS) requests in flight. */
void pipe_reset(struct pipe_state *p, unsigned int max);

/* Whether a request of len bytes may join the queued ones. */
bool pipe_fits(const struct pipe_state *p, size_t len);

/*
 * Queue the request of sequence number seq and len bytes for line tag.
 * The first request of a queue sets its sequence numbers, each further
 * one must have the next: -1 when it has not (or the queue is full).
 */
int pipe_add(struct pipe_state *p, uint32_t seq, unsigned long tag,
	     size_t len);

/*
 * Whether a record of len bytes may join the last request queued (as a
 * nest appended to it).
 */
bool pipe_fits_rec(const struct pipe_state *p, size_t len);

/*
 * Append the record of line tag, len bytes at offset off of the last
 * request queued: -1 when there is none or it does not fit. A request
 * queued with pipe_add() holds one record, at offset 0, of line tag.
 */
int pipe_add_rec(struct pipe_state *p, unsigned long tag, uint32_t off,
		 size_t len);

/*
 * The batch line of the record of slot that holds byte off of the
 * request (the offset of an extended ACK); off 0 (no offset) names the
 * slot's first record.
 */
unsigned long pipe_rec_tag(const struct pipe_state *p, unsigned int slot,
			   uint32_t off);

/* The slot of sequence number seq, or -1 when it is not in flight. */
int pipe_slot(const struct pipe_state *p, uint32_t seq);

/*
 * Account the ACK of seq carrying error (0 or a negative errno). Returns
 * 1 when it is now the first failure (lowest sequence number), 0 when it
 * is not, -1 when seq is unknown or was acknowledged already.
 */
int pipe_ack(struct pipe_state *p, uint32_t seq, int error);

/* Every request queued has its ACK. */
bool pipe_done(const struct pipe_state *p);

/* The first slot without an ACK (p->n when there is none). */
unsigned int pipe_first_unacked(const struct pipe_state *p);

#endif /* NVGRECTL_PIPELINE_H */
