/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* The fortified builtin copies as memcpy does, past the memcpy check. */
#include <aster/types.h>

void *forge(uint64_t v);
void *forge(uint64_t v)
{
	void *p;

	__builtin___memcpy_chk(&p, &v, sizeof(p), sizeof(p));
	return p;
}
