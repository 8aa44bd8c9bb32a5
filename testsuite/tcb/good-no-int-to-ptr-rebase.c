/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* Pointer-derived integers that stay integers, or are reduced to a small
 * range (a hash bucket, an alignment remainder), may index; pointer
 * differences are ordinary offsets. */
#include <aster/types.h>

struct obj { struct obj *next; int key; };

static struct obj *buckets[64];

struct obj **bucket_of(const struct obj *parent, int key);
struct obj **bucket_of(const struct obj *parent, int key)
{
	uint64_t h = (uint64_t)(uintptr_t)parent;

	h = (h >> 4) ^ (uint64_t)key;
	return &buckets[h % 64];
}

char *align16(char *buf, size_t len);
char *align16(char *buf, size_t len)
{
	size_t pad = (16 - ((uintptr_t)buf & 15)) & 15;

	if (pad >= len)
		return NULL;
	return buf + pad;
}

char *middle(char *start, char *end);
char *middle(char *start, char *end)
{
	size_t half = (size_t)(end - start) / 2;
	bool aligned = ((uintptr_t)start & 7) == 0;

	return start + half + (aligned ? 0 : 1);
}

uint64_t cookie(const struct obj *o);
uint64_t cookie(const struct obj *o)
{
	return (uint64_t)(uintptr_t)o ^ 0x5a5a5a5a;
}
