/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-asm */
/* An asm label renames the symbol: this "helper" is really frame's private entry. */
void kernel_helper(void) __asm__("arch_boot_main");

void call_it(void);
void call_it(void)
{
	kernel_helper();
}
