// SPDX-License-Identifier: GPL-2.0
/*
 * Pipelined requests: sequence numbers, batch lines and ACKs. The kernel
 * handles the requests of one send in order (netlink_rcv_skb()) and ACKs
 * each, failed or not, so the line of a failure is found by the sequence
 * number of its ACK.
 */
#include <string.h>

#include "pipeline.h"

unsigned int pipe_limit(int rcvbuf)
{
	int n = rcvbuf / PIPE_ACK_COST;

	if (n < 1)
		return 1;
	return n > PIPE_MAX_MSGS ? PIPE_MAX_MSGS : (unsigned int)n;
}

void pipe_reset(struct pipe_state *p, unsigned int max)
{
	memset(p, 0, sizeof(*p));
	if (max < 1)
		max = 1;
	p->max = max > PIPE_MAX_MSGS ? PIPE_MAX_MSGS : max;
}

bool pipe_fits(const struct pipe_state *p, size_t len)
{
	return p->n < p->max && p->nrec < PIPE_MAX_RECS &&
	       len <= PIPE_MAX_BYTES - p->bytes;
}

bool pipe_fits_rec(const struct pipe_state *p, size_t len)
{
	return p->n && p->nrec < PIPE_MAX_RECS &&
	       len <= PIPE_MAX_BYTES - p->bytes;
}

int pipe_add(struct pipe_state *p, uint32_t seq, unsigned long tag,
	     size_t len)
{
	if (p->n >= p->max || p->nrec >= PIPE_MAX_RECS ||
	    (p->n && seq != p->first_seq + p->n))
		return -1;
	if (!p->n)
		p->first_seq = seq;
	p->tag[p->n] = tag;
	p->acked[p->n] = false;
	p->first_rec[p->n] = p->nrec;
	p->rec_tag[p->nrec] = tag;
	p->rec_off[p->nrec] = 0;
	p->nrec++;
	p->bytes += len;
	p->n++;
	return 0;
}

int pipe_add_rec(struct pipe_state *p, unsigned long tag, uint32_t off,
		 size_t len)
{
	if (!pipe_fits_rec(p, len))
		return -1;
	p->rec_tag[p->nrec] = tag;
	p->rec_off[p->nrec] = off;
	p->nrec++;
	p->bytes += len;
	return 0;
}

unsigned long pipe_rec_tag(const struct pipe_state *p, unsigned int slot,
			   uint32_t off)
{
	unsigned int i, end;

	if (slot >= p->n)
		return 0;
	i = p->first_rec[slot];
	end = slot + 1 < p->n ? p->first_rec[slot + 1] : p->nrec;
	/* Records are in offset order: the last that starts at or before. */
	while (i + 1 < end && p->rec_off[i + 1] <= off)
		i++;
	return p->rec_tag[i];
}

/* Unsigned subtraction: sequence numbers may wrap within a queue. */
int pipe_slot(const struct pipe_state *p, uint32_t seq)
{
	uint32_t slot = seq - p->first_seq;

	return slot < p->n ? (int)slot : -1;
}

int pipe_ack(struct pipe_state *p, uint32_t seq, int error)
{
	int slot = pipe_slot(p, seq);

	if (slot < 0 || p->acked[slot])
		return -1;
	p->acked[slot] = true;
	p->nacked++;
	if (!error || (p->err && p->err_slot < (unsigned int)slot))
		return 0;
	p->err = error;
	p->err_slot = slot;
	return 1;
}

bool pipe_done(const struct pipe_state *p)
{
	return p->nacked == p->n;
}

unsigned int pipe_first_unacked(const struct pipe_state *p)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		if (!p->acked[i])
			break;
	return i;
}
