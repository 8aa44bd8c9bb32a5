// SPDX-License-Identifier: MPL-2.0
// kcmp(2): do two processes share a kernel resource?  0 when they do,
// else 1 or 2 by an order of the objects that says nothing about their
// addresses (Linux's kptr_obfuscate: each type's pointers XORed and
// multiplied by odd cookies drawn at first use), so sorting by kcmp works.
#include <aster/errno.h>
#include <aster/sync.h>
#include "fs/file.h"
#include "fs/random.h"
#include "process/internal.h"
#include "process/pidfd.h"
#include "syscall/syscall.h"
#include "uapi/kcmp.h"

static spinlock_t cookie_lock = SPINLOCK_INIT;
static bool cookies_made;
static uint64_t cookies[KCMP_TYPES][2];

static void make_cookies(void)
{
	uint64_t c[KCMP_TYPES][2];
	irqflags_t f;

	get_random_bytes(c, sizeof(c));
	f = spin_lock_irqsave(&cookie_lock);
	if (!cookies_made) {
		for (int t = 0; t < KCMP_TYPES; t++) {
			cookies[t][0] = c[t][0];
			cookies[t][1] = c[t][1] | 1;	/* odd: multiplying keeps them distinct */
		}
		cookies_made = true;
	}
	spin_unlock_irqrestore(&cookie_lock, f);
}

/* Linux's kcmp_ptr: 0 equal, 1 when a sorts first, 2 when b does. */
static long kcmp_order(const void *a, const void *b, int type)
{
	uint64_t x = ((uint64_t)(uintptr_t)a ^ cookies[type][0]) * cookies[type][1];
	uint64_t y = ((uint64_t)(uintptr_t)b ^ cookies[type][0]) * cookies[type][1];

	return (x < y) | ((long)(x > y) << 1);
}

/* The process of pid (a thread's process for a tid), referenced: 0 or -ESRCH. */
static int task_of(pid_t pid, struct process **out)
{
	struct thread *t = pid > 0 ? thread_find(pid) : NULL;

	if (!t) {
		*out = pid > 0 ? process_find(pid) : NULL;
		return *out ? 0 : -ESRCH;
	}
	*out = t->proc;
	return 0;
}

/* Are fd1 of a and fd2 of b the same open file?  -EBADF unless both are open. */
static long kcmp_file(struct process *a, unsigned long fd1, struct process *b, unsigned long fd2)
{
	struct fd_table *ta = process_files_get(a), *tb = process_files_get(b);
	struct file *fa = NULL, *fb = NULL;
	long ret = -EBADF;

	if (ta && fd1 <= INT32_MAX)
		fa = fd_get(ta, (int)fd1);
	if (tb && fd2 <= INT32_MAX)
		fb = fd_get(tb, (int)fd2);
	if (fa && fb)
		ret = kcmp_order(fa, fb, KCMP_FILE);
	if (fa)
		file_put(fa);
	if (fb)
		file_put(fb);
	if (ta)
		fd_table_put(ta);
	if (tb)
		fd_table_put(tb);
	return ret;
}

/*
 * The per-process objects, read under the table lock (an exiting process
 * drops them: NULL, as Linux's exited task has none).  Signal handlers are
 * per process here (CLONE_SIGHAND without CLONE_THREAD copies them), so
 * the process stands for its sighand.
 */
static long kcmp_shared(struct process *a, struct process *b, int type)
{
	const void *x = a, *y = b;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	if (type == KCMP_VM) {
		x = a->vmar;
		y = b->vmar;
	} else if (type == KCMP_FILES) {
		x = a->files;
		y = b->files;
	} else if (type == KCMP_FS) {
		x = a->fs;
		y = b->fs;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	return kcmp_order(x, y, type);
}

static long kcmp_type(struct process *a, struct process *b, int type, unsigned long idx1,
		      unsigned long idx2)
{
	switch (type) {
	case KCMP_FILE:
		return kcmp_file(a, idx1, b, idx2);
	case KCMP_VM:
	case KCMP_FILES:
	case KCMP_FS:
	case KCMP_SIGHAND:
		return kcmp_shared(a, b, type);
	case KCMP_IO:
	case KCMP_SYSVSEM:
	case KCMP_EPOLL_TFD:
		/* No I/O contexts, SEM_UNDO lists shared by CLONE_SYSVSEM, or epoll slots to name. */
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

long sys_kcmp(pid_t pid1, pid_t pid2, int type, unsigned long idx1, unsigned long idx2)
{
	struct process *a, *b;
	long ret;

	if (task_of(pid1, &a))
		return -ESRCH;
	if (task_of(pid2, &b)) {
		process_put(a);
		return -ESRCH;
	}
	/* PTRACE_MODE_READ_REALCREDS on both: the same rule as attaching. */
	if (process_access_realcreds(a) || process_access_realcreds(b)) {
		ret = -EPERM;
	} else {
		make_cookies();
		ret = kcmp_type(a, b, type, idx1, idx2);
	}
	process_put(a);
	process_put(b);
	return ret;
}
