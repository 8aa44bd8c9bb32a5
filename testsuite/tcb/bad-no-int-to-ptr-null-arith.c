/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* Sneaky: NULL is allowed, but NULL plus an integer is a forged address. */
#include <aster/types.h>

char *forge(size_t addr);
char *forge(size_t addr)
{
	return (char *)NULL + addr;
}
