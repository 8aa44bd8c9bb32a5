/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to kernel/fs/procfs/.  procfs is a tree of tables: every
 * directory is a struct proc_dir (a table of entries, and optionally
 * dynamic entries such as the pids of /proc or the descriptors of fd/),
 * every entry a struct proc_entry (a file with a generator, a link with a
 * readlink, or a directory).  Nothing is cached: every lookup makes a
 * fresh inode (struct pnode says what it is), every open of a file runs
 * its generator into a text buffer that read(2) then serves.
 *
 * To add a file at the top of /proc: write its generator
 *	static int show_foo(struct pnode *n, struct text *t) { text_add(t, ...); return 0; }
 * and add one line to root_ents[] in root.c:
 *	PROC_FILE("foo", 0444, show_foo),
 */
#ifndef KERNEL_FS_PROCFS_INTERNAL_H
#define KERNEL_FS_PROCFS_INTERNAL_H
#include <aster/format.h>
#include <aster/types.h>
#include "fs/vfs.h"
#include "process/process.h"

/* ---- text buffers (text.c) ---- */

struct text {
	char *buf;
	size_t len, cap;
	bool full;		/* an append did not fit in TEXT_MAX */
};
/* The largest file procfs renders. */
#define TEXT_MAX	(1024 * 1024)
void text_add(struct text *t, const char *fmt, ...) __printf(2, 3);
void text_put(struct text *t, const void *data, size_t n);
/* Room for n more bytes at t->buf + t->len: 0 or -ENOMEM. */
int text_reserve(struct text *t, size_t n);

/* ---- the tree ---- */

struct pnode;
struct proc_dir;

struct proc_entry {
	const char *name;
	uint32_t mode;
	/* Files: render the contents (0 or -errno). */
	int (*show)(struct pnode *n, struct text *t);
	/* Writable files: one write(2) of len bytes: 0 or -errno. */
	int (*write)(struct pnode *n, const char *buf, size_t len);
	/* Links: the target into buf: its length or -errno. */
	int (*readlink)(struct pnode *n, char *buf, size_t size);
	/* Magic links, optional: what the link stands for (inode_ops.get_link). */
	int (*get_link)(struct pnode *n, struct mount **m, struct dentry **d);
	/* Directories. */
	const struct proc_dir *dir;
	unsigned int flags;
	/* Files that are not rendered text (mem): their own open and file ops. */
	int (*open)(struct pnode *n, struct file *f);
	const struct file_ops *fops;
};

/* proc_entry flags */
#define PE_MAGIC	0x1	/* a magic link (exe, cwd, root, fd/N) */
#define PE_PTRACE	0x2	/* open or readlink needs ptrace read access (environ, fd/) */
#define PE_PROCESS	0x4	/* in /proc/PID only, not in task/TID */

#define PROC_FILE(n, m, fn)	{ .name = (n), .mode = S_IFREG | (m), .show = (fn) }
#define PROC_FILE_F(n, m, fn, fl) { .name = (n), .mode = S_IFREG | (m), .show = (fn), .flags = (fl) }
#define PROC_RW(n, m, fn, wr)	{ .name = (n), .mode = S_IFREG | (m), .show = (fn), .write = (wr) }
#define PROC_LINK(n, fn, fl)	{ .name = (n), .mode = S_IFLNK | 0777, .readlink = (fn), .flags = (fl) }
#define PROC_MAGIC(n, fn, gl, fl) \
	{ .name = (n), .mode = S_IFLNK | 0777, .readlink = (fn), .get_link = (gl), .flags = (fl) }
#define PROC_OPS(n, m, op, ops)	{ .name = (n), .mode = S_IFREG | (m), .open = (op), .fops = (ops) }
#define PROC_DIR(n, m, d, fl)	{ .name = (n), .mode = S_IFDIR | (m), .dir = (d), .flags = (fl) }

struct proc_dir {
	const struct proc_entry *ents;
	size_t n;
	uint32_t ino_base;	/* inode numbers of the table: ino_base + index */
	/* Dynamic entries after the table (pids, tids, descriptors); NULL: none. */
	int (*lookup)(struct inode *dir, const char *name, struct inode **out);
	/* List them from readdir position PROC_DYN_POS on. */
	int (*readdir)(struct inode *dir, struct dir_emit *ctx);
};
#define PROC_DYN_POS	1000

/*
 * What one procfs inode is.  pid and tid are the kernel's numbers; names
 * and contents show the numbers of the pid namespace of the procfs
 * instance (its mounter's, as Linux's), ns.
 */
struct pid_namespace;
struct pnode {
	const struct proc_entry *e;
	uint32_t idx;		/* in its table, or the dynamic number */
	pid_t pid;		/* the process of /proc/PID/..., 0 above */
	pid_t tid;		/* the thread of task/TID/..., 0 for the process */
	int fd;			/* fd/N, fdinfo/N; -1 else */
	struct pid_namespace *ns;	/* its super block's (which holds it) */
};

/* The number of the task whose kernel number is global in n's pid namespace (0: not there). */
pid_t proc_nr(const struct pnode *n, pid_t global);
/* The kernel's number of n's namespace's number nr, or PID_NOWHERE. */
pid_t proc_global(const struct pnode *n, pid_t nr);

static inline struct pnode *pn(struct inode *i)
{
	return i->priv;
}

/*
 * A new inode for e below dir: it inherits dir's pid and tid (and owner,
 * under /proc/PID), with idx and fd as given.
 */
int proc_inode_for(struct inode *dir, const struct proc_entry *e, uint32_t idx, int fd,
		   struct inode **out);
/* The same for a /proc/PID or task/TID directory. */
int proc_pid_inode(struct inode *dir, const struct proc_entry *e, pid_t pid, pid_t tid,
		   struct inode **out);
/* The inode number of entry idx of dir in the directory of (pid, tid), fd/N's fd. */
uint64_t proc_ino(const struct proc_dir *dir, uint32_t idx, pid_t pid, pid_t tid, int fd);
/* Emit a numbered dynamic entry at position pos. */
int proc_emit_num(struct dir_emit *ctx, long num, uint64_t ino, unsigned int dt, uint64_t pos);
/* A decimal name ("17"), or -ENOENT. */
int proc_parse_num(const char *name, int *out);

/*
 * /proc/sys number syntax (sysctl_parse.c), each over a whole write of len
 * bytes with blanks around, 0 or -EINVAL: sysctl_parse_dec_int, one decimal
 * int (proc_dointvec); sysctl_parse_num, a magnitude in C's bases and its
 * sign (proc_get_long); sysctl_parse_int, that as an int.
 * sysctl_parse_u32: one decimal number up to 2^32-1 after blanks in
 * [s, end): the position after it, or NULL.
 */
int sysctl_parse_dec_int(const char *buf, size_t len, int *out);
int sysctl_parse_num(const char *buf, size_t len, uint64_t *out, bool *neg);
int sysctl_parse_int(const char *buf, size_t len, int *out);
const char *sysctl_parse_u32(const char *s, const char *end, uint64_t *v);

/* The process of n (a reference: process_put it), or NULL once it is gone. */
struct process *proc_process(const struct pnode *n);
/*
 * May the caller read p's private state (Linux's ptrace_may_access in
 * read mode with its file-system ids): 0 or -EACCES.
 */
int proc_may_access(struct process *p);

/* /proc/PID/mem (mem.c). */
int proc_mem_open(struct pnode *n, struct file *f);
extern const struct file_ops proc_mem_ops;

/* The table directories. */
extern const struct proc_dir proc_root_dir;
extern const struct proc_dir proc_pid_dir;
extern const struct proc_dir proc_tid_dir;
extern const struct proc_dir proc_task_dir;
extern const struct proc_dir proc_fd_dir;
extern const struct proc_dir proc_fdinfo_dir;
extern const struct proc_dir proc_sys_dir;
extern const struct proc_dir proc_net_dir;
extern const struct proc_dir proc_sysvipc_dir;
extern const struct proc_dir proc_ns_dir;
/* The entries of dynamic directories: /proc/PID, task/TID, fd/N, fdinfo/N. */
extern const struct proc_entry proc_pid_entry;
extern const struct proc_entry proc_tid_entry;

/* ---- generators shared between files ---- */

/* /proc/PID/mounts and /proc/PID/mountinfo (mounts.c). */
int proc_show_mounts(struct pnode *n, struct text *t);
int proc_show_mountinfo(struct pnode *n, struct text *t);
int proc_show_mountstats(struct pnode *n, struct text *t);
/* Linux's mount ids: the anonymous device minor of the mounted super block. */
/* maps.c */
int proc_show_maps(struct pnode *n, struct text *t);
int proc_show_smaps(struct pnode *n, struct text *t);
/* The exe, cwd and root links, fd/N (fd.c). */
int proc_readlink_exe(struct pnode *n, char *buf, size_t size);
int proc_fd_get_link(struct pnode *n, struct mount **m, struct dentry **d);
int proc_cwd_get_link(struct pnode *n, struct mount **m, struct dentry **d);
int proc_root_get_link(struct pnode *n, struct mount **m, struct dentry **d);
int proc_readlink_cwd(struct pnode *n, char *buf, size_t size);
int proc_readlink_root(struct pnode *n, char *buf, size_t size);

#endif
