/* SPDX-License-Identifier: MPL-2.0 */
/* Private to frame/arch/x86_64: the user-mode machinery (user.c). */
#ifndef ASTER_ARCH_USER_INTERNAL_H
#define ASTER_ARCH_USER_INTERNAL_H

#include <aster/types.h>

struct trap_frame;

/*
 * CPU setup for user mode, on each CPU after cpu_local_install: SYSCALL
 * MSRs, FPU/XSAVE (the boot CPU also records the XSAVE layout).
 */
void user_mode_init(bool boot_cpu);

/*
 * A trap taken in user mode: save the user registers into the running
 * context and return from user_run() (exception or interrupt event).
 */
__noreturn void user_trap_exit(struct trap_frame *tf, bool exception);

#endif
