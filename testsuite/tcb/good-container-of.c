/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* container_of and list_entry on a member of the pointer's type (also
 * through a const pointer and a typedef). */
#include <aster/list.h>
#include <aster/types.h>

typedef struct list_node link_t;

struct item { int key; struct list_node link; link_t other; };

struct item *from_link(struct list_node *n);
struct item *from_link(struct list_node *n)
{
	return container_of(n, struct item, link);
}

int key_of(const link_t *n);
int key_of(const link_t *n)
{
	return container_of(n, struct item, other)->key;
}

int sum(struct list_node *head);
int sum(struct list_node *head)
{
	struct item *it;
	int s = 0;

	list_for_each_entry(it, head, link)
		s += it->key;
	return s;
}
