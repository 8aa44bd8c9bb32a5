/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-placement-attr */
/* A pragma makes the symbol weak without any attribute. */
int overridable(void);
#pragma weak overridable
int overridable(void)
{
	return 0;
}
