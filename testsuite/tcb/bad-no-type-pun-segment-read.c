/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Sneaky: segment_read behind a kernel macro, into a local holding a pointer. */
#include <aster/frame.h>

#define LOAD(seg, obj)	segment_read(seg, 0, &(obj), sizeof(obj))

struct ops { int (*open)(void); };

int (*get_open(const struct segment *s))(void);
int (*get_open(const struct segment *s))(void)
{
	struct ops o;

	if (LOAD(s, o))
		return NULL;
	return o.open;
}
