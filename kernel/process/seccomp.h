/* SPDX-License-Identifier: MPL-2.0 */
/*
 * seccomp (seccomp.c): a thread's mode and its stack of classic BPF
 * filters, run at every syscall entry of a thread that has a mode.  The
 * filters are per thread, as Linux's: inherited by fork and clone, kept by
 * execve, given to every thread of the process by SECCOMP_FILTER_FLAG_TSYNC.
 * A thread's seccomp_filter and seccomp_mode change under the process-table
 * lock, by the thread itself or by a TSYNC of another thread of its process.
 */
#ifndef KERNEL_PROCESS_SECCOMP_H
#define KERNEL_PROCESS_SECCOMP_H
#include "lib/bpf/cbpf.h"
#include "process/process.h"
#include "uapi/seccomp.h"

struct seccomp_filter;

/*
 * The run loop, for a thread whose seccomp_mode is not 0, before its
 * syscall t->orig_rax runs (after the ptrace syscall-entry stop, as
 * Linux; traced: that stop happened).  true: skip the syscall, rax holds
 * its result.  Does not return when the thread or its process is killed.
 */
bool seccomp_syscall_enter(struct thread *t, bool traced);
/* thread_start, under the table lock: child gets parent's mode and filters. */
void seccomp_inherit_locked(struct thread *child, const struct thread *parent);
/* thread_free: drop t's filters. */
void seccomp_thread_free(struct thread *t);
/* /proc/PID/status of p's thread tid (0: the process): its mode and how many filters. */
void seccomp_status(struct process *p, pid_t tid, int *mode, uint32_t *filters);
/* prctl(PR_SET_SECCOMP, mode, filter) and prctl(PR_GET_SECCOMP). */
long seccomp_prctl_set(uint64_t mode, uint64_t filter);
long seccomp_prctl_get(void);

/* For the ktests: seccomp's checks after bpf_check (0 or -EINVAL; BPF_LEN becomes an immediate), and one run. */
int seccomp_check_insns(struct linux_sock_filter *f, uint32_t len);
uint32_t seccomp_run_prog(const struct bpf_prog *prog, const struct seccomp_data *sd);

#endif
