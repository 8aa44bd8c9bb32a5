/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* Dereferencing a user address directly instead of copy_from_user(). */
#include <aster/uaccess.h>

int read_user_int(uaddr_t ua);
int read_user_int(uaddr_t ua)
{
	const int *p = (const int *)(ua + 4);
	return *p;
}
