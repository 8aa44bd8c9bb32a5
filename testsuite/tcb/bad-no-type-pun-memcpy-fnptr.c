/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* memcpy called through a function pointer escapes the call check. */
#include <aster/string.h>
#include <aster/types.h>

typedef void *(*copy_fn)(void *, const void *, size_t);

void *forge(uint64_t v);
void *forge(uint64_t v)
{
	copy_fn copy = memcpy;
	void *p;

	copy(&p, &v, sizeof(p));
	return p;
}
