/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-asm */
/* A register variable bound to %rsp reads (and could write) the stack pointer. */
#include <aster/types.h>

uint64_t current_sp(void);
uint64_t current_sp(void)
{
	register uint64_t sp __asm__("rsp");
	return sp;
}
