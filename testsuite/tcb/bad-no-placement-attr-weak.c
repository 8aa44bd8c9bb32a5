/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-placement-attr */
/* A weak alias replaces a symbol at link time. */
int real_impl(void);
int real_impl(void)
{
	return 1;
}
int frame_hook(void) __attribute__((weak, alias("real_impl")));
