/* SPDX-License-Identifier: MPL-2.0 */
/* Private to frame/arch/x86_64: the user-mode machinery (user.c). */
#ifndef ASTER_ARCH_USER_INTERNAL_H
#define ASTER_ARCH_USER_INTERNAL_H

#include <aster/types.h>

struct trap_frame;

/* CPU setup for user mode: per-CPU area, SYSCALL MSRs, FPU/XSAVE. */
void user_mode_init(void);

/*
 * A trap taken in user mode: save the user registers into the running
 * context and return from user_run() (exception or interrupt event).
 */
__noreturn void user_trap_exit(struct trap_frame *tf, bool exception);

#endif
