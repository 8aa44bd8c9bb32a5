/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-asm */
/* Sneaky: the asm hides in a kernel macro that looks like a frame helper. */
#define cpu_relax()	asm("pause" ::: "memory")

void spin_a_bit(int n);
void spin_a_bit(int n)
{
	while (n-- > 0)
		cpu_relax();
}
