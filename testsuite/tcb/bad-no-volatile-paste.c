/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-volatile */
/* Sneaky: the keyword is pasted together; only the AST sees the qualifier. */
#define CAT(a, b)	a##b
#define SHARED		CAT(vola, tile)

static SHARED int counter;

int bump(void);
int bump(void)
{
	return ++counter;
}
