/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnvgre: growing arrays (dumps, configuration files) and ARRAY_SIZE.
 */
#ifndef NVGRECTL_ARRAY_H
#define NVGRECTL_ARRAY_H

#include <stddef.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

void *array_grow(void *items, size_t *cap, size_t n, size_t size,
		 size_t first);

#endif
