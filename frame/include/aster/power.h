/* SPDX-License-Identifier: MPL-2.0 */
/* Ending the machine's run. */
#ifndef ASTER_POWER_H
#define ASTER_POWER_H

#include <aster/types.h>

/* Power off.  Under QEMU's isa-debug-exit, exit with the success code. */
__noreturn void machine_poweroff(void);
/* Reset the machine (QEMU -no-reboot turns this into an exit). */
__noreturn void machine_restart(void);
/* Halt for good with interrupts off. */
__noreturn void machine_halt(void);
/* Under QEMU with isa-debug-exit, exit with status 33 (ok) or 35 (failure). */
void machine_debug_exit(bool success);

#endif
