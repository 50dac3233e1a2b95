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
	return p->n < p->max && len <= PIPE_MAX_BYTES - p->bytes;
}

int pipe_add(struct pipe_state *p, uint32_t seq, unsigned long tag,
	     size_t len)
{
	if (p->n >= p->max || (p->n && seq != p->first_seq + p->n))
		return -1;
	if (!p->n)
		p->first_seq = seq;
	p->tag[p->n] = tag;
	p->acked[p->n] = false;
	p->bytes += len;
	p->n++;
	return 0;
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
