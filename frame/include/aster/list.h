/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Intrusive doubly linked lists: a struct list_node is embedded in each
 * element, and container_of (from <aster/types.h>) gets the element back.
 * An empty list is a head that points at itself.
 */
#ifndef ASTER_LIST_H
#define ASTER_LIST_H
#include <aster/types.h>

struct list_node {
	struct list_node *prev, *next;
};

#define LIST_INIT(name)	{ &(name), &(name) }

static inline void list_init(struct list_node *head)
{
	head->prev = head;
	head->next = head;
}

static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

static inline void list_insert_between(struct list_node *n, struct list_node *prev,
				       struct list_node *next)
{
	n->prev = prev;
	n->next = next;
	prev->next = n;
	next->prev = n;
}

static inline void list_add_tail(struct list_node *head, struct list_node *n)
{
	list_insert_between(n, head->prev, head);
}

static inline void list_add_head(struct list_node *head, struct list_node *n)
{
	list_insert_between(n, head, head->next);
}

/* Unlink n; it is left pointing at itself, so a second list_del is harmless. */
static inline void list_del(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_init(n);
}

#define list_entry(node, type, m)	container_of(node, type, m)

/* Iterate over the elements; `pos` is a pointer to the element type. */
#define list_for_each_entry(pos, head, m)					\
	for (pos = list_entry((head)->next, __typeof__(*pos), m);		\
	     &pos->m != (head);							\
	     pos = list_entry(pos->m.next, __typeof__(*pos), m))

/* The same, safe against removing `pos` inside the loop. */
#define list_for_each_entry_safe(pos, tmp, head, m)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), m),		\
	     tmp = list_entry(pos->m.next, __typeof__(*pos), m);		\
	     &pos->m != (head);							\
	     pos = tmp, tmp = list_entry(tmp->m.next, __typeof__(*pos), m))

#endif
