/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attributes of the objects of the "nvgre" family that more than one
 * object has: an address that is one of two attributes by its family
 * (NVGRE_A_CA4 or NVGRE_A_CA6, ...).
 */
#ifndef NVGRECTL_OBJ_H
#define NVGRECTL_OBJ_H

#include <netlink/attr.h>
#include <netlink/msg.h>

struct nvgre_ip;

/* ip as attribute a4 or a6 by its family; 0 or -EMSGSIZE. */
int nvgre_put_ip(struct nl_msg *msg, int a4, int a6,
		 const struct nvgre_ip *ip);
/* The address of a4, else of a6 (one of them is given). */
void nvgre_get_ip(struct nlattr *a4, struct nlattr *a6, struct nvgre_ip *ip);

#endif /* NVGRECTL_OBJ_H */
