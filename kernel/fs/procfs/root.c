// SPDX-License-Identifier: MPL-2.0
// The top of /proc: system-wide files (cpuinfo, meminfo, stat, uptime,
// loadavg, version, filesystems, swaps, cmdline), the self, thread-self
// and mounts links, sys/, and one directory per process.
#include <aster/cmdline.h>
#include <aster/cpuinfo.h>
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/irq.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/timer.h>
#include "block/blkdev.h"
#include "fs/file.h"
#include "fs/locks.h"
#include "fs/procfs/internal.h"
#include "process/pid.h"
#include "cgroup/cgroup.h"
#include "uapi/fcntl.h"
#include "security/keys/keys.h"
#include "mm/page_cache.h"
#include "sched/sched.h"

#define USER_HZ		100
#define MAX_PIDS	4096

static uint64_t to_clock_ticks(uint64_t ns)
{
	return ns / (NSEC_PER_SEC / USER_HZ);
}

static int show_cmdline(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%s\n", boot_cmdline());
	return 0;
}

/* ---- cpuinfo ---- */

/* Linux's names of the CPUID feature bits, per word of aster/cpuinfo.h (NULL: not shown). */
static const char *const flag_names[CPU_NR_WORDS][32] = {
	[CPU_WORD_1_EDX] = { "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic",
			     NULL, "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn",
			     "clflush", NULL, "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss",
			     "ht", "tm", "ia64", "pbe" },
	[CPU_WORD_81_EDX] = { [11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext",
			      [25] = "fxsr_opt", [26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm",
			      [30] = "3dnowext", [31] = "3dnow" },
	[CPU_WORD_1_ECX] = { "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est",
			     "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", NULL,
			     "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt",
			     "tsc_deadline_timer", "aes", "xsave", NULL, "avx", "f16c", "rdrand",
			     "hypervisor" },
	[CPU_WORD_81_ECX] = { "lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm",
			      "sse4a", "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop",
			      "skinit", "wdt", NULL, "lwp", "fma4", "tce", NULL, "nodeid_msr",
			      NULL, "tbm", "topoext", "perfctr_core", "perfctr_nb", NULL, "bpext",
			      "ptsc", "perfctr_llc", "mwaitx" },
	[CPU_WORD_7_EBX] = { "fsgsbase", "tsc_adjust", NULL, "bmi1", "hle", "avx2", NULL, "smep",
			     "bmi2", "erms", "invpcid", "rtm", NULL, NULL, "mpx", NULL, "avx512f",
			     "avx512dq", "rdseed", "adx", "smap", "avx512ifma", NULL, "clflushopt",
			     "clwb", NULL, "avx512pf", "avx512er", "avx512cd", "sha_ni",
			     "avx512bw", "avx512vl" },
	[CPU_WORD_7_ECX] = { NULL, "avx512vbmi", "umip", "pku", "ospke", NULL, "avx512_vbmi2",
			     NULL, "gfni", "vaes", "vpclmulqdq", "avx512_vnni", "avx512_bitalg",
			     NULL, "avx512_vpopcntdq", NULL, "la57", NULL, NULL, NULL, NULL, NULL,
			     "rdpid" },
	[CPU_WORD_7_EDX] = { [4] = "fsrm", [10] = "md_clear", [26] = "flush_l1d",
			     [29] = "arch_capabilities" },
};

/* Linux's order: the leaf 1 and 0x80000001 edx words, then ecx, then leaf 7. */
static const enum cpu_feature_word flag_order[] = {
	CPU_WORD_1_EDX, CPU_WORD_81_EDX, CPU_WORD_1_ECX, CPU_WORD_81_ECX,
	CPU_WORD_7_EBX, CPU_WORD_7_ECX, CPU_WORD_7_EDX,
};

static void cpu_flags(struct text *t, const struct cpu_info *ci)
{
	text_add(t, "flags\t\t:");
	for (size_t w = 0; w < ARRAY_SIZE(flag_order); w++) {
		enum cpu_feature_word word = flag_order[w];

		for (unsigned int b = 0; b < 32; b++)
			if ((ci->words[word] >> b) & 1 && flag_names[word][b])
				text_add(t, " %s", flag_names[word][b]);
	}
	text_add(t, "\n");
}

static int show_cpuinfo(struct pnode *n, struct text *t)
{
	struct cpu_info ci;
	uint64_t khz;

	(void)n;
	cpu_info_get(&ci);
	khz = ci.tsc_khz;
	text_add(t, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
		 "model name\t: %s\nstepping\t: %u\n", ci.vendor, ci.family, ci.model,
		 ci.model_name, ci.stepping);
	text_add(t, "cpu MHz\t\t: %lu.%03lu\n", (unsigned long)(khz / 1000),
		 (unsigned long)(khz % 1000));
	text_add(t, "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n"
		 "apicid\t\t: 0\ninitial apicid\t: 0\nfpu\t\t: yes\nfpu_exception\t: yes\n"
		 "wp\t\t: yes\n");
	cpu_flags(t, &ci);
	/* Linux's bogomips on x86: twice the clock rate, in MHz. */
	text_add(t, "bogomips\t: %lu.%02lu\n", (unsigned long)(khz * 2 / 1000),
		 (unsigned long)((khz * 2 % 1000) / 10));
	text_add(t, "clflush size\t: %u\ncache_alignment\t: %u\n", ci.clflush_size,
		 ci.clflush_size);
	text_add(t, "address sizes\t: %u bits physical, %u bits virtual\npower management:\n\n",
		 ci.phys_bits, ci.virt_bits);
	return 0;
}

/* ---- memory ---- */

static void kb_line(struct text *t, const char *name, uint64_t kb)
{
	/* Linux pads the name and its colon to 16 columns, the figure to 8. */
	text_add(t, "%s:%*s%8lu kB\n", name, (int)(15 - strlen(name)), "", (unsigned long)kb);
}

static int show_meminfo(struct pnode *n, struct text *t)
{
	uint64_t total = frames_total() * (PAGE_SIZE / 1024);
	uint64_t free = frames_free() * (PAGE_SIZE / 1024);
	uint64_t slab = heap_bytes_in_use() / 1024;
	uint64_t cached = page_cache_total_pages() * (PAGE_SIZE / 1024);
	uint64_t dirty = page_cache_total_dirty() * (PAGE_SIZE / 1024);
	uint64_t shmem = ramfs_total_pages() * (PAGE_SIZE / 1024);
	static const char *const zero[] = {
		"SwapCached", "Active", "Inactive", "Active(anon)",
		"Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked",
		"SwapTotal", "SwapFree",
	};

	(void)n;
	kb_line(t, "MemTotal", total);
	kb_line(t, "MemFree", free);
	/* Clean cached pages can be reclaimed; dirty ones after writeback (Linux's estimate). */
	kb_line(t, "MemAvailable", free + (cached - MIN(dirty, cached)));
	kb_line(t, "Buffers", 0);
	/* Linux counts tmpfs and ramfs pages (shmem) in Cached too. */
	kb_line(t, "Cached", cached + shmem);
	for (size_t i = 0; i < ARRAY_SIZE(zero); i++)
		kb_line(t, zero[i], 0);
	kb_line(t, "Dirty", dirty);
	kb_line(t, "Writeback", 0);
	/* Not counted apart yet: user pages are in "used" only. */
	kb_line(t, "AnonPages", 0);
	kb_line(t, "Mapped", 0);
	kb_line(t, "Shmem", shmem);
	kb_line(t, "KReclaimable", 0);
	kb_line(t, "Slab", slab);
	kb_line(t, "SReclaimable", 0);
	kb_line(t, "SUnreclaim", slab);
	kb_line(t, "CommitLimit", total);
	text_add(t, "HugePages_Total:   %5d\nHugePages_Free:    %5d\nHugePages_Rsvd:    %5d\n"
		 "HugePages_Surp:    %5d\n", 0, 0, 0, 0);
	kb_line(t, "Hugepagesize", 2048);
	return 0;
}

/* ---- time and load ---- */

static uint64_t idle_ns(void)
{
	uint64_t switches, idle;

	sched_stats(&switches, &idle);
	return idle;
}

static int show_uptime(struct pnode *n, struct text *t)
{
	uint64_t up = clock_monotonic_ns(), idle = idle_ns();

	(void)n;
	text_add(t, "%lu.%02lu %lu.%02lu\n", (unsigned long)(up / NSEC_PER_SEC),
		 (unsigned long)((up % NSEC_PER_SEC) / (NSEC_PER_SEC / 100)),
		 (unsigned long)(idle / NSEC_PER_SEC),
		 (unsigned long)((idle % NSEC_PER_SEC) / (NSEC_PER_SEC / 100)));
	return 0;
}

struct sys_counts {
	unsigned int threads, blocked;
	uint64_t user_ns;
};

static int count_process(struct process *p, void *arg)
{
	struct sys_counts *c = arg;

	c->threads += p->nr_threads;
	c->user_ns += p->utime_ns + p->cutime_ns;
	return 0;
}

/* "1-min 5-min 15-min running/threads last-pid", as Linux prints it. */
static int show_loadavg(struct pnode *n, struct text *t)
{
	struct sys_counts c = { 0 };
	uint64_t l[3];

	(void)n;
	loadavg_get(l, 11);
	(void)process_for_each(count_process, &c);
	for (int i = 0; i < 3; i++)
		text_add(t, "%lu.%02lu ", (unsigned long)(l[i] >> 11),
			 (unsigned long)(((l[i] & 2047) * 100) >> 11));
	text_add(t, "%u/%u %d\n", sched_nr_running(), c.threads, process_last_pid());
	return 0;
}

/*
 * The CPU's time since boot in USER_HZ ticks: idle is the idle task's,
 * the rest busy; user is what the processes now alive and their waited-for
 * children ran in user mode, system the remainder.
 */
static int show_stat(struct pnode *n, struct text *t)
{
	struct sys_counts c = { 0 };
	uint64_t up = clock_monotonic_ns(), switches, idle, busy, user, sys;
	uint64_t boot_s = (clock_realtime_ns() - up) / NSEC_PER_SEC;

	(void)n;
	sched_stats(&switches, &idle);
	(void)process_for_each(count_process, &c);
	busy = up > idle ? up - idle : 0;
	user = MIN(c.user_ns, busy);
	sys = busy - user;
	for (int cpu = -1; cpu < 1; cpu++) {
		if (cpu < 0)
			text_add(t, "cpu ");
		else
			text_add(t, "cpu%d", cpu);
		text_add(t, " %lu 0 %lu %lu 0 0 0 0 0 0\n", (unsigned long)to_clock_ticks(user),
			 (unsigned long)to_clock_ticks(sys), (unsigned long)to_clock_ticks(idle));
	}
	text_add(t, "intr %lu\nctxt %lu\nbtime %lu\nprocesses %lu\nprocs_running %u\n"
		 "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
		 (unsigned long)irq_total_count(), (unsigned long)switches, (unsigned long)boot_s,
		 (unsigned long)process_forks_total(), sched_nr_running());
	return 0;
}

/* ---- the kernel ---- */

static int show_version(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "Linux version %s (asterinas@localhost) (gcc) %s\n", uts_release(),
		 uts_version());
	return 0;
}

/* ---- block devices (the block layer's texts) ---- */

static int show_partitions(struct pnode *n, struct text *t)
{
	(void)n;
	if (text_reserve(t, 16384))
		return -ENOMEM;
	t->len += blk_partitions_text(t->buf + t->len, t->cap - t->len);
	return 0;
}

static int show_diskstats(struct pnode *n, struct text *t)
{
	(void)n;
	if (text_reserve(t, 16384))
		return -ENOMEM;
	t->len += blk_diskstats_text(t->buf + t->len, t->cap - t->len);
	return 0;
}

static int show_filesystems(struct pnode *n, struct text *t)
{
	const struct fs_type *ft;

	(void)n;
	for (size_t i = 0; (ft = fs_type_nth(i)) != NULL; i++)
		text_add(t, "%s\t%s\n", ft->requires_dev ? "" : "nodev", ft->name);
	return 0;
}

/* The controllers, all on the v2 hierarchy (0), with how many cgroups use each. */
static int show_cgroups(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "#subsys_name\thierarchy\tnum_cgroups\tenabled\n");
	for (size_t i = 0; i < CGROUP_NR_CTRL; i++)
		text_add(t, "%s\t0\t%d\t1\n", cgroup_ctrl_names[i], cgroup_ctrl_count(i));
	return 0;
}

/* No swap: the header alone, as Linux prints it then. */
static int show_swaps(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	return 0;
}

/* ---- links ---- */

static int link_num(char *buf, size_t size, const char *fmt, pid_t a, pid_t b)
{
	int n = snprintf(buf, size, fmt, a, b);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
}

/* The reader's numbers in this instance's pid namespace: none (ENOENT) when it is outside it. */
static int readlink_self(struct pnode *n, char *buf, size_t size)
{
	struct process *cur = current_process();
	pid_t nr = cur ? proc_nr(n, cur->pid) : 0;

	return nr ? link_num(buf, size, "%d", nr, 0) : -ENOENT;
}

static int readlink_thread_self(struct pnode *n, char *buf, size_t size)
{
	struct process *cur = current_process();
	pid_t nr = cur ? proc_nr(n, cur->pid) : 0;

	return nr ? link_num(buf, size, "%d/task/%d", nr, proc_nr(n, current_tid())) : -ENOENT;
}

static int readlink_mounts(struct pnode *n, char *buf, size_t size)
{
	(void)n;
	return (int)MIN(strlcpy(buf, "self/mounts", size), size);
}

/* /proc/net is the reader's own, as Linux's. */
static int readlink_net(struct pnode *n, char *buf, size_t size)
{
	(void)n;
	return (int)MIN(strlcpy(buf, "self/net", size), size);
}

/* ---- the process directories ---- */

/* The processes of the instance's pid namespace: their numbers there and the kernel's. */
struct pid_list {
	pid_t pids[MAX_PIDS], globals[MAX_PIDS];
	size_t n;
	struct pid_namespace *ns;
};

static int collect_pid(struct process *p, void *arg)
{
	struct pid_list *l = arg;
	pid_t nr = pid_nr_of(p->kpid, l->ns);

	if (l->n < MAX_PIDS && p->state == PROCESS_ALIVE && nr) {
		l->pids[l->n] = nr;
		l->globals[l->n++] = p->pid;
	}
	return 0;
}

static int root_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct process *p;
	pid_t global;
	int pid;

	if (proc_parse_num(name, &pid))
		return -ENOENT;
	global = proc_global(pn(dir), pid);
	p = process_find_global(global);
	if (!p)
		return -ENOENT;
	process_put(p);
	return proc_pid_inode(dir, &proc_pid_entry, global, 0, out);
}

static int root_readdir(struct inode *dir, struct dir_emit *ctx)
{
	struct pid_list *l = kzalloc(sizeof(*l));
	int stop = 0;

	if (!l)
		return -ENOMEM;
	l->ns = pn(dir)->ns ? pn(dir)->ns : &init_pid_ns;
	process_for_each(collect_pid, l);
	for (size_t i = 0; i < l->n && !stop; i++) {
		uint64_t pos = PROC_DYN_POS + (uint64_t)l->pids[i];

		if (pos >= ctx->pos)
			stop = proc_emit_num(ctx, l->pids[i],
					     proc_ino(&proc_root_dir, 0, l->globals[i], 0, -1), DT_DIR, pos);
	}
	kfree(l);
	return 0;
}

/* /proc/keys and /proc/key-users (kernel/security/keys/). */
static int show_keys_text(struct text *t, int (*gen)(char **buf, size_t *len))
{
	char *buf = NULL;
	size_t len = 0;
	int err = gen(&buf, &len);

	if (err)
		return err;
	text_put(t, buf, len);
	kfree(buf);
	return 0;
}

static int show_keys(struct pnode *n, struct text *t)
{
	(void)n;
	return show_keys_text(t, keys_proc_keys);
}

static int show_key_users(struct pnode *n, struct text *t)
{
	(void)n;
	return show_keys_text(t, keys_proc_key_users);
}

struct locks_text {
	struct text *t;
	int id;
	struct pnode *n;	/* its instance's pid namespace: owners' numbers there (0: not visible) */
};

/* One /proc/locks line, in Linux's lock_get_status format. */
static void locks_line(const struct lock_report *r, void *arg)
{
	struct locks_text *lt = arg;
	const char *type = r->type == F_WRLCK ? "WRITE" : r->type == F_RDLCK ? "READ" : "UNLCK";

	text_add(lt->t, "%d: %s %s %d %02x:%02x:%llu %lld ", ++lt->id, r->kind, type,
		 r->pid > 0 ? proc_nr(lt->n, r->pid) : r->pid,
		 (unsigned int)MAJOR(r->dev), (unsigned int)MINOR(r->dev), (unsigned long long)r->ino,
		 (long long)r->start);
	if (r->end < 0)
		text_add(lt->t, "EOF\n");
	else
		text_add(lt->t, "%lld\n", (long long)r->end);
}

/* Record, flock and lease locks; blocked waiters ("->" lines) are not listed. */
static int show_locks(struct pnode *n, struct text *t)
{
	struct locks_text lt = { t, 0, n };

	locks_report(locks_line, &lt);
	leases_report(locks_line, &lt);
	return 0;
}

static const struct proc_entry root_ents[] = {
	PROC_FILE("cgroups", 0444, show_cgroups),
	PROC_FILE("cmdline", 0444, show_cmdline),
	PROC_FILE("cpuinfo", 0444, show_cpuinfo),
	PROC_FILE("diskstats", 0444, show_diskstats),
	PROC_FILE("filesystems", 0444, show_filesystems),
	PROC_FILE("key-users", 0444, show_key_users),
	PROC_FILE("keys", 0444, show_keys),
	PROC_FILE("loadavg", 0444, show_loadavg),
	PROC_FILE("locks", 0444, show_locks),
	PROC_FILE("meminfo", 0444, show_meminfo),
	PROC_LINK("mounts", readlink_mounts, 0),
	PROC_LINK("net", readlink_net, 0),
	PROC_FILE("partitions", 0444, show_partitions),
	PROC_LINK("self", readlink_self, 0),
	PROC_FILE("stat", 0444, show_stat),
	PROC_FILE("swaps", 0444, show_swaps),
	PROC_DIR("sys", 0555, &proc_sys_dir, 0),
	PROC_DIR("sysvipc", 0555, &proc_sysvipc_dir, 0),
	PROC_LINK("thread-self", readlink_thread_self, 0),
	PROC_FILE("uptime", 0444, show_uptime),
	PROC_FILE("version", 0444, show_version),
};

const struct proc_dir proc_root_dir = {
	.ents = root_ents, .n = ARRAY_SIZE(root_ents), .ino_base = 0x100,
	.lookup = root_lookup, .readdir = root_readdir,
};
