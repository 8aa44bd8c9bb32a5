// SPDX-License-Identifier: MPL-2.0
// tmpfs: ramfs with limits and options (size=, nr_blocks=, nr_inodes=,
// mode=, uid=, gid=), statfs figures and remount, as Linux's shmem
// (mm/shmem.c is the oracle).  memfd_create's files live on an internal
// tmpfs without limits.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/ramfs/tmpfs.h"
#include "uapi/magic.h"

static spinlock_t tmpfs_lock = SPINLOCK_INIT;

static struct tmpfs_info *info(struct super_block *sb)
{
	return sb->type == &tmpfs_type ? sb->priv : NULL;
}

bool tmpfs_sb(struct super_block *sb)
{
	return sb->type == &tmpfs_type;
}

int tmpfs_charge_blocks(struct super_block *sb, uint64_t n)
{
	struct tmpfs_info *t = info(sb);
	irqflags_t fl;
	int err = 0;

	if (!t)
		return 0;
	fl = spin_lock_irqsave(&tmpfs_lock);
	if (t->max_blocks && t->used_blocks + n > t->max_blocks)
		err = -ENOSPC;
	else
		t->used_blocks += n;
	spin_unlock_irqrestore(&tmpfs_lock, fl);
	return err;
}

void tmpfs_uncharge_blocks(struct super_block *sb, uint64_t n)
{
	struct tmpfs_info *t = info(sb);
	irqflags_t fl;

	if (!t)
		return;
	fl = spin_lock_irqsave(&tmpfs_lock);
	t->used_blocks -= MIN(n, t->used_blocks);
	spin_unlock_irqrestore(&tmpfs_lock, fl);
}

int tmpfs_charge_inode(struct super_block *sb)
{
	struct tmpfs_info *t = info(sb);
	irqflags_t fl;
	int err = 0;

	if (!t)
		return 0;
	fl = spin_lock_irqsave(&tmpfs_lock);
	if (t->max_inodes && t->used_inodes >= t->max_inodes)
		err = -ENOSPC;
	else
		t->used_inodes++;
	spin_unlock_irqrestore(&tmpfs_lock, fl);
	return err;
}

void tmpfs_uncharge_inode(struct super_block *sb)
{
	struct tmpfs_info *t = info(sb);
	irqflags_t fl;

	if (!t)
		return;
	fl = spin_lock_irqsave(&tmpfs_lock);
	if (t->used_inodes)
		t->used_inodes--;
	spin_unlock_irqrestore(&tmpfs_lock, fl);
}

uint64_t tmpfs_free_blocks(struct super_block *sb)
{
	struct tmpfs_info *t = info(sb);

	if (!t || !t->max_blocks)
		return UINT64_MAX;
	return t->max_blocks > t->used_blocks ? t->max_blocks - t->used_blocks : 0;
}

/* Linux's defaults: half of RAM in pages, and as many inodes. */
static uint64_t default_blocks(void)
{
	return frames_total() / 2;
}

/* Linux's memparse: a number (0x hex, 0 octal, else decimal) and a K/M/G/T/P/E suffix. */
static int memparse(const char *s, uint64_t *out, const char **rest)
{
	unsigned int base = 10;
	uint64_t v = 0;
	const char *p = s;
	int shift = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && p[2]) {
		base = 16;
		p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	for (; *p; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned int)(*p - 'A' + 10);
		else
			break;
		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	if (p == s)
		return -EINVAL;
	switch (*p) {
	case 'E': case 'e': shift += 10; /* fallthrough */
	case 'P': case 'p': shift += 10; /* fallthrough */
	case 'T': case 't': shift += 10; /* fallthrough */
	case 'G': case 'g': shift += 10; /* fallthrough */
	case 'M': case 'm': shift += 10; /* fallthrough */
	case 'K': case 'k': shift += 10; p++; break;
	default: break;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -EINVAL;
	*out = v << shift;
	*rest = p;
	return 0;
}

/* A whole-string unsigned number in base (0: as C); -EINVAL otherwise. */
static int parse_base(const char *s, unsigned int base, uint32_t *out)
{
	uint64_t v = 0;
	const char *rest;

	if (base == 8) {
		for (rest = s; *rest >= '0' && *rest <= '7'; rest++)
			v = v * 8 + (uint64_t)(*rest - '0');
		if (rest == s || *rest || v > UINT32_MAX)
			return -EINVAL;
	} else if (memparse(s, &v, &rest) || *rest || v > UINT32_MAX || rest[-1] > '9') {
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

/* What the options set (remount applies only the limits). */
struct tmpfs_opts {
	bool has_blocks, has_inodes;
	uint64_t blocks, inodes;
	struct tmpfs_info *root;	/* mode, uid, gid go here (NULL: ignored) */
};

static int parse_size(const char *v, bool pct_ok, uint64_t *pages)
{
	const char *rest;
	uint64_t n;

	if (memparse(v, &n, &rest))
		return -EINVAL;
	if (pct_ok && *rest == '%') {
		if (n > 100000)
			return -EINVAL;
		/* Of RAM, in pages: size = pct% of the memory. */
		*pages = (uint64_t)frames_total() * n / 100;
		rest++;
	} else if (pct_ok) {
		*pages = (n + PAGE_SIZE - 1) / PAGE_SIZE;
	} else {
		*pages = n;
	}
	return *rest ? -EINVAL : 0;
}

static int parse_one(char *opt, struct tmpfs_opts *o)
{
	char *val = strchr(opt, '=');
	uint32_t u;

	if (!opt[0] || strcmp(opt, "rw") == 0)
		return 0;
	if (!val)
		return -EINVAL;
	*val++ = 0;
	if (strcmp(opt, "size") == 0 || strcmp(opt, "nr_blocks") == 0) {
		o->has_blocks = true;
		return parse_size(val, opt[0] == 's', &o->blocks);
	}
	if (strcmp(opt, "nr_inodes") == 0) {
		const char *rest;

		o->has_inodes = true;
		return memparse(val, &o->inodes, &rest) || *rest ? -EINVAL : 0;
	}
	if (strcmp(opt, "mode") == 0 && !parse_base(val, 8, &u)) {
		if (o->root)
			o->root->mode = u & 07777;
		return 0;
	}
	if ((strcmp(opt, "uid") == 0 || strcmp(opt, "gid") == 0) && !parse_base(val, 0, &u)) {
		if (o->root && opt[0] == 'u')
			o->root->uid = u;
		else if (o->root)
			o->root->gid = u;
		return 0;
	}
	return -EINVAL;
}

/* Comma-separated options of data (NULL: none), Linux's "tmpfs: Bad value" is -EINVAL. */
static int parse_opts(const char *data, struct tmpfs_opts *o)
{
	char *copy, *p, *comma;
	size_t n;
	int err = 0;

	if (!data)
		return 0;
	n = strlen(data);
	copy = kmalloc(n + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, data, n + 1);
	for (p = copy; !err && p; p = comma) {
		comma = strchr(p, ',');
		if (comma)
			*comma++ = 0;
		err = parse_one(p, o);
	}
	kfree(copy);
	return err;
}

static int tmpfs_statfs(struct super_block *sb, struct linux_statfs *st)
{
	struct tmpfs_info *t = info(sb);
	irqflags_t fl = spin_lock_irqsave(&tmpfs_lock);

	if (t->max_blocks) {
		st->f_blocks = t->max_blocks;
		st->f_bfree = st->f_bavail = t->max_blocks - MIN(t->used_blocks, t->max_blocks);
	}
	if (t->max_inodes) {
		st->f_files = t->max_inodes;
		st->f_ffree = t->max_inodes - MIN(t->used_inodes, t->max_inodes);
	}
	spin_unlock_irqrestore(&tmpfs_lock, fl);
	return 0;
}

/* As Linux's shmem_show_options: what differs from the defaults. */
static size_t tmpfs_show_options(struct super_block *sb, char *buf, size_t size)
{
	struct tmpfs_info *t = info(sb);
	size_t len = 0;
	int n;

	if (t->max_blocks != default_blocks()) {
		n = snprintf(buf + len, size - len, ",size=%luk",
			     (unsigned long)(t->max_blocks * (PAGE_SIZE / 1024)));
		len += n > 0 && (size_t)n < size - len ? (size_t)n : 0;
	}
	if (t->max_inodes != default_blocks()) {
		n = snprintf(buf + len, size - len, ",nr_inodes=%lu", (unsigned long)t->max_inodes);
		len += n > 0 && (size_t)n < size - len ? (size_t)n : 0;
	}
	if (t->mode != 01777) {
		n = snprintf(buf + len, size - len, ",mode=%03o", t->mode);
		len += n > 0 && (size_t)n < size - len ? (size_t)n : 0;
	}
	if (t->uid) {
		n = snprintf(buf + len, size - len, ",uid=%u", t->uid);
		len += n > 0 && (size_t)n < size - len ? (size_t)n : 0;
	}
	if (t->gid) {
		n = snprintf(buf + len, size - len, ",gid=%u", t->gid);
		len += n > 0 && (size_t)n < size - len ? (size_t)n : 0;
	}
	return len;
}

/* New limits, not below what is in use (Linux: "Too small a size for current use"). */
static int tmpfs_remount(struct super_block *sb, const char *data)
{
	struct tmpfs_info *t = info(sb);
	struct tmpfs_opts o = { 0 };
	irqflags_t fl;
	int err = parse_opts(data, &o);

	if (err)
		return err;
	fl = spin_lock_irqsave(&tmpfs_lock);
	if (o.has_blocks && o.blocks && (!t->max_blocks || t->used_blocks > o.blocks))
		err = -EINVAL;
	if (o.has_inodes && o.inodes && (!t->max_inodes || t->used_inodes > o.inodes))
		err = -EINVAL;
	if (!err && o.has_blocks)
		t->max_blocks = o.blocks;
	if (!err && o.has_inodes)
		t->max_inodes = o.inodes;
	spin_unlock_irqrestore(&tmpfs_lock, fl);
	return err;
}

int tmpfs_new_sb(bool unlimited, struct super_block **out)
{
	struct tmpfs_info *t = kzalloc(sizeof(*t));
	struct super_block *sb;
	int err;

	if (!t)
		return -ENOMEM;
	t->mode = 01777;
	if (!unlimited)
		t->max_blocks = t->max_inodes = default_blocks();
	err = ramfs_new_sb(&tmpfs_type, &sb);
	if (err) {
		kfree(t);
		return err;
	}
	sb->priv = t;
	sb->statfs = tmpfs_statfs;
	sb->show_options = tmpfs_show_options;
	sb->remount = tmpfs_remount;
	/* The root directory counts as an inode, as on Linux. */
	t->used_inodes = 1;
	*out = sb;
	return 0;
}

/* The last inode of an unmounted tmpfs went (super_block.destroy). */
static void tmpfs_destroy(struct super_block *sb)
{
	kfree(sb->priv);
	kfree(sb);
}

static int tmpfs_mount(const char *source, uint64_t flags, const char *data,
		       struct super_block **out)
{
	struct tmpfs_info opts = { .mode = 01777 };
	struct tmpfs_opts o = { .root = &opts };
	struct super_block *sb;
	struct tmpfs_info *t;
	int err = parse_opts(data, &o);

	(void)source;
	(void)flags;
	if (err)
		return err;
	err = tmpfs_new_sb(false, &sb);
	if (err)
		return err;
	t = sb->priv;
	if (o.has_blocks)
		t->max_blocks = o.blocks;
	if (o.has_inodes)
		t->max_inodes = o.inodes;
	t->mode = opts.mode;
	t->uid = opts.uid;
	t->gid = opts.gid;
	sb->root->inode->mode = S_IFDIR | opts.mode;
	sb->root->inode->uid = opts.uid;
	sb->root->inode->gid = opts.gid;
	/* Unlike the root ramfs, a mounted tmpfs is freed with its last mount, as on Linux. */
	sb->kill = dentry_kill_tree;
	sb->destroy = tmpfs_destroy;
	*out = sb;
	return 0;
}

static int tmpfs_mount_plain(const char *source, uint64_t flags, struct super_block **out)
{
	return tmpfs_mount(source, flags, NULL, out);
}

const struct fs_type tmpfs_type = {
	.name = "tmpfs", .magic = TMPFS_MAGIC, .mount = tmpfs_mount_plain, .mount_data = tmpfs_mount,
};

static struct super_block *memfd_sb;
static struct mutex memfd_sb_lock = MUTEX_INIT;

int memfd_sb_get(struct super_block **out)
{
	int err = 0;

	mutex_lock(&memfd_sb_lock);
	if (!memfd_sb)
		err = tmpfs_new_sb(true, &memfd_sb);
	*out = memfd_sb;
	mutex_unlock(&memfd_sb_lock);
	return err;
}
