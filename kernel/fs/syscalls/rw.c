// SPDX-License-Identifier: MPL-2.0
// read, write and friends, lseek, sendfile, ioctl.
#include "fs/syscalls/sys.h"
#include "lib/iovec.h"
#include "uapi/ioctls.h"
#include "uapi/fs.h"

/* Files whose position is shared and serialised (regular files, directories). */
static bool atomic_pos(struct file *f)
{
	return f->inode && (S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode));
}

static bool seekable(struct file *f)
{
	if (!f->inode || S_ISFIFO(f->inode->mode) || S_ISSOCK(f->inode->mode))
		return false;
	return true;
}

static ssize_t do_io(struct file *f, struct iobuf *b, bool write, int64_t off)
{
	uint64_t pos;
	ssize_t n;

	if (off >= 0) {
		pos = (uint64_t)off;
		return write ? vfs_write(f, b, &pos) : vfs_read(f, b, &pos);
	}
	if (atomic_pos(f))
		mutex_lock(&f->pos_lock);
	pos = f->pos;
	n = write ? vfs_write(f, b, &pos) : vfs_read(f, b, &pos);
	f->pos = pos;
	if (atomic_pos(f))
		mutex_unlock(&f->pos_lock);
	return n;
}

/* off < 0: at the file position; positional: pread/pwrite (not on pipes). */
static long rw_common(int fd, uaddr_t ua, uint64_t len, bool write, int64_t off,
		      bool positional)
{
	struct fd h = fdget(fd);
	struct file *f = h.file;
	struct iobuf b;
	long n;

	if (!f)
		return -EBADF;
	if (positional && !seekable(f)) {
		fdput(h);
		return -ESPIPE;
	}
	if (positional && off < 0) {
		fdput(h);
		return -EINVAL;
	}
	/* Linux caps one transfer at 2 GiB - 4 KiB. */
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	b = iobuf_user(ua, len);
	n = do_io(f, &b, write, off);
	fdput(h);
	return n;
}

long sys_read(int fd, uaddr_t buf, size_t count)
{
	return rw_common(fd, buf, count, false, -1, false);
}

long sys_write(int fd, uaddr_t buf, size_t count)
{
	return rw_common(fd, buf, count, true, -1, false);
}

long sys_pread64(int fd, uaddr_t buf, size_t count, int64_t offset)
{
	return rw_common(fd, buf, count, false, offset, true);
}

long sys_pwrite64(int fd, uaddr_t buf, size_t count, int64_t offset)
{
	return rw_common(fd, buf, count, true, offset, true);
}

/* Each segment in turn; a short transfer ends the call (bytes done, or the first error). */
static long vec_transfer(struct file *f, const struct linux_iovec *iov, uint64_t cnt, bool write,
			 int64_t off, bool positional)
{
	long done = 0;

	for (uint64_t i = 0; i < cnt; i++) {
		uint64_t len = iov[i].iov_len;
		struct iobuf b;
		ssize_t n;

		if (!len)
			continue;
		b = iobuf_user(iov[i].iov_base, len);
		n = do_io(f, &b, write, positional ? off + done : -1);
		if (n < 0)
			return done ? done : n;
		done += n;
		if ((uint64_t)n < len)
			break;
	}
	return done;
}

static long vec_io(int fd, uaddr_t uiov, uint64_t cnt, bool write, int64_t off, bool positional)
{
	struct linux_iovec fast[UIO_FASTIOV], *iov;
	uint64_t total;
	struct fd h;
	long ret;

	h = fdget(fd);
	if (!h.file)
		return -EBADF;
	if (positional && (!seekable(h.file) || off < 0)) {
		fdput(h);
		return off < 0 ? -EINVAL : -ESPIPE;
	}
	/* The whole vector is checked before any byte moves, as Linux does. */
	ret = iovec_import(uiov, cnt, fast, UIO_FASTIOV, &iov, &total);
	if (!ret)
		ret = vec_transfer(h.file, iov, cnt, write, off, positional);
	iovec_release(iov, fast);
	fdput(h);
	return ret;
}

long sys_readv(int fd, uaddr_t iov, unsigned long iovcnt)
{
	return vec_io(fd, iov, iovcnt, false, -1, false);
}

long sys_writev(int fd, uaddr_t iov, unsigned long iovcnt)
{
	return vec_io(fd, iov, iovcnt, true, -1, false);
}

long sys_preadv(int fd, uaddr_t iov, unsigned long iovcnt, int64_t offset)
{
	return vec_io(fd, iov, iovcnt, false, offset, true);
}

long sys_pwritev(int fd, uaddr_t iov, unsigned long iovcnt, int64_t offset)
{
	return vec_io(fd, iov, iovcnt, true, offset, true);
}

/*
 * preadv2/pwritev2: offset -1 is the file position.  Data lives in memory,
 * so the sync flags are met by any write and HIPRI has nothing to poll;
 * NOWAIT is only promised for regular files, which never wait (Linux says
 * EOPNOTSUPP where a file cannot promise it); APPEND writes at the end.
 */
static long vec_io2(int fd, uaddr_t iov, unsigned long iovcnt, int64_t off, int flags,
		    bool write)
{
	struct file *f;
	uint64_t size;
	bool regular;

	if (flags & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND))
		return -EOPNOTSUPP;
	f = fget(fd);
	if (!f)
		return -EBADF;
	regular = f->inode && S_ISREG(f->inode->mode);
	size = f->inode ? f->inode->size : 0;
	file_put(f);
	if ((flags & RWF_NOWAIT) && !regular)
		return -EOPNOTSUPP;
	/* APPEND: at the end, whatever the offset, without moving the position. */
	if (write && (flags & RWF_APPEND) && regular)
		off = (int64_t)size;
	return vec_io(fd, iov, iovcnt, write, off, off != -1);
}

/* The high half of the offset (pos_h) is for 32-bit callers: x86-64 ignores it. */
long sys_preadv2(int fd, uaddr_t iov, unsigned long iovcnt, int64_t offset, unsigned long pos_h,
		 unsigned int flags)
{
	return vec_io2(fd, iov, iovcnt, offset, (int)flags, false);
}

long sys_pwritev2(int fd, uaddr_t iov, unsigned long iovcnt, int64_t offset, unsigned long pos_h,
		  unsigned int flags)
{
	return vec_io2(fd, iov, iovcnt, offset, (int)flags, true);
}

int64_t file_llseek(struct file *f, int64_t off, int whence)
{
	int64_t r;

	if (f->ops && f->ops->llseek) {
		mutex_lock(&f->pos_lock);
		r = f->ops->llseek(f, off, whence);
		mutex_unlock(&f->pos_lock);
		return r;
	}
	if (!seekable(f))
		return -ESPIPE;
	mutex_lock(&f->pos_lock);
	r = vfs_generic_llseek(f, off, whence);
	mutex_unlock(&f->pos_lock);
	return r;
}

long sys_lseek(int fd, int64_t offset, unsigned int whence)
{
	struct fd h = fdget(fd);
	int64_t r;

	if (!h.file)
		return -EBADF;
	if (whence > 4)
		r = -EINVAL;
	else
		r = file_llseek(h.file, offset, (int)whence);
	fdput(h);
	return r;
}

long sys_sendfile(int out_fd, int in_fd, uaddr_t offset, size_t count)
{
	struct file *out = fget(out_fd), *in = fget(in_fd);
	uaddr_t offp = offset;
	uint64_t off = 0, done = 0;
	uint8_t *buf = NULL;
	long err = 0;

	if (!out || !in) {
		err = -EBADF;
		goto out;
	}
	if (((in->flags & O_ACCMODE) == O_WRONLY) || ((out->flags & O_ACCMODE) == O_RDONLY)) {
		err = -EBADF;
		goto out;
	}
	/* An offset needs a file with positions (Linux: FMODE_PREAD). */
	if (offp && !seekable(in)) {
		err = -ESPIPE;
		goto out;
	}
	/* Linux 6.1 cannot splice out of a pipe (no splice_read), nor out of a directory. */
	if (out->flags & O_APPEND || file_is_pipe(in) || (in->inode && S_ISDIR(in->inode->mode))) {
		err = -EINVAL;
		goto out;
	}
	if (offp) {
		if (get_user_u64(&off, offp)) {
			err = -EFAULT;
			goto out;
		}
		if ((int64_t)off < 0) {
			err = -EINVAL;
			goto out;
		}
	}
	buf = kmalloc(PAGE_SIZE);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	while (done < count) {
		size_t n = MIN(count - done, PAGE_SIZE);
		struct iobuf b = iobuf_kernel(buf, n);
		ssize_t r = do_io(in, &b, false, offp ? (int64_t)(off + done) : -1);
		ssize_t w;

		if (r <= 0) {
			err = r;
			break;
		}
		b = iobuf_kernel(buf, (size_t)r);
		w = do_io(out, &b, true, -1);
		if (w <= 0) {
			err = w;
			break;
		}
		done += (uint64_t)w;
		if (w < r || (size_t)r < n)
			break;
	}
	if (offp && put_user_u64(offp, off + done))
		err = -EFAULT;
	else if (done)
		err = (long)done;
out:
	kfree(buf);
	if (out)
		file_put(out);
	if (in)
		file_put(in);
	return err;
}

long sys_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	long r = -ENOTTY;
	uint32_t v;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		r = fd_set_flags(files(), fd, cmd == FIOCLEX ? FD_CLOEXEC : 0);
		break;
	case FIONBIO:
		r = get_user_u32(&v, arg);
		if (!r) {
			if (v)
				f->flags |= O_NONBLOCK;
			else
				f->flags &= ~(unsigned int)O_NONBLOCK;
		}
		break;
	case FIOASYNC:
		/* F_SETFL's O_ASYNC, as Linux's ioctl_fioasync. */
		r = get_user_u32(&v, arg);
		if (r)
			break;
		if (!!v != !!(f->flags & O_ASYNC))
			file_set_async(f, fd, v);
		f->flags = v ? f->flags | O_ASYNC : f->flags & ~(unsigned int)O_ASYNC;
		break;
	case FIONREAD:
		if (f->inode && S_ISREG(f->inode->mode)) {
			uint64_t left = f->inode->size > f->pos ? f->inode->size - f->pos : 0;

			r = put_user_u32(arg, (uint32_t)MIN(left, (uint64_t)INT32_MAX));
			break;
		}
		/* fallthrough */
	default:
		if (f->ops && f->ops->ioctl)
			r = f->ops->ioctl(f, cmd, arg);
		else if (f->inode && S_ISDIR(f->inode->mode) && cmd == FIONREAD)
			r = -EINVAL;
		break;
	}
	file_put(f);
	return r;
}
