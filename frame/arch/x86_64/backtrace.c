// SPDX-License-Identifier: MPL-2.0
// Stack backtraces by frame pointer (the kernel keeps %rbp as a frame link).
#include <aster/log.h>
#include "../../internal.h"
#include "../../mm/mm_internal.h"
#include "cpu.h"
#include "trap_frame.h"

#define MAX_DEPTH	32

/* A frame link may be followed only if it points into the kernel's memory. */
static bool frame_pointer_ok(uint64_t rbp)
{
	if (rbp & 7)
		return false;
	if (rbp >= KERNEL_VMA_BASE && rbp + 16 <= (uint64_t)__bss_end)
		return true;
	if (kva_contains(rbp, 16))	/* task stacks */
		return true;
	return rbp >= DIRECT_MAP_BASE && rbp + 16 <= DIRECT_MAP_BASE + DIRECT_MAP_BOOT_SIZE;
}

static void print_entry(uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		printk(LOG_EMERG, " [<%016lx>] %s+0x%lx\n", addr, name, off);
	else
		printk(LOG_EMERG, " [<%016lx>] ?\n", addr);
}

void arch_backtrace(const struct trap_frame *tf)
{
	uint64_t rbp = tf ? tf->rbp : read_rbp();

	printk(LOG_EMERG, "Call trace:\n");
	if (tf)
		print_entry(tf->rip);
	for (int depth = 0; depth < MAX_DEPTH && rbp && frame_pointer_ok(rbp); depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1];

		if (ret < KERNEL_VMA_BASE)
			break;
		/* Return addresses point after the call; name the call itself. */
		print_entry(ret - 1);
		if (frame[0] <= rbp)	/* stacks grow down: links must go up */
			break;
		rbp = frame[0];
	}
}
