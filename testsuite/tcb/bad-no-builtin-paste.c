/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-builtin */
/* Sneaky: the builtin's name is pasted together. */
#define BUILTIN(x)	__builtin_##x

void *who_called(void);
void *who_called(void)
{
	return BUILTIN(return_address)(0);
}
