/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* Struct pointers that stay what they are: a const view of the same type,
 * the allocator's void *, a byte view for a checksum, unions of plain data,
 * and a member's address instead of a cast to the first member's type. */
#include <aster/heap.h>
#include <aster/types.h>

struct base { int kind; };
struct derived { struct base b; struct derived *next; };
union bits { uint64_t u; uint32_t w[2]; uint8_t b[8]; };

const struct derived *view(struct derived *d);
const struct derived *view(struct derived *d)
{
	return (const struct derived *)d;
}

struct derived *make(void);
struct derived *make(void)
{
	struct derived *d = (struct derived *)kzalloc(sizeof(*d));

	if (d)
		d->b.kind = 1;
	return d;
}

struct base *upcast(struct derived *d);
struct base *upcast(struct derived *d)
{
	return &d->b;
}

uint32_t sum(const struct derived *d, uint64_t v);
uint32_t sum(const struct derived *d, uint64_t v)
{
	const uint8_t *p = (const uint8_t *)d;
	union bits x = { .u = v };
	uint32_t s = x.w[0] ^ x.w[1];

	for (size_t i = 0; i < sizeof(*d); i++)
		s += p[i];
	return s;
}
