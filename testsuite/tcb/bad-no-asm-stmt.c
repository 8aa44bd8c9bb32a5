/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-asm */
/* A plain asm statement in a function. */
void halt_forever(void);
void halt_forever(void)
{
	for (;;)
		__asm__("hlt");
}
