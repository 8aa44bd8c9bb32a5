// SPDX-License-Identifier: MPL-2.0
// /proc/PID and /proc/PID/task/TID: the table of per-process entries and
// the text ones (cmdline, environ, comm, stat, statm, status, limits,
// oom_score_adj), in Linux's formats (fs/proc/array.c, base.c).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "fs/fdtable.h"
#include "fs/procfs/internal.h"
#include "lib/kstrtox.h"
#include "process/pid.h"
#include "cgroup/cgroup.h"
#include "mm/vmar.h"
#include "process/seccomp.h"
#include "tty/tty.h"
#include "uapi/capability.h"
#include "uapi/major.h"
#include "uapi/oom.h"
#include "uapi/resource.h"
#include "process/capability.h"

#define USER_HZ		100
#define TTYS0_MINOR	64
/* Linux's task flags in stat: forked but not exec'd, randomized layout. */
#define PF_FORKNOEXEC	0x00000040U
#define PF_RANDOMIZE	0x00400000U

static uint64_t ticks(uint64_t ns)
{
	return ns / (NSEC_PER_SEC / USER_HZ);
}

/* argv/envp bytes, read from the process's own memory. */
static int user_area(struct text *t, struct process *p, uint64_t start, uint64_t end)
{
	struct vmar *vm = process_vmar_get(p);
	size_t len;
	long n;

	if (!vm)
		return 0;
	len = end > start ? (size_t)MIN(end - start, (uint64_t)(TEXT_MAX / 2)) : 0;
	if (len && text_reserve(t, len)) {
		vmar_put(vm);
		return -ENOMEM;
	}
	n = len ? vmar_read(vm, start, t->buf + t->len, len) : 0;
	vmar_put(vm);
	if (n > 0)
		t->len += (size_t)n;
	return 0;
}

/* Run fn on n's process, or -ESRCH once it is gone. */
static int with_process(struct pnode *n, struct text *t,
			int (*fn)(struct pnode *n, struct process *p, struct text *t))
{
	struct process *p = proc_process(n);
	int err;

	if (!p)
		return -ESRCH;
	err = fn(n, p, t);
	process_put(p);
	return err;
}

static int cmdline_of(struct pnode *n, struct process *p, struct text *t)
{
	(void)n;
	return p->state == PROCESS_ALIVE ? user_area(t, p, p->arg_start, p->arg_end) : 0;
}

/* cgroup v2 only: one line, hierarchy 0 with no controller list, as Linux's. */
static int cgroup_of_proc(struct pnode *n, struct process *p, struct text *t)
{
	char *path = kmalloc(PATH_MAX);
	int len;

	(void)n;
	if (!path)
		return -ENOMEM;
	len = cgroup_proc_path(p, path, PATH_MAX);
	if (len >= 0)
		text_add(t, "0::%s\n", path);
	kfree(path);
	return len < 0 ? len : 0;
}

static int show_cgroup(struct pnode *n, struct text *t)
{
	return with_process(n, t, cgroup_of_proc);
}

static int show_cmdline(struct pnode *n, struct text *t)
{
	return with_process(n, t, cmdline_of);
}

static int environ_of(struct pnode *n, struct process *p, struct text *t)
{
	(void)n;
	return p->state == PROCESS_ALIVE ? user_area(t, p, p->env_start, p->env_end) : 0;
}

static int show_environ(struct pnode *n, struct text *t)
{
	return with_process(n, t, environ_of);
}

static int comm_of(struct pnode *n, struct process *p, struct text *t)
{
	(void)n;
	text_add(t, "%s\n", p->comm);
	return 0;
}

static int show_comm(struct pnode *n, struct text *t)
{
	return with_process(n, t, comm_of);
}

/*
 * Linux's comm_write: the first 15 bytes become the name (a newline
 * included), and only a thread of the process itself may rename it.
 */
static int write_comm(struct pnode *n, const char *buf, size_t len)
{
	struct process *p = proc_process(n);
	struct process *me = current_process();
	char name[sizeof(p->comm)];
	int err = 0;

	if (!p)
		return -ESRCH;
	memset(name, 0, sizeof(name));
	memcpy(name, buf, MIN(len, sizeof(name) - 1));
	if (p != me)
		err = -EINVAL;
	else
		memcpy(p->comm, name, sizeof(name));
	process_put(p);
	return err;
}

/* ---- stat ---- */

/* The controlling terminal in dev_t form; only the console (ttyS0) is one yet. */
static int tty_nr_of(const struct process *p)
{
	return p->ctty && p->ctty == tty_console() ? (int)dev_encode(MKDEV(TTY_MAJOR, TTYS0_MINOR)) : 0;
}

/* The foreground group of the controlling terminal (only the console's is known), or -1. */
static int tpgid_of(const struct pnode *n, const struct process *p)
{
	struct tty *c = tty_console();

	return p->ctty && p->ctty == c && c->pgrp ? proc_nr(n, c->pgrp) : -1;
}

static void stat_vm(struct process *p, uint64_t *vsize, uint64_t *rss)
{
	struct vmar *vm = process_vmar_get(p);
	struct vmar_usage u;

	*vsize = *rss = 0;
	if (!vm)
		return;
	vmar_usage(vm, &u);
	vmar_put(vm);
	*vsize = u.size;
	*rss = (u.rss_anon + u.rss_file + u.rss_shmem) / PAGE_SIZE;
}

static int stat_of(struct pnode *n, struct process *p, struct text *t)
{
	struct proc_task_info ti;
	uint64_t vsize, rss, rsslim = p->rlimits[RLIMIT_RSS].cur;
	pid_t ppid = p->parent ? p->parent->pid : 0;
	int err = process_task_info(p, n->tid, &ti);
	bool whole = n->tid == 0;

	if (err)
		return err;
	stat_vm(p, &vsize, &rss);
	/* Every number as the instance's pid namespace sees it (0 outside it, as Linux). */
	text_add(t, "%d (%s) %c %d %d %d %d %d %u %lu %lu 0 0 ", proc_nr(n, n->tid ? n->tid : p->pid),
		 p->comm, ti.state, proc_nr(n, ppid), proc_nr(n, p->pgid), proc_nr(n, p->sid),
		 tty_nr_of(p), tpgid_of(n, p),
		 PF_RANDOMIZE | (p->exec_done ? 0 : PF_FORKNOEXEC), (unsigned long)ti.counts.minflt,
		 whole ? (unsigned long)p->child_counts.minflt : 0UL);
	text_add(t, "%lu %lu %lu %lu %d %d %u 0 %lu %lu %lu %lu ",
		 (unsigned long)ticks(ti.utime_ns), (unsigned long)ticks(ti.stime_ns),
		 whole ? (unsigned long)ticks(p->cutime_ns) : 0UL,
		 whole ? (unsigned long)ticks(p->cstime_ns) : 0UL, 20 + ti.nice, ti.nice,
		 ti.nr_threads, (unsigned long)ticks(ti.start_ns), (unsigned long)vsize,
		 (unsigned long)rss, (unsigned long)rsslim);
	/* startcode endcode startstack kstkesp kstkeip: not kept. */
	text_add(t, "0 0 0 0 0 %lu %lu %lu %lu 0 0 0 %d 0 0 %d 0 0 0 0 0 0 %lu %lu %lu %lu %d\n",
		 (unsigned long)(ti.pending | ti.shared_pending), (unsigned long)ti.blocked,
		 (unsigned long)ti.ignored, (unsigned long)ti.caught, p->exit_signal, ti.policy,
		 (unsigned long)p->arg_start, (unsigned long)p->arg_end,
		 (unsigned long)p->env_start, (unsigned long)p->env_end,
		 p->state == PROCESS_ALIVE ? 0 : p->exit_status);
	return 0;
}

static int show_stat(struct pnode *n, struct text *t)
{
	return with_process(n, t, stat_of);
}

static int statm_of(struct pnode *n, struct process *p, struct text *t)
{
	struct vmar *vm = process_vmar_get(p);
	struct vmar_usage u;

	(void)n;
	if (!vm) {
		text_add(t, "0 0 0 0 0 0 0\n");
		return 0;
	}
	vmar_usage(vm, &u);
	vmar_put(vm);
	text_add(t, "%lu %lu %lu %lu 0 %lu 0\n", (unsigned long)(u.size / PAGE_SIZE),
		 (unsigned long)((u.rss_anon + u.rss_file + u.rss_shmem) / PAGE_SIZE),
		 (unsigned long)((u.rss_file + u.rss_shmem) / PAGE_SIZE),
		 (unsigned long)(u.exec / PAGE_SIZE),
		 (unsigned long)((u.data + u.stack) / PAGE_SIZE));
	return 0;
}

static int show_statm(struct pnode *n, struct text *t)
{
	return with_process(n, t, statm_of);
}

/* ---- status ---- */

static const char *state_name(char c)
{
	switch (c) {
	case 'R':
		return "R (running)";
	case 'T':
		return "T (stopped)";
	case 't':
		return "t (tracing stop)";
	case 'Z':
		return "Z (zombie)";
	default:
		return "S (sleeping)";
	}
}

struct fd_max {
	int max;
};

static int note_fd(int fd, struct file *f, void *arg)
{
	struct fd_max *m = arg;

	(void)f;
	if (fd > m->max)
		m->max = fd;
	return 0;
}

/* Linux's FDSize: the table's size, 64 slots at first and doubling. */
static unsigned int fd_size(struct process *p)
{
	struct fd_table *t = process_files_get(p);
	struct fd_max m = { -1 };
	unsigned int size = 64;

	if (!t)
		return 0;
	fd_table_for_each(t, note_fd, &m);
	fd_table_put(t);
	while ((int)size <= m.max)
		size *= 2;
	return size;
}

static void kb(struct text *t, const char *name, uint64_t bytes)
{
	text_add(t, "%s:\t%8lu kB\n", name, (unsigned long)(bytes / 1024));
}

static void status_vm(struct text *t, struct process *p)
{
	struct vmar *vm = process_vmar_get(p);
	struct vmar_usage u;
	uint64_t rss;

	if (!vm)
		return;
	vmar_usage(vm, &u);
	vmar_put(vm);
	rss = u.rss_anon + u.rss_file + u.rss_shmem;
	/* Peaks are not tracked: the current figures are the highest we know. */
	kb(t, "VmPeak", u.size);
	kb(t, "VmSize", u.size);
	kb(t, "VmLck", u.locked);
	kb(t, "VmPin", 0);
	kb(t, "VmHWM", rss);
	kb(t, "VmRSS", rss);
	kb(t, "RssAnon", u.rss_anon);
	kb(t, "RssFile", u.rss_file);
	kb(t, "RssShmem", u.rss_shmem);
	kb(t, "VmData", u.data);
	kb(t, "VmStk", u.stack);
	kb(t, "VmExe", u.exec);
	kb(t, "VmLib", 0);
	kb(t, "VmPTE", 0);
	kb(t, "VmSwap", 0);
	kb(t, "HugetlbPages", 0);
}

static void status_ids(struct text *t, struct pnode *n, struct process *p)
{
	const struct cred *c = &p->cred;
	pid_t ppid = p->parent ? p->parent->pid : 0;
	pid_t pid = n->tid ? n->tid : p->pid;

	char nums[12 * (PID_NS_MAX_LEVEL + 1)];
	struct pid_namespace *ns = n->ns ? n->ns : &init_pid_ns;

	text_add(t, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t%d\n", proc_nr(n, p->pid),
		 proc_nr(n, pid), proc_nr(n, ppid), proc_nr(n, ptrace_tracer_of(p, n->tid)));
	text_add(t, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", c->uid, c->euid, c->suid,
		 c->fsuid, c->gid, c->egid, c->sgid, c->fsgid);
	/* Blank-separated, and a blank after the last (Linux's own "trailing space"). */
	text_add(t, "FDSize:\t%u\nGroups:\t", fd_size(p));
	for (uint32_t i = 0; i < c->ngroups && i < CRED_GROUPS; i++)
		text_add(t, "%s%u", i ? " " : "", c->groups[i]);
	/* The NS lines: the numbers from the instance's namespace down to the task's own. */
	(void)pid_ns_numbers(p->pid, p->pid, ns, nums, sizeof(nums));
	text_add(t, " \nNStgid:%s\n", nums);
	(void)pid_ns_numbers(pid, pid, ns, nums, sizeof(nums));
	text_add(t, "NSpid:%s\n", nums);
	(void)pid_ns_numbers(pid, p->pgid, ns, nums, sizeof(nums));
	text_add(t, "NSpgid:%s\n", nums);
	(void)pid_ns_numbers(pid, p->sid, ns, nums, sizeof(nums));
	text_add(t, "NSsid:%s\n", nums);
}

static void status_signals(struct text *t, struct process *p, const struct proc_task_info *ti)
{
	const struct cred *c = &p->cred;
	uint64_t lim = p->rlimits[RLIMIT_SIGPENDING].cur;

	text_add(t, "Threads:\t%u\nSigQ:\t%u/%lu\n", ti->nr_threads, ti->queued,
		 (unsigned long)lim);
	text_add(t, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\n"
		 "SigCgt:\t%016lx\n", (unsigned long)ti->pending, (unsigned long)ti->shared_pending,
		 (unsigned long)ti->blocked, (unsigned long)ti->ignored, (unsigned long)ti->caught);
	text_add(t, "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\nCapBnd:\t%016lx\n"
		 "CapAmb:\t%016lx\n", (unsigned long)c->cap_inheritable, (unsigned long)c->cap_permitted,
		 (unsigned long)c->cap_effective, (unsigned long)c->cap_bset, (unsigned long)c->cap_ambient);
	text_add(t, "NoNewPrivs:\t%d\n", p->no_new_privs ? 1 : 0);
}

/* The thread's seccomp mode and the number of its filters (the process's: its first thread's). */
static void status_seccomp(struct text *t, struct pnode *n, struct process *p)
{
	uint32_t filters;
	int mode;

	seccomp_status(p, n->tid, &mode, &filters);
	text_add(t, "Seccomp:\t%d\nSeccomp_filters:\t%u\n", mode, filters);
}

static int status_of(struct pnode *n, struct process *p, struct text *t)
{
	struct proc_task_info ti;
	int err = process_task_info(p, n->tid, &ti);

	if (err)
		return err;
	text_add(t, "Name:\t%s\nUmask:\t%04o\nState:\t%s\n", p->comm, p->umask,
		 state_name(ti.state));
	status_ids(t, n, p);
	if (p->state == PROCESS_ALIVE)
		status_vm(t, p);
	text_add(t, "CoreDumping:\t0\nTHP_enabled:\t0\n");
	status_signals(t, p, &ti);
	status_seccomp(t, n, p);
	text_add(t, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t");
	/* One node, in a nodemask of Linux's MAX_NUMNODES (1024) bits. */
	for (int i = 0; i < 31; i++)
		text_add(t, "00000000,");
	text_add(t, "00000001\nMems_allowed_list:\t0\n");
	text_add(t, "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n",
		 (unsigned long)ti.counts.nvcsw, (unsigned long)ti.counts.nivcsw);
	return 0;
}

static int show_status(struct pnode *n, struct text *t)
{
	return with_process(n, t, status_of);
}

/* ---- limits ---- */

static const struct {
	const char *name, *unit;
} limit_names[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { "Max cpu time", "seconds" },
	[RLIMIT_FSIZE] = { "Max file size", "bytes" },
	[RLIMIT_DATA] = { "Max data size", "bytes" },
	[RLIMIT_STACK] = { "Max stack size", "bytes" },
	[RLIMIT_CORE] = { "Max core file size", "bytes" },
	[RLIMIT_RSS] = { "Max resident set", "bytes" },
	[RLIMIT_NPROC] = { "Max processes", "processes" },
	[RLIMIT_NOFILE] = { "Max open files", "files" },
	[RLIMIT_MEMLOCK] = { "Max locked memory", "bytes" },
	[RLIMIT_AS] = { "Max address space", "bytes" },
	[RLIMIT_LOCKS] = { "Max file locks", "locks" },
	[RLIMIT_SIGPENDING] = { "Max pending signals", "signals" },
	[RLIMIT_MSGQUEUE] = { "Max msgqueue size", "bytes" },
	[RLIMIT_NICE] = { "Max nice priority", NULL },
	[RLIMIT_RTPRIO] = { "Max realtime priority", NULL },
	[RLIMIT_RTTIME] = { "Max realtime timeout", "us" },
};

static void limit_value(struct text *t, uint64_t v)
{
	if (v == RLIM_INFINITY)
		text_add(t, "%-20s ", "unlimited");
	else
		text_add(t, "%-20lu ", (unsigned long)v);
}

static int limits_of(struct pnode *n, struct process *p, struct text *t)
{
	(void)n;
	text_add(t, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		text_add(t, "%-25s ", limit_names[i].name);
		limit_value(t, p->rlimits[i].cur);
		limit_value(t, p->rlimits[i].max);
		if (limit_names[i].unit)
			text_add(t, "%-10s\n", limit_names[i].unit);
		else
			text_add(t, "\n");
	}
	return 0;
}

static int show_limits(struct pnode *n, struct text *t)
{
	return with_process(n, t, limits_of);
}

/* ---- oom_score_adj ---- */

static int oom_of(struct pnode *n, struct process *p, struct text *t)
{
	(void)n;
	text_add(t, "%d\n", p->oom_score_adj);
	return 0;
}

static int show_oom_score_adj(struct pnode *n, struct text *t)
{
	return with_process(n, t, oom_of);
}

/*
 * Linux's oom_score_adj_write: -1000..1000, and below the process's floor
 * only with privilege (which then moves the floor).
 */
static int write_oom_score_adj(struct pnode *n, const char *buf, size_t len)
{
	struct process *me = current_process(), *p;
	bool priv = me && capable(CAP_SYS_RESOURCE);
	size_t nb = MIN(len, (size_t)12);	/* Linux's PROC_NUMBUF - 1 */
	const char *num = kstr_strip(buf, &nb);
	int v, err = kstrtoint(num, nb, 0, &v);

	if (err)
		return err;
	if (v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	p = proc_process(n);
	if (!p)
		return -ESRCH;
	if (v < p->oom_score_adj_min && !priv) {
		err = -EACCES;
	} else {
		p->oom_score_adj = v;
		if (priv)
			p->oom_score_adj_min = v;
	}
	process_put(p);
	return err;
}

/* ---- coredump_filter ---- */

static int coredump_filter_of(struct pnode *n, struct process *p, struct text *t)
{
	(void)n;
	text_add(t, "%08x\n", coredump_filter_get(p));
	return 0;
}

static int show_coredump_filter(struct pnode *n, struct text *t)
{
	return with_process(n, t, coredump_filter_of);
}

static int write_coredump_filter(struct pnode *n, const char *buf, size_t len)
{
	struct process *p;
	uint32_t v;
	int err = kstrtouint(buf, len, 0, &v);	/* Linux's kstrtouint_from_user */

	if (err)
		return err;
	p = proc_process(n);
	if (!p)
		return -ESRCH;
	coredump_filter_set(p, v);
	process_put(p);
	return 0;
}

/* ---- timerslack_ns ---- */

/*
 * The thread's PR_SET_TIMERSLACK value.  Another process's needs
 * CAP_SYS_NICE, to read as to write (Linux's timerslack_ns_show/write).
 */
static struct thread *slack_thread(struct pnode *n, int *err)
{
	struct thread *t = thread_find_global(n->tid ? n->tid : n->pid);

	*err = 0;
	if (!t) {
		*err = -ESRCH;
		return NULL;
	}
	if (t->proc != current_process() && !capable(CAP_SYS_NICE)) {
		process_put(t->proc);
		*err = -EPERM;
		return NULL;
	}
	return t;
}

static int show_timerslack(struct pnode *n, struct text *t)
{
	int err;
	struct thread *th = slack_thread(n, &err);

	if (!th)
		return err;
	text_add(t, "%lu\n", (unsigned long)th->timer_slack_ns);
	process_put(th->proc);
	return 0;
}

static int write_timerslack(struct pnode *n, const char *buf, size_t len)
{
	uint64_t v;
	int err = kstrtoull(buf, len, 10, &v);	/* Linux's kstrtoull_from_user */
	struct thread *th;

	if (err)
		return err;
	th = slack_thread(n, &err);
	if (!th)
		return err;
	th->timer_slack_ns = v ? v : th->default_timer_slack_ns;
	process_put(th->proc);
	return 0;
}

/* ---- the tables ---- */

static const struct proc_entry pid_ents[] = {
	PROC_FILE("cgroup", 0444, show_cgroup),
	PROC_FILE("cmdline", 0444, show_cmdline),
	PROC_RW("comm", 0644, show_comm, write_comm),
	{ .name = "coredump_filter", .mode = S_IFREG | 0644, .show = show_coredump_filter,
	  .write = write_coredump_filter, .flags = PE_PROCESS },
	PROC_MAGIC("cwd", proc_readlink_cwd, proc_cwd_get_link, PE_MAGIC | PE_PTRACE),
	PROC_FILE_F("environ", 0400, show_environ, PE_PTRACE),
	PROC_LINK("exe", proc_readlink_exe, PE_MAGIC | PE_PTRACE),
	PROC_DIR("fd", 0500, &proc_fd_dir, 0),
	PROC_DIR("fdinfo", 0555, &proc_fdinfo_dir, 0),
	PROC_FILE("limits", 0444, show_limits),
	PROC_FILE_F("maps", 0444, proc_show_maps, PE_PTRACE),
	PROC_OPS("mem", 0600, proc_mem_open, &proc_mem_ops),
	PROC_FILE("mountinfo", 0444, proc_show_mountinfo),
	PROC_FILE("mounts", 0444, proc_show_mounts),
	PROC_FILE("mountstats", 0400, proc_show_mountstats),
	PROC_DIR("net", 0555, &proc_net_dir, 0),
	PROC_DIR("ns", 0511, &proc_ns_dir, 0),
	PROC_RW("oom_score_adj", 0644, show_oom_score_adj, write_oom_score_adj),
	PROC_RW("timerslack_ns", 0666, show_timerslack, write_timerslack),
	PROC_MAGIC("root", proc_readlink_root, proc_root_get_link, PE_MAGIC | PE_PTRACE),
	PROC_FILE_F("smaps", 0444, proc_show_smaps, PE_PTRACE),
	PROC_FILE("stat", 0444, show_stat),
	PROC_FILE("statm", 0444, show_statm),
	PROC_FILE("status", 0444, show_status),
	PROC_DIR("task", 0555, &proc_task_dir, PE_PROCESS),
};

const struct proc_dir proc_pid_dir = {
	.ents = pid_ents, .n = ARRAY_SIZE(pid_ents), .ino_base = 0x200,
};
/* task/TID: the same entries but task/ (entry_hidden drops PE_PROCESS ones). */
const struct proc_dir proc_tid_dir = {
	.ents = pid_ents, .n = ARRAY_SIZE(pid_ents), .ino_base = 0x300,
};

const struct proc_entry proc_pid_entry = PROC_DIR("", 0555, &proc_pid_dir, 0);
const struct proc_entry proc_tid_entry = PROC_DIR("", 0555, &proc_tid_dir, 0);
