/* SPDX-License-Identifier: MPL-2.0 */
/* expect: includes */
/* Sneaky: a compiler header that is found (it sits next to stdint.h) but
 * gives direct CPU access. */
#include <cpuid.h>

int nothing(void);
int nothing(void)
{
	return 0;
}
