// SPDX-License-Identifier: MPL-2.0
// The machine-independent half of bring-up: report what we found, apply the
// command line, start the clock, and hand over to the kernel.
#include <aster/boot.h>
#include <aster/cmdline.h>
#include <aster/log.h>
#include "../internal.h"
#include "../irq/irq_internal.h"

#define PAGE_SIZE	4096UL
#define LOW_MEMORY	0x100000UL	/* firmware, loader and real-mode data */

extern char __image_start_phys[], __bss_end_phys[];

__noreturn void frame_main(void);

extern int (*const __kernel_init_start[])(void), (*const __kernel_init_end[])(void);

static void run_kernel_inits(void)
{
	for (int (*const *fn)(void) = __kernel_init_start; fn < __kernel_init_end; fn++) {
		int err = (*fn)();

		if (err)
			pr_err("init: kernel init call %d failed: %d\n",
			       (int)(fn - __kernel_init_start), err);
	}
}

/* Bytes of usable RAM that overlap [base, base+len). */
static uint64_t usable_overlap(uint64_t base, uint64_t len)
{
	const struct boot_info *bi = boot_get_info();
	uint64_t sum = 0;

	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct mem_region *r = &bi->mem[i];
		uint64_t lo = MAX(r->base, base), hi = MIN(r->base + r->len, base + len);

		if (r->type == MEM_USABLE && hi > lo)
			sum += hi - lo;
	}
	return sum;
}

static void report_memory(void)
{
	const struct boot_info *bi = boot_get_info();
	uint64_t total = boot_usable_memory();
	uint64_t image = (uint64_t)__bss_end_phys - (uint64_t)__image_start_phys;
	uint64_t reserved = usable_overlap(0, LOW_MEMORY) +
			    usable_overlap((uint64_t)__image_start_phys, image) +
			    usable_overlap(bi->initrd_base, bi->initrd_len);

	printk(LOG_INFO, "Memory: %luK/%luK available (%luK kernel, %luK reserved)\n",
	       (total - reserved) / 1024, total / 1024, image / 1024, reserved / 1024);
}

__noreturn void frame_main(void)
{
	const struct boot_info *bi = boot_get_info();

	boot_params_apply(bi->cmdline);
	frame_alloc_init();
	printk(LOG_NOTICE, "Asterinas %s (x86_64) boot protocol: %s%s%s\n", ASTER_VERSION,
	       bi->protocol, bi->loader_name[0] ? ", loader: " : "", bi->loader_name);
	printk(LOG_NOTICE, "Kernel command line: %s\n", bi->cmdline);
	report_memory();
	if (bi->initrd_len)
		printk(LOG_INFO, "initrd: %luK at 0x%lx\n", bi->initrd_len / 1024, bi->initrd_base);
	platform_devices_init();
	timers_init();
	task_init();
	arch_irq_restore(0x200);	/* interrupts on: the tick and the watchdog run */
	arch_smp_init();
	run_kernel_inits();
	boot_run_test_switch();
	ktest_run_if_requested();
	kernel_main();
}
