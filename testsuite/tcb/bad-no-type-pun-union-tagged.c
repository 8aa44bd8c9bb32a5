/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Sneaky: a "tagged" union whose variants put a pointer where the other
 * variant keeps a number, one level down in anonymous structs. */
#include <aster/types.h>

struct value {
	int tag;
	union {
		struct { uint32_t lo, hi; } num;
		struct { const char *s; } str;
	};
};

int value_tag(const struct value *v);
int value_tag(const struct value *v)
{
	return v->tag;
}
