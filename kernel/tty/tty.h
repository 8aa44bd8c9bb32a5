/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The tty core: a terminal is the N_TTY line discipline (ldisc.h) between
 * a driver (struct tty_driver_ops: the serial console in dev.c, the slave
 * side of a pseudo-terminal in pty.c) and readers, plus its session and
 * foreground process group (job control).  The file operations (read,
 * write, ioctl, poll of /dev/ttyS0, /dev/pts/N, /dev/tty) are the core's.
 *
 * Input arrives through tty_receive() (for the console: from frame's
 * console input handler, in softirq context; for a pty: the master's
 * writes); readers sleep on read_wait.  Output goes through the line
 * discipline's output processing to the driver's write (console_write for
 * the console; the master's read buffer for a pty; a capture in ktests).
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

struct tty;

/*
 * What a tty's driver (the console, a pty's slave side) does for the core.
 * Only write is required.  The hooks marked "t->lock held" run under the
 * tty's spinlock and must not sleep.
 */
struct tty_driver_ops {
	/* Bytes for the device (echo, program output after OPOST); t->lock held. */
	void (*write)(struct tty *t, const char *buf, size_t len);
	/* Bytes write may take now (t->lock held); absent: no limit, never blocks. */
	size_t (*write_room)(struct tty *t);
	/* Queues flushed: TCIFLUSH, TCOFLUSH or TCIOFLUSH (t->lock held). */
	void (*flush)(struct tty *t, int queue);
	/* Output stopped (^S) or restarted (^Q) under IXON (t->lock held). */
	void (*flow)(struct tty *t, bool stopped);
	/* termios changed from old (t->lock held). */
	void (*set_termios)(struct tty *t, const struct termios *old);
	/* Wake the driver's own waiters after any change (no lock held). */
	void (*wakeup)(struct tty *t);
	/* A file opens it (tty_mutex held): 0, or -errno to refuse. */
	int (*open)(struct tty *t, struct file *f);
	/* A file that open accepted is released (tty_mutex held). */
	void (*close)(struct tty *t, struct file *f);
};

struct tty {
	const char *name;
	uint32_t dev;		/* its device number, MKDEV(major, minor) */
	const struct tty_driver_ops *ops;
	void *driver_data;
	spinlock_t lock;
	struct ldisc ld;
	struct winsize ws;
	pid_t session;		/* session this is the controlling tty of; 0 none */
	pid_t pgrp;		/* its foreground process group; 0 none */
	uint64_t pending_sigs;	/* raised by the ldisc under lock, sent after */
	bool stopped;		/* output stopped by ^S (drivers with write_room) */
	bool hung_up;		/* reads give EOF, writes and ioctls EIO */
	bool vhung;		/* hung_up by vhangup: a new open clears it */
	uint32_t vhangups;	/* vhangups so far: older files stay hung up */
	struct wait_queue read_wait;
	struct wait_queue write_wait;	/* writers waiting for write_room */
	struct mutex read_mutex;
	struct mutex write_mutex;
	char bounce[LDISC_BUF];	/* read: ldisc -> user, under read_mutex */
};

/*
 * Serialises opening and closing ttys against their release and against
 * p->ctty changes that may free one (a pty pair); see tty_open_file.
 */
extern struct mutex tty_mutex;

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
	/* Send sig to the process pid (a session leader at hangup). */
	int (*kill_pid)(pid_t pid, int sig);
};
extern const struct tty_env tty_default_env;
/* Replace the environment (NULL: the default); for ktests. */
void tty_set_env(const struct tty_env *env);
const struct tty_env *tty_env(void);

void tty_init(struct tty *t, const char *name, const struct tty_driver_ops *ops,
	      void *driver_data);

/* One byte typed at the terminal; any context that may not sleep is fine. */
void tty_receive(struct tty *t, uint8_t c);

/*
 * Bytes from the device in one go (a pty master's write): as many as the
 * line discipline has room for; 0 when it has none.  No lock held.
 */
size_t tty_receive_buf(struct tty *t, const char *buf, size_t n);
/* Room the line discipline has for input now (a pty master's POLLOUT). */
size_t tty_receive_room(struct tty *t);

/* Hang up: SIGHUP and SIGCONT to the session leader, the session loses t. */
void tty_hangup(struct tty *t);
/*
 * vhangup(2) of t (tty_mutex held): as tty_hangup, but only the files open
 * now stay hung up; a new open of t works again (Linux's tty_vhangup).
 */
void tty_vhangup(struct tty *t);
/* Under tty_mutex: the caller's controlling tty, or NULL. */
struct tty *tty_current_ctty_locked(void);

/*
 * The file side: open t on f (driver open, then the controlling-tty rules
 * of tty_open_acquire), with f->ops the tty file operations.
 */
int tty_open_file(struct file *f, struct tty *t, bool may_acquire);
/* /dev/tty: the caller's controlling tty, or -ENXIO without one. */
int tty_open_ctty(struct file *f);

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
 * this from exit for a session leader p with a controlling tty.
 */
void tty_session_leader_exit(struct process *p);

/*
 * The device number (MKDEV) of p's controlling tty, 0 without one: for
 * /proc/<pid>/stat's tty_nr.  Safe against the tty going away.
 */
uint32_t tty_ctty_dev(struct process *p);

/* The system console (COM1): /dev/ttyS0 and /dev/console. */
struct tty *tty_console(void);
/* Its console input handler (frame calls it per byte, softirq context). */
void tty_console_input(uint8_t byte, void *arg);

#endif
