// SPDX-License-Identifier: MPL-2.0
// splice, tee, vmsplice and copy_file_range with Linux 6.1's checks
// (fs/splice.c, fs/read_write.c).  Data moves through a kernel bounce
// buffer; a pipe end is never waited on beyond what one call needs.
#include "fs/syscalls/sys.h"
#include "lib/iovec.h"

#define SPLICE_F_ALL	(SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)
/* One round of copying: a pipe's size. */
#define SPLICE_CHUNK	(64 * 1024)

static bool can_read(struct file *f)
{
	unsigned int acc = f->flags & O_ACCMODE;

	return !(f->flags & O_PATH) && (acc == O_RDONLY || acc == O_RDWR);
}

static bool can_write(struct file *f)
{
	unsigned int acc = f->flags & O_ACCMODE;

	return !(f->flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}

/* Files with positions pread/pwrite may use (FMODE_PREAD/PWRITE). */
static bool positional(struct file *f)
{
	return f->inode && !S_ISFIFO(f->inode->mode) && !S_ISSOCK(f->inode->mode);
}

/* An optional loff_t from user memory: -EFAULT, -EINVAL (negative). */
static long get_off(uaddr_t ua, int64_t *off)
{
	uint64_t v;

	if (get_user_u64(&v, ua))
		return -EFAULT;
	*off = (int64_t)v;
	return *off < 0 ? -EINVAL : 0;
}

/* Read or write f at off (<0: at and moving its position). */
static ssize_t file_io(struct file *f, void *buf, size_t len, bool write, int64_t *off)
{
	struct iobuf b = iobuf_kernel(buf, len);
	uint64_t pos;
	ssize_t n;

	if (*off >= 0) {
		pos = (uint64_t)*off;
		n = write ? vfs_write(f, &b, &pos) : vfs_read(f, &b, &pos);
		*off = (int64_t)pos;
		return n;
	}
	mutex_lock(&f->pos_lock);
	pos = f->pos;
	n = write ? vfs_write(f, &b, &pos) : vfs_read(f, &b, &pos);
	f->pos = pos;
	mutex_unlock(&f->pos_lock);
	return n;
}

/* Pipe to pipe: what fits in out's room, from what in holds. */
static long splice_pipes(struct file *in, struct file *out, size_t len, bool nonblock,
			 uint8_t *buf)
{
	struct iobuf b;
	ssize_t room = pipe_wait_room(out, nonblock), n;

	if (room < 0)
		return room;
	b = iobuf_kernel(buf, MIN(MIN(len, (size_t)room), (size_t)SPLICE_CHUNK));
	n = pipe_splice_read(in, &b, nonblock, false);
	if (n <= 0)
		return n;
	b = iobuf_kernel(buf, (size_t)n);
	return pipe_splice_write(out, &b);
}

/* Pipe to file: what the pipe holds now (waiting for some), written at *off. */
static long splice_from_pipe(struct file *in, struct file *out, size_t len, bool nonblock,
			     int64_t *off, uint8_t *buf)
{
	struct iobuf b = iobuf_kernel(buf, MIN(len, (size_t)SPLICE_CHUNK));
	ssize_t n = pipe_splice_read(in, &b, nonblock, false);

	if (n <= 0)
		return n;
	return file_io(out, buf, (size_t)n, true, off);
}

/* File to pipe: read at *off what fits in the pipe's room. */
static long splice_to_pipe(struct file *in, struct file *out, size_t len, bool nonblock,
			   int64_t *off, uint8_t *buf)
{
	ssize_t room = pipe_wait_room(out, nonblock), n;
	struct iobuf b;

	if (room < 0)
		return room;
	n = file_io(in, buf, MIN(MIN(len, (size_t)room), (size_t)SPLICE_CHUNK), false, off);
	if (n <= 0)
		return n;
	b = iobuf_kernel(buf, (size_t)n);
	return pipe_splice_write(out, &b);
}

/* Checks of an offset argument against its file: ESPIPE where there is none. */
static long splice_off(struct file *f, uaddr_t uoff, int64_t *off)
{
	*off = -1;
	if (!uoff)
		return 0;
	if (file_is_pipe(f) || !positional(f))
		return -ESPIPE;
	return get_off(uoff, off);
}

static long do_splice(struct file *in, uaddr_t off_in, struct file *out, uaddr_t off_out,
		      size_t len, unsigned int flags)
{
	bool ipipe = file_is_pipe(in), opipe = file_is_pipe(out);
	bool nonblock = flags & SPLICE_F_NONBLOCK;
	int64_t ioff, ooff;
	uint8_t *buf;
	long r;

	if (!can_read(in) || !can_write(out))
		return -EBADF;
	if (ipipe && opipe) {
		if (off_in || off_out)
			return -ESPIPE;
		if (pipe_same(in, out))
			return -EINVAL;
		nonblock |= ((in->flags | out->flags) & O_NONBLOCK) != 0;
	} else if (!ipipe && !opipe) {
		return -EINVAL;
	}
	r = splice_off(in, off_in, &ioff);
	if (!r)
		r = splice_off(out, off_out, &ooff);
	if (r)
		return r;
	if (!ipipe && in->inode && S_ISDIR(in->inode->mode))
		return -EINVAL;
	if (!opipe && (out->flags & O_APPEND))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (ipipe && !opipe)
		nonblock |= (in->flags & O_NONBLOCK) != 0;
	if (opipe && !ipipe)
		nonblock |= (out->flags & O_NONBLOCK) != 0;
	buf = kmalloc(SPLICE_CHUNK);
	if (!buf)
		return -ENOMEM;
	if (ipipe && opipe)
		r = splice_pipes(in, out, len, nonblock, buf);
	else if (ipipe)
		r = splice_from_pipe(in, out, len, nonblock, &ooff, buf);
	else
		r = splice_to_pipe(in, out, len, nonblock, &ioff, buf);
	kfree(buf);
	if (r > 0 && off_in && put_user_u64(off_in, (uint64_t)ioff))
		r = -EFAULT;
	if (r > 0 && off_out && put_user_u64(off_out, (uint64_t)ooff))
		r = -EFAULT;
	return r;
}

long sys_splice(int fd_in, uaddr_t off_in, int fd_out, uaddr_t off_out, size_t len,
		unsigned int flags)
{
	struct file *in, *out;
	long r;

	if (flags & ~(unsigned int)SPLICE_F_ALL)
		return -EINVAL;
	if (len == 0)
		return 0;
	in = fget(fd_in);
	out = fget(fd_out);
	r = in && out ? do_splice(in, off_in, out, off_out, MIN(len, MAX_RW_COUNT), flags) : -EBADF;
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return r;
}

static long do_tee(struct file *in, struct file *out, size_t len, unsigned int flags)
{
	bool nonblock = (flags & SPLICE_F_NONBLOCK) || ((in->flags | out->flags) & O_NONBLOCK);
	struct iobuf b;
	ssize_t room, n;
	uint8_t *buf;

	if (!can_read(in) || !can_write(out))
		return -EBADF;
	if (!file_is_pipe(in) || !file_is_pipe(out) || pipe_same(in, out))
		return -EINVAL;
	if (len == 0)
		return 0;
	room = pipe_wait_room(out, nonblock);
	if (room < 0)
		return room;
	buf = kmalloc(SPLICE_CHUNK);
	if (!buf)
		return -ENOMEM;
	b = iobuf_kernel(buf, MIN(MIN(len, (size_t)room), (size_t)SPLICE_CHUNK));
	n = pipe_splice_read(in, &b, nonblock, true);
	if (n > 0) {
		b = iobuf_kernel(buf, (size_t)n);
		n = pipe_splice_write(out, &b);
	}
	kfree(buf);
	return n;
}

long sys_tee(int fd_in, int fd_out, size_t len, unsigned int flags)
{
	struct file *in, *out;
	long r;

	if (flags & ~(unsigned int)SPLICE_F_ALL)
		return -EINVAL;
	if (len == 0)
		return 0;
	in = fget(fd_in);
	out = fget(fd_out);
	r = in && out ? do_tee(in, out, MIN(len, MAX_RW_COUNT), flags) : -EBADF;
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return r;
}

/* One iovec of vmsplice: user memory into the pipe (to) or out of it. */
static ssize_t vmsplice_seg(struct file *f, uaddr_t base, size_t len, bool to, bool nonblock)
{
	struct iobuf b = iobuf_user(base, len);
	size_t done = 0;
	ssize_t n;

	if (!to)
		return pipe_splice_read(f, &b, nonblock, false);
	/* Into the pipe: all of it, waiting for room as a write does (unless nonblock). */
	while (done < len) {
		n = pipe_wait_room(f, nonblock);
		if (n > 0) {
			b = iobuf_user(base + done, MIN(len - done, (size_t)n));
			n = pipe_splice_write(f, &b);
		}
		if (n <= 0)
			return done ? (ssize_t)done : n;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* Each segment in turn, waiting for the pipe only before the first byte. */
static long vmsplice_segs(struct file *f, const struct linux_iovec *iov, unsigned long n, bool to,
			  unsigned int flags)
{
	long done = 0;

	for (unsigned long i = 0; i < n; i++) {
		uint64_t len = iov[i].iov_len;
		ssize_t got;

		if (!len)
			continue;
		got = vmsplice_seg(f, iov[i].iov_base, len, to, (flags & SPLICE_F_NONBLOCK) || done);
		if (got < 0)
			return done ? done : got;
		done += got;
		if ((uint64_t)got < len)
			break;
	}
	return done;
}

long sys_vmsplice(int fd, uaddr_t uiov, unsigned long nr_segs, unsigned int flags)
{
	struct linux_iovec fast[UIO_FASTIOV], *iov;
	uint64_t total;
	struct file *f;
	long ret;

	if (flags & ~(unsigned int)SPLICE_F_ALL)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	if (!file_is_pipe(f) || !(can_write(f) || can_read(f))) {
		file_put(f);
		return -EBADF;
	}
	ret = iovec_import(uiov, nr_segs, fast, UIO_FASTIOV, &iov, &total);
	if (!ret && total)
		ret = vmsplice_segs(f, iov, nr_segs, can_write(f), flags);
	iovec_release(iov, fast);
	file_put(f);
	return ret;
}

/* generic_copy_file_checks, in Linux 6.1's order; *count shortened to the source's end. */
static long copy_checks(struct file *in, int64_t pin, struct file *out, int64_t pout,
			uint64_t *count)
{
	struct inode *ii = in->inode, *oi = out->inode;

	if ((in->flags & O_PATH) || (out->flags & O_PATH))
		return -EBADF;
	if ((ii && S_ISDIR(ii->mode)) || (oi && S_ISDIR(oi->mode)))
		return -EISDIR;
	/* Pipes (anonymous: no inode), devices, sockets. */
	if (!ii || !oi || !S_ISREG(ii->mode) || !S_ISREG(oi->mode))
		return -EINVAL;
	if (!can_read(in) || !can_write(out) || (out->flags & O_APPEND))
		return -EBADF;
	/* Linux 5.19+: no copying across file systems (without a method of their own). */
	if (ii->sb != oi->sb)
		return -EXDEV;
	if ((uint64_t)pin + *count < (uint64_t)pin || (uint64_t)pout + *count < (uint64_t)pout)
		return -EOVERFLOW;
	*count = (uint64_t)pin >= ii->size ? 0 : MIN(*count, ii->size - (uint64_t)pin);
	if (ii == oi && (uint64_t)pout + *count > (uint64_t)pin &&
	    (uint64_t)pout < (uint64_t)pin + *count)
		return -EINVAL;
	return 0;
}

static long copy_range(struct file *in, int64_t *pin, struct file *out, int64_t *pout,
		       uint64_t count)
{
	uint8_t *buf = kmalloc(SPLICE_CHUNK);
	uint64_t done = 0;
	long err = 0;

	if (!buf)
		return -ENOMEM;
	while (done < count) {
		ssize_t r = file_io(in, buf, MIN(count - done, (uint64_t)SPLICE_CHUNK), false, pin);
		ssize_t w;

		if (r <= 0) {
			err = r;
			break;
		}
		w = file_io(out, buf, (size_t)r, true, pout);
		if (w <= 0) {
			err = w;
			break;
		}
		done += (uint64_t)w;
		if (w < r)
			break;
	}
	kfree(buf);
	return done ? (long)done : err;
}

long sys_copy_file_range(int fd_in, uaddr_t off_in, int fd_out, uaddr_t off_out, size_t len,
			 unsigned int flags)
{
	struct file *in = NULL, *out = NULL;
	int64_t pin, pout;
	uint64_t count = len;
	long r = -EBADF;

	if (flags != 0)
		return -EINVAL;
	in = fget(fd_in);
	out = fget(fd_out);
	if (!in || !out)
		goto out;
	r = 0;
	if (off_in)
		r = get_off(off_in, &pin);
	else
		pin = (int64_t)in->pos;
	if (!r && off_out)
		r = get_off(off_out, &pout);
	else if (!r)
		pout = (int64_t)out->pos;
	if (!r)
		r = copy_checks(in, pin, out, pout, &count);
	if (r || count == 0)
		goto out;
	r = copy_range(in, off_in ? &pin : &(int64_t){ -1 }, out, off_out ? &pout : &(int64_t){ -1 },
		       MIN(count, MAX_RW_COUNT));
	if (r > 0 && off_in && put_user_u64(off_in, (uint64_t)pin))
		r = -EFAULT;
	if (r > 0 && off_out && put_user_u64(off_out, (uint64_t)pout))
		r = -EFAULT;
out:
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return r;
}
