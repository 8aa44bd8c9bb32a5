// SPDX-License-Identifier: MPL-2.0
// What a process holds: fd/ (links to its open files), fdinfo/ (their
// position, flags, mount and inode), task/ (its threads), and the exe,
// cwd and root links.  Another process's table and fs context are
// reached through references (process_files_get, process_fs_get): it may
// exit and drop them meanwhile.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/fdtable.h"
#include "fs/procfs/internal.h"

#define MAX_TIDS	1024

static struct file *proc_fd_get(struct process *p, int fd, int *fdflags)
{
	struct fd_table *t = process_files_get(p);
	struct file *f = t ? fd_get(t, fd) : NULL;

	if (f && fdflags)
		*fdflags = fd_get_flags(t, fd);
	fd_table_put(t);
	return f;
}

/* Copy a path of n bytes from tmp into the caller's buffer (readlink truncates). */
static int give_path(char *buf, size_t size, const char *tmp, int n)
{
	if (n < 0)
		return n;
	n = (int)MIN((size_t)n, size);
	memcpy(buf, tmp, (size_t)n);
	return n;
}

/* Run fn(p, tmp) with a PATH_MAX buffer, and hand its result out. */
static int link_of(struct pnode *n, char *buf, size_t size,
		   int (*fn)(struct pnode *n, struct process *p, char *tmp))
{
	struct process *p = proc_process(n);
	char *tmp;
	int len;

	if (!p)
		return -ENOENT;
	tmp = kmalloc(PATH_MAX);
	if (!tmp) {
		process_put(p);
		return -ENOMEM;
	}
	len = fn(n, p, tmp);
	process_put(p);
	len = give_path(buf, size, tmp, len);
	kfree(tmp);
	return len;
}

static int exe_path(struct pnode *n, struct process *p, char *tmp)
{
	(void)n;
	if (!p->exe_path || p->state != PROCESS_ALIVE)
		return -ENOENT;
	return (int)MIN(strlcpy(tmp, p->exe_path, PATH_MAX), (size_t)PATH_MAX - 1);
}

int proc_readlink_exe(struct pnode *n, char *buf, size_t size)
{
	return link_of(n, buf, size, exe_path);
}

/* The path of p's cwd (or root) seen from the root of the namespace. */
static int fs_path(struct process *p, char *tmp, bool root)
{
	struct fs_context *c = process_fs_get(p);
	struct dentry *d;
	int n;

	if (!c)
		return -ENOENT;
	d = root ? fs_context_get_root(c) : fs_context_get_cwd(c);
	fs_context_put(c);
	n = dentry_path(d, vfs_root, tmp, PATH_MAX);
	dentry_put(d);
	return n;
}

static int cwd_path(struct pnode *n, struct process *p, char *tmp)
{
	(void)n;
	return fs_path(p, tmp, false);
}

static int root_path(struct pnode *n, struct process *p, char *tmp)
{
	(void)n;
	return fs_path(p, tmp, true);
}

/* cwd and root as magic links: p's own (mount, dentry), references. */
static int fs_link(struct pnode *n, struct mount **m, struct dentry **d, bool root)
{
	struct process *p = proc_process(n);
	struct fs_context *c;

	if (!p)
		return -ENOENT;
	c = process_fs_get(p);
	process_put(p);
	if (!c)
		return -ENOENT;
	*d = root ? fs_context_get_root_mnt(c, m) : fs_context_get_cwd_mnt(c, m);
	fs_context_put(c);
	return 0;
}

int proc_cwd_get_link(struct pnode *n, struct mount **m, struct dentry **d)
{
	return fs_link(n, m, d, false);
}

int proc_root_get_link(struct pnode *n, struct mount **m, struct dentry **d)
{
	return fs_link(n, m, d, true);
}

int proc_readlink_cwd(struct pnode *n, char *buf, size_t size)
{
	return link_of(n, buf, size, cwd_path);
}

int proc_readlink_root(struct pnode *n, char *buf, size_t size)
{
	return link_of(n, buf, size, root_path);
}

static int fd_path(struct pnode *n, struct process *p, char *tmp)
{
	struct file *f = proc_fd_get(p, n->fd, NULL);
	int len;

	if (!f)
		return -ENOENT;
	len = file_path(f, tmp, PATH_MAX);
	file_put(f);
	return len;
}

static int readlink_fd(struct pnode *n, char *buf, size_t size)
{
	return link_of(n, buf, size, fd_path);
}

int proc_fd_get_link(struct pnode *n, struct mount **m, struct dentry **d)
{
	struct process *p = proc_process(n);
	struct file *f;

	if (!p)
		return -ENOENT;
	f = proc_fd_get(p, n->fd, NULL);
	process_put(p);
	if (!f)
		return -ENOENT;
	/* Pipes, sockets and other anonymous files: their text ("pipe:[N]"). */
	if (!f->dentry || !f->mnt) {
		file_put(f);
		return 1;
	}
	dentry_get(f->dentry);
	mount_get(f->mnt);
	*d = f->dentry;
	*m = f->mnt;
	file_put(f);
	return 0;
}

/* ---- fdinfo/N ---- */

/* What open(2) keeps of its flags in the description, as Linux's f_flags. */
static unsigned int shown_flags(const struct file *f, int fdflags)
{
	unsigned int flags = f->flags & ~(unsigned int)(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC);

	/* open(2) on 64-bit forces O_LARGEFILE; pipes and other anonymous files lack it. */
	if (f->dentry)
		flags |= O_LARGEFILE;
	if (fdflags > 0 && (fdflags & FD_CLOEXEC))
		flags |= O_CLOEXEC;
	return flags;
}

static int fdinfo_of(struct pnode *n, struct text *t)
{
	struct process *p = proc_process(n);
	struct file *f;
	int fdflags = 0;

	if (!p)
		return -ESRCH;
	f = proc_fd_get(p, n->fd, &fdflags);
	process_put(p);
	if (!f)
		return -ENOENT;
	text_add(t, "pos:\t%lu\nflags:\t0%o\nmnt_id:\t%u\nino:\t%lu\n", (unsigned long)f->pos,
		 shown_flags(f, fdflags), f->mnt ? f->mnt->id : 0,
		 f->inode ? (unsigned long)f->inode->ino : 0UL);
	if (f->ops && f->ops->fdinfo) {
		char extra[128];

		f->ops->fdinfo(f, extra, sizeof(extra));
		text_add(t, "%s", extra);
	}
	file_put(f);
	return 0;
}

/* Linux's fd/N modes follow the open mode: lr-x, l-wx or lrwx for the owner. */
static const struct proc_entry fd_links[4] = {
	{ .name = "", .mode = S_IFLNK | 0500, .readlink = readlink_fd, .get_link = proc_fd_get_link,
	  .flags = PE_MAGIC | PE_PTRACE },
	{ .name = "", .mode = S_IFLNK | 0300, .readlink = readlink_fd, .get_link = proc_fd_get_link,
	  .flags = PE_MAGIC | PE_PTRACE },
	{ .name = "", .mode = S_IFLNK | 0700, .readlink = readlink_fd, .get_link = proc_fd_get_link,
	  .flags = PE_MAGIC | PE_PTRACE },
	{ .name = "", .mode = S_IFLNK | 0700, .readlink = readlink_fd, .get_link = proc_fd_get_link,
	  .flags = PE_MAGIC | PE_PTRACE },
};
static const struct proc_entry fdinfo_file = PROC_FILE("", 0444, fdinfo_of);

static int fd_lookup_common(struct inode *dir, const char *name, bool info, struct inode **out)
{
	struct pnode *d = pn(dir);
	struct process *p;
	struct file *f;
	unsigned int acc;
	int num, err;

	if (proc_parse_num(name, &num))
		return -ENOENT;
	p = proc_process(d);
	if (!p)
		return -ENOENT;
	f = proc_fd_get(p, num, NULL);
	process_put(p);
	if (!f)
		return -ENOENT;
	acc = f->flags & O_ACCMODE;
	file_put(f);
	err = proc_inode_for(dir, info ? &fdinfo_file : &fd_links[acc], (uint32_t)num, num, out);
	/* Linux gives fd/N links a size of 64 (lstat, ls -l). */
	if (!err && !info)
		(*out)->size = 64;
	return err;
}

static int fd_lookup(struct inode *dir, const char *name, struct inode **out)
{
	return fd_lookup_common(dir, name, false, out);
}

static int fdinfo_lookup(struct inode *dir, const char *name, struct inode **out)
{
	return fd_lookup_common(dir, name, true, out);
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

static int fd_readdir_common(struct inode *dir, struct dir_emit *ctx, unsigned int dt)
{
	struct pnode *d = pn(dir);
	struct process *p = proc_process(d);
	struct fd_table *t;
	struct fd_list *l;
	int stop = 0;

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
	for (size_t i = 0; i < l->n && !stop; i++) {
		uint64_t pos = PROC_DYN_POS + (uint64_t)l->fds[i];

		if (pos >= ctx->pos)
			stop = proc_emit_num(ctx, l->fds[i],
					     proc_ino(d->e->dir, (uint32_t)l->fds[i], d->pid, d->tid,
						      l->fds[i]), dt, pos);
	}
	kfree(l);
	return 0;
}

static int fd_readdir(struct inode *dir, struct dir_emit *ctx)
{
	return fd_readdir_common(dir, ctx, DT_LNK);
}

static int fdinfo_readdir(struct inode *dir, struct dir_emit *ctx)
{
	return fd_readdir_common(dir, ctx, DT_REG);
}

const struct proc_dir proc_fd_dir = { .ino_base = 0x500, .lookup = fd_lookup, .readdir = fd_readdir };
const struct proc_dir proc_fdinfo_dir = {
	.ino_base = 0x600, .lookup = fdinfo_lookup, .readdir = fdinfo_readdir,
};

/* ---- task/ ---- */

static int task_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct pnode *d = pn(dir);
	struct process *p;
	bool found;
	int tid;

	if (proc_parse_num(name, &tid))
		return -ENOENT;
	tid = proc_global(d, tid);
	p = proc_process(d);
	if (!p)
		return -ENOENT;
	found = process_has_thread(p, tid);
	process_put(p);
	if (!found)
		return -ENOENT;
	return proc_pid_inode(dir, &proc_tid_entry, d->pid, tid, out);
}

struct tid_list {
	pid_t tids[MAX_TIDS];
};

static int task_readdir(struct inode *dir, struct dir_emit *ctx)
{
	struct pnode *d = pn(dir);
	struct process *p = proc_process(d);
	struct tid_list *l;
	size_t n;
	int stop = 0;

	if (!p)
		return 0;
	l = kzalloc(sizeof(*l));
	if (!l) {
		process_put(p);
		return -ENOMEM;
	}
	n = process_tids(p, l->tids, MAX_TIDS);
	process_put(p);
	for (size_t i = 0; i < n && !stop; i++) {
		uint64_t pos = PROC_DYN_POS + i;

		if (pos >= ctx->pos)
			stop = proc_emit_num(ctx, proc_nr(d, l->tids[i]),
					     proc_ino(&proc_task_dir, 0, d->pid, l->tids[i], -1),
					     DT_DIR, pos);
	}
	kfree(l);
	return 0;
}

const struct proc_dir proc_task_dir = { .ino_base = 0x700, .lookup = task_lookup, .readdir = task_readdir };
