// SPDX-License-Identifier: MPL-2.0
// Access times: when a read, a directory listing, a mapping or a readlink
// updates atime, by the mount's policy (noatime, nodiratime, relatime,
// strictatime) as Linux's touch_atime.
#include "fs/vfs.h"
#include "fs/file.h"
#include "fs/vfs/mount_internal.h"
#include "uapi/fcntl.h"
#include "uapi/mount.h"

#define RELATIME_MAX_AGE_SEC	(24 * 60 * 60)

static bool ts_before_or_equal(struct timespec64 a, struct timespec64 b)
{
	return a.sec < b.sec || (a.sec == b.sec && a.nsec <= b.nsec);
}

/*
 * relatime: update only when the old atime is not after mtime or ctime
 * (so a reader can tell the file was read since it changed), or is a day
 * old (so tools that look for unused files still work).
 */
static bool relatime_wants(const struct inode *i, struct timespec64 now)
{
	return ts_before_or_equal(i->atime, i->mtime) || ts_before_or_equal(i->atime, i->ctime) ||
	       now.sec - i->atime.sec >= RELATIME_MAX_AGE_SEC;
}

bool atime_needs_update(const struct mount *m, const struct inode *i)
{
	uint64_t mflags = m ? m->flags : 0;
	struct timespec64 now;

	if ((i->sb && (i->sb->flags & MS_RDONLY)) || (mflags & (MS_RDONLY | MS_NOATIME)))
		return false;
	if (S_ISDIR(i->mode) && (mflags & MS_NODIRATIME))
		return false;
	now = vfs_now();
	if ((mflags & MS_RELATIME) && !relatime_wants(i, now))
		return false;
	return i->atime.sec != now.sec || i->atime.nsec != now.nsec;
}

void touch_atime(const struct mount *m, struct inode *i)
{
	if (atime_needs_update(m, i))
		inode_touch(i, true, false, false);
}

void file_accessed(struct file *f)
{
	if (!f->inode || (f->flags & O_NOATIME))
		return;
	touch_atime(f->mnt, f->inode);
}
