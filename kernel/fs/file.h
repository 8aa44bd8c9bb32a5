/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Open files, the descriptor table, and the file-system context: what the
 * rest of the kernel (processes, exec, memory mappings, drivers) needs from
 * the VFS.  The VFS itself (inodes, dentries, path walk, mounts) lives
 * behind fs/vfs.h.
 *
 * Error idiom: functions return 0 or a byte count, or a negative errno;
 * objects come back through an out parameter.
 */
#ifndef KERNEL_FS_FILE_H
#define KERNEL_FS_FILE_H
#include <aster/frame.h>
#include <aster/refcount.h>
#include <aster/list.h>
#include <aster/sync.h>
#include <aster/types.h>
#include <aster/uaccess.h>
#include <aster/wait.h>
#include "uapi/poll.h"
#include "uapi/fcntl.h"

struct inode;
struct dentry;
struct mount;
struct file;
struct stat;
struct page_cache;
struct file_lease;

/*
 * A buffer that is either user memory (read/write syscalls) or kernel
 * memory (exec reading an ELF header, the initramfs writing files), so one
 * file_ops->read serves both.
 */
struct iobuf {
	bool user;
	uaddr_t ua;		/* when user */
	uint8_t *kbuf;		/* when !user */
	size_t len;
};
static inline struct iobuf iobuf_user(uaddr_t ua, size_t len)
{
	return (struct iobuf){ .user = true, .ua = ua, .len = len };
}
static inline struct iobuf iobuf_kernel(void *p, size_t len)
{
	return (struct iobuf){ .user = false, .kbuf = p, .len = len };
}
/* Copy into / out of the buffer at offset off: 0, -EFAULT or -EINVAL (out of range). */
int iobuf_write(struct iobuf *b, size_t off, const void *src, size_t n);
int iobuf_read(const struct iobuf *b, size_t off, void *dst, size_t n);
int iobuf_write_frame(struct iobuf *b, size_t off, const struct frame *f, size_t foff, size_t n);
int iobuf_read_frame(const struct iobuf *b, size_t off, struct frame *f, size_t foff, size_t n);

struct file_ops {
	/* Read/write at *pos (advance it); return bytes or -errno. */
	ssize_t (*read)(struct file *f, struct iobuf *buf, uint64_t *pos);
	ssize_t (*write)(struct file *f, struct iobuf *buf, uint64_t *pos);
	/* Optional: default is generic seeking on the inode size, or -ESPIPE. */
	int64_t (*llseek)(struct file *f, int64_t off, int whence);
	/* Optional: -ENOTTY when absent. */
	long (*ioctl)(struct file *f, unsigned int cmd, uint64_t arg);
	/* Optional: current readiness (POLL*); absent means always readable and writable. */
	unsigned int (*poll)(struct file *f);
	/*
	 * Optional: a counter that moves at every event relevant to the
	 * readiness bits in events (data written for POLLIN, data read for
	 * POLLOUT, a peer gone...), even when the readiness itself stays
	 * the same.  epoll's edge-triggered mode reports an item again when
	 * it moves; without it, only a rise of a readiness bit is an edge.
	 */
	uint64_t (*poll_seq)(struct file *f, unsigned int events);
	/*
	 * Optional, for mmap: the frame holding page pgoff of the file, with a
	 * reference for the caller.  -ENXIO beyond the end of the file (the
	 * mapping user gets SIGBUS), -ENODEV when absent (mmap fails).
	 */
	int (*get_page)(struct file *f, uint64_t pgoff, struct frame **out);
	/*
	 * Optional, for files with a backing store (ext2): the page cache
	 * get_page serves.  A shared writable mapping of such a file maps its
	 * pages read-only until the first write fault, which marks the page
	 * dirty in this cache and maps it writable; writeback of the cache
	 * write-protects the page again (vmar_wrprotect_cache), so the next
	 * store faults and re-dirties it.  Absent (tmpfs, ramfs, memfd): the
	 * pages have no backing store and are mapped writable at once.
	 */
	struct page_cache *(*page_cache)(struct file *f);
	/* Optional: the last reference went away. */
	void (*release)(struct file *f);
	/* Optional, for fsync/fdatasync: make written data durable (0 or -errno). */
	int (*fsync)(struct file *f);
	/* Optional, for anonymous files: /proc/<pid>/fd shows "anon_inode:[name]". */
	const char *anon_name;
	/*
	 * Optional: lines of its own that /proc/<pid>/fdinfo/N shows after
	 * the common ones (a pidfd's "Pid:"), NUL-terminated into buf.
	 */
	void (*fdinfo)(struct file *f, char *buf, size_t size);
	/* O_DIRECT opens and F_SETFL O_DIRECT are accepted (else EINVAL, as Linux). */
	bool direct_io;
	/* O_ASYNC sends SIGIO at readiness changes (Linux's ->fasync; fs/event/sigio.c). */
	bool fasync;
};

struct file {
	refcount_t refs;
	const struct file_ops *ops;
	struct dentry *dentry;	/* NULL for anonymous files (pipes) */
	struct mount *mnt;	/* what dentry was reached through (a reference), or NULL */
	struct file *deferred_next;	/* dead, waiting for file_put_flush */
	struct inode *inode;	/* NULL for anonymous files */
	unsigned int flags;	/* O_ACCMODE, O_APPEND, O_NONBLOCK, ... */
	struct mutex pos_lock;
	uint64_t pos;
	void *priv;		/* the driver's */
	/* epoll items watching this file (under epoll's lock), and how many. */
	struct list_node epitems;
	atomic_t epoll_watchers;
	/*
	 * F_SETOWN/F_SETOWN_EX/F_SETSIG (fs/syscalls/fown.c): who gets SIGIO
	 * (or owner_sig) with O_ASYNC, and the euid of whoever set the owner
	 * (the permission check of fs/event/sigio.c).
	 */
	int owner_type;		/* F_OWNER_TID, F_OWNER_PID or F_OWNER_PGRP */
	int32_t owner_pid;	/* 0: none */
	int owner_sig;
	/* Landlock rights refused at open (TRUNCATE, for ftruncate and O_TRUNC): 0 for all. */
	uint16_t landlock_denied;
	uint32_t owner_euid;
	/*
	 * O_ASYNC (fs/event/sigio.c, under its lock): on the list of async
	 * files, the descriptor it was set through (si_fd), and the readiness
	 * and poll_seq counts (POLLIN, POLLOUT) its last scan saw.
	 */
	struct list_node async_node;
	int async_fd;
	unsigned int async_mask;
	uint64_t async_seq[2];
	/* F_SETLEASE (fs/lease.c): the lease this open file holds, or NULL. */
	struct file_lease *lease;
	bool counted_reader;	/* counted in inode->readers (a read-only open of a regular file) */
};

/*
 * A read, listing or mapping through f: its inode's atime by the mount's
 * policy (fs/vfs/atime.c; nothing with O_NOATIME or without an inode).
 */
void file_accessed(struct file *f);

/* A new file with one reference (ops/priv set by the caller), or NULL. */
struct file *file_alloc(const struct file_ops *ops, unsigned int flags, void *priv);
void file_get(struct file *f);
void file_put(struct file *f);
/*
 * file_put for a caller holding a lock the release may take itself (an
 * address space's: releasing a file takes inode, mount, epoll and lock
 * table locks, which elsewhere come before it): a last reference is only
 * queued, and released by the next file_put_flush(), which the caller
 * runs after dropping its lock.
 */
void file_put_deferred(struct file *f);
void file_put_flush(void);

/* In-kernel I/O at an explicit offset: bytes or -errno. */
ssize_t kernel_read(struct file *f, uint64_t off, void *buf, size_t len);
ssize_t kernel_write(struct file *f, uint64_t off, const void *buf, size_t len);

/* ---- the open-file table of a process ---- */

struct fd_table;
int fd_table_create(struct fd_table **out);
/* A copy for fork: the same open files, each with another reference. */
int fd_table_clone(struct fd_table *src, struct fd_table **out);
void fd_table_get(struct fd_table *t);
void fd_table_put(struct fd_table *t);
/* execve: close the descriptors marked close-on-exec. */
void fd_table_close_on_exec(struct fd_table *t);
/* Install f at the lowest free descriptor >= 0 (the table takes the reference). */
int fd_install(struct fd_table *t, struct file *f, unsigned int fd_flags);
/* The file at fd with a reference (file_put it), or NULL. */
struct file *fd_get(struct fd_table *t, int fd);

/* ---- where paths start: root and current directory, per process ---- */

struct fs_context;
/* A context whose root and cwd are the root of the root file system. */
int fs_context_create_root(struct fs_context **out);
/*
 * A copy of the kernel's own context, where init_chdir and init_chroot
 * left it (the root of a disk root after do_mounts): init's.
 */
int fs_context_create_boot(struct fs_context **out);
int fs_context_clone(struct fs_context *src, struct fs_context **out);
void fs_context_get(struct fs_context *c);
void fs_context_put(struct fs_context *c);

/* ---- for the kernel's own use ---- */

/* Open a path as the current process (or as root, before there is one). */
int vfs_open_kernel(const char *path, unsigned int flags, uint32_t mode, struct file **out);
/* unlink(2) of a path as the current process (a core dump replacing an old core): 0 or -errno. */
int vfs_unlink_kernel(const char *path);
/*
 * Open path (relative to dirfd, AT_FDCWD: the cwd) for execve: a regular
 * file the caller may execute, in a mount without noexec.  -ENOENT,
 * -EACCES, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -ETXTBSY (open for writing)...
 * at_flags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH as for execveat.
 */
int vfs_open_exec(int dirfd, const char *path, int at_flags, struct file **out);
/* Refuse writers to f while it is being executed (ETXTBSY); undo with allow. */
void file_deny_write(struct file *f);
void file_allow_write(struct file *f);
/* The absolute path of an open file into buf (for /proc, AT_EXECFN): length or -errno. */
int file_path(struct file *f, char *buf, size_t size);
/* The size of the file behind f (0 for one without an inode). */
uint64_t file_size(struct file *f);
/* Mode, uid and gid of the file's inode (for set-uid exec, AT_SECURE). */
int file_stat_ids(struct file *f, uint32_t *mode, uint32_t *uid, uint32_t *gid);
/* Is f on a nosuid mount (exec then ignores its set-user-ID and set-group-ID bits)? */
bool file_nosuid(struct file *f);
/*
 * mmap's and mprotect's checks of the file behind a mapping: PROT_EXEC on a
 * noexec mount (-EPERM, or -EACCES for mprotect), a memfd's seals (-EPERM
 * for a shared writable mapping under F_SEAL_WRITE or F_SEAL_FUTURE_WRITE).
 * *maywrite is cleared when a shared mapping may never become writable.
 */
int file_mmap_check(struct file *f, int prot, bool shared, bool *maywrite);
int file_mprotect_check(struct file *f, int prot);
/* A shared mapping that may write the file came (+1) or went (-1): F_SEAL_WRITE's EBUSY. */
void file_map_writable(struct file *f, int delta);


/*
 * ---- walking a path up, for landlock (fs/vfs/walk.c) ----
 * A position (mount, dentry) that moves to its parent in the namespace as
 * ".." does (a mount's root steps to the parent of its mount point), under
 * the namespace lock: fs_walk_begin takes it unless the caller holds it
 * already (ns_locked), fs_walk_end drops what begin took.
 */
struct fs_walk {
	struct mount *m;	/* borrowed under the lock; NULL: no mount, dentry parents only */
	struct dentry *d;	/* borrowed */
	bool unlock;
};
void fs_walk_begin(struct fs_walk *w, struct mount *m, struct dentry *d, bool ns_locked);
void fs_walk_end(struct fs_walk *w);
/* The inode at the position: an identity to compare, never to look into. */
const struct inode *fs_walk_inode(const struct fs_walk *w);
bool fs_walk_at_mount_root(const struct fs_walk *w);
bool fs_walk_is_dir(const struct fs_walk *w);
bool fs_walk_at(const struct fs_walk *w, const struct dentry *d);
/* Jump to the root of the mount of the position (the top of the tree without one). */
void fs_walk_to_mount_root(struct fs_walk *w);
/* One step up; false at the top (the root of the namespace or of a detached tree). */
bool fs_walk_up(struct fs_walk *w);
/* The inode of an open file with a reference (fs_inode_put it), or NULL (an anonymous file). */
struct inode *file_inode_get(struct file *f);
void fs_inode_get(struct inode *i);
void fs_inode_put(struct inode *i);
/* The file type and permission bits of the inode of d (a positive dentry). */
uint32_t fs_dentry_mode(const struct dentry *d);

/*
 * Unpack the initramfs the boot loader passed (gzip or plain cpio newc,
 * possibly several archives back to back) into the root ramfs.
 * 0, or -errno with what was unpacked so far kept.
 */
int initramfs_unpack(void);
/* Pages holding the data of every ramfs and tmpfs file (Shmem in /proc/meminfo). */
uint64_t ramfs_total_pages(void);
/* Mount the root ramfs; before initramfs_unpack and any open. */
int vfs_init_root(void);
/*
 * The root file system at boot: a ramfs with /dev/console and /root, as
 * the initramfs built into every Linux kernel provides, then the loader's
 * initramfs unpacked over it.  Panics when there is no root at all.
 */
void rootfs_prepare(void);

/*
 * The kernel's own path operations at boot (Linux's fs/init.c), relative
 * to the kernel's context: 0 or -errno as the syscalls of the same name.
 * init_mount is mount(2) without the copies from user memory; init_eaccess
 * is Linux's check that rdinit= names something to execute.
 */
int init_mount(const char *source, const char *target, const char *type, uint64_t flags,
	       const char *data);
int init_chdir(const char *path);
int init_chroot(const char *path);
int init_eaccess(const char *path);
int init_mknod(const char *path, uint32_t mode, uint32_t rdev);
int init_unlink(const char *path);
/* The i-th registered file-system type's name (NULL past the last), and whether it needs a device. */
const char *init_fs_type_nth(size_t i, bool *requires_dev);
/* The file system of the kernel's current directory: its type name, device and read-only state. */
int init_cwd_sb(const char **type, uint32_t *dev, bool *rdonly);

/* ---- O_ASYNC (fs/event/sigio.c) ---- */

/* F_SETFL or FIOASYNC turned O_ASYNC on or off for f, reached through fd (si_fd). */
void file_set_async(struct file *f, int fd, bool on);
/* file_put: the last reference of f went; it leaves the O_ASYNC files first. */
void sigio_file_release(struct file *f);
/*
 * From a thread's run loop after each syscall: send the SIGIOs of the
 * readiness changes since the last scan (nothing to do, cheaply, when no
 * file has O_ASYNC or nothing changed).
 */
void sigio_check(void);
/*
 * Signal f's owner as O_ASYNC does: SIGIO, or F_SETSIG's signal with
 * si_code reason (POLL_IN...), si_fd fd and reason's si_band.  Also for
 * a lease break (POLL_MSG), whatever O_ASYNC says.
 */
void sigio_send(const struct file *f, int fd, int reason);
/* A socket's FIOSETOWN/SIOCSPGRP and FIOGETOWN/SIOCGPGRP (fs/syscalls/fown.c). */
long file_ioctl_setown(struct file *f, uint64_t arg);
long file_ioctl_getown(struct file *f, uint64_t arg);

/* ---- poll ---- */

/*
 * Every change of readiness of any file calls poll_wake(); poll, select
 * and epoll sleep on poll_wait_queue until the generation changes.
 */
extern struct wait_queue poll_wait_queue;
void poll_wake(void);
uint64_t poll_generation(void);
/*
 * file_put calls this before the release of the last reference: f leaves
 * every epoll set that watches it (epoll holds no reference of its own,
 * as on Linux, so a close still ends a pipe or frees a file).
 */
void epoll_file_release(struct file *f);
/*
 * Bracket every sleep on poll_wait_queue (from before the generation is
 * checked): poll_wake skips the queue when nobody is inside.
 */
void poll_sleep_begin(void);
void poll_sleep_end(void);

/* Deadlines of poll, select and epoll: monotonic nanoseconds. */
#define NO_TIMEOUT	UINT64_MAX
/* f's readiness: f->ops->poll, or readable and writable without one. */
unsigned int file_mask(struct file *f);
/* The monotonic time ns from now, saturating at NO_TIMEOUT. */
uint64_t deadline_after(uint64_t ns);
/* A struct timespec timeout from user: its deadline, NO_TIMEOUT for NULL; -EFAULT, -EINVAL. */
int poll_deadline_from_user(uaddr_t ua, uint64_t *deadline);
/* Sleep until the poll generation moves from gen or the deadline: 0, -ETIMEDOUT, -EINTR. */
int poll_sleep(uint64_t gen, uint64_t deadline);
/*
 * Call scan until it reports something (a count > 0, or a negative errno
 * it returns at once), the deadline passes (0) or a signal comes (-EINTR),
 * sleeping on the poll generation in between (poll and select).
 */
long poll_until(long (*scan)(void *arg), void *arg, uint64_t deadline);

/* ---- sockets (fs/sockfs.c) ---- */

/*
 * A file for a socket (O_RDWR | flags) with a fresh anonymous S_IFSOCK
 * inode, whose number comes back in *ino: 0 or -ENOMEM.
 */
int sockfs_file_alloc(const struct file_ops *ops, unsigned int flags, void *priv,
		      struct file **out, uint64_t *ino);
/* Is f a socket file made by sockfs_file_alloc? */
bool file_is_sockfs(struct file *f);
/*
 * bind(2) of a pathname socket: a new socket node at path (0777 less the
 * umask), its dentry with a reference; -EADDRINUSE when the path exists,
 * -ENOENT, -EACCES, -EROFS... as mknod.
 */
int sockfs_mknod(const char *path, struct dentry **out);
/*
 * connect(2) and sendto(2) to a pathname: the socket node at path, which
 * the caller may write (a reference), and its identity (what
 * sockfs_key of the bound socket's dentry gives).  -ENOENT, -EACCES,
 * -ECONNREFUSED (not a socket)...
 */
int sockfs_lookup(const char *path, struct dentry **out, const void **key);
const void *sockfs_key(struct dentry *d);
void sockfs_put(struct dentry *d);

/* ---- character devices (major, minor), opened through device nodes ---- */

#define MKDEV(ma, mi)	(((uint32_t)(ma) << 20) | (uint32_t)(mi))
#define MAJOR(d)	((uint32_t)(d) >> 20)
#define MINOR(d)	((uint32_t)(d) & 0xfffff)

/*
 * Register minors [first, first+count) of major; open(f, minor) sets
 * f->ops and f->priv.  The node /dev/<name> appears in devtmpfs when
 * count == 1 (more nodes: devfs_add_node).
 */
int chrdev_register(uint32_t major, uint32_t first, uint32_t count, const char *name,
		    int (*open)(struct file *f, uint32_t minor));
int devfs_add_node(const char *name, uint32_t mode, uint32_t rdev);

/*
 * A device with a dev attribute in sysfs: /sys/class/cls/name/{dev,uevent,
 * subsystem} and /sys/dev/{char,block}/MAJ:MIN; SYSFS_DEV_DISK also puts a
 * whole disk in /sys/block.  devfs_add_node registers its character
 * devices here itself.  0, -EINVAL (bad name), -ENOSPC (table full).
 */
#define SYSFS_DEV_BLOCK	0x1
#define SYSFS_DEV_DISK	0x2
int sysfs_add_device(const char *cls, const char *name, uint32_t rdev, unsigned int flags);

#endif
