/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Page contents read into an array of structures whose nested member holds
 * a pointer (recursively through an array and a struct). */
#include <aster/frame.h>

struct inner { int tag; void (*fn)(void); };
struct outer { uint32_t n; struct inner slots[2]; };

int load(const struct frame *f, struct outer table[4]);
int load(const struct frame *f, struct outer table[4])
{
	return frame_read(f, 0, table, 4 * sizeof(table[0]));
}
