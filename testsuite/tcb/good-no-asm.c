/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* Ordering and pausing through frame's <aster/sync.h>, whose inline
 * functions hold the asm and the atomics; "asm" in a string is fine. */
#include <aster/sync.h>

static const char *const words[] = { "asm", "__asm__" };

int publish(atomic_t *flag, int *slot, int v);
int publish(atomic_t *flag, int *slot, int v)
{
	*slot = v;
	smp_wmb();
	atomic_set(flag, 1);
	barrier();
	cpu_spin_hint();
	return (int)sizeof(words);
}
