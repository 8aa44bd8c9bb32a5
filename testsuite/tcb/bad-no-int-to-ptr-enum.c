/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* An enumerator is an integer too. */
enum { LAPIC_BASE = 0xfee00000 };

unsigned int *lapic(void);
unsigned int *lapic(void)
{
	return (unsigned int *)LAPIC_BASE;
}
