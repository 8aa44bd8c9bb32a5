/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Sneaky: a byte writer's destination parameter is checked at the callers,
 * so it must still be what they passed. */
#include <aster/uaccess.h>

struct node { struct node *next; };

static struct node victim;

int fetch(void *dst, uaddr_t ua, size_t n);
int fetch(void *dst, uaddr_t ua, size_t n)
{
	dst = &victim;
	return copy_from_user(dst, ua, n);
}
