/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvgre: NVGRE (RFC 7637) virtual subnets.
 * Private declarations shared by the files of the module.
 */
#ifndef _NVGRE_H
#define _NVGRE_H

#include <linux/etherdevice.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/ratelimit.h>
#include <linux/rhashtable.h>
#include <linux/u64_stats_sync.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/gro_cells.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>
#include <uapi/linux/nvgre.h>

#include "htab.h"

struct rtable;

/* GRE header with only the key present: flags/version, protocol, key. */
#define NVGRE_HLEN		8
/* Bytes added in front of the inner Ethernet header over IPv4. */
#define NVGRE_OVERHEAD4		(sizeof(struct iphdr) + NVGRE_HLEN + ETH_HLEN)
/* The same over IPv6, without extension headers. */
#define NVGRE_OVERHEAD6		(sizeof(struct ipv6hdr) + NVGRE_HLEN + ETH_HLEN)
#define NVGRE_DEV_HASH_BITS	8
#define NVGRE_PA_HASH_BITS	4
#define NVGRE_SUBNET_HASH_BITS	6
#define NVGRE_RD_HASH_BITS	6
/* IFLA_NVGRE_TOS value that copies the inner DSCP, as ip tunnels do. */
#define NVGRE_TOS_INHERIT	1

/**
 * enum nvgre_ctr - per-device event and drop counters
 *
 * Each counter has an NVGRE_STATS_* attribute (see nvgre_ctr_info in
 * device.c); the drop counters are also summed into rx_dropped or
 * tx_dropped of the device statistics, and a frame they count is freed
 * with the kernel drop reason of the counter (nvgre_dev_drop()).
 *
 * @NVGRE_CTR_NONE is no counter: the checks of the datapath return it
 * when they drop nothing.
 */
enum nvgre_ctr {
	NVGRE_CTR_ARP_REPLIES,
	NVGRE_CTR_TX_NO_RECORD,
	NVGRE_CTR_TX_FLOOD,
	NVGRE_CTR_TX_ARP_MISS,
	NVGRE_CTR_TX_LOCAL_PA,
	NVGRE_CTR_TX_NO_ROUTE,
	NVGRE_CTR_TX_ERRORS,
	NVGRE_CTR_RX_BAD_FLAGS,
	NVGRE_CTR_RX_VLAN,
	NVGRE_CTR_RX_WRONG_PA,
	NVGRE_CTR_RX_SPOOF_MAC,
	NVGRE_CTR_RX_SPOOF_CA,
	NVGRE_CTR_RX_MALFORMED,
	NVGRE_CTR_RX_ERRORS,
	NVGRE_CTR_TX_TOO_BIG,
	NVGRE_CTR_RX_ECN,
	NVGRE_CTR_ND_REPLIES,
	NVGRE_CTR_TX_ND_MISS,
	NVGRE_CTR_MISS_EVENTS,
	NVGRE_CTR_MISS_SUPPRESSED,
	NVGRE_CTR_TX_NO_LOCAL_PA,
	NVGRE_CTR_TX_NO_SUBNET,
	NVGRE_CTR_TX_TTL_EXCEEDED,
	NVGRE_CTR_TX_ROUTED_LOCAL,
	NVGRE_CTR_TX_FLOOD_COPIES,
	NVGRE_CTR_TX_FLOOD_SKIPPED,
	NVGRE_CTR_TX_GATEWAY,
	NVGRE_CTR_RX_WRONG_GROUP,
	NVGRE_CTR_TX_GROUP,
	NVGRE_CTR_TX_ND_SPOOF,
	NVGRE_CTR_RX_ND_SPOOF,
	NVGRE_CTR_TX_ND_ROUTER,
	NVGRE_CTR_RX_ND_ROUTER,
	NVGRE_CTR_TX_NS_INVALID,
	NVGRE_CTR_RX_POLICY,
	NVGRE_CTR_MAX,
	NVGRE_CTR_NONE = NVGRE_CTR_MAX + 1
};

/**
 * struct nvgre_pcpu_ctrs - per-CPU counters of one device
 * @ctr: one counter per enum nvgre_ctr
 * @syncp: lets 32-bit readers see consistent 64-bit values
 */
struct nvgre_pcpu_ctrs {
	u64_stats_t ctr[NVGRE_CTR_MAX];
	struct u64_stats_sync syncp;
};

/**
 * struct nvgre_limits - the most objects requests may create in a namespace
 * @records: lookup records, net.nvgre.max_records
 * @subnets: virtual subnets, net.nvgre.max_subnets
 * @routes: customer routes, net.nvgre.max_routes
 * @pas: provider addresses, net.nvgre.max_pas
 */
struct nvgre_limits {
	unsigned int records;
	unsigned int subnets;
	unsigned int routes;
	unsigned int pas;
};

/**
 * struct nvgre_pcpu_net_ctrs - per-CPU counters of a namespace
 * @rx_unknown_vsid: NVGRE for a VSID no device serves (left to ip_gre);
 *	every keyed gretap packet of the namespace may count here
 * @syncp: lets 32-bit readers see consistent 64-bit values
 *
 * Written by the receive hooks with BH disabled.
 */
struct nvgre_pcpu_net_ctrs {
	u64_stats_t rx_unknown_vsid;
	struct u64_stats_sync syncp;
};

/**
 * struct nvgre_net - per network namespace state
 * @lock: serialises writers of @lookups and @lookups_mac
 * @lookups: records keyed by (VSID, type, CA) (htab.c); written under
 *	@lock, read under RCU
 * @lookups_mac: the same records keyed by (VSID, MAC), several records
 *	(the IPv4 and IPv6 CAs of one VM) may share a key; written under
 *	@lock, read under RCU
 * @devs: nvgre devices hashed by VSID; written under RTNL, read under RCU
 * @ndevs: number of devices in @devs; RTNL
 * @hook: netfilter hook receiving NVGRE; registered while @ndevs > 0, RTNL
 * @hook6: the same for NVGRE over IPv6 (receive6.c); registered with @hook
 * @ctrs: per-CPU counters of the namespace; each CPU's written with BH
 *	disabled (the receive hooks)
 * @pas: the namespace's provider addresses (struct nvgre_pa) hashed by
 *	address; written under RTNL, read under RCU
 * @npas: number of entries in @pas; written under RTNL, read with
 *	READ_ONCE() by the datapath (0: the compatibility rule of pa.c)
 * @pas_gen: generation of @pas for dumps (nvgre_gen_begin()); RTNL
 * @subnets: virtual subnets (struct nvgre_subnet) hashed by RDID; written
 *	under RTNL, read under RCU
 * @subnet_vsids: the same subnets by VSID: struct nvgre_subnet_vsid
 *	indexed by VSID; written under RTNL, read under RCU
 * @nsubnets: number of entries in @subnets; RTNL
 * @subnets_gen: generation of the subnets for dumps; RTNL
 * @croutes: customer routes (struct nvgre_croute) keyed by (RDID, prefix,
 *	length); written under RTNL, read under RCU
 * @nroutes: number of entries in @croutes; RTNL
 * @routes_gen: generation of @croutes for dumps; RTNL
 * @rds: the prefix lengths in use per routing domain (struct nvgre_rd),
 *	hashed by RDID; written under RTNL, read under RCU
 * @flood: per VSID, the distinct PAs its records name (flood.c); written
 *	under @lock with the records, read under RCU
 * @flood_last: the entry of @flood a record last took or dropped a
 *	reference on, or NULL; @lock
 * @group_devs: the devices in multicast mode (struct nvgre_dev.group_node,
 *	mcast.c); written under RTNL, read under RCU
 * @limits: the namespace's limits (limits.c); written by sysctl, read with
 *	READ_ONCE()
 * @sysctl: the sysctls of @limits
 */
struct nvgre_net {
	struct mutex lock; /* writers of the record tables */
	struct nvgre_htab lookups;
	struct nvgre_htab lookups_mac;
	struct hlist_head devs[1 << NVGRE_DEV_HASH_BITS];
	unsigned int ndevs;
	struct nf_hook_ops hook;
	struct nf_hook_ops hook6;
	struct nvgre_pcpu_net_ctrs __percpu *ctrs;
	struct hlist_head pas[1 << NVGRE_PA_HASH_BITS];
	unsigned int npas;
	u32 pas_gen;
	struct hlist_head subnets[1 << NVGRE_SUBNET_HASH_BITS];
	struct xarray subnet_vsids;
	unsigned int nsubnets;
	u32 subnets_gen;
	struct rhltable croutes;
	unsigned int nroutes;
	u32 routes_gen;
	struct hlist_head rds[1 << NVGRE_RD_HASH_BITS];
	struct rhltable flood;
	struct nvgre_flood_pa *flood_last;
	struct hlist_head group_devs;
	struct nvgre_limits limits;
	struct ctl_table_header *sysctl;
};

/*
 * The generations of the PAs, subnets and routes, which dumps compare
 * from one dumpit call to the next and around each walk under RCU, as
 * with a seqcount: a writer (under RTNL) bumps it before and after each
 * change, so that a walk that saw any part of a change reads another
 * value after it than before.
 */
static inline void nvgre_gen_begin(u32 *gen)
{
	WRITE_ONCE(*gen, *gen + 1);
	/* The count moves before the set does: nvgre_gen_read_end(). */
	smp_wmb();
}

static inline void nvgre_gen_end(u32 *gen)
{
	/* The set moved before the count does: nvgre_gen_read_begin(). */
	smp_wmb();
	WRITE_ONCE(*gen, *gen + 1);
}

/* A dump's reading before its walk. */
static inline u32 nvgre_gen_read_begin(const u32 *gen)
{
	u32 g = READ_ONCE(*gen);

	/* The count before the set: pairs with nvgre_gen_end(). */
	smp_rmb();
	return g;
}

/* A dump's reading after its walk. */
static inline u32 nvgre_gen_read_end(const u32 *gen)
{
	/* The set before the count: pairs with nvgre_gen_begin(). */
	smp_rmb();
	return READ_ONCE(*gen);
}

/**
 * struct nvgre_miss - a frame dropped for want of a record (see miss.c)
 * @reason: enum nvgre_miss_reason
 * @mac: the MAC without (matching) record, or NULL
 * @ca: the CA without (matching) record, IPv4 v4-mapped; unused if @has_ca
 *	is false
 * @has_ca: @ca is set
 * @pa: outer source PA of a received frame, IPv4 v4-mapped; :: for a sent
 *	one
 */
struct nvgre_miss {
	u8 reason;
	bool has_ca;
	const u8 *mac;
	struct in6_addr ca;
	struct in6_addr pa;
};

/**
 * struct nvgre_dst_key - what the route to a PA depends on
 * @daddr: the PA, IPv4 v4-mapped
 * @saddr: the source asked for, 0 or :: for the route's choice
 * @key: the GRE key: multipath routes hash it as the ports
 * @flowlabel: the IPv6 flow information, hashed by multipath routes too;
 *	0 over IPv4
 * @mark: the frame's mark
 */
struct nvgre_dst_key {
	struct in6_addr daddr;
	struct in6_addr saddr;
	__be32 key;
	__be32 flowlabel;
	u32 mark;
};

/**
 * struct nvgre_dst_slot - a cached route to a PA (dstcache.c)
 * @k: the flow it was found for
 * @cookie: the IPv6 route's cookie for dst_check(), 0 over IPv4
 * @dst: the route, with a reference of its own; NULL when empty
 * @rsaddr: the source the route chose, IPv4 v4-mapped
 */
struct nvgre_dst_slot {
	struct nvgre_dst_key k;
	u32 cookie;
	struct dst_entry *dst;
	struct in6_addr rsaddr;
};

/* Routes cached per device and CPU: 4 slots of 72 bytes. */
#define NVGRE_DST_BITS	2

struct nvgre_dst_cache {
	struct nvgre_dst_slot slot[1 << NVGRE_DST_BITS];
};

/**
 * struct nvgre_dev - private part of an nvgre net_device
 * @dev: the net_device
 * @net: its namespace; nvgre devices never change namespace
 * @hlist: entry in nvgre_net.devs; RTNL for writers, RCU for readers
 * @vsid: virtual subnet ID, fixed at creation
 * @local: local PA, 0 to use the route's source address; fixed
 * @local6: IPv6 local PA, :: to use the route's source address; fixed
 * @rdid: routing domain ID, fixed
 * @ttl: outer TTL, 0 for the route's hop limit; fixed
 * @tos: outer TOS, NVGRE_TOS_INHERIT to copy the inner DSCP; fixed
 * @group: IPv4 multicast group of broadcast and multicast frames, 0 for
 *	head-end replication; fixed
 * @group_ifindex: the underlay device that joined @group, 0 when none
 *	(or it is gone); RTNL
 * @group_node: entry in nvgre_net.group_devs while the device is
 *	registered in multicast mode; RTNL for writers, RCU for readers
 * @ctrs: per-CPU counters
 * @dst_cache: per-CPU routes to PAs (dstcache.c); each CPU's with BH
 *	disabled (the transmit path)
 * @gro_cells: receive-side GRO
 * @miss_limit: rate limit of miss reports (miss.c), at most
 *	nvgre_miss_rate in each window of one second; its own lock
 */
struct nvgre_dev {
	struct net_device *dev;
	struct net *net;
	struct hlist_node hlist;
	u32 vsid;
	__be32 local;
	struct in6_addr local6;
	u32 rdid;
	u8 ttl;
	u8 tos;
	__be32 group;
	int group_ifindex;
	struct hlist_node group_node;
	struct nvgre_pcpu_ctrs __percpu *ctrs;
	struct nvgre_dst_cache __percpu *dst_cache;
	struct gro_cells gro_cells;
	struct ratelimit_state miss_limit;
};

/**
 * struct nvgre_lookup_key - (VSID, type, CA) of a record
 * @vsid: the VSID
 * @type: enum nvgre_lookup_type; NVGRE_LOOKUP_STATIC (0) for the CA
 *	lookups of ARP, ND, routing and the receive check, so that they never
 *	find the other types
 * @pad: zero
 * @ca: static: the CA, IPv4 v4-mapped; l2only: the MAC in its first six
 *	bytes, the rest zero; gateway: :: (one per VSID)
 */
struct nvgre_lookup_key {
	u32 vsid;
	u8 type;
	u8 pad[3];
	struct in6_addr ca;
};

/**
 * struct nvgre_lookup - a lookup record: (VSID, CA) -> (PA, MAC)
 *
 * Records are immutable once published: an update allocates a new record
 * and replaces the old one in both tables, so readers see either.
 *
 * @node: entry in nvgre_net.lookups
 * @mac_node: entry in nvgre_net.lookups_mac, keyed by (@key.vsid, @mac);
 *	every type of record is in both tables
 * @key: (VSID, type, CA)
 * @mac: the VM's MAC address
 * @proto: who installed it (NVGRE_PROTO_*), in the hole after @mac
 * @pa: provider address of the host running the VM, IPv4 v4-mapped (the
 *	record's family of underlay; nvgre_pa4() reads an IPv4 one)
 * @rcu: freeing after readers are done
 *
 * 80 bytes on 64-bit kernels, in its own slab cache.
 */
struct nvgre_lookup {
	struct nvgre_hnode node;
	struct nvgre_hnode mac_node;
	struct nvgre_lookup_key key;
	u8 mac[ETH_ALEN];
	u8 proto;
	struct in6_addr pa;
	struct rcu_head rcu;
};

/**
 * struct nvgre_pa - a provider address of the namespace
 * @hlist: entry in nvgre_net.pas; RTNL for writers, RCU for readers
 * @addr: the address, IPv4 v4-mapped; fixed
 * @ifindex: the underlay device that has it; fixed
 * @rcu: freeing after readers are done
 */
struct nvgre_pa {
	struct hlist_node hlist;
	struct in6_addr addr;
	int ifindex;
	struct rcu_head rcu;
};

/* The IPv4 address of a v4-mapped PA, 0 for an IPv6 PA. */
static inline __be32 nvgre_pa4(const struct in6_addr *pa)
{
	return ipv6_addr_v4mapped(pa) ? pa->s6_addr32[3] : 0;
}

/**
 * struct nvgre_subnet_vsid - the subnets of one VSID
 * @subnets: its subnets (struct nvgre_subnet.vsid_node); RTNL for
 *	writers, RCU for readers
 * @rdid: their routing domain; fixed
 * @rcu: freeing after readers are done
 */
struct nvgre_subnet_vsid {
	struct hlist_head subnets;
	u32 rdid;
	struct rcu_head rcu;
};

/**
 * struct nvgre_subnet - a prefix of a VSID in its routing domain
 * @hlist: entry in nvgre_net.subnets; RTNL for writers, RCU for readers
 * @vsid_node: entry in its struct nvgre_subnet_vsid; RTNL for writers,
 *	RCU for readers
 * @rdid: routing domain, that of the VSID's device if it has one; fixed
 * @vsid: the virtual subnet; fixed
 * @prefix: the prefix, host bits clear, IPv4 v4-mapped; fixed
 * @plen: its length, counted in the IPv6 address (IPv4: 96 + length); fixed
 * @gw: the virtual gateway address, in @prefix; fixed
 * @rcu: freeing after readers are done
 */
struct nvgre_subnet {
	struct hlist_node hlist;
	struct hlist_node vsid_node;
	u32 rdid;
	u32 vsid;
	struct in6_addr prefix;
	u8 plen;
	struct in6_addr gw;
	struct rcu_head rcu;
};

/**
 * struct nvgre_croute_key - (RDID, prefix, length) of a customer route
 * @rdid: routing domain
 * @plen: prefix length counted in the IPv6 address (IPv4: 96 + length)
 * @pad: zero
 * @prefix: the prefix, host bits clear, IPv4 v4-mapped
 */
struct nvgre_croute_key {
	u32 rdid;
	u8 plen;
	u8 pad[3];
	struct in6_addr prefix;
};

/**
 * struct nvgre_croute - a customer route of a routing domain
 *
 * Immutable once published.
 *
 * @node: entry in nvgre_net.croutes
 * @key: (RDID, prefix, length)
 * @metric: lower wins among routes of one key
 * @vsid: VSID of the next hop (or of the destination, on-link), 0: the
 *	VSID of the subnet holding the next hop
 * @has_nh: @nh is set; else the route is on-link in @vsid
 * @nh: next hop CA, IPv4 v4-mapped
 * @rcu: freeing after readers are done
 */
struct nvgre_croute {
	struct rhlist_head node;
	struct nvgre_croute_key key;
	u32 metric;
	u32 vsid;
	bool has_nh;
	struct in6_addr nh;
	struct rcu_head rcu;
};

/**
 * struct nvgre_rd - the customer routes of one routing domain
 * @hlist: entry in nvgre_net.rds; RTNL for writers, RCU for readers
 * @rdid: the routing domain; fixed
 * @nroutes: its routes; RTNL
 * @count: its routes per prefix length; RTNL
 * @lens: bit n set when @count[n] is not 0; written under RTNL, read
 *	under RCU (a reader may miss a route being added or see one being
 *	deleted, as with any RCU table)
 * @rcu: freeing after readers are done
 */
struct nvgre_rd {
	struct hlist_node hlist;
	u32 rdid;
	u32 nroutes;
	u32 count[129];
	DECLARE_BITMAP(lens, 129);
	struct rcu_head rcu;
};

/**
 * struct nvgre_verdict - what the datapath decides for a frame
 *
 * Filled by the decision functions (nvgre_xmit_decide_*(),
 * nvgre_route_decide(), nvgre_rcv_decide_*()), which look at no packet,
 * raise no counter and send nothing: the datapath acts on the verdict,
 * NVGRE_CMD_GET (get.c) reports it. The pointers are valid under the RCU
 * read section the decision ran in.
 *
 * @outcome: enum nvgre_get_outcome
 * @ctr: the counter acting on it raises, NVGRE_CTR_NONE for none
 * @v4: @pa (and so the source, @src) is an IPv4 PA
 * @has_src6: @src6 is set (flood and group outcomes)
 * @vsid: VSID of the key the frame leaves with
 * @mac: inner destination MAC it leaves with
 * @pa: destination PA, IPv4 v4-mapped
 * @src: source PA of @pa's family; for a flood the IPv4 one, if @v4
 * @src6: IPv6 source PA of a flood
 * @target: the CA whose record a routed frame goes to
 * @rec: the record used, or NULL
 * @route: the customer route used, or NULL
 * @dst: the device of this host a routed frame is handed to, or NULL
 */
struct nvgre_verdict {
	u8 outcome;
	bool v4;
	bool has_src6;
	enum nvgre_ctr ctr;
	u32 vsid;
	u8 mac[ETH_ALEN];
	struct in6_addr pa;
	struct in6_addr src;
	struct in6_addr src6;
	struct in6_addr target;
	const struct nvgre_lookup *rec;
	const struct nvgre_croute *route;
	struct nvgre_dev *dst;
};

/* Sets the verdict to a drop counted as @ctr. */
static inline void nvgre_verdict_drop(struct nvgre_verdict *v,
				      enum nvgre_ctr ctr)
{
	v->outcome = NVGRE_GET_DROP;
	v->ctr = ctr;
}

/* main.c */
extern unsigned int nvgre_net_id;

static inline struct nvgre_net *nvgre_pernet(const struct net *net)
{
	return net_generic(net, nvgre_net_id);
}

/* limits.c */
int nvgre_limits_init(struct net *net, struct nvgre_net *nn);
void nvgre_limits_uninit(struct nvgre_net *nn);

/* device.c */
extern struct netlink_range_validation nvgre_vsid_range;
int nvgre_device_init(void);
void nvgre_link_uninit(void);
void nvgre_pernet_uninit(void);
struct nvgre_dev *nvgre_dev_find(struct nvgre_net *nn, u32 vsid);
struct nvgre_dev *nvgre_dev_from_netdev(struct net_device *dev);
void nvgre_dev_count(struct nvgre_dev *nv, enum nvgre_ctr ctr);
void nvgre_dev_drop(struct nvgre_dev *nv, struct sk_buff *skb,
		    enum nvgre_ctr why);
void nvgre_net_count_unknown_vsid(struct nvgre_net *nn);
u64 nvgre_net_rx_unknown_vsid(struct nvgre_net *nn);
int nvgre_dev_fill_stats(struct sk_buff *skb, struct nvgre_dev *nv);
u16 nvgre_ctr_attr(enum nvgre_ctr ctr);

/* lookup.c */
int nvgre_lookup_cache_init(void);
void nvgre_lookup_cache_uninit(void);
int nvgre_lookup_init(struct nvgre_net *nn);
void nvgre_lookup_uninit(struct nvgre_net *nn);
int nvgre_lookup_insert(struct nvgre_net *nn, const struct nvgre_lookup_key *k,
			const u8 *mac, const struct in6_addr *pa, u8 proto,
			bool replace);
int nvgre_lookup_delete(struct nvgre_net *nn, const struct nvgre_lookup_key *k,
			int want_proto, struct in6_addr *pa, u8 *mac,
			u8 *proto);
unsigned int nvgre_lookup_flush(struct nvgre_net *nn, u32 vsid);
int nvgre_lookup_walk(struct nvgre_net *nn, struct nvgre_hcursor *c,
		      int (*fn)(const struct nvgre_lookup *rec, void *arg),
		      void *arg);
unsigned int nvgre_lookup_read_begin(struct nvgre_net *nn);
bool nvgre_lookup_read_retry(struct nvgre_net *nn, unsigned int seq);
struct nvgre_lookup *nvgre_lookup_find(struct nvgre_net *nn, u32 vsid,
				       const struct in6_addr *ca);
struct nvgre_lookup *nvgre_lookup_find4(struct nvgre_net *nn, u32 vsid,
					__be32 ca);
struct nvgre_lookup *nvgre_lookup_find_mac(struct nvgre_net *nn, u32 vsid,
					   const u8 *mac);
struct nvgre_lookup *nvgre_lookup_mac_find_pa(struct nvgre_net *nn, u32 vsid,
					      const u8 *mac,
					      const struct in6_addr *pa);
bool nvgre_lookup_mac_local_pa(struct nvgre_net *nn, u32 vsid, const u8 *mac,
			       bool v4, struct in6_addr *pa);
bool nvgre_lookup_mac_any_ip(struct nvgre_net *nn, u32 vsid, const u8 *mac,
			     const struct in6_addr *pa);
struct nvgre_lookup *nvgre_lookup_find_key(struct nvgre_net *nn,
					   const struct nvgre_lookup_key *k);
struct nvgre_lookup *nvgre_lookup_find_gateway(struct nvgre_net *nn, u32 vsid);

/* nd.c */
/**
 * enum nvgre_nd_verdict - what nvgre_nd_check() says of a VM's frame
 * @NVGRE_ND_OK: no ND message it checks, or one the records vouch for
 * @NVGRE_ND_SPOOF: a Neighbour Advertisement for a target that the
 *	records do not give the sender
 * @NVGRE_ND_ROUTER: a Router Advertisement or Redirect from a MAC
 *	without an appliance or gateway record
 * @NVGRE_ND_MALFORMED: truncated IPv6 header or ND message
 */
enum nvgre_nd_verdict {
	NVGRE_ND_OK,
	NVGRE_ND_SPOOF,
	NVGRE_ND_ROUTER,
	NVGRE_ND_MALFORMED,
};

enum nvgre_nd_verdict nvgre_nd_check(struct nvgre_net *nn, u32 vsid,
				     const struct sk_buff *skb,
				     const struct in6_addr *pa);

/* pa.c */
int nvgre_pa_notifier_init(void);
void nvgre_pa_notifier_uninit(void);
void nvgre_pa_init(struct nvgre_net *nn);
void nvgre_pa_uninit(struct nvgre_net *nn);
int nvgre_pa_add(struct net *net, const struct in6_addr *addr, int ifindex,
		 struct netlink_ext_ack *extack);
int nvgre_pa_del(struct net *net, const struct in6_addr *addr, int *ifindex);
int nvgre_pa_walk(struct nvgre_net *nn, unsigned long *bucket,
		  struct in6_addr *after,
		  int (*fn)(const struct nvgre_pa *pa, void *arg), void *arg);
bool nvgre_pa_is_local(struct nvgre_net *nn, const struct in6_addr *addr);
bool nvgre_pa_is_local4(struct nvgre_net *nn, __be32 addr);

/* netlink.c */
int nvgre_genl_init(void);
void nvgre_genl_uninit(void);
extern const struct nla_policy nvgre_nl_lookup_set_policy[NVGRE_A_MAX + 1];
int nvgre_nl_fill(struct sk_buff *skb, u32 portid, u32 seq, int flags, u8 cmd,
		  struct netlink_callback *cb,
		  int (*put)(struct sk_buff *skb, const void *obj),
		  const void *obj);
int nvgre_nl_dump_fill(struct sk_buff *skb, struct netlink_callback *cb,
		       u8 cmd, int (*put)(struct sk_buff *skb, const void *obj),
		       const void *obj);
int nvgre_nl_dump_ret(struct sk_buff *skb, int err);
int nvgre_nl_reply(struct genl_info *info, u8 cmd,
		   int (*put)(struct sk_buff *skb, const void *obj),
		   const void *obj);
void nvgre_nl_notify(struct net *net, u8 cmd, size_t size,
		     int (*put)(struct sk_buff *skb, const void *obj),
		     const void *obj);
bool nvgre_nl_event_listeners(struct net *net);
bool nvgre_nl_miss_listeners(struct net *net);
int nvgre_nl_notify_miss(struct nvgre_dev *nv, const struct nvgre_miss *m);
int nvgre_nl_put_addr(struct sk_buff *skb, int t4, int t6,
		      const struct in6_addr *addr);
bool nvgre_nl_get_unicast(const struct nlattr *a4, const struct nlattr *a6,
			  struct in6_addr *addr, bool global);

/**
 * struct nvgre_dump_msg - a dump's message and callback, for a walker's @fn
 * @skb: the message being filled
 * @cb: the dump
 */
struct nvgre_dump_msg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

/* lookup_nl.c */
int nvgre_nl_lookup_add(struct sk_buff *skb, struct genl_info *info);
int nvgre_nl_lookup_replace(struct sk_buff *skb, struct genl_info *info);
int nvgre_nl_lookup_del(struct sk_buff *skb, struct genl_info *info);
int nvgre_nl_lookup_flush(struct sk_buff *skb, struct genl_info *info);
int nvgre_nl_lookup_get(struct sk_buff *skb, struct genl_info *info);
int nvgre_nl_lookup_dump_start(struct netlink_callback *cb);
int nvgre_nl_lookup_dump(struct sk_buff *skb, struct netlink_callback *cb);
int nvgre_nl_lookup_dump_done(struct netlink_callback *cb);
int nvgre_nl_put_lookup(struct sk_buff *skb, const void *obj);

/* device_nl.c */
int nvgre_nl_link_get(struct sk_buff *skb, struct genl_info *info);
int nvgre_nl_link_dump(struct sk_buff *skb, struct netlink_callback *cb);
void nvgre_nl_notify_link(struct nvgre_dev *nv, u8 cmd);
int nvgre_nl_ns_stats_get(struct sk_buff *skb, struct genl_info *info);

/* pa_nl.c */
int nvgre_nl_parse_pa(struct genl_info *info, struct in6_addr *addr);
void nvgre_nl_notify_pa(struct net *net, u8 cmd, const struct in6_addr *addr,
			int ifindex);
int nvgre_nl_pa_add(struct sk_buff *skb, struct genl_info *info);
int nvgre_nl_pa_del(struct sk_buff *skb, struct genl_info *info);
int nvgre_nl_pa_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* miss.c */
void nvgre_miss_init(struct nvgre_dev *nv);
void nvgre_miss_report(struct nvgre_dev *nv, const struct nvgre_miss *m);
void nvgre_miss_mac(struct nvgre_dev *nv, u8 reason, const u8 *mac);
void nvgre_miss_ca4(struct nvgre_dev *nv, u8 reason, __be32 ca);
void nvgre_miss_ca6(struct nvgre_dev *nv, u8 reason,
		    const struct in6_addr *ca);

/**
 * nvgre_gateway_mac - the gateway MAC of a routing domain
 * @rdid: routing domain, not 0
 * @mac: gets 02:4e:RR:RR:RR:RR, the RDID in network order: a locally
 *	administered unicast MAC, distinct per routing domain
 */
static inline void nvgre_gateway_mac(u32 rdid, u8 *mac)
{
	mac[0] = 0x02;
	mac[1] = 0x4e;
	put_unaligned_be32(rdid, mac + 2);
}

/* Whether @mac is the gateway MAC of @rdid; never for 0 (no domain). */
static inline bool nvgre_is_gateway_mac(u32 rdid, const u8 *mac)
{
	u8 gw[ETH_ALEN];

	if (!rdid)
		return false;
	nvgre_gateway_mac(rdid, gw);
	return ether_addr_equal(gw, mac);
}

/* subnet.c */
void nvgre_subnet_init(struct nvgre_net *nn);
bool nvgre_prefix_match(const struct in6_addr *prefix, u8 plen,
			const struct in6_addr *addr);
struct nvgre_subnet *nvgre_subnet_find(struct nvgre_net *nn, u32 rdid,
				       const struct in6_addr *addr);
bool nvgre_subnet_is_gateway(struct nvgre_net *nn, u32 rdid, u32 vsid,
			     const struct in6_addr *addr);
struct nvgre_subnet *nvgre_subnet_add(struct net *net,
				      const struct nvgre_subnet *tmpl,
				      struct netlink_ext_ack *extack);
int nvgre_subnet_del(struct net *net, u32 vsid, const struct in6_addr *prefix,
		     u8 plen, struct nvgre_subnet *gone);
u32 nvgre_subnet_vsid_rdid(struct nvgre_net *nn, u32 vsid);
int nvgre_subnet_walk(struct nvgre_net *nn, unsigned long *vsid, long *skip,
		      u32 only,
		      int (*fn)(const struct nvgre_subnet *sn, void *arg),
		      void *arg);
void nvgre_subnet_uninit(struct nvgre_net *nn);

/* subnet_nl.c */
int nvgre_nl_parse_prefix(struct genl_info *info, struct nvgre_subnet *sn);
void nvgre_nl_notify_subnet(struct net *net, u8 cmd,
			    const struct nvgre_subnet *sn);
int nvgre_nl_subnet_add(struct sk_buff *skb, struct genl_info *info);
int nvgre_nl_subnet_del(struct sk_buff *skb, struct genl_info *info);
int nvgre_nl_subnet_dump_start(struct netlink_callback *cb);
int nvgre_nl_subnet_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* route.c */
int nvgre_croute_init(struct nvgre_net *nn);
void nvgre_croute_uninit(struct nvgre_net *nn);
struct nvgre_croute *nvgre_croute_lookup(struct nvgre_net *nn, u32 rdid,
					 const struct in6_addr *addr,
					 int min_plen);
struct nvgre_croute *nvgre_croute_add(struct nvgre_net *nn,
				      const struct nvgre_croute *tmpl,
				      struct netlink_ext_ack *extack);
int nvgre_croute_del(struct nvgre_net *nn, const struct nvgre_croute_key *k,
		     s64 metric, struct nvgre_croute *gone);
/**
 * struct nvgre_croute_cursor - where a walk of the routes stopped
 * @iter: the walker of nvgre_net.croutes
 * @pending: the walk stopped on a route that @fn did not take
 * @restarts: times a resize made the walk start over
 */
struct nvgre_croute_cursor {
	struct rhashtable_iter iter;
	bool pending;
	u32 restarts;
};

void nvgre_croute_walk_enter(struct nvgre_net *nn,
			     struct nvgre_croute_cursor *c);
void nvgre_croute_walk_exit(struct nvgre_croute_cursor *c);
int nvgre_croute_walk(struct nvgre_croute_cursor *c,
		      int (*fn)(const struct nvgre_croute *r, void *arg),
		      void *arg);
bool nvgre_route_rcv_via(struct nvgre_net *nn, u32 rdid,
			 const struct in6_addr *pa,
			 const struct in6_addr *saddr, const u8 *smac);
bool nvgre_route_parse(struct sk_buff *skb, struct in6_addr *daddr, u8 *ttl);
void nvgre_route_decide(struct nvgre_dev *nv, const struct in6_addr *daddr,
			u8 ttl, struct nvgre_verdict *v);
enum nvgre_ctr nvgre_route_xmit(struct nvgre_dev *nv, struct sk_buff *skb,
				const struct nvgre_verdict *v);
bool nvgre_route_rcv_check(struct nvgre_net *nn, u32 rdid,
			   const struct in6_addr *pa,
			   const struct in6_addr *saddr);

/* route_nl.c */
void nvgre_nl_notify_route(struct net *net, u8 cmd,
			   const struct nvgre_croute *r);
int nvgre_nl_route_add(struct sk_buff *skb, struct genl_info *info);
int nvgre_nl_route_del(struct sk_buff *skb, struct genl_info *info);
int nvgre_nl_route_dump_start(struct netlink_callback *cb);
int nvgre_nl_route_dump(struct sk_buff *skb, struct netlink_callback *cb);
int nvgre_nl_route_dump_done(struct netlink_callback *cb);
int nvgre_nl_put_route(struct sk_buff *skb, const void *obj);

/* send.c */
netdev_tx_t nvgre_dev_xmit(struct sk_buff *skb, struct net_device *dev);
netdev_tx_t nvgre_xmit_drop(struct nvgre_dev *nv, struct sk_buff *skb,
			    enum nvgre_ctr why);
void nvgre_push_header(struct sk_buff *skb, __be32 key);
u8 nvgre_inner_dsfield(const struct sk_buff *skb);
netdev_tx_t nvgre_xmit_too_big(struct nvgre_dev *nv, struct sk_buff *skb);
netdev_tx_t nvgre_xmit4(struct nvgre_dev *nv, struct sk_buff *skb,
			__be32 src, __be32 pa, __be32 key);
struct rtable *nvgre_route4(struct nvgre_dev *nv, struct flowi4 *fl4,
			    enum nvgre_ctr *why);
bool nvgre_xmit_resolve(struct nvgre_dev *nv, struct nvgre_net *nn,
			const struct in6_addr *ca, u8 *mac);
void nvgre_xmit_decide_mac(struct nvgre_dev *nv, struct nvgre_net *nn,
			   const u8 *smac, const u8 *dmac,
			   struct nvgre_verdict *v);
void nvgre_xmit_decide_routed(struct nvgre_dev *nv, struct nvgre_net *nn,
			      const u8 *smac, const struct in6_addr *daddr,
			      u8 ttl, struct nvgre_verdict *v);
void nvgre_xmit_decide_flood(struct nvgre_dev *nv, struct nvgre_net *nn,
			     const u8 *smac, struct nvgre_verdict *v);

/* dstcache.c */
int nvgre_dst_cache_init(struct nvgre_dev *nv);
void nvgre_dst_cache_destroy(struct nvgre_dev *nv);
struct dst_entry *nvgre_dst_cache_get(struct nvgre_dev *nv,
				      const struct nvgre_dst_key *k,
				      struct in6_addr *saddr);
void nvgre_dst_cache_set(struct nvgre_dev *nv, const struct nvgre_dst_key *k,
			 struct dst_entry *dst, u32 cookie,
			 const struct in6_addr *saddr);

/* flood.c */
/* Most copies head-end replication makes of one frame. */
#define NVGRE_FLOOD_MAX_COPIES	256
int nvgre_flood_init(struct nvgre_net *nn);
void nvgre_flood_uninit(struct nvgre_net *nn);
int nvgre_flood_ref(struct nvgre_net *nn, u32 vsid, const struct in6_addr *pa);
void nvgre_flood_unref(struct nvgre_net *nn, u32 vsid,
		       const struct in6_addr *pa);
netdev_tx_t nvgre_flood_xmit(struct nvgre_dev *nv, struct sk_buff *skb,
			     const struct in6_addr *src4,
			     const struct in6_addr *src6, __be32 key);
int nvgre_flood_put(struct sk_buff *skb, struct nvgre_dev *nv,
		    const struct in6_addr *src4, const struct in6_addr *src6);

/* mcast.c */
void nvgre_mcast_init(struct nvgre_net *nn);
int nvgre_mcast_join(struct nvgre_dev *nv, struct netlink_ext_ack *extack);
void nvgre_mcast_publish(struct nvgre_dev *nv);
void nvgre_mcast_leave(struct nvgre_dev *nv);
void nvgre_mcast_dev_gone(struct nvgre_net *nn, struct net_device *dev);
netdev_tx_t nvgre_mcast_xmit(struct nvgre_dev *nv, struct sk_buff *skb,
			     const struct in6_addr *src4, __be32 key);
enum nvgre_ctr nvgre_mcast_rcv_check(struct nvgre_net *nn,
				     struct nvgre_dev *nv, __be32 daddr);

/* receive.c */
unsigned int nvgre_rcv_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state);
u32 nvgre_rcv_vsid(struct sk_buff *skb, unsigned int off, __be16 *flags);
enum nvgre_ctr nvgre_rcv(struct nvgre_dev *nv, struct sk_buff *skb,
			 unsigned int off, const struct in6_addr *saddr,
			 u8 outer_tos);
enum nvgre_ctr nvgre_rcv_decide_mac(struct nvgre_net *nn, struct nvgre_dev *nv,
				    const struct in6_addr *pa, const u8 *smac,
				    const struct nvgre_lookup **own,
				    struct nvgre_miss *m);
enum nvgre_ctr nvgre_rcv_decide_ca(struct nvgre_net *nn, struct nvgre_dev *nv,
				   const struct in6_addr *pa, const u8 *smac,
				   const struct nvgre_lookup *own,
				   struct nvgre_miss *m);
enum nvgre_ctr nvgre_rcv_decide_dst4(struct nvgre_net *nn,
				     struct nvgre_dev *nv, __be32 daddr,
				     unsigned int rt_type);
enum nvgre_ctr nvgre_rcv_decide_dst6(struct nvgre_net *nn,
				     struct nvgre_dev *nv,
				     const struct in6_addr *daddr);

/* send6.c */
netdev_tx_t nvgre_xmit6(struct nvgre_dev *nv, struct sk_buff *skb,
			const struct in6_addr *src, const struct in6_addr *pa,
			__be32 key);
struct dst_entry *nvgre_route6(struct nvgre_dev *nv, struct flowi6 *fl6,
			       enum nvgre_ctr *why);

/* get.c */
extern const struct nla_policy nvgre_nl_get_frame_policy[NVGRE_GET_A_MAX + 1];
int nvgre_nl_get(struct sk_buff *skb, struct genl_info *info);

/* receive6.c */
unsigned int nvgre_rcv6_hook(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state);

#endif /* _NVGRE_H */
