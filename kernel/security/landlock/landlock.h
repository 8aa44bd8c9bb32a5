/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Landlock (doc/security.md): unprivileged sandboxing of file-system
 * access by path-beneath rules, as Linux's ABI version 3.  The VFS calls
 * one hook per operation at the places Linux's LSM hooks sit; each returns
 * 0 at once for a thread without a domain.  Hooks marked "ns lock" run
 * with the VFS namespace lock held, the others take it for their walk.
 */
#ifndef KERNEL_SECURITY_LANDLOCK_LANDLOCK_H
#define KERNEL_SECURITY_LANDLOCK_LANDLOCK_H
#include <aster/types.h>

struct thread;
struct mount;
struct dentry;

/* fork and clone: the new thread runs under its creator's domain. */
void landlock_inherit(struct thread *child, const struct thread *parent);
void landlock_thread_free(struct thread *t);

/*
 * ptrace and what it guards (process_vm, /proc/PID/mem): a sandboxed
 * tracer reaches only threads in its own domain or one nested in it, as
 * Linux's landlock (process-table lock held; NULL threads are unscoped).
 */
bool landlock_scoped_locked(const struct thread *tracer, const struct thread *target);

/* Is the caller sandboxed?  mount, umount and pivot_root are then EPERM, as Linux's. */
bool landlock_restricted(void);

/*
 * Opening d (reached through m) with open flags (exec: for execve, which
 * needs EXECUTE and READ_FILE): 0 or -EACCES.  *denied gets the optional
 * rights refused (TRUNCATE) for the file's landlock_denied.
 */
int landlock_file_open(struct mount *m, struct dentry *d, unsigned int flags, bool exec,
		       uint16_t *denied);
/* truncate(2) of d: 0 or -EACCES. */
int landlock_path_truncate(struct mount *m, struct dentry *d);
/* ftruncate and O_TRUNC of an open file whose open refused denied: 0 or -EACCES. */
int landlock_file_truncate(uint16_t denied);
/* Making an entry of mode (S_IFMT bits) in dir (ns lock): 0 or -EACCES. */
int landlock_path_mknod(struct mount *m, struct dentry *dir, uint32_t mode);
/* unlink (rmdir: is_dir) of an entry of dir (ns lock): 0 or -EACCES. */
int landlock_path_remove(struct mount *m, struct dentry *dir, bool rmdir);
/*
 * link (rename false) or rename of old to a name in new_dir, where new is
 * what the name holds now or NULL, all on mount m (ns lock): 0, -EACCES,
 * -EXDEV (reparenting that would gain rights or lacks REFER), -ENOENT.
 */
int landlock_path_refer(struct mount *m, struct dentry *old, struct dentry *new_dir,
			struct dentry *new, bool rename, bool exchange);

#endif
