// SPDX-License-Identifier: MPL-2.0
// /proc/PID/mounts and /proc/PID/mountinfo.  mounts is the VFS's own text
// (vfs_mounts_text); mountinfo walks the mount list here, under the
// namespace lock, in Linux's format (Documentation/filesystems/proc.rst
// 3.5): id parent major:minor root mount-point options - type source
// super-options.
#include <aster/errno.h>
#include <aster/heap.h>
#include "fs/procfs/internal.h"
#include "uapi/mount.h"

/*
 * Until mounts carry ids of their own, a mount is known by its super
 * block's anonymous device number, unique while it is mounted (there are
 * no bind mounts yet, so one super block is mounted once).
 */
uint32_t proc_mnt_id(const struct super_block *sb)
{
	return MINOR(sb->dev);
}

int proc_show_mounts(struct pnode *n, struct text *t)
{
	(void)n;
	if (text_reserve(t, 16384))
		return -ENOMEM;
	t->len += vfs_mounts_text(t->buf + t->len, t->cap - t->len);
	return 0;
}

static void mount_options(struct text *t, uint64_t flags)
{
	text_add(t, "%s", (flags & MS_RDONLY) ? "ro" : "rw");
	if (flags & MS_NOSUID)
		text_add(t, ",nosuid");
	if (flags & MS_NODEV)
		text_add(t, ",nodev");
	if (flags & MS_NOEXEC)
		text_add(t, ",noexec");
}

static void mountinfo_line(struct text *t, struct mount *m, const char *where)
{
	struct super_block *sb = m->sb;
	uint32_t parent = m->mountpoint ? proc_mnt_id(m->mountpoint->sb) : proc_mnt_id(sb);

	text_add(t, "%u %u %u:%u / %s ", proc_mnt_id(sb), parent, MAJOR(sb->dev), MINOR(sb->dev),
		 where);
	mount_options(t, sb->mnt_flags);
	text_add(t, " - %s %s %s\n", sb->type->name, m->source,
		 (sb->mnt_flags & MS_RDONLY) ? "ro" : "rw");
}

int proc_show_mountinfo(struct pnode *n, struct text *t)
{
	char *path = kmalloc(PATH_MAX);
	struct list_node *it;

	(void)n;
	if (!path)
		return -ENOMEM;
	mutex_lock(&vfs_ns_lock);
	for (it = mount_list.next; it != &mount_list; it = it->next) {
		struct mount *m = container_of(it, struct mount, node);
		const char *where = "/";

		if (m->mountpoint) {
			if (dentry_path_locked(m->sb->root, vfs_root, path, PATH_MAX) < 0)
				continue;
			where = path;
		}
		mountinfo_line(t, m, where);
	}
	mutex_unlock(&vfs_ns_lock);
	kfree(path);
	return 0;
}
