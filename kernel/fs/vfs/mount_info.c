// SPDX-License-Identifier: MPL-2.0
// What the mount tree looks like from outside: /proc/mounts,
// /proc/<pid>/mountinfo (Linux's show_vfsmnt and show_mountinfo formats)
// and statfs(2)'s figures.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/vfs.h"
#include "fs/vfs/mount_internal.h"

/* An output buffer that stops growing when full. */
struct out {
	char *buf;
	size_t size, len;
	bool full;
};

static void put_str(struct out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->full || o->len + n >= o->size) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->len, s, n + 1);
	o->len += n;
}

/* s with blanks, tabs, newlines and backslashes as octal escapes, as Linux's mangle(). */
static void put_mangled(struct out *o, const char *s)
{
	char esc[5];

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\') {
			(void)snprintf(esc, sizeof(esc), "\\%03o", (unsigned int)(uint8_t)*s);
			put_str(o, esc);
		} else {
			char c[2] = { *s, 0 };

			put_str(o, c);
		}
	}
}

static void put_mount_opts(struct out *o, uint64_t flags)
{
	if (flags & MS_NOSUID)
		put_str(o, ",nosuid");
	if (flags & MS_NODEV)
		put_str(o, ",nodev");
	if (flags & MS_NOEXEC)
		put_str(o, ",noexec");
	if (flags & MS_NOATIME)
		put_str(o, ",noatime");
	if (flags & MS_NODIRATIME)
		put_str(o, ",nodiratime");
	if (flags & MS_RELATIME)
		put_str(o, ",relatime");
	if (flags & MS_NOSYMFOLLOW)
		put_str(o, ",nosymfollow");
}

static void put_fs_opts(struct out *o, struct super_block *sb, char *tmp, size_t size)
{
	if (!sb->show_options)
		return;
	tmp[0] = 0;
	(void)sb->show_options(sb, tmp, size);
	put_str(o, tmp);
}

/* The path of d inside its own file system ("/" for its root) into buf. */
static void fs_path(struct dentry *d, char *buf, size_t size)
{
	size_t pos = size - 1;

	buf[pos] = 0;
	for (; d && d->parent; d = d->parent) {
		size_t n = strlen(d->name);

		if (pos < n + 1)
			break;
		pos -= n;
		memcpy(buf + pos, d->name, n);
		buf[--pos] = '/';
	}
	if (pos == size - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, size - pos);
}

static bool mount_ro(struct mount *m)
{
	return (m->flags & MS_RDONLY) || (m->sb->flags & MS_RDONLY);
}

/* Is m's root reachable from the caller's root (rm, rd)? (ns lock held) */
static bool visible(struct mount *m, struct mount *rm, struct dentry *rd)
{
	struct dentry *d = m->root;

	while (m && !(m == rm && dentry_under(d, rd))) {
		d = m->mountpoint;
		m = m->parent;
	}
	return m != NULL;
}

/*
 * mountinfo's optional fields (Linux's show_mountinfo): the peer group,
 * the master's, "unbindable".  Linux's "propagate_from" (a dominating
 * peer in the reader's root when the master is outside it) is not shown.
 */
static void put_propagation(struct out *o, struct mount *m)
{
	char num[32];

	if (m->group_id) {
		(void)snprintf(num, sizeof(num), " shared:%d", m->group_id);
		put_str(o, num);
	}
	if (m->master) {
		(void)snprintf(num, sizeof(num), " master:%d", m->master->group_id);
		put_str(o, num);
	}
	if (m->unbindable)
		put_str(o, " unbindable");
}

static void show_info(struct out *o, struct mount *m, const char *path, char *tmp)
{
	struct mount *p = m->parent ? m->parent : m;
	char num[64];

	(void)snprintf(num, sizeof(num), "%d %d %u:%u ", m->id, p->id, MAJOR(m->sb->dev),
		       MINOR(m->sb->dev));
	put_str(o, num);
	fs_path(m->root, tmp, PATH_MAX);
	put_mangled(o, tmp);
	put_str(o, " ");
	put_mangled(o, path);
	put_str(o, (m->flags & MS_RDONLY) ? " ro" : " rw");
	put_mount_opts(o, m->flags);
	put_propagation(o, m);
	put_str(o, " - ");
	put_str(o, m->sb->type->name);
	put_str(o, " ");
	put_mangled(o, m->source);
	put_str(o, (m->sb->flags & MS_RDONLY) ? " ro" : " rw");
	put_fs_opts(o, m->sb, tmp, PATH_MAX);
	put_str(o, "\n");
}

static void show_mount(struct out *o, struct mount *m, const char *path, char *tmp)
{
	put_mangled(o, m->source);
	put_str(o, " ");
	put_mangled(o, path);
	put_str(o, " ");
	put_str(o, m->sb->type->name);
	put_str(o, mount_ro(m) ? " ro" : " rw");
	put_mount_opts(o, m->flags);
	put_fs_opts(o, m->sb, tmp, PATH_MAX);
	put_str(o, " 0 0\n");
}

/* Linux's show_vfsstat: no statistics for these file systems. */
static void show_stats(struct out *o, struct mount *m, const char *path)
{
	put_str(o, "device ");
	put_mangled(o, m->source);
	put_str(o, " mounted on ");
	put_mangled(o, path);
	put_str(o, " with fstype ");
	put_str(o, m->sb->type->name);
	put_str(o, "\n");
}

/*
 * One line per mount of ns visible from fs's root (mounts outside a chroot
 * are left out, as on Linux), in fmt's format.
 */
size_t vfs_mounts_text(struct mnt_namespace *ns, struct fs_context *fs, enum mounts_format fmt,
		       char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size };
	struct mount *rm = NULL, *m;
	struct dentry *rd = NULL;
	char *path = kmalloc(PATH_MAX), *tmp = kmalloc(PATH_MAX);

	if (!size)
		return 0;
	buf[0] = 0;
	if (!path || !tmp || !fs || !ns)
		goto out;
	rd = fs_context_get_root_mnt(fs, &rm);
	mutex_lock(&vfs_ns_lock);
	list_for_each_entry(m, &mount_list, node) {
		size_t start = o.len;

		if (m->ns != ns || !visible(m, rm, rd))
			continue;
		if (mount_path_locked(m, m->root, rm, rd, path, PATH_MAX) < 0)
			continue;
		if (fmt == MOUNTS_INFO)
			show_info(&o, m, path, tmp);
		else if (fmt == MOUNTS_STATS)
			show_stats(&o, m, path);
		else
			show_mount(&o, m, path, tmp);
		if (o.full) {
			/* Whole lines only. */
			o.len = start;
			buf[start] = 0;
			break;
		}
	}
	mutex_unlock(&vfs_ns_lock);
out:
	if (rd)
		dentry_put(rd);
	mount_put(rm);
	kfree(path);
	kfree(tmp);
	return o.len;
}

int vfs_statfs(struct mount *m, struct super_block *sb, struct linux_statfs *st)
{
	uint64_t flags = sb->flags & MS_RDONLY;

	memset(st, 0, sizeof(*st));
	st->f_type = (int64_t)sb->type->magic;
	st->f_bsize = PAGE_SIZE;
	st->f_frsize = PAGE_SIZE;
	st->f_namelen = NAME_MAX;
	st->f_fsid[0] = (int32_t)dev_encode(sb->dev);
	if (m)
		flags |= m->flags;
	st->f_flags = ST_VALID | (int64_t)(flags & (ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC |
						      ST_NOATIME | ST_NODIRATIME));
	if (flags & MS_RELATIME)
		st->f_flags |= ST_RELATIME;
	if (flags & MS_NOSYMFOLLOW)
		st->f_flags |= ST_NOSYMFOLLOW;
	return sb->statfs ? sb->statfs(sb, st) : 0;
}
