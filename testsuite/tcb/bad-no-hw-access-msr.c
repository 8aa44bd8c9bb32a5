/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-hw-access */
/* Sneaky: an MSR accessor reached through an ops table. */
#include <aster/types.h>

struct cpu_ops {
	uint64_t (*rdmsr)(uint32_t msr);
};

uint64_t apic_base(const struct cpu_ops *ops);
uint64_t apic_base(const struct cpu_ops *ops)
{
	return ops->rdmsr(0x1b);
}
