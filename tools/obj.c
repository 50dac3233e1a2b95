// SPDX-License-Identifier: GPL-2.0
/*
 * Attributes that more than one object of the "nvgre" family has.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "obj.h"
#include "parse.h"

int nvgre_put_ip(struct nl_msg *msg, int a4, int a6,
		 const struct nvgre_ip *ip)
{
	int ret;

	if (ip->family == AF_INET)
		ret = nla_put(msg, a4, sizeof(ip->v4), &ip->v4);
	else
		ret = nla_put(msg, a6, sizeof(ip->v6), &ip->v6);
	return ret < 0 ? -EMSGSIZE : 0;
}

void nvgre_get_ip(struct nlattr *a4, struct nlattr *a6, struct nvgre_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (a4) {
		ip->family = AF_INET;
		memcpy(&ip->v4, nla_data(a4), sizeof(ip->v4));
	} else {
		ip->family = AF_INET6;
		memcpy(&ip->v6, nla_data(a6), sizeof(ip->v6));
	}
}
