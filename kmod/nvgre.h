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
#include <linux/rhashtable.h>
#include <linux/u64_stats_sync.h>
#include <net/gro_cells.h>
#include <net/netns/generic.h>
#include <uapi/linux/nvgre.h>

/* GRE header with only the key present: flags/version, protocol, key. */
#define NVGRE_HLEN		8
/* Bytes added in front of the inner Ethernet header over IPv4. */
#define NVGRE_OVERHEAD4		(sizeof(struct iphdr) + NVGRE_HLEN + ETH_HLEN)
#define NVGRE_DEV_HASH_BITS	8
#define NVGRE_PA_HASH_BITS	4
/* IFLA_NVGRE_TOS value that copies the inner DSCP, as ip tunnels do. */
#define NVGRE_TOS_INHERIT	1

/**
 * enum nvgre_ctr - per-device event and drop counters
 *
 * Each counter has an NVGRE_STATS_* attribute (see nvgre_ctr_attr in
 * device.c); the drop counters are also summed into rx_dropped or
 * tx_dropped of the device statistics.
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
	NVGRE_CTR_TX_FLOOD_COPIES,
	NVGRE_CTR_TX_FLOOD_SKIPPED,
	NVGRE_CTR_MAX
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
 * struct nvgre_net - per network namespace state
 * @lock: serialises writers of @lookups, @lookups_mac and @gen
 * @lookups: records keyed by (VSID, CA); readers use RCU
 * @lookups_mac: the same records keyed by (VSID, MAC), several records
 *	(the IPv4 and IPv6 CAs of one VM) may share a key; readers use RCU
 * @gen: generation of the record tables, bumped under @lock by every change;
 *	dumps compare it to detect concurrent changes
 * @devs: nvgre devices hashed by VSID; written under RTNL, read under RCU
 * @ndevs: number of devices in @devs; RTNL
 * @hook: netfilter hook receiving NVGRE; registered while @ndevs > 0, RTNL
 * @rx_unknown_vsid: NVGRE for a VSID no device serves (left to ip_gre)
 * @pas: the namespace's provider addresses (struct nvgre_pa) hashed by
 *	address; written under RTNL, read under RCU
 * @npas: number of entries in @pas; written under RTNL, read with
 *	READ_ONCE() by the datapath (0: the compatibility rule of pa.c)
 * @flood: per VSID, the distinct PAs its records name (flood.c); written
 *	under @lock with the records, read under RCU
 */
struct nvgre_net {
	struct mutex lock; /* writers of the record tables */
	struct rhashtable lookups;
	struct rhltable lookups_mac;
	u32 gen;
	struct hlist_head devs[1 << NVGRE_DEV_HASH_BITS];
	unsigned int ndevs;
	struct nf_hook_ops hook;
	atomic64_t rx_unknown_vsid;
	struct hlist_head pas[1 << NVGRE_PA_HASH_BITS];
	unsigned int npas;
	struct rhltable flood;
};

/**
 * struct nvgre_miss_limit - rate limit of one device's miss reports
 *
 * A device serves one VSID, so this limits the reports per VSID and
 * device: at most nvgre_miss_rate in each window of one second.
 *
 * @lock: protects @start and @sent; taken from the datapath (BH)
 * @start: jiffies at which the current window began
 * @sent: reports sent in the current window
 */
struct nvgre_miss_limit {
	spinlock_t lock; /* @start and @sent */
	unsigned long start;
	unsigned int sent;
};

/**
 * struct nvgre_miss - a frame dropped for want of a record (see miss.c)
 * @reason: enum nvgre_miss_reason
 * @mac: the MAC without (matching) record, or NULL
 * @ca: the CA without (matching) record, IPv4 v4-mapped; unused if @has_ca
 *	is false
 * @has_ca: @ca is set
 * @pa: outer source PA of a received frame, 0 for a sent one
 */
struct nvgre_miss {
	u8 reason;
	bool has_ca;
	const u8 *mac;
	struct in6_addr ca;
	__be32 pa;
};

/**
 * struct nvgre_dev - private part of an nvgre net_device
 * @dev: the net_device
 * @net: its namespace; nvgre devices never change namespace
 * @hlist: entry in nvgre_net.devs; RTNL for writers, RCU for readers
 * @vsid: virtual subnet ID, fixed at creation
 * @local: local PA, 0 to use the route's source address; fixed
 * @rdid: routing domain ID, fixed
 * @ttl: outer TTL, 0 for the route's hop limit; fixed
 * @tos: outer TOS, NVGRE_TOS_INHERIT to copy the inner DSCP; fixed
 * @ctrs: per-CPU counters
 * @gro_cells: receive-side GRO
 * @miss_limit: rate limit of miss reports; its own lock
 */
struct nvgre_dev {
	struct net_device *dev;
	struct net *net;
	struct hlist_node hlist;
	u32 vsid;
	__be32 local;
	u32 rdid;
	u8 ttl;
	u8 tos;
	struct nvgre_pcpu_ctrs __percpu *ctrs;
	struct gro_cells gro_cells;
	struct nvgre_miss_limit miss_limit;
};

/**
 * struct nvgre_lookup_key - (VSID, CA); IPv4 CAs are stored v4-mapped
 */
struct nvgre_lookup_key {
	u32 vsid;
	struct in6_addr ca;
};

/**
 * struct nvgre_mac_key - (VSID, MAC)
 */
struct nvgre_mac_key {
	u32 vsid;
	u8 mac[ETH_ALEN];
	u16 pad;
};

/**
 * struct nvgre_lookup - a lookup record: (VSID, CA) -> (PA, MAC)
 *
 * Records are immutable once published: an update allocates a new record
 * and replaces the old one in both tables, so readers see either.
 *
 * @node: entry in nvgre_net.lookups
 * @mac_node: entry in nvgre_net.lookups_mac
 * @key: (VSID, CA)
 * @mkey: (VSID, MAC)
 * @pa: provider address of the host running the VM
 * @rcu: freeing after readers are done
 */
struct nvgre_lookup {
	struct rhash_head node;
	struct rhlist_head mac_node;
	struct nvgre_lookup_key key;
	struct nvgre_mac_key mkey;
	__be32 pa;
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

/* main.c */
extern unsigned int nvgre_net_id;

static inline struct nvgre_net *nvgre_pernet(const struct net *net)
{
	return net_generic(net, nvgre_net_id);
}

/* device.c */
extern struct netlink_range_validation nvgre_vsid_range;
int nvgre_device_init(void);
void nvgre_link_uninit(void);
void nvgre_pernet_uninit(void);
struct nvgre_dev *nvgre_dev_find(struct nvgre_net *nn, u32 vsid);
struct nvgre_dev *nvgre_dev_from_netdev(struct net_device *dev);
void nvgre_dev_count(struct nvgre_dev *nv, enum nvgre_ctr ctr);
int nvgre_dev_fill_stats(struct sk_buff *skb, struct nvgre_dev *nv);

/* lookup.c */
int nvgre_lookup_cache_init(void);
void nvgre_lookup_cache_uninit(void);
int nvgre_lookup_init(struct nvgre_net *nn);
void nvgre_lookup_uninit(struct nvgre_net *nn);
int nvgre_lookup_insert(struct nvgre_net *nn, const struct nvgre_lookup_key *k,
			const u8 *mac, __be32 pa, bool replace);
int nvgre_lookup_delete(struct nvgre_net *nn, const struct nvgre_lookup_key *k,
			__be32 *pa, u8 *mac);
unsigned int nvgre_lookup_flush(struct nvgre_net *nn, u32 vsid);
struct nvgre_lookup *nvgre_lookup_find(struct nvgre_net *nn, u32 vsid,
				       const struct in6_addr *ca);
struct nvgre_lookup *nvgre_lookup_find4(struct nvgre_net *nn, u32 vsid,
					__be32 ca);
struct nvgre_lookup *nvgre_lookup_find_mac(struct nvgre_net *nn, u32 vsid,
					   const u8 *mac);
bool nvgre_lookup_mac_has_pa(struct nvgre_net *nn, u32 vsid, const u8 *mac,
			     __be32 pa);

/* pa.c */
int nvgre_pa_notifier_init(void);
void nvgre_pa_notifier_uninit(void);
void nvgre_pa_init(struct nvgre_net *nn);
void nvgre_pa_uninit(struct nvgre_net *nn);
int nvgre_pa_add(struct net *net, const struct in6_addr *addr, int ifindex,
		 struct netlink_ext_ack *extack);
int nvgre_pa_del(struct net *net, const struct in6_addr *addr, int *ifindex);
bool nvgre_pa_is_local(struct nvgre_net *nn, const struct in6_addr *addr);
bool nvgre_pa_is_local4(struct nvgre_net *nn, __be32 addr);

/* netlink.c */
int nvgre_genl_init(void);
void nvgre_genl_uninit(void);
void nvgre_nl_notify_link(struct nvgre_dev *nv, u8 cmd);
bool nvgre_nl_miss_listeners(struct net *net);
int nvgre_nl_notify_miss(struct nvgre_dev *nv, const struct nvgre_miss *m);

/* miss.c */
void nvgre_miss_init(struct nvgre_dev *nv);
void nvgre_miss_report(struct nvgre_dev *nv, const struct nvgre_miss *m);
void nvgre_miss_mac(struct nvgre_dev *nv, u8 reason, const u8 *mac,
		    __be32 pa);
void nvgre_miss_ca4(struct nvgre_dev *nv, u8 reason, __be32 ca);
void nvgre_miss_ca6(struct nvgre_dev *nv, u8 reason,
		    const struct in6_addr *ca);
void nvgre_nl_notify_pa(struct net *net, u8 cmd, const struct in6_addr *addr,
			int ifindex);

/* send.c */
netdev_tx_t nvgre_dev_xmit(struct sk_buff *skb, struct net_device *dev);
netdev_tx_t nvgre_xmit4(struct nvgre_dev *nv, struct sk_buff *skb,
			__be32 src, __be32 pa, __be32 key);

/* flood.c */
/* Most copies head-end replication makes of one frame. */
#define NVGRE_FLOOD_MAX_COPIES	256
int nvgre_flood_init(struct nvgre_net *nn);
void nvgre_flood_uninit(struct nvgre_net *nn);
int nvgre_flood_ref(struct nvgre_net *nn, u32 vsid, const struct in6_addr *pa);
void nvgre_flood_unref(struct nvgre_net *nn, u32 vsid,
		       const struct in6_addr *pa);
netdev_tx_t nvgre_flood_xmit(struct nvgre_dev *nv, struct sk_buff *skb,
			     __be32 src, __be32 key);

/* receive.c */
unsigned int nvgre_rcv_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state);

#endif /* _NVGRE_H */
