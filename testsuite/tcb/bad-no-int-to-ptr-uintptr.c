/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* Round-tripping through uintptr_t: the integer could be anything. */
#include <aster/types.h>

struct node { struct node *next; int v; };

struct node *from_cookie(uintptr_t cookie);
struct node *from_cookie(uintptr_t cookie)
{
	return (struct node *)(cookie ^ 0x5a5a);
}
