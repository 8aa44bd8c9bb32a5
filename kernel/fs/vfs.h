/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The VFS proper: inodes, dentries, super blocks, mounts and path walk.
 * Private to kernel/fs/ (other subsystems use fs/file.h).
 *
 * Locking: vfs_ns_lock (a mutex) protects the shape of the namespace: the
 * children lists of dentries, mounts, and directory-changing inode
 * operations.  The children lists, dentry->mounted, and the names of
 * cached dentries change only with dcache_lock (a spinlock inside
 * dentry.c) held as well, so the path walk reads the cache under that
 * alone (dentry_lookup_fast).  inode->lock protects an inode's data and
 * attributes.  Reference counts are atomic; the last dentry_put of an
 * unlinked dentry frees it.
 */
#ifndef KERNEL_FS_VFS_H
#define KERNEL_FS_VFS_H
#include <aster/errno.h>
#include <aster/refcount.h>
#include <aster/types.h>
#include <aster/wait.h>
#include "fs/file.h"
#include "fs/locks.h"
#include <aster/list.h>
#include "uapi/limits.h"
#include "uapi/stat.h"
#include "uapi/fcntl.h"
#include "uapi/dirent.h"

#define MAX_SYMLINKS	40
#define MAX_NESTED_LINKS 8

/* Permission masks. */
#define MAY_EXEC	1
#define MAY_WRITE	2
#define MAY_READ	4

/* Lookup flags. */
#define LOOKUP_FOLLOW		0x1	/* follow a final symlink */
#define LOOKUP_DIRECTORY	0x2	/* the result must be a directory */
#define LOOKUP_EMPTY		0x4	/* "" names dirfd itself */
/* openat2's RESOLVE_* restrictions, for the whole walk (symlink targets too). */
#define LOOKUP_NO_XDEV		0x10	/* crossing a mount: EXDEV */
#define LOOKUP_NO_MAGICLINKS	0x20	/* a magic link: ELOOP */
#define LOOKUP_NO_SYMLINKS	0x40	/* any symlink to follow: ELOOP */
#define LOOKUP_BENEATH		0x80	/* leaving the start directory: EXDEV */
#define LOOKUP_IN_ROOT		0x100	/* the start directory is "/" */
#define LOOKUP_CACHED		0x200	/* only the dentry cache: EAGAIN otherwise */
#define LOOKUP_SCOPED		(LOOKUP_BENEATH | LOOKUP_IN_ROOT)
#define LOOKUP_RESOLVE		(LOOKUP_NO_XDEV | LOOKUP_NO_MAGICLINKS | LOOKUP_NO_SYMLINKS | \
				 LOOKUP_SCOPED | LOOKUP_CACHED)

struct timespec64 {
	int64_t sec;
	int64_t nsec;
};

struct super_block;
struct inode;
struct dentry;
struct mount;

/* One directory entry handed to a readdir callback. */
struct dir_emit {
	/* Returns 0 to go on, nonzero (buffer full) to stop before this entry. */
	int (*emit)(struct dir_emit *ctx, const char *name, size_t len, uint64_t ino,
		    unsigned int dtype, uint64_t next_pos);
	uint64_t pos;		/* in: where to start */
};

struct inode_ops {
	/*
	 * Dynamic directories (procfs): a new inode for name, or -ENOENT.
	 * NULL: the children live in the dentry cache (ramfs).
	 */
	int (*lookup)(struct inode *dir, const char *name, struct inode **out);
	/* Dynamic directories: list the entries (after "." and ".."). */
	int (*readdir)(struct inode *dir, struct dir_emit *ctx);
	/* Make a new inode of mode (any type) for a directory entry. */
	int (*create)(struct inode *dir, uint32_t mode, uint32_t rdev, struct inode **out);
	/* Symlink target into buf (not terminated): length or -errno. */
	int (*readlink)(struct inode *inode, char *buf, size_t size);
	/* Set the size of a regular file (zero-filling growth). */
	int (*setsize)(struct inode *inode, uint64_t size);
	/* Prepare a newly opened file (procfs content, chrdev, fifo). */
	int (*open)(struct file *f);
};

struct fs_type {
	const char *name;
	uint64_t magic;
	/* A new super block with its root dentry. */
	int (*mount)(const char *source, uint64_t flags, struct super_block **out);
	/* Read-only, dentries not cached (lookup every time). */
	bool dynamic;
};

struct super_block {
	const struct fs_type *type;
	struct dentry *root;
	struct mount *mnt;		/* where this is mounted (NULL: detached/root) */
	uint32_t dev;
	uint64_t next_ino;
	uint64_t mnt_flags;
	void *priv;
	/* Free the fs-specific parts of an inode whose last reference went. */
	void (*evict)(struct inode *inode);
};

struct inode {
	refcount_t refs;
	struct super_block *sb;
	const struct inode_ops *iops;
	const struct file_ops *fops;
	struct mutex lock;
	uint64_t ino;
	uint32_t mode, uid, gid, nlink;
	uint64_t size;
	struct timespec64 atime, mtime, ctime;
	uint32_t rdev;
	int32_t writers;		/* >0 open for writing, <0 deny-write count */
	void *priv;			/* fs-specific */
	struct pipe *pipe;		/* FIFOs: created on first open */
	struct file_lock_ctx flctx;	/* record and flock locks (fs/locks.c) */
	/* procfs exe, cwd, fd/N: refused by RESOLVE_NO_MAGICLINKS and scoped lookups. */
	bool magic_link;
};

struct dentry {
	/*
	 * References: its users', its cached children's, and one of the
	 * cache's own while it is linked in its parent (dentry_attach).
	 */
	refcount_t refs;
	char *name;			/* kmalloc'ed, "/" for roots */
	uint32_t name_len;
	uint32_t name_hash;		/* dentry_name_hash(name) */
	struct dentry *hash_next;	/* in the cache's hash chain, while cached */
	struct dentry *parent;		/* a reference; NULL for a root */
	struct inode *inode;		/* a reference */
	struct super_block *sb;
	struct list_node children;	/* cached children, in creation order */
	struct list_node sibling;
	bool cached;			/* linked in the parent's children */
	uint64_t seq;			/* position in the parent, for readdir */
	uint64_t next_seq;		/* next child position */
	struct mount *mounted;		/* the mount on top of this dentry */
};

struct mount {
	struct dentry *mountpoint;	/* a reference */
	struct super_block *sb;
	char *source;
	struct list_node node;		/* in mount_list */
};

extern struct mutex vfs_ns_lock;
extern struct list_node mount_list;
extern struct dentry *vfs_root;	/* the root of the namespace */

/* ---- inodes ---- */
int inode_new(struct super_block *sb, uint32_t mode, struct inode **out);
void inode_get(struct inode *i);
void inode_put(struct inode *i);
struct timespec64 vfs_now(void);
void inode_touch(struct inode *i, bool atime, bool mtime, bool ctime);
/* The current credentials' checks: 0 or -EACCES. */
int inode_permission(struct inode *i, int mask);
int inode_permission_ids(struct inode *i, int mask, uint32_t uid, bool (*in_group)(uint32_t gid));
bool vfs_is_owner_or_root(struct inode *i);
uint32_t vfs_current_fsuid(void);
uint32_t vfs_current_fsgid(void);
uint32_t vfs_current_umask(void);
bool vfs_in_group(uint32_t gid);

/* ---- dentries ---- */
int dentry_new(struct dentry *parent, const char *name, size_t len, struct inode *inode,
	       struct dentry **out);
int dentry_new_root(struct super_block *sb, struct inode *inode, struct dentry **out);
void dentry_get(struct dentry *d);
void dentry_put(struct dentry *d);
/*
 * Link d (fresh from dentry_new) into its parent's cached children (ns
 * lock held); the cache takes a reference of its own, the caller keeps its.
 */
void dentry_attach(struct dentry *d);
/* Unlink d from its parent's children and drop the cache's reference (ns lock held). */
void dentry_detach(struct dentry *d);
/* Give a detached dentry a new name (rename): a kmalloc'ed string it now owns. */
void dentry_set_name(struct dentry *d, char *name);
/* The hash of a name, for comparing names quickly. */
uint32_t dentry_name_hash(const char *name, size_t len);
/* A cached child by name with a reference, or NULL (any lock or none). */
struct dentry *dentry_find_child(struct dentry *dir, const char *name, size_t len);
/*
 * The path walk's lookup without vfs_ns_lock: a cached child with nothing
 * mounted on it, with a reference (0); -ENOENT when dir has no such cached
 * child and its fs has no lookup (the cache is the whole directory); else
 * -EAGAIN: use dentry_lookup under the ns lock.
 */
int dentry_lookup_fast(struct dentry *dir, const char *name, size_t len, struct dentry **out);
/* Set or clear what is mounted on d (ns lock held). */
void dentry_set_mounted(struct dentry *d, struct mount *m);
/* Look up a child: the cache, or the fs's lookup. 0 / -ENOENT (ns lock held). */
int dentry_lookup(struct dentry *dir, const char *name, size_t len, struct dentry **out);
/* Follow mounts on top of d (ns lock held); consumes and returns a reference. */
struct dentry *dentry_follow_mounts(struct dentry *d);
/* The path of d into buf, relative to root: length or -errno. */
int dentry_path(struct dentry *d, struct dentry *root, char *buf, size_t size);
int dentry_path_locked(struct dentry *d, struct dentry *root, char *buf, size_t size);
/* The dentry's parent in the namespace (crossing mounts up), or NULL at the top. */
struct dentry *dentry_ns_parent(struct dentry *d);
bool dentry_is_root_of(struct dentry *d, struct dentry *root);

/* ---- path walk ---- */
/* The fs_context of the caller (a reference) or the root context. */
struct fs_context *vfs_current_fs(void);
/* With a reference (dentry_put it): another thread sharing c may change them. */
struct dentry *fs_context_get_root(struct fs_context *c);
struct dentry *fs_context_get_cwd(struct fs_context *c);
void fs_context_set_cwd(struct fs_context *c, struct dentry *d);	/* takes a ref */
void fs_context_set_root(struct fs_context *c, struct dentry *d);	/* takes a ref */

/* Where a relative path starts for dirfd: a reference, or -EBADF/-ENOTDIR. */
int vfs_start_dir(int dirfd, struct dentry **out);
/* Resolve a whole path. */
int vfs_lookup_at(struct dentry *start, const char *path, unsigned int flags,
		  struct dentry **out);
int vfs_lookup(int dirfd, const char *path, unsigned int flags, struct dentry **out);

/* The result of resolving all but the last component. */
struct nameparent {
	struct dentry *dir;		/* a reference */
	char last[NAME_MAX + 1];
	bool trailing_slash;
	int dots;			/* last is "." (1) or ".." (2), 0 otherwise */
};
int vfs_lookup_parent(int dirfd, const char *path, struct nameparent *np);
/* The same under LOOKUP_RESOLVE restrictions (other flags are ignored). */
int vfs_lookup_parent_flags(int dirfd, const char *path, unsigned int flags,
			    struct nameparent *np);
void nameparent_release(struct nameparent *np);

/* ---- namespace operations (the *at syscalls' bodies) ---- */
int vfs_mknod(int dirfd, const char *path, uint32_t mode, uint32_t rdev, struct dentry **out);
int vfs_mkdir(int dirfd, const char *path, uint32_t mode);
int vfs_symlink(const char *target, int dirfd, const char *path);
int vfs_link(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);
int vfs_unlink(int dirfd, const char *path);
int vfs_rmdir(int dirfd, const char *path);
int vfs_rename(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
	       unsigned int flags);
int vfs_readlink(struct dentry *d, char *buf, size_t size);
int vfs_truncate_inode(struct inode *i, uint64_t size);
/* Create a child of dir (ns lock held). */
int vfs_create_child(struct dentry *dir, const char *name, uint32_t mode, uint32_t rdev,
		     struct dentry **out);

/* ---- open ---- */
int vfs_open(int dirfd, const char *path, unsigned int flags, uint32_t mode, struct file **out);
/* openat2: the same with LOOKUP_RESOLVE restrictions on the walk. */
int vfs_open_resolve(int dirfd, const char *path, unsigned int flags, uint32_t mode,
		     unsigned int lookup_flags, struct file **out);
/* An open file for a resolved dentry (permission checks done by the caller). */
int vfs_open_dentry(struct dentry *d, unsigned int flags, struct file **out);
ssize_t vfs_read(struct file *f, struct iobuf *buf, uint64_t *pos);
ssize_t vfs_write(struct file *f, struct iobuf *buf, uint64_t *pos);
int64_t vfs_generic_llseek(struct file *f, int64_t off, int whence);
/* An iterator over a directory (".", "..", then entries). */
int vfs_readdir(struct file *f, struct dir_emit *ctx);

/* ---- mounts ---- */
int fs_type_find(const char *name, const struct fs_type **out);
int vfs_mount(const char *source, int dirfd, const char *target, const char *type,
	      uint64_t flags);
int vfs_umount(int dirfd, const char *target, int flags);
/* Mount a fresh super block on d (ns lock not held). */
int vfs_mount_at(struct dentry *d, struct super_block *sb, const char *source);
uint32_t vfs_new_dev(void);
/* /proc/mounts text into buf: length. */
size_t vfs_mounts_text(char *buf, size_t size);

/* ---- file systems ---- */
extern const struct fs_type ramfs_type;
extern const struct fs_type tmpfs_type;
extern const struct fs_type devtmpfs_type;
extern const struct fs_type procfs_type;
extern const struct fs_type sysfs_type;
int ramfs_new_sb(const struct fs_type *type, struct super_block **out);
/* Replace the contents of a ramfs regular file with data (initramfs, sysfs). */
int ramfs_set_data(struct inode *i, const void *data, size_t len);
/* Write data at off into a ramfs regular file (the initramfs, as its bytes arrive). */
int ramfs_write_data(struct inode *i, uint64_t off, const void *data, size_t len);

/* ---- character devices ---- */
int chrdev_open(struct file *f, uint32_t rdev);
void devtmpfs_populate(struct super_block *sb);

/* ---- pipes (fs/pipe.c) ---- */
struct pipe;
int pipe_create_files(unsigned int flags, struct file **rd, struct file **wr);
int fifo_open(struct file *f);
void pipe_free(struct pipe *p);

/* ---- small helpers ---- */
int vfs_stat_fill(struct inode *i, void *kstat);	/* struct linux_stat */
uint32_t dev_encode(uint32_t kdev);	/* kernel dev -> user dev_t */
uint32_t dev_decode(uint64_t udev);
unsigned int mode_to_dtype(uint32_t mode);

#endif
