// SPDX-License-Identifier: MPL-2.0
// ext2 namespace operations: lookup, create (files, devices, FIFOs,
// sockets), mkdir, symlink, link, unlink, rmdir and rename, with the link
// counts Linux keeps (a directory has 2 + its subdirectories; at most
// EXT2_LINK_MAX).  Permission checks, and the dentry-level checks of
// rename, are the VFS's; rename still refuses to move a directory below
// itself so that a caller's mistake cannot detach a subtree.
#include <aster/string.h>
#include "ext2_int.h"

#define EXT2_LINK_MAX	32000
#define MAX_DEPTH_WALK	65536	/* bound on ".." walks (a corrupt loop) */

static int check_name(size_t len)
{
	if (!len)
		return -ENOENT;
	return len > EXT2_NAME_LEN ? -ENAMETOOLONG : 0;
}

static int load_dir(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din)
{
	int err = ext2_iread(fs, dir, din);

	if (err)
		return err;
	if (!ext2_is_dir(din))
		return -ENOTDIR;
	return din->links ? 0 : -ENOENT;	/* removed, still open */
}

static bool is_dots(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

int ext2_lookup(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len, uint32_t *ino)
{
	struct ext2_inode din, in;
	uint32_t parent;
	int err = check_name(len);

	if (!err)
		err = load_dir(fs, dir, &din);
	if (!err)
		err = ext2_dir_find(fs, dir, &din, name, len, ino);
	if (err || is_dots(name, len))
		return err;
	if (*ino < EXT2_ROOT_INO && *ino != 0)
		return ext2_corrupt(fs, "directory %u: entry for reserved inode %u", dir, *ino);
	err = ext2_iread(fs, *ino, &in);
	if (err)
		return err;
	if (!in.links || !in.mode)
		return ext2_corrupt(fs, "directory %u: entry for deleted inode %u", dir, *ino);
	if (!ext2_is_dir(&in))
		return 0;
	/* A subdirectory must name this one as its parent: else it is a loop. */
	err = ext2_dir_parent(fs, *ino, &in, &parent);
	if (!err && parent != dir)
		err = ext2_corrupt(fs, "directory %u: subdirectory %u names %u as parent", dir,
				   *ino, parent);
	return err;
}

int ext2_dir_is_empty(struct ext2_fs *fs, uint32_t dir)
{
	struct ext2_inode din;
	int err = ext2_iread(fs, dir, &din);

	if (err)
		return err;
	if (!ext2_is_dir(&din))
		return -ENOTDIR;
	return ext2_dir_empty(fs, dir, &din);
}

/* A new inode of the given mode near dir, written out. */
static int make_inode(struct ext2_fs *fs, uint32_t dir, uint16_t mode, uint32_t uid,
		      uint32_t gid, uint32_t *ino, struct ext2_inode *in)
{
	bool is_dir = (mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
	uint32_t now = (uint32_t)ext2_now(fs);
	int err = ext2_new_inode(fs, dir, is_dir, ino);

	if (err)
		return err;
	memset(in, 0, sizeof(*in));
	in->mode = mode;
	in->uid = uid;
	in->gid = gid;
	in->links = is_dir ? 2 : 1;
	in->atime = in->ctime = in->mtime = now;
	in->generation = fs->next_generation++;
	return ext2_iinit(fs, *ino, in);
}

/* Undo make_inode when the entry could not be added. */
static void unmake(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
	in->links = 0;
	(void)ext2_idelete(fs, ino, in);
}

static int prepare(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		   struct ext2_inode *din)
{
	uint32_t other;
	int err = ext2_need_write(fs);

	if (!err)
		err = check_name(len);
	if (!err)
		err = load_dir(fs, dir, din);
	if (err)
		return err;
	err = ext2_dir_find(fs, dir, din, name, len, &other);
	if (!err)
		return -EEXIST;
	return err == -ENOENT ? 0 : err;
}

static void encode_dev(struct ext2_inode *in, uint32_t major, uint32_t minor)
{
	if (major < 256 && minor < 256) {
		in->block[0] = major << 8 | minor;
		return;
	}
	in->block[1] = (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

int ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len, uint16_t mode,
		uint32_t rdev_major, uint32_t rdev_minor, uint32_t uid, uint32_t gid,
		uint32_t *ino)
{
	struct ext2_inode din, in;
	uint16_t type = mode & EXT2_S_IFMT;
	int err;

	if (type != EXT2_S_IFREG && type != EXT2_S_IFCHR && type != EXT2_S_IFBLK &&
	    type != EXT2_S_IFIFO && type != EXT2_S_IFSOCK)
		return -EINVAL;
	err = prepare(fs, dir, name, len, &din);
	if (!err)
		err = make_inode(fs, dir, mode, uid, gid, ino, &in);
	if (err)
		return err;
	if (type == EXT2_S_IFCHR || type == EXT2_S_IFBLK) {
		encode_dev(&in, rdev_major, rdev_minor);
		err = ext2_iwrite(fs, *ino, &in);
	}
	if (!err)
		err = ext2_dir_add(fs, dir, &din, name, len, *ino, ext2_mode_ftype(mode));
	if (err)
		unmake(fs, *ino, &in);
	return err;
}

int ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len, uint16_t mode,
	       uint32_t uid, uint32_t gid, uint32_t *ino)
{
	struct ext2_inode din, in;
	int err = prepare(fs, dir, name, len, &din);

	if (err)
		return err;
	if (din.links >= EXT2_LINK_MAX)
		return -EMLINK;
	err = make_inode(fs, dir, (uint16_t)(EXT2_S_IFDIR | (mode & 07777)), uid, gid, ino, &in);
	if (err)
		return err;
	err = ext2_dir_init(fs, *ino, &in, dir);
	if (!err)
		err = ext2_iwrite(fs, *ino, &in);
	if (!err)
		err = ext2_dir_add(fs, dir, &din, name, len, *ino, EXT2_FT_DIR);
	if (err) {
		unmake(fs, *ino, &in);
		return err;
	}
	din.links++;
	return ext2_iwrite(fs, dir, &din);
}

static int write_slow_link(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
			   const char *target, size_t tlen)
{
	uint64_t pblk;
	bool fresh;
	struct ext2_buf *b;
	int err = ext2_imap(fs, ino, in, 0, true, &pblk, &fresh);

	if (err)
		return err;
	/* Through the cache as a whole zeroed block, then out at the next sync. */
	err = ext2_bzero(fs, pblk, &b);
	if (err)
		return err;
	memcpy(b->data, target, tlen);
	ext2_brelse(fs, b);
	err = ext2_cache_flush(fs);
	ext2_bforget(fs, pblk);
	return err;
}

int ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		 const char *target, size_t tlen, uint32_t uid, uint32_t gid, uint32_t *ino)
{
	struct ext2_inode din, in;
	int err;

	if (!tlen)
		return -ENOENT;
	if (tlen >= fs->block_size)
		return -ENAMETOOLONG;
	err = prepare(fs, dir, name, len, &din);
	if (!err)
		err = make_inode(fs, dir, EXT2_S_IFLNK | 0777, uid, gid, ino, &in);
	if (err)
		return err;
	if (tlen < sizeof(in.block)) {	/* fast: the target and its NUL fit in i_block */
		uint8_t raw[sizeof(in.block)];

		memset(raw, 0, sizeof(raw));
		memcpy(raw, target, tlen);
		for (int i = 0; i < EXT2_N_BLOCKS; i++)
			in.block[i] = get_unaligned_le32(raw + 4 * i);
	} else {
		err = write_slow_link(fs, *ino, &in, target, tlen);
	}
	in.size = tlen;
	if (!err)
		err = ext2_iwrite(fs, *ino, &in);
	if (!err)
		err = ext2_dir_add(fs, dir, &din, name, len, *ino, EXT2_FT_SYMLINK);
	if (err)
		unmake(fs, *ino, &in);
	return err;
}

int ext2_link(struct ext2_fs *fs, uint32_t ino, uint32_t dir, const char *name, size_t len)
{
	struct ext2_inode din, in;
	int err = prepare(fs, dir, name, len, &din);

	if (!err)
		err = ext2_iread(fs, ino, &in);
	if (err)
		return err;
	if (ext2_is_dir(&in))
		return -EPERM;
	if (!in.links)
		return -ENOENT;
	if (in.links >= EXT2_LINK_MAX)
		return -EMLINK;
	err = ext2_dir_add(fs, dir, &din, name, len, ino, ext2_mode_ftype(in.mode));
	if (err)
		return err;
	in.links++;
	in.ctime = (uint32_t)ext2_now(fs);
	return ext2_iwrite(fs, ino, &in);
}

/* One link fewer; the inode goes when nothing holds it. */
static int drop_link(struct ext2_fs *fs, uint32_t ino, bool dir)
{
	struct ext2_inode in;
	int err = ext2_iread(fs, ino, &in);

	if (err)
		return err;
	if (!in.links)
		ext2_report(fs, "inode %u: unlinking with a link count of 0", ino);
	in.links = dir || in.links <= 1 ? 0 : (uint16_t)(in.links - 1);
	in.ctime = (uint32_t)ext2_now(fs);
	err = ext2_iwrite(fs, ino, &in);
	if (!err && !in.links)
		err = ext2_inode_release(fs, ino);
	return err;
}

int ext2_unlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len)
{
	struct ext2_inode din, in;
	uint32_t ino;
	int err = ext2_need_write(fs);

	if (!err)
		err = check_name(len);
	if (!err)
		err = load_dir(fs, dir, &din);
	if (!err)
		err = ext2_dir_find(fs, dir, &din, name, len, &ino);
	if (!err)
		err = ext2_iread(fs, ino, &in);
	if (err)
		return err;
	if (ext2_is_dir(&in))
		return -EISDIR;
	err = ext2_dir_remove(fs, dir, &din, name, len);
	return err ? err : drop_link(fs, ino, false);
}

static int dir_links_dec(struct ext2_fs *fs, uint32_t dir)
{
	struct ext2_inode din;
	int err = ext2_iread(fs, dir, &din);

	if (err)
		return err;
	if (din.links > 2)	/* never below ".." and its own name */
		din.links--;
	return ext2_iwrite(fs, dir, &din);
}

int ext2_rmdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len)
{
	struct ext2_inode din, in;
	uint32_t ino;
	int err = ext2_need_write(fs);

	if (!err && len == 1 && name[0] == '.')
		return -EINVAL;
	if (!err && len == 2 && name[0] == '.' && name[1] == '.')
		return -ENOTEMPTY;
	if (!err)
		err = check_name(len);
	if (!err)
		err = load_dir(fs, dir, &din);
	if (!err)
		err = ext2_dir_find(fs, dir, &din, name, len, &ino);
	if (!err)
		err = ext2_iread(fs, ino, &in);
	if (err)
		return err;
	if (!ext2_is_dir(&in))
		return -ENOTDIR;
	if (ino == EXT2_ROOT_INO)
		return -EBUSY;
	err = ext2_dir_empty(fs, ino, &in);
	if (err <= 0)
		return err ? err : -ENOTEMPTY;
	err = ext2_dir_remove(fs, dir, &din, name, len);
	if (!err)
		err = dir_links_dec(fs, dir);
	return err ? err : drop_link(fs, ino, true);
}

/* Is `dir` the inode `anc` or below it?  Walks ".." up to the root. */
static int is_below(struct ext2_fs *fs, uint32_t dir, uint32_t anc)
{
	for (int i = 0; i < MAX_DEPTH_WALK; i++) {
		struct ext2_inode in;
		uint32_t parent;
		int err;

		if (dir == anc)
			return 1;
		if (dir == EXT2_ROOT_INO)
			return 0;
		err = ext2_iread(fs, dir, &in);
		if (!err)
			err = ext2_dir_parent(fs, dir, &in, &parent);
		if (err)
			return err;
		dir = parent;
	}
	return ext2_corrupt(fs, "directory %u: \"..\" chain does not reach the root", dir);
}

struct rename_args {
	uint32_t odir, ndir, ino, target;
	struct ext2_inode in, tin;
	bool has_target;
};

static int rename_check(struct ext2_fs *fs, struct rename_args *r)
{
	bool isdir = ext2_is_dir(&r->in);
	int err;

	if (r->has_target) {
		if (isdir && !ext2_is_dir(&r->tin))
			return -ENOTDIR;
		if (!isdir && ext2_is_dir(&r->tin))
			return -EISDIR;
		if (isdir) {
			err = ext2_dir_empty(fs, r->target, &r->tin);
			if (err <= 0)
				return err ? err : -ENOTEMPTY;
		}
	}
	if (isdir && r->odir != r->ndir) {
		struct ext2_inode nd;

		err = is_below(fs, r->ndir, r->ino);
		if (err)
			return err < 0 ? err : -EINVAL;
		err = ext2_iread(fs, r->ndir, &nd);
		if (err)
			return err;
		if (!r->has_target && nd.links >= EXT2_LINK_MAX)
			return -EMLINK;
	}
	return 0;
}

static int rename_link_counts(struct ext2_fs *fs, struct rename_args *r)
{
	struct ext2_inode d;
	int err = 0;

	if (!ext2_is_dir(&r->in))
		return 0;
	if (r->odir != r->ndir) {
		err = ext2_iread(fs, r->ino, &d);
		if (!err)
			err = ext2_dir_set(fs, r->ino, &d, "..", 2, r->ndir, EXT2_FT_DIR);
		if (!err)
			err = dir_links_dec(fs, r->odir);
		if (!err && !r->has_target) {
			err = ext2_iread(fs, r->ndir, &d);
			if (!err) {
				d.links++;
				err = ext2_iwrite(fs, r->ndir, &d);
			}
		}
	} else if (r->has_target) {
		err = dir_links_dec(fs, r->ndir);	/* the replaced directory's ".." */
	}
	return err;
}

int ext2_rename(struct ext2_fs *fs, uint32_t odir, const char *oname, size_t olen,
		uint32_t ndir, const char *nname, size_t nlen)
{
	struct rename_args r = { .odir = odir, .ndir = ndir };
	struct ext2_inode od, nd;
	int err = ext2_need_write(fs);

	if (!err && (is_dots(oname, olen) || is_dots(nname, nlen)))
		return -EINVAL;
	if (!err)
		err = check_name(olen) ?: check_name(nlen);
	if (!err)
		err = load_dir(fs, odir, &od) ?: load_dir(fs, ndir, &nd);
	if (!err)
		err = ext2_dir_find(fs, odir, &od, oname, olen, &r.ino);
	if (!err)
		err = ext2_iread(fs, r.ino, &r.in);
	if (err)
		return err;
	err = ext2_dir_find(fs, ndir, &nd, nname, nlen, &r.target);
	if (err && err != -ENOENT)
		return err;
	r.has_target = !err;
	if (r.has_target && r.target == r.ino)
		return 0;	/* the same file: nothing to do, as rename(2) */
	if (r.has_target && (err = ext2_iread(fs, r.target, &r.tin)))
		return err;
	err = rename_check(fs, &r);
	if (err)
		return err;
	if (r.has_target)
		err = ext2_dir_set(fs, ndir, &nd, nname, nlen, r.ino, ext2_mode_ftype(r.in.mode));
	else
		err = ext2_dir_add(fs, ndir, &nd, nname, nlen, r.ino, ext2_mode_ftype(r.in.mode));
	/* The old name, read again: adding may have changed the same directory. */
	if (!err)
		err = load_dir(fs, odir, &od);
	if (!err)
		err = ext2_dir_remove(fs, odir, &od, oname, olen);
	if (!err)
		err = ext2_iread(fs, r.ino, &r.in);
	if (!err) {
		r.in.ctime = (uint32_t)ext2_now(fs);
		err = ext2_iwrite(fs, r.ino, &r.in);
	}
	if (!err)
		err = rename_link_counts(fs, &r);
	if (!err && r.has_target)
		err = drop_link(fs, r.target, ext2_is_dir(&r.tin));
	return err;
}
