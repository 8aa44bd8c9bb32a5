// SPDX-License-Identifier: MPL-2.0
// The cgroup2 file system (fs/cgroupfs.h, doc/cgroup.md): one super block
// (cgroup v2 is a single hierarchy: every mount shows the same tree) whose
// directories are the cgroups of kernel/cgroup/.  mkdir and rmdir make
// and remove cgroups (iops->mkdir, iops->rmdir); the control files are
// found by lookup in cgroup_files[] as the cgroup's controllers allow and
// then stay in the dentry cache, so chown and chmod on them (delegation)
// last.  Each read at offset 0 renders the file anew; each write(2) is one
// command, as Linux's kernfs.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "cgroup/cgroup.h"
#include "fs/cgroupfs.h"
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "process/process.h"
#include "uapi/fs.h"
#include "uapi/magic.h"

#define CGFS_WRITE_MAX	4096		/* Linux's kernfs: a page per write */
#define CGFS_TEXT_MIN	4096
#define CGFS_TEXT_MAX	(1024 * 1024)
/* Inode numbers: a cgroup's directory, then its files, in a block of its own. */
#define CGFS_INO_BASE	(1ULL << 32)
#define CGFS_INO_SHIFT	6

/* What a control file inode is (inode->priv). */
struct cgfs_node {
	struct cgroup *cg;		/* a reference */
	const struct cgroup_file *cft;	/* NULL: the directory */
};

/* The file system's part of a cgroup (cg->fs_priv, cgroup_mutex). */
struct cgfs_dir {
	struct inode *procs;		/* cgroup.procs, a reference: the delegation checks */
};

static struct mutex cgfs_lock = MUTEX_INIT;	/* making the super block */
static struct super_block *cgfs_sb;
static const struct inode_ops cgfs_dir_iops;
static const struct file_ops cgfs_file_ops;
static const struct file_ops cgfs_dir_ops;
const struct fs_type cgroup2_type;

/* O_TRUNC (echo +pids > cgroup.subtree_control): nothing to cut, as kernfs. */
static int cgfs_setsize(struct inode *i, uint64_t size)
{
	(void)i;
	(void)size;
	return 0;
}

static const struct inode_ops cgfs_file_iops = { .setsize = cgfs_setsize };

static uint64_t cgfs_ino(const struct cgroup *cg, size_t file)
{
	return CGFS_INO_BASE + (cg->id << CGFS_INO_SHIFT) + file;
}

static struct cgroup *dir_cgroup(struct inode *dir)
{
	struct cgfs_node *n = dir->priv;

	return n->cg;
}

/* A new inode for cg's directory (cft NULL) or one of its files; takes a reference on cg. */
static int cgfs_inode(struct super_block *sb, struct cgroup *cg, const struct cgroup_file *cft,
		      uint32_t mode, struct inode **out)
{
	struct cgfs_node *n = kzalloc(sizeof(*n));
	struct inode *i;
	int err;

	if (!n)
		return -ENOMEM;
	err = inode_new(sb, mode, &i);
	if (err) {
		kfree(n);
		return err;
	}
	cgroup_get(cg);
	n->cg = cg;
	n->cft = cft;
	i->priv = n;
	i->ino = cgfs_ino(cg, cft ? (size_t)(cft - cgroup_files) + 1 : 0);
	if (cft) {
		i->iops = &cgfs_file_iops;
		i->fops = &cgfs_file_ops;
	} else {
		i->iops = &cgfs_dir_iops;
		i->fops = &cgfs_dir_ops;
		i->nlink = 2;
	}
	*out = i;
	return 0;
}

static void cgfs_evict(struct inode *i)
{
	struct cgfs_node *n = i->priv;

	if (!n)
		return;
	cgroup_put(n->cg);
	kfree(n);
	i->priv = NULL;
}

/* Make cg's cgroup.procs inode, the one every lookup of it returns (owner: dir's). */
static int make_procs(struct super_block *sb, struct cgroup *cg, struct inode *dir)
{
	const struct cgroup_file *cft = NULL;
	struct cgfs_dir *fd;
	int err;

	for (size_t k = 0; k < cgroup_nr_files && !cft; k++)
		if (cgroup_files[k].flags & CFT_PROCS)
			cft = &cgroup_files[k];
	if (!cft)
		return -ENOENT;		/* cgroup_files[] always has cgroup.procs */
	fd = kzalloc(sizeof(*fd));
	if (!fd)
		return -ENOMEM;
	err = cgfs_inode(sb, cg, cft, S_IFREG | cft->mode, &fd->procs);
	if (err) {
		kfree(fd);
		return err;
	}
	fd->procs->uid = dir->uid;
	fd->procs->gid = dir->gid;
	cg->fs_priv = fd;
	return 0;
}

static void drop_procs(struct cgroup *cg)
{
	struct cgfs_dir *fd = cg->fs_priv;

	cg->fs_priv = NULL;
	if (fd) {
		inode_put(fd->procs);
		kfree(fd);
	}
}

/* Linux's kernfs refuses files, nodes and links here. */
static int cgfs_create(struct inode *dir, uint32_t mode, uint32_t rdev, struct inode **out)
{
	(void)dir;
	(void)mode;
	(void)rdev;
	(void)out;
	return -EPERM;
}

static int cgfs_mkdir(struct inode *dir, const char *name, uint32_t mode, struct inode **out)
{
	struct cgroup *parent = dir_cgroup(dir), *cg;
	struct inode *i = NULL;
	int err;

	mutex_lock(&cgroup_mutex);
	err = cgroup_mkdir(parent, name, &cg);
	if (err) {
		mutex_unlock(&cgroup_mutex);
		return err;
	}
	err = cgfs_inode(dir->sb, cg, NULL, S_IFDIR | (mode & 07777), &i);
	if (!err)
		err = make_procs(dir->sb, cg, i);
	if (err) {
		if (i)
			inode_put(i);
		(void)cgroup_rmdir(cg);
	}
	mutex_unlock(&cgroup_mutex);
	cgroup_put(cg);
	if (err)
		return err;
	*out = i;
	return 0;
}

static int cgfs_rmdir(struct inode *dir, const char *name, struct inode *victim)
{
	struct cgroup *cg = dir_cgroup(victim);
	int err;

	(void)dir;
	(void)name;
	mutex_lock(&cgroup_mutex);
	err = cgroup_rmdir(cg);
	if (!err)
		drop_procs(cg);
	mutex_unlock(&cgroup_mutex);
	return err;
}

static const struct cgroup_file *find_file(struct cgroup *cg, const char *name, size_t *idx)
{
	for (size_t k = 0; k < cgroup_nr_files; k++)
		if (!strcmp(cgroup_files[k].name, name) && cgroup_file_visible(cg, &cgroup_files[k])) {
			*idx = k;
			return &cgroup_files[k];
		}
	return NULL;
}

/* Control files not looked up before (child cgroups are always in the cache). */
static int cgfs_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct cgroup *cg = dir_cgroup(dir);
	const struct cgroup_file *cft;
	struct cgfs_dir *fd;
	size_t k;
	int err = 0;

	mutex_lock(&cgroup_mutex);
	cft = cg->dead ? NULL : find_file(cg, name, &k);
	fd = cg->fs_priv;
	if (!cft) {
		err = -ENOENT;
	} else if (cft->flags & CFT_PROCS) {
		inode_get(fd->procs);
		*out = fd->procs;
	} else {
		err = cgfs_inode(dir->sb, cg, cft, S_IFREG | cft->mode, out);
		if (!err) {
			(*out)->uid = dir->uid;
			(*out)->gid = dir->gid;
		}
	}
	mutex_unlock(&cgroup_mutex);
	return err;
}

/* Positions: 2.. the visible files, then the child cgroups, in order. */
static int cgfs_readdir(struct inode *dir, struct dir_emit *ctx)
{
	struct cgroup *cg = dir_cgroup(dir), *c;
	uint64_t pos = 2;
	int err = 0;

	mutex_lock(&cgroup_mutex);
	for (size_t k = 0; k < cgroup_nr_files && !err; k++) {
		const struct cgroup_file *cft = &cgroup_files[k];

		if (cg->dead || !cgroup_file_visible(cg, cft))
			continue;
		if (pos >= ctx->pos) {
			if (ctx->emit(ctx, cft->name, strlen(cft->name), cgfs_ino(cg, k + 1), DT_REG, pos + 1))
				err = 1;
			else
				ctx->pos = pos + 1;
		}
		pos++;
	}
	list_for_each_entry(c, &cg->children, sibling) {
		if (err)
			break;
		if (pos >= ctx->pos) {
			if (ctx->emit(ctx, c->name, strlen(c->name), cgfs_ino(c, 0), DT_DIR, pos + 1))
				err = 1;
			else
				ctx->pos = pos + 1;
		}
		pos++;
	}
	mutex_unlock(&cgroup_mutex);
	return 0;
}

static const struct inode_ops cgfs_dir_iops = {
	.create = cgfs_create, .mkdir = cgfs_mkdir, .rmdir = cgfs_rmdir,
	.lookup = cgfs_lookup, .readdir = cgfs_readdir,
};

/* ---- the control files ---- */

/* The node of an open file, or -ENODEV once its cgroup or controller went (kernfs's). */
static int live_node(struct file *f, struct cgfs_node **out)
{
	struct cgfs_node *n = f->inode->priv;
	bool live;

	mutex_lock(&cgroup_mutex);
	live = !n->cg->dead && cgroup_file_visible(n->cg, n->cft);
	mutex_unlock(&cgroup_mutex);
	*out = n;
	return live ? 0 : -ENODEV;
}

/* Render the file into f->priv, growing the buffer until it fits. */
static int render(struct file *f, struct cgfs_node *n)
{
	struct cgroup_text *t = f->priv;
	size_t cap = t ? t->cap : CGFS_TEXT_MIN;
	int err;

	for (;;) {
		if (!t || t->cap != cap) {
			if (t)
				kfree(t->buf);
			kfree(t);
			f->priv = t = kzalloc(sizeof(*t));
			if (!t)
				return -ENOMEM;
			t->buf = kmalloc(cap);
			if (!t->buf) {
				kfree(t);
				f->priv = NULL;
				return -ENOMEM;
			}
			t->cap = cap;
		}
		t->len = 0;
		t->full = false;
		err = n->cft->show(n->cg, t);
		if (err || !t->full)
			return err;
		if (cap >= CGFS_TEXT_MAX)
			return -ENOMEM;
		cap *= 2;
	}
}

static ssize_t cgfs_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct cgfs_node *n;
	struct cgroup_text *t;
	size_t len;
	int err = live_node(f, &n);

	if (err)
		return err;
	if (*pos == 0 || !f->priv) {
		err = render(f, n);
		if (err)
			return err;
	}
	t = f->priv;
	if (*pos >= t->len)
		return 0;
	len = MIN(buf->len, t->len - *pos);
	err = iobuf_write(buf, 0, t->buf + *pos, len);
	if (err)
		return err;
	*pos += len;
	return (ssize_t)len;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Linux's strstrip: the words without surrounding white space. */
static char *strip(char *s)
{
	size_t n = strlen(s);

	while (n && is_space(s[n - 1]))
		s[--n] = 0;
	while (is_space(*s))
		s++;
	return s;
}

static ssize_t cgfs_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	size_t len = MIN(buf->len, (size_t)CGFS_WRITE_MAX);
	struct cgfs_node *n;
	char *kbuf;
	int err = live_node(f, &n);

	if (err)
		return err;
	if (!n->cft->write)
		return -EINVAL;
	kbuf = kmalloc(len + 1);
	if (!kbuf)
		return -ENOMEM;
	err = iobuf_read(buf, 0, kbuf, len);
	if (!err) {
		kbuf[len] = 0;
		/* A NUL inside ends the command, as the C string kernfs hands on. */
		err = n->cft->write(n->cg, strip(kbuf));
	}
	kfree(kbuf);
	if (err)
		return err;
	*pos += len;
	return (ssize_t)len;
}

static void cgfs_release(struct file *f)
{
	struct cgroup_text *t = f->priv;

	if (t)
		kfree(t->buf);
	kfree(t);
	f->priv = NULL;
}

/* Linux's seq_lseek: from the start or the current place. */
static int64_t cgfs_llseek(struct file *f, int64_t off, int whence)
{
	int64_t base = whence == SEEK_CUR ? (int64_t)f->pos : 0;

	if (whence != SEEK_SET && whence != SEEK_CUR)
		return -EINVAL;
	if (off < 0 && base < -off)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (int64_t)f->pos;
}

static int64_t cgfs_dir_llseek(struct file *f, int64_t off, int whence)
{
	return vfs_generic_llseek(f, off, whence);
}

static const struct file_ops cgfs_dir_ops = {
	.llseek = cgfs_dir_llseek,
};

static const struct file_ops cgfs_file_ops = {
	.read = cgfs_read, .write = cgfs_write, .release = cgfs_release, .llseek = cgfs_llseek,
};

/* ---- what cgroup/ asks of the file system ---- */

int cgroupfs_may_write(struct cgroup *cg)
{
	struct cgfs_dir *fd = cg->fs_priv;

	if (!fd)
		return -ENODEV;
	return inode_permission(fd->procs, MAY_WRITE);
}

int cgroupfs_cgroup_of_fd(int fd, struct cgroup **out)
{
	struct file *f = fd_get(current_files(), fd);
	struct inode *i;
	int err = -EBADF;

	if (!f)
		return -EBADF;
	i = f->inode;
	if (i && i->sb->type == &cgroup2_type && S_ISDIR(i->mode)) {
		*out = dir_cgroup(i);
		cgroup_get(*out);
		err = 0;
	}
	file_put(f);
	return err;
}

/* Take the files of ctrls out of dir d of cgroup c (ns lock held). */
static void prune_files(struct dentry *d, uint32_t ctrls)
{
	for (size_t k = 0; k < cgroup_nr_files; k++) {
		struct dentry *fd;

		if (!(cgroup_files[k].ctrl & ctrls))
			continue;
		fd = dentry_find_child(d, cgroup_files[k].name, strlen(cgroup_files[k].name));
		if (fd) {
			dentry_detach(fd);
			dentry_put(fd);
		}
	}
}

/* The directory dentry of cg (ns lock held): a reference, or NULL. */
static struct dentry *cg_dentry(struct cgroup *cg)
{
	struct dentry *parent, *d;

	if (!cg->parent) {
		if (!cgfs_sb)
			return NULL;
		dentry_get(cgfs_sb->root);
		return cgfs_sb->root;
	}
	parent = cg_dentry(cg->parent);
	if (!parent)
		return NULL;
	d = dentry_find_child(parent, cg->name, strlen(cg->name));
	dentry_put(parent);
	return d;
}

void cgroupfs_ctrl_disabled(struct cgroup *cg, uint32_t ctrls)
{
	struct dentry *d, *cd;
	struct cgroup *c;

	mutex_lock(&vfs_ns_lock);
	mutex_lock(&cgroup_mutex);
	d = cg->dead ? NULL : cg_dentry(cg);
	if (d) {
		list_for_each_entry(c, &cg->children, sibling) {
			cd = dentry_find_child(d, c->name, strlen(c->name));
			if (cd) {
				prune_files(cd, ctrls);
				dentry_put(cd);
			}
		}
		dentry_put(d);
	}
	mutex_unlock(&cgroup_mutex);
	mutex_unlock(&vfs_ns_lock);
}

/* ---- mounting ---- */

static int cgfs_statfs(struct super_block *sb, struct linux_statfs *st)
{
	(void)sb;
	st->f_bsize = 4096;
	st->f_namelen = NAME_MAX;
	return 0;
}

/* The root dentry's inode becomes the root cgroup's directory. */
static int cgfs_init_root(struct super_block *s)
{
	struct inode *root = s->root->inode;
	struct cgfs_node *n = kzalloc(sizeof(*n));
	int err;

	if (!n)
		return -ENOMEM;
	cgroup_get(&cgroup_root);
	n->cg = &cgroup_root;
	root->priv = n;
	root->mode = S_IFDIR | 0755;
	root->ino = cgfs_ino(&cgroup_root, 0);
	root->iops = &cgfs_dir_iops;
	root->fops = &cgfs_dir_ops;
	mutex_lock(&cgroup_mutex);
	err = make_procs(s, &cgroup_root, root);
	mutex_unlock(&cgroup_mutex);
	return err;
}

/* The one super block, made at first mount: its root is the root cgroup. */
static int cgfs_get(struct super_block **out)
{
	struct super_block *s;
	int err = 0;

	mutex_lock(&cgfs_lock);
	if (!cgfs_sb) {
		err = ramfs_new_sb(&cgroup2_type, &s);
		if (!err) {
			s->evict = cgfs_evict;
			s->statfs = cgfs_statfs;
			err = cgfs_init_root(s);
			/* A super block that failed stays unreachable, as mqueue's. */
			if (!err)
				cgfs_sb = s;
		}
	}
	*out = cgfs_sb;
	mutex_unlock(&cgfs_lock);
	return err;
}

/* mount -t cgroup2: the same tree each time; none of Linux's options is built (EINVAL). */
static int cgfs_mount_data(const char *source, uint64_t flags, const char *data,
			   struct super_block **out)
{
	int err;

	(void)source;
	(void)flags;
	if (data && data[0])
		return -EINVAL;
	err = cgfs_get(out);
	if (err)
		return err;
	if (sb_mount_get_live(*out))
		return 1;
	return 0;
}

static int cgfs_mount(const char *source, uint64_t flags, struct super_block **out)
{
	return cgfs_mount_data(source, flags, NULL, out);
}

const struct fs_type cgroup2_type = {
	.name = "cgroup2", .magic = CGROUP2_SUPER_MAGIC, .mount = cgfs_mount,
	.mount_data = cgfs_mount_data,
};
