/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/arch/x86_64/: the exception-fixup table.  Instructions
 * that may fault on purpose (the user-memory accessors of uaccess_asm.S)
 * each have an entry (faulting instruction, where to resume); the trap
 * handler asks here before treating a kernel fault as fatal.
 */
#ifndef ASTER_ARCH_MM_FIXUP_H
#define ASTER_ARCH_MM_FIXUP_H

#include <aster/types.h>

struct trap_frame;

/*
 * If tf->rip has a fixup, resume there and return true.  The fixup code
 * finds the fault address in %r9 (CR2 for a page fault, 0 for #GP) and the
 * error code in %r10 (bit 32 set for #GP).
 */
bool arch_fixup_exception(struct trap_frame *tf);

#endif
