/* SPDX-License-Identifier: MPL-2.0 */
/*
 * A terminal: the N_TTY line discipline (ldisc.h) between an output sink
 * and readers, plus its session and foreground process group (job control).
 *
 * Input arrives through tty_receive() (for the console: from frame's
 * console input handler, in softirq context); readers sleep on read_wait.
 * Output goes through the line discipline's output processing to the sink
 * (console_write for the console; a capture buffer in ktests).
 *
 * Locking: `lock` (a spinlock: tty_receive runs in softirq context) guards
 * the line discipline, winsize, session and pgrp; read_mutex and
 * write_mutex serialise readers and writers (they copy user memory, which
 * may fault, outside the spinlock).  Signals are sent with no tty lock held.
 */
#ifndef ASTER_KERNEL_TTY_H
#define ASTER_KERNEL_TTY_H

#include <aster/sync.h>
#include <aster/wait.h>
#include "fs/file.h"
#include "process/process.h"
#include "ldisc.h"
#include "uapi/fcntl.h"

typedef void (*tty_sink_fn)(void *arg, const char *buf, size_t len);

struct tty {
	const char *name;
	spinlock_t lock;
	struct ldisc ld;
	struct winsize ws;
	pid_t session;		/* session this is the controlling tty of; 0 none */
	pid_t pgrp;		/* its foreground process group; 0 none */
	uint64_t pending_sigs;	/* raised by the ldisc under lock, sent after */
	tty_sink_fn sink;
	void *sink_arg;
	struct wait_queue read_wait;
	struct mutex read_mutex;
	struct mutex write_mutex;
	char bounce[LDISC_BUF];	/* read: ldisc -> user, under read_mutex */
};

/*
 * Where the tty meets processes: the default uses current_process(),
 * signal_send_pgrp() and the process table; ktests install a fake.
 */
struct tty_env {
	struct process *(*process)(void);
	struct thread *(*thread)(void);
	int (*kill_pgrp)(pid_t pgid, int sig);
	bool (*pgrp_in_session)(pid_t pgid, pid_t sid);
	bool (*pgrp_exists)(pid_t pgid);
	/* No member has a parent in another group of the same session. */
	bool (*pgrp_orphaned)(pid_t pgid);
	/* Clear ctty == t of every process in session sid. */
	void (*session_detach)(pid_t sid, struct tty *t);
};
extern const struct tty_env tty_default_env;
/* Replace the environment (NULL: the default); for ktests. */
void tty_set_env(const struct tty_env *env);
const struct tty_env *tty_env(void);

void tty_init(struct tty *t, const char *name, tty_sink_fn sink, void *sink_arg);
/* Swap the output sink (ktests capture echo and output). */
void tty_set_sink(struct tty *t, tty_sink_fn sink, void *sink_arg);

/* One byte typed at the terminal; any context that may not sleep is fine. */
void tty_receive(struct tty *t, uint8_t c);

/* read/write/poll for file_ops; nonblock is O_NONBLOCK. */
ssize_t tty_read(struct tty *t, struct iobuf *buf, bool nonblock);
ssize_t tty_write(struct tty *t, struct iobuf *buf, bool nonblock);
unsigned int tty_poll(struct tty *t);

/*
 * ioctl: arg is the raw argument, argp the memory it points to (user
 * memory for the syscall, kernel memory in ktests).  -ENOTTY if unknown.
 */
long tty_ioctl(struct tty *t, unsigned int cmd, uint64_t arg, struct iobuf *argp);

/*
 * Opening: a session leader without a controlling tty that opens t without
 * O_NOCTTY (and may_acquire: not /dev/console) makes it its ctty.
 */
void tty_open_acquire(struct tty *t, unsigned int flags, bool may_acquire);

/* Make t the controlling tty of p's session (p must lead it). */
void tty_attach(struct tty *t, struct process *p);

/*
 * The session leader that had t as its controlling tty exits: SIGHUP to
 * the foreground group, and the session loses the tty.  Process code calls
 * this from exit when p->pid == p->sid && p->ctty.
 */
void tty_session_leader_exit(struct tty *t);

/* The system console (COM1): /dev/ttyS0 and /dev/console. */
struct tty *tty_console(void);
/* Its console input handler (frame calls it per byte, softirq context). */
void tty_console_input(uint8_t byte, void *arg);

#endif
