// SPDX-License-Identifier: MPL-2.0
// procfs machinery: inodes for table entries, lookup and readdir over the
// tables and their dynamic entries, open/read/write of generated text,
// links, permissions, and the mount.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/procfs/internal.h"
#include "process/pid.h"
#include "uapi/fs.h"
#include "uapi/magic.h"
#include "process/capability.h"

/* What an open procfs file holds: the text rendered at open. */
struct proc_file {
	struct text text;
};

static const struct inode_ops proc_iops;
static const struct file_ops proc_text_ops;
static const struct file_ops proc_dir_ops;
static const struct proc_entry proc_root_entry = PROC_DIR("", 0555, &proc_root_dir, 0);

/*
 * Stable inode numbers per (table, entry, pid, tid, fd), so `find` and
 * `ls -i` agree, and never 0: readdir(3) skips entries whose inode is 0.
 */
uint64_t proc_ino(const struct proc_dir *dir, uint32_t idx, pid_t pid, pid_t tid, int fd)
{
	uint64_t low = ((uint64_t)dir->ino_base + (idx & 0xff)) & 0xfff;

	return ((uint64_t)(uint32_t)pid << 42) ^ ((uint64_t)(uint32_t)tid << 20) ^
	       ((uint64_t)(uint32_t)(fd + 1) << 12) ^ ((uint64_t)(idx >> 8) << 12) ^ (low | 0x100);
}

/*
 * /proc/PID and what is in it belong to the process's effective ids while
 * it is dumpable, and to root otherwise (Linux's task_dump_owner): so a
 * process that dropped root can still read its own fd/ directory.
 */
static void set_owner(struct inode *i, pid_t pid)
{
	struct process *p;

	i->uid = i->gid = 0;
	if (!pid)
		return;
	p = process_find_global(pid);
	if (!p)
		return;
	if (!p->not_dumpable) {
		i->uid = p->cred.euid;
		i->gid = p->cred.egid;
	}
	process_put(p);
}

static int new_inode(struct super_block *sb, const struct proc_entry *e, const struct pnode *tmpl,
		     uint64_t ino, struct inode **out)
{
	struct pnode *p = kzalloc(sizeof(*p));
	struct inode *i;
	int err;

	if (!p)
		return -ENOMEM;
	err = inode_new(sb, e->mode, &i);
	if (err) {
		kfree(p);
		return err;
	}
	*p = *tmpl;
	p->e = e;
	p->ns = sb->priv;
	i->priv = p;
	i->iops = &proc_iops;
	i->fops = S_ISDIR(e->mode) ? &proc_dir_ops : e->fops ? e->fops : &proc_text_ops;
	if (S_ISDIR(e->mode))
		i->nlink = 2;
	/* Linux's magic links (they jump to an object, not a path); /proc/self is not one. */
	i->magic_link = e->flags & PE_MAGIC;
	i->ino = ino;
	set_owner(i, p->pid);
	*out = i;
	return 0;
}

int proc_inode_for(struct inode *dir, const struct proc_entry *e, uint32_t idx, int fd,
		   struct inode **out)
{
	struct pnode *d = pn(dir);
	struct pnode tmpl = { .idx = idx, .pid = d->pid, .tid = d->tid, .fd = fd };

	return new_inode(dir->sb, e, &tmpl, proc_ino(d->e->dir, idx, d->pid, d->tid, fd), out);
}

int proc_pid_inode(struct inode *dir, const struct proc_entry *e, pid_t pid, pid_t tid,
		   struct inode **out)
{
	struct pnode tmpl = { .idx = 0, .pid = pid, .tid = tid, .fd = -1 };

	return new_inode(dir->sb, e, &tmpl, proc_ino(pn(dir)->e->dir, 0, pid, tid, -1), out);
}

int proc_parse_num(const char *name, int *out)
{
	uint64_t v;

	/* Only canonical decimals: "01" is not process 1. */
	if (name[0] < '0' || name[0] > '9' || (name[0] == '0' && name[1]) || parse_u64(name, &v) ||
	    v > INT32_MAX)
		return -ENOENT;
	*out = (int)v;
	return 0;
}

int proc_emit_num(struct dir_emit *ctx, long num, uint64_t ino, unsigned int dt, uint64_t pos)
{
	char name[24];
	int n = snprintf(name, sizeof(name), "%ld", num);

	return ctx->emit(ctx, name, (size_t)n, ino, dt, pos + 1);
}

struct process *proc_process(const struct pnode *n)
{
	struct process *p = process_find_global(n->pid);

	if (p && n->tid && !process_has_thread(p, n->tid)) {
		process_put(p);
		return NULL;
	}
	return p;
}

static bool ids_match(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == a && id == b && id == c;
}

int proc_may_access(struct process *p)
{
	struct process *me = current_process();
	const struct cred *c, *t = &p->cred;

	if (!me || me == p)
		return 0;
	c = &me->cred;
	if (cred_capable(c, CAP_SYS_PTRACE))
		return 0;
	if (!ids_match(c->fsuid, t->uid, t->euid, t->suid) ||
	    !ids_match(c->fsgid, t->gid, t->egid, t->sgid))
		return -EACCES;
	/* Linux's cap_ptrace_access_check (FSCREDS: against our effective set). */
	if (t->cap_permitted & ~c->cap_effective)
		return -EACCES;
	return p->not_dumpable ? -EACCES : 0;
}

/* The entries of a /proc/PID table that a task/TID directory leaves out. */
static bool entry_hidden(const struct pnode *d, const struct proc_entry *e)
{
	return d->e->dir == &proc_tid_dir && (e->flags & PE_PROCESS);
}

static int proc_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct pnode *d = pn(dir);
	const struct proc_dir *pd = d->e->dir;

	if (!pd)
		return -ENOTDIR;
	if (d->pid) {
		struct process *p = proc_process(d);

		/* The process went away: its directory is empty. */
		if (!p)
			return -ENOENT;
		process_put(p);
	}
	for (size_t i = 0; i < pd->n; i++)
		if (strcmp(name, pd->ents[i].name) == 0 && !entry_hidden(d, &pd->ents[i]))
			return proc_inode_for(dir, &pd->ents[i], (uint32_t)i, -1, out);
	return pd->lookup ? pd->lookup(dir, name, out) : -ENOENT;
}

static int proc_readdir(struct inode *dir, struct dir_emit *ctx)
{
	struct pnode *d = pn(dir);
	const struct proc_dir *pd = d->e->dir;

	if (!pd)
		return -ENOTDIR;
	for (size_t i = 0; i < pd->n; i++) {
		const struct proc_entry *e = &pd->ents[i];
		uint64_t pos = 2 + i;

		if (pos < ctx->pos || entry_hidden(d, e))
			continue;
		if (ctx->emit(ctx, e->name, strlen(e->name),
			      proc_ino(pd, (uint32_t)i, d->pid, d->tid, -1), mode_to_dtype(e->mode),
			      pos + 1))
			return 0;
	}
	return pd->readdir ? pd->readdir(dir, ctx) : 0;
}

/* A PE_PTRACE entry (environ, links): only for who may look inside its process. */
static int proc_may_look(struct pnode *n)
{
	struct process *p;
	int err;

	if (!(n->e->flags & PE_PTRACE))
		return 0;
	p = proc_process(n);
	if (!p)
		return -ENOENT;
	err = proc_may_access(p);
	process_put(p);
	return err;
}

/* A link of a process (exe, cwd, fd/N). */
static int proc_readlink(struct inode *i, char *buf, size_t size)
{
	struct pnode *n = pn(i);
	int err;

	if (!n->e->readlink)
		return -EINVAL;
	err = proc_may_look(n);
	return err ? err : n->e->readlink(n, buf, size);
}

/* A magic link's target (fd/N, cwd, root), with readlink's check. */
static int proc_get_link(struct inode *i, struct mount **m, struct dentry **d)
{
	struct pnode *n = pn(i);
	int err;

	if (!n->e->get_link)
		return 1;
	err = proc_may_look(n);
	return err ? err : n->e->get_link(n, m, d);
}

static int proc_open(struct file *f)
{
	struct pnode *n = pn(f->inode);
	struct proc_file *pf;
	int err = 0;

	if (n->e->open)
		return n->e->open(n, f);
	if (n->e->flags & PE_PTRACE) {
		struct process *p = proc_process(n);

		if (!p)
			return -ESRCH;
		err = proc_may_access(p);
		process_put(p);
		if (err)
			return err;
	}
	if (S_ISDIR(f->inode->mode))
		return 0;
	if ((f->flags & O_ACCMODE) != O_RDONLY && !n->e->write)
		return -EACCES;
	pf = kzalloc(sizeof(*pf));
	if (!pf)
		return -ENOMEM;
	if ((f->flags & O_ACCMODE) != O_WRONLY && n->e->show) {
		err = n->e->show(n, &pf->text);
		if (!err && pf->text.full)
			err = -ENOMEM;
	}
	if (err) {
		kfree(pf->text.buf);
		kfree(pf);
		return err;
	}
	f->priv = pf;
	return 0;
}

static ssize_t proc_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct proc_file *pf = f->priv;
	size_t n;
	int err;

	if (!pf || *pos >= pf->text.len)
		return 0;
	n = MIN(buf->len, pf->text.len - *pos);
	err = iobuf_write(buf, 0, pf->text.buf + *pos, n);
	if (err)
		return err;
	*pos += n;
	return (ssize_t)n;
}

/* Longest write a procfs file takes in one call; the rest is ignored (as Linux's). */
#define PROC_WRITE_MAX	4096

static ssize_t proc_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct pnode *n = pn(f->inode);
	size_t len = MIN(buf->len, (size_t)PROC_WRITE_MAX);
	char *kbuf;
	int err;

	if (!n->e->write)
		return -EINVAL;
	kbuf = kmalloc(len + 1);
	if (!kbuf)
		return -ENOMEM;
	err = iobuf_read(buf, 0, kbuf, len);
	if (!err) {
		kbuf[len] = 0;
		err = n->e->write(n, kbuf, len);
	}
	kfree(kbuf);
	if (err)
		return err;
	*pos += buf->len;
	return (ssize_t)buf->len;
}

/* Linux's seq_lseek: from the start or the current place, never from the end. */
static int64_t proc_llseek(struct file *f, int64_t off, int whence)
{
	int64_t base;

	if (whence == SEEK_SET)
		base = 0;
	else if (whence == SEEK_CUR)
		base = (int64_t)f->pos;
	else
		return -EINVAL;
	if (off < 0 && base < -off)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (int64_t)f->pos;
}

static int64_t proc_dir_llseek(struct file *f, int64_t off, int whence)
{
	return vfs_generic_llseek(f, off, whence);
}

static void proc_release(struct file *f)
{
	struct proc_file *pf = f->priv;

	if (pf)
		kfree(pf->text.buf);
	kfree(pf);
}

/* O_TRUNC of a writable file (echo x > /proc/self/comm): nothing to cut. */
static int proc_setsize(struct inode *i, uint64_t size)
{
	(void)i;
	(void)size;
	return 0;
}

/*
 * Linux's proc_fd_permission: a process may always enter and list its own
 * fd/, even when it is not dumpable and fd/ belongs to root.
 */
static int proc_permission_denied(struct inode *i, int mask, int err)
{
	const struct pnode *n = pn(i);
	struct process *me = current_process();

	(void)mask;
	if (n->e->dir != &proc_fd_dir)
		return err;
	return me && n->pid == me->pid ? 0 : err;
}

static const struct inode_ops proc_iops = {
	.permission_denied = proc_permission_denied,
	.lookup = proc_lookup,
	.readdir = proc_readdir,
	.readlink = proc_readlink,
	.get_link = proc_get_link,
	.open = proc_open,
	.setsize = proc_setsize,
};

static const struct file_ops proc_text_ops = {
	.read = proc_read, .write = proc_write, .llseek = proc_llseek, .release = proc_release,
};

static const struct file_ops proc_dir_ops = {
	.llseek = proc_dir_llseek,
};

static void proc_evict(struct inode *i)
{
	kfree(i->priv);
}

pid_t proc_nr(const struct pnode *n, pid_t global)
{
	return pid_nr_ns(global, n->ns ? n->ns : &init_pid_ns);
}

pid_t proc_global(const struct pnode *n, pid_t nr)
{
	return pid_from_ns(n->ns ? n->ns : &init_pid_ns, nr);
}

/* The last inode of an unmounted procfs went: its pid namespace may go too. */
static void procfs_destroy(struct super_block *sb)
{
	struct pid_namespace *ns = sb->priv;

	ns_put(&ns->ns);
	kfree(sb);
}

/* A procfs instance shows the pid namespace of its mounter (Linux's proc_fill_super). */
static int procfs_mount(const char *source, uint64_t flags, struct super_block **out)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct pid_namespace *ns = current_pid_ns();
	struct pnode tmpl = { .fd = -1 };
	struct inode *root;
	int err;

	(void)source;
	(void)flags;
	if (!sb)
		return -ENOMEM;
	sb->type = &procfs_type;
	sb->dev = vfs_new_dev();
	sb->evict = proc_evict;
	ns_get(&ns->ns);
	sb->priv = ns;
	err = new_inode(sb, &proc_root_entry, &tmpl, 1, &root);
	if (err) {
		ns_put(&ns->ns);
		kfree(sb);
		return err;
	}
	err = dentry_new_root(sb, root, &sb->root);
	inode_put(root);
	if (err) {
		ns_put(&ns->ns);
		kfree(sb);
		return err;
	}
	sb->kill = dentry_kill_tree;
	sb->destroy = procfs_destroy;
	*out = sb;
	return 0;
}

const struct fs_type procfs_type = {
	.name = "proc", .magic = PROC_SUPER_MAGIC, .mount = procfs_mount, .dynamic = true,
};
