/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Sending signals, and sleeping so that a signal interrupts the sleep.
 *
 * A syscall that blocks (read on a pipe or tty, wait4, nanosleep, poll)
 * sleeps with wait_interruptible(); it returns -ERESTARTSYS when a signal
 * arrived, and the syscall returns that value unchanged: on the way back
 * to user mode it becomes -EINTR, or the syscall is restarted when the
 * handler has SA_RESTART (as on Linux).
 */
#ifndef KERNEL_PROCESS_SIGNAL_H
#define KERNEL_PROCESS_SIGNAL_H
#include <aster/uaccess.h>
#include <aster/wait.h>
#include "process/process.h"

/* Kernel-internal: never seen by user space. */
#define ERESTARTSYS		512
#define ERESTARTNOHAND		514	/* restart only if no handler ran */
#define ERESTART_RESTARTBLOCK	516

/* Queue sig for a process / one thread / every process of a group. 0 or -errno. */
int signal_send(struct process *p, int sig);
/* Queue sig with info to thread t, or to p when t is NULL: 0 or -errno. */
int signal_send_info(struct process *p, struct thread *t, int sig, const struct k_siginfo *info);
int signal_send_thread(struct thread *t, int sig);
/* SIGKILL from the kernel to p (the table lock is held): a dying namespace init's zap. */
void signal_kill_locked(struct process *p);
int signal_send_pgrp(pid_t pgid, int sig);

/*
 * The pending signals of a thread or of a process (kernel/process/
 * sigqueue.c): which are pending, the one siginfo of each standard signal,
 * and the queue of real-time instances.  Under process_table_lock.
 * sigpend_add_locked: 0, or -EAGAIN when a real-time signal that is not
 * from kill(2) would pass the receiver's RLIMIT_SIGPENDING.
 * sigpend_slot_holds: the instance in info[sig - 1] is pending (a POSIX
 * timer's signal lives there).
 */
struct sigpend {
	sigset_t *set;
	sigset_t *rt_slot;
	struct k_siginfo *info;
	struct list_node *queue;
};
struct sigpend sigpend_of_thread(struct thread *t);
struct sigpend sigpend_of_process(struct process *p);
int sigpend_add_locked(struct sigpend *pd, struct process *receiver, int sig, const struct k_siginfo *info);
void sigpend_take_locked(struct sigpend *pd, int sig, struct k_siginfo *out);
bool sigpend_slot_holds(const struct sigpend *pd, int sig);
void sigpend_flush_locked(struct sigpend *pd, sigset_t mask);
uint32_t sigpend_count_locked(struct sigpend pd);
/* Drop every pending signal of a thread that exits / a process that becomes a zombie. */
void signal_flush_thread_locked(struct thread *t);
void signal_flush_process_locked(struct process *p);

/* A signal the current thread does not block is pending. */
bool signal_pending(void);

/*
 * Sleep on wq until cond(arg), a signal (-ERESTARTSYS) or timeout_ns
 * (-ETIMEDOUT; 0 means none).  Returns 0 when cond holds.  cond is
 * evaluated again after the sleep, so it must not take what it tests for.
 */
int wait_interruptible(struct wait_queue *wq, bool (*cond)(void *), void *arg, uint64_t timeout_ns);

/* Sleep on wq until cond(arg) (0) or a fatal signal (-EINTR). */
int wait_killable(struct wait_queue *wq, bool (*cond)(void *), void *arg);

/* Sleep until a signal (-ERESTARTSYS) or timeout_ns (-ETIMEDOUT; 0: none). */
int sleep_interruptible(uint64_t timeout_ns);

/*
 * For signalfd.  signal_pending_in: the signals of set pending for t (its
 * own and its process's, blocked or not).  signal_dequeue_set: take the
 * lowest of them (SIGKILL and SIGSTOP never), with its siginfo: the
 * signal number, or 0 when none is pending.  signal_queued_seq: a counter
 * that moves whenever a signal is queued anywhere; signal_queued_notify
 * moves it and wakes pollers (queueing calls it).
 */
sigset_t signal_pending_in(struct thread *t, sigset_t set);
int signal_dequeue_set(struct thread *t, sigset_t set, struct k_siginfo *info);
uint64_t signal_queued_seq(void);
void signal_queued_notify(void);

/*
 * A temporary signal mask for the length of a wait (ppoll, pselect6,
 * epoll_pwait): set_user_sigmask installs the sigset_t at ua (NULL: none;
 * size must be 8, else -EINVAL; -EFAULT) and says in *set whether it did;
 * restore_user_sigmask(set, result) puts the old mask back, or, when the
 * wait ends with -EINTR, leaves that to signal delivery so the handler
 * runs under the temporary mask.
 */
int set_user_sigmask(uaddr_t ua, uint64_t size, bool *set);
void restore_user_sigmask(bool set, long ret);

#endif
