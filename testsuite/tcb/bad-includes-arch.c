/* SPDX-License-Identifier: MPL-2.0 */
/* expect: includes */
/* frame/arch/ is private: not on the kernel's include path either. */
#include <arch/x86_64/cpu.h>

int nothing(void);
int nothing(void)
{
	return 0;
}
