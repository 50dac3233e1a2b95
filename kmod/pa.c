// SPDX-License-Identifier: GPL-2.0
/*
 * Provider addresses (PAs): the underlay addresses a host (a network
 * namespace) owns, IPv4 and IPv6, each on an underlay device, as Hyper-V's
 * New-NetVirtualizationProviderAddress makes them.
 *
 * When a namespace has PAs, they are its local PAs: decapsulation takes
 * only packets addressed to one, and the outer source of an encapsulated
 * frame is the PA of the sending VM's record, or the device's local PA,
 * whichever is one of them (send.c). A namespace that never had one keeps
 * the older rule: the device's local PA, or without one any local address,
 * is local.
 *
 * The table is written under RTNL, which also orders it against the
 * unregistration of underlay devices; the datapath reads it under RCU.
 * A PA goes away with its underlay device (NETDEV_UNREGISTER, which also
 * covers a move to another namespace), notified as a PA_DEL.
 */

#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "nvgre.h"

static struct hlist_head *nvgre_pa_head(struct nvgre_net *nn,
					const struct in6_addr *addr)
{
	u32 h = jhash(addr, sizeof(*addr), 0);

	return &nn->pas[hash_32(h, NVGRE_PA_HASH_BITS)];
}

/* Needs rcu_read_lock() or RTNL. */
static struct nvgre_pa *nvgre_pa_find(struct nvgre_net *nn,
				      const struct in6_addr *addr)
{
	struct nvgre_pa *pa;

	hlist_for_each_entry_rcu(pa, nvgre_pa_head(nn, addr), hlist,
				 lockdep_rtnl_is_held())
		if (ipv6_addr_equal(&pa->addr, addr))
			return pa;
	return NULL;
}

/* Whether @addr is a PA of the namespace; needs rcu_read_lock(). */
bool nvgre_pa_is_local(struct nvgre_net *nn, const struct in6_addr *addr)
{
	return nvgre_pa_find(nn, addr);
}

bool nvgre_pa_is_local4(struct nvgre_net *nn, __be32 addr)
{
	struct in6_addr a;

	ipv6_addr_set_v4mapped(addr, &a);
	return nvgre_pa_find(nn, &a);
}

/* Whether @dev has @addr configured (IPv6: and past DAD). */
static bool nvgre_pa_on_dev(struct net *net, const struct in6_addr *addr,
			    struct net_device *dev)
{
	if (ipv6_addr_v4mapped(addr))
		return __ip_dev_find(net, addr->s6_addr32[3], false) == dev;
	return ipv6_chk_addr(net, addr, dev, 0);
}

/**
 * nvgre_pa_add - make @addr a provider address of @net
 * @net: the namespace
 * @addr: the address, IPv4 v4-mapped; unicast (checked by the caller)
 * @ifindex: the underlay device, which must have @addr configured
 * @extack: for the error message
 *
 * Needs RTNL. Returns 0, -ENODEV, -EINVAL, -EADDRNOTAVAIL, -EEXIST or
 * -ENOMEM.
 */
int nvgre_pa_add(struct net *net, const struct in6_addr *addr, int ifindex,
		 struct netlink_ext_ack *extack)
{
	struct nvgre_net *nn = nvgre_pernet(net);
	struct net_device *dev;
	struct nvgre_pa *pa;

	ASSERT_RTNL();

	dev = __dev_get_by_index(net, ifindex);
	if (!dev) {
		NL_SET_ERR_MSG(extack, "No such underlay device");
		return -ENODEV;
	}
	if (nvgre_dev_from_netdev(dev) || (dev->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG(extack,
			       "The underlay device cannot be an nvgre or loopback device");
		return -EINVAL;
	}
	if (!nvgre_pa_on_dev(net, addr, dev)) {
		NL_SET_ERR_MSG(extack,
			       "The PA is not an address of the underlay device");
		return -EADDRNOTAVAIL;
	}
	if (nvgre_pa_find(nn, addr)) {
		NL_SET_ERR_MSG(extack, "The PA exists in this namespace");
		return -EEXIST;
	}
	if (nn->npas >= READ_ONCE(nn->limits.pas)) {
		NL_SET_ERR_MSG(extack,
			       "PA limit of the namespace reached (net.nvgre.max_pas)");
		return -ENOSPC;
	}

	pa = kzalloc(sizeof(*pa), GFP_KERNEL_ACCOUNT);
	if (!pa)
		return -ENOMEM;
	pa->addr = *addr;
	pa->ifindex = ifindex;
	nvgre_gen_begin(&nn->pas_gen);
	hlist_add_head_rcu(&pa->hlist, nvgre_pa_head(nn, addr));
	nvgre_gen_end(&nn->pas_gen);
	WRITE_ONCE(nn->npas, nn->npas + 1);
	return 0;
}

static void nvgre_pa_remove(struct nvgre_net *nn, struct nvgre_pa *pa)
{
	nvgre_gen_begin(&nn->pas_gen);
	hlist_del_rcu(&pa->hlist);
	nvgre_gen_end(&nn->pas_gen);
	WRITE_ONCE(nn->npas, nn->npas - 1);
	kfree_rcu(pa, rcu);
}

/**
 * nvgre_pa_walk - pass the PAs to @fn, from where a cursor stopped
 * @nn: namespace
 * @bucket: cursor: the bucket to go on with
 * @after: cursor: the PA of *@bucket last passed, :: for none
 * @fn: called for each PA; a non-zero return stops the walk, and the next
 *	call starts with that PA again
 * @arg: passed to @fn
 *
 * Under RTNL. The cursor names a PA, found again by its hash: a walk
 * resumed after it was deleted starts its bucket over and may repeat PAs,
 * which nvgre_net.pas_gen tells.
 *
 * Return: what @fn returned, or 0 at the end.
 */
int nvgre_pa_walk(struct nvgre_net *nn, unsigned long *bucket,
		  struct in6_addr *after,
		  int (*fn)(const struct nvgre_pa *pa, void *arg), void *arg)
{
	struct nvgre_pa *pa;
	int err;

	ASSERT_RTNL();
	for (; *bucket < ARRAY_SIZE(nn->pas); (*bucket)++, *after = in6addr_any) {
		pa = ipv6_addr_any(after) ? NULL : nvgre_pa_find(nn, after);
		if (pa)
			pa = hlist_entry_safe(pa->hlist.next, struct nvgre_pa,
					      hlist);
		else
			pa = hlist_entry_safe(nn->pas[*bucket].first,
					      struct nvgre_pa, hlist);
		hlist_for_each_entry_from(pa, hlist) {
			err = fn(pa, arg);
			if (err)
				return err;
			*after = pa->addr;
		}
	}
	return 0;
}

/*
 * Removes the provider address @addr of @net; *@ifindex gets its underlay
 * device. Needs RTNL. Returns 0 or -ENOENT.
 */
int nvgre_pa_del(struct net *net, const struct in6_addr *addr, int *ifindex)
{
	struct nvgre_net *nn = nvgre_pernet(net);
	struct nvgre_pa *pa;

	ASSERT_RTNL();

	pa = nvgre_pa_find(nn, addr);
	if (!pa)
		return -ENOENT;
	*ifindex = pa->ifindex;
	nvgre_pa_remove(nn, pa);
	return 0;
}

/* The PAs on @dev go with it; each removal is notified. RTNL. */
static void nvgre_pa_dev_gone(struct nvgre_net *nn, struct net_device *dev)
{
	struct net *net = dev_net(dev);
	struct hlist_node *tmp;
	struct nvgre_pa *pa;
	unsigned int i;

	if (!nn->npas)
		return;
	for (i = 0; i < ARRAY_SIZE(nn->pas); i++) {
		hlist_for_each_entry_safe(pa, tmp, &nn->pas[i], hlist) {
			if (pa->ifindex != dev->ifindex)
				continue;
			nvgre_nl_notify_pa(net, NVGRE_CMD_PA_DEL, &pa->addr,
					   pa->ifindex);
			nvgre_pa_remove(nn, pa);
		}
	}
}

/*
 * The notifier is global: it hears the devices of every namespace, also of
 * one that has no nvgre state. ops_init() allocates that state just before
 * nvgre_net_init() and, when either fails, frees it and clears the
 * pointer; then the namespace unwinds, and the exit of the pernet
 * operations before ours unregisters its loopback device. The same holds
 * when an operation before ours fails: ours never ran. In both cases
 * nvgre_pernet() is NULL (6.1 and 6.12 alike), and there is nothing of
 * ours to forget.
 */
static int nvgre_pa_netdev_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nvgre_net *nn;

	if (event != NETDEV_UNREGISTER && event != NETDEV_CHANGEMTU)
		return NOTIFY_DONE;
	nn = nvgre_pernet(dev_net(dev));
	if (!nn)
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_UNREGISTER:
		nvgre_pa_dev_gone(nn, dev);
		/* The multicast memberships on it go as well (mcast.c). */
		nvgre_mcast_dev_gone(nn, dev);
		break;
	case NETDEV_CHANGEMTU:
		/*
		 * Under IPv4's minimum MTU the device loses its in_device
		 * (inetdev_event(), before us in the chain), and with it
		 * the memberships; a larger MTU brings a new, empty one.
		 */
		if (dev->mtu < IPV4_MIN_MTU || !__in_dev_get_rtnl(dev))
			nvgre_mcast_dev_gone(nn, dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block nvgre_pa_notifier = {
	.notifier_call = nvgre_pa_netdev_event,
};

int __init nvgre_pa_notifier_init(void)
{
	return register_netdevice_notifier(&nvgre_pa_notifier);
}

void nvgre_pa_notifier_uninit(void)
{
	unregister_netdevice_notifier(&nvgre_pa_notifier);
}

void nvgre_pa_init(struct nvgre_net *nn)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nn->pas); i++)
		INIT_HLIST_HEAD(&nn->pas[i]);
	nn->npas = 0;
	nn->pas_gen = 0;
}

/* The namespace is going away: no device and no request is left. */
void nvgre_pa_uninit(struct nvgre_net *nn)
{
	struct hlist_node *tmp;
	struct nvgre_pa *pa;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nn->pas); i++)
		hlist_for_each_entry_safe(pa, tmp, &nn->pas[i], hlist)
			nvgre_pa_remove(nn, pa);
}
