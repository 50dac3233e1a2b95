// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink transport of nvgrectl: sockets, requests, replies, and the
 * kernel's extended ACK messages.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <linux/nvgre.h>

#include "netlink.h"
#include "pipeline.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK		270
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED		0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS		0x200
#endif

/* Extended ACK attributes; numbered here for older system headers. */
enum {
	EXTACK_MSG = 1,		/* NLMSGERR_ATTR_MSG */
	EXTACK_OFFS = 2,	/* NLMSGERR_ATTR_OFFS */
	EXTACK_MISS_TYPE = 5,	/* NLMSGERR_ATTR_MISS_TYPE */
	EXTACK_MISS_NEST = 6,	/* NLMSGERR_ATTR_MISS_NEST */
	EXTACK_MAX = 6,
};

static struct nl_sock *genl_sk, *rtnl_sk, *event_sk;
static int nvgre_family = -1;

/* One request and the state of its replies. */
struct nl_req {
	nvgre_parse_fn parse;			/* genl replies */
	int (*raw)(struct nl_msg *msg, void *arg);	/* rtnl replies */
	void *arg;
	int err;		/* first error, negative errno */
	int quiet;		/* an errno not to print */
	bool genl;
	bool done;
	bool intr;		/* a reply had NLM_F_DUMP_INTR */
};

static const struct nla_policy nvgre_policy[NVGRE_A_MAX + 1] = {
	[NVGRE_A_VSID]		= { .type = NLA_U32 },
	[NVGRE_A_CA4]		= { .type = NLA_U32 },
	[NVGRE_A_CA6]		= { .minlen = 16 },
	[NVGRE_A_PA4]		= { .type = NLA_U32 },
	[NVGRE_A_MAC]		= { .minlen = 6 },
	[NVGRE_A_IFINDEX]	= { .type = NLA_U32 },
	[NVGRE_A_IFNAME]	= { .type = NLA_STRING },
	[NVGRE_A_LOCAL4]	= { .type = NLA_U32 },
	[NVGRE_A_RDID]		= { .type = NLA_U32 },
	[NVGRE_A_STATS]		= { .type = NLA_NESTED },
	[NVGRE_A_MISS_REASON]	= { .type = NLA_U32 },
	[NVGRE_A_PA6]		= { .minlen = 16 },
	[NVGRE_A_LOCAL6]	= { .minlen = 16 },
	[NVGRE_A_PREFIX_LEN]	= { .type = NLA_U8 },
	[NVGRE_A_GW4]		= { .type = NLA_U32 },
	[NVGRE_A_GW6]		= { .minlen = 16 },
	[NVGRE_A_GW_MAC]	= { .minlen = 6 },
	[NVGRE_A_NEXTHOP4]	= { .type = NLA_U32 },
	[NVGRE_A_NEXTHOP6]	= { .minlen = 16 },
	[NVGRE_A_METRIC]	= { .type = NLA_U32 },
	[NVGRE_A_GROUP4]	= { .type = NLA_U32 },
	[NVGRE_A_GET]		= { .type = NLA_NESTED },
	[NVGRE_A_PROTO]		= { .type = NLA_U8 },
};

static const char *const nvgre_attr_names[NVGRE_A_MAX + 1] = {
	[NVGRE_A_VSID]		= "vsid",
	[NVGRE_A_CA4]		= "ca (IPv4)",
	[NVGRE_A_CA6]		= "ca (IPv6)",
	[NVGRE_A_PA4]		= "pa",
	[NVGRE_A_MAC]		= "mac",
	[NVGRE_A_IFINDEX]	= "ifindex",
	[NVGRE_A_PA6]		= "pa (IPv6)",
	[NVGRE_A_PREFIX_LEN]	= "prefix length",
	[NVGRE_A_GW4]		= "gateway",
	[NVGRE_A_GW6]		= "gateway (IPv6)",
	[NVGRE_A_NEXTHOP4]	= "nexthop",
	[NVGRE_A_NEXTHOP6]	= "nexthop (IPv6)",
	[NVGRE_A_METRIC]	= "metric",
	[NVGRE_A_RDID]		= "rdid",
	[NVGRE_A_PROTO]		= "proto",
};

/* "Error: text." without doubling a final dot. */
static void print_error(const char *prefix, const char *text)
{
	size_t n = strlen(text);

	fprintf(stderr, "%s: %s%s\n", prefix, text,
		n && text[n - 1] == '.' ? "" : ".");
}

/*
 * The extended ACK of an NLMSG_ERROR or NLMSG_DONE message; error is the
 * negative errno it carries, 0 for a warning on success.
 */
/* The extended ACK attributes of nlh (an ACK, error or done) into tb. */
static void ext_ack_parse(struct nlmsghdr *nlh, struct nlattr **tb)
{
	size_t off;

	memset(tb, 0, (EXTACK_MAX + 1) * sizeof(*tb));
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr *e = nlmsg_data(nlh);

		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	} else {
		off = sizeof(int);
	}
	off = NLMSG_HDRLEN + NLMSG_ALIGN(off);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < nlh->nlmsg_len)
		nla_parse(tb, EXTACK_MAX, (struct nlattr *)((char *)nlh + off),
			  nlh->nlmsg_len - off, NULL);
}

static void ext_ack_report(struct nlmsghdr *nlh, int error, struct nl_req *r)
{
	struct nlattr *tb[EXTACK_MAX + 1];
	const char *msg = NULL;

	ext_ack_parse(nlh, tb);
	if (tb[EXTACK_MSG] && nla_len(tb[EXTACK_MSG]) > 0) {
		msg = nla_data(tb[EXTACK_MSG]);
		if (msg[nla_len(tb[EXTACK_MSG]) - 1] != '\0')
			msg = NULL;
	}

	if (!error) {
		if (msg)
			print_error("Warning", msg);
		return;
	}
	if (error == r->quiet)
		return;
	if (msg) {
		print_error("Error", msg);
	} else if (tb[EXTACK_MISS_TYPE] && nla_len(tb[EXTACK_MISS_TYPE]) >= 4) {
		uint32_t type = nla_get_u32(tb[EXTACK_MISS_TYPE]);

		if (r->genl && !tb[EXTACK_MISS_NEST] && type <= NVGRE_A_MAX &&
		    nvgre_attr_names[type])
			fprintf(stderr, "Error: the kernel needs attribute \"%s\".\n",
				nvgre_attr_names[type]);
		else
			fprintf(stderr, "Error: the kernel needs attribute %u.\n",
				type);
	} else {
		print_error("Error", strerror(-error));
	}
}

static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nl_req *r = arg;

	(void)nla;
	ext_ack_report(nlh, e->error, r);
	if (!r->err)
		r->err = e->error;
	r->done = true;
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct nl_req *r = arg;

	ext_ack_report(nlmsg_hdr(msg), 0, r);
	r->done = true;
	return NL_STOP;
}

/* End of a dump; a dump that failed midway carries its errno here. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nl_req *r = arg;
	int error = 0;

	if (nlmsg_datalen(nlh) >= (int)sizeof(int))
		memcpy(&error, nlmsg_data(nlh), sizeof(error));
	if (error < 0) {
		ext_ack_report(nlh, error, r);
		if (!r->err)
			r->err = error;
	}
	r->done = true;
	return NL_STOP;
}

static int intr_cb(struct nl_msg *msg, void *arg)
{
	struct nl_req *r = arg;

	(void)msg;
	r->intr = true;
	return NL_OK;
}

/* After an error, the rest of a dump is read and dropped. */
static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[NVGRE_A_MAX + 1];
	struct nl_req *r = arg;
	int ret;

	if (r->err)
		return NL_OK;
	if (r->raw) {
		ret = r->raw(msg, r->arg);
	} else {
		ret = genlmsg_parse(nlmsg_hdr(msg), 0, tb, NVGRE_A_MAX,
				    (struct nla_policy *)nvgre_policy);
		if (ret < 0) {
			fprintf(stderr, "Error: malformed reply from the kernel: %s.\n",
				nl_geterror(ret));
			ret = -EPROTO;
		} else if (r->parse) {
			ret = r->parse(tb, r->arg);
		}
	}
	if (ret)
		r->err = ret;
	return NL_OK;
}

static struct nl_sock *sock_open(int protocol)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1, fd, ret;

	if (!sk) {
		print_error("Error", strerror(ENOMEM));
		return NULL;
	}
	nl_socket_disable_auto_ack(sk);
	ret = nl_connect(sk, protocol);
	if (ret < 0) {
		fprintf(stderr, "Error: cannot open a netlink socket: %s.\n",
			nl_geterror(ret));
		nl_socket_free(sk);
		return NULL;
	}
	fd = nl_socket_get_fd(sk);
	/* Kernels before 4.12 lack extended ACKs; errno text is enough. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return sk;
}

/* nl_recvmsgs() failed: report it unless a callback already did. */
static void recv_error(struct nl_req *r, int ret)
{
	if (r->err || r->done)
		return;
	fprintf(stderr, "Error: cannot read the kernel's answer: %s.\n",
		nl_geterror(ret));
	r->err = -EIO;
}

/* Send msg (consumed) on sk and read replies until the ACK or DONE. */
static int transact(struct nl_sock *sk, struct nl_msg *msg, struct nl_req *r)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb) {
		nlmsg_free(msg);
		print_error("Error", strerror(ENOMEM));
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, r);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, intr_cb, r);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, r);

	ret = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		fprintf(stderr, "Error: cannot send to the kernel: %s.\n",
			nl_geterror(ret));
		r->err = -EIO;
	}
	while (!r->err && !r->done) {
		ret = nl_recvmsgs(sk, cb);
		if (ret < 0)
			recv_error(r, ret);
	}
	/* An error inside a dump: drain it so the socket stays usable. */
	while (r->err && !r->done && ret >= 0)
		ret = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	return r->err;
}

static int genl_open(void)
{
	int id;

	if (genl_sk)
		return 0;
	genl_sk = sock_open(NETLINK_GENERIC);
	if (!genl_sk)
		return -EIO;
	id = genl_ctrl_resolve(genl_sk, NVGRE_GENL_NAME);
	if (id < 0) {
		if (id == -NLE_OBJ_NOTFOUND)
			fprintf(stderr, "Error: the nvgre module is not loaded (generic netlink family \"%s\" not found).\n",
				NVGRE_GENL_NAME);
		else
			fprintf(stderr, "Error: cannot resolve the generic netlink family \"%s\": %s.\n",
				NVGRE_GENL_NAME, nl_geterror(id));
		nl_socket_free(genl_sk);
		genl_sk = NULL;
		return -ENOENT;
	}
	nvgre_family = id;
	return 0;
}

/* A request of the family; NULL when it failed (printed, *err set). */
static struct nl_msg *genl_msg(uint8_t cmd, int flags, nvgre_put_fn put,
			       const void *req, int *err)
{
	struct nl_msg *msg;

	*err = genl_open();
	if (*err)
		return NULL;
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nvgre_family,
				 0, flags, cmd, NVGRE_GENL_VERSION)) {
		nlmsg_free(msg);
		print_error("Error", strerror(ENOMEM));
		*err = -ENOMEM;
		return NULL;
	}
	if (put) {
		int ret = put(msg, req);

		if (ret) {
			nlmsg_free(msg);
			print_error("Error", strerror(-ret));
			*err = ret;
			return NULL;
		}
	}
	return msg;
}

static int genl_request(uint8_t cmd, int flags, nvgre_put_fn put,
			const void *req, struct nl_req *r)
{
	struct nl_msg *msg;
	int ret;

	msg = genl_msg(cmd, flags, put, req, &ret);
	if (!msg)
		return ret;
	r->genl = true;
	return transact(genl_sk, msg, r);
}

int nvgre_genl_do(uint8_t cmd, nvgre_put_fn put, const void *req,
		  nvgre_parse_fn parse, void *arg)
{
	struct nl_req r = { .parse = parse, .arg = arg };

	return genl_request(cmd, NLM_F_ACK, put, req, &r);
}

int nvgre_genl_dump(uint8_t cmd, nvgre_put_fn put, const void *req,
		    nvgre_parse_fn parse, nvgre_reset_fn reset, void *arg)
{
	int i;

	for (i = 0; i < DUMP_TRIES; i++) {
		struct nl_req r = { .parse = parse, .arg = arg };
		int ret;

		if (reset)
			reset(arg);
		ret = genl_request(cmd, NLM_F_DUMP, put, req, &r);
		if (ret || !r.intr)
			return ret;
	}
	fprintf(stderr, "Error: the dump was interrupted by concurrent changes %d times in a row, try again.\n",
		DUMP_TRIES);
	return -EAGAIN;
}

static int rtnl_open(void)
{
	if (!rtnl_sk)
		rtnl_sk = sock_open(NETLINK_ROUTE);
	return rtnl_sk ? 0 : -EIO;
}

struct nl_msg *rtnl_link_msg(int type, int flags, int ifindex)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = ifindex,
	};
	struct nl_msg *msg = nlmsg_alloc_simple(type, flags);

	if (msg && nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

int rtnl_transact(struct nl_msg *msg)
{
	struct nl_req r = { 0 };
	int ret;

	if (!msg) {
		print_error("Error", strerror(ENOMEM));
		return -ENOMEM;
	}
	ret = rtnl_open();
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return transact(rtnl_sk, msg, &r);
}

struct link_info {
	int ifindex;
	char *kind;
	size_t len;
};

static int link_info_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct link_info *info = arg;
	struct ifinfomsg *ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse(nlh, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0) {
		print_error("Error", "malformed link reply from the kernel");
		return -EPROTO;
	}
	ifi = nlmsg_data(nlh);
	info->ifindex = ifi->ifi_index;
	if (tb[IFLA_LINKINFO] &&
	    !nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) &&
	    li[IFLA_INFO_KIND])
		nla_strlcpy(info->kind, li[IFLA_INFO_KIND], info->len);
	return 0;
}

int rtnl_link_get(const char *name, int *ifindex, char *kind, size_t len)
{
	struct link_info info = { .kind = kind, .len = len };
	struct nl_req r = {
		.raw = link_info_parse,
		.arg = &info,
		.quiet = -ENODEV,
	};
	struct nl_msg *msg;
	int ret;

	if (len)
		kind[0] = '\0';
	ret = rtnl_open();
	if (ret)
		return ret;
	msg = rtnl_link_msg(RTM_GETLINK, NLM_F_ACK, 0);
	if (!msg || nla_put_string(msg, IFLA_IFNAME, name) < 0 ||
	    nla_put_u32(msg, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS) < 0) {
		nlmsg_free(msg);
		print_error("Error", strerror(ENOMEM));
		return -ENOMEM;
	}
	ret = transact(rtnl_sk, msg, &r);
	if (!ret)
		*ifindex = info.ifindex;
	return ret;
}

/* ---- pipelined requests (batch mode) ---------------------------------- */

/* ACKs one recvmmsg() reads at most, and the room for each. */
#define PIPE_RECV_VEC	64
#define PIPE_ACK_MAX	1024

static struct pipe_state pipe;
static char *pipe_buf;			/* PIPE_MAX_BYTES of requests */
static char *pipe_rbuf;			/* PIPE_RECV_VEC ACKs */
static char pipe_err_ack[PIPE_ACK_MAX];	/* the first failure's ACK */

/*
 * The generic netlink socket with a receive buffer for the ACKs of a
 * whole send: SO_RCVBUFFORCE where allowed (CAP_NET_ADMIN), else
 * SO_RCVBUF up to net.core.rmem_max; what the kernel granted limits the
 * requests in flight.
 */
static int pipe_open(void)
{
	int size = PIPE_RCVBUF, got = 0, fd, ret;
	socklen_t len = sizeof(got);

	ret = genl_open();
	if (ret || pipe_buf)
		return ret;
	pipe_buf = malloc(PIPE_MAX_BYTES);
	pipe_rbuf = malloc(PIPE_RECV_VEC * PIPE_ACK_MAX);
	if (!pipe_buf || !pipe_rbuf) {
		free(pipe_buf);
		free(pipe_rbuf);
		pipe_buf = pipe_rbuf = NULL;
		print_error("Error", strerror(ENOMEM));
		return -ENOMEM;
	}
	fd = nl_socket_get_fd(genl_sk);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len))
		got = 0;
	pipe_reset(&pipe, pipe_limit(got));
	return 0;
}

/* One message read from the socket: the ACK of a queued request. */
static void pipe_ack_msg(struct nlmsghdr *nlh)
{
	struct nl_req r = { .genl = true };
	struct nlmsgerr *e;

	if (nlh->nlmsg_type != NLMSG_ERROR ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return;
	e = nlmsg_data(nlh);
	switch (pipe_ack(&pipe, nlh->nlmsg_seq, e->error)) {
	case 1:
		/* Printed once every ACK is in, so it is the first one's. */
		memcpy(pipe_err_ack, nlh, nlh->nlmsg_len);
		break;
	case 0:
		if (!e->error)
			ext_ack_report(nlh, 0, &r);
		break;
	}
}

/* Read until every queued request has its ACK. */
static int pipe_recv(void)
{
	struct mmsghdr vec[PIPE_RECV_VEC];
	struct iovec iov[PIPE_RECV_VEC];
	int fd = nl_socket_get_fd(genl_sk);
	unsigned int i;

	while (!pipe_done(&pipe)) {
		unsigned int want = pipe.n - pipe.nacked;
		int n;

		if (want > PIPE_RECV_VEC)
			want = PIPE_RECV_VEC;
		memset(vec, 0, want * sizeof(vec[0]));
		for (i = 0; i < want; i++) {
			iov[i].iov_base = pipe_rbuf + i * PIPE_ACK_MAX;
			iov[i].iov_len = PIPE_ACK_MAX;
			vec[i].msg_hdr.msg_iov = &iov[i];
			vec[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, vec, want, MSG_WAITFORONE, NULL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "Error: cannot read the kernel's answer: %s.\n",
				strerror(errno));
			return -errno;
		}
		for (i = 0; i < (unsigned int)n; i++) {
			struct nlmsghdr *nlh = iov[i].iov_base;
			int len = vec[i].msg_len;

			if (vec[i].msg_hdr.msg_flags & MSG_TRUNC) {
				print_error("Error", "truncated answer from the kernel");
				return -EPROTO;
			}
			for (; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len))
				pipe_ack_msg(nlh);
		}
	}
	return 0;
}

int nvgre_genl_flush(unsigned long *failed)
{
	struct nl_req r = { .genl = true };
	int ret;

	if (!pipe.n)
		return 0;
	ret = nl_sendto(genl_sk, pipe_buf, pipe.bytes);
	if (ret < 0) {
		fprintf(stderr, "Error: cannot send to the kernel: %s.\n",
			nl_geterror(ret));
		ret = -EIO;
	} else {
		ret = pipe_recv();
	}
	if (pipe.err) {
		/* A failure outranks losing the ACKs of later requests. */
		struct nlmsghdr *nlh = (struct nlmsghdr *)pipe_err_ack;
		struct nlattr *tb[EXTACK_MAX + 1];
		uint32_t off = 0;

		ext_ack_report(nlh, pipe.err, &r);
		/* The offset in a bulk request names the record that failed. */
		ext_ack_parse(nlh, tb);
		if (tb[EXTACK_OFFS] && nla_len(tb[EXTACK_OFFS]) >= 4)
			off = nla_get_u32(tb[EXTACK_OFFS]);
		*failed = pipe_rec_tag(&pipe, pipe.err_slot, off);
		ret = pipe.err;
	} else if (ret) {
		*failed = pipe.tag[pipe_first_unacked(&pipe)];
	}
	pipe_reset(&pipe, pipe.max);
	return ret;
}

/*
 * The last request queued, while pipe.n > 0: its command, the type of
 * the nests that hold its records, and its offset in pipe_buf.
 */
static uint8_t pipe_last_cmd;
static int pipe_last_nest;
static size_t pipe_last_start;

/* Queue msg (consumed), the request of line tag. */
static int pipe_queue_msg(struct nl_msg *msg, unsigned long tag,
			  unsigned long *failed)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	size_t len = NLMSG_ALIGN(nlh->nlmsg_len);
	int ret;

	if (!pipe_fits(&pipe, len)) {
		ret = nvgre_genl_flush(failed);
		if (!ret && !pipe_fits(&pipe, len)) {
			print_error("Error", strerror(EMSGSIZE));
			*failed = tag;
			ret = -EMSGSIZE;
		}
		if (ret) {
			nlmsg_free(msg);
			return ret;
		}
	}
	/* Port, the socket's next sequence number and NLM_F_REQUEST. */
	nl_complete_msg(genl_sk, msg);
	pipe_last_start = pipe.bytes;
	memset(pipe_buf + pipe.bytes, 0, len);
	memcpy(pipe_buf + pipe.bytes, nlh, nlh->nlmsg_len);
	ret = pipe_add(&pipe, nlh->nlmsg_seq, tag, len);
	nlmsg_free(msg);
	if (ret) {
		/* Someone else used the socket's sequence numbers. */
		print_error("Error", "out of sequence netlink request");
		*failed = tag;
		return -EPROTO;
	}
	return 0;
}

/* A request of cmd; NULL when it failed (*failed names tag). */
static struct nl_msg *pipe_msg(uint8_t cmd, nvgre_put_fn put,
			       const void *req, unsigned long tag,
			       unsigned long *failed)
{
	struct nl_msg *msg;
	int ret;

	ret = pipe_open();
	msg = ret ? NULL : genl_msg(cmd, NLM_F_ACK, put, req, &ret);
	if (!msg) {
		/* Report the queued requests' failure first, if any. */
		if (!nvgre_genl_flush(failed))
			*failed = tag;
	}
	return msg;
}

int nvgre_put_attrs(struct nl_msg *msg, nvgre_attrs_fn fn, const void *req)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	size_t off = NLMSG_ALIGN(nlh->nlmsg_len);
	struct nvgre_attrs a = {
		.p = (char *)nlh + off,
		.end = (char *)nlh + nlmsg_get_max_size(msg),
	};
	int ret;

	if (a.p > a.end)
		return -EMSGSIZE;
	ret = fn(&a, req);
	if (!ret)
		nlh->nlmsg_len = a.p - (char *)nlh;
	return ret;
}

struct nest_put {
	int type;
	nvgre_attrs_fn fn;
	const void *req;
};

static int put_nested(struct nl_msg *msg, const void *arg)
{
	const struct nest_put *np = arg;
	struct nlattr *nest = nla_nest_start(msg, np->type);
	int ret;

	if (!nest)
		return -EMSGSIZE;
	ret = nvgre_put_attrs(msg, np->fn, np->req);
	if (ret)
		return ret;
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * Appends a record, in a nest of type nest, to the last request queued,
 * which is the tail of pipe_buf: written in place, without a message of
 * its own (an nlmsg_alloc() clears a page) or a copy. 0, 1 when it does
 * not fit, or a negative errno.
 */
static int bulk_extend(int nest, nvgre_attrs_fn fn, const void *req,
		       unsigned long tag)
{
	struct nlmsghdr *last = (void *)(pipe_buf + pipe_last_start);
	char *start = pipe_buf + pipe.bytes;
	struct nvgre_attrs a = {
		.p = start + NLA_HDRLEN,
		.end = pipe_buf + PIPE_MAX_BYTES,
	};
	uint32_t off = pipe.bytes - pipe_last_start;
	struct nlattr hdr;
	int ret;

	if (!pipe_fits_rec(&pipe, NLA_HDRLEN))
		return 1;
	ret = fn(&a, req);
	if (ret)
		return ret == -EMSGSIZE ? 1 : ret;
	hdr.nla_len = a.p - start;
	hdr.nla_type = nest | NLA_F_NESTED;
	memcpy(start, &hdr, sizeof(hdr));
	if (pipe_add_rec(&pipe, tag, off, hdr.nla_len))
		return 1;
	last->nlmsg_len = off + hdr.nla_len;
	return 0;
}

int nvgre_genl_queue_bulk(uint8_t cmd, int nest, nvgre_attrs_fn fn,
			  const void *req, unsigned long tag,
			  unsigned long *failed)
{
	struct nest_put np = { .type = nest, .fn = fn, .req = req };
	struct nl_msg *msg;

	if (pipe.n && pipe_last_nest == nest && pipe_last_cmd == cmd) {
		int ret = bulk_extend(nest, fn, req, tag);

		if (ret < 0) {
			print_error("Error", strerror(-ret));
			/* Report the queued requests' failure first, if any. */
			if (!nvgre_genl_flush(failed))
				*failed = tag;
			return ret;
		}
		if (!ret)
			return 0;
	}
	msg = pipe_msg(cmd, put_nested, &np, tag, failed);
	if (!msg)
		return -EINVAL;
	pipe_last_nest = nest;
	pipe_last_cmd = cmd;
	return pipe_queue_msg(msg, tag, failed);
}

/* ---- notifications (monitor) ------------------------------------------- */

/* Subscribes the listening socket to group; on failure frees it. */
static int genl_join(const char *group)
{
	int grp, ret;

	grp = genl_ctrl_resolve_grp(genl_sk, NVGRE_GENL_NAME, group);
	if (grp < 0) {
		fprintf(stderr, "Error: the nvgre module has no multicast group \"%s\": %s.\n",
			group, nl_geterror(grp));
		ret = -ENOENT;
		goto err_free;
	}
	ret = nl_socket_add_membership(event_sk, grp);
	if (ret < 0) {
		/* The kernel checks CAP_NET_ADMIN when the socket joins. */
		fprintf(stderr, "Error: cannot listen to the nvgre %s: %s.\n",
			group, nl_geterror(ret));
		ret = ret == -NLE_PERM ? -EPERM : -EIO;
		goto err_free;
	}
	return 0;

err_free:
	nl_socket_free(event_sk);
	event_sk = NULL;
	return ret;
}

int nvgre_genl_listen(const char *group, int rcvbuf)
{
	int fd, ret;

	ret = genl_open();
	if (ret)
		return ret;
	event_sk = sock_open(NETLINK_GENERIC);
	if (!event_sk)
		return -EIO;
	/* Notifications answer no request of ours. */
	nl_socket_disable_seq_check(event_sk);
	fd = nl_socket_get_fd(event_sk);
	/* SO_RCVBUFFORCE where allowed, else up to net.core.rmem_max. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	ret = genl_join(group);
	return ret ? ret : fd;
}

int nvgre_genl_listen_more(const char *group)
{
	return event_sk ? genl_join(group) : -EBADF;
}

struct event_req {
	nvgre_event_fn fn;
	void *arg;
	int ret;
};

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[NVGRE_A_MAX + 1];
	struct event_req *r = arg;
	int ret;

	if (nlh->nlmsg_type != nvgre_family)
		return NL_SKIP;
	ret = genlmsg_parse(nlh, 0, tb, NVGRE_A_MAX,
			    (struct nla_policy *)nvgre_policy);
	if (ret < 0) {
		fprintf(stderr, "Error: malformed notification from the kernel: %s.\n",
			nl_geterror(ret));
		r->ret = -EPROTO;
		return NL_STOP;
	}
	r->ret = r->fn(((struct genlmsghdr *)nlmsg_data(nlh))->cmd, tb,
		       r->arg);
	return r->ret ? NL_STOP : NL_OK;
}

int nvgre_genl_events(nvgre_event_fn fn, void *arg)
{
	struct event_req r = { .fn = fn, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb) {
		print_error("Error", strerror(ENOMEM));
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, event_cb, &r);
	ret = nl_recvmsgs(event_sk, cb);
	nl_cb_put(cb);
	if (r.ret)
		return r.ret < 0 ? r.ret : 1;
	/* libnl maps recvmsg()'s ENOBUFS (socket overflow) to NLE_NOMEM. */
	if (ret == -NLE_NOMEM)
		return -ENOBUFS;
	if (ret < 0) {
		fprintf(stderr, "Error: cannot read notifications: %s.\n",
			nl_geterror(ret));
		return -EIO;
	}
	return 0;
}

void nl_close_all(void)
{
	free(pipe_buf);
	free(pipe_rbuf);
	pipe_buf = pipe_rbuf = NULL;
	pipe.n = 0;
	nl_socket_free(genl_sk);
	nl_socket_free(rtnl_sk);
	nl_socket_free(event_sk);
	genl_sk = NULL;
	rtnl_sk = NULL;
	event_sk = NULL;
	nvgre_family = -1;
}
