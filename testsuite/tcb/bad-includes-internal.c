/* SPDX-License-Identifier: MPL-2.0 */
/* expect: includes */
/* A subsystem's internal.h is for its own folder only. */
#include "process/internal.h"

int nothing(void);
int nothing(void)
{
	return 0;
}
