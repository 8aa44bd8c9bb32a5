/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* A scratch byte buffer left unzeroed through frame's macro. */
#include <aster/types.h>

int fill(char (*buf)[64]);

int use_scratch(void);
int use_scratch(void)
{
	NOINIT_BYTES(scratch, 64);

	return fill(&scratch);
}
