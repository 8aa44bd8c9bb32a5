// SPDX-License-Identifier: MPL-2.0
// Inodes: allocation, references, times and permission checks.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/timer.h>
#include "fs/vfs.h"
#include "process/process.h"
#include "process/capability.h"

int inode_new(struct super_block *sb, uint32_t mode, struct inode **out)
{
	struct inode *i = kzalloc(sizeof(*i));

	if (!i)
		return -ENOMEM;
	refcount_set(&i->refs, 1);
	mutex_init(&i->lock);
	file_lock_ctx_init(&i->flctx);
	i->sb = sb;
	sb_get(sb);
	i->ino = ++sb->next_ino;
	i->mode = mode;
	i->nlink = 1;
	i->uid = vfs_current_fsuid();
	i->gid = vfs_current_fsgid();
	i->atime = i->mtime = i->ctime = i->btime = vfs_now();
	*out = i;
	return 0;
}

void inode_get(struct inode *i)
{
	refcount_inc(&i->refs);
}

void inode_put(struct inode *i)
{
	struct super_block *sb;

	if (!i || !refcount_dec_and_test(&i->refs))
		return;
	if (i->sb && i->sb->evict)
		i->sb->evict(i);
	if (i->pipe)
		pipe_free(i->pipe);
	file_lock_ctx_release(&i->flctx);
	sb = i->sb;
	kfree(i);
	sb_put(sb);
}

void sb_get(struct super_block *sb)
{
	atomic_inc(&sb->refs);
}

void sb_put(struct super_block *sb)
{
	if (!sb || atomic_dec(&sb->refs) != 0)
		return;
	smp_mb();
	if (sb->dying && sb->destroy)
		sb->destroy(sb);
}

void sb_mount_add(struct super_block *sb)
{
	if (atomic_inc(&sb->mounts) == 1)
		sb_get(sb);
}

bool sb_mount_get_live(struct super_block *sb)
{
	for (int32_t n = atomic_read(&sb->mounts); n > 0; n = atomic_read(&sb->mounts))
		if (atomic_cmpxchg(&sb->mounts, n, n + 1))
			return true;
	return false;
}

void sb_mount_drop(struct super_block *sb)
{
	if (atomic_dec(&sb->mounts) != 0)
		return;
	if (!sb->kill)
		return;		/* lives for ever: keep its reference */
	sb->dying = true;
	sb->kill(sb);
	sb_put(sb);
}

struct timespec64 vfs_now(void)
{
	uint64_t ns = clock_realtime_ns();

	return (struct timespec64){ .sec = (int64_t)(ns / NSEC_PER_SEC),
				    .nsec = (int64_t)(ns % NSEC_PER_SEC) };
}

void inode_touch(struct inode *i, bool atime, bool mtime, bool ctime)
{
	struct timespec64 now = vfs_now();

	if (atime)
		i->atime = now;
	if (mtime)
		i->mtime = now;
	if (ctime)
		i->ctime = now;
}

static const struct cred *current_cred(void)
{
	struct process *p = current_process();

	return p ? &p->cred : NULL;
}

uint32_t vfs_current_fsuid(void)
{
	const struct cred *c = current_cred();

	return c ? c->fsuid : 0;
}

uint32_t vfs_current_fsgid(void)
{
	const struct cred *c = current_cred();

	return c ? c->fsgid : 0;
}

uint32_t vfs_current_umask(void)
{
	struct process *p = current_process();

	return p ? p->umask : 022;
}

bool vfs_in_group(uint32_t gid)
{
	const struct cred *c = current_cred();

	if (!c)
		return true;
	if (c->fsgid == gid)
		return true;
	for (uint32_t i = 0; i < c->ngroups && i < CRED_GROUPS; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

bool vfs_owner_or_capable(struct inode *i)
{
	return vfs_current_fsuid() == i->uid || capable(CAP_FOWNER);
}

int vfs_sticky_check(struct inode *dir, struct inode *victim)
{
	uint32_t uid = vfs_current_fsuid();

	if (!(dir->mode & S_ISVTX) || uid == victim->uid || uid == dir->uid || capable(CAP_FOWNER))
		return 0;
	return -EPERM;
}

/* The owner, group or other bits of i that apply to uid. */
static uint32_t mode_bits(const struct inode *i, uint32_t uid, bool (*in_group)(uint32_t gid))
{
	if (uid == i->uid)
		return (i->mode >> 6) & 7;
	if (in_group(i->gid))
		return (i->mode >> 3) & 7;
	return i->mode & 7;
}

int inode_permission_ids(struct inode *i, int mask, uint32_t uid, bool (*in_group)(uint32_t gid),
			 uint64_t caps)
{
	uint32_t mode = i->mode;
	bool read_search = caps & CAP_BIT(CAP_DAC_READ_SEARCH);
	bool override = caps & CAP_BIT(CAP_DAC_OVERRIDE);

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (!((uint32_t)mask & ~mode_bits(i, uid, in_group)))
		return 0;
	/* Directories: reading and searching need CAP_DAC_READ_SEARCH, anything CAP_DAC_OVERRIDE. */
	if (S_ISDIR(mode)) {
		if (!(mask & MAY_WRITE) && read_search)
			return 0;
		return override ? 0 : -EACCES;
	}
	if (mask == MAY_READ && read_search)
		return 0;
	/* Executing a file still needs some x bit. */
	if (override && (!(mask & MAY_EXEC) || (mode & 0111)))
		return 0;
	return -EACCES;
}

int inode_permission(struct inode *i, int mask)
{
	struct process *p = current_process();
	int err = inode_permission_ids(i, mask, vfs_current_fsuid(), vfs_in_group,
				       p ? p->cred.cap_effective : CAP_FULL_SET);

	if (err && i->iops && i->iops->permission_denied)
		err = i->iops->permission_denied(i, mask, err);
	return err;
}

unsigned int mode_to_dtype(uint32_t mode)
{
	return (mode & S_IFMT) >> 12;
}

uint32_t dev_encode(uint32_t kdev)
{
	uint32_t ma = MAJOR(kdev), mi = MINOR(kdev);

	return (mi & 0xff) | ((ma & 0xfff) << 8) | ((mi & ~0xffu) << 12);
}

uint32_t dev_decode(uint64_t udev)
{
	uint32_t ma = (uint32_t)((udev >> 8) & 0xfff) | (uint32_t)((udev >> 32) & ~0xfffu);
	uint32_t mi = (uint32_t)(udev & 0xff) | (uint32_t)((udev >> 12) & ~0xffu);

	return MKDEV(ma & 0xfff, mi & 0xfffff);
}
