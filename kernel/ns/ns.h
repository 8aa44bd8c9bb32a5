/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Namespaces (kernel/ns/, doc/namespaces.md).  Every namespace starts with a
 * struct ns_common: its type's operations, its inode number (what
 * /proc/PID/ns/NAME shows and an nsfs file's st_ino is) and its count of
 * holders.  A namespace lives while an nsproxy or an open nsfs file holds
 * it; the last ns_put frees it through its type's free.
 *
 * A process holds a struct nsproxy: one namespace of each type, shared
 * across fork and copied when clone or unshare asks for a new one.  The
 * UTS, IPC, mount and PID namespaces are real; the others have one initial namespace
 * each (fixed inode numbers as Linux's), so /proc/PID/ns compares equal
 * across processes, and asking for a new one is -EINVAL (not configured).
 *
 * The nsproxy belongs to the process, not to each thread as on Linux:
 * setns and unshare change every thread's view (doc/namespaces.md).
 */
#ifndef KERNEL_NS_NS_H
#define KERNEL_NS_NS_H
#include <aster/refcount.h>
#include <aster/types.h>
#include "uapi/sched.h"

struct process;
struct ns_common;

/* The slots of an nsproxy, and the entries of /proc/PID/ns in Linux's order of types. */
enum ns_slot {
	NS_CGROUP, NS_IPC, NS_MNT, NS_NET, NS_PID, NS_PID_CHILDREN,
	NS_TIME, NS_TIME_CHILDREN, NS_USER, NS_UTS, NS_SLOTS,
};

struct ns_ops {
	const char *name;	/* "uts": its /proc/PID/ns entry and link text */
	int type;		/* CLONE_NEWUTS...: NS_GET_NSTYPE and setns's nstype */
	bool hierarchical;	/* pid and user: NS_GET_PARENT applies */
	/* A new namespace of this type for clone/unshare, from old: 0 or -errno (NULL: not built, -EINVAL). */
	int (*clone)(struct ns_common *old, struct ns_common **out);
	/* The last holder went (NULL: a static initial namespace, never freed). */
	void (*free)(struct ns_common *ns);
};

struct ns_common {
	refcount_t refs;
	uint32_t inum;
	const struct ns_ops *ops;
};

void ns_get(struct ns_common *ns);
void ns_put(struct ns_common *ns);
/* Set up ns with one reference and a fresh inode number: 0 or -ENOSPC. */
int ns_common_init(struct ns_common *ns, const struct ns_ops *ops);

struct nsproxy {
	refcount_t refs;
	struct ns_common *ns[NS_SLOTS];
};

/* Boot: the initial namespaces, and init's nsproxy (init.c gives it to init). */
struct nsproxy *nsproxy_init_get(void);
void nsproxy_put(struct nsproxy *np);
/* A private copy of old (every namespace shared): NULL when out of memory. */
struct nsproxy *nsproxy_dup(const struct nsproxy *old);

/*
 * fork/clone: the child's nsproxy from the parent's: shared unless flags
 * has CLONE_NEW* bits, then a copy with new namespaces of those types.
 * 0, -EPERM (no CAP_SYS_ADMIN), -EINVAL (a type not built), -ENOMEM.
 */
struct fs_context;
int nsproxy_copy(struct process *parent, uint64_t flags, struct fs_context *fs,
		 struct nsproxy **out);
/* The same from the caller's own, for unshare (fs: the caller's new fs context). */
int nsproxy_unshare(uint64_t flags, struct fs_context *fs, struct nsproxy **out);
/* The CLONE_NEW* types of the namespaces that exist (may be created). */
#define NS_CLONE_BUILT	(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWPID)

/* p's nsproxy with a reference (NULL once it exited), and p's namespace of slot s likewise. */
struct nsproxy *process_nsproxy_get(struct process *p);
struct ns_common *process_ns_get(struct process *p, enum ns_slot s);
/* Give p np (taking over the caller's reference); the old one is put. */
void process_nsproxy_set(struct process *p, struct nsproxy *np);
/* The exit of p: its nsproxy goes. */
void process_nsproxy_exit(struct process *p);

/* The slot of a CLONE_NEW* type (the "for children" slot for pid and time), or -1. */
int ns_slot_of_type(int type);
/* The name of a /proc/PID/ns entry of slot s ("pid_for_children"). */
const char *ns_slot_name(enum ns_slot s);

/* ---- UTS (uts.c) ---- */
/* The caller's host or domain name into buf (NUL-terminated): its length. */
size_t uts_current_get(bool domain, char *buf, size_t size);
/* Set the caller's name (len bytes, no NUL): 0 or -EINVAL (longer than 64). */
int uts_current_set(bool domain, const char *name, size_t len);
extern const struct ns_ops uts_ns_ops;
struct ns_common *uts_init_ns(void);

/* ---- mount namespaces (kernel/fs/vfs/mnt_ns.c) ---- */
struct fs_context;
extern const struct ns_ops mnt_ns_ops;
struct ns_common *mnt_init_ns(void);
/*
 * A copy of old's mount tree as a new namespace; fs's root and cwd move to
 * their copies (Linux's copy_mnt_ns): 0, -ENOMEM or -ENOSPC.
 */
int mnt_ns_copy(struct ns_common *old, struct fs_context *fs, struct ns_common **out);
/* Is fs shared with another process (setns into a mount namespace is then EINVAL)? */
bool mnt_ns_fs_shared(struct fs_context *fs);
/* fs's root and cwd become ns's root (setns). */
void mnt_ns_install(struct ns_common *ns, struct fs_context *fs);

/* ---- PID (pid_namespace.c; the numbers are kernel/process/pid.c's) ---- */
struct ns_common *pid_ns_initial(void);
/* NS_GET_PARENT of a pid namespace: the parent with a reference, or -EPERM when the caller cannot see it. */
int pid_ns_get_parent(struct ns_common *ns, struct ns_common **out);

/* ---- nsfs (kernel/fs/nsfs.c) ---- */
/*
 * The magic link /proc/PID/ns/NAME: a dentry of the nsfs internal mount
 * whose inode is ns (a reference of the inode's own): 0 or -errno.
 */
struct mount;
struct dentry;
struct file;
int nsfs_get_link(struct ns_common *ns, struct mount **m, struct dentry **d);
/* Its text: "uts:[4026531838]" into buf: the length. */
int ns_link_text(struct ns_common *ns, char *buf, size_t size);
/* The namespace of an nsfs file (no reference: the file holds one), or NULL. */
struct ns_common *nsfs_file_ns(struct file *f);

#endif
