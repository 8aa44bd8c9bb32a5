/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Sneaky: through list_entry, on a member that is a pointer, not a node. */
#include <aster/list.h>
#include <aster/types.h>

struct item { struct item *self; struct list_node link; };

struct item *first(struct list_node *head);
struct item *first(struct list_node *head)
{
	return list_entry(head->next, struct item, self);
}
