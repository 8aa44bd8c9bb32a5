/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* Sneaky: both sides are typedefs, nothing says "pointer" or "integer". */
#include <aster/types.h>

typedef unsigned long word_t;
typedef char *cursor_t;

cursor_t at(word_t w);
cursor_t at(word_t w)
{
	return (cursor_t)w;
}
