/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-volatile */
/* Sneaky: a volatile cast behind a function-like macro (Linux's WRITE_ONCE). */
#include <aster/types.h>

#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

void set_ready(int *ready);
void set_ready(int *ready)
{
	WRITE_ONCE(*ready, 1);
}
