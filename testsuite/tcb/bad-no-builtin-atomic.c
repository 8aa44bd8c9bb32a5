/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-builtin */
/* Memory ordering by hand instead of <aster/sync.h>. */
int take_ticket(int *next);
int take_ticket(int *next)
{
	return __atomic_fetch_add(next, 1, __ATOMIC_SEQ_CST);
}
