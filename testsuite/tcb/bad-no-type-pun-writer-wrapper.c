/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* A kernel function with the same shape (void * destination, size_t length)
 * is a byte writer too: its callers are checked, as frame's are. */
#include <aster/uaccess.h>

struct node { struct node *next; };

static int fetch(void *dst, uaddr_t ua, size_t n)
{
	return copy_from_user(dst, ua, n);
}

int get_node(struct node *n, uaddr_t ua);
int get_node(struct node *n, uaddr_t ua)
{
	return fetch(n, ua, sizeof(*n));
}
