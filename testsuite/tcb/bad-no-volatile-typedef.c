/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-volatile */
/* Sneaky: the qualifier hides in a typedef; the use site says only reg32_t. */
#include <aster/types.h>
#include "bad-no-volatile-typedef.h"

uint32_t read_status(reg32_t *base);
uint32_t read_status(reg32_t *base)
{
	return base[1];
}
