/* SPDX-License-Identifier: MPL-2.0 */
/* expect: includes */
/* Hosted libc does not exist in the kernel. */
#include <stdio.h>

int hello(void);
int hello(void)
{
	return 0;
}
