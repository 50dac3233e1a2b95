// SPDX-License-Identifier: GPL-2.0
/*
 * The limits of a namespace: how many records, subnets, customer routes
 * and PAs requests may create in it, as the sysctls net.nvgre.max_records,
 * max_subnets, max_routes and max_pas of the namespace.
 *
 * Any user may own a network namespace (unshare -Urn) and program it, so
 * the limits are the host's, not the tenant's: a new namespace starts with
 * the values of the initial namespace, and only a writer with CAP_NET_ADMIN
 * in the initial user namespace may change them, in any namespace. The
 * root of a user namespace reads its limits and cannot raise them. A
 * request over a limit fails with -ENOSPC and an extack message naming the
 * sysctl; lowering a limit below the objects a namespace has deletes none.
 *
 * What a request creates is also charged to the memory cgroup of the
 * requester (GFP_KERNEL_ACCOUNT, SLAB_ACCOUNT): see docs/design.md for
 * what is charged and what is not.
 */

#include <linux/capability.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "nvgre.h"

/* Enough for a million VMs with an IPv4 and an IPv6 CA each, twice. */
#define NVGRE_DEFAULT_MAX_RECORDS	4194304
#define NVGRE_DEFAULT_MAX_SUBNETS	262144
#define NVGRE_DEFAULT_MAX_ROUTES	262144
#define NVGRE_DEFAULT_MAX_PAS		4096

/* proc_douintvec() for the host's administrator only. */
static int nvgre_limit_handler(compat_ctl_table *table, int write,
			       void *buffer, size_t *lenp, loff_t *ppos)
{
	if (write && !capable(CAP_NET_ADMIN))
		return -EPERM;
	return proc_douintvec(table, write, buffer, lenp, ppos);
}

#define NVGRE_LIMIT(name) {						\
	.procname	= #name,					\
	.maxlen		= sizeof(unsigned int),				\
	.mode		= 0644,						\
	.proc_handler	= nvgre_limit_handler,				\
}

/* The fields of struct nvgre_limits, in order; then one empty entry. */
static const struct ctl_table nvgre_limits_table[] = {
	NVGRE_LIMIT(max_records),
	NVGRE_LIMIT(max_subnets),
	NVGRE_LIMIT(max_routes),
	NVGRE_LIMIT(max_pas),
	{ }
};

/**
 * nvgre_limits_init - the limits of a new namespace and their sysctls
 * @net: the namespace
 * @nn: its state
 *
 * The initial namespace gets the defaults, every other one the initial
 * namespace's values at the time.
 *
 * Return: 0 or -ENOMEM.
 */
int nvgre_limits_init(struct net *net, struct nvgre_net *nn)
{
	struct ctl_table *table;

	if (net_eq(net, &init_net))
		nn->limits = (struct nvgre_limits) {
			.records = NVGRE_DEFAULT_MAX_RECORDS,
			.subnets = NVGRE_DEFAULT_MAX_SUBNETS,
			.routes = NVGRE_DEFAULT_MAX_ROUTES,
			.pas = NVGRE_DEFAULT_MAX_PAS,
		};
	else
		nn->limits = nvgre_pernet(&init_net)->limits;

	table = kmemdup(nvgre_limits_table, sizeof(nvgre_limits_table),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	table[0].data = &nn->limits.records;
	table[1].data = &nn->limits.subnets;
	table[2].data = &nn->limits.routes;
	table[3].data = &nn->limits.pas;
	nn->sysctl = compat_register_net_sysctl(net, "net/nvgre", table,
						ARRAY_SIZE(nvgre_limits_table) - 1);
	if (!nn->sysctl) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

/* Namespace exit, or the unwinding of its init. */
void nvgre_limits_uninit(struct nvgre_net *nn)
{
	const struct ctl_table *table = nn->sysctl->ctl_table_arg;

	unregister_net_sysctl_table(nn->sysctl);
	kfree(table);
}
