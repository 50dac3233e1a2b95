/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * NVGRE (RFC 7637) virtual subnets: the generic netlink family "nvgre" and
 * the IFLA_NVGRE_* link attributes of the "nvgre" rtnl link kind.
 *
 * This header is the one definition shared by the kernel module and by
 * nvgrectl; it follows the layout rules of include/uapi/linux.
 */
#ifndef _UAPI_LINUX_NVGRE_H
#define _UAPI_LINUX_NVGRE_H

#include <linux/types.h>

#define NVGRE_GENL_NAME		"nvgre"
#define NVGRE_GENL_VERSION	1
/* Multicast group of change notifications (see enum nvgre_cmd). */
#define NVGRE_MCGRP_EVENTS	"events"
/* Multicast group of miss reports (NVGRE_CMD_MISS). */
#define NVGRE_MCGRP_MISSES	"misses"

/*
 * Virtual Subnet IDs 0-4095 are reserved by RFC 7637 section 3.2,
 * 0xFFFFFF is reserved for vendor use.
 */
#define NVGRE_VSID_MIN		4096
#define NVGRE_VSID_MAX		16777214

/*
 * Protocols of lookup records (NVGRE_A_PROTO), a u8 like rtm_protocol: 0
 * for records added by hand, 1 for nvgre-agent; other programs may use
 * any other value.
 */
#define NVGRE_PROTO_ADMIN	0
#define NVGRE_PROTO_AGENT	1

/**
 * enum nvgre_cmd - generic netlink commands of the "nvgre" family
 * @NVGRE_CMD_LOOKUP_ADD: add a lookup record; fails with EEXIST if a
 *	record for (VSID, CA) exists. Needs VSID, CA4 or CA6, PA4 or PA6,
 *	MAC; or many records, one per NVGRE_A_LOOKUP nest (so do REPLACE and
 *	DEL).
 * @NVGRE_CMD_LOOKUP_REPLACE: add a lookup record or atomically replace the
 *	existing record for (VSID, CA). Same attributes as ADD.
 * @NVGRE_CMD_LOOKUP_DEL: delete the record for (VSID, CA).
 * @NVGRE_CMD_LOOKUP_GET: do: the record for (VSID, CA); dump: all records,
 *	or those of NVGRE_A_VSID if given. Dumps are marked NLM_F_DUMP_INTR
 *	when the table changed while they ran.
 * @NVGRE_CMD_LOOKUP_FLUSH: delete all records, or those of NVGRE_A_VSID.
 * @NVGRE_CMD_LINK_GET: do: the nvgre device NVGRE_A_IFINDEX; dump: every
 *	nvgre device of the namespace. Replies carry VSID, IFINDEX, IFNAME,
 *	LOCAL4 and/or LOCAL6, RDID, GROUP4 in multicast mode and the
 *	NVGRE_A_STATS nest.
 * @NVGRE_CMD_NS_STATS_GET: counters of the namespace that belong to no
 *	device (NVGRE_A_STATS with NVGRE_STATS_RX_UNKNOWN_VSID).
 * @NVGRE_CMD_LINK_NEW: notification: an nvgre device was created
 *	(attributes as in LINK_GET replies, without NVGRE_A_STATS)
 * @NVGRE_CMD_LINK_DEL: notification: an nvgre device is being deleted
 * @NVGRE_CMD_MISS: notification on NVGRE_MCGRP_MISSES: a frame was dropped
 *	for want of a record. IFINDEX, VSID, MISS_REASON (enum
 *	nvgre_miss_reason), the key that has no (matching) record: MAC and/or
 *	CA4 or CA6, and for received frames PA4 or PA6, the outer source PA.
 *	At most
 *	the module parameter miss_rate reports per second per device; the
 *	others count as NVGRE_STATS_MISS_SUPPRESSED.
 * @NVGRE_CMD_PA_ADD: make PA4 or PA6 a provider address of the namespace
 *	on the underlay device NVGRE_A_IFINDEX, which must have it
 *	configured; EEXIST if it is one already
 * @NVGRE_CMD_PA_DEL: remove the provider address PA4 or PA6
 * @NVGRE_CMD_PA_GET: dump: the provider addresses of the namespace, each
 *	with PA4 or PA6 and the underlay device (IFINDEX, IFNAME)
 * @NVGRE_CMD_SUBNET_ADD: give VSID the prefix CA4 or CA6 / PREFIX_LEN in
 *	the routing domain RDID (default: that of the VSID's nvgre device),
 *	with the virtual gateway address GW4 or GW6 (default: the first
 *	address of the prefix). A VSID is in one routing domain: RDID must
 *	be that of its device and of its other subnets. EEXIST if the prefix
 *	overlaps a subnet of the routing domain
 * @NVGRE_CMD_SUBNET_DEL: take the prefix CA4 or CA6 / PREFIX_LEN from VSID
 * @NVGRE_CMD_SUBNET_GET: dump: the subnets of the namespace, or those of
 *	NVGRE_A_VSID; each with VSID, RDID, CA4 or CA6, PREFIX_LEN, GW4 or
 *	GW6 and GW_MAC, the gateway MAC of the routing domain
 * @NVGRE_CMD_ROUTE_ADD: add the customer route CA4 or CA6 / PREFIX_LEN in
 *	routing domain RDID with METRIC (default 0): to the next hop
 *	NEXTHOP4 or NEXTHOP6, a CA of the domain (its record is looked up in
 *	VSID, default: the VSID of the subnet holding it), or without next
 *	hop on-link in VSID. EEXIST if the domain has a route of that
 *	prefix and metric
 * @NVGRE_CMD_ROUTE_DEL: delete the route RDID, CA4 or CA6 / PREFIX_LEN of
 *	METRIC, or without METRIC the one of lowest metric
 * @NVGRE_CMD_ROUTE_GET: dump: the customer routes of the namespace, or
 *	those of NVGRE_A_RDID; attributes as ROUTE_ADD takes them
 * @NVGRE_CMD_GET: do: what the datapath would do with a frame of VSID
 *	(optionally on the device IFINDEX) described by the NVGRE_A_GET nest
 *	(enum nvgre_get_attr): the transmit or receive decision, computed by
 *	the functions the datapath runs, without sending anything. The reply
 *	has VSID, IFINDEX, IFNAME and an NVGRE_A_GET nest with the verdict
 *
 * Every change is multicast to NVGRE_MCGRP_EVENTS of the namespace: a
 * message with the command of the change (LOOKUP_ADD, LOOKUP_REPLACE,
 * LOOKUP_DEL with the record's attributes as in LOOKUP_GET replies;
 * LOOKUP_FLUSH with NVGRE_A_VSID when one VSID was flushed; LINK_NEW,
 * LINK_DEL; PA_ADD, PA_DEL with the attributes of PA_GET replies, PA_DEL
 * also when the underlay device of a PA is unregistered; SUBNET_ADD,
 * SUBNET_DEL with the attributes of SUBNET_GET replies; ROUTE_ADD,
 * ROUTE_DEL with the attributes of ROUTE_GET replies). A listener whose
 * socket overflowed (ENOBUFS) lost events and must dump again.
 */
enum nvgre_cmd {
	NVGRE_CMD_UNSPEC,
	NVGRE_CMD_LOOKUP_ADD,
	NVGRE_CMD_LOOKUP_REPLACE,
	NVGRE_CMD_LOOKUP_DEL,
	NVGRE_CMD_LOOKUP_GET,
	NVGRE_CMD_LOOKUP_FLUSH,
	NVGRE_CMD_LINK_GET,
	NVGRE_CMD_NS_STATS_GET,
	NVGRE_CMD_LINK_NEW,
	NVGRE_CMD_LINK_DEL,
	NVGRE_CMD_MISS,
	NVGRE_CMD_PA_ADD,
	NVGRE_CMD_PA_DEL,
	NVGRE_CMD_PA_GET,
	NVGRE_CMD_SUBNET_ADD,
	NVGRE_CMD_SUBNET_DEL,
	NVGRE_CMD_SUBNET_GET,
	NVGRE_CMD_ROUTE_ADD,
	NVGRE_CMD_ROUTE_DEL,
	NVGRE_CMD_ROUTE_GET,
	NVGRE_CMD_GET,

	__NVGRE_CMD_MAX
};

#define NVGRE_CMD_MAX (__NVGRE_CMD_MAX - 1)

/**
 * enum nvgre_attr - generic netlink attributes of the "nvgre" family
 * @NVGRE_A_VSID: u32, virtual subnet ID, NVGRE_VSID_MIN..NVGRE_VSID_MAX
 * @NVGRE_A_CA4: be32, IPv4 customer address
 * @NVGRE_A_CA6: struct in6_addr, IPv6 customer address
 * @NVGRE_A_PA4: be32, IPv4 provider address of the host running the VM
 * @NVGRE_A_MAC: 6 bytes, the VM's MAC address
 * @NVGRE_A_IFINDEX: u32, nvgre device; in PA commands the underlay device
 * @NVGRE_A_IFNAME: string, name of the NVGRE_A_IFINDEX device (replies only)
 * @NVGRE_A_LOCAL4: be32, the device's local PA (replies only)
 * @NVGRE_A_RDID: u32, routing domain, not 0: of the device (LINK_GET
 *	replies) or of a subnet
 * @NVGRE_A_STATS: nest of enum nvgre_stats_attr (replies only)
 * @NVGRE_A_PAD: padding for 64-bit attributes
 * @NVGRE_A_TTL: u8, outer TTL of the device, 0: the route's (replies only)
 * @NVGRE_A_TOS: u8, outer TOS of the device, 1: inherit (replies only)
 * @NVGRE_A_MISS_REASON: u32, enum nvgre_miss_reason (NVGRE_CMD_MISS only)
 * @NVGRE_A_PA6: struct in6_addr, IPv6 provider address (of the host running
 *	the VM in records, which have PA4 or PA6)
 * @NVGRE_A_LOOKUP: nest, one record of a bulk LOOKUP_ADD, LOOKUP_REPLACE or
 *	LOOKUP_DEL: the attributes that command takes at the top level
 *	(VSID, CA4 or CA6, PA4 or PA6, MAC, TYPE, PROTO), and no other. A
 *	request holds either one record at the top level or any number of
 *	these nests (and then no top-level record attribute). The records
 *	are applied in order and the first failure stops the request: its
 *	extended ACK's offset points into that record's nest, and the
 *	records before it stay applied.
 * @NVGRE_A_LOCAL6: struct in6_addr, the device's IPv6 local PA (replies
 *	only)
 * @NVGRE_A_PREFIX_LEN: u8, length of the prefix in CA4 (0-32) or CA6
 *	(0-128) in subnet commands
 * @NVGRE_A_GW4: be32, IPv4 virtual gateway address of a subnet
 * @NVGRE_A_GW6: struct in6_addr, IPv6 virtual gateway address of a subnet
 * @NVGRE_A_GW_MAC: 6 bytes, the gateway MAC of a routing domain,
 *	02:4e followed by the RDID in network order (replies only)
 * @NVGRE_A_NEXTHOP4: be32, IPv4 next hop CA of a customer route
 * @NVGRE_A_NEXTHOP6: struct in6_addr, IPv6 next hop CA of a customer route
 * @NVGRE_A_METRIC: u32, metric of a customer route; lower wins
 * @NVGRE_A_TYPE: u8, enum nvgre_lookup_type of a record; absent: static.
 *	It is part of the record's key: an l2only record is keyed by (VSID,
 *	MAC) and has no CA, a gateway record by its VSID alone (one per
 *	VSID) and has no CA either
 * @NVGRE_A_GROUP4: be32, the IPv4 multicast group the device sends
 *	broadcast and multicast frames to instead of replicating them
 *	(replies only; absent: head-end replication)
 * @NVGRE_A_GET: nest of enum nvgre_get_attr: the frame of an NVGRE_CMD_GET
 *	request, the verdict of its reply
 * @NVGRE_A_PROTO: u8, who installed a record, like a route's protocol:
 *	NVGRE_PROTO_ADMIN (absent: by hand), NVGRE_PROTO_AGENT
 *	(nvgre-agent) or any other value a program picks. Set by
 *	LOOKUP_ADD and LOOKUP_REPLACE, reported in replies and
 *	notifications when not NVGRE_PROTO_ADMIN. In LOOKUP_DEL it is a
 *	condition: the record is deleted only if it has that protocol (else
 *	EPERM), so that a program deletes only its own records even when an
 *	administrator replaced one a moment before
 */
enum nvgre_attr {
	NVGRE_A_UNSPEC,
	NVGRE_A_VSID,
	NVGRE_A_CA4,
	NVGRE_A_CA6,
	NVGRE_A_PA4,
	NVGRE_A_MAC,
	NVGRE_A_IFINDEX,
	NVGRE_A_IFNAME,
	NVGRE_A_LOCAL4,
	NVGRE_A_RDID,
	NVGRE_A_STATS,
	NVGRE_A_PAD,
	NVGRE_A_TTL,
	NVGRE_A_TOS,
	NVGRE_A_MISS_REASON,
	NVGRE_A_PA6,
	NVGRE_A_LOOKUP,
	NVGRE_A_LOCAL6,
	NVGRE_A_PREFIX_LEN,
	NVGRE_A_GW4,
	NVGRE_A_GW6,
	NVGRE_A_GW_MAC,
	NVGRE_A_NEXTHOP4,
	NVGRE_A_NEXTHOP6,
	NVGRE_A_METRIC,
	NVGRE_A_TYPE,
	NVGRE_A_GROUP4,
	NVGRE_A_GET,
	NVGRE_A_PROTO,

	__NVGRE_A_MAX
};

#define NVGRE_A_MAX (__NVGRE_A_MAX - 1)

/**
 * enum nvgre_stats_attr - counters in NVGRE_A_STATS, all u64
 * @NVGRE_STATS_RX_PACKETS: frames delivered to the device
 * @NVGRE_STATS_RX_BYTES: bytes of those frames (inner Ethernet)
 * @NVGRE_STATS_TX_PACKETS: frames encapsulated and sent
 * @NVGRE_STATS_TX_BYTES: bytes of those frames (inner Ethernet)
 * @NVGRE_STATS_ARP_REPLIES: ARP requests answered from the records
 * @NVGRE_STATS_TX_NO_RECORD: unicast to a MAC that no record of the VSID owns
 * @NVGRE_STATS_TX_FLOOD: broadcast or multicast frames not sent: ARP
 *	requests that need no answer, and frames no other host of the VSID
 *	would get
 * @NVGRE_STATS_TX_ARP_MISS: ARP request for a CA with no record
 * @NVGRE_STATS_TX_LOCAL_PA: record names a PA of this host
 * @NVGRE_STATS_TX_NO_ROUTE: no underlay route to the record's PA
 * @NVGRE_STATS_TX_ERRORS: malformed frame or out of memory on transmit
 * @NVGRE_STATS_RX_BAD_FLAGS: GRE checksum or sequence number present
 * @NVGRE_STATS_RX_VLAN: inner frame carries an 802.1Q/802.1ad tag
 * @NVGRE_STATS_RX_WRONG_PA: outer destination is not a local PA (a
 *	provider address of the namespace; without any, the device's local PA)
 * @NVGRE_STATS_RX_SPOOF_MAC: inner source MAC has no record naming the
 *	outer source PA
 * @NVGRE_STATS_RX_SPOOF_CA: inner source CA (IP or ARP sender) has no record
 *	naming the outer source PA
 * @NVGRE_STATS_RX_MALFORMED: truncated inner frame or multicast source MAC
 * @NVGRE_STATS_RX_ERRORS: out of memory on receive
 * @NVGRE_STATS_RX_UNKNOWN_VSID: NVGRE to a local address for a VSID that no
 *	device of the namespace serves; left to the kernel's GRE stack, which
 *	drops it unless one of its own keyed tunnels claims the key
 * @NVGRE_STATS_TX_TOO_BIG: frames larger than the path MTU allows, answered
 *	to the VM with ICMP "fragmentation needed" / "packet too big"
 * @NVGRE_STATS_RX_ECN: outer CE on a Not-ECT inner packet (RFC 6040)
 * @NVGRE_STATS_ND_REPLIES: Neighbour Solicitations answered from the records
 * @NVGRE_STATS_TX_ND_MISS: Neighbour Solicitation for a CA with no record
 * @NVGRE_STATS_MISS_EVENTS: misses reported on NVGRE_MCGRP_MISSES
 * @NVGRE_STATS_MISS_SUPPRESSED: misses not reported, over the rate limit
 * @NVGRE_STATS_TX_NO_LOCAL_PA: neither the sending VM's record nor the
 *	device names a provider address of the namespace
 * @NVGRE_STATS_TX_NO_SUBNET: a frame to the gateway MAC that is not IP, or
 *	whose destination no subnet of the routing domain holds, or that a
 *	customer route sends to a VSID whose device is in another routing
 *	domain
 * @NVGRE_STATS_TX_TTL_EXCEEDED: a frame to the gateway MAC with TTL or hop
 *	limit 1 or 0: a router would have answered ICMP time exceeded
 * @NVGRE_STATS_TX_ROUTED_LOCAL: frames routed to a VM of another VSID of
 *	the routing domain on this host, delivered without the underlay
 * @NVGRE_STATS_TX_FLOOD_COPIES: unicast copies of broadcast and multicast
 *	frames sent by head-end replication
 * @NVGRE_STATS_TX_FLOOD_SKIPPED: PAs of the VSID a broadcast or multicast
 *	frame was not copied to: over the per-frame limit, or of a family the
 *	sending VM has no source PA of
 * @NVGRE_STATS_TX_GATEWAY: unicast to a MAC that no record of the VSID
 *	owns, sent to the VSID's gateway record (NVGRE_LOOKUP_GATEWAY)
 * @NVGRE_STATS_RX_WRONG_GROUP: NVGRE to the multicast group of another
 *	device of the namespace: its VSID is not that group's
 * @NVGRE_STATS_TX_GROUP: broadcast and multicast frames sent once to the
 *	device's multicast group (instead of head-end replication)
 * @NVGRE_STATS_TX_ND_SPOOF: a VM's Neighbour Advertisement for a target
 *	that no record gives its MAC (nor its EUI-64 link-local address)
 * @NVGRE_STATS_RX_ND_SPOOF: a received Neighbour Advertisement for a
 *	target that no record gives the inner source MAC at the outer
 *	source PA
 * @NVGRE_STATS_TX_ND_ROUTER: a VM's Router Advertisement or Redirect; only
 *	a MAC with an l2only or gateway record may send them
 * @NVGRE_STATS_RX_ND_ROUTER: the same received from another host
 * @NVGRE_STATS_TX_NS_INVALID: a Neighbour Solicitation to the gateway MAC
 *	that is not a valid one (hop limit 255, code 0, a source address, a
 *	unicast target: RFC 4861 7.1.1)
 * @NVGRE_STATS_RX_POLICY: NVGRE that the inbound IPsec (xfrm) policy
 *	refuses, as it would refuse GRE for the kernel's own tunnels: for
 *	example plaintext where the policy requires ESP
 * @NVGRE_STATS_PAD: padding
 */
enum nvgre_stats_attr {
	NVGRE_STATS_UNSPEC,
	NVGRE_STATS_PAD,
	NVGRE_STATS_RX_PACKETS,
	NVGRE_STATS_RX_BYTES,
	NVGRE_STATS_TX_PACKETS,
	NVGRE_STATS_TX_BYTES,
	NVGRE_STATS_ARP_REPLIES,
	NVGRE_STATS_TX_NO_RECORD,
	NVGRE_STATS_TX_FLOOD,
	NVGRE_STATS_TX_ARP_MISS,
	NVGRE_STATS_TX_LOCAL_PA,
	NVGRE_STATS_TX_NO_ROUTE,
	NVGRE_STATS_TX_ERRORS,
	NVGRE_STATS_RX_BAD_FLAGS,
	NVGRE_STATS_RX_VLAN,
	NVGRE_STATS_RX_WRONG_PA,
	NVGRE_STATS_RX_SPOOF_MAC,
	NVGRE_STATS_RX_SPOOF_CA,
	NVGRE_STATS_RX_MALFORMED,
	NVGRE_STATS_RX_ERRORS,
	NVGRE_STATS_RX_UNKNOWN_VSID,
	NVGRE_STATS_TX_TOO_BIG,
	NVGRE_STATS_RX_ECN,
	NVGRE_STATS_ND_REPLIES,
	NVGRE_STATS_TX_ND_MISS,
	NVGRE_STATS_MISS_EVENTS,
	NVGRE_STATS_MISS_SUPPRESSED,
	NVGRE_STATS_TX_NO_LOCAL_PA,
	NVGRE_STATS_TX_NO_SUBNET,
	NVGRE_STATS_TX_TTL_EXCEEDED,
	NVGRE_STATS_TX_ROUTED_LOCAL,
	NVGRE_STATS_TX_FLOOD_COPIES,
	NVGRE_STATS_TX_FLOOD_SKIPPED,
	NVGRE_STATS_TX_GATEWAY,
	NVGRE_STATS_RX_WRONG_GROUP,
	NVGRE_STATS_TX_GROUP,
	NVGRE_STATS_TX_ND_SPOOF,
	NVGRE_STATS_RX_ND_SPOOF,
	NVGRE_STATS_TX_ND_ROUTER,
	NVGRE_STATS_RX_ND_ROUTER,
	NVGRE_STATS_TX_NS_INVALID,
	NVGRE_STATS_RX_POLICY,

	__NVGRE_STATS_MAX
};

#define NVGRE_STATS_MAX (__NVGRE_STATS_MAX - 1)

/**
 * enum nvgre_miss_reason - why a frame was dropped (NVGRE_A_MISS_REASON)
 * @NVGRE_MISS_TX_UNICAST: a VM sent to a unicast MAC that no record of the
 *	VSID owns (MAC)
 * @NVGRE_MISS_TX_ARP: a VM asked ARP for a CA with no record (CA4)
 * @NVGRE_MISS_TX_ND: a VM sent a Neighbour Solicitation for a CA with no
 *	record (CA6)
 * @NVGRE_MISS_RX_UNKNOWN: received from the underlay, the inner source MAC
 *	or CA has no record at all (MAC or CA4/CA6, PA4 or PA6)
 * @NVGRE_MISS_RX_STALE_PA: received from the underlay, the inner source
 *	MAC or CA has a record, but it names another PA than the outer source:
 *	a stale record after a VM move, Hyper-V's "policy mismatch" (MAC or
 *	CA4/CA6, PA4 or PA6)
 * @NVGRE_MISS_TX_ROUTED: a VM sent to its gateway for a CA that a subnet of
 *	the routing domain holds but that has no record in its VSID (CA4/CA6)
 */
enum nvgre_miss_reason {
	NVGRE_MISS_UNSPEC,
	NVGRE_MISS_TX_UNICAST,
	NVGRE_MISS_TX_ARP,
	NVGRE_MISS_TX_ND,
	NVGRE_MISS_RX_UNKNOWN,
	NVGRE_MISS_RX_STALE_PA,
	NVGRE_MISS_TX_ROUTED,

	__NVGRE_MISS_MAX
};

#define NVGRE_MISS_MAX (__NVGRE_MISS_MAX - 1)

/**
 * enum nvgre_lookup_type - kinds of lookup records (NVGRE_A_TYPE)
 * @NVGRE_LOOKUP_STATIC: (VSID, CA) -> (PA, MAC); ARP and ND for the CA are
 *	answered with the MAC, received frames must come from the CA
 * @NVGRE_LOOKUP_L2ONLY: (VSID, MAC) -> PA, no CA: an appliance reached at
 *	layer 2. Frames to and from the MAC are carried, with any (or no)
 *	inner IP source; no ARP or ND is answered for it
 * @NVGRE_LOOKUP_GATEWAY: VSID -> (PA, MAC), at most one per VSID (Hyper-V's
 *	GatewayWildcard): unicast of a VM to a MAC that no record of the VSID
 *	owns goes to the PA, its destination MAC rewritten to MAC; frames from
 *	MAC at PA are accepted with any inner IP source. ARP and ND for CAs
 *	without a record stay unanswered
 */
enum nvgre_lookup_type {
	NVGRE_LOOKUP_STATIC,
	NVGRE_LOOKUP_L2ONLY,
	NVGRE_LOOKUP_GATEWAY,

	__NVGRE_LOOKUP_MAX
};

#define NVGRE_LOOKUP_MAX (__NVGRE_LOOKUP_MAX - 1)

/**
 * enum nvgre_get_dir - the direction a NVGRE_CMD_GET asks about
 * @NVGRE_GET_DIR_OUT: a VM of the device sends the frame (transmit)
 * @NVGRE_GET_DIR_IN: the frame arrives from the underlay (receive)
 */
enum nvgre_get_dir {
	NVGRE_GET_DIR_OUT,
	NVGRE_GET_DIR_IN,

	__NVGRE_GET_DIR_MAX
};

#define NVGRE_GET_DIR_MAX (__NVGRE_GET_DIR_MAX - 1)

/**
 * enum nvgre_get_outcome - what the datapath does with the frame
 * @NVGRE_GET_DROP: dropped; NVGRE_GET_A_COUNTER names the counter
 * @NVGRE_GET_SEND: encapsulated towards the PA of a record (RECORD)
 * @NVGRE_GET_ROUTED: routed by a subnet or customer route (ROUTE) of the
 *	routing domain to VSID, the record of NEXTHOP, then encapsulated
 * @NVGRE_GET_ROUTED_LOCAL: routed as ROUTED to a VM on this host, handed
 *	to the device DST_IFINDEX without the underlay
 * @NVGRE_GET_GATEWAY: to the VSID's gateway record (tx_gateway)
 * @NVGRE_GET_FLOOD: copied to every other host of the VSID (FLOOD)
 * @NVGRE_GET_GROUP: sent once to the device's multicast group (GROUP4)
 * @NVGRE_GET_LOCAL: the record's PA is this host's: the VM runs here and
 *	the bridge reaches it; the device drops its copy (tx_local_pa)
 * @NVGRE_GET_ACCEPT: received: the source checks pass, the frame is
 *	delivered to the device
 */
enum nvgre_get_outcome {
	NVGRE_GET_DROP,
	NVGRE_GET_SEND,
	NVGRE_GET_ROUTED,
	NVGRE_GET_ROUTED_LOCAL,
	NVGRE_GET_GATEWAY,
	NVGRE_GET_FLOOD,
	NVGRE_GET_GROUP,
	NVGRE_GET_LOCAL,
	NVGRE_GET_ACCEPT,

	__NVGRE_GET_MAX
};

#define NVGRE_GET_MAX (__NVGRE_GET_MAX - 1)

/**
 * enum nvgre_get_attr - attributes in NVGRE_A_GET
 * @NVGRE_GET_A_DIR: u8, enum nvgre_get_dir; absent: out
 * @NVGRE_GET_A_DST4: be32, inner destination CA (request, required: DST4
 *	or DST6)
 * @NVGRE_GET_A_DST6: struct in6_addr, IPv6 inner destination CA
 * @NVGRE_GET_A_SRC4: be32, inner source CA; absent: none (a frame without
 *	an IP source is checked by its MAC alone)
 * @NVGRE_GET_A_SRC6: struct in6_addr, IPv6 inner source CA
 * @NVGRE_GET_A_SRC_MAC: 6 bytes, inner source MAC; absent: the MAC of the
 *	source CA's record (echoed in replies)
 * @NVGRE_GET_A_OUTER4: be32, outer source PA of a received frame (dir in,
 *	required: OUTER4 or OUTER6)
 * @NVGRE_GET_A_OUTER6: struct in6_addr, IPv6 outer source PA
 * @NVGRE_GET_A_OUTCOME: u8, enum nvgre_get_outcome (replies)
 * @NVGRE_GET_A_COUNTER: u16, the NVGRE_STATS_* counter the frame raises
 *	(replies; absent: none but the packet counters)
 * @NVGRE_GET_A_DST_MAC: 6 bytes, in a request the inner destination MAC
 *	(absent: what ARP or ND answer for DST, or the gateway MAC for a CA
 *	off the VSID's subnets); in replies the one the frame leaves with
 * @NVGRE_GET_A_VSID: u32, VSID of the GRE key it leaves with (replies)
 * @NVGRE_GET_A_PA4: be32, destination PA (replies)
 * @NVGRE_GET_A_PA6: struct in6_addr, IPv6 destination PA (replies)
 * @NVGRE_GET_A_LOCAL4: be32, source PA, 0: the underlay route's (replies)
 * @NVGRE_GET_A_LOCAL6: struct in6_addr, IPv6 source PA (replies)
 * @NVGRE_GET_A_NEXTHOP4: be32, the CA whose record the frame goes to when
 *	routed (replies)
 * @NVGRE_GET_A_NEXTHOP6: struct in6_addr, the same for IPv6
 * @NVGRE_GET_A_RECORD: nest, the record used, with the attributes of a
 *	LOOKUP_GET reply (replies)
 * @NVGRE_GET_A_ROUTE: nest, the customer route used, with the attributes
 *	of a ROUTE_GET reply; absent when the subnet of the destination
 *	routed it on-link (replies)
 * @NVGRE_GET_A_RDID: u32, the routing domain that routed it (replies)
 * @NVGRE_GET_A_FLOOD: nest of PA4 or PA6 (enum nvgre_attr) attributes, the
 *	PAs that get a copy (replies)
 * @NVGRE_GET_A_GROUP4: be32, the multicast group (replies)
 * @NVGRE_GET_A_UNDERLAY: u32, ifindex of the underlay device the route to
 *	the PA leaves by (replies)
 * @NVGRE_GET_A_DST_IFINDEX: u32, the device of this host a routed frame
 *	is handed to (replies)
 * @NVGRE_GET_A_OUTER_DST4: be32, outer destination of a received frame
 *	(dir in, request); absent: the device's local PA, if it has one,
 *	else any local PA (not checked)
 * @NVGRE_GET_A_OUTER_DST6: struct in6_addr, IPv6 outer destination
 */
enum nvgre_get_attr {
	NVGRE_GET_A_UNSPEC,
	NVGRE_GET_A_DIR,
	NVGRE_GET_A_DST4,
	NVGRE_GET_A_DST6,
	NVGRE_GET_A_SRC4,
	NVGRE_GET_A_SRC6,
	NVGRE_GET_A_SRC_MAC,
	NVGRE_GET_A_OUTER4,
	NVGRE_GET_A_OUTER6,
	NVGRE_GET_A_OUTCOME,
	NVGRE_GET_A_COUNTER,
	NVGRE_GET_A_DST_MAC,
	NVGRE_GET_A_VSID,
	NVGRE_GET_A_PA4,
	NVGRE_GET_A_PA6,
	NVGRE_GET_A_LOCAL4,
	NVGRE_GET_A_LOCAL6,
	NVGRE_GET_A_NEXTHOP4,
	NVGRE_GET_A_NEXTHOP6,
	NVGRE_GET_A_RECORD,
	NVGRE_GET_A_ROUTE,
	NVGRE_GET_A_RDID,
	NVGRE_GET_A_FLOOD,
	NVGRE_GET_A_GROUP4,
	NVGRE_GET_A_UNDERLAY,
	NVGRE_GET_A_DST_IFINDEX,
	NVGRE_GET_A_OUTER_DST4,
	NVGRE_GET_A_OUTER_DST6,

	__NVGRE_GET_A_MAX
};

#define NVGRE_GET_A_MAX (__NVGRE_GET_A_MAX - 1)

/* rtnetlink IFLA_INFO_DATA attributes of link kind "nvgre" */
enum {
	IFLA_NVGRE_UNSPEC,
	IFLA_NVGRE_VSID,	/* u32, required */
	IFLA_NVGRE_LOCAL,	/* be32, local PA; default: the route's source */
	IFLA_NVGRE_RDID,	/* u32, routing domain ID; 0: none */
	IFLA_NVGRE_TTL,		/* u8, outer TTL; 0 (default): the route's */
	IFLA_NVGRE_TOS,		/* u8, outer DSCP; 1: inherit the inner one */
	IFLA_NVGRE_LOCAL6,	/* struct in6_addr, IPv6 local PA */
	IFLA_NVGRE_GROUP,	/* be32, IPv4 multicast group; 0: replicate */

	__IFLA_NVGRE_MAX
};

#define IFLA_NVGRE_MAX (__IFLA_NVGRE_MAX - 1)

#endif /* _UAPI_LINUX_NVGRE_H */
