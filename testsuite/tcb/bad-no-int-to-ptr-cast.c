/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* The VGA text buffer by its physical address. */
#include <aster/types.h>

void vga_putc(char c);
void vga_putc(char c)
{
	uint16_t *vga = (uint16_t *)0xb8000;
	vga[0] = (uint16_t)(0x0700 | (unsigned char)c);
}
