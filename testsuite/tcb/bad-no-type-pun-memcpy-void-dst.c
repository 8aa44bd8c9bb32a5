/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* memcpy into a void * variable: the checker cannot see what it points to. */
#include <aster/string.h>
#include <aster/types.h>

struct node { struct node *next; };

struct node *forge(struct node *n, const uint64_t *raw);
struct node *forge(struct node *n, const uint64_t *raw)
{
	void *dst = n;

	memcpy(dst, raw, sizeof(*n));
	return n->next;
}
