/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Reading an integer object through a pointer-to-pointer. */
#include <aster/types.h>

void *forge(uint64_t v);
void *forge(uint64_t v)
{
	return *(void **)&v;
}
