// SPDX-License-Identifier: MPL-2.0
// syslog(2), what dmesg and klogd use: the kernel log ring (kept by frame,
// <aster/log.h>) read whole or consumed in order, cleared, and the console
// log level (floored by /proc/sys/kernel/printk's minimum, which this file
// keeps with the other levels).  Unprivileged callers get EPERM, as with Linux's
// dmesg_restrict=1 (Debian's default).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/uaccess.h>
#include <aster/wait.h>
#include "process/process.h"
#include "process/signal.h"
#include "syscall/syscall.h"
#include "process/capability.h"
#include "printk/printk.h"

enum {
	SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN, SYSLOG_ACTION_READ, SYSLOG_ACTION_READ_ALL,
	SYSLOG_ACTION_READ_CLEAR, SYSLOG_ACTION_CLEAR, SYSLOG_ACTION_CONSOLE_OFF,
	SYSLOG_ACTION_CONSOLE_ON, SYSLOG_ACTION_CONSOLE_LEVEL, SYSLOG_ACTION_SIZE_UNREAD,
	SYSLOG_ACTION_SIZE_BUFFER,
};

#define MINIMUM_CONSOLE_LEVEL	1	/* Linux's defaults of kernel/printk's last three */
#define DEFAULT_MESSAGE_LEVEL	4
#define DEFAULT_CONSOLE_LEVEL	7
#define CHUNK			1024

static struct mutex syslog_lock = MUTEX_INIT;
static uint64_t read_pos;	/* SYSLOG_ACTION_READ consumes from here */
static uint64_t clear_pos;	/* READ_ALL shows what came after the last CLEAR */
static int saved_console_level = -1;	/* while CONSOLE_OFF is in effect */
/* kernel/printk's second to fourth values (the first is frame's console level). */
static int printk_levels[PRINTK_LEVELS] = {
	0, DEFAULT_MESSAGE_LEVEL, MINIMUM_CONSOLE_LEVEL, DEFAULT_CONSOLE_LEVEL,
};

void printk_levels_get(int v[PRINTK_LEVELS])
{
	mutex_lock(&syslog_lock);
	v[0] = log_console_level();
	for (size_t i = 1; i < PRINTK_LEVELS; i++)
		v[i] = printk_levels[i];
	mutex_unlock(&syslog_lock);
}

void printk_levels_set(const int *v, size_t n)
{
	mutex_lock(&syslog_lock);
	log_set_console_level(v[0]);
	for (size_t i = 1; i < n && i < PRINTK_LEVELS; i++)
		printk_levels[i] = v[i];
	mutex_unlock(&syslog_lock);
}

/* The position of the first line start at or after pos (ends cut mid-line are dropped). */
static uint64_t line_start_from(uint64_t pos)
{
	char c;
	uint64_t p = pos;

	if (pos == 0 || pos <= log_ring_start())
		return MAX(pos, log_ring_start());
	p = pos - 1;
	while (log_ring_read(&p, &c, 1) == 1)
		if (c == '\n')
			return p;
	return p;
}

/* Copy the ring from *pos to user memory at ua, up to len bytes. */
static long copy_ring(uint64_t *pos, uaddr_t ua, size_t len)
{
	char *buf = kmalloc(CHUNK);
	size_t done = 0;

	if (!buf)
		return -ENOMEM;
	while (done < len) {
		size_t n = log_ring_read(pos, buf, MIN((size_t)CHUNK, len - done));

		if (!n)
			break;
		if (copy_to_user(ua + done, buf, n)) {
			kfree(buf);
			return done ? (long)done : -EFAULT;
		}
		done += n;
	}
	kfree(buf);
	return (long)done;
}

/* READ_ALL: the last len bytes (whole lines) logged since the last CLEAR. */
static long read_all(uaddr_t ua, size_t len, bool clear)
{
	uint64_t end = log_ring_end(), from = MAX(clear_pos, log_ring_start());
	long n;

	if (end - from > len)
		from = line_start_from(end - len);
	n = copy_ring(&from, ua, MIN((uint64_t)len, end - from));
	if (n >= 0 && clear)
		clear_pos = end;
	return n;
}

static bool unread(void *arg)
{
	(void)arg;
	return log_ring_end() > read_pos;
}

/* READ: wait for unread messages, consume up to len bytes of them. */
static long read_consume(uaddr_t ua, size_t len)
{
	static struct wait_queue never_woken = WAIT_QUEUE_INIT;	/* nobody wakes it: the sleep polls */
	long n;

	while (!unread(NULL)) {
		int err;

		mutex_unlock(&syslog_lock);
		/* The ring has no wait queue of its own: look again every 100 ms. */
		err = wait_interruptible(&never_woken, unread, NULL, 100000000ULL);
		mutex_lock(&syslog_lock);
		if (err == -ERESTARTSYS)
			return -ERESTARTSYS;
	}
	read_pos = MAX(read_pos, log_ring_start());
	n = copy_ring(&read_pos, ua, len);
	return n;
}

static long syslog_action(int type, uaddr_t ua, int len)
{
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!ua || len < 0)
			return -EINVAL;
		if (len == 0)
			return 0;
		if (type == SYSLOG_ACTION_READ)
			return read_consume(ua, (size_t)len);
		return read_all(ua, (size_t)len, type == SYSLOG_ACTION_READ_CLEAR);
	case SYSLOG_ACTION_CLEAR:
		clear_pos = log_ring_end();
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (saved_console_level < 0)
			saved_console_level = log_console_level();
		log_set_console_level(printk_levels[2]);
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_console_level >= 0)
			log_set_console_level(saved_console_level);
		saved_console_level = -1;
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		log_set_console_level(MAX(len, printk_levels[2]));
		saved_console_level = -1;	/* an explicit level ends CONSOLE_OFF */
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return (long)(log_ring_end() - MAX(read_pos, log_ring_start()));
	case SYSLOG_ACTION_SIZE_BUFFER:
		return LOG_RING_SIZE;
	default:
		return -EINVAL;
	}
}

long sys_syslog(int type, uaddr_t bufp, int len)
{
	long ret;

	if (type < SYSLOG_ACTION_CLOSE || type > SYSLOG_ACTION_SIZE_BUFFER)
		return -EINVAL;
	/* dmesg_restrict as Debian sets it: CAP_SYSLOG, or CAP_SYS_ADMIN as Linux still accepts. */
	if (!capable(CAP_SYSLOG) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	mutex_lock(&syslog_lock);
	ret = syslog_action(type, bufp, len);
	mutex_unlock(&syslog_lock);
	return ret;
}
