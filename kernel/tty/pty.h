/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to kernel/tty/: a Unix 98 pseudo-terminal pair (pty.c, the pair
 * and the master's file; pty_ioctl.c, the master's ioctls).
 *
 * The slave is an ordinary tty of the tty core (its line discipline, job
 * control, file operations); its driver writes into `out`, the buffer the
 * master reads.  The master's writes are the slave's input
 * (tty_receive_buf).  Everything of the pair except the open counts is
 * guarded by the slave's spinlock slave.lock; master_open, slave_opens and
 * the table of pairs by tty_mutex.
 */
#ifndef ASTER_KERNEL_TTY_PTY_H
#define ASTER_KERNEL_TTY_PTY_H

#include "tty.h"

#define PTY_MAX		1024	/* pairs at once (Linux: kernel.pty.max, 4096) */
#define PTY_OUT_BUF	8192	/* slave output not yet read by the master */

struct pty {
	struct tty slave;
	unsigned int index;		/* /dev/pts/<index> */
	char name[16];			/* "pts/<index>" */
	char *out;			/* ring of PTY_OUT_BUF bytes */
	size_t out_head, out_len;
	struct wait_queue master_wait;	/* master readers and writers */
	struct mutex master_read_mutex;
	struct mutex master_write_mutex;
	bool locked;			/* TIOCSPTLCK: the slave may not be opened */
	bool packet;			/* TIOCPKT */
	uint8_t pktstatus;		/* TIOCPKT_* bits for the next packet read */
	bool master_open;		/* under tty_mutex */
	unsigned int slave_opens;	/* open slave files, under tty_mutex */
	bool slave_closed;		/* the last slave file went: master reads EIO */
};

/* The master's ioctls (pty_ioctl.c). */
long pty_master_ioctl(struct pty *pty, unsigned int cmd, uint64_t arg, struct iobuf *argp);
/* TIOCGPTPEER: open the slave with flags and install it: fd or -errno. */
long pty_open_peer(struct pty *pty, unsigned int flags);
/* Bytes waiting for the master (FIONREAD). */
size_t pty_out_len(struct pty *pty);
/* Drop what waits for the master (TCFLSH on the master). */
void pty_out_flush(struct pty *pty);

#endif
