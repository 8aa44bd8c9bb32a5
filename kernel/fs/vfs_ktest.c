// SPDX-License-Identifier: MPL-2.0
// ktests of the VFS: path walk, the dentry cache, ramfs, symlinks, permissions,
// initramfs, pipes.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include "fs/initramfs/unpack.h"
#include "fs/vfs.h"
#include "uapi/mount.h"
#include "process/capability.h"

static int write_file(const char *path, const char *s)
{
	struct file *f;
	int err = vfs_open_kernel(path, O_CREAT | O_WRONLY | O_TRUNC, 0644, &f);
	ssize_t n;

	if (err)
		return err;
	n = kernel_write(f, 0, s, strlen(s));
	file_put(f);
	return n < 0 ? (int)n : 0;
}

static ssize_t read_file(const char *path, char *buf, size_t size)
{
	struct file *f;
	int err = vfs_open_kernel(path, O_RDONLY, 0, &f);
	ssize_t n;

	if (err)
		return err;
	n = kernel_read(f, 0, buf, size - 1);
	file_put(f);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

KTEST(vfs_path_walk)
{
	struct dentry *d;
	char buf[64];
	char *longname;

	KT_ASSERT_EQ(vfs_init_root(), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_walk", 0755), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_walk/a", 0755), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_walk/a/b", 0755), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_walk/a", 0755), -EEXIST);
	KT_ASSERT_EQ(write_file("/kt_walk/a/f", "x"), 0);
	KT_ASSERT_EQ(vfs_lookup(AT_FDCWD, "/kt_walk//a/./b/../b/", LOOKUP_FOLLOW, &d), 0);
	KT_EXPECT(strcmp(d->name, "b") == 0);
	KT_ASSERT(dentry_path(d, vfs_root, buf, sizeof(buf)) > 0);
	KT_EXPECT(strcmp(buf, "/kt_walk/a/b") == 0);
	dentry_put(d);
	KT_ASSERT_EQ(vfs_lookup(AT_FDCWD, "/../../kt_walk", 0, &d), 0);
	dentry_put(d);
	KT_EXPECT(vfs_lookup(AT_FDCWD, "/kt_walk/a/f/", LOOKUP_FOLLOW, &d) == -ENOTDIR);
	KT_EXPECT(vfs_lookup(AT_FDCWD, "/kt_walk/a/f/x", LOOKUP_FOLLOW, &d) == -ENOTDIR);
	KT_EXPECT(vfs_lookup(AT_FDCWD, "/kt_walk/nope", LOOKUP_FOLLOW, &d) == -ENOENT);
	KT_EXPECT(vfs_lookup(AT_FDCWD, "", LOOKUP_FOLLOW, &d) == -ENOENT);
	longname = kmalloc(300);
	KT_ASSERT(longname != NULL);
	memset(longname, 'n', 299);
	longname[0] = '/';
	longname[299] = 0;
	KT_EXPECT(vfs_lookup(AT_FDCWD, longname, 0, &d) == -ENAMETOOLONG);
	kfree(longname);
}

/* The walk's lock-free lookups: hits, misses, renames, unlinks and mounts. */
/*
 * fs_context_get_cwd gives a reference of the caller's own: a chdir by a
 * thread sharing the context drops the context's, which was the last one
 * of a removed directory, and the caller's dentry stays alive.
 */
KTEST(vfs_fs_context_cwd_is_a_reference)
{
	struct fs_context *c;
	struct dentry *d, *cwd;

	KT_ASSERT_EQ(vfs_init_root(), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_cwd", 0755), 0);
	KT_ASSERT_EQ(vfs_lookup(AT_FDCWD, "/kt_cwd", LOOKUP_FOLLOW, &d), 0);
	KT_ASSERT_EQ(fs_context_create_root(&c), 0);
	fs_context_set_cwd(c, NULL, d);
	dentry_put(d);
	KT_ASSERT_EQ(vfs_rmdir(AT_FDCWD, "/kt_cwd"), 0);
	cwd = fs_context_get_cwd(c);
	KT_EXPECT(refcount_read(&cwd->refs) == 2);
	fs_context_set_cwd(c, root_mount, vfs_root);
	KT_EXPECT(refcount_read(&cwd->refs) == 1);
	KT_EXPECT(!cwd->cached && strcmp(cwd->name, "kt_cwd") == 0);
	dentry_put(cwd);
	d = fs_context_get_root(c);
	KT_EXPECT(d == vfs_root);
	dentry_put(d);
	fs_context_put(c);
}

KTEST(vfs_dcache_fast_lookup)
{
	struct dentry *dir, *d, *d2, *held;

	KT_ASSERT_EQ(vfs_init_root(), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_dc", 0755), 0);
	KT_ASSERT_EQ(write_file("/kt_dc/f", "f"), 0);
	KT_ASSERT_EQ(vfs_lookup(AT_FDCWD, "/kt_dc", 0, &dir), 0);
	KT_ASSERT_EQ(dentry_lookup_fast(dir, "f", 1, &d), 0);
	KT_EXPECT(strcmp(d->name, "f") == 0 && d->parent == dir);
	/* A ramfs directory's cache is complete: a miss is ENOENT, not "ask the fs". */
	KT_EXPECT(dentry_lookup_fast(dir, "nope", 4, &d2) == -ENOENT);
	/* Renamed: found under the new name only, the same dentry. */
	KT_ASSERT_EQ(vfs_rename(AT_FDCWD, "/kt_dc/f", AT_FDCWD, "/kt_dc/g", 0), 0);
	KT_EXPECT(dentry_lookup_fast(dir, "f", 1, &d2) == -ENOENT);
	KT_ASSERT_EQ(dentry_lookup_fast(dir, "g", 1, &d2), 0);
	KT_EXPECT(d2 == d && d2->name_len == 1 && d2->name_hash == dentry_name_hash("g", 1));
	dentry_put(d2);
	/* Unlinked while held: gone from the cache, still usable until put. */
	held = d;
	KT_ASSERT_EQ(vfs_unlink(AT_FDCWD, "/kt_dc/g"), 0);
	KT_EXPECT(!held->cached);
	KT_EXPECT(dentry_lookup_fast(dir, "g", 1, &d2) == -ENOENT);
	KT_EXPECT(held->inode != NULL && S_ISREG(held->inode->mode));
	dentry_put(held);
	/* Something mounted on a child: the fast lookup defers to the full one. */
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_dc/m", 0755), 0);
	KT_ASSERT_EQ(write_file("/kt_dc/m/under", "u"), 0);
	KT_ASSERT_EQ(vfs_mount("kt", AT_FDCWD, "/kt_dc/m", "tmpfs", 0, NULL), 0);
	KT_EXPECT(dentry_lookup_fast(dir, "m", 1, &d2) == -EAGAIN);
	KT_EXPECT(vfs_lookup(AT_FDCWD, "/kt_dc/m/under", 0, &d2) == -ENOENT);
	KT_ASSERT_EQ(vfs_lookup(AT_FDCWD, "/kt_dc/m", 0, &d2), 0);
	KT_EXPECT(d2->parent == NULL);	/* the mounted root */
	dentry_put(d2);
	KT_ASSERT_EQ(vfs_umount(AT_FDCWD, "/kt_dc/m", 0), 0);
	KT_ASSERT_EQ(dentry_lookup_fast(dir, "m", 1, &d2), 0);
	dentry_put(d2);
	KT_ASSERT_EQ(vfs_lookup(AT_FDCWD, "/kt_dc/m/under", 0, &d2), 0);
	dentry_put(d2);
	dentry_put(dir);
}

/* Does hay contain needle? */
static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncmp(hay, needle, n) == 0)
			return true;
	return false;
}

/* The /proc/mounts and mountinfo text of a tmpfs and of a bind of its subdirectory. */
/* The caller's mounts in fmt, as /proc/self/mounts... shows them. */
static size_t mounts_now(enum mounts_format fmt, char *buf, size_t size)
{
	struct mnt_namespace *ns = mnt_ns_current();
	struct fs_context *fs = vfs_current_fs();
	size_t n = vfs_mounts_text(ns, fs, fmt, buf, size);

	if (fs)
		fs_context_put(fs);
	mnt_ns_put(ns);
	return n;
}

KTEST(vfs_mount_text)
{
	char *buf = kmalloc(8192);

	KT_ASSERT(buf != NULL);
	KT_ASSERT_EQ(vfs_init_root(), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_mt", 0755), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_mb", 0755), 0);
	KT_ASSERT_EQ(vfs_mount("kt src", AT_FDCWD, "/kt_mt", "tmpfs", MS_NOEXEC, "size=8k,mode=700"),
		     0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_mt/sub", 0755), 0);
	KT_ASSERT_EQ(vfs_mount("/kt_mt/sub", AT_FDCWD, "/kt_mb", NULL, MS_BIND, NULL), 0);
	KT_EXPECT(mounts_now(MOUNTS_MOUNTS, buf, 8192) > 0);
	/* The source's blank is mangled as Linux does. */
	KT_EXPECT(contains(buf, "kt\\040src /kt_mt tmpfs rw,noexec,relatime,size=8k,mode=700 0 0\n"));
	KT_EXPECT(mounts_now(MOUNTS_INFO, buf, 8192) > 0);
	KT_EXPECT(contains(buf, " /sub /kt_mb rw,noexec,relatime - tmpfs kt\\040src rw,size=8k,mode=700\n"));
	KT_EXPECT(contains(buf, " / /kt_mt rw,noexec,relatime - tmpfs "));
	KT_ASSERT_EQ(vfs_umount(AT_FDCWD, "/kt_mb", 0), 0);
	KT_ASSERT_EQ(vfs_umount(AT_FDCWD, "/kt_mt", 0), 0);
	kfree(buf);
}

/* The file system a path ends on (its super block), or NULL. */
static struct super_block *sb_at(const char *path)
{
	struct super_block *sb = NULL;
	struct dentry *d;
	struct mount *m;

	if (vfs_lookup_mnt(AT_FDCWD, path, LOOKUP_FOLLOW, &d, &m) == 0) {
		sb = d->sb;
		dentry_put(d);
		mount_put(m);
	}
	return sb;
}

/* A mount under a shared mount appears in its peer (a bind), and its umount there goes back. */
KTEST(vfs_mount_propagation)
{
	char *buf = kmalloc(8192);

	KT_ASSERT(buf != NULL);
	KT_ASSERT_EQ(vfs_init_root(), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_ps", 0755), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_pp", 0755), 0);
	KT_ASSERT_EQ(vfs_mount("kt_ps", AT_FDCWD, "/kt_ps", "tmpfs", 0, NULL), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_ps/x", 0755), 0);
	KT_EXPECT(vfs_mount(NULL, AT_FDCWD, "/kt_ps", NULL, MS_SHARED | MS_PRIVATE, NULL) == -EINVAL);
	KT_ASSERT_EQ(vfs_mount(NULL, AT_FDCWD, "/kt_ps", NULL, MS_SHARED, NULL), 0);
	KT_ASSERT_EQ(vfs_mount("/kt_ps", AT_FDCWD, "/kt_pp", NULL, MS_BIND, NULL), 0);
	KT_ASSERT_EQ(vfs_mount("kt_px", AT_FDCWD, "/kt_ps/x", "tmpfs", 0, NULL), 0);
	KT_EXPECT(sb_at("/kt_pp/x") == sb_at("/kt_ps/x"));
	KT_EXPECT(sb_at("/kt_pp/x") != sb_at("/kt_pp"));
	KT_EXPECT(mounts_now(MOUNTS_INFO, buf, 8192) > 0);
	KT_EXPECT(contains(buf, " /kt_pp/x rw,relatime shared:"));
	KT_EXPECT(vfs_umount(AT_FDCWD, "/kt_pp/x", 0) == 0);
	KT_EXPECT(sb_at("/kt_ps/x") == sb_at("/kt_ps"));
	KT_EXPECT(vfs_umount(AT_FDCWD, "/kt_pp", 0) == 0);
	KT_EXPECT(vfs_umount(AT_FDCWD, "/kt_ps", 0) == 0);
	KT_EXPECT(vfs_rmdir(AT_FDCWD, "/kt_ps") == 0);
	KT_EXPECT(vfs_rmdir(AT_FDCWD, "/kt_pp") == 0);
	kfree(buf);
}

KTEST(vfs_ramfs_file_ops)
{
	char buf[64];
	struct file *f;
	struct dentry *d;

	KT_ASSERT_EQ(vfs_init_root(), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_ram", 0755), 0);
	KT_ASSERT_EQ(write_file("/kt_ram/f", "hello world"), 0);
	KT_ASSERT_EQ(read_file("/kt_ram/f", buf, sizeof(buf)), 11);
	KT_EXPECT(strcmp(buf, "hello world") == 0);
	/* Sparse write far out, then truncate and extend: zero-filled. */
	KT_ASSERT_EQ(vfs_open_kernel("/kt_ram/f", O_RDWR, 0, &f), 0);
	KT_ASSERT_EQ(kernel_write(f, 10000, "Z", 1), 1);
	KT_EXPECT(f->inode->size == 10001);
	KT_ASSERT_EQ(kernel_read(f, 5000, buf, 4), 4);
	KT_EXPECT(memcmp(buf, "\0\0\0\0", 4) == 0);
	KT_ASSERT_EQ(vfs_truncate_inode(f->inode, 3), 0);
	KT_ASSERT_EQ(vfs_truncate_inode(f->inode, 8), 0);
	KT_ASSERT_EQ(kernel_read(f, 0, buf, 16), 8);
	KT_EXPECT(memcmp(buf, "hel\0\0\0\0\0", 8) == 0);
	file_put(f);
	/* Rename over an existing file, then unlink. */
	KT_ASSERT_EQ(write_file("/kt_ram/g", "gee"), 0);
	KT_ASSERT_EQ(vfs_rename(AT_FDCWD, "/kt_ram/g", AT_FDCWD, "/kt_ram/f", 0), 0);
	KT_ASSERT_EQ(read_file("/kt_ram/f", buf, sizeof(buf)), 3);
	KT_EXPECT(vfs_lookup(AT_FDCWD, "/kt_ram/g", 0, &d) == -ENOENT);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_ram/d", 0755), 0);
	KT_EXPECT(vfs_rename(AT_FDCWD, "/kt_ram/f", AT_FDCWD, "/kt_ram/d", 0) == -EISDIR);
	KT_EXPECT(vfs_rename(AT_FDCWD, "/kt_ram", AT_FDCWD, "/kt_ram/d/x", 0) == -EINVAL);
	KT_ASSERT_EQ(vfs_rename(AT_FDCWD, "/kt_ram/f", AT_FDCWD, "/kt_ram/d/f", 0), 0);
	KT_EXPECT(vfs_rmdir(AT_FDCWD, "/kt_ram/d") == -ENOTEMPTY);
	KT_EXPECT(vfs_unlink(AT_FDCWD, "/kt_ram/d") == -EISDIR);
	KT_EXPECT(vfs_rmdir(AT_FDCWD, "/kt_ram/d/f") == -ENOTDIR);
	/* An open file survives its unlink. */
	KT_ASSERT_EQ(vfs_open_kernel("/kt_ram/d/f", O_RDONLY, 0, &f), 0);
	KT_ASSERT_EQ(vfs_unlink(AT_FDCWD, "/kt_ram/d/f"), 0);
	KT_ASSERT_EQ(kernel_read(f, 0, buf, 16), 3);
	KT_EXPECT(f->inode->nlink == 0);
	file_put(f);
	KT_ASSERT_EQ(vfs_rmdir(AT_FDCWD, "/kt_ram/d"), 0);
	KT_EXPECT(vfs_lookup(AT_FDCWD, "/kt_ram/d", 0, &d) == -ENOENT);
	/* Hard links share the inode. */
	KT_ASSERT_EQ(write_file("/kt_ram/h1", "link"), 0);
	KT_ASSERT_EQ(vfs_link(AT_FDCWD, "/kt_ram/h1", AT_FDCWD, "/kt_ram/h2", 0), 0);
	KT_ASSERT_EQ(read_file("/kt_ram/h2", buf, sizeof(buf)), 4);
	KT_ASSERT_EQ(vfs_lookup(AT_FDCWD, "/kt_ram/h2", 0, &d), 0);
	KT_EXPECT(d->inode->nlink == 2);
	dentry_put(d);
	/* O_EXCL, O_DIRECTORY, EISDIR. */
	KT_EXPECT(vfs_open_kernel("/kt_ram/h1", O_CREAT | O_EXCL | O_WRONLY, 0644, &f) == -EEXIST);
	KT_EXPECT(vfs_open_kernel("/kt_ram/h1", O_DIRECTORY, 0, &f) == -ENOTDIR);
	KT_EXPECT(vfs_open_kernel("/kt_ram", O_WRONLY, 0, &f) == -EISDIR);
}

KTEST(vfs_symlinks_and_loops)
{
	char buf[64];
	struct dentry *d;

	KT_ASSERT_EQ(vfs_init_root(), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_ln", 0755), 0);
	KT_ASSERT_EQ(write_file("/kt_ln/target", "via link"), 0);
	KT_ASSERT_EQ(vfs_symlink("target", AT_FDCWD, "/kt_ln/rel"), 0);
	KT_ASSERT_EQ(vfs_symlink("/kt_ln", AT_FDCWD, "/kt_ln/dir"), 0);
	KT_ASSERT_EQ(read_file("/kt_ln/rel", buf, sizeof(buf)), 8);
	KT_ASSERT_EQ(read_file("/kt_ln/dir/dir/dir/rel", buf, sizeof(buf)), 8);
	KT_ASSERT_EQ(vfs_lookup(AT_FDCWD, "/kt_ln/rel", 0, &d), 0);
	KT_EXPECT(S_ISLNK(d->inode->mode));
	KT_ASSERT_EQ(vfs_readlink(d, buf, sizeof(buf)), 6);
	dentry_put(d);
	KT_ASSERT_EQ(vfs_symlink("loop2", AT_FDCWD, "/kt_ln/loop1"), 0);
	KT_ASSERT_EQ(vfs_symlink("loop1", AT_FDCWD, "/kt_ln/loop2"), 0);
	KT_EXPECT(vfs_lookup(AT_FDCWD, "/kt_ln/loop1", LOOKUP_FOLLOW, &d) == -ELOOP);
	KT_EXPECT(vfs_lookup(AT_FDCWD, "/kt_ln/loop1/x", 0, &d) == -ELOOP);
	KT_ASSERT_EQ(vfs_symlink("nowhere", AT_FDCWD, "/kt_ln/dangling"), 0);
	KT_EXPECT(vfs_lookup(AT_FDCWD, "/kt_ln/dangling", LOOKUP_FOLLOW, &d) == -ENOENT);
	KT_EXPECT(vfs_symlink("x", AT_FDCWD, "/kt_ln/rel") == -EEXIST);
}

static bool never_in_group(uint32_t gid)
{
	(void)gid;
	return false;
}

static bool always_in_group(uint32_t gid)
{
	(void)gid;
	return true;
}

KTEST(vfs_permissions)
{
	struct inode i = { 0 };

	i.mode = S_IFREG | 0640;
	i.uid = 100;
	i.gid = 200;
	KT_EXPECT(inode_permission_ids(&i, MAY_READ | MAY_WRITE, 100, never_in_group, 0) == 0);
	KT_EXPECT(inode_permission_ids(&i, MAY_EXEC, 100, never_in_group, 0) == -EACCES);
	KT_EXPECT(inode_permission_ids(&i, MAY_READ, 101, always_in_group, 0) == 0);
	KT_EXPECT(inode_permission_ids(&i, MAY_WRITE, 101, always_in_group, 0) == -EACCES);
	KT_EXPECT(inode_permission_ids(&i, MAY_READ, 101, never_in_group, 0) == -EACCES);
	/* Full capabilities bypass rwx, but exec needs one x bit. */
	KT_EXPECT(inode_permission_ids(&i, MAY_READ | MAY_WRITE, 0, never_in_group, CAP_FULL_SET) == 0);
	KT_EXPECT(inode_permission_ids(&i, MAY_EXEC, 0, never_in_group, CAP_FULL_SET) == -EACCES);
	i.mode = S_IFREG | 0001;
	KT_EXPECT(inode_permission_ids(&i, MAY_EXEC, 0, never_in_group, CAP_FULL_SET) == 0);
	i.mode = S_IFDIR | 0;
	KT_EXPECT(inode_permission_ids(&i, MAY_EXEC, 0, never_in_group, CAP_FULL_SET) == 0);
	/* Owner bits win even when they deny and others allow. */
	i.mode = S_IFREG | 0077;
	KT_EXPECT(inode_permission_ids(&i, MAY_READ, 100, always_in_group, 0) == -EACCES);
	/* CAP_DAC_READ_SEARCH reads files and searches directories, never writes. */
	i.mode = S_IFREG | 0;
	KT_EXPECT(inode_permission_ids(&i, MAY_READ, 101, never_in_group, CAP_BIT(CAP_DAC_READ_SEARCH)) == 0);
	KT_EXPECT(inode_permission_ids(&i, MAY_WRITE, 101, never_in_group, CAP_BIT(CAP_DAC_READ_SEARCH)) == -EACCES);
	KT_EXPECT(inode_permission_ids(&i, MAY_WRITE, 101, never_in_group, CAP_BIT(CAP_DAC_OVERRIDE)) == 0);
	i.mode = S_IFDIR | 0;
	KT_EXPECT(inode_permission_ids(&i, MAY_READ | MAY_EXEC, 101, never_in_group, CAP_BIT(CAP_DAC_READ_SEARCH)) == 0);
	KT_EXPECT(inode_permission_ids(&i, MAY_WRITE | MAY_EXEC, 101, never_in_group, CAP_BIT(CAP_DAC_READ_SEARCH)) == -EACCES);
	/* Root without the capabilities is an ordinary user. */
	KT_EXPECT(inode_permission_ids(&i, MAY_EXEC, 0, never_in_group, 0) == -EACCES);
}

/* A newc header: fields in hex. */
static size_t cpio_add(char *buf, size_t pos, const char *name, uint32_t mode, const char *data,
		       uint32_t rmaj, uint32_t rmin)
{
	size_t nl = strlen(name) + 1, dl = data ? strlen(data) : 0;
	int n = snprintf(buf + pos, 111, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
			 1, mode, 5, 6, 1, 1234, (uint32_t)dl, 0, 0, rmaj, rmin, (uint32_t)nl, 0);

	pos += (size_t)n;
	memcpy(buf + pos, name, nl);
	pos = ALIGN_UP(pos + nl, 4);
	if (dl)
		memcpy(buf + pos, data, dl);
	return ALIGN_UP(pos + dl, 4);
}

/* A regular file entry with an inode number and a link count. */
static size_t cpio_add_ino(char *buf, size_t pos, uint32_t ino, const char *name, uint32_t mode,
			   uint32_t nlink, const char *data)
{
	size_t nl = strlen(name) + 1, dl = data ? strlen(data) : 0;
	int n = snprintf(buf + pos, 111, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
			 ino, mode, 0, 0, nlink, 0, (uint32_t)dl, 0, 0, 0, 0, (uint32_t)nl, 0);

	pos += (size_t)n;
	memcpy(buf + pos, name, nl);
	pos = ALIGN_UP(pos + nl, 4);
	if (dl)
		memcpy(buf + pos, data, dl);
	return ALIGN_UP(pos + dl, 4);
}

KTEST(vfs_initramfs_unpack)
{
	char *a = kzalloc(4096);
	char buf[32];
	struct dentry *d;
	size_t pos = 0;

	KT_ASSERT(a != NULL);
	KT_ASSERT_EQ(vfs_init_root(), 0);
	pos = cpio_add(a, pos, "kt_cpio", S_IFDIR | 0750, NULL, 0, 0);
	pos = cpio_add(a, pos, "kt_cpio/file", S_IFREG | 0604, "content", 0, 0);
	pos = cpio_add(a, pos, "kt_cpio/link", S_IFLNK | 0777, "file", 0, 0);
	pos = cpio_add(a, pos, "kt_cpio/null", S_IFCHR | 0666, NULL, 1, 3);
	pos = cpio_add(a, pos, "TRAILER!!!", 0, NULL, 0, 0);
	pos += 512;	/* zero padding, then a second archive */
	pos = cpio_add(a, pos, "kt_cpio/second", S_IFREG | 0600, "2", 0, 0);
	pos = cpio_add(a, pos, "TRAILER!!!", 0, NULL, 0, 0);
	pos += 64;
	KT_ASSERT_EQ(initramfs_unpack_buffer((const uint8_t *)a, pos), 0);
	KT_ASSERT_EQ(read_file("/kt_cpio/link", buf, sizeof(buf)), 7);
	KT_EXPECT(strcmp(buf, "content") == 0);
	KT_ASSERT_EQ(vfs_lookup(AT_FDCWD, "/kt_cpio/file", 0, &d), 0);
	KT_EXPECT(d->inode->mode == (S_IFREG | 0604));
	KT_EXPECT(d->inode->uid == 5 && d->inode->gid == 6 && d->inode->mtime.sec == 1234);
	dentry_put(d);
	KT_ASSERT_EQ(vfs_lookup(AT_FDCWD, "/kt_cpio/null", 0, &d), 0);
	KT_EXPECT(S_ISCHR(d->inode->mode) && d->inode->rdev == MKDEV(1, 3));
	dentry_put(d);
	KT_ASSERT_EQ(read_file("/kt_cpio/second", buf, sizeof(buf)), 1);
	/* Hard links, as GNU cpio writes them: the data comes with the last name. */
	pos = cpio_add_ino(a, 0, 77, "kt_cpio/hl1", S_IFREG | 0644, 2, NULL);
	pos = cpio_add_ino(a, pos, 77, "kt_cpio/hl2", S_IFREG | 0644, 2, "shared");
	pos = cpio_add(a, pos, "TRAILER!!!", 0, NULL, 0, 0);
	KT_ASSERT_EQ(initramfs_unpack_buffer((const uint8_t *)a, pos), 0);
	KT_ASSERT_EQ(read_file("/kt_cpio/hl1", buf, sizeof(buf)), 6);
	KT_EXPECT(memcmp(buf, "shared", 6) == 0);
	KT_ASSERT_EQ(vfs_lookup(AT_FDCWD, "/kt_cpio/hl1", 0, &d), 0);
	KT_EXPECT(d->inode->nlink == 2);
	dentry_put(d);
	/* Garbage is an error, never a panic. */
	memset(a, 'q', 200);
	KT_EXPECT(initramfs_unpack_buffer((const uint8_t *)a, 200) == -EINVAL);
	kfree(a);
}

KTEST(vfs_pipes)
{
	struct file *rd, *wr;
	char buf[16];

	KT_ASSERT_EQ(pipe_create_files(O_NONBLOCK, &rd, &wr), 0);
	KT_EXPECT(kernel_read(rd, 0, buf, sizeof(buf)) == -EAGAIN);
	KT_ASSERT_EQ(kernel_write(wr, 0, "abc", 3), 3);
	KT_EXPECT((rd->ops->poll(rd) & POLLIN) != 0);
	KT_ASSERT_EQ(kernel_read(rd, 0, buf, sizeof(buf)), 3);
	KT_EXPECT(memcmp(buf, "abc", 3) == 0);
	file_put(wr);
	KT_EXPECT(kernel_read(rd, 0, buf, sizeof(buf)) == 0);	/* EOF */
	file_put(rd);
	KT_ASSERT_EQ(pipe_create_files(O_NONBLOCK, &rd, &wr), 0);
	file_put(rd);
	KT_EXPECT(kernel_write(wr, 0, "x", 1) == -EPIPE);
	file_put(wr);
}

KTEST(vfs_devices)
{
	struct dentry *d;
	struct file *f;
	uint8_t buf[32] = { 1 };
	uint8_t zero[32] = { 0 };

	KT_ASSERT_EQ(vfs_init_root(), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_dev", 0755), 0);
	KT_ASSERT_EQ(vfs_mount("devtmpfs", AT_FDCWD, "/kt_dev", "devtmpfs", 0, NULL), 0);
	KT_ASSERT_EQ(vfs_open_kernel("/kt_dev/zero", O_RDWR, 0, &f), 0);
	KT_ASSERT_EQ(kernel_read(f, 0, buf, sizeof(buf)), 32);
	KT_EXPECT(memcmp(buf, zero, 32) == 0);
	file_put(f);
	KT_ASSERT_EQ(vfs_open_kernel("/kt_dev/urandom", O_RDONLY, 0, &f), 0);
	KT_ASSERT_EQ(kernel_read(f, 0, buf, sizeof(buf)), 32);
	KT_EXPECT(memcmp(buf, zero, 32) != 0);
	file_put(f);
	KT_ASSERT_EQ(vfs_open_kernel("/kt_dev/full", O_WRONLY, 0, &f), 0);
	KT_EXPECT(kernel_write(f, 0, "x", 1) == -ENOSPC);
	file_put(f);
	KT_ASSERT_EQ(vfs_lookup(AT_FDCWD, "/kt_dev/..", 0, &d), 0);
	KT_EXPECT(d == vfs_root);
	dentry_put(d);
	KT_ASSERT_EQ(vfs_umount(AT_FDCWD, "/kt_dev", 0), 0);
	KT_EXPECT(vfs_lookup(AT_FDCWD, "/kt_dev/zero", 0, &d) == -ENOENT);
}

struct count_ctx {
	struct dir_emit e;
	int n;
	bool saw_meminfo;
};

static int count_emit(struct dir_emit *e, const char *name, size_t len, uint64_t ino,
		      unsigned int dtype, uint64_t next)
{
	struct count_ctx *c = container_of(e, struct count_ctx, e);

	(void)ino;
	(void)dtype;
	c->n++;
	if (len == 7 && memcmp(name, "meminfo", 7) == 0)
		c->saw_meminfo = true;
	e->pos = next;
	return 0;
}

KTEST(vfs_procfs_sysfs)
{
	char *buf = kmalloc(2048);
	struct count_ctx c = { .e = { .emit = count_emit } };
	struct file *f;

	KT_ASSERT(buf != NULL);
	KT_ASSERT_EQ(vfs_init_root(), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_proc", 0755), 0);
	KT_ASSERT_EQ(vfs_mkdir(AT_FDCWD, "/kt_sys", 0755), 0);
	KT_ASSERT_EQ(vfs_mount("proc", AT_FDCWD, "/kt_proc", "proc", 0, NULL), 0);
	KT_ASSERT_EQ(vfs_mount("sysfs", AT_FDCWD, "/kt_sys", "sysfs", 0, NULL), 0);
	KT_ASSERT(read_file("/kt_proc/meminfo", buf, 2048) > 0);
	KT_EXPECT(strncmp(buf, "MemTotal:", 9) == 0);
	/* /proc/mounts is Linux's link to self/mounts: no process here to follow it to. */
	KT_ASSERT(read_file("/kt_proc/filesystems", buf, 2048) > 0);
	KT_EXPECT(strncmp(buf, "nodev\t", 6) == 0);
	KT_ASSERT(read_file("/kt_proc/sys/kernel/ostype", buf, 2048) > 0);
	KT_EXPECT(strcmp(buf, "Linux\n") == 0);
	KT_ASSERT(read_file("/kt_proc/uptime", buf, 2048) > 0);
	KT_ASSERT_EQ(read_file("/kt_sys/class/tty/console/active", buf, 2048), 6);
	KT_EXPECT(strcmp(buf, "ttyS0\n") == 0);
	KT_ASSERT_EQ(vfs_open_kernel("/kt_proc", O_RDONLY | O_DIRECTORY, 0, &f), 0);
	KT_ASSERT_EQ(vfs_readdir(f, &c.e), 0);
	KT_EXPECT(c.n >= 7 && c.saw_meminfo);
	file_put(f);
	KT_EXPECT(vfs_mkdir(AT_FDCWD, "/kt_proc/x", 0755) != 0);
	KT_EXPECT(vfs_open_kernel("/kt_proc/meminfo", O_WRONLY, 0, &f) == -EACCES);
	kfree(buf);
}
