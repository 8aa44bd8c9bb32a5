// SPDX-License-Identifier: MPL-2.0
// O_ASYNC: SIGIO, or the signal F_SETSIG chose (with si_code POLL_IN,
// POLL_OUT, POLL_ERR or POLL_HUP, si_band and si_fd), to a file's owner
// (F_SETOWN/F_SETOWN_EX: a thread, a process or a process group) when the
// file becomes readable or writable, for the files whose file_ops set
// fasync: pipes and FIFOs, sockets, ttys and ptys, inotify, as Linux's
// ->fasync (eventfd, timerfd, signalfd and epoll have none on Linux and
// none here).
//
// Readiness changes all go through poll_wake(), with no file named, from
// any context (locks held, interrupts).  So instead of a hook per driver,
// the files with O_ASYNC are on one list, and a scan compares each one's
// readiness (and poll_seq, which moves at every write or read) with what
// it saw last.  The scan runs after every syscall that moved the poll
// generation (so a write to a pipe signals its reader's owner before the
// write returns, as on Linux) and in the "sigio" task, for changes that
// come from interrupts (a serial line, the network).
//
// What is sent follows Linux's drivers: a pipe's read side gets POLL_IN at
// every write and when the last writer goes, its write side POLL_OUT at
// every read and when the last reader goes; other files get POLL_IN at
// each new data, POLL_OUT when they become writable, POLL_HUP and
// POLL_ERR when those conditions appear.  The owner's permission is
// Linux's sigio_perm: the euid of whoever set the owner is root, or the
// receiver's uid or saved uid.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/wait.h>
#include "fs/file.h"
#include "fs/vfs.h"
#include "process/process.h"
#include "process/signal.h"
#include "uapi/fcntl.h"
#include "uapi/signal.h"

/* The files with O_ASYNC whose ops have fasync, by async_node; under sigio_lock. */
static struct mutex sigio_lock = MUTEX_INIT;
static struct list_node async_files = LIST_INIT(async_files);
static atomic_t nr_async;
/* The poll generation the last scan started from (sigio_check's cheap test). */
static atomic64_t scanned_gen;
/* The sigio task sleeps here while no file has O_ASYNC. */
static struct wait_queue sigio_wq = WAIT_QUEUE_INIT;

/* Linux's band_table: si_band of each reason. */
static uint64_t band_of(int reason)
{
	switch (reason) {
	case POLL_IN:
		return POLLIN | POLLRDNORM;
	case POLL_OUT:
		return POLLOUT | POLLWRNORM | POLLWRBAND;
	case POLL_MSG:
		return POLLIN | POLLRDNORM | POLLMSG;
	case POLL_ERR:
		return POLLERR;
	default:	/* POLL_HUP */
		return POLLHUP | POLLERR;
	}
}

/* Linux's sigio_perm: may the owner's setter signal p? */
static bool sigio_perm(const struct file *f, const struct process *p)
{
	return f->owner_euid == 0 || f->owner_euid == p->cred.suid || f->owner_euid == p->cred.uid;
}

/*
 * One receiver: F_SETSIG's signal with its siginfo, falling back to a
 * plain SIGIO when that cannot be queued (Linux's send_sigio_to_task).
 */
static void send_to(const struct file *f, int fd, struct process *p, struct thread *t, int reason)
{
	struct k_siginfo si;
	struct k_sigpoll_info pi = { (int64_t)band_of(reason), fd, 0 };

	if (p->state != PROCESS_ALIVE || !sigio_perm(f, p))
		return;
	memset(&si, 0, sizeof(si));
	if (f->owner_sig) {
		si.signo = f->owner_sig;
		si.code = reason;
		memcpy(si.u.raw, &pi, sizeof(pi));
		if (signal_send_info(p, t, f->owner_sig, &si) == 0)
			return;
		memset(&si, 0, sizeof(si));
	}
	si.signo = SIGIO;
	si.code = SI_KERNEL;
	(void)signal_send_info(p, t, SIGIO, &si);
}

struct pgrp_list {
	pid_t pgid;
	size_t n, cap;
	struct process **procs;
};

static int collect_pgrp(struct process *p, void *arg)
{
	struct pgrp_list *l = arg;

	if (p->pgid != l->pgid || p->state != PROCESS_ALIVE)
		return 0;
	if (l->procs && l->n < l->cap) {
		process_get(p);
		l->procs[l->n] = p;
	}
	l->n++;
	return 0;
}

/* Every process of group pgid; the list is counted first, then taken with references. */
static void send_to_pgrp(const struct file *f, int fd, pid_t pgid, int reason)
{
	struct pgrp_list l = { pgid, 0, 0, NULL };

	(void)process_for_each(collect_pgrp, &l);
	if (!l.n)
		return;
	l.cap = l.n + 4;	/* a few that join meanwhile */
	l.procs = kmalloc(l.cap * sizeof(*l.procs));
	if (!l.procs)
		return;	/* as a signal Linux could not allocate: lost */
	l.n = 0;
	(void)process_for_each(collect_pgrp, &l);
	for (size_t i = 0; i < MIN(l.n, l.cap); i++) {
		send_to(f, fd, l.procs[i], NULL, reason);
		process_put(l.procs[i]);
	}
	kfree(l.procs);
}

void sigio_send(const struct file *f, int fd, int reason)
{
	struct thread *t;

	if (!f->owner_pid)
		return;
	if (f->owner_type == F_OWNER_PGRP) {
		send_to_pgrp(f, fd, f->owner_pid, reason);
		return;
	}
	t = thread_find_global(f->owner_pid);	/* a reference on its process */
	if (!t)
		return;
	/* F_OWNER_PID: the process of the thread named (its shared queue). */
	send_to(f, fd, t->proc, f->owner_type == F_OWNER_TID ? t : NULL, reason);
	process_put(t->proc);
}

static uint64_t seq_of(struct file *f, unsigned int events)
{
	return f->ops->poll_seq ? f->ops->poll_seq(f, events) : 0;
}

/* Compare f's readiness with what the last scan saw and signal what is new; locked. */
static void check_file(struct file *f)
{
	unsigned int mask = file_mask(f), old = f->async_mask;
	uint64_t in = seq_of(f, POLLIN), out = seq_of(f, POLLOUT);
	bool in_moved = in != f->async_seq[0], out_moved = out != f->async_seq[1];
	bool pipe = file_is_pipe(f);

	f->async_mask = mask;
	f->async_seq[0] = in;
	f->async_seq[1] = out;
	if (pipe) {
		/* pipe_write, pipe_read and pipe_release: every event is POLL_IN or POLL_OUT. */
		if ((mask & (POLLIN | POLLHUP)) && (in_moved || (mask & ~old & (POLLIN | POLLHUP))))
			sigio_send(f, f->async_fd, POLL_IN);
		if ((mask & (POLLOUT | POLLERR)) && (out_moved || (mask & ~old & (POLLOUT | POLLERR))))
			sigio_send(f, f->async_fd, POLL_OUT);
		return;
	}
	if ((mask & POLLIN) && (in_moved || !(old & POLLIN)))
		sigio_send(f, f->async_fd, POLL_IN);
	if ((mask & POLLOUT) && !(old & POLLOUT))
		sigio_send(f, f->async_fd, POLL_OUT);
	if (mask & ~old & POLLERR)
		sigio_send(f, f->async_fd, POLL_ERR);
	if (mask & ~old & POLLHUP)
		sigio_send(f, f->async_fd, POLL_HUP);
}

static void sigio_scan(void)
{
	struct file *f;

	mutex_lock(&sigio_lock);
	/* Before the scan: a change during it moves the generation past this. */
	atomic64_set(&scanned_gen, (int64_t)poll_generation());
	list_for_each_entry(f, &async_files, async_node)
		check_file(f);
	mutex_unlock(&sigio_lock);
}

void sigio_check(void)
{
	if (atomic_read(&nr_async) == 0 || poll_generation() == (uint64_t)atomic64_read(&scanned_gen))
		return;
	sigio_scan();
}

void file_set_async(struct file *f, int fd, bool on)
{
	if (!f->ops || !f->ops->fasync)
		return;	/* no readiness to report (a regular file): the flag alone, as Linux */
	mutex_lock(&sigio_lock);
	f->async_fd = fd;
	if (on && list_empty(&f->async_node)) {
		/* Only changes from now on are reported. */
		f->async_mask = file_mask(f);
		f->async_seq[0] = seq_of(f, POLLIN);
		f->async_seq[1] = seq_of(f, POLLOUT);
		list_add_tail(&async_files, &f->async_node);
		if (atomic_inc(&nr_async) == 1)
			wake_up_all(&sigio_wq);
	} else if (!on && !list_empty(&f->async_node)) {
		list_del(&f->async_node);
		atomic_dec(&nr_async);
	}
	mutex_unlock(&sigio_lock);
}

void sigio_file_release(struct file *f)
{
	/* Nobody can set O_ASYNC now (that needs a reference): an empty node stays empty. */
	if (list_empty(&f->async_node))
		return;
	mutex_lock(&sigio_lock);
	list_del(&f->async_node);
	atomic_dec(&nr_async);
	mutex_unlock(&sigio_lock);
}

static bool have_async(void *arg)
{
	(void)arg;
	return atomic_read(&nr_async) > 0;
}

static bool gen_moved_or_idle(void *arg)
{
	const uint64_t *gen = arg;

	return poll_generation() != *gen || atomic_read(&nr_async) == 0;
}

/* Changes no syscall's return scans (interrupts: tty input, network packets). */
static void sigio_main(void *arg)
{
	(void)arg;
	for (;;) {
		uint64_t gen;

		wait_event(&sigio_wq, have_async, NULL);
		gen = poll_generation();
		if (gen != (uint64_t)atomic64_read(&scanned_gen))
			sigio_scan();
		poll_sleep_begin();
		wait_event(&poll_wait_queue, gen_moved_or_idle, &gen);
		poll_sleep_end();
	}
}

static int sigio_init(void)
{
	return task_create("sigio", sigio_main, NULL) ? 0 : -ENOMEM;
}
KERNEL_INIT(sigio_init);
