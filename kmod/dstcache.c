// SPDX-License-Identifier: GPL-2.0
/*
 * Routes to PAs, cached per device and CPU. The route of a frame depends
 * on its flow only through the outer addresses, the mark, the GRE key
 * (VSID and FlowID, which multipath routes hash as the ports) and, over
 * IPv6, the flow label: struct nvgre_dst_key. A few slots per CPU, picked
 * by a hash of the key and compared on all of it, keep the routes last
 * found, so that the frames of a flow after its first skip the FIB lookup
 * (ip_route_output_key(), ip6_dst_lookup_flow()) as a gretap device's
 * dst_cache lets its one tunnel do.
 *
 * A slot holds a reference on its route. dst_check() refuses a route that
 * a change of the FIB, a PMTU exception or an IPsec policy made obsolete;
 * the slot is then emptied and the caller looks the route up again. The
 * unregistration of an underlay device moves the routes through it to the
 * blackhole device, so a slot never pins a device.
 *
 * Each CPU's slots are used with BH disabled (the transmit path), which
 * keeps other users of that CPU out: no lock.
 */

#include <linux/hash.h>
#include <linux/percpu.h>
#include <net/dst.h>

#include "nvgre.h"

int nvgre_dst_cache_init(struct nvgre_dev *nv)
{
	nv->dst_cache = alloc_percpu_gfp(struct nvgre_dst_cache,
					 GFP_KERNEL_ACCOUNT);
	return nv->dst_cache ? 0 : -ENOMEM;
}

/* Once nothing transmits on the device any more (ndo_uninit). */
void nvgre_dst_cache_destroy(struct nvgre_dev *nv)
{
	int cpu, i;

	for_each_possible_cpu(cpu) {
		struct nvgre_dst_cache *c = per_cpu_ptr(nv->dst_cache, cpu);

		for (i = 0; i < ARRAY_SIZE(c->slot); i++)
			dst_release(c->slot[i].dst);
	}
	free_percpu(nv->dst_cache);
}

static struct nvgre_dst_slot *nvgre_dst_slot(struct nvgre_dev *nv,
					     const struct nvgre_dst_key *k)
{
	u32 h = (__force u32)(k->daddr.s6_addr32[3] ^ k->key ^ k->flowlabel);

	lockdep_assert_in_softirq();
	return &this_cpu_ptr(nv->dst_cache)->slot[hash_32(h, NVGRE_DST_BITS)];
}

static bool nvgre_dst_key_equal(const struct nvgre_dst_key *a,
				const struct nvgre_dst_key *b)
{
	return ipv6_addr_equal(&a->daddr, &b->daddr) &&
	       ipv6_addr_equal(&a->saddr, &b->saddr) && a->key == b->key &&
	       a->flowlabel == b->flowlabel && a->mark == b->mark;
}

/**
 * nvgre_dst_cache_get - the cached route of a flow
 * @nv: the device
 * @k: the flow
 * @saddr: set to the source the route chose, IPv4 v4-mapped
 *
 * Returns the route with a reference for the caller, or NULL when none is
 * cached or the cached one is obsolete. Needs BH disabled.
 */
struct dst_entry *nvgre_dst_cache_get(struct nvgre_dev *nv,
				      const struct nvgre_dst_key *k,
				      struct in6_addr *saddr)
{
	struct nvgre_dst_slot *s = nvgre_dst_slot(nv, k);
	struct dst_entry *dst = s->dst;

	if (!dst || !nvgre_dst_key_equal(&s->k, k))
		return NULL;
	if (!dst_check(dst, s->cookie)) {
		s->dst = NULL;
		dst_release(dst);
		return NULL;
	}
	dst_hold(dst);
	*saddr = s->rsaddr;
	return dst;
}

/**
 * nvgre_dst_cache_set - cache the route of a flow
 * @nv: the device
 * @k: the flow
 * @dst: the route found for it, which the slot takes a reference on
 * @cookie: the IPv6 route's cookie (rt6_get_cookie()), 0 over IPv4
 * @saddr: the source the route chose, IPv4 v4-mapped
 *
 * Replaces the route the slot of @k held, if any. Needs BH disabled.
 */
void nvgre_dst_cache_set(struct nvgre_dev *nv, const struct nvgre_dst_key *k,
			 struct dst_entry *dst, u32 cookie,
			 const struct in6_addr *saddr)
{
	struct nvgre_dst_slot *s = nvgre_dst_slot(nv, k);

	dst_release(s->dst);
	dst_hold(dst);
	s->dst = dst;
	s->k = *k;
	s->cookie = cookie;
	s->rsaddr = *saddr;
}
