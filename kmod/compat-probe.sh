#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prints the -D flags that describe the kernel tree in $1 (its srctree) to
# compat.h. Every difference between the kernels nvgre builds for is probed
# from the tree's headers, never from version numbers.

inc="$1/include"

probe() {
	grep -qE "$2" "$inc/$1" 2>/dev/null && printf ' %s' "$3"
}

probe linux/netdevice.h 'unsigned long[[:space:]]+lltx:1' -DNVGRE_HAVE_DEV_LLTX
probe linux/netdevice.h 'netns_immutable:1' -DNVGRE_HAVE_NETNS_IMMUTABLE
probe linux/netdevice.h 'unsigned long[[:space:]]+netns_local:1' \
	-DNVGRE_HAVE_NETNS_LOCAL
probe linux/netdevice.h 'pcpu_stat_type' -DNVGRE_HAVE_PCPU_STAT_TYPE
probe linux/netlink.h 'define NL_SET_ERR_MSG_FMT_MOD' -DNVGRE_HAVE_EXTACK_FMT
probe net/rtnetlink.h '^struct rtnl_newlink_params' -DNVGRE_HAVE_NEWLINK_PARAMS
probe net/ip_tunnels.h 'bool xnet, u16 ipcb_flags\);' \
	-DNVGRE_HAVE_IPTUNNEL_XMIT_IPCB
probe net/ip6_tunnel.h 'struct net_device \*dev, u16 ip6cb_flags\)' \
	-DNVGRE_HAVE_IP6TUNNEL_XMIT_IPCB
probe linux/sysctl.h 'typedef int proc_handler\(const struct ctl_table' \
	-DNVGRE_HAVE_CONST_CTL_TABLE
probe net/net_namespace.h 'register_net_sysctl_sz' \
	-DNVGRE_HAVE_REGISTER_NET_SYSCTL_SZ
probe net/dropreason-core.h 'SKB_DROP_REASON_IP_TUNNEL_ECN,' \
	-DNVGRE_HAVE_TUNNEL_DROP_REASONS
probe net/genetlink.h '^genl_info_dump\(' -DNVGRE_HAVE_GENL_INFO_DUMP
echo
