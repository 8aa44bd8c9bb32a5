// SPDX-License-Identifier: MPL-2.0
// A minimal procfs: /proc/{cmdline,meminfo,uptime,mounts,self} and
// /proc/<pid>/{cmdline,environ,stat,status,comm,exe,cwd,fd/}.  Nothing is
// cached: every lookup makes a fresh inode, every open renders the text.
#include <aster/cmdline.h>
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "block/blkdev.h"
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "mm/vmar.h"
#include "sched/sched.h"
#include "process/process.h"
#include "uapi/magic.h"

#define TEXT_MAX	16384
#define MAX_PIDS	1024
#define PID_POS_BASE	100

enum pkind {
	P_ROOT, P_CMDLINE, P_MEMINFO, P_UPTIME, P_LOADAVG, P_MOUNTS, P_SELF,
	P_PARTITIONS, P_DISKSTATS,
	P_PID, P_PID_CMDLINE, P_PID_ENVIRON, P_PID_STAT, P_PID_STATUS, P_PID_COMM,
	P_PID_EXE, P_PID_CWD, P_PID_FD, P_PID_FD_N,
};

struct pnode {
	enum pkind kind;
	pid_t pid;
	int fd;
};

struct pent {
	const char *name;
	enum pkind kind;
	uint32_t mode;
};

static const struct pent root_ents[] = {
	{ "cmdline", P_CMDLINE, S_IFREG | 0444 },
	{ "meminfo", P_MEMINFO, S_IFREG | 0444 },
	{ "uptime", P_UPTIME, S_IFREG | 0444 },
	{ "loadavg", P_LOADAVG, S_IFREG | 0444 },
	{ "mounts", P_MOUNTS, S_IFREG | 0444 },
	{ "self", P_SELF, S_IFLNK | 0777 },
	{ "partitions", P_PARTITIONS, S_IFREG | 0444 },
	{ "diskstats", P_DISKSTATS, S_IFREG | 0444 },
};

static const struct pent pid_ents[] = {
	{ "cmdline", P_PID_CMDLINE, S_IFREG | 0444 },
	{ "environ", P_PID_ENVIRON, S_IFREG | 0400 },
	{ "stat", P_PID_STAT, S_IFREG | 0444 },
	{ "status", P_PID_STATUS, S_IFREG | 0444 },
	{ "comm", P_PID_COMM, S_IFREG | 0644 },
	{ "exe", P_PID_EXE, S_IFLNK | 0777 },
	{ "cwd", P_PID_CWD, S_IFLNK | 0777 },
	{ "fd", P_PID_FD, S_IFDIR | 0500 },
};

static const struct inode_ops proc_iops;
static const struct file_ops proc_text_ops;
static const struct file_ops proc_dir_ops;

static struct pnode *pn(struct inode *i)
{
	return i->priv;
}

/*
 * Stable inode numbers per (kind, pid, fd), so `find` and `ls -i` agree, and
 * never 0: readdir(3) skips entries whose inode number is 0.
 */
static uint64_t proc_ino(enum pkind kind, pid_t pid, int fd)
{
	return ((uint64_t)(uint32_t)pid << 24) | ((uint64_t)(uint32_t)(fd + 1) << 6) |
	       (uint64_t)kind;
}

static int proc_inode(struct super_block *sb, enum pkind kind, pid_t pid, int fd, uint32_t mode,
		      struct inode **out)
{
	struct pnode *p = kzalloc(sizeof(*p));
	struct inode *i;
	int err;

	if (!p)
		return -ENOMEM;
	err = inode_new(sb, mode, &i);
	if (err) {
		kfree(p);
		return err;
	}
	p->kind = kind;
	p->pid = pid;
	p->fd = fd;
	i->priv = p;
	i->uid = i->gid = 0;
	i->iops = &proc_iops;
	i->fops = S_ISDIR(mode) ? &proc_dir_ops : &proc_text_ops;
	if (S_ISDIR(mode))
		i->nlink = 2;
	/* Linux's magic links (they jump to an object, not a path); /proc/self is not one. */
	i->magic_link = kind == P_PID_EXE || kind == P_PID_CWD || kind == P_PID_FD_N;
	i->ino = proc_ino(kind, pid, fd);
	*out = i;
	return 0;
}

static int parse_num(const char *name, int *out)
{
	uint64_t v;

	if (name[0] < '0' || name[0] > '9' || parse_u64(name, &v) || v > INT32_MAX)
		return -ENOENT;
	*out = (int)v;
	return 0;
}

static bool pid_alive(pid_t pid)
{
	struct process *p = process_find(pid);

	if (!p)
		return false;
	process_put(p);
	return true;
}

/*
 * Another process's table and fs context are reached through references
 * (process_files_get, process_fs_get): it may exit and drop them meanwhile.
 */
static struct file *proc_fd_get(struct process *p, int fd)
{
	struct fd_table *t = process_files_get(p);
	struct file *f = t ? fd_get(t, fd) : NULL;

	fd_table_put(t);
	return f;
}

/* The path of p's cwd into buf (PATH_MAX bytes): its length or a negative errno. */
static int proc_cwd_path(struct process *p, char *buf)
{
	struct fs_context *c = process_fs_get(p);
	struct dentry *cwd, *root;
	int n;

	if (!c)
		return -ENOENT;
	cwd = fs_context_get_cwd(c);
	root = fs_context_get_root(c);
	fs_context_put(c);
	/* The ns lock is held by the walk only between components, not here. */
	n = dentry_path(cwd, root, buf, PATH_MAX);
	dentry_put(cwd);
	dentry_put(root);
	return n;
}

/*
 * /proc/PID and what is in it belong to the process's effective ids while
 * it is dumpable, and to root otherwise (Linux's task_dump_owner): so a
 * process that dropped root can still read its own fd/ directory.
 */
static int pid_inode(struct super_block *sb, enum pkind kind, pid_t pid, int fd, uint32_t mode,
		     struct inode **out)
{
	struct process *p;
	int err = proc_inode(sb, kind, pid, fd, mode, out);

	if (err)
		return err;
	p = process_find(pid);
	if (!p)
		return 0;
	if (!p->not_dumpable) {
		(*out)->uid = p->cred.euid;
		(*out)->gid = p->cred.egid;
	}
	process_put(p);
	return 0;
}

static int proc_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct pnode *d = pn(dir);
	int num;

	if (d->kind == P_ROOT) {
		for (size_t i = 0; i < ARRAY_SIZE(root_ents); i++)
			if (strcmp(name, root_ents[i].name) == 0)
				return proc_inode(dir->sb, root_ents[i].kind, 0, -1, root_ents[i].mode,
						  out);
		if (parse_num(name, &num) || !pid_alive(num))
			return -ENOENT;
		return pid_inode(dir->sb, P_PID, num, -1, S_IFDIR | 0555, out);
	}
	if (d->kind == P_PID) {
		for (size_t i = 0; i < ARRAY_SIZE(pid_ents); i++)
			if (strcmp(name, pid_ents[i].name) == 0)
				return pid_inode(dir->sb, pid_ents[i].kind, d->pid, -1,
						 pid_ents[i].mode, out);
		return -ENOENT;
	}
	if (d->kind == P_PID_FD) {
		struct process *p;
		struct file *f = NULL;

		if (parse_num(name, &num))
			return -ENOENT;
		p = process_find(d->pid);
		if (p) {
			f = proc_fd_get(p, num);
			process_put(p);
		}
		if (!f)
			return -ENOENT;
		file_put(f);
		return pid_inode(dir->sb, P_PID_FD_N, d->pid, num, S_IFLNK | 0700, out);
	}
	return -ENOTDIR;
}

struct pid_list {
	pid_t pids[MAX_PIDS];
	size_t n;
};

static int collect_pid(struct process *p, void *arg)
{
	struct pid_list *l = arg;

	if (l->n < MAX_PIDS && p->state == PROCESS_ALIVE)
		l->pids[l->n++] = p->pid;
	return 0;
}

struct fd_list {
	int fds[FD_LIMIT_DEFAULT];
	size_t n;
};

static int collect_fd(int fd, struct file *f, void *arg)
{
	struct fd_list *l = arg;

	(void)f;
	if (l->n < FD_LIMIT_DEFAULT)
		l->fds[l->n++] = fd;
	return 0;
}

static int emit_num(struct dir_emit *ctx, int num, uint64_t ino, unsigned int dt, uint64_t pos)
{
	char name[16];
	int n = snprintf(name, sizeof(name), "%d", num);

	return ctx->emit(ctx, name, (size_t)n, ino, dt, pos + 1);
}

static int readdir_table(struct dir_emit *ctx, const struct pent *ents, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t pos = 2 + i;

		if (pos < ctx->pos)
			continue;
		if (ctx->emit(ctx, ents[i].name, strlen(ents[i].name), 1000 + i,
			      mode_to_dtype(ents[i].mode), pos + 1))
			return 1;
	}
	return 0;
}

static int proc_readdir(struct inode *dir, struct dir_emit *ctx)
{
	struct pnode *d = pn(dir);
	int ret = 0;

	if (d->kind == P_ROOT) {
		struct pid_list *l;

		if (readdir_table(ctx, root_ents, ARRAY_SIZE(root_ents)))
			return 0;
		l = kzalloc(sizeof(*l));
		if (!l)
			return -ENOMEM;
		process_for_each(collect_pid, l);
		for (size_t i = 0; i < l->n && !ret; i++) {
			uint64_t pos = PID_POS_BASE + (uint64_t)l->pids[i];

			if (pos >= ctx->pos)
				ret = emit_num(ctx, l->pids[i], (uint64_t)l->pids[i] << 24, DT_DIR, pos);
		}
		kfree(l);
		return 0;
	}
	if (d->kind == P_PID)
		return readdir_table(ctx, pid_ents, ARRAY_SIZE(pid_ents)) ? 0 : 0;
	if (d->kind == P_PID_FD) {
		struct process *p = process_find(d->pid);
		struct fd_table *t;
		struct fd_list *l;

		if (!p)
			return 0;
		l = kzalloc(sizeof(*l));
		if (!l) {
			process_put(p);
			return -ENOMEM;
		}
		t = process_files_get(p);
		process_put(p);
		if (t)
			fd_table_for_each(t, collect_fd, l);
		fd_table_put(t);
		for (size_t i = 0; i < l->n && !ret; i++)
			if (2 + (uint64_t)l->fds[i] >= ctx->pos)
				ret = emit_num(ctx, l->fds[i], proc_ino(P_PID_FD_N, d->pid, l->fds[i]),
					       DT_LNK, 2 + (uint64_t)l->fds[i]);
		kfree(l);
	}
	return 0;
}

/* ---- symlinks ---- */

static int proc_readlink(struct inode *i, char *buf, size_t size)
{
	struct pnode *d = pn(i);
	struct process *p, *cur = current_process();
	char *tmp;
	int n = -ENOENT;

	if (d->kind == P_SELF) {
		if (!cur)
			return -ENOENT;
		n = snprintf(buf, size, "%d", cur->pid);
		return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
	}
	p = process_find(d->pid);
	if (!p)
		return -ENOENT;
	tmp = kmalloc(PATH_MAX);
	if (!tmp) {
		process_put(p);
		return -ENOMEM;
	}
	if (d->kind == P_PID_EXE && p->exe_path) {
		n = (int)strlcpy(tmp, p->exe_path, PATH_MAX);
	} else if (d->kind == P_PID_CWD) {
		n = proc_cwd_path(p, tmp);
	} else if (d->kind == P_PID_FD_N) {
		struct file *f = proc_fd_get(p, d->fd);

		if (f) {
			n = file_path(f, tmp, PATH_MAX);
			file_put(f);
		}
	}
	process_put(p);
	if (n >= 0) {
		n = (int)MIN((size_t)n, size);
		memcpy(buf, tmp, (size_t)n);
	}
	kfree(tmp);
	return n;
}

/* ---- text files ---- */

struct text {
	char *buf;
	size_t len;
};

static void text_add(struct text *t, const char *fmt, ...) __printf(2, 3);
static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len >= TEXT_MAX)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, TEXT_MAX - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len = MIN(t->len + (size_t)n, TEXT_MAX - 1);
}

static char state_char(struct process *p)
{
	if (p->state == PROCESS_ZOMBIE)
		return 'Z';
	return p->stopped ? 'T' : 'S';
}

static uint64_t ticks(uint64_t ns)
{
	return ns / (NSEC_PER_SEC / 100);
}

/* argv/envp bytes, read from the process's own memory. */
static void user_area(struct text *t, struct process *p, uint64_t start, uint64_t end)
{
	struct vmar *vm = process_vmar_get(p);
	long n;

	if (!vm || end <= start) {
		if (vm)
			vmar_put(vm);
		return;
	}
	n = vmar_read(vm, start, t->buf + t->len, MIN((size_t)(end - start), TEXT_MAX - 1 - t->len));
	vmar_put(vm);
	if (n > 0)
		t->len += (size_t)n;
}

static void render_pid(struct text *t, enum pkind kind, struct process *p)
{
	pid_t ppid = p->parent ? p->parent->pid : 0;
	const struct cred *c = &p->cred;
	struct rusage_counts counts;
	uint64_t ut, st;

	switch (kind) {
	case P_PID_CMDLINE:
		user_area(t, p, p->arg_start, p->arg_end);
		break;
	case P_PID_ENVIRON:
		user_area(t, p, p->env_start, p->env_end);
		break;
	case P_PID_COMM:
		text_add(t, "%s\n", p->comm);
		break;
	case P_PID_STAT:
		process_times(p, &ut, &st);
		text_add(t, "%d (%s) %c %d %d %d 0 -1 4194560 0 0 0 0 %lu %lu %lu %lu 20 0 %u 0 "
			 "%lu 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 "
			 "0 0 0 0 0\n",
			 p->pid, p->comm, state_char(p), ppid, p->pgid, p->sid,
			 (unsigned long)ticks(ut), (unsigned long)ticks(st),
			 (unsigned long)ticks(p->cutime_ns), (unsigned long)ticks(p->cstime_ns),
			 p->nr_threads, (unsigned long)ticks(p->start_ns));
		break;
	case P_PID_STATUS:
		text_add(t, "Name:\t%s\nUmask:\t%04o\nState:\t%c\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n"
			 "PPid:\t%d\nTracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
			 "FDSize:\t%u\nThreads:\t%u\nSigQ:\t0/0\n",
			 p->comm, p->umask, state_char(p), p->pid, p->pid, ppid, c->uid, c->euid,
			 c->suid, c->fsuid, c->gid, c->egid, c->sgid, c->fsgid, FD_LIMIT_DEFAULT,
			 p->nr_threads);
		process_counts(p, &counts);
		text_add(t, "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n",
			 (unsigned long)counts.nvcsw, (unsigned long)counts.nivcsw);
		break;
	default:
		break;
	}
}

static int count_threads(struct process *p, void *arg)
{
	*(unsigned int *)arg += p->nr_threads;
	return 0;
}

/* "1-min 5-min 15-min running/threads last-pid", as Linux prints it. */
static void render_loadavg(struct text *t)
{
	uint64_t l[3];
	unsigned int threads = 0;

	loadavg_get(l, 11);
	(void)process_for_each(count_threads, &threads);
	for (int i = 0; i < 3; i++)
		text_add(t, "%lu.%02lu ", (unsigned long)(l[i] >> 11),
			 (unsigned long)(((l[i] & 2047) * 100) >> 11));
	text_add(t, "%u/%u %d\n", sched_nr_running(), threads, process_last_pid());
}

static int render(struct inode *i, struct text *t)
{
	struct pnode *d = pn(i);
	uint64_t up = clock_monotonic_ns();
	struct process *p;

	switch (d->kind) {
	case P_CMDLINE:
		text_add(t, "%s\n", boot_cmdline());
		return 0;
	case P_MEMINFO:
		text_add(t, "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
			 "MemAvailable:   %8lu kB\nBuffers:               0 kB\n"
			 "Cached:                0 kB\nSwapTotal:             0 kB\n"
			 "SwapFree:              0 kB\n",
			 (unsigned long)(frames_total() * 4), (unsigned long)(frames_free() * 4),
			 (unsigned long)(frames_free() * 4));
		return 0;
	case P_UPTIME:
		text_add(t, "%lu.%02lu 0.00\n", (unsigned long)(up / NSEC_PER_SEC),
			 (unsigned long)((up % NSEC_PER_SEC) / (NSEC_PER_SEC / 100)));
		return 0;
	case P_LOADAVG:
		render_loadavg(t);
		return 0;
	case P_MOUNTS:
		t->len = vfs_mounts_text(t->buf, TEXT_MAX);
		return 0;
	case P_PARTITIONS:
		t->len = blk_partitions_text(t->buf, TEXT_MAX);
		return 0;
	case P_DISKSTATS:
		t->len = blk_diskstats_text(t->buf, TEXT_MAX);
		return 0;
	default:
		break;
	}
	p = process_find(d->pid);
	if (!p)
		return -ESRCH;
	render_pid(t, d->kind, p);
	process_put(p);
	return 0;
}

static int proc_open(struct file *f)
{
	struct text t;
	int err;

	if (S_ISDIR(f->inode->mode))
		return 0;
	if ((f->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	t.buf = kmalloc(TEXT_MAX);
	t.len = 0;
	if (!t.buf)
		return -ENOMEM;
	err = render(f->inode, &t);
	if (err) {
		kfree(t.buf);
		return err;
	}
	f->priv = t.buf;
	f->inode->size = t.len;
	return 0;
}

static ssize_t proc_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	const char *text = f->priv;
	size_t len = f->inode->size, n;
	int err;

	if (!text || *pos >= len)
		return 0;
	n = MIN(buf->len, len - *pos);
	err = iobuf_write(buf, 0, text + *pos, n);
	if (err)
		return err;
	*pos += n;
	return (ssize_t)n;
}

static int64_t proc_llseek(struct file *f, int64_t off, int whence)
{
	return vfs_generic_llseek(f, off, whence);
}

static void proc_release(struct file *f)
{
	kfree(f->priv);
}

static const struct inode_ops proc_iops = {
	.lookup = proc_lookup,
	.readdir = proc_readdir,
	.readlink = proc_readlink,
	.open = proc_open,
};

static const struct file_ops proc_text_ops = {
	.read = proc_read, .llseek = proc_llseek, .release = proc_release,
};

static const struct file_ops proc_dir_ops = {
	.llseek = proc_llseek,
};

static void proc_evict(struct inode *i)
{
	kfree(i->priv);
}

static int procfs_mount(const char *source, uint64_t flags, struct super_block **out)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct inode *root;
	int err;

	(void)source;
	(void)flags;
	if (!sb)
		return -ENOMEM;
	sb->type = &procfs_type;
	sb->dev = vfs_new_dev();
	sb->evict = proc_evict;
	err = proc_inode(sb, P_ROOT, 0, -1, S_IFDIR | 0555, &root);
	if (err) {
		kfree(sb);
		return err;
	}
	root->ino = 1;
	err = dentry_new_root(sb, root, &sb->root);
	inode_put(root);
	if (err) {
		kfree(sb);
		return err;
	}
	*out = sb;
	return 0;
}

const struct fs_type procfs_type = {
	.name = "proc", .magic = PROC_SUPER_MAGIC, .mount = procfs_mount, .dynamic = true,
};
