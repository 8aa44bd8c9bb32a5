/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* A void * variable hides what copy_from_user writes into. */
#include <aster/uaccess.h>

struct node { struct node *next; };

int get_node(struct node *n, uaddr_t ua);
int get_node(struct node *n, uaddr_t ua)
{
	void *dst = n;

	return copy_from_user(dst, ua, sizeof(*n));
}
