// SPDX-License-Identifier: GPL-2.0
/*
 * Broadcast and multicast of the VMs (RFC 7637 section 4.2): the multicast
 * mode of a device, the alternative to head-end replication (flood.c).
 *
 * A device created with a group (IFLA_NVGRE_GROUP) joins that IPv4 group
 * on the underlay device of its local PA, or without one on the device
 * that routes to the group, and holds the membership until it is deleted.
 * It sends each broadcast or multicast frame that the records do not
 * answer once, to the group, with TTL 1 unless the device has a ttl; it
 * accepts NVGRE sent to the group only for its own VSID.
 *
 * Memberships are taken with ip_mc_inc_group() (counted per in_device, so
 * devices may share a group) and dropped with ip_mc_dec_group(), both
 * under RTNL. The underlay device is remembered by ifindex: when it is
 * unregistered, or loses its in_device (an MTU under IPv4's minimum),
 * the memberships go with the in_device and the device forgets them
 * (nvgre_mcast_dev_gone(), from pa.c's netdevice notifier). Leaving then
 * has nothing to drop: the counts of a later in_device, or of a later
 * device with the same ifindex, are other members'.
 */

#include <linux/igmp.h>
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <net/route.h>

#include "nvgre.h"

void nvgre_mcast_init(struct nvgre_net *nn)
{
	INIT_HLIST_HEAD(&nn->group_devs);
}

/*
 * The underlay device to join @nv's group on: that of its local PA, else
 * the one the group is routed through. Needs RTNL.
 */
static struct net_device *nvgre_mcast_underlay(struct nvgre_dev *nv)
{
	struct net_device *ldev;
	struct flowi4 fl4 = {
		.daddr = nv->group,
		.flowi4_proto = IPPROTO_GRE,
	};
	struct rtable *rt;

	ASSERT_RTNL();

	if (nv->local)
		return __ip_dev_find(nv->net, nv->local, false);
	rt = ip_route_output_key(nv->net, &fl4);
	if (IS_ERR(rt))
		return NULL;
	ldev = rt->dst.dev;
	ip_rt_put(rt);
	/* RTNL keeps the device: it cannot be unregistered meanwhile. */
	return ldev;
}

/**
 * nvgre_mcast_join - join the device's group on the underlay
 * @nv: a device being created, not yet registered
 * @extack: where to say why not
 *
 * Nothing to do for a device without group. Called under RTNL; undone by
 * nvgre_mcast_leave().
 *
 * Return: 0, or -EADDRNOTAVAIL when no underlay device can join.
 */
int nvgre_mcast_join(struct nvgre_dev *nv, struct netlink_ext_ack *extack)
{
	struct net_device *ldev;
	struct in_device *in_dev;

	ASSERT_RTNL();

	if (!nv->group)
		return 0;
	ldev = nvgre_mcast_underlay(nv);
	in_dev = ldev && ldev != nv->dev ? __in_dev_get_rtnl(ldev) : NULL;
	if (!in_dev) {
		NL_SET_ERR_MSG_MOD(extack,
				   "No underlay device to join the group on: give the device a local PA or route the group");
		return -EADDRNOTAVAIL;
	}
	ip_mc_inc_group(in_dev, nv->group);
	nv->group_ifindex = ldev->ifindex;
	return 0;
}

/* The device is registered: its group is checked on receive. RTNL. */
void nvgre_mcast_publish(struct nvgre_dev *nv)
{
	struct nvgre_net *nn = nvgre_pernet(nv->net);

	ASSERT_RTNL();

	if (nv->group)
		hlist_add_head_rcu(&nv->group_node, &nn->group_devs);
}

/**
 * nvgre_mcast_leave - leave the device's group
 * @nv: a device being deleted (or whose creation failed)
 *
 * Called under RTNL. Readers of nvgre_net.group_devs are done with @nv
 * before it is freed: unregistering the net_device waits for RCU.
 */
void nvgre_mcast_leave(struct nvgre_dev *nv)
{
	struct net_device *ldev;
	struct in_device *in_dev;

	ASSERT_RTNL();

	/* Harmless on a node never added: the private area was zeroed. */
	hlist_del_init_rcu(&nv->group_node);
	if (!nv->group_ifindex)
		return;
	ldev = __dev_get_by_index(nv->net, nv->group_ifindex);
	in_dev = ldev ? __in_dev_get_rtnl(ldev) : NULL;
	if (in_dev)
		ip_mc_dec_group(in_dev, nv->group);
	nv->group_ifindex = 0;
}

/**
 * nvgre_mcast_dev_gone - the in_device of a network device is gone
 * @nn: the device's namespace
 * @dev: the device, being unregistered or without IPv4 now
 *
 * The memberships went with the in_device; nvgre devices that joined
 * their group on it forget it, so that they never leave a group they no
 * longer hold: on a recreated in_device, or a later device with the same
 * ifindex, that would drop another member's count. Called under RTNL.
 */
void nvgre_mcast_dev_gone(struct nvgre_net *nn, struct net_device *dev)
{
	struct nvgre_dev *nv;

	ASSERT_RTNL();

	hlist_for_each_entry(nv, &nn->group_devs, group_node) {
		if (nv->group_ifindex != dev->ifindex)
			continue;
		nv->group_ifindex = 0;
		netdev_warn(nv->dev,
			    "underlay device %s lost IPv4 or is gone: no longer in group %pI4\n",
			    dev->name, &nv->group);
	}
}

/**
 * nvgre_mcast_xmit - send a broadcast or multicast frame to the group
 * @nv: a device in multicast mode
 * @skb: the frame, consumed
 * @src4: outer IPv4 source, v4-mapped (0: the route's choice), or NULL
 *	when the sending VM has no IPv4 source PA
 * @key: GRE key
 *
 * One packet, to the group, counted as tx_group; the host itself does not
 * take back the copy that multicast loops back to it (receive.c).
 *
 * Return: NETDEV_TX_OK.
 */
netdev_tx_t nvgre_mcast_xmit(struct nvgre_dev *nv, struct sk_buff *skb,
			     const struct in6_addr *src4, __be32 key)
{
	if (!src4)
		return nvgre_xmit_drop(nv, skb, NVGRE_CTR_TX_NO_LOCAL_PA);
	nvgre_dev_count(nv, NVGRE_CTR_TX_GROUP);
	return nvgre_xmit4(nv, skb, nvgre_pa4(src4), nv->group, key);
}

/**
 * nvgre_mcast_rcv_check - may NVGRE sent to a multicast group be taken?
 * @nn: namespace
 * @nv: the device of the packet's VSID
 * @daddr: the outer destination, a multicast group
 *
 * Needs RCU (the receive hooks run in an RCU read section).
 *
 * Return: NVGRE_CTR_NONE if @daddr is @nv's group; NVGRE_CTR_RX_WRONG_GROUP
 * if it is the group of another device of the namespace;
 * NVGRE_CTR_RX_WRONG_PA for any other group.
 */
enum nvgre_ctr nvgre_mcast_rcv_check(struct nvgre_net *nn,
				     struct nvgre_dev *nv, __be32 daddr)
{
	struct nvgre_dev *other;

	if (nv->group && nv->group == daddr)
		return NVGRE_CTR_NONE;
	hlist_for_each_entry_rcu(other, &nn->group_devs, group_node)
		if (other->group == daddr)
			return NVGRE_CTR_RX_WRONG_GROUP;
	return NVGRE_CTR_RX_WRONG_PA;
}
