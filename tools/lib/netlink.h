/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnvgre's transport, on libnl-3: a generic netlink socket for the
 * "nvgre" family and a rtnetlink socket for links, both opened on first
 * use (after setns()) with extended ACKs enabled; requests, dumps, the
 * bulk queue of batch mode and restore, and listening to the family's
 * multicast groups. The objects' requests are built by the object table
 * (obj.h).
 *
 * Every function returns 0 or a negative errno value, and has printed the
 * error ("Error: <kernel message>." or "Error: <strerror>.") to stderr.
 */
#ifndef NVGRECTL_NETLINK_H
#define NVGRECTL_NETLINK_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

/* How often a dump is started again when the kernel marks it interrupted. */
#define DUMP_TRIES	5

/* Add the request's attributes to msg; 0 or a negative errno. */
typedef int (*nvgre_put_fn)(struct nl_msg *msg, const void *req);
/* One reply, tb[NVGRE_A_*] validated by type; 0 or a negative errno. */
typedef int (*nvgre_parse_fn)(struct nlattr **tb, void *arg);
/* Forget what a dump that is going to be retried has collected. */
typedef void (*nvgre_reset_fn)(void *arg);

/*
 * Attributes written straight into a buffer, from p up to end: batch mode
 * puts four a record, and libnl's nla_put() and nesting cost a few
 * hundred instructions each, more than parsing the batch line did.
 */
struct nvgre_attrs {
	char *p;
	char *end;
};

/* Appends an attribute as nla_put() does; -EMSGSIZE when it does not fit. */
static inline int nvgre_attr_put(struct nvgre_attrs *a, uint16_t type,
				 const void *data, uint16_t len)
{
	struct nlattr nla = { .nla_len = NLA_HDRLEN + len, .nla_type = type };
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	/* nla_len is 16 bits, as in nla_put(). */
	if (len > UINT16_MAX - NLA_HDRLEN - NLA_ALIGNTO ||
	    total > (size_t)(a->end - a->p))
		return -EMSGSIZE;
	memcpy(a->p, &nla, sizeof(nla));
	memcpy(a->p + NLA_HDRLEN, data, len);
	memset(a->p + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	a->p += total;
	return 0;
}

/* Write the request's attributes at a->p; 0 or a negative errno. */
typedef int (*nvgre_attrs_fn)(struct nvgre_attrs *a, const void *req);

/* What fn writes, appended to msg (the work of an nvgre_put_fn). */
int nvgre_put_attrs(struct nl_msg *msg, nvgre_attrs_fn fn, const void *req);

/* A request with NLM_F_ACK; parse (may be NULL) sees the replies. */
int nvgre_genl_do(uint8_t cmd, nvgre_put_fn put, const void *req,
		  nvgre_parse_fn parse, void *arg);
/* A dump, restarted up to DUMP_TRIES times while NLM_F_DUMP_INTR. */
int nvgre_genl_dump(uint8_t cmd, nvgre_put_fn put, const void *req,
		    nvgre_parse_fn parse, nvgre_reset_fn reset, void *arg);

/*
 * Batch mode, for a command that takes records in nests of type nest
 * (bulk LOOKUP_ADD, _REPLACE and _DEL, NVGRE_A_LOOKUP): requests whose
 * only answer is the ACK, many per sendmsg(), handled by the kernel in
 * order, failed or not. tag names the record (its batch line). The
 * record joins the last request queued when that one is of the same
 * command and room is left, so a run of such lines becomes one request;
 * the queued requests are sent first when a new one does not fit. The
 * kernel stops a request at its first failing record; *failed is that
 * record's tag (from the offset in the extended ACK, its error printed),
 * the records before it stay applied, and requests queued after it may
 * have been applied.
 */
int nvgre_genl_queue_bulk(uint8_t cmd, int nest, nvgre_attrs_fn fn,
			  const void *req, unsigned long tag,
			  unsigned long *failed);
/* Send what is queued and check every ACK; 0 when nothing is queued. */
int nvgre_genl_flush(unsigned long *failed);

/* A struct ifinfomsg rtnetlink message for ifindex (0: none). */
struct nl_msg *rtnl_link_msg(int type, int flags, int ifindex);
/* Send msg (consumed) and wait for the kernel's ACK. */
int rtnl_transact(struct nl_msg *msg);
/*
 * ifindex and IFLA_INFO_KIND ("" if none) of device name; -ENODEV without
 * a message when there is no such device.
 */
int rtnl_link_get(const char *name, int *ifindex, char *kind, size_t len);

/*
 * Listening to a multicast group of the family: a socket of its own,
 * subscribed to group with a receive buffer of rcvbuf bytes (or what the
 * kernel grants). Returns the socket's descriptor, to poll, or a negative
 * errno (printed; -EPERM without CAP_NET_ADMIN).
 */
int nvgre_genl_listen(const char *group, int rcvbuf);
/*
 * After nvgre_genl_listen(): subscribe the same socket to one more group.
 * 0 or a negative errno (printed; the socket is closed then).
 */
int nvgre_genl_listen_more(const char *group);
/* One notification: its command and attributes; nonzero stops. */
typedef int (*nvgre_event_fn)(uint8_t cmd, struct nlattr **tb, void *arg);
/*
 * Read what the listening socket holds and pass each notification to fn.
 * Returns 0, 1 when fn asked to stop, -ENOBUFS without a message when the
 * receive buffer overflowed (notifications were lost; the socket stays
 * usable), or another negative errno (printed).
 */
int nvgre_genl_events(nvgre_event_fn fn, void *arg);

void nl_close_all(void);

#endif /* NVGRECTL_NETLINK_H */
