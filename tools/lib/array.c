// SPDX-License-Identifier: GPL-2.0
/*
 * array.c: the growing arrays that dumps and configuration files are
 * collected into.
 */

#include <stdint.h>
#include <stdlib.h>

#include "array.h"

/*
 * Room for one more element of @size bytes in @items, which holds @n of
 * *@cap: @items itself while there is room, else @items reallocated to
 * twice the capacity (@first elements the first time), *@cap updated.
 * NULL when out of memory; @items is then still valid and unchanged.
 */
void *array_grow(void *items, size_t *cap, size_t n, size_t size,
		 size_t first)
{
	size_t want;
	void *p;

	if (n < *cap)
		return items;
	want = *cap ? 2 * *cap : first;
	if (want > SIZE_MAX / size)
		return NULL;
	p = realloc(items, want * size);
	if (p)
		*cap = want;
	return p;
}
