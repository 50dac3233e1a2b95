// SPDX-License-Identifier: GPL-2.0
/*
 * Miss reports: a frame dropped for want of a record is reported on the
 * "misses" multicast group, so that the host's management agent can
 * provision the record on demand (as vxlan's l2miss/l3miss allow) or
 * notice a stale one after a VM move (Hyper-V's "policy mismatch").
 *
 * Reports are built only while someone listens to the group, and at most
 * nvgre_miss_rate per second per device; as a device serves one VSID,
 * that is per VSID and device. The others are counted as suppressed.
 * Nothing is allocated on the datapath while nobody listens.
 */

#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <net/ipv6.h>

#include "nvgre.h"

/* Read locklessly by the datapath, written through sysfs. */
static unsigned int nvgre_miss_rate = 10;
module_param_named(miss_rate, nvgre_miss_rate, uint, 0644);
MODULE_PARM_DESC(miss_rate,
		 "Miss reports per second per device at most (default 10, 0: none)");

/*
 * At most miss_rate reports in each window of one second: the window is
 * the interval of the ratelimit_state, miss_rate its burst, which
 * nvgre_miss_allow() brings up to date at each report. A window ends
 * silently; nothing calls ratelimit_state_exit(), so the kernel log
 * never hears of the suppressed reports, which miss_suppressed counts.
 */
void nvgre_miss_init(struct nvgre_dev *nv)
{
	ratelimit_state_init(&nv->miss_limit, HZ, READ_ONCE(nvgre_miss_rate));
	ratelimit_set_flags(&nv->miss_limit, RATELIMIT_MSG_ON_RELEASE);
}

/*
 * Takes a report from the budget of the current window of @rs.
 * __ratelimit() takes its raw lock with interrupts disabled, so it is
 * safe in any context; a report that finds the lock contended is
 * suppressed. @rs->burst is written without that lock, as a single int
 * that __ratelimit() reads afresh on each call.
 */
static bool nvgre_miss_allow(struct ratelimit_state *rs)
{
	int rate = min_t(unsigned int, READ_ONCE(nvgre_miss_rate), INT_MAX);

	if (READ_ONCE(rs->burst) != rate)
		WRITE_ONCE(rs->burst, rate);
	return __ratelimit(rs);
}

/**
 * nvgre_miss_report - report a frame @nv dropped for want of a record
 * @nv: the device
 * @m: what was missing; pointers in it need only live for this call
 *
 * Called from the datapath with BH disabled.
 */
void nvgre_miss_report(struct nvgre_dev *nv, const struct nvgre_miss *m)
{
	if (!nvgre_nl_miss_listeners(nv->net))
		return;
	if (!nvgre_miss_allow(&nv->miss_limit)) {
		nvgre_dev_count(nv, NVGRE_CTR_MISS_SUPPRESSED);
		return;
	}
	if (!nvgre_nl_notify_miss(nv, m))
		nvgre_dev_count(nv, NVGRE_CTR_MISS_EVENTS);
}

/* A MAC without record, sent to by a VM. */
void nvgre_miss_mac(struct nvgre_dev *nv, u8 reason, const u8 *mac)
{
	struct nvgre_miss m = {
		.reason = reason,
		.mac = mac,
	};

	nvgre_miss_report(nv, &m);
}

/* An IPv4 CA without record, asked for by a VM. */
void nvgre_miss_ca4(struct nvgre_dev *nv, u8 reason, __be32 ca)
{
	struct nvgre_miss m = {
		.reason = reason,
		.has_ca = true,
	};

	ipv6_addr_set_v4mapped(ca, &m.ca);
	nvgre_miss_report(nv, &m);
}

/* An IPv6 CA without record, asked for by a VM. */
void nvgre_miss_ca6(struct nvgre_dev *nv, u8 reason,
		    const struct in6_addr *ca)
{
	struct nvgre_miss m = {
		.reason = reason,
		.has_ca = true,
		.ca = *ca,
	};

	nvgre_miss_report(nv, &m);
}
