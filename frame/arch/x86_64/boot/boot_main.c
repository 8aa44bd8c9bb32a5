// SPDX-License-Identifier: MPL-2.0
// First C code: called by entry.S on the boot stack with the boot protocol
// and the physical address of the loader's information.
#include <aster/log.h>
#include <aster/string.h>
#include "../../../internal.h"
#include "../cpu.h"
#include "../cpu_local.h"
#include "../devices.h"
#include "../user_internal.h"
#include "boot_defs.h"
#include "boot_parse.h"

__noreturn void frame_main(void);
__noreturn void arch_boot_main(uint32_t protocol, uint64_t info_phys);

static void read_boot_info(uint32_t protocol, uint64_t info_phys)
{
	struct boot_info *bi = boot_info_mut();

	if (protocol == BOOT_PROTO_MULTIBOOT2) {
		const uint8_t *mbi = phys_to_virt(info_phys);
		uint32_t size = *(const uint32_t *)mbi;

		bi->protocol = "multiboot2";
		/* A block we cannot reach in the direct map is not parsed. */
		if (info_phys >= DIRECT_MAP_BOOT_SIZE || size > DIRECT_MAP_BOOT_SIZE - info_phys)
			return;
		bi->loader_data_base = info_phys;
		bi->loader_data_len = size;
		mb2_parse(mbi, size, bi, (uint64_t)mbi - info_phys);
		return;
	}
	struct zero_page_info zp;

	bi->protocol = "linux";
	bi->loader_data_base = info_phys;
	bi->loader_data_len = ZERO_PAGE_SIZE;
	zero_page_parse(phys_to_virt(info_phys), bi, &zp);
	if (zp.cmdline_phys && zp.cmdline_phys < DIRECT_MAP_BOOT_SIZE)
		strlcpy(bi->cmdline, phys_to_virt(zp.cmdline_phys), sizeof(bi->cmdline));
}

extern uint64_t boot_pml4[];

/* Drop the identity map the entry code needed, so NULL pointers fault. */
static void unmap_identity(void)
{
	uint64_t *pml4 = phys_to_virt((uint64_t)boot_pml4);

	pml4[0] = 0;
	flush_tlb_local();
}

__noreturn void arch_boot_main(uint32_t protocol, uint64_t info_phys)
{
	/* First: everything may ask which CPU it runs on (the GS base). */
	cpu_local_install(&cpu_locals[0], 0, 0);
	serial_init();
	read_boot_info(protocol, info_phys);
	acpi_save_loader_rsdp();
	unmap_identity();
	cpu_init_tables();
	user_mode_init(true);
	lapic_init();
	tsc_calibrate();
	timer_init();
	frame_main();
}
