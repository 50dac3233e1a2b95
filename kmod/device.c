// SPDX-License-Identifier: GPL-2.0
/*
 * The nvgre net_device, its rtnl_link_ops and the per-namespace state.
 *
 * One device serves one virtual subnet (VSID) of its namespace. Devices of
 * a namespace are hashed by VSID for receive; while a namespace has at
 * least one device, a netfilter hook at LOCAL_IN hands NVGRE packets to
 * receive.c (see docs/design.md for why a hook and not the GRE demux).
 */

#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/rtnetlink.h>

#include "nvgre.h"

unsigned int nvgre_net_id __read_mostly;

static struct rtnl_link_ops nvgre_link_ops;

/**
 * struct nvgre_ctr_info - how a counter is reported
 * @attr: its NVGRE_STATS_* attribute
 * @dir: 'r' when it counts into rx_dropped, 't' into tx_dropped, 0 neither
 * @reason: the kernel's drop reason for a frame it counts, where one fits
 *	(0: SKB_DROP_REASON_NOT_SPECIFIED)
 */
struct nvgre_ctr_info {
	u16 attr;
	char dir;
	enum skb_drop_reason reason;
};

static const struct nvgre_ctr_info nvgre_ctr_info[NVGRE_CTR_MAX] = {
	[NVGRE_CTR_ARP_REPLIES]	= { NVGRE_STATS_ARP_REPLIES, 0 },
	[NVGRE_CTR_TX_NO_RECORD] = { NVGRE_STATS_TX_NO_RECORD, 't',
				    SKB_DROP_REASON_NO_TX_TARGET },
	[NVGRE_CTR_TX_FLOOD]	= { NVGRE_STATS_TX_FLOOD, 't',
				    SKB_DROP_REASON_NO_TX_TARGET },
	[NVGRE_CTR_TX_ARP_MISS]	= { NVGRE_STATS_TX_ARP_MISS, 't',
				    SKB_DROP_REASON_NO_TX_TARGET },
	[NVGRE_CTR_TX_LOCAL_PA]	= { NVGRE_STATS_TX_LOCAL_PA, 't' },
	[NVGRE_CTR_TX_NO_ROUTE]	= { NVGRE_STATS_TX_NO_ROUTE, 't',
				    SKB_DROP_REASON_IP_OUTNOROUTES },
	[NVGRE_CTR_TX_ERRORS]	= { NVGRE_STATS_TX_ERRORS, 't' },
	[NVGRE_CTR_RX_BAD_FLAGS] = { NVGRE_STATS_RX_BAD_FLAGS, 'r' },
	[NVGRE_CTR_RX_VLAN]	= { NVGRE_STATS_RX_VLAN, 'r' },
	[NVGRE_CTR_RX_WRONG_PA]	= { NVGRE_STATS_RX_WRONG_PA, 'r',
				    SKB_DROP_REASON_OTHERHOST },
	[NVGRE_CTR_RX_SPOOF_MAC] = { NVGRE_STATS_RX_SPOOF_MAC, 'r' },
	[NVGRE_CTR_RX_SPOOF_CA]	= { NVGRE_STATS_RX_SPOOF_CA, 'r' },
	[NVGRE_CTR_RX_MALFORMED] = { NVGRE_STATS_RX_MALFORMED, 'r' },
	[NVGRE_CTR_RX_ERRORS]	= { NVGRE_STATS_RX_ERRORS, 'r',
				    SKB_DROP_REASON_NOMEM },
	[NVGRE_CTR_TX_TOO_BIG]	= { NVGRE_STATS_TX_TOO_BIG, 't' },
	[NVGRE_CTR_RX_ECN]	= { NVGRE_STATS_RX_ECN, 'r',
				    SKB_DROP_REASON_IP_TUNNEL_ECN },
	[NVGRE_CTR_ND_REPLIES]	= { NVGRE_STATS_ND_REPLIES, 0 },
	[NVGRE_CTR_TX_ND_MISS]	= { NVGRE_STATS_TX_ND_MISS, 't',
				    SKB_DROP_REASON_NO_TX_TARGET },
	[NVGRE_CTR_MISS_EVENTS]	= { NVGRE_STATS_MISS_EVENTS, 0 },
	[NVGRE_CTR_MISS_SUPPRESSED] = { NVGRE_STATS_MISS_SUPPRESSED, 0 },
	[NVGRE_CTR_TX_NO_LOCAL_PA] = { NVGRE_STATS_TX_NO_LOCAL_PA, 't' },
	[NVGRE_CTR_TX_NO_SUBNET] = { NVGRE_STATS_TX_NO_SUBNET, 't',
				    SKB_DROP_REASON_IP_OUTNOROUTES },
	[NVGRE_CTR_TX_TTL_EXCEEDED] = { NVGRE_STATS_TX_TTL_EXCEEDED, 't' },
	[NVGRE_CTR_TX_ROUTED_LOCAL] = { NVGRE_STATS_TX_ROUTED_LOCAL, 0 },
	[NVGRE_CTR_TX_FLOOD_COPIES] = { NVGRE_STATS_TX_FLOOD_COPIES, 0 },
	[NVGRE_CTR_TX_FLOOD_SKIPPED] = { NVGRE_STATS_TX_FLOOD_SKIPPED, 't' },
	[NVGRE_CTR_TX_GATEWAY]	= { NVGRE_STATS_TX_GATEWAY, 0 },
	[NVGRE_CTR_RX_WRONG_GROUP] = { NVGRE_STATS_RX_WRONG_GROUP, 'r',
				    SKB_DROP_REASON_OTHERHOST },
	[NVGRE_CTR_TX_GROUP]	= { NVGRE_STATS_TX_GROUP, 0 },
	[NVGRE_CTR_TX_ND_SPOOF]	= { NVGRE_STATS_TX_ND_SPOOF, 't' },
	[NVGRE_CTR_RX_ND_SPOOF]	= { NVGRE_STATS_RX_ND_SPOOF, 'r' },
	[NVGRE_CTR_TX_ND_ROUTER] = { NVGRE_STATS_TX_ND_ROUTER, 't' },
	[NVGRE_CTR_RX_ND_ROUTER] = { NVGRE_STATS_RX_ND_ROUTER, 'r' },
	[NVGRE_CTR_TX_NS_INVALID] = { NVGRE_STATS_TX_NS_INVALID, 't' },
	[NVGRE_CTR_RX_POLICY]	= { NVGRE_STATS_RX_POLICY, 'r',
				    SKB_DROP_REASON_XFRM_POLICY },
};

void nvgre_dev_count(struct nvgre_dev *nv, enum nvgre_ctr ctr)
{
	struct nvgre_pcpu_ctrs *c = get_cpu_ptr(nv->ctrs);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->ctr[ctr]);
	u64_stats_update_end(&c->syncp);
	put_cpu_ptr(nv->ctrs);
}

/* Called by the receive hooks, with BH disabled. */
void nvgre_net_count_unknown_vsid(struct nvgre_net *nn)
{
	struct nvgre_pcpu_net_ctrs *c = this_cpu_ptr(nn->ctrs);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->rx_unknown_vsid);
	u64_stats_update_end(&c->syncp);
}

u64 nvgre_net_rx_unknown_vsid(struct nvgre_net *nn)
{
	unsigned int start, cpu;
	u64 sum = 0, v;

	for_each_possible_cpu(cpu) {
		const struct nvgre_pcpu_net_ctrs *c = per_cpu_ptr(nn->ctrs, cpu);

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			v = u64_stats_read(&c->rx_unknown_vsid);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		sum += v;
	}
	return sum;
}

/**
 * nvgre_dev_drop - drop a frame, counted by why
 * @nv: the device
 * @skb: the frame, freed
 * @why: the drop counter
 *
 * Frees @skb with the kernel drop reason of @why, so that the
 * kfree_skb tracepoint (drop_monitor, perf) shows it next to the counter.
 */
void nvgre_dev_drop(struct nvgre_dev *nv, struct sk_buff *skb,
		    enum nvgre_ctr why)
{
	enum skb_drop_reason reason = nvgre_ctr_info[why].reason;

	nvgre_dev_count(nv, why);
	kfree_skb_reason(skb, reason ?: SKB_DROP_REASON_NOT_SPECIFIED);
}

/* The NVGRE_STATS_* attribute of @ctr, 0 for NVGRE_CTR_NONE. */
u16 nvgre_ctr_attr(enum nvgre_ctr ctr)
{
	return ctr < NVGRE_CTR_MAX ? nvgre_ctr_info[ctr].attr : 0;
}

static void nvgre_dev_read_ctrs(struct nvgre_dev *nv, u64 *sum)
{
	unsigned int start, cpu, i;

	memset(sum, 0, sizeof(u64) * NVGRE_CTR_MAX);
	for_each_possible_cpu(cpu) {
		const struct nvgre_pcpu_ctrs *c = per_cpu_ptr(nv->ctrs, cpu);
		u64 v[NVGRE_CTR_MAX];

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			for (i = 0; i < NVGRE_CTR_MAX; i++)
				v[i] = u64_stats_read(&c->ctr[i]);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		for (i = 0; i < NVGRE_CTR_MAX; i++)
			sum[i] += v[i];
	}
}

static void nvgre_get_stats64(struct net_device *dev,
			      struct rtnl_link_stats64 *s)
{
	struct nvgre_dev *nv = netdev_priv(dev);
	u64 ctr[NVGRE_CTR_MAX];
	unsigned int i;

	netdev_stats_to_stats64(s, &dev->stats);
	dev_fetch_sw_netstats(s, dev->tstats);
	nvgre_dev_read_ctrs(nv, ctr);
	for (i = 0; i < NVGRE_CTR_MAX; i++) {
		if (nvgre_ctr_info[i].dir == 'r')
			s->rx_dropped += ctr[i];
		else if (nvgre_ctr_info[i].dir == 't')
			s->tx_dropped += ctr[i];
	}
}

/* Fills the NVGRE_A_STATS nest of a netlink reply. */
int nvgre_dev_fill_stats(struct sk_buff *skb, struct nvgre_dev *nv)
{
	struct rtnl_link_stats64 s = {};
	u64 ctr[NVGRE_CTR_MAX];
	struct nlattr *nest;
	unsigned int i;

	dev_fetch_sw_netstats(&s, nv->dev->tstats);
	nvgre_dev_read_ctrs(nv, ctr);

	nest = nla_nest_start(skb, NVGRE_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, NVGRE_STATS_RX_PACKETS, s.rx_packets,
			      NVGRE_STATS_PAD) ||
	    nla_put_u64_64bit(skb, NVGRE_STATS_RX_BYTES, s.rx_bytes,
			      NVGRE_STATS_PAD) ||
	    nla_put_u64_64bit(skb, NVGRE_STATS_TX_PACKETS, s.tx_packets,
			      NVGRE_STATS_PAD) ||
	    nla_put_u64_64bit(skb, NVGRE_STATS_TX_BYTES, s.tx_bytes,
			      NVGRE_STATS_PAD))
		goto err_cancel;
	for (i = 0; i < NVGRE_CTR_MAX; i++)
		if (nla_put_u64_64bit(skb, nvgre_ctr_info[i].attr, ctr[i],
				      NVGRE_STATS_PAD))
			goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static struct hlist_head *nvgre_dev_head(struct nvgre_net *nn, u32 vsid)
{
	return &nn->devs[hash_32(vsid, NVGRE_DEV_HASH_BITS)];
}

/* Needs rcu_read_lock() or RTNL. */
struct nvgre_dev *nvgre_dev_find(struct nvgre_net *nn, u32 vsid)
{
	struct nvgre_dev *nv;

	hlist_for_each_entry_rcu(nv, nvgre_dev_head(nn, vsid), hlist,
				 lockdep_rtnl_is_held())
		if (nv->vsid == vsid)
			return nv;
	return NULL;
}

/* The nvgre device behind @dev, or NULL if @dev is another kind. */
struct nvgre_dev *nvgre_dev_from_netdev(struct net_device *dev)
{
	return dev->rtnl_link_ops == &nvgre_link_ops ? netdev_priv(dev) : NULL;
}

static int nvgre_dev_init(struct net_device *dev)
{
	struct nvgre_dev *nv = netdev_priv(dev);
	int err;

	err = compat_dev_tstats_alloc(dev);
	if (err)
		return err;
	nv->ctrs = netdev_alloc_pcpu_stats(struct nvgre_pcpu_ctrs);
	if (!nv->ctrs) {
		err = -ENOMEM;
		goto err_free_tstats;
	}
	err = nvgre_dst_cache_init(nv);
	if (err)
		goto err_free_ctrs;
	err = gro_cells_init(&nv->gro_cells, dev);
	if (err)
		goto err_free_dst_cache;
	nvgre_miss_init(nv);
	return 0;

err_free_dst_cache:
	nvgre_dst_cache_destroy(nv);
err_free_ctrs:
	free_percpu(nv->ctrs);
err_free_tstats:
	compat_dev_tstats_free(dev);
	return err;
}

static void nvgre_dev_uninit(struct net_device *dev)
{
	struct nvgre_dev *nv = netdev_priv(dev);

	gro_cells_destroy(&nv->gro_cells);
	nvgre_dst_cache_destroy(nv);
	free_percpu(nv->ctrs);
	compat_dev_tstats_free(dev);
}

static const struct net_device_ops nvgre_netdev_ops = {
	.ndo_init		= nvgre_dev_init,
	.ndo_uninit		= nvgre_dev_uninit,
	.ndo_start_xmit		= nvgre_dev_xmit,
	.ndo_get_stats64	= nvgre_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

static const struct device_type nvgre_type = {
	.name = "nvgre",
};

#define NVGRE_FEATURES (NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HIGHDMA | \
			NETIF_F_HW_CSUM | NETIF_F_RXCSUM | NETIF_F_GSO_SOFTWARE)

static void nvgre_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &nvgre_netdev_ops;
	dev->needs_free_netdev = true;
	compat_dev_tstats_setup(dev);
	SET_NETDEV_DEVTYPE(dev, &nvgre_type);

	dev->features |= NVGRE_FEATURES;
	dev->hw_features |= NVGRE_FEATURES;
	compat_dev_set_lltx(dev);
	/* Records and the receive hook belong to the device's namespace. */
	compat_dev_set_netns_local(dev);
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;

	dev->needed_headroom = LL_MAX_HEADER + sizeof(struct ipv6hdr) +
			       NVGRE_HLEN;
	dev->mtu = ETH_DATA_LEN - NVGRE_OVERHEAD4;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - NVGRE_OVERHEAD4;
	eth_hw_addr_random(dev);
}

struct netlink_range_validation nvgre_vsid_range = {
	.min = NVGRE_VSID_MIN,
	.max = NVGRE_VSID_MAX,
};

static const struct nla_policy nvgre_link_policy[IFLA_NVGRE_MAX + 1] = {
	[IFLA_NVGRE_VSID] = NLA_POLICY_FULL_RANGE(NLA_U32, &nvgre_vsid_range),
	[IFLA_NVGRE_LOCAL] = { .type = NLA_BE32 },
	[IFLA_NVGRE_RDID] = { .type = NLA_U32 },
	[IFLA_NVGRE_TTL] = { .type = NLA_U8 },
	[IFLA_NVGRE_TOS] = { .type = NLA_U8 },
	[IFLA_NVGRE_LOCAL6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[IFLA_NVGRE_GROUP] = { .type = NLA_BE32 },
};

static bool nvgre_pa4_valid(__be32 pa)
{
	return !ipv4_is_zeronet(pa) && !ipv4_is_multicast(pa) &&
	       !ipv4_is_lbcast(pa) && !ipv4_is_loopback(pa);
}

/* Not ::, ::1, multicast, v4-mapped or link-local: pa.c's rule. */
static bool nvgre_pa6_valid(const struct in6_addr *pa)
{
	return !ipv6_addr_any(pa) && !ipv6_addr_loopback(pa) &&
	       !ipv6_addr_is_multicast(pa) && !ipv6_addr_v4mapped(pa) &&
	       !(ipv6_addr_type(pa) & IPV6_ADDR_LINKLOCAL);
}

static int nvgre_validate(struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "Invalid Ethernet address length");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be unicast");
			return -EADDRNOTAVAIL;
		}
	}
	if (!data || !data[IFLA_NVGRE_VSID]) {
		NL_SET_ERR_MSG_MOD(extack, "VSID is required");
		return -EINVAL;
	}
	if (data[IFLA_NVGRE_LOCAL] &&
	    !nvgre_pa4_valid(nla_get_in_addr(data[IFLA_NVGRE_LOCAL]))) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NVGRE_LOCAL],
				    "Local PA must be a unicast IPv4 address");
		return -EINVAL;
	}
	if (data[IFLA_NVGRE_LOCAL6] &&
	    !nvgre_pa6_valid(nla_data(data[IFLA_NVGRE_LOCAL6]))) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NVGRE_LOCAL6],
				    "Local PA must be a global unicast IPv6 address");
		return -EINVAL;
	}
	if (data[IFLA_NVGRE_GROUP]) {
		__be32 group = nla_get_in_addr(data[IFLA_NVGRE_GROUP]);

		if (!ipv4_is_multicast(group) || ipv4_is_local_multicast(group)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NVGRE_GROUP],
					    "Group must be an IPv4 multicast address outside 224.0.0.0/24");
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Without an MTU from the user: the local PAs' devices' MTU less the
 * overhead of their family, the smaller if the device has both.
 */
static void nvgre_dev_default_mtu(struct nvgre_dev *nv)
{
	struct net_device *ldev;
	int mtu = INT_MAX;

	if (nv->local) {
		ldev = __ip_dev_find(nv->net, nv->local, false);
		if (ldev)
			mtu = ldev->mtu - (int)NVGRE_OVERHEAD4;
	}
	if (!ipv6_addr_any(&nv->local6)) {
		ldev = ipv6_dev_find(nv->net, &nv->local6, NULL);
		if (ldev)
			mtu = min_t(int, mtu, ldev->mtu - (int)NVGRE_OVERHEAD6);
	}
	if (mtu != INT_MAX)
		nv->dev->mtu = clamp_t(int, mtu, nv->dev->min_mtu,
				       nv->dev->max_mtu);
}

static int nvgre_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct nvgre_dev *nv = netdev_priv(dev);
	struct net *net = dev_net(dev);
	struct nvgre_net *nn = nvgre_pernet(net);
	u32 rdid;
	int err;

	ASSERT_RTNL();

	nv->dev = dev;
	nv->net = net;
	nv->vsid = nla_get_u32(data[IFLA_NVGRE_VSID]);
	if (data[IFLA_NVGRE_LOCAL])
		nv->local = nla_get_in_addr(data[IFLA_NVGRE_LOCAL]);
	if (data[IFLA_NVGRE_LOCAL6])
		nv->local6 = nla_get_in6_addr(data[IFLA_NVGRE_LOCAL6]);
	if (data[IFLA_NVGRE_RDID])
		nv->rdid = nla_get_u32(data[IFLA_NVGRE_RDID]);
	if (data[IFLA_NVGRE_TTL])
		nv->ttl = nla_get_u8(data[IFLA_NVGRE_TTL]);
	if (data[IFLA_NVGRE_TOS])
		nv->tos = nla_get_u8(data[IFLA_NVGRE_TOS]);
	if (data[IFLA_NVGRE_GROUP])
		nv->group = nla_get_in_addr(data[IFLA_NVGRE_GROUP]);
	if (!tb[IFLA_MTU])
		nvgre_dev_default_mtu(nv);

	if (nvgre_dev_find(nn, nv->vsid)) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NVGRE_VSID],
				    "An nvgre device for this VSID exists in this namespace");
		return -EEXIST;
	}

	rdid = nvgre_subnet_vsid_rdid(nn, nv->vsid);
	if (rdid && rdid != nv->rdid) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NVGRE_VSID],
				    "The subnets of this VSID are in another routing domain (show-subnet)");
		return -EINVAL;
	}

	err = nvgre_mcast_join(nv, extack);
	if (err)
		return err;

	if (!nn->ndevs) {
		err = nf_register_net_hook(net, &nn->hook);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack,
					   "Cannot register the receive hook");
			goto err_leave;
		}
		err = nf_register_net_hook(net, &nn->hook6);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack,
					   "Cannot register the IPv6 receive hook");
			goto err_unhook;
		}
	}

	err = register_netdevice(dev);
	if (err)
		goto err_unhook6;

	hlist_add_head_rcu(&nv->hlist, nvgre_dev_head(nn, nv->vsid));
	nvgre_mcast_publish(nv);
	nn->ndevs++;
	nvgre_nl_notify_link(nv, NVGRE_CMD_LINK_NEW);
	return 0;

err_unhook6:
	if (!nn->ndevs)
		nf_unregister_net_hook(net, &nn->hook6);
err_unhook:
	if (!nn->ndevs)
		nf_unregister_net_hook(net, &nn->hook);
err_leave:
	nvgre_mcast_leave(nv);
	return err;
}

COMPAT_RTNL_NEWLINK(nvgre_newlink)

static void nvgre_dellink(struct net_device *dev, struct list_head *head)
{
	struct nvgre_dev *nv = netdev_priv(dev);
	struct nvgre_net *nn = nvgre_pernet(nv->net);

	ASSERT_RTNL();

	nvgre_nl_notify_link(nv, NVGRE_CMD_LINK_DEL);
	hlist_del_init_rcu(&nv->hlist);
	nvgre_mcast_leave(nv);
	if (!--nn->ndevs) {
		nf_unregister_net_hook(nv->net, &nn->hook6);
		nf_unregister_net_hook(nv->net, &nn->hook);
	}
	unregister_netdevice_queue(dev, head);
}

static size_t nvgre_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32)) +	/* IFLA_NVGRE_VSID */
	       nla_total_size(sizeof(__be32)) +	/* IFLA_NVGRE_LOCAL */
	       nla_total_size(sizeof(struct in6_addr)) + /* IFLA_NVGRE_LOCAL6 */
	       nla_total_size(sizeof(u32)) +	/* IFLA_NVGRE_RDID */
	       nla_total_size(sizeof(u8)) +	/* IFLA_NVGRE_TTL */
	       nla_total_size(sizeof(u8)) +	/* IFLA_NVGRE_TOS */
	       nla_total_size(sizeof(__be32));	/* IFLA_NVGRE_GROUP */
}

static int nvgre_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct nvgre_dev *nv = netdev_priv(dev);

	if (nla_put_u32(skb, IFLA_NVGRE_VSID, nv->vsid) ||
	    (nv->local && nla_put_in_addr(skb, IFLA_NVGRE_LOCAL, nv->local)) ||
	    (!ipv6_addr_any(&nv->local6) &&
	     nla_put_in6_addr(skb, IFLA_NVGRE_LOCAL6, &nv->local6)) ||
	    nla_put_u32(skb, IFLA_NVGRE_RDID, nv->rdid) ||
	    nla_put_u8(skb, IFLA_NVGRE_TTL, nv->ttl) ||
	    nla_put_u8(skb, IFLA_NVGRE_TOS, nv->tos) ||
	    (nv->group && nla_put_in_addr(skb, IFLA_NVGRE_GROUP, nv->group)))
		return -EMSGSIZE;
	return 0;
}

static struct rtnl_link_ops nvgre_link_ops __read_mostly = {
	.kind		= "nvgre",
	.maxtype	= IFLA_NVGRE_MAX,
	.policy		= nvgre_link_policy,
	.priv_size	= sizeof(struct nvgre_dev),
	.setup		= nvgre_setup,
	.validate	= nvgre_validate,
	.newlink	= compat_rtnl_newlink(nvgre_newlink),
	.dellink	= nvgre_dellink,
	.get_size	= nvgre_get_size,
	.fill_info	= nvgre_fill_info,
};

static int __net_init nvgre_net_init(struct net *net)
{
	struct nvgre_net *nn = nvgre_pernet(net);
	unsigned int i;
	int err;

	mutex_init(&nn->lock);
	for (i = 0; i < ARRAY_SIZE(nn->devs); i++)
		INIT_HLIST_HEAD(&nn->devs[i]);
	nn->hook = (struct nf_hook_ops) {
		.hook = nvgre_rcv_hook,
		.priv = nn,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		/* After the filter and security tables: their rules apply. */
		.priority = NF_IP_PRI_SECURITY + 1,
	};
	nn->hook6 = (struct nf_hook_ops) {
		.hook = nvgre_rcv6_hook,
		.priv = nn,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_SECURITY + 1,
	};
	nn->ctrs = netdev_alloc_pcpu_stats(struct nvgre_pcpu_net_ctrs);
	if (!nn->ctrs)
		return -ENOMEM;
	nvgre_pa_init(nn);
	nvgre_subnet_init(nn);
	nvgre_mcast_init(nn);
	err = nvgre_croute_init(nn);
	if (err)
		goto err_free_ctrs;
	err = nvgre_lookup_init(nn);
	if (err)
		goto err_croute;
	err = nvgre_limits_init(net, nn);
	if (err)
		goto err_lookup;
	return 0;

err_lookup:
	nvgre_lookup_uninit(nn);
err_croute:
	nvgre_croute_uninit(nn);
err_free_ctrs:
	free_percpu(nn->ctrs);
	return err;
}

static void __net_exit nvgre_net_exit_batch(struct list_head *net_list)
{
	struct net_device *dev, *tmp;
	struct net *net;
	LIST_HEAD(list);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list)
		for_each_netdev_safe(net, dev, tmp)
			if (nvgre_dev_from_netdev(dev))
				nvgre_dellink(dev, &list);
	unregister_netdevice_many(&list);
	list_for_each_entry(net, net_list, exit_list)
		nvgre_pa_uninit(nvgre_pernet(net));
	rtnl_unlock();

	list_for_each_entry(net, net_list, exit_list) {
		nvgre_limits_uninit(nvgre_pernet(net));
		nvgre_subnet_uninit(nvgre_pernet(net));
		nvgre_croute_uninit(nvgre_pernet(net));
		nvgre_lookup_uninit(nvgre_pernet(net));
		free_percpu(nvgre_pernet(net)->ctrs);
	}
}

static struct pernet_operations nvgre_net_ops = {
	.init = nvgre_net_init,
	.exit_batch = nvgre_net_exit_batch,
	.id = &nvgre_net_id,
	.size = sizeof(struct nvgre_net),
};

int __init nvgre_device_init(void)
{
	int err;

	err = register_pernet_device(&nvgre_net_ops);
	if (err)
		return err;
	err = rtnl_link_register(&nvgre_link_ops);
	if (err)
		goto err_unregister_pernet;
	return 0;

err_unregister_pernet:
	unregister_pernet_device(&nvgre_net_ops);
	return err;
}

/* Deletes every nvgre device; netlink still notifies their deletion. */
void nvgre_link_uninit(void)
{
	rtnl_link_unregister(&nvgre_link_ops);
}

/* Frees every namespace's records; netlink requests are over by now. */
void nvgre_pernet_uninit(void)
{
	unregister_pernet_device(&nvgre_net_ops);
}

MODULE_ALIAS_RTNL_LINK("nvgre");
