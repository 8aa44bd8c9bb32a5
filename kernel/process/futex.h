/* SPDX-License-Identifier: MPL-2.0 */
/* Futexes: sleeping on a 32-bit word of user memory. */
#ifndef KERNEL_PROCESS_FUTEX_H
#define KERNEL_PROCESS_FUTEX_H
#include <aster/uaccess.h>

/* Wake up to n waiters on the word at ua in the caller's address space. */
int futex_wake_addr(uaddr_t ua, int n);

struct thread;
/*
 * t is exiting or execing: release the robust futexes its robust list
 * (set_robust_list) says it still holds, as Linux does.
 */
void futex_exit_robust_list(struct thread *t);

#endif
