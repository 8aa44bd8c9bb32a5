/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-placement-attr */
/* Sneaky: a Linux-style __init macro defined in kernel/ itself. */
#define __init	__attribute__((__section__(".init.text")))

int __init early_setup(void);
int __init early_setup(void)
{
	return 0;
}
