// SPDX-License-Identifier: GPL-2.0
/*
 * nfqaccept QUEUE SECONDS: an NFQUEUE consumer that accepts every packet
 * of queue QUEUE, so that nf_reinject() runs the rest of the hooks (nvgre's
 * among them) from this process's verdict, in process context. Prints
 * "ready" on standard error once bound, and the number of verdicts on
 * standard output when SECONDS have passed or on SIGTERM.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

static volatile sig_atomic_t done;
static unsigned long verdicts;

static void on_term(int sig)
{
	(void)sig;
	done = 1;
}

static int accept_cb(struct nfq_q_handle *qh, struct nfgenmsg *msg,
		     struct nfq_data *nfa, void *data)
{
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);

	(void)msg;
	(void)data;
	if (!ph)
		return -1;
	verdicts++;
	return nfq_set_verdict(qh, ntohl(ph->packet_id), NF_ACCEPT, 0, NULL);
}

int main(int argc, char **argv)
{
	struct timeval tv = { .tv_usec = 200000 };
	struct sigaction sa = { .sa_handler = on_term };
	struct nfq_q_handle *qh;
	struct nfq_handle *h;
	char buf[65536 + 4096];
	time_t end;
	int fd, n;

	if (argc != 3) {
		fprintf(stderr, "usage: nfqaccept QUEUE SECONDS\n");
		return 2;
	}
	end = time(NULL) + atoi(argv[2]);
	sigaction(SIGTERM, &sa, NULL);

	h = nfq_open();
	if (!h) {
		perror("nfq_open");
		return 1;
	}
	qh = nfq_create_queue(h, atoi(argv[1]), accept_cb, NULL);
	if (!qh) {
		perror("nfq_create_queue");
		return 1;
	}
	if (nfq_set_mode(qh, NFQNL_COPY_PACKET, 0xffff) < 0) {
		perror("nfq_set_mode");
		return 1;
	}
	fd = nfq_fd(h);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	fprintf(stderr, "ready\n");

	while (!done && time(NULL) < end) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			/* ENOBUFS: the kernel dropped some; go on. */
			if (errno == ENOBUFS)
				continue;
			perror("recv");
			break;
		}
		nfq_handle_packet(h, buf, n);
	}
	nfq_destroy_queue(qh);
	nfq_close(h);
	printf("%lu\n", verdicts);
	return 0;
}
