/* SPDX-License-Identifier: MPL-2.0 */
/* expect: escape-hatch */
/* A stale escape (the code it excused is gone) is an error, so the count
 * in make tcb-report stays honest. */
static int flag; /* tcb-escape(no-volatile): atomic_read() */

int get_flag(void);
int get_flag(void)
{
	return flag;
}
