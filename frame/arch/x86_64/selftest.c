// SPDX-License-Identifier: MPL-2.0
// aster.test=fault|hang|dead-ap: deliberate failures that the boot tests
// use to check the panic report, the watchdog, and that a CPU which never
// answers its start-up IPI is skipped (smp.c).  Nothing else calls these.
#include <aster/cmdline.h>
#include <aster/log.h>
#include <aster/string.h>
#include "../../internal.h"
#include "cpu.h"

static char test_switch[16];

static int set_test_switch(const char *v)
{
	if (!v)
		return -1;
	strlcpy(test_switch, v, sizeof(test_switch));
	return 0;
}
BOOT_PARAM("aster.test", set_test_switch);

/* noinline keeps these in the backtrace under their own names. */
__attribute__((noinline)) void test_deliberate_fault(void);
__attribute__((noinline)) void test_deliberate_fault(void)
{
	pr_info("aster.test: writing to an unmapped address\n");
	*(volatile uint64_t *)0xdead000UL = 1;
}

__attribute__((noinline)) void test_deliberate_hang(void);
__attribute__((noinline)) void test_deliberate_hang(void)
{
	pr_info("aster.test: spinning forever with interrupts on\n");
	irq_enable();
	for (;;)
		cpu_relax();
}

bool boot_test_switch_is(const char *name)
{
	return strcmp(test_switch, name) == 0;
}

void boot_run_test_switch(void)
{
	if (strcmp(test_switch, "fault") == 0)
		test_deliberate_fault();
	else if (strcmp(test_switch, "hang") == 0)
		test_deliberate_hang();
	else if (test_switch[0] && strcmp(test_switch, "dead-ap") != 0)
		pr_warn("aster.test: unknown switch '%s'\n", test_switch);
}
