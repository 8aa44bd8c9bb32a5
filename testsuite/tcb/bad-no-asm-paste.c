/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-asm */
/* Sneaky: the keyword is built by token pasting, so no "asm" token appears. */
#define GLUE(a, b)	a##b
#define EMIT(text)	GLUE(__a, sm__)(text)

void poke(void);
void poke(void)
{
	EMIT("cli");
}
