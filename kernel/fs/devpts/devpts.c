// SPDX-License-Identifier: MPL-2.0
// devpts (see fs/devpts.h): a directory of device nodes kept by the
// kernel, in the dentry cache like ramfs, but with no create operation, so
// nothing else can be made in it (EPERM, EACCES for O_CREAT, as Linux).
// Options: uid=, gid=, mode= (the nodes), ptmxmode= (the ptmx node),
// newinstance and max= (accepted; there is one index space); any other
// option is EINVAL.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include "fs/devpts.h"
#include "fs/vfs.h"
#include "uapi/magic.h"
#include "uapi/major.h"

#define MAX_DEVPTS_SB	8
#define DEVPTS_MAX	1024	/* kernel/tty/'s PTY_MAX */
#define PTMX_MINOR	2
#define DEFAULT_MODE	0600
#define DEFAULT_PTMXMODE 0000
#define OPT_MAX		32

struct devpts_opts {
	bool setuid, setgid;
	uint32_t uid, gid;
	uint32_t mode, ptmxmode;
};

/* Who opened each live pty's master: the nodes' default owner. */
struct pts_owner {
	bool live;
	uint32_t uid, gid;
};

static struct super_block *sbs[MAX_DEVPTS_SB];
static size_t nr_sbs;
static struct pts_owner owners[DEVPTS_MAX];
static struct mutex devpts_lock = MUTEX_INIT;	/* sbs and owners; before vfs_ns_lock */

static const struct inode_ops devpts_root_iops = { 0 };
static const struct inode_ops devpts_node_iops = { 0 };

static int parse_octal(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '7' || v > 07777)
			return -EINVAL;
		v = v * 8 + (uint32_t)(*s - '0');
	}
	*out = v & 07777;
	return 0;
}

static int parse_id(const char *s, uint32_t *out)
{
	uint64_t v;
	int err = parse_u64(s, &v);

	if (err || v >= UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int parse_one(struct devpts_opts *o, const char *opt)
{
	const char *eq = strchr(opt, '=');
	size_t klen = eq ? (size_t)(eq - opt) : strlen(opt);
	const char *val = eq ? eq + 1 : "";
	uint64_t ignored;

	if (klen == 3 && strncmp(opt, "uid", 3) == 0 && eq) {
		o->setuid = true;
		return parse_id(val, &o->uid);
	}
	if (klen == 3 && strncmp(opt, "gid", 3) == 0 && eq) {
		o->setgid = true;
		return parse_id(val, &o->gid);
	}
	if (klen == 4 && strncmp(opt, "mode", 4) == 0 && eq)
		return parse_octal(val, &o->mode);
	if (klen == 8 && strncmp(opt, "ptmxmode", 8) == 0 && eq)
		return parse_octal(val, &o->ptmxmode);
	if (klen == 3 && strncmp(opt, "max", 3) == 0 && eq)
		return parse_u64(val, &ignored) ? -EINVAL : 0;
	if (strcmp(opt, "newinstance") == 0)
		return 0;
	return -EINVAL;
}

/* "opt,opt=val,...": the options, or -EINVAL. */
static int parse_opts(const char *data, struct devpts_opts *o)
{
	char opt[OPT_MAX];

	*o = (struct devpts_opts){ .mode = DEFAULT_MODE, .ptmxmode = DEFAULT_PTMXMODE };
	while (data && *data) {
		const char *comma = strchr(data, ',');
		size_t n = comma ? (size_t)(comma - data) : strlen(data);
		int err;

		if (n >= sizeof(opt))
			return -EINVAL;
		memcpy(opt, data, n);
		opt[n] = 0;
		err = n ? parse_one(o, opt) : 0;
		if (err)
			return err;
		data += n + (comma ? 1 : 0);
	}
	return 0;
}

/* Make name in sb's root (devpts_lock and vfs_ns_lock held). */
static int node_add(struct super_block *sb, const char *name, uint32_t mode, uint32_t rdev,
		    uint32_t uid, uint32_t gid)
{
	struct dentry *root = sb->root, *d = dentry_find_child(root, name, strlen(name));
	struct inode *i;
	int err;

	if (d) {
		dentry_put(d);
		return 0;
	}
	err = inode_new(sb, S_IFCHR | mode, &i);
	if (err)
		return err;
	i->iops = &devpts_node_iops;
	i->rdev = rdev;
	i->uid = uid;
	i->gid = gid;
	err = dentry_new(root, name, strlen(name), i, &d);
	inode_put(i);
	if (err)
		return err;
	dentry_attach(d);
	dentry_put(d);
	inode_touch(root->inode, false, true, true);
	return 0;
}

static void node_remove(struct super_block *sb, const char *name)
{
	struct dentry *d = dentry_find_child(sb->root, name, strlen(name));

	if (!d)
		return;
	d->inode->nlink = 0;
	dentry_detach(d);
	dentry_put(d);
	inode_touch(sb->root->inode, false, true, true);
}

/* The node of pty index in sb (both locks held). */
static int pts_add(struct super_block *sb, unsigned int index)
{
	const struct devpts_opts *o = sb->priv;
	const struct pts_owner *w = &owners[index];
	char name[16];

	snprintf(name, sizeof(name), "%u", index);
	return node_add(sb, name, o->mode, MKDEV(UNIX98_PTY_SLAVE_MAJOR, index),
			o->setuid ? o->uid : w->uid, o->setgid ? o->gid : w->gid);
}

static void pts_remove_all(unsigned int index)
{
	char name[16];

	snprintf(name, sizeof(name), "%u", index);
	for (size_t k = 0; k < nr_sbs; k++)
		node_remove(sbs[k], name);
}

int devpts_pty_new(unsigned int index)
{
	int err = 0;

	if (index >= DEVPTS_MAX)
		return -ENOSPC;
	mutex_lock(&devpts_lock);
	owners[index] = (struct pts_owner){ true, vfs_current_fsuid(), vfs_current_fsgid() };
	mutex_lock(&vfs_ns_lock);
	for (size_t k = 0; k < nr_sbs && !err; k++)
		err = pts_add(sbs[k], index);
	if (err) {
		pts_remove_all(index);
		owners[index].live = false;
	}
	mutex_unlock(&vfs_ns_lock);
	mutex_unlock(&devpts_lock);
	return err;
}

void devpts_pty_kill(unsigned int index)
{
	if (index >= DEVPTS_MAX)
		return;
	mutex_lock(&devpts_lock);
	owners[index].live = false;
	mutex_lock(&vfs_ns_lock);
	pts_remove_all(index);
	mutex_unlock(&vfs_ns_lock);
	mutex_unlock(&devpts_lock);
}

int devpts_open_pty(unsigned int index, unsigned int flags, struct file **out)
{
	struct dentry *d = NULL;
	char name[16];
	int err;

	snprintf(name, sizeof(name), "%u", index);
	mutex_lock(&devpts_lock);
	if (nr_sbs)
		d = dentry_find_child(sbs[0]->root, name, strlen(name));
	mutex_unlock(&devpts_lock);
	if (!d)
		return -ENOENT;
	err = vfs_open_dentry(d, flags, out);
	dentry_put(d);
	return err;
}

/* A new super block with ptmx and the live ptys' nodes. */
static int devpts_fill(struct super_block *sb, struct devpts_opts *o)
{
	int err;

	sb->priv = o;
	sb->root->inode->mode = S_IFDIR | 0755;
	sb->root->inode->iops = &devpts_root_iops;
	mutex_lock(&devpts_lock);
	if (nr_sbs == MAX_DEVPTS_SB) {
		mutex_unlock(&devpts_lock);
		return -ENOSPC;
	}
	mutex_lock(&vfs_ns_lock);
	err = node_add(sb, "ptmx", o->ptmxmode, MKDEV(TTYAUX_MAJOR, PTMX_MINOR), 0, 0);
	for (unsigned int i = 0; i < DEVPTS_MAX && !err; i++)
		if (owners[i].live)
			err = pts_add(sb, i);
	mutex_unlock(&vfs_ns_lock);
	if (!err)
		sbs[nr_sbs++] = sb;
	mutex_unlock(&devpts_lock);
	return err;
}

static int devpts_mount_data(const char *source, uint64_t flags, const char *data,
			     struct super_block **out)
{
	struct devpts_opts *o = kzalloc(sizeof(*o));
	int err;

	(void)source;
	(void)flags;
	*out = NULL;
	if (!o)
		return -ENOMEM;
	err = parse_opts(data, o);
	if (err)
		pr_err("devpts: called with bogus options\n");
	if (!err)
		err = ramfs_new_sb(&devpts_type, out);
	if (!err)
		err = devpts_fill(*out, o);
	/* A super block that failed stays unreachable, as an unmounted one does. */
	if (err && !(*out && (*out)->priv == o))
		kfree(o);
	return err;
}

static int devpts_mount(const char *source, uint64_t flags, struct super_block **out)
{
	return devpts_mount_data(source, flags, NULL, out);
}

const struct fs_type devpts_type = {
	.name = "devpts", .magic = DEVPTS_SUPER_MAGIC, .mount = devpts_mount,
	.mount_data = devpts_mount_data,
};
