/* SPDX-License-Identifier: MPL-2.0 */
/* expect: escape-hatch */
/* An escape must say which frame API would make it unnecessary. */
static volatile int flag; /* tcb-escape(no-volatile) */

int get_flag(void);
int get_flag(void)
{
	return flag;
}
