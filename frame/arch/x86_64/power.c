// SPDX-License-Identifier: MPL-2.0
// Power off, reset, halt, and QEMU's isa-debug-exit.
#include <aster/log.h>
#include <aster/power.h>
#include "../../internal.h"
#include "acpi_internal.h"
#include "cpu.h"

#define DEBUG_EXIT_PORT		0xf4	/* QEMU -device isa-debug-exit,iobase=0xf4 */
#define ACPI_SCI_EN		(1 << 0)
#define ACPI_SLP_TYP_SHIFT	10
#define ACPI_SLP_TYP_MASK	(7 << ACPI_SLP_TYP_SHIFT)
#define ACPI_SLP_EN		(1 << 13)
#define ACPI_ENABLE_WAIT_MS	300

void machine_debug_exit(bool success)
{
	/* QEMU exits with (value << 1) | 1: 33 for success, 35 for failure. */
	outl(DEBUG_EXIT_PORT, success ? 0x10 : 0x11);
}

__noreturn void machine_halt(void)
{
	for (;;) {
		irq_disable();
		cpu_halt();
	}
}

/*
 * Legacy-mode firmware ignores sleep requests until the OS takes over ACPI
 * by writing ACPI_ENABLE to SMI_CMD (ACPI spec, "Legacy/ACPI Select").
 */
static void acpi_take_over(const struct acpi_platform *p)
{
	if ((inw(p->pm1a_cnt) & ACPI_SCI_EN) || !p->smi_cmd || !p->acpi_enable ||
	    p->smi_cmd > 0xffff)
		return;
	outb((uint16_t)p->smi_cmd, p->acpi_enable);
	for (int ms = 0; ms < ACPI_ENABLE_WAIT_MS && !(inw(p->pm1a_cnt) & ACPI_SCI_EN); ms++)
		arch_delay_ms(1);
}

/* SLP_TYP first, then SLP_TYP with SLP_EN, as the PM1 control spec allows and Linux does. */
static void pm1_sleep(uint16_t port, uint8_t slp_typ)
{
	uint16_t v = inw(port) & ~(ACPI_SLP_TYP_MASK | ACPI_SLP_EN);

	v |= (uint16_t)(slp_typ << ACPI_SLP_TYP_SHIFT);
	outw(port, v);
	outw(port, v | ACPI_SLP_EN);
}

/* ACPI S5 with the FADT's PM1 control blocks and the DSDT's \_S5 values. */
static void acpi_poweroff(void)
{
	const struct acpi_platform *p = acpi_platform();

	if (!p->has_fadt || !p->has_s5 || !p->pm1a_cnt) {
		pr_emerg("reboot: no ACPI S5 information, cannot power off\n");
		return;
	}
	acpi_take_over(p);
	pm1_sleep(p->pm1a_cnt, p->slp_typa);
	if (p->pm1b_cnt)
		pm1_sleep(p->pm1b_cnt, p->slp_typb);
	arch_delay_ms(100);	/* the write takes effect asynchronously on some chipsets */
	pr_emerg("reboot: ACPI S5 had no effect\n");
}

__noreturn void machine_poweroff(void)
{
	irq_disable();
	/* ACPI S5 first: QEMU then exits with status 0, as it does for Linux. */
	acpi_poweroff();
	machine_debug_exit(true);
	machine_halt();
}

__noreturn void machine_restart(void)
{
	irq_disable();
	/* Pulse the reset line through the keyboard controller... */
	for (int i = 0; i < 10000 && (inb(0x64) & 0x02); i++)
		cpu_relax();
	outb(0x64, 0xfe);
	/* ...then the PCI reset control register... */
	outb(0xcf9, 0x06);
	/* ...then a triple fault: no IDT and an exception. */
	cpu_triple_fault();
	machine_halt();
}
