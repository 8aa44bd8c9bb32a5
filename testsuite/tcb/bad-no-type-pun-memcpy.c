/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* memcpy of integer bytes into a pointer object. */
#include <aster/string.h>
#include <aster/types.h>

void *forge(uint64_t v);
void *forge(uint64_t v)
{
	void *p;
	memcpy(&p, &v, sizeof(p));
	return p;
}
