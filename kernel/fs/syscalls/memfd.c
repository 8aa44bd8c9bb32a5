// SPDX-License-Identifier: MPL-2.0
// memfd_create(2) and file sealing (F_ADD_SEALS, F_GET_SEALS), as Linux's
// mm/memfd.c: an unnamed tmpfs file whose seals the ramfs data path and
// mmap enforce (EPERM on writes, growth or shrinking; EBUSY adding
// F_SEAL_WRITE while a shared mapping may write).
#include "fs/syscalls/sys.h"
#include "uapi/memfd.h"

#define MFD_NAME_PREFIX		"memfd:"
#define MFD_NAME_MAX_LEN	249	/* NAME_MAX minus the prefix */
#define F_ALL_SEALS		(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | \
				 F_SEAL_FUTURE_WRITE)

static int memfd_new(const char *name, bool sealing, struct file **out)
{
	struct super_block *sb;
	struct inode *i;
	struct dentry *d;
	int err = memfd_sb_get(&sb);

	if (err)
		return err;
	err = sb->root->inode->iops->create(sb->root->inode, S_IFREG | 0777, 0, &i);
	if (err)
		return err;
	i->seals = sealing ? 0 : F_SEAL_SEAL;
	i->nlink = 0;	/* no name anywhere, as Linux's memfd */
	/* Never linked anywhere: /proc/<pid>/fd shows "/memfd:NAME (deleted)". */
	err = dentry_new(sb->root, name, strlen(name), i, &d);
	inode_put(i);
	if (err)
		return err;
	err = vfs_open_path(NULL, d, O_RDWR | O_LARGEFILE, out);
	dentry_put(d);
	return err;
}

long sys_memfd_create(uaddr_t uname, unsigned int flags)
{
	char name[sizeof(MFD_NAME_PREFIX) + MFD_NAME_MAX_LEN];
	struct file *f;
	long n;
	int err;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB))
		return -EINVAL;
	/* No huge pages here: refused as an unsupported flag. */
	if (flags & MFD_HUGETLB)
		return -EINVAL;
	memcpy(name, MFD_NAME_PREFIX, sizeof(MFD_NAME_PREFIX));
	n = strncpy_from_user(name + sizeof(MFD_NAME_PREFIX) - 1, uname, MFD_NAME_MAX_LEN + 1);
	if (n == -ENAMETOOLONG)
		return -EINVAL;
	if (n < 0)
		return n;
	err = memfd_new(name, flags & MFD_ALLOW_SEALING, &f);
	if (err)
		return err;
	return install_file(f, flags & MFD_CLOEXEC);
}

static long add_seals(struct file *f, uint64_t seals)
{
	struct inode *i = f->inode;
	unsigned int acc = f->flags & O_ACCMODE;
	long err = 0;

	if ((acc != O_WRONLY && acc != O_RDWR) || (f->flags & O_PATH))
		return -EPERM;
	if (seals & ~(uint64_t)F_ALL_SEALS)
		return -EINVAL;
	if (!i || !i->sealable)
		return -EINVAL;
	mutex_lock(&i->lock);
	if (i->seals & F_SEAL_SEAL)
		err = -EPERM;
	else if ((seals & F_SEAL_WRITE) && !(i->seals & F_SEAL_WRITE) &&
		 atomic_read(&i->mmap_writers) > 0)
		err = -EBUSY;
	else
		i->seals |= (uint32_t)seals;
	mutex_unlock(&i->lock);
	return err;
}

long memfd_fcntl(struct file *f, int cmd, unsigned long arg)
{
	if (cmd == F_ADD_SEALS)
		return arg > UINT32_MAX ? -EINVAL : add_seals(f, arg);
	if (!f->inode || !f->inode->sealable)
		return -EINVAL;
	return (long)f->inode->seals;
}
