/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* __builtin_mempcpy (and the other builtin copies) are not frame's memcpy. */
#include <aster/types.h>

struct node { struct node *next; };

struct node *forge(const uint64_t *raw);
struct node *forge(const uint64_t *raw)
{
	struct node n;

	__builtin_mempcpy(&n, raw, sizeof(n));
	return n.next;
}
