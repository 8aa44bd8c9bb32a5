/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-vla */
/* alloca: the same unbounded stack use without the array syntax. */
#include <aster/types.h>

#define stack_buf(n)	__builtin_alloca(n)

int use(size_t n);
int use(size_t n)
{
	char *p = stack_buf(n);
	p[0] = 0;
	return p[0];
}
