/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* What stays allowed: unions of plain data, a tag with separate pointer
 * fields (a union with a pointer member is rejected), typed copies,
 * zeroing, const byte views, and void * from the allocator. */
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/types.h>

struct node { struct node *next; int v; };

union raw { uint64_t u; uint8_t b[8]; double d; };
struct tagged {
	int tag;
	struct { struct node *n; int extra; } a;
	struct { const char *s; } b;
	union { uint32_t w[2]; uint64_t q; } bits;
};

uint32_t checksum(const struct node *n);
uint32_t checksum(const struct node *n)
{
	const uint8_t *p = (const uint8_t *)n;
	uint32_t sum = 0;
	for (size_t i = 0; i < sizeof(*n); i++)
		sum += p[i];
	return sum;
}

struct node *clone(const struct node *src);
struct node *clone(const struct node *src)
{
	struct node *n = (struct node *)kmalloc(sizeof(*n));
	struct node tmp;
	uint8_t buf[16];
	union raw r;

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	memcpy(n, src, sizeof(*n));
	tmp = *n;
	memcpy(buf, &tmp, sizeof(buf) < sizeof(tmp) ? sizeof(buf) : sizeof(tmp));
	r.u = buf[0];
	n->v += (int)r.b[0];
	return n;
}
