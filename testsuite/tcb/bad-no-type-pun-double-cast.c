/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Sneaky: launder the integer's address through void * in a macro. */
#include <aster/types.h>

#define AS(type, p)	((type)(void *)(p))

struct node { struct node *next; };

struct node *forge(uint64_t *raw);
struct node *forge(uint64_t *raw)
{
	return AS(struct node *, raw)->next;
}
