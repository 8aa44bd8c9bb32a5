// SPDX-License-Identifier: MPL-2.0
// Bulk copies and fills for the memory manager: string instructions move 8
// bytes per step, where the generic byte loops of frame/lib move one (it
// matters for clearing frames and the frame table, under emulation most).
#include "../../../mm/mm_internal.h"

void mm_zero(void *p, size_t n)
{
	size_t words = n / 8, rest = n % 8;

	/*
	 * rep stos advances rdi and counts rcx down ("+D", "+c": the second
	 * statement continues where the first stopped); "memory": it writes
	 * n bytes the compiler cannot see.  DF is clear (the ABI's rule).
	 */
	__asm__ volatile("rep stosq" : "+D"(p), "+c"(words) : "a"(0UL) : "memory");
	__asm__ volatile("rep stosb" : "+D"(p), "+c"(rest) : "a"(0UL) : "memory");
}

void mm_copy(void *dst, const void *src, size_t n)
{
	size_t words = n / 8, rest = n % 8;

	/*
	 * rep movs advances rsi and rdi and counts rcx down ("+S", "+D", "+c");
	 * "memory": it reads and writes n bytes the compiler cannot see.
	 */
	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(rest) : : "memory");
}
