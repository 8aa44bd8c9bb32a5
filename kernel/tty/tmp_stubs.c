// SPDX-License-Identifier: MPL-2.0
// TEMPORARY: stand-ins for what the process and fs teams provide; the
// integrator deletes this file.  Just enough for kernel/tty/ and its ktests.
#include <aster/errno.h>
#include <aster/string.h>
#include "fs/file.h"
#include "process/process.h"
#include "process/signal.h"

struct process *current_process(void)
{
	return NULL;
}

struct thread *current_thread(void)
{
	return NULL;
}

int signal_send_pgrp(pid_t pgid, int sig)
{
	(void)pgid;
	(void)sig;
	return 0;
}

int wait_interruptible(struct wait_queue *wq, bool (*cond)(void *), void *arg, uint64_t timeout_ns)
{
	return wait_event_timeout(wq, cond, arg, timeout_ns);
}

int process_for_each(int (*fn)(struct process *p, void *arg), void *arg)
{
	(void)fn;
	(void)arg;
	return 0;
}

bool pgrp_in_session(pid_t pgid, pid_t sid)
{
	(void)pgid;
	(void)sid;
	return false;
}

int iobuf_write(struct iobuf *b, size_t off, const void *src, size_t n)
{
	if (off > b->len || n > b->len - off)
		return -EINVAL;
	if (b->user)
		return copy_to_user(b->ua + off, src, n);
	memcpy((char *)b->kbuf + off, src, n);
	return 0;
}

int iobuf_read(const struct iobuf *b, size_t off, void *dst, size_t n)
{
	if (off > b->len || n > b->len - off)
		return -EINVAL;
	if (b->user)
		return copy_from_user(dst, b->ua + off, n);
	memcpy(dst, (const char *)b->kbuf + off, n);
	return 0;
}

struct wait_queue poll_wait_queue = WAIT_QUEUE_INIT;

void poll_wake(void)
{
	wake_up_all(&poll_wait_queue);
}

int chrdev_register(uint32_t major, uint32_t first, uint32_t count, const char *name,
		    int (*open)(struct file *f, uint32_t minor))
{
	(void)major;
	(void)first;
	(void)count;
	(void)name;
	(void)open;
	return 0;
}
