// SPDX-License-Identifier: MPL-2.0
// Core dumps, as Linux's fs/coredump.c and fs/binfmt_elf.c write them: a
// signal whose default action is "core" stops every other thread of the
// process (Linux's zap_threads: they wait in coredump_park), then the
// dumping thread writes an ELF64 ET_CORE file named by core_pattern in the
// process's directory: a PT_NOTE with the thread and process notes and one
// PT_LOAD per mapping, holding the mappings coredump_filter selects.
//
// The rules are Linux's: a dumpable process (PR_SET_DUMPABLE), RLIMIT_CORE
// of at least a page (the limit truncates the file), a name that is not
// empty, and a file the dumper creates itself (an old one is unlinked
// first, symlinks are not followed, and a file that ends up with another
// owner or mode is not written).  The wait status has WCOREDUMP when the
// whole file was written.  A pattern piping to a helper ('|') is not
// supported: no core is written (the kernel log says so).
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/timer.h>
#include <aster/wait.h>
#include "fs/file.h"
#include "mm/vmar.h"
#include "process/coredump.h"
#include "process/internal.h"
#include "process/ptrace.h"
#include "uapi/elf.h"
#include "uapi/elfcore.h"
#include "uapi/fcntl.h"
#include "uapi/stat.h"

#define CORENAME_MAX	128		/* core_pattern's size, Linux's CORENAME_MAX_SIZE */
#define CORE_MIN_LIMIT	PAGE_SIZE	/* RLIMIT_CORE below this: no dump (ELF's min_coredump) */

/* The sysctls (/proc/sys/kernel/core_*, fs/suid_dumpable), guarded by sysctl_lock. */
static struct mutex sysctl_lock = MUTEX_INIT;
static char core_pattern[CORENAME_MAX] = "core";
static int core_uses_pid;
static int core_pipe_limit;
static int suid_dumpable = SUID_DUMP_DISABLE;

/* Parked threads and the dumper meet here. */
static struct wait_queue core_wait = WAIT_QUEUE_INIT;

bool coredump_setid_keeps_dumpable(void)
{
	bool keep;

	mutex_lock(&sysctl_lock);
	keep = suid_dumpable == SUID_DUMP_USER;
	mutex_unlock(&sysctl_lock);
	return keep;
}

bool coredump_signal(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return true;
	}
	return false;
}

/* ---- the threads: zap, park, resume ---- */

static bool all_parked(void *arg)
{
	struct process *p = arg;

	return p->core_parked + 1 >= p->nr_threads;
}

static bool dump_over(void *arg)
{
	struct process *p = arg;

	return p->core_done;
}

void coredump_park(struct thread *t)
{
	struct process *p = t->proc;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	bool park = p->core_dumper && p->core_dumper != t && !p->core_done;

	if (park)
		p->core_parked++;
	spin_unlock_irqrestore(&process_table_lock, f);
	if (!park)
		return;
	/* Our registers stay as user mode left them until the dump is written. */
	wake_up_all(&core_wait);
	wait_event(&core_wait, dump_over, p);
}

void coredump_thread_gone(struct process *p)
{
	if (p->core_dumper)
		wake_up_all(&core_wait);
}

bool coredump_kill_locked(struct process *p, int sig)
{
	if (sig != SIGKILL || !p->core_dumper || p->core_done)
		return false;
	/*
	 * Linux's dump_interrupted: a SIGKILL stops the dump, the core stays
	 * incomplete, and the process ends with SIGKILL, without WCOREDUMP
	 * (complete_signal replaces the exit code, coredump_finish sees it).
	 */
	p->core_killed = true;
	p->exit_status = SIGKILL;
	return true;
}

/*
 * Become the dumper: the process is ending with sig (Linux's zap_threads).
 * False when something else already ends it (exit_group, another fatal
 * signal, an exec), which then wins and no core is written.
 */
static bool zap_threads(struct thread *t, int sig)
{
	struct process *p = t->proc;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	struct thread *it;
	bool ok = !p->exiting && !p->exec_thread;

	if (ok) {
		p->exiting = true;
		p->exit_status = sig;
		p->core_dumper = t;
		p->core_parked = 0;
		p->core_done = p->core_killed = false;
		list_for_each_entry(it, &p->threads, proc_node)
			if (it != t)
				thread_kick(it);
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	if (ok)
		wait_event(&core_wait, all_parked, p);
	return ok;
}

static void resume_threads(struct process *p, bool dumped)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	if (dumped && !p->core_killed)
		p->exit_status |= 0x80;		/* WCOREDUMP */
	p->core_done = true;
	spin_unlock_irqrestore(&process_table_lock, f);
	wake_up_all(&core_wait);
}

/*
 * Create the core file as Linux does: an old file of that name is
 * unlinked (when the dumper may), the new one created exclusively without
 * following symlinks, mode 0600; it must be a regular file of the dumper's
 * that kept that mode.
 */
static int core_open(const char *name, struct file **out)
{
	const struct cred *c = &current_process()->cred;
	uint32_t mode, uid, gid;
	struct file *f;
	int err;

	if (!name[0])
		return -ENOENT;
	(void)vfs_unlink_kernel(name);
	err = vfs_open_kernel(name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_LARGEFILE, 0600, &f);
	if (err)
		return err;
	err = file_stat_ids(f, &mode, &uid, &gid);
	if (!err && (!S_ISREG(mode) || uid != c->fsuid || (mode & 0677) != 0600))
		err = -EPERM;
	if (err) {
		file_put(f);
		return err;
	}
	*out = f;
	return 0;
}

/*
 * Write the core: true when a dump was made (WCOREDUMP), as Linux's
 * do_coredump: the file was created and the notes gathered, even if a
 * write then failed or RLIMIT_CORE cut the file short.
 */
static bool do_dump(struct thread *t, int sig, const struct k_siginfo *info)
{
	struct process *p = t->proc;
	struct core_out o = { .p = p, .limit = p->rlimits[RLIMIT_CORE].cur };
	char *name;
	char pattern[CORENAME_MAX];
	bool uses_pid;
	int err;

	if (o.limit < CORE_MIN_LIMIT || !p->vmar)
		return false;
	mutex_lock(&sysctl_lock);
	memcpy(pattern, core_pattern, sizeof(pattern));
	uses_pid = core_uses_pid;
	mutex_unlock(&sysctl_lock);
	if (pattern[0] == '|') {
		pr_warn("coredump: %d(%s): piping to a helper is not supported, no core written\n",
			p->pid, p->comm);
		return false;
	}
	name = kmalloc(PATH_MAX);
	if (!name)
		return false;
	err = coredump_format_name(name, PATH_MAX, pattern, uses_pid, t, sig);
	if (!err)
		err = core_open(name, &o.f);
	if (!err && p->core_killed)
		err = -EINTR;
	if (o.f) {
		if (!err)
			err = coredump_write_elf(&o, t, sig, info);
		file_put(o.f);
	}
	if (err || o.err)
		pr_info("coredump: %d(%s): %s: error %d, core %s\n", p->pid, p->comm, name,
			err ? err : o.err, err ? "not written" : "incomplete");
	kfree(name);
	return err == 0;
}

void coredump_run(struct thread *t, int sig, const struct k_siginfo *info)
{
	struct process *p = t->proc;
	struct k_siginfo si = *info;

	/* Linux checks dumpability first: an undumpable process just ends. */
	if (p->not_dumpable)
		return;
	if (!zap_threads(t, sig))
		return;
	resume_threads(p, do_dump(t, sig, &si));
}

/* ---- the sysctls ---- */

size_t coredump_pattern_get(char *buf, size_t size)
{
	size_t n;

	mutex_lock(&sysctl_lock);
	n = MIN(strlen(core_pattern), size - 1);
	memcpy(buf, core_pattern, n);
	buf[n] = 0;
	mutex_unlock(&sysctl_lock);
	return n;
}

/* Linux's proc_dostring: up to the first newline, cut to fit. */
int coredump_pattern_set(const char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && buf[n] != '\n' && buf[n] != 0)
		n++;
	n = MIN(n, (size_t)CORENAME_MAX - 1);
	mutex_lock(&sysctl_lock);
	memcpy(core_pattern, buf, n);
	core_pattern[n] = 0;
	mutex_unlock(&sysctl_lock);
	return 0;
}

static int *sysctl_int(const char *name, int *min, int *max)
{
	*min = 0;
	*max = INT32_MAX;
	if (!strcmp(name, "core_uses_pid")) {
		*min = INT32_MIN;	/* proc_dointvec: any int */
		return &core_uses_pid;
	}
	if (!strcmp(name, "core_pipe_limit"))
		return &core_pipe_limit;
	if (!strcmp(name, "suid_dumpable")) {
		*max = SUID_DUMP_ROOT;
		return &suid_dumpable;
	}
	return NULL;
}

int coredump_sysctl_get(const char *name, int *val)
{
	int min, max, *v = sysctl_int(name, &min, &max);

	if (!v)
		return -ENOENT;
	mutex_lock(&sysctl_lock);
	*val = *v;
	mutex_unlock(&sysctl_lock);
	return 0;
}

int coredump_sysctl_set(const char *name, int val)
{
	int min, max, *v = sysctl_int(name, &min, &max);

	if (!v)
		return -ENOENT;
	if (val < min || val > max)
		return -EINVAL;
	mutex_lock(&sysctl_lock);
	*v = val;
	mutex_unlock(&sysctl_lock);
	return 0;
}

/* ---- /proc/PID/coredump_filter ---- */

uint32_t coredump_filter_get(struct process *p)
{
	return p->coredump_filter;
}

void coredump_filter_set(struct process *p, uint32_t val)
{
	p->coredump_filter = val & ((1u << MMF_DUMP_FILTER_BITS) - 1);
}
