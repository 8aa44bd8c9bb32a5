/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-hw-access */
/* Sneaky: the accessor's name is pasted together from parts. */
#include <aster/types.h>

#define XLATE(dir)	dir##_to_virt
void *phys_to_virt(uint64_t pa);

void *window(uint64_t pa);
void *window(uint64_t pa)
{
	return XLATE(phys)(pa);
}
