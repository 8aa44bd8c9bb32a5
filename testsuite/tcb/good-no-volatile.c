/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* Device registers through an opaque frame handle, shared data through
 * atomics: no volatile anywhere ("volatile" in a comment is fine). */
#include <aster/io.h>
#include <aster/sync.h>

static atomic_t ready = ATOMIC_INIT(0);

uint32_t read_status(struct mmio_region *regs);
uint32_t read_status(struct mmio_region *regs)
{
	atomic_set(&ready, 1);
	return mmio_read32(regs, 4);
}
