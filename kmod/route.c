// SPDX-License-Identifier: GPL-2.0
/*
 * Distributed routing within a routing domain (Hyper-V network
 * virtualization's model): a VM sends an IP packet for a CA outside its
 * virtual subnet to its gateway MAC; the sending host routes it itself.
 * The destination CA's subnet (subnet.c) names the destination VSID, whose
 * record names the VM's MAC and PA; the frame leaves with that VSID, inner
 * source MAC = the gateway MAC of the routing domain, inner destination
 * MAC = the VM's, TTL or hop limit decremented. A destination VM on this
 * host is reached through the nvgre device of its VSID, without the
 * underlay. Routing never leaves the sender's routing domain: a customer
 * route's VSID was in the domain when the route was added, and a device
 * of that VSID made since in another domain gets none of its frames.
 *
 * On receive, a frame from the gateway MAC stands for a routed packet: its
 * inner source CA must have a record, in the VSID of the subnet holding it
 * in the receiving device's routing domain, that names the outer source PA.
 */

#include <linux/if_ether.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "nvgre.h"

/*
 * The destination CA of the IPv4 or IPv6 packet in @skb, whose Ethernet
 * header is at skb->data, v4-mapped for IPv4; the TTL or hop limit in
 * *@ttl. False for anything else or a malformed header.
 */
bool nvgre_route_parse(struct sk_buff *skb, struct in6_addr *daddr, u8 *ttl)
{
	const struct ipv6hdr *ip6;
	const struct iphdr *ip4;

	switch (eth_hdr(skb)->h_proto) {
	case htons(ETH_P_IP):
		if (!pskb_may_pull(skb, ETH_HLEN + sizeof(*ip4)))
			return false;
		ip4 = (const struct iphdr *)(skb->data + ETH_HLEN);
		if (ip4->version != 4 || ip4->ihl < 5 ||
		    !pskb_may_pull(skb, ETH_HLEN + ip4->ihl * 4))
			return false;
		ip4 = (const struct iphdr *)(skb->data + ETH_HLEN);
		ipv6_addr_set_v4mapped(ip4->daddr, daddr);
		*ttl = ip4->ttl;
		return true;
	case htons(ETH_P_IPV6):
		if (!pskb_may_pull(skb, ETH_HLEN + sizeof(*ip6)))
			return false;
		ip6 = (const struct ipv6hdr *)(skb->data + ETH_HLEN);
		/* Not on the wire (RFC 4291 2.5.5.2), nor an IPv4 CA's. */
		if (ip6->version != 6 || ipv6_addr_v4mapped(&ip6->daddr))
			return false;
		*daddr = ip6->daddr;
		*ttl = ip6->hop_limit;
		return true;
	}
	return false;
}

/* Decrements the TTL or hop limit of the packet after the Ethernet header. */
static int nvgre_route_dec_ttl(struct sk_buff *skb)
{
	int err;

	if (eth_hdr(skb)->h_proto == htons(ETH_P_IP)) {
		err = skb_ensure_writable(skb, ETH_HLEN + sizeof(struct iphdr));
		if (!err)
			ip_decrease_ttl((struct iphdr *)(skb->data + ETH_HLEN));
		return err;
	}
	err = skb_ensure_writable(skb, ETH_HLEN + sizeof(struct ipv6hdr));
	if (!err)
		((struct ipv6hdr *)(skb->data + ETH_HLEN))->hop_limit--;
	return err;
}

/*
 * Delivers the routed @skb to @dst, the device of the destination VSID on
 * this host, as if it had come from the underlay. Consumes @skb.
 */
static void nvgre_route_local(struct nvgre_dev *nv, struct nvgre_dev *dst,
			      struct sk_buff *skb)
{
	unsigned int len = skb->len;

	if (dev_forward_skb(dst->dev, skb) == NET_RX_SUCCESS) {
		dev_sw_netstats_tx_add(nv->dev, 1, len);
		dev_sw_netstats_rx_add(dst->dev, len);
		nvgre_dev_count(nv, NVGRE_CTR_TX_ROUTED_LOCAL);
	} else {
		nvgre_dev_count(dst, NVGRE_CTR_RX_ERRORS);
	}
}

/*
 * Whether @pa (IPv4 v4-mapped) is this host's: a local PA, or without any,
 * a local address.
 */
static bool nvgre_route_pa_is_local(struct nvgre_dev *nv,
				    const struct in6_addr *pa)
{
	struct nvgre_net *nn = nvgre_pernet(nv->net);

	if (READ_ONCE(nn->npas))
		return nvgre_pa_is_local(nn, pa);
	if (ipv6_addr_v4mapped(pa))
		return inet_addr_type(nv->net, nvgre_pa4(pa)) == RTN_LOCAL;
	return ipv6_chk_addr(nv->net, pa, NULL, 0);
}

/*
 * Where a packet for @daddr goes in routing domain @rdid: the longest
 * match among the subnets (on-link in their VSID) and the customer routes
 * (to their next hop, or on-link in their VSID). *@target gets the CA
 * whose record names the VM to send to, *@vsid its VSID, *@route the
 * customer route or NULL (on-link in a subnet); @route may be NULL. Needs
 * RCU.
 */
static bool nvgre_route_resolve(struct nvgre_net *nn, u32 rdid,
				const struct in6_addr *daddr,
				struct in6_addr *target, u32 *vsid,
				const struct nvgre_croute **route)
{
	const struct nvgre_subnet *sn;
	const struct nvgre_croute *r;

	sn = nvgre_subnet_find(nn, rdid, daddr);
	r = nvgre_croute_lookup(nn, rdid, daddr, sn ? sn->plen : -1);
	if (route)
		*route = r;
	if (!r) {
		if (!sn)
			return false;
		*target = *daddr;
		*vsid = sn->vsid;
		return true;
	}
	*target = r->has_nh ? r->nh : *daddr;
	*vsid = r->vsid;
	if (*vsid)
		return true;
	sn = nvgre_subnet_find(nn, rdid, target);
	if (!sn)
		return false;
	*vsid = sn->vsid;
	return true;
}

/**
 * nvgre_route_decide - where a packet a VM sent to the gateway MAC goes
 * @nv: the device of the sending VM's VSID, with a routing domain
 * @daddr: the packet's destination CA, IPv4 v4-mapped
 * @ttl: its TTL or hop limit
 * @v: gets the verdict: NVGRE_GET_ROUTED towards @v->pa with @v->vsid and
 *	the destination MAC @v->mac, NVGRE_GET_ROUTED_LOCAL to @v->dst, or a
 *	drop. The source PA is the caller's (nvgre_xmit_decide_routed()).
 *
 * Looks at no packet and raises no counter. Needs rcu_read_lock().
 */
void nvgre_route_decide(struct nvgre_dev *nv, const struct in6_addr *daddr,
			u8 ttl, struct nvgre_verdict *v)
{
	struct nvgre_net *nn = nvgre_pernet(nv->net);
	const struct nvgre_lookup *rec;
	struct nvgre_dev *dst;
	u32 vsid;

	if (!nvgre_route_resolve(nn, nv->rdid, daddr, &v->target, &vsid,
				 &v->route))
		return nvgre_verdict_drop(v, NVGRE_CTR_TX_NO_SUBNET);
	/*
	 * The VSID of a customer route was checked against the domain when
	 * the route was added; a device made for it later, in another
	 * domain, must not get this domain's frames under its key.
	 */
	dst = nvgre_dev_find(nn, vsid);
	if (dst && dst->rdid != nv->rdid)
		return nvgre_verdict_drop(v, NVGRE_CTR_TX_NO_SUBNET);
	v->vsid = vsid;
	rec = nvgre_lookup_find(nn, vsid, &v->target);
	if (!rec)
		return nvgre_verdict_drop(v, NVGRE_CTR_TX_NO_RECORD);
	v->rec = rec;
	/* A router would answer with ICMP time exceeded; this one counts. */
	if (ttl <= 1)
		return nvgre_verdict_drop(v, NVGRE_CTR_TX_TTL_EXCEEDED);
	ether_addr_copy(v->mac, rec->mac);
	v->pa = rec->pa;
	v->v4 = ipv6_addr_v4mapped(&rec->pa);
	if (!nvgre_route_pa_is_local(nv, &rec->pa)) {
		v->outcome = NVGRE_GET_ROUTED;
		v->ctr = NVGRE_CTR_NONE;
		return;
	}
	if (!dst)
		return nvgre_verdict_drop(v, NVGRE_CTR_TX_NO_SUBNET);
	v->dst = dst;
	v->outcome = NVGRE_GET_ROUTED_LOCAL;
	v->ctr = NVGRE_CTR_TX_ROUTED_LOCAL;
}

/**
 * nvgre_route_xmit - act on the routing verdict of a frame
 * @nv: the device of the sending VM's VSID
 * @skb: the frame, its Ethernet header at skb->data
 * @v: its verdict from nvgre_route_decide(), NVGRE_GET_ROUTED or
 *	NVGRE_GET_ROUTED_LOCAL
 *
 * Rewrites the frame for the destination VM. Returns NVGRE_CTR_NONE when
 * the caller is to encapsulate it as @v says, the drop counter when the
 * caller is to drop it, or NVGRE_CTR_TX_ROUTED_LOCAL when it was consumed
 * (delivered on this host). @v->dst must still be valid: under RCU or
 * RTNL-free BH context of the transmit path.
 */
enum nvgre_ctr nvgre_route_xmit(struct nvgre_dev *nv, struct sk_buff *skb,
				const struct nvgre_verdict *v)
{
	struct ethhdr *eth;

	if (nvgre_route_dec_ttl(skb))
		return NVGRE_CTR_TX_ERRORS;
	eth = eth_hdr(skb);
	ether_addr_copy(eth->h_dest, v->mac);
	nvgre_gateway_mac(nv->rdid, eth->h_source);
	if (v->outcome == NVGRE_GET_ROUTED)
		return NVGRE_CTR_NONE;
	nvgre_route_local(nv, v->dst, skb);
	return NVGRE_CTR_TX_ROUTED_LOCAL;
}

/**
 * nvgre_route_rcv_check - source check of a frame from the gateway MAC
 * @nn: namespace
 * @rdid: routing domain of the receiving device
 * @pa: outer source PA, IPv4 v4-mapped
 * @saddr: the inner source CA, IPv4 v4-mapped
 *
 * Needs rcu_read_lock(). Return: whether a record of the subnet of
 * @saddr in @rdid gives it the PA @pa.
 */
bool nvgre_route_rcv_check(struct nvgre_net *nn, u32 rdid,
			   const struct in6_addr *pa,
			   const struct in6_addr *saddr)
{
	const struct nvgre_subnet *sn;
	const struct nvgre_lookup *rec;

	sn = nvgre_subnet_find(nn, rdid, saddr);
	if (!sn)
		return nvgre_route_rcv_via(nn, rdid, pa, saddr, NULL);
	rec = nvgre_lookup_find(nn, sn->vsid, saddr);
	return rec && ipv6_addr_equal(&rec->pa, pa);
}

/**
 * nvgre_route_rcv_via - source check of a CA outside the domain's subnets
 * @nn: namespace
 * @rdid: routing domain of the receiving device
 * @pa: outer source PA, IPv4 v4-mapped
 * @saddr: the inner source CA, IPv4 v4-mapped, without record
 * @smac: the inner source MAC, or NULL for a routed frame
 *
 * A packet from outside the virtual subnets (a LAN behind a gateway VM)
 * is accepted when it comes from where the domain's route towards its
 * source leads, as a reverse path check: the next hop of that route (or,
 * on-link, @saddr itself) has a record naming @pa, and, for a bridged
 * frame, @smac. Needs rcu_read_lock().
 */
bool nvgre_route_rcv_via(struct nvgre_net *nn, u32 rdid,
			 const struct in6_addr *pa,
			 const struct in6_addr *saddr, const u8 *smac)
{
	const struct nvgre_lookup *rec;
	struct in6_addr target;
	u32 vsid;

	if (!rdid || nvgre_subnet_find(nn, rdid, saddr) ||
	    !nvgre_route_resolve(nn, rdid, saddr, &target, &vsid, NULL))
		return false;
	rec = nvgre_lookup_find(nn, vsid, &target);
	return rec && ipv6_addr_equal(&rec->pa, pa) &&
	       (!smac || ether_addr_equal(rec->mac, smac));
}

/*
 * Customer routes: (RDID, prefix, metric) -> next hop CA and/or VSID.
 *
 * The routes of a namespace sit in one rhltable keyed by (RDID, prefix,
 * length), the routes of one key (different metrics) in its list. Each
 * routing domain with routes has a struct nvgre_rd that marks the prefix
 * lengths in use; a longest-prefix match masks the address to each length
 * in use, longest first, and looks the key up: at most 33 (IPv4) or 129
 * (IPv6) hash lookups, in practice a few, whatever the number of routes.
 * Writers hold RTNL; readers use RCU. Routes are immutable once published.
 *
 * The routes are charged to the memory cgroup of the request that adds
 * them; the rhltable's bucket arrays are not: rhashtable allocates them
 * with GFP_KERNEL, also from its resize worker, and offers no way to
 * account them. nvgre_net.limits.routes bounds them.
 */

static const struct rhashtable_params nvgre_croute_params = {
	.key_len = sizeof(struct nvgre_croute_key),
	.key_offset = offsetof(struct nvgre_croute, key),
	.head_offset = offsetof(struct nvgre_croute, node),
	.automatic_shrinking = true,
};

static struct hlist_head *nvgre_rd_head(struct nvgre_net *nn, u32 rdid)
{
	return &nn->rds[hash_32(rdid, NVGRE_RD_HASH_BITS)];
}

static struct nvgre_rd *nvgre_rd_find(struct nvgre_net *nn, u32 rdid)
{
	struct nvgre_rd *rd;

	hlist_for_each_entry_rcu(rd, nvgre_rd_head(nn, rdid), hlist,
				 lockdep_rtnl_is_held())
		if (rd->rdid == rdid)
			return rd;
	return NULL;
}

/* The best (lowest metric) route of @k; needs rcu_read_lock(). */
static struct nvgre_croute *nvgre_croute_best(struct nvgre_net *nn,
					      const struct nvgre_croute_key *k)
{
	struct nvgre_croute *r, *best = NULL;
	struct rhlist_head *list, *pos;

	list = rhltable_lookup(&nn->croutes, k, nvgre_croute_params);
	rhl_for_each_entry_rcu(r, pos, list, node)
		if (!best || r->metric < best->metric)
			best = r;
	return best;
}

/**
 * nvgre_croute_lookup - longest-prefix match among a domain's routes
 * @nn: namespace
 * @rdid: routing domain
 * @addr: destination, IPv4 v4-mapped
 * @min_plen: only routes longer than this (-1: all)
 *
 * Needs rcu_read_lock(). Return: the route or NULL.
 */
struct nvgre_croute *nvgre_croute_lookup(struct nvgre_net *nn, u32 rdid,
					 const struct in6_addr *addr,
					 int min_plen)
{
	struct nvgre_croute_key k = { .rdid = rdid };
	struct nvgre_croute *r;
	struct nvgre_rd *rd;
	int plen, low;

	rd = nvgre_rd_find(nn, rdid);
	if (!rd)
		return NULL;
	/* IPv4 routes are /96 and longer, and only they match IPv4. */
	low = ipv6_addr_v4mapped(addr) ? 96 : 0;
	for (plen = 128; plen >= low && plen > min_plen; plen--) {
		if (!test_bit(plen, rd->lens))
			continue;
		ipv6_addr_prefix(&k.prefix, addr, plen);
		k.plen = plen;
		r = nvgre_croute_best(nn, &k);
		if (r)
			return r;
	}
	return NULL;
}

static void nvgre_rd_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct nvgre_rd, rcu));
}

/**
 * nvgre_croute_add - add a customer route
 * @nn: namespace
 * @tmpl: key, metric, next hop and VSID, checked by the caller
 * @extack: error messages
 *
 * Under RTNL. Return: the route or an error (-EEXIST: same key and
 * metric; -ENOSPC: the namespace has nvgre_net.limits.routes routes).
 */
struct nvgre_croute *nvgre_croute_add(struct nvgre_net *nn,
				      const struct nvgre_croute *tmpl,
				      struct netlink_ext_ack *extack)
{
	struct nvgre_croute *r, *old;
	struct rhlist_head *list, *pos;
	struct nvgre_rd *rd;
	int err;

	ASSERT_RTNL();
	rcu_read_lock();
	list = rhltable_lookup(&nn->croutes, &tmpl->key, nvgre_croute_params);
	rhl_for_each_entry_rcu(old, pos, list, node)
		if (old->metric == tmpl->metric)
			break;
	rcu_read_unlock();
	if (pos) {
		NL_SET_ERR_MSG(extack,
			       "The routing domain has a route of this prefix and metric");
		return ERR_PTR(-EEXIST);
	}
	if (nn->nroutes >= READ_ONCE(nn->limits.routes)) {
		NL_SET_ERR_MSG(extack,
			       "Route limit of the namespace reached (net.nvgre.max_routes)");
		return ERR_PTR(-ENOSPC);
	}

	rd = nvgre_rd_find(nn, tmpl->key.rdid);
	if (!rd) {
		rd = kzalloc(sizeof(*rd), GFP_KERNEL_ACCOUNT);
		if (!rd)
			return ERR_PTR(-ENOMEM);
		rd->rdid = tmpl->key.rdid;
		hlist_add_head_rcu(&rd->hlist,
				   nvgre_rd_head(nn, tmpl->key.rdid));
	}
	r = kmemdup(tmpl, sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r) {
		err = -ENOMEM;
		goto err_rd;
	}
	nvgre_gen_begin(&nn->routes_gen);
	err = rhltable_insert(&nn->croutes, &r->node, nvgre_croute_params);
	nvgre_gen_end(&nn->routes_gen);
	if (err) {
		kfree(r);
		goto err_rd;
	}
	if (!rd->count[r->key.plen]++)
		set_bit(r->key.plen, rd->lens);
	rd->nroutes++;
	nn->nroutes++;
	return r;

err_rd:
	NL_SET_ERR_MSG(extack, "Cannot store the route");
	if (!rd->nroutes) {
		hlist_del_rcu(&rd->hlist);
		call_rcu(&rd->rcu, nvgre_rd_free_rcu);
	}
	return ERR_PTR(err);
}

/**
 * nvgre_croute_del - delete a customer route
 * @nn: namespace
 * @k: its key
 * @metric: its metric, or -1 for the best route of @k
 * @gone: gets a copy of it
 *
 * Under RTNL. Return: 0 or -ENOENT.
 */
int nvgre_croute_del(struct nvgre_net *nn, const struct nvgre_croute_key *k,
		     s64 metric, struct nvgre_croute *gone)
{
	struct rhlist_head *list, *pos;
	struct nvgre_croute *r = NULL, *it;
	struct nvgre_rd *rd;

	ASSERT_RTNL();
	rcu_read_lock();
	if (metric < 0) {
		r = nvgre_croute_best(nn, k);
	} else {
		list = rhltable_lookup(&nn->croutes, k, nvgre_croute_params);
		rhl_for_each_entry_rcu(it, pos, list, node)
			if (it->metric == metric)
				r = it;
	}
	rcu_read_unlock();
	rd = nvgre_rd_find(nn, k->rdid);
	if (!r || !rd)
		return -ENOENT;
	nvgre_gen_begin(&nn->routes_gen);
	WARN_ON(rhltable_remove(&nn->croutes, &r->node, nvgre_croute_params));
	nvgre_gen_end(&nn->routes_gen);
	nn->nroutes--;
	*gone = *r;
	kfree_rcu(r, rcu);
	if (!--rd->count[k->plen])
		clear_bit(k->plen, rd->lens);
	if (!--rd->nroutes) {
		hlist_del_rcu(&rd->hlist);
		call_rcu(&rd->rcu, nvgre_rd_free_rcu);
	}
	return 0;
}

/* A walk of the routes that may last several calls of nvgre_croute_walk(). */
void nvgre_croute_walk_enter(struct nvgre_net *nn,
			     struct nvgre_croute_cursor *c)
{
	rhltable_walk_enter(&nn->croutes, &c->iter);
	c->pending = false;
	c->restarts = 0;
}

void nvgre_croute_walk_exit(struct nvgre_croute_cursor *c)
{
	rhashtable_walk_exit(&c->iter);
}

/**
 * nvgre_croute_walk - pass the routes to @fn, from where @c stopped
 * @c: the cursor, from nvgre_croute_walk_enter()
 * @fn: called for each route under RCU; a non-zero return stops the walk,
 *	and the next call starts with that route again
 * @arg: passed to @fn
 *
 * Takes neither RTNL nor the table's lock. A resize of the table, which
 * rhashtable's worker may do at any time, makes the walk start over
 * (@c->restarts), which repeats routes; a change of the
 * routes during or between calls may make it miss one or repeat it, which
 * nvgre_net.routes_gen tells.
 *
 * Return: what @fn returned, or 0 at the end.
 */
int nvgre_croute_walk(struct nvgre_croute_cursor *c,
		      int (*fn)(const struct nvgre_croute *r, void *arg),
		      void *arg)
{
	struct nvgre_croute *r;
	int err = 0;

	/*
	 * A resize since the last call (the worker's, after an insert or
	 * removal whose generation the dump may have read) starts over.
	 */
	if (rhashtable_walk_start_check(&c->iter) == -EAGAIN)
		c->restarts++;
	/* The walk of an rhltable returns every route of every list. */
	r = c->pending ? rhashtable_walk_peek(&c->iter) :
			 rhashtable_walk_next(&c->iter);
	for (; r; r = rhashtable_walk_next(&c->iter)) {
		if (IS_ERR(r)) {
			if (PTR_ERR(r) == -EAGAIN)
				c->restarts++;
			continue;
		}
		err = fn(r, arg);
		if (err)
			break;
	}
	c->pending = err;
	rhashtable_walk_stop(&c->iter);
	return err;
}

int nvgre_croute_init(struct nvgre_net *nn)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nn->rds); i++)
		INIT_HLIST_HEAD(&nn->rds[i]);
	nn->nroutes = 0;
	return rhltable_init(&nn->croutes, &nvgre_croute_params);
}

static void nvgre_croute_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* Namespace exit: nothing reads any more. */
void nvgre_croute_uninit(struct nvgre_net *nn)
{
	struct hlist_node *tmp;
	struct nvgre_rd *rd;
	unsigned int i;

	rhltable_free_and_destroy(&nn->croutes, nvgre_croute_free, NULL);
	for (i = 0; i < ARRAY_SIZE(nn->rds); i++)
		hlist_for_each_entry_safe(rd, tmp, &nn->rds[i], hlist) {
			hlist_del(&rd->hlist);
			kfree(rd);
		}
}
