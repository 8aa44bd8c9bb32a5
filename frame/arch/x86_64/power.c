// SPDX-License-Identifier: MPL-2.0
// Power off, reset, halt, and QEMU's isa-debug-exit.
#include <aster/power.h>
#include "cpu.h"

#define DEBUG_EXIT_PORT	0xf4	/* QEMU -device isa-debug-exit,iobase=0xf4 */
#define ACPI_PM1A_CNT	0x604	/* QEMU's PIIX4 and ICH9 PM blocks */
#define ACPI_SLP_EN	(1 << 13)
#define ACPI_SLP_TYP_S5	(0 << 10)

void machine_debug_exit(bool success)
{
	/* QEMU exits with (value << 1) | 1: 33 for success, 35 for failure. */
	outl(DEBUG_EXIT_PORT, success ? 0x10 : 0x11);
}

__noreturn void machine_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

__noreturn void machine_poweroff(void)
{
	irq_disable();
	machine_debug_exit(true);
	/*
	 * ACPI S5 on QEMU's chipsets.  A later ACPI (FADT) parser replaces
	 * this fixed port; until then, halt if it had no effect.
	 */
	outw(ACPI_PM1A_CNT, ACPI_SLP_TYP_S5 | ACPI_SLP_EN);
	machine_halt();
}

__noreturn void machine_restart(void)
{
	static const struct { uint16_t limit; uint64_t base; } __attribute__((packed)) no_idt;

	irq_disable();
	/* Pulse the reset line through the keyboard controller... */
	for (int i = 0; i < 10000 && (inb(0x64) & 0x02); i++)
		cpu_relax();
	outb(0x64, 0xfe);
	/* ...then the PCI reset control register... */
	outb(0xcf9, 0x06);
	/* ...then a triple fault: no IDT and an exception. */
	__asm__ volatile("lidt %0; int3" : : "m"(no_idt));
	machine_halt();
}
