// SPDX-License-Identifier: MPL-2.0
// Unpack the initramfs into the root ramfs, streaming (doc/initramfs.md):
// plain newc cpio archives and compressed ones (gzip, zstd, xz, lz4), back
// to back with zero padding between them, as Linux accepts them (an early
// uncompressed archive of microcode, then the compressed main one).  A
// decompressor hands its output to the cpio parser a window at a time; the
// parser writes each file's bytes into ramfs as they arrive, so the extra
// memory is the decompressor's window, never the archive.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/timer.h>
#include "fs/initramfs/unpack.h"
#include "fs/vfs.h"
#include "fs/initramfs/cpio.h"
#include "lib/decompress.h"

/*
 * A regular file with more than one link, by its (dev, ino): later entries
 * naming the same inode become hard links to the first (GNU cpio writes
 * the data with the last one), as Linux's maybe_link() does.
 */
struct hardlink {
	uint32_t ino, dev_major, dev_minor;
	char *path;
};

/* What the unpacker is building: the entry whose data is arriving. */
struct unpacker {
	struct hardlink *links;		/* kmalloc'ed array of nlinks */
	size_t nlinks, links_cap;
	char path[PATH_MAX + 2];	/* "/" and the name */
	char name[PATH_MAX + 1];	/* the parser's name buffer */
	struct cpio_entry e;		/* the current entry (name points into name) */
	struct dentry *file;		/* a regular file being written */
	uint64_t off;			/* where its next byte goes */
	char *link;			/* a symlink's target, gathered */
	size_t link_len;
	bool active;			/* begin() made something end() must finish */
	struct cpio_parser parser;
};

static void set_attrs(struct dentry *d, const struct cpio_entry *e)
{
	struct inode *i = d->inode;

	mutex_lock(&i->lock);
	i->mode = (i->mode & S_IFMT) | (e->mode & 07777);
	i->uid = e->uid;
	i->gid = e->gid;
	i->mtime.sec = (int64_t)e->mtime;
	i->mtime.nsec = 0;
	mutex_unlock(&i->lock);
}

/* Remove a non-directory in the way of a new entry (as Linux's unpacker does). */
static void clear_path(const char *path, uint32_t mode)
{
	struct dentry *d;

	if (vfs_lookup(AT_FDCWD, path, 0, &d))
		return;
	if (S_ISDIR(d->inode->mode) && S_ISDIR(mode)) {
		dentry_put(d);
		return;
	}
	if (S_ISDIR(d->inode->mode))
		(void)vfs_rmdir(AT_FDCWD, path);
	else
		(void)vfs_unlink(AT_FDCWD, path);
	dentry_put(d);
}

int vfs_create_child_path(const char *path, uint32_t mode, uint32_t rdev, struct dentry **out)
{
	struct nameparent np;
	int err = vfs_lookup_parent(AT_FDCWD, path, &np);

	if (err)
		return err;
	if (np.dots) {
		nameparent_release(&np);
		return -EEXIST;
	}
	mutex_lock(&vfs_ns_lock);
	err = vfs_create_child(np.dir, np.last, mode, rdev, out);
	mutex_unlock(&vfs_ns_lock);
	nameparent_release(&np);
	return err;
}

/* The archive's name as an absolute path in u->path; false for "." and the like. */
static bool entry_path(struct unpacker *u, const char *name)
{
	while (name[0] == '/')
		name++;
	if (strncmp(name, "./", 2) == 0)
		name += 2;
	if (strcmp(name, ".") == 0 || !name[0])
		return false;
	u->path[0] = '/';
	strlcpy(u->path + 1, name, sizeof(u->path) - 1);
	return true;
}

static struct hardlink *find_link(struct unpacker *u, const struct cpio_entry *e)
{
	for (size_t i = 0; i < u->nlinks; i++) {
		struct hardlink *h = &u->links[i];

		if (h->ino == e->ino && h->dev_major == e->dev_major && h->dev_minor == e->dev_minor)
			return h;
	}
	return NULL;
}

/* Remember the first name of a multiply linked file (-ENOMEM). */
static int add_link(struct unpacker *u, const struct cpio_entry *e)
{
	size_t len = strlen(u->path) + 1;
	char *path;

	if (u->nlinks == u->links_cap) {
		size_t cap = u->links_cap ? u->links_cap * 2 : 16;
		struct hardlink *n = kcalloc(cap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		for (size_t i = 0; i < u->nlinks; i++)
			n[i] = u->links[i];
		kfree(u->links);
		u->links = n;
		u->links_cap = cap;
	}
	path = kmalloc(len);
	if (!path)
		return -ENOMEM;
	memcpy(path, u->path, len);
	u->links[u->nlinks++] = (struct hardlink){ .ino = e->ino, .dev_major = e->dev_major,
						   .dev_minor = e->dev_minor, .path = path };
	return 0;
}

static void free_links(struct unpacker *u)
{
	for (size_t i = 0; i < u->nlinks; i++)
		kfree(u->links[i].path);
	kfree(u->links);
	u->links = NULL;
	u->nlinks = u->links_cap = 0;
}

/* A regular file: a new one, or a new name for an earlier entry's inode. */
static int begin_regular(struct unpacker *u, const struct cpio_entry *e)
{
	struct hardlink *h = e->nlink >= 2 ? find_link(u, e) : NULL;
	int err;

	if (h) {
		err = vfs_link(AT_FDCWD, h->path, AT_FDCWD, u->path, 0);
		if (!err)
			err = vfs_lookup(AT_FDCWD, u->path, 0, &u->file);
	} else {
		err = vfs_create_child_path(u->path, S_IFREG | 0600, 0, &u->file);
		if (!err && e->nlink >= 2)
			err = add_link(u, e);
	}
	if (err) {
		if (u->file)
			dentry_put(u->file);
		u->file = NULL;
		return err;
	}
	u->off = 0;
	u->active = true;
	return 0;
}

/* An entry's header and name: create it; a file's or symlink's data follows. */
static int entry_begin(void *ctx, const struct cpio_entry *e)
{
	struct unpacker *u = ctx;
	uint32_t type = e->mode & S_IFMT;
	struct dentry *d = NULL;
	int err;

	u->e = *e;
	if (!entry_path(u, e->name))
		return 0;
	clear_path(u->path, e->mode);
	switch (type) {
	case S_IFDIR:
		err = vfs_mkdir(AT_FDCWD, u->path, 0700);
		if (err == -EEXIST)
			err = 0;
		if (!err)
			err = vfs_lookup(AT_FDCWD, u->path, 0, &d);
		break;
	case S_IFLNK:
		if (e->size == 0 || e->size > PATH_MAX)
			return -EINVAL;
		u->link = kmalloc((size_t)e->size);
		if (!u->link)
			return -ENOMEM;
		u->link_len = 0;
		u->active = true;
		return 0;
	case S_IFREG:
		return begin_regular(u, e);
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		err = vfs_create_child_path(u->path, type | 0600,
					    MKDEV(e->rdev_major & 0xfff, e->rdev_minor & 0xfffff), &d);
		break;
	default:
		return -EINVAL;
	}
	if (!err && d)
		set_attrs(d, e);
	if (d)
		dentry_put(d);
	return err;
}

static int entry_data(void *ctx, const uint8_t *p, size_t n)
{
	struct unpacker *u = ctx;
	int err;

	if (u->file) {
		err = ramfs_write_data(u->file->inode, u->off, p, n);
		u->off += n;
		return err;
	}
	if (u->link && n <= u->e.size - u->link_len) {
		memcpy(u->link + u->link_len, p, n);
		u->link_len += n;
	}
	return 0;
}

static int finish_link(struct unpacker *u)
{
	struct dentry *d;
	int err;

	if (u->link_len != u->e.size)
		return -EINVAL;
	err = vfs_create_child_path(u->path, S_IFLNK | 0777, 0, &d);
	if (err)
		return err;
	err = ramfs_set_data(d->inode, u->link, u->link_len);
	if (!err)
		set_attrs(d, &u->e);
	dentry_put(d);
	return err;
}

/* The entry is complete, or abandoned: finish it and let go of it. */
static int entry_end(void *ctx)
{
	struct unpacker *u = ctx;
	int err = 0;

	if (!u->active)
		return 0;
	if (u->file) {
		set_attrs(u->file, &u->e);
		dentry_put(u->file);
		u->file = NULL;
	}
	if (u->link) {
		err = finish_link(u);
		kfree(u->link);
		u->link = NULL;
	}
	u->active = false;
	return err;
}

/* An entry that cannot be made is reported with its name and skipped, as on Linux. */
static int report(struct unpacker *u, int err)
{
	if (err)
		pr_warn("initramfs: %s: error %d\n", u->path, err);
	return err;
}

static int on_begin(void *ctx, const struct cpio_entry *e)
{
	struct unpacker *u = ctx;

	u->path[0] = '\0';
	return report(u, entry_begin(ctx, e));
}

static int on_data(void *ctx, const uint8_t *p, size_t n)
{
	return report(ctx, entry_data(ctx, p, n));
}

static int on_end(void *ctx)
{
	return report(ctx, entry_end(ctx));
}

static const struct cpio_ops unpack_ops = {
	.begin = on_begin, .data = on_data, .end = on_end,
};

/* The first entry error of an archive (each was reported when it happened). */
static void report_entry_error(struct unpacker *u, int *first)
{
	if (u->parser.err && !*first)
		*first = u->parser.err;
	u->parser.err = 0;
}

/*
 * The decompressor's sink: everything it produces is cpio.  Each window
 * piece is a step of a long job: yield between them (other tasks run, and
 * the soft-lockup watchdog knows this one is not stuck).
 */
static int cpio_sink(void *ctx, const uint8_t *p, size_t n)
{
	struct unpacker *u = ctx;
	ssize_t k = cpio_feed(&u->parser, p, n);

	task_yield();

	return k < 0 ? (int)k : 0;
}

/* A compressed archive at buf: *used is its compressed length. */
static int unpack_compressed(struct unpacker *u, enum dc_format f, const uint8_t *buf,
			     size_t len, size_t *used)
{
	struct dc_sink sink = { .write = cpio_sink, .ctx = u };
	int err, end;

	cpio_parser_init(&u->parser, &unpack_ops, u, u->name, sizeof(u->name), 0, false);
	err = dc_decompress(f, buf, len, used, &sink);
	end = cpio_finish(&u->parser);
	if (err) {
		pr_err("initramfs: %s archive: %s (error %d): kept what was unpacked\n",
		       dc_name(f), err == -EINVAL ? "corrupt or truncated" : "cannot decompress",
		       err);
		return err;
	}
	if (end)
		pr_err("initramfs: %s archive ends inside a cpio entry\n", dc_name(f));
	return end;
}

/* Plain cpio at buf (offset base in the image), up to its trailer. */
static int unpack_plain(struct unpacker *u, const uint8_t *buf, size_t len, uint64_t base,
			size_t *used)
{
	ssize_t k;
	int end;

	cpio_parser_init(&u->parser, &unpack_ops, u, u->name, sizeof(u->name), base, true);
	k = cpio_feed(&u->parser, buf, len);
	end = cpio_finish(&u->parser);
	if (k < 0) {
		pr_err("initramfs: malformed cpio archive at offset %llu\n",
		       (unsigned long long)u->parser.off);
		*used = len;
		return (int)k;
	}
	*used = (size_t)k;
	if (end)
		pr_err("initramfs: cpio archive truncated at offset %llu\n",
		       (unsigned long long)u->parser.off);
	return end;
}

int initramfs_unpack_buffer(const uint8_t *buf, size_t len)
{
	struct unpacker *u = kzalloc(sizeof(*u));
	size_t pos = 0;
	int err = 0, first = 0;

	if (!u)
		return -ENOMEM;
	while (pos < len && !err) {
		size_t used = 0;
		enum dc_format f;

		if (buf[pos] == 0) {	/* padding between archives */
			pos++;
			continue;
		}
		f = dc_detect(buf + pos, len - pos);
		if (buf[pos] == '0')
			err = unpack_plain(u, buf + pos, len - pos, pos, &used);
		else if (f != DC_UNKNOWN)
			err = unpack_compressed(u, f, buf + pos, len - pos, &used);
		else {
			pr_err("initramfs: junk at offset %zu (not cpio, nor a known compression)\n", pos);
			err = -EINVAL;
		}
		report_entry_error(u, &first);
		if (!used)
			break;
		pos += used;
	}
	free_links(u);
	kfree(u);
	return err ? err : first;
}

int initramfs_unpack(void)
{
	size_t len = 0;
	const uint8_t *buf = boot_initrd(&len);
	uint64_t t0;
	int err;

	if (!buf || !len)
		return 0;
	t0 = clock_monotonic_ns();
	err = vfs_init_root();
	if (!err)
		err = initramfs_unpack_buffer(buf, len);
	if (err)
		pr_err("initramfs: unpacking failed: %d\n", err);
	else	/* boot time is mostly this: say how much (doc/bench.md) */
		pr_info("Unpacked initramfs (%zu bytes) in %llu ms\n", len,
			(unsigned long long)((clock_monotonic_ns() - t0) / NSEC_PER_MSEC));
	boot_initrd_release();
	return err;
}

void rootfs_prepare(void)
{
	int err = vfs_init_root();

	if (err)
		panic("VFS: cannot mount the root file system (%d)", err);
	(void)vfs_mkdir(AT_FDCWD, "/dev", 0755);
	(void)vfs_mknod(AT_FDCWD, "/dev/console", S_IFCHR | 0600, MKDEV(5, 1), NULL);
	(void)vfs_mkdir(AT_FDCWD, "/root", 0700);
	err = initramfs_unpack();
	if (err)
		pr_err("Initramfs unpacking failed: error %d\n", err);
}
