/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* The classic: write the integer member, read the pointer member. */
#include <aster/types.h>

union word {
	void *ptr;
	uint64_t bits;
};

void *forge(uint64_t v);
void *forge(uint64_t v)
{
	union word w;
	w.bits = v;
	return w.ptr;
}
