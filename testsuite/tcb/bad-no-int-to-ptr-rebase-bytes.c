/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* Sneaky: the pointer's address taken with memcpy, not a cast. */
#include <aster/string.h>
#include <aster/types.h>

char *forge(char *buf, uint64_t addr);
char *forge(char *buf, uint64_t addr)
{
	uint64_t here;

	memcpy(&here, &buf, sizeof(here));
	return buf + (addr - here);
}
