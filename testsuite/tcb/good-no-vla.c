/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* Sizes known at compile time, from constants, enums and sizeof. */
#include <aster/types.h>

enum { LINE_MAX = 128 };
#define SLOTS 8

struct line { char text[LINE_MAX]; };

int fill(int n);
int fill(int n)
{
	char buf[LINE_MAX];
	int slots[SLOTS];
	struct line lines[2];

	buf[0] = (char)n;
	slots[0] = buf[0];
	lines[0].text[0] = 'a';
	return slots[0] + (int)ARRAY_SIZE(slots) + (int)sizeof(lines);
}
