/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* Rebasing through a variable, a field, a helper and an index. */
#include <aster/types.h>

struct cookie { uint64_t delta; };

static uint64_t addr_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static uint64_t distance(const char *from, uint64_t to)
{
	uint64_t d = to;

	d -= addr_of(from);
	return d;
}

char *forge(char *buf, uint64_t addr);
char *forge(char *buf, uint64_t addr)
{
	struct cookie c;

	c.delta = distance(buf, addr);
	return &buf[c.delta];
}
