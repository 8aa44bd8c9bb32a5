/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* container_of on a member of another type: a list node taken for a timer. */
#include <aster/list.h>
#include <aster/types.h>

struct timer { uint64_t when; struct list_node node; };
struct waiter { struct waiter *next; uint64_t token; };

struct waiter *owner(struct list_node *n);
struct waiter *owner(struct list_node *n)
{
	return container_of(n, struct waiter, token);
}
