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
#include "uapi/statfs.h"

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
struct file;

/* One directory entry handed to a readdir callback. */
struct dir_emit {
	/* Returns 0 to go on, nonzero (buffer full) to stop before this entry. */
	int (*emit)(struct dir_emit *ctx, const char *name, size_t len, uint64_t ino,
		    unsigned int dtype, uint64_t next_pos);
	uint64_t pos;		/* in: where to start */
};

struct inode_ops {
	/*
	 * Optional: the last word on an access that the mode bits and
	 * capabilities refused (err, -EACCES): 0 to allow it after all, as
	 * Linux's proc_fd_permission lets a process into its own fd/.
	 */
	int (*permission_denied)(struct inode *i, int mask, int err);
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
	/*
	 * Optional, for magic links (procfs's fd/N): the open file's own
	 * mount and dentry, references, which a path walk jumps to instead of
	 * walking the readlink text (so a deleted or moved file, or one
	 * outside the caller's root, is still reached, as on Linux).  1 when
	 * there is none (a pipe, a socket): the text is walked.  Or -errno.
	 */
	int (*get_link)(struct inode *inode, struct mount **m, struct dentry **d);
	/* Set the size of a regular file (zero-filling growth). */
	int (*setsize)(struct inode *inode, uint64_t size);
	/* Prepare a newly opened file (procfs content, chrdev, fifo). */
	int (*open)(struct file *f);
	/* Optional: inode gets one more name in dir (before the VFS adds it): 0 or -errno. */
	int (*link)(struct inode *dir, struct inode *inode);
	/* Optional: a name of inode in dir goes (before the VFS drops it). */
	void (*unlink)(struct inode *dir, struct inode *inode);
	/*
	 * Optional, for directories that are kernel objects (cgroup2, as
	 * Linux's kernfs): mkdir makes the directory inode for name (create
	 * is then not asked for directories); rmdir decides whether the
	 * directory victim named name may go (0, or -errno such as -EBUSY)
	 * instead of the emptiness check, and the files the file system put
	 * in it go with it.  vfs_ns_lock held.
	 */
	int (*mkdir)(struct inode *dir, const char *name, uint32_t mode, struct inode **out);
	int (*rmdir)(struct inode *dir, const char *name, struct inode *victim);
	/* Optional: fallocate(2) on a regular file (i->lock held): 0 or -errno. */
	int (*fallocate)(struct inode *inode, int mode, uint64_t off, uint64_t len);
	/*
	 * Optional, for file systems that keep their directories themselves
	 * (disk file systems; doc/filesystems.md).  Called on the directory
	 * inode with vfs_ns_lock held, after the VFS's permission and type
	 * checks, before it changes its dentry cache.  When present the file
	 * system changes the entry on its own and keeps nlink, size and times
	 * of every inode involved up to date; the VFS then only updates the
	 * dentry cache and sends the inotify events.  With them, lookup (also
	 * required) is not dynamic: what it finds is cached, and a name the
	 * cache lacks is asked of the file system.
	 */
	/* A new inode of mode (any type but a symlink) named name in dir, owned by uid:gid. */
	int (*create_named)(struct inode *dir, const char *name, uint32_t mode, uint32_t rdev,
			    uint32_t uid, uint32_t gid, struct inode **out);
	/* A new symlink name -> target in dir. */
	int (*symlink)(struct inode *dir, const char *name, const char *target, uint32_t uid,
		       uint32_t gid, struct inode **out);
	/* A new name for inode (not a directory) in dir. */
	int (*link_named)(struct inode *dir, const char *name, struct inode *inode);
	/* Remove the name of inode (not a directory) from dir. */
	int (*unlink_named)(struct inode *dir, const char *name, struct inode *inode);
	/* Remove the empty directory inode named name from dir (-ENOTEMPTY otherwise). */
	int (*rmdir_named)(struct inode *dir, const char *name, struct inode *inode);
	/*
	 * rename(2) without flags (the VFS refuses RENAME_EXCHANGE with
	 * -EINVAL, as Linux's ext2): src is the inode moved, victim the one
	 * replaced at the new name or NULL.
	 */
	int (*rename_named)(struct inode *odir, const char *oname, struct inode *ndir,
			    const char *nname, struct inode *src, struct inode *victim);
};


struct fs_type {
	const char *name;
	uint64_t magic;
	/* A new super block with its root dentry. */
	int (*mount)(const char *source, uint64_t flags, struct super_block **out);
	/*
	 * Optional, instead of mount: the same with mount(2)'s option string
	 * (data: NULL when none); unknown options are -EINVAL.  It may also
	 * return 1 and a super block already mounted (a second mount of the
	 * same device), with a mount count taken by sb_mount_get_live for
	 * the caller, who drops it once its struct mount holds one.
	 */
	int (*mount_data)(const char *source, uint64_t flags, const char *data,
			  struct super_block **out);
	/* Read-only, dentries not cached (lookup every time). */
	bool dynamic;
	/*
	 * Every name is the kernel's (sysfs): creating, linking, removing
	 * and renaming are -EPERM, O_CREAT of a new name -EACCES, as
	 * Linux's kernfs.
	 */
	bool fixed_names;
	/* Mounts a block device (/proc/filesystems lists the others as "nodev"). */
	bool requires_dev;
};

struct super_block {
	const struct fs_type *type;
	struct dentry *root;
	/*
	 * One attached mount of this super block (the first still mounted),
	 * for code that has a dentry but not the mount it came through; NULL
	 * once none is attached.  ns lock.
	 */
	struct mount *mnt;
	uint32_t dev;
	uint64_t next_ino;
	uint64_t flags;			/* MS_RDONLY: the file system itself is read-only */
	void *priv;
	/* Optional: the statfs figures (f_blocks, f_bfree, f_files...): 0 or -errno. */
	int (*statfs)(struct super_block *sb, struct linux_statfs *st);
	/* Optional: ",size=..." for /proc/mounts into buf: length. */
	size_t (*show_options)(struct super_block *sb, char *buf, size_t size);
	/* Optional: remount with new options (data, may be NULL): 0 or -errno. */
	int (*remount)(struct super_block *sb, const char *data);
	/*
	 * Optional: a remount makes the file system read-only (write back
	 * everything, mark it clean) or read-write again (ns lock held): 0 or
	 * -errno.  Without it, a file system on a device cannot become
	 * read-write again (EROFS); others only change sb->flags.
	 */
	int (*set_rdonly)(struct super_block *sb, bool rdonly);
	/* Free the fs-specific parts of an inode whose last reference went. */
	void (*evict)(struct inode *inode);
	/*
	 * Lifetime: refs counts live inodes (inode_new, inode_put) plus one
	 * while any struct mount shows it (mounts).  When the last mount goes
	 * (no file, cwd or mapping can reach it any more), the optional kill
	 * drops what the file system pins itself (a tmpfs's dentry tree) and
	 * the super block is dying; the optional destroy frees it once refs
	 * reaches zero.  Without them the super block lives for ever (the
	 * root ramfs).
	 */
	atomic_t refs, mounts;
	bool dying;
	void (*kill)(struct super_block *sb);
	void (*destroy)(struct super_block *sb);
	/*
	 * Optional: write everything the file system holds back to its device
	 * and make it durable (sync, syncfs, fsync, the last umount): 0 or -errno.
	 */
	int (*sync)(struct super_block *sb);
};

/* super block references (see refs above); sb_put may destroy it. */
void sb_get(struct super_block *sb);
void sb_put(struct super_block *sb);
/* A struct mount of sb was made, or freed (the last one kills it). */
void sb_mount_add(struct super_block *sb);
void sb_mount_drop(struct super_block *sb);
/* One more mount count, unless the last one went already (false): the sb is dying. */
bool sb_mount_get_live(struct super_block *sb);
/* Unlink every cached dentry under sb->root and the root itself (kill for ramfs-like file systems). */
void dentry_kill_tree(struct super_block *sb);

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
	struct timespec64 btime;	/* creation (statx's stx_btime where the fs keeps it) */
	uint32_t rdev;
	/*
	 * VFS-owned, for file systems that keep their own directories
	 * (inode_fs_names): every name of this directory is in the dentry
	 * cache (the directory was made by this mount and every change went
	 * through the VFS), so a miss there is a miss and the file system is
	 * not asked.  Cleared when a change reached the file system but not
	 * the cache.
	 */
	bool names_cached;
	/* st_blocks (512-byte units) when the fs counts them (fs_blocks), else from size. */
	uint64_t blocks;
	bool fs_blocks;
	int32_t writers;		/* >0 open for writing, <0 deny-write count */
	int32_t readers;		/* regular file: opens O_RDONLY (the write lease's check) */
	void *priv;			/* fs-specific */
	struct pipe *pipe;		/* FIFOs: created on first open */
	struct file_lock_ctx flctx;	/* record and flock locks (fs/locks.c) */
	/* procfs exe, cwd, fd/N: refused by RESOLVE_NO_MAGICLINKS and scoped lookups. */
	bool magic_link;
	/* An O_TMPFILE file without O_EXCL: linkat may give it its first name. */
	bool linkable;
	/* inotify watches on this inode (fs/event/inotify.c's lock). */
	uint32_t nwatches;
	struct list_node inotify_watches;
	/* memfd and tmpfs files: F_SEAL_* (sealable: F_ADD_SEALS works at all). */
	bool sealable;
	uint32_t seals;
	atomic_t mmap_writers;		/* shared mappings that may write it */
};

/* Does the directory inode di keep its entries itself (the *_named operations)? */
static inline bool inode_fs_names(const struct inode *di)
{
	return di->iops && di->iops->create_named;
}

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
	/*
	 * How many mounts sit on this dentry (through any parent mount: a
	 * bind mount shows the same dentry in two places); which one a walk
	 * enters is mount_lookup's answer for the mount it came through.
	 */
	uint32_t mounted;
};

/*
 * A mount: a super block's tree (or, for a bind mount, a subtree) shown at
 * a mount point.  A position in the namespace is a (mount, dentry) pair:
 * the walk, open files and the fs_context carry the mount with its
 * reference, so per-mount flags and ".." at a bind mount's root are right.
 */
struct mount {
	/*
	 * The tree's (while attached), each child mount's, and those of open
	 * files, fs_contexts and walks in progress: umount is EBUSY above 2.
	 */
	refcount_t refs;
	int id;				/* /proc/self/mountinfo's mount id */
	struct mount *parent;		/* a reference; NULL: the root mount or detached */
	struct dentry *mountpoint;	/* a reference; NULL: the root mount or detached */
	struct dentry *root;		/* a reference: sb->root or a bind mount's dentry */
	struct super_block *sb;
	char *source;
	uint64_t flags;			/* MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC of this mount */
	int writers;			/* files open for writing through it (mount_write_lock) */
	bool attached;			/* in mount_list and the tree */
	bool expiring;			/* MNT_EXPIRE's mark */
	bool unbindable;		/* MS_UNBINDABLE: bind and propagation copy it not */
	struct list_node node;		/* in mount_list */
	/* The namespace whose tree holds it (borrowed; NULL: not in a tree). */
	struct mnt_namespace *ns;
	/*
	 * Propagation (pnode.c, Documentation/filesystems/sharedsubtree.rst):
	 * a shared mount has a peer group id and a ring of its peers; a slave
	 * has a master (a shared mount, borrowed) and sits on its slave list.
	 */
	int group_id;			/* 0: not shared */
	struct list_node share;		/* the peer ring (alone: no peers) */
	struct list_node slaves;	/* the mounts whose master this is */
	struct list_node slave;		/* on master->slaves */
	struct mount *master;		/* NULL: not a slave */
	/* Scratch of one operation under the ns lock: a walk's mark, a tree copy's twin. */
	uint32_t mark;
	struct mount *copy;
};

/*
 * A mount namespace (mnt_ns.c): a tree of mounts of its own.  The root
 * mount has no parent; every mount in the tree has ns pointing here.  It
 * lives while an nsproxy or an nsfs file holds it; the last put unmounts
 * its tree (the mounts open files still use stay, detached).
 */
struct mnt_namespace;

extern struct mutex vfs_ns_lock;
extern struct list_node mount_list;
extern struct dentry *vfs_root;	/* the root of the namespace */
extern struct mount *root_mount;	/* its mount */

/* ---- inodes ---- */
int inode_new(struct super_block *sb, uint32_t mode, struct inode **out);
void inode_get(struct inode *i);
void inode_put(struct inode *i);
struct timespec64 vfs_now(void);
void inode_touch(struct inode *i, bool atime, bool mtime, bool ctime);
/*
 * An access through mount m (NULL: none) as Linux's touch_atime: atime
 * becomes now unless the mount or super block is read-only, the mount is
 * noatime (or nodiratime for a directory), or relatime finds the atime
 * newer than mtime and ctime and less than a day old.
 */
bool atime_needs_update(const struct mount *m, const struct inode *i);
void touch_atime(const struct mount *m, struct inode *i);
/*
 * The current credentials' checks: 0 or -EACCES.  The mode bits for uid
 * (and in_group), then Linux's generic_permission overrides by the
 * capabilities in caps (CAP_DAC_READ_SEARCH, CAP_DAC_OVERRIDE).
 */
int inode_permission(struct inode *i, int mask);
int inode_permission_ids(struct inode *i, int mask, uint32_t uid, bool (*in_group)(uint32_t gid),
			 uint64_t caps);
/* Linux's inode_owner_or_capable: the fsuid owns i, or CAP_FOWNER. */
bool vfs_owner_or_capable(struct inode *i);
/* Linux's check_sticky: may the caller remove victim from dir (0 or -EPERM)? */
int vfs_sticky_check(struct inode *dir, struct inode *victim);
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
/* Count a mount put on d (+1) or taken off (-1) (ns lock held). */
void dentry_mount_count(struct dentry *d, int delta);
/* Look up a child: the cache, or the fs's lookup. 0 / -ENOENT (ns lock held). */
int dentry_lookup(struct dentry *dir, const char *name, size_t len, struct dentry **out);
/*
 * The path of d into buf, relative to root: length or -errno.  The
 * dentry-only forms take the mount of d to be mount_of_dentry's.
 */
int dentry_path(struct dentry *d, struct dentry *root, char *buf, size_t size);
int dentry_path_locked(struct dentry *d, struct dentry *root, char *buf, size_t size);
/* The same for d reached through m, relative to (root_m, root) (ns lock held). */
int mount_path_locked(struct mount *m, struct dentry *d, struct mount *root_m,
		      struct dentry *root, char *buf, size_t size);
/*
 * The parent of (*m, d) in the namespace, crossing mounts up: a borrowed
 * dentry with *m set to its mount (borrowed), or NULL at the top (ns lock).
 */
struct dentry *mount_ns_parent(struct mount **m, struct dentry *d);
/* The dentry's parent in the namespace (through mount_of_dentry), or NULL at the top. */
struct dentry *dentry_ns_parent(struct dentry *d);
bool dentry_is_root_of(struct dentry *d, struct dentry *root);

/* ---- path walk ---- */
/* The fs_context of the caller (a reference) or the root context. */
struct fs_context *vfs_current_fs(void);
/* With a reference (dentry_put it): another thread sharing c may change them. */
struct dentry *fs_context_get_root(struct fs_context *c);
struct dentry *fs_context_get_cwd(struct fs_context *c);
/* The same with the mount of each (a reference too: mount_put it). */
struct dentry *fs_context_get_root_mnt(struct fs_context *c, struct mount **m);
struct dentry *fs_context_get_cwd_mnt(struct fs_context *c, struct mount **m);
/* Take references of their own on d and m (m NULL: mount_of_dentry(d)). */
void fs_context_set_cwd(struct fs_context *c, struct mount *m, struct dentry *d);
void fs_context_set_root(struct fs_context *c, struct mount *m, struct dentry *d);

/*
 * Where a relative path starts for dirfd: a reference, or -EBADF/-ENOTDIR;
 * with its mount (a reference) when m is not NULL.
 */
int vfs_start_dir(int dirfd, struct dentry **out, struct mount **m);
/* Resolve a whole path. */
int vfs_lookup_at(struct dentry *start, const char *path, unsigned int flags,
		  struct dentry **out);
int vfs_lookup(int dirfd, const char *path, unsigned int flags, struct dentry **out);
/* The same, with the mount the result was reached through (a reference: mount_put). */
int vfs_lookup_mnt(int dirfd, const char *path, unsigned int flags, struct dentry **out,
		   struct mount **m);

/* The result of resolving all but the last component. */
struct nameparent {
	struct dentry *dir;		/* a reference */
	struct mount *mnt;		/* dir's mount, a reference */
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
/* O_TMPFILE: an unnamed regular file in the directory path names. */
int vfs_open_tmpfile(int dirfd, const char *path, unsigned int flags, uint32_t mode,
		     unsigned int resolve, struct file **out);
/* openat2: the same with LOOKUP_RESOLVE restrictions on the walk. */
int vfs_open_resolve(int dirfd, const char *path, unsigned int flags, uint32_t mode,
		     unsigned int lookup_flags, struct file **out);
/* An open file for a resolved dentry (permission checks done by the caller). */
int vfs_open_dentry(struct dentry *d, unsigned int flags, struct file **out);
/* The same through mount m (NULL: mount_of_dentry(d)). */
int vfs_open_path(struct mount *m, struct dentry *d, unsigned int flags, struct file **out);
ssize_t vfs_read(struct file *f, struct iobuf *buf, uint64_t *pos);
ssize_t vfs_write(struct file *f, struct iobuf *buf, uint64_t *pos);
int64_t vfs_generic_llseek(struct file *f, int64_t off, int whence);
/* An iterator over a directory (".", "..", then entries). */
int vfs_readdir(struct file *f, struct dir_emit *ctx);

/* ---- mounts ---- */
int fs_type_find(const char *name, const struct fs_type **out);
/* The i-th registered type, NULL past the last (/proc/filesystems). */
const struct fs_type *fs_type_nth(size_t i);
/* mount(2) after its strings are copied in (data: the option string or NULL). */
int vfs_mount(const char *source, int dirfd, const char *target, const char *type,
	      uint64_t flags, const char *data);
int vfs_umount(int dirfd, const char *target, int flags);
int vfs_pivot_root(const char *new_root, const char *put_old);
/* Mount a fresh super block on d, reached through parent (NULL: mount_of_dentry). */
int vfs_mount_at(struct dentry *d, struct super_block *sb, const char *source);
/*
 * A mount of sb that is attached nowhere (Linux's kern_mount), for files
 * the kernel opens on a file system of its own (mqueue's): it keeps sb
 * mounted, so it never dies.  0 or -ENOMEM.
 */
int vfs_kern_mount(struct super_block *sb, const char *source, struct mount **out);
uint32_t vfs_new_dev(void);
void mount_get(struct mount *m);
void mount_put(struct mount *m);
/*
 * The mount d was most likely reached through, when nobody said: the first
 * attached mount of its super block (a reference), or NULL when none is.
 * The _locked form holds the ns lock and borrows.
 */
struct mount *mount_of_dentry(struct dentry *d);
struct mount *mount_of_dentry_locked(struct dentry *d);
/* The child mount on (parent, d) or NULL (ns lock held; borrowed). */
struct mount *mount_lookup(struct mount *parent, struct dentry *d);
/* Move (*m, *d) onto whatever is mounted there (ns lock held; references swapped). */
void mount_follow(struct mount **m, struct dentry **d);
/* Writes through m: 0 or -EROFS (the mount or its file system is read-only). */
int mount_want_write(struct mount *m);
/* For files opened for writing: count a writer (0 or -EROFS), and uncount. */
int mount_get_write(struct mount *m);
void mount_put_write(struct mount *m);
/*
 * /proc/PID/mounts, mountinfo and mountstats: the mounts of ns seen from
 * the root fs's (the process's): the text's length.
 */
enum mounts_format { MOUNTS_MOUNTS, MOUNTS_INFO, MOUNTS_STATS };
size_t vfs_mounts_text(struct mnt_namespace *ns, struct fs_context *fs, enum mounts_format fmt,
		       char *buf, size_t size);
/* The caller's mount namespace (a reference: mnt_ns_put), the initial one before init. */
struct mnt_namespace *mnt_ns_current(void);
/* p's mount namespace (a reference), NULL once it exited. */
struct process;
struct mnt_namespace *mnt_ns_of(struct process *p);
void mnt_ns_put(struct mnt_namespace *ns);
/* sync(2): every mounted file system's sb->sync (the first error). */
int vfs_sync_all(void);
/* statfs(2)'s figures for a file system seen through m (m may be NULL). */
int vfs_statfs(struct mount *m, struct super_block *sb, struct linux_statfs *st);

/* ---- file systems ---- */
extern const struct fs_type ramfs_type;
extern const struct fs_type tmpfs_type;
extern const struct fs_type devtmpfs_type;
extern const struct fs_type procfs_type;
extern const struct fs_type sysfs_type;
extern const struct fs_type devpts_type;
extern const struct fs_type ext2_type;
extern const struct fs_type mqueue_type;
extern const struct fs_type cgroup2_type;
int ramfs_new_sb(const struct fs_type *type, struct super_block **out);
/* The tmpfs that backs memfd_create's files (made on first use): 0 or -errno. */
int memfd_sb_get(struct super_block **out);
/* Replace the contents of a ramfs regular file with data (initramfs, sysfs). */
int ramfs_set_data(struct inode *i, const void *data, size_t len);
/* The read method of ramfs regular files (sysfs attributes share it). */
ssize_t ramfs_read_file(struct file *f, struct iobuf *buf, uint64_t *pos);
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
/* For splice, tee and vmsplice: is f a pipe end, and are a and b ends of one pipe? */
bool file_is_pipe(struct file *f);
/*
 * F_GETPIPE_SZ and F_SETPIPE_SZ on pipe end f: the size, or -EINVAL (past
 * 2 GiB), -EPERM (growing past pipe-max-size without CAP_SYS_RESOURCE),
 * -EBUSY (the data would not fit), -ENOMEM.
 */
long pipe_fcntl_size(struct file *f, bool set, uint64_t arg);
/* /proc/sys/fs/pipe-max-size: set rounds up to a power-of-two page count (-EINVAL past 2 GiB). */
uint32_t pipe_max_size_get(void);
int pipe_max_size_set(uint64_t v);
/* /proc/sys/fs/pipe-user-pages-soft (hard false) and -hard: pages per user, 0 for no limit. */
uint64_t pipe_user_pages_get(bool hard);
void pipe_user_pages_set(bool hard, uint64_t v);
bool pipe_same(struct file *a, struct file *b);
/* Read from pipe end f, waiting for data unless nonblock; peek leaves it there (tee). */
ssize_t pipe_splice_read(struct file *f, struct iobuf *buf, bool nonblock, bool peek);
/* Wait until pipe end f has room (unless nonblock: -EAGAIN): the room, -EPIPE, -EINTR. */
ssize_t pipe_wait_room(struct file *f, bool nonblock);
/* Put what fits of buf into pipe end f now: bytes, -EPIPE (and SIGPIPE), -EFAULT. */
ssize_t pipe_splice_write(struct file *f, struct iobuf *buf);

/* ---- inotify (fs/event/inotify.c) ---- */
/*
 * An event on i (name: of a child of the directory i, else NULL); cookie
 * pairs IN_MOVED_FROM with IN_MOVED_TO.  Cheap when nobody watches i.
 */
void fsnotify(struct inode *i, uint32_t mask, const char *name, uint32_t cookie);
/* An event on the file of d, and on its directory with its name (open, read, write, close). */
void fsnotify_dentry(struct dentry *d, uint32_t mask);
/* i lost its last name: IN_DELETE_SELF, then its watches go (IN_IGNORED). */
void fsnotify_gone(struct inode *i);
uint32_t fsnotify_cookie(void);
/* /proc/sys/fs/inotify/{max_queued_events,max_user_instances,max_user_watches} by name (-EINVAL below 0). */
int inotify_sysctl_get(const char *name, int *val);
int inotify_sysctl_set(const char *name, int val);

/* ---- small helpers ---- */
uint32_t vfs_nr_files(void);		/* open file descriptions (file-nr) */
uint32_t dev_encode(uint32_t kdev);	/* kernel dev -> user dev_t */
uint32_t dev_decode(uint64_t udev);
unsigned int mode_to_dtype(uint32_t mode);

#endif
