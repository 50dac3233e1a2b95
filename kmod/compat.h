/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels nvgre builds against, in one place.
 * Force-included by Kbuild; the NVGRE_HAVE_* flags come from
 * compat-probe.sh, which reads the target tree's headers.
 */
#ifndef _NVGRE_COMPAT_H
#define _NVGRE_COMPAT_H

#include <linux/netdevice.h>

/* 6.12 turned NETIF_F_LLTX into dev->lltx. */
#ifdef NVGRE_HAVE_DEV_LLTX
#define compat_dev_set_lltx(dev)	((dev)->lltx = true)
#else
#define compat_dev_set_lltx(dev)	((dev)->features |= NETIF_F_LLTX)
#endif

/*
 * 6.12 turned NETIF_F_NETNS_LOCAL into dev->netns_local, later renamed
 * dev->netns_immutable (Debian's 6.12 has the rename backported).
 */
#if defined(NVGRE_HAVE_NETNS_IMMUTABLE)
#define compat_dev_set_netns_local(dev)	((dev)->netns_immutable = true)
#elif defined(NVGRE_HAVE_NETNS_LOCAL)
#define compat_dev_set_netns_local(dev)	((dev)->netns_local = true)
#else
#define compat_dev_set_netns_local(dev)	\
	((dev)->features |= NETIF_F_NETNS_LOCAL)
#endif

/*
 * From 6.6 the core allocates dev->tstats when dev->pcpu_stat_type asks
 * for it, and 6.12's iptunnel_xmit() insists on it; on older kernels
 * drivers allocate it themselves.
 */
#ifdef NVGRE_HAVE_PCPU_STAT_TYPE
#define compat_dev_tstats_setup(dev)	\
	((dev)->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS)
#define compat_dev_tstats_alloc(dev)	0
#define compat_dev_tstats_free(dev)	do { } while (0)
#else
#define compat_dev_tstats_setup(dev)	do { } while (0)
static inline int compat_dev_tstats_alloc(struct net_device *dev)
{
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	return dev->tstats ? 0 : -ENOMEM;
}

#define compat_dev_tstats_free(dev)	free_percpu((dev)->tstats)
#endif

/*
 * 6.15 hands rtnl_link_ops::newlink its namespaces and attributes in a
 * struct rtnl_newlink_params. nvgre's newlink keeps the older signature;
 * COMPAT_RTNL_NEWLINK(fn) defines the wrapper the newer kernels need and
 * compat_rtnl_newlink(fn) names what goes into the ops.
 */
#ifdef NVGRE_HAVE_NEWLINK_PARAMS
#include <net/rtnetlink.h>

#define COMPAT_RTNL_NEWLINK(fn)						\
static int fn##_params(struct net_device *dev,				\
		       struct rtnl_newlink_params *params,		\
		       struct netlink_ext_ack *extack)			\
{									\
	return fn(params->src_net, dev, params->tb, params->data,	\
		  extack);						\
}

#define compat_rtnl_newlink(fn)		fn##_params
#else
#define COMPAT_RTNL_NEWLINK(fn)
#define compat_rtnl_newlink(fn)		fn
#endif

/* 6.17 added the IPCB flags of the outer packet to iptunnel_xmit(). */
#ifdef NVGRE_HAVE_IPTUNNEL_XMIT_IPCB
#define compat_iptunnel_xmit(sk, rt, skb, src, dst, proto, tos, ttl, df, \
			     xnet)					\
	iptunnel_xmit(sk, rt, skb, src, dst, proto, tos, ttl, df, xnet, 0)
#else
#define compat_iptunnel_xmit	iptunnel_xmit
#endif

/* The same for ip6tunnel_xmit() and the IP6CB flags. */
#ifdef NVGRE_HAVE_IP6TUNNEL_XMIT_IPCB
#define compat_ip6tunnel_xmit(sk, skb, dev) ip6tunnel_xmit(sk, skb, dev, 0)
#else
#define compat_ip6tunnel_xmit	ip6tunnel_xmit
#endif

/* 6.11 made the table a proc_handler gets const. */
#ifdef NVGRE_HAVE_CONST_CTL_TABLE
#define compat_ctl_table	const struct ctl_table
#else
#define compat_ctl_table	struct ctl_table
#endif

/*
 * 6.6 added register_net_sysctl_sz(), which takes the table's size; the
 * older register_net_sysctl() reads the table up to its empty entry (the
 * tables passed here have one after the @n entries).
 */
#ifdef NVGRE_HAVE_REGISTER_NET_SYSCTL_SZ
#define compat_register_net_sysctl(net, path, table, n)	\
	register_net_sysctl_sz(net, path, table, n)
#else
#define compat_register_net_sysctl(net, path, table, n)	\
	register_net_sysctl(net, path, table)
#endif

/*
 * The drop reasons of tunnels (vxlan's, in Debian's 6.12 and later): no
 * target to send to, and RFC 6040's drop of a Not-ECT packet with CE
 * outside. Where the tree has neither, those frames are dropped for no
 * given reason.
 */
#ifndef NVGRE_HAVE_TUNNEL_DROP_REASONS
#define SKB_DROP_REASON_NO_TX_TARGET	SKB_DROP_REASON_NOT_SPECIFIED
#define SKB_DROP_REASON_IP_TUNNEL_ECN	SKB_DROP_REASON_NOT_SPECIFIED
#endif

/*
 * The attributes of a dump request, parsed and validated by the genetlink
 * core against the operation's policy before .start: 6.6 put a struct
 * genl_info in struct genl_dumpit_info (genl_info_dump()); before, the
 * attributes were a member of their own.
 */
#ifdef NVGRE_HAVE_GENL_INFO_DUMP
#define compat_genl_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define compat_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

#endif /* _NVGRE_COMPAT_H */
