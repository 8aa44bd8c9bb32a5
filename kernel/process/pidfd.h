/* SPDX-License-Identifier: MPL-2.0 */
/*
 * pidfds: files that refer to one process (pidfd_open, CLONE_PIDFD).  The
 * file keeps a reference to the process, so it names that process and no
 * other even after its pid is reused.
 */
#ifndef KERNEL_PROCESS_PIDFD_H
#define KERNEL_PROCESS_PIDFD_H
#include "process/process.h"

/*
 * A new pidfd for p (takes a reference of its own) installed in the
 * caller's table, close-on-exec as Linux's always are: the fd or -errno.
 */
int pidfd_install(struct process *p, unsigned int flags);

/*
 * For waitid(P_PIDFD): the pid the pidfd fd names (0 once that process
 * was reaped, which no child matches) and whether it is non-blocking.
 * -EINVAL for a negative fd, -EBADF for one that is no pidfd.
 */
int pidfd_wait_pid(int fd, pid_t *pid, bool *nonblock);

/*
 * Linux's ptrace_may_access with PTRACE_MODE_*_REALCREDS (pidfd_getfd,
 * kcmp): the caller's real uid and gid are each of p's real, effective
 * and saved ones and p is dumpable, or the caller is root; a process may
 * always reach itself.  0 or -EPERM.
 */
int process_access_realcreds(struct process *p);

/*
 * Linux's pidfd_get_task for process_madvise and process_mrelease: the
 * process behind pidfd fd with a reference (process_put it).  -EBADF for
 * a bad fd or one that is no pidfd, -ESRCH once the process was reaped.
 */
int pidfd_process_get(int fd, struct process **out);

/*
 * Is p on its way out (Linux's task_will_free_mem): exiting, or a fatal
 * SIGKILL already generated for it, so its memory is about to go.
 */
bool process_dying(struct process *p);

/* The process of pidfd file f with a reference (process_put it), or NULL when f is no pidfd. */
struct process *pidfd_file_process(struct file *f);

#endif
