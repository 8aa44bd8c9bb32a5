/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Sneaky: an anonymous union in a struct, the pointer in a nested array. */
#include <aster/types.h>

struct node { int v; };

struct tagged {
	int tag;
	union {
		struct { struct node *slot[2]; } many;
		struct { void (*cb)(void); } one;
	};
};

int tag_of(const struct tagged *t);
int tag_of(const struct tagged *t)
{
	return t->tag;
}
