// SPDX-License-Identifier: MPL-2.0
// flock(2): whole-file locks owned by the open file description (fs/locks.c).
#include <aster/log.h>
#include "fs/locks.h"
#include "fs/syscalls/sys.h"
#include "uapi/fcntl.h"

static int flock_type(unsigned int op)
{
	switch (op) {
	case LOCK_SH:
		return F_RDLCK;
	case LOCK_EX:
		return F_WRLCK;
	case LOCK_UN:
		return F_UNLCK;
	default:
		return -EINVAL;
	}
}

long sys_flock(int fd, unsigned int operation)
{
	unsigned int cmd = operation;
	static bool mand_warned;
	struct file *f;
	int type;
	long r;

	/*
	 * Linux dropped LOCK_MAND (it never locked anything) and now ignores
	 * such requests with a warning; do the same, warning once.
	 */
	if (cmd & LOCK_MAND) {
		if (!mand_warned)
			pr_warn("flock: LOCK_MAND is not supported; the request is ignored\n");
		mand_warned = true;
		return 0;
	}
	type = flock_type(cmd & ~(unsigned int)LOCK_NB);
	if (type < 0)
		return type;
	f = fget(fd);
	if (!f)
		return -EBADF;
	/* O_PATH descriptors cannot lock (Linux: EBADF). */
	if (f->flags & O_PATH)
		r = -EBADF;
	else
		r = flock_file(f, type, !(cmd & LOCK_NB));
	file_put(f);
	return r;
}
