// SPDX-License-Identifier: MPL-2.0
// /proc/PID/mounts and /proc/PID/mountinfo: the VFS's own texts
// (vfs_mounts_text, vfs_mountinfo_text: Linux's formats, mount ids and
// all), as the reader sees the namespace.
#include <aster/errno.h>
#include "fs/procfs/internal.h"

int proc_show_mounts(struct pnode *n, struct text *t)
{
	(void)n;
	if (text_reserve(t, 16384))
		return -ENOMEM;
	t->len += vfs_mounts_text(t->buf + t->len, t->cap - t->len);
	return 0;
}

int proc_show_mountinfo(struct pnode *n, struct text *t)
{
	(void)n;
	if (text_reserve(t, 16384))
		return -ENOMEM;
	t->len += vfs_mountinfo_text(t->buf + t->len, t->cap - t->len);
	return 0;
}
