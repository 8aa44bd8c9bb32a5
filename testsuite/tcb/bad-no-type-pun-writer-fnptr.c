/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* A byte writer called through a function pointer: judged by the
 * pointer's prototype (void * destination, then a size_t). */
#include <aster/types.h>

struct source { int (*read)(void *dst, size_t n); };
struct node { struct node *next; };

int fill(const struct source *src, struct node *n);
int fill(const struct source *src, struct node *n)
{
	return src->read(n, sizeof(*n));
}
