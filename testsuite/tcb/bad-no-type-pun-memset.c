/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Filling an object that holds pointers with a non-zero pattern. */
#include <aster/string.h>

struct ops { int (*open)(void); int (*close)(void); };

void poison(struct ops *o);
void poison(struct ops *o)
{
	memset(o, 0x41, sizeof(*o));
}
