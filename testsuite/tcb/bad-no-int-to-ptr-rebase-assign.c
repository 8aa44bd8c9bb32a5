/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* Sneaky: the offset is added with += inside a kernel macro. */
#include <aster/types.h>

#define REBASE(p, a)	((p) += (a) - (intptr_t)(p))

char *forge(char *p, intptr_t addr);
char *forge(char *p, intptr_t addr)
{
	REBASE(p, addr);
	return p;
}
