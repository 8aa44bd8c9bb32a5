/* SPDX-License-Identifier: MPL-2.0 */
/*
 * What the boot loader told us, whichever protocol it used (Linux boot
 * protocol or multiboot2), in one shape.
 */
#ifndef ASTER_BOOT_H
#define ASTER_BOOT_H

#include <aster/types.h>

enum mem_region_type {
	MEM_USABLE = 1,
	MEM_RESERVED = 2,
	MEM_ACPI_RECLAIM = 3,
	MEM_ACPI_NVS = 4,
	MEM_BAD = 5,
};

struct mem_region {
	uint64_t base;
	uint64_t len;
	enum mem_region_type type;
};

#define BOOT_MAX_MEM_REGIONS	128

struct boot_info {
	const char *protocol;		/* "linux" or "multiboot2" */
	const char *loader_name;	/* may be "" */
	char cmdline[4096];
	struct mem_region mem[BOOT_MAX_MEM_REGIONS];
	unsigned int nr_mem;
	uint64_t initrd_base;		/* physical; 0 when there is none */
	uint64_t initrd_len;
	uint64_t rsdp_phys;		/* ACPI RSDP if the loader passed one */
	uint64_t loader_data_base;	/* the loader's information block, kept */
	uint64_t loader_data_len;
};

const struct boot_info *boot_get_info(void);

/*
 * The initramfs the loader passed, read-only, or NULL (and *len 0) when
 * there is none.  It stays mapped until boot_initrd_release().
 */
const uint8_t *boot_initrd(size_t *len);
/* Give the initramfs memory back to the frame allocator (after unpacking). */
void boot_initrd_release(void);

/* Sum of the usable RAM the loader reported, in bytes. */
uint64_t boot_usable_memory(void);

/*
 * Run fn() once at boot, after frame is up (tasks, interrupts) and before
 * ktests and kernel_main: for kernel/ subsystems that ktests rely on, such
 * as the scheduling policy.  fn returns 0 or a negative errno (logged).
 */
#define KERNEL_INIT(fn)	__KERNEL_INIT(fn, __LINE__)
#define __KERNEL_INIT(fn, line)	___KERNEL_INIT(fn, line)
#define ___KERNEL_INIT(fn, line)					\
	static int (*const __kernel_init_##line)(void)			\
	__attribute__((used, section(".kernel_init"), aligned(8))) = (fn)

/*
 * The kernel's main function, called once frame is up, in the boot task
 * (it may block, sleep and run user code).  It is the one symbol frame needs
 * from the kernel built on it: kernel/, or an example such as
 * examples/hello-kernel (doc/hello-kernel.md).
 */
__noreturn void kernel_main(void);

#endif
