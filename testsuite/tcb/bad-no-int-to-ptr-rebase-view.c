/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* Sneaky: the pointer's bytes read through a const byte view (allowed for
 * checksums), laundered through void *, then used as an offset. */
#include <aster/types.h>

char *forge(char *buf, uint64_t addr);
char *forge(char *buf, uint64_t addr)
{
	const uint8_t *b = (const void *)&buf;
	uint64_t here = 0;

	for (int i = 0; i < 8; i++)
		here |= (uint64_t)b[i] << (8 * i);
	buf -= here;
	return buf + addr;
}
