/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* Ports and MMIO through frame's claimed regions. */
#include <aster/io.h>

int kbd_status(void);
int kbd_status(void)
{
	struct io_port_region *kbd;
	int r = io_port_claim(0x60, 5, &kbd);

	if (r)
		return r;
	r = io_read8(kbd, 4);
	io_port_release(kbd);
	return r;
}
