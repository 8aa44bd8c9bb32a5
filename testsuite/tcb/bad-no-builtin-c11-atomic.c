/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-builtin */
/* C11 _Atomic objects bring their own memory ordering. */
static _Atomic int users;

int add_user(void);
int add_user(void)
{
	return ++users;
}
