// SPDX-License-Identifier: MPL-2.0
// The exception-fixup table (see fixup.h).  The table is a section of
// (instruction, fixup) address pairs that the linker collects; it is small
// (a handful of entries), so a linear search is fine.
#include "../cpu.h"
#include "../trap_frame.h"
#include "fixup.h"

#define VEC_GENERAL_PROTECTION	13
#define FIXUP_GP_FLAG		(1UL << 32)

struct fixup_entry {
	uint64_t insn;
	uint64_t fixup;
};

extern const struct fixup_entry __fixup_table_start[], __fixup_table_end[];

bool arch_fixup_exception(struct trap_frame *tf)
{
	bool pf = tf->vector == VEC_PAGE_FAULT;

	if (!pf && tf->vector != VEC_GENERAL_PROTECTION)
		return false;
	for (const struct fixup_entry *e = __fixup_table_start; e < __fixup_table_end; e++) {
		if (e->insn != tf->rip)
			continue;
		tf->rip = e->fixup;
		tf->r9 = pf ? read_cr2() : 0;
		tf->r10 = pf ? tf->error_code : tf->error_code | FIXUP_GP_FLAG;
		return true;
	}
	return false;
}
