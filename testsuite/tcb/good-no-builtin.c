/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* Builtins that are pure computation are fine. */
#include <aster/types.h>

struct pair { int a; long b; };

int bits(uint64_t x, size_t *off, int y, ...);
int bits(uint64_t x, size_t *off, int y, ...)
{
	va_list ap;
	int r = 0, z;

	va_start(ap, y);
	r += va_arg(ap, int);
	va_end(ap);
	*off = __builtin_offsetof(struct pair, b);
	if (__builtin_expect(x == 0, 0))
		return 64;
	if (__builtin_add_overflow(y, r, &z))
		return -1;
	return __builtin_ctzll(x) + __builtin_popcountll(x) + (__builtin_constant_p(y) ? 1 : 0) + z;
}
