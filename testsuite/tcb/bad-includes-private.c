/* SPDX-License-Identifier: MPL-2.0 */
/* expect: includes */
/* Sneaky: a relative path into frame's private headers. */
#include "../../frame/internal.h"

int nothing(void);
int nothing(void)
{
	return 0;
}
