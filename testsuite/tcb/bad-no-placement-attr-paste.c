/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-placement-attr */
/* Sneaky: the attribute name is pasted together in a kernel macro. */
#define PLACE(x)	__attribute__((sec##x(".ktests")))

static int marker PLACE(tion) = 1;

int get_marker(void);
int get_marker(void)
{
	return marker;
}
