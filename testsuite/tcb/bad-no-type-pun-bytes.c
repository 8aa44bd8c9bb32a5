/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* A writable byte view of an object holding pointers. */
#include <aster/types.h>

struct node { struct node *next; int v; };

void scribble(struct node *n, uint8_t b);
void scribble(struct node *n, uint8_t b)
{
	uint8_t *raw = (uint8_t *)n;
	raw[0] = b;
}
