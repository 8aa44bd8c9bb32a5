// SPDX-License-Identifier: MPL-2.0
// open and friends, close, dup, fcntl, pipe.
#include "fs/locks.h"
#include "fs/syscalls/sys.h"
#include "uapi/fcntl.h"
#include "uapi/openat2.h"
#include "uapi/close_range.h"

static long do_open(int dirfd, uaddr_t upath, unsigned int flags, uint32_t mode,
		    unsigned int resolve)
{
	struct file *f;
	NOINIT_BYTES(small, PATHNAME_INLINE);
	struct pathname pn;
	int err = getname_short(upath, &small, &pn);

	if (err)
		return err;
	if (!files()) {
		putname(&pn);
		return -EMFILE;
	}
	err = vfs_open_resolve(dirfd, pn.name, flags | O_LARGEFILE,
			       (flags & (O_CREAT | __O_TMPFILE)) ? mode : 0, resolve, &f);
	putname(&pn);
	if (err)
		return err;
	return install_file(f, flags & O_CLOEXEC);
}

long sys_open(uaddr_t pathname, unsigned int flags, unsigned int mode)
{
	return do_open(AT_FDCWD, pathname, flags, mode, 0);
}

long sys_openat(int dirfd, uaddr_t pathname, unsigned int flags, unsigned int mode)
{
	return do_open(dirfd, pathname, flags, mode, 0);
}

long sys_creat(uaddr_t pathname, unsigned int mode)
{
	return do_open(AT_FDCWD, pathname, O_CREAT | O_WRONLY | O_TRUNC, mode, 0);
}

static unsigned int resolve_to_lookup(uint64_t resolve)
{
	unsigned int lf = 0;

	if (resolve & RESOLVE_NO_XDEV)
		lf |= LOOKUP_NO_XDEV;
	if (resolve & RESOLVE_NO_MAGICLINKS)
		lf |= LOOKUP_NO_MAGICLINKS;
	/* No symlinks means no magic links either. */
	if (resolve & RESOLVE_NO_SYMLINKS)
		lf |= LOOKUP_NO_SYMLINKS | LOOKUP_NO_MAGICLINKS;
	if (resolve & RESOLVE_BENEATH)
		lf |= LOOKUP_BENEATH;
	if (resolve & RESOLVE_IN_ROOT)
		lf |= LOOKUP_IN_ROOT;
	if (resolve & RESOLVE_CACHED)
		lf |= LOOKUP_CACHED;
	return lf;
}

long sys_openat2(int dirfd, uaddr_t pathname, uaddr_t how, size_t size)
{
	uint64_t khow[3] = { 0 };
	const uint64_t valid = 037777777ULL;

	if (size < sizeof(khow))
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	if (copy_from_user(khow, how, sizeof(khow)))
		return -EFAULT;
	for (uint64_t off = sizeof(khow); off < size; off += 1) {
		uint8_t b;

		if (copy_from_user(&b, how + off, 1))
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	if (khow[0] & ~valid)
		return -EINVAL;
	if (khow[1] & ~07777ULL)
		return -EINVAL;
	if (khow[1] && !(khow[0] & (O_CREAT | __O_TMPFILE)))
		return -EINVAL;
	if (khow[2] & ~0x3fULL)
		return -EINVAL;
	if ((khow[2] & RESOLVE_BENEATH) && (khow[2] & RESOLVE_IN_ROOT))
		return -EINVAL;
	/* Creating or truncating is never a cached-only operation (Linux: EAGAIN). */
	if ((khow[2] & RESOLVE_CACHED) && (khow[0] & (O_TRUNC | O_CREAT | __O_TMPFILE)))
		return -EAGAIN;
	return do_open(dirfd, pathname, (unsigned int)khow[0], (uint32_t)khow[1],
		       resolve_to_lookup(khow[2]));
}

long sys_close(int fd)
{
	struct fd_table *t = files();

	return t ? fd_close(t, fd) : -EBADF;
}

long sys_close_range(unsigned int first, unsigned int last, unsigned int flags)
{
	struct fd_table *t = files();

	if (flags & ~(unsigned int)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if (flags & CLOSE_RANGE_UNSHARE) {
		int err = current_files_unshare();

		if (err)
			return err;
		t = files();
	}
	if (t)
		fd_close_range(t, first, last, flags & CLOSE_RANGE_CLOEXEC);
	return 0;
}

long sys_dup(int oldfd)
{
	struct file *f = fget(oldfd);

	if (!f)
		return -EBADF;
	return install_file(f, false);
}

static long do_dup3(int oldfd, int newfd, unsigned int flags)
{
	struct fd_table *t = files();
	struct file *f;
	int r;

	if (flags & ~(unsigned int)O_CLOEXEC)
		return -EINVAL;
	if (!t)
		return -EBADF;
	f = fd_get(t, oldfd);
	if (!f)
		return -EBADF;
	if (newfd < 0 || (unsigned int)newfd >= fd_table_limit(t)) {
		file_put(f);
		return -EBADF;
	}
	r = fd_install_at(t, newfd, f, (flags & O_CLOEXEC) ? FD_CLOEXEC : 0);
	if (r < 0)
		file_put(f);
	return r;
}

long sys_dup2(int oldfd, int newfd)
{

	if (oldfd == newfd) {
		struct file *f = fget(oldfd);

		if (!f)
			return -EBADF;
		file_put(f);
		return newfd;
	}
	return do_dup3(oldfd, newfd, 0);
}

long sys_dup3(int oldfd, int newfd, unsigned int flags)
{

	if (oldfd == newfd)
		return -EINVAL;
	return do_dup3(oldfd, newfd, flags);
}

long sys_fcntl(int fd, int cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	const unsigned int settable = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;
	long r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((int)arg < 0 || (unsigned int)(int)arg >= fd_table_limit(files())) {
			r = -EINVAL;
			break;
		}
		file_get(f);
		r = fd_install_from(files(), f, cmd == F_DUPFD_CLOEXEC ? FD_CLOEXEC : 0,
				    (int)arg);
		if (r < 0)
			file_put(f);
		break;
	case F_GETFD:
		r = fd_get_flags(files(), fd);
		break;
	case F_SETFD:
		r = fd_set_flags(files(), fd, (unsigned int)arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		r = f->flags;
		break;
	case F_SETFL:
		/*
		 * O_DIRECT only where the file does direct I/O, as Linux.  Linux
		 * also takes it on pipes for packet mode, which is not built
		 * here: pipes answer EINVAL, as Linux did before packet mode.
		 */
		if ((arg & O_DIRECT) && !(f->ops && f->ops->direct_io)) {
			r = -EINVAL;
			break;
		}
		/* As at open: O_NOATIME only for the owner (Linux's setfl). */
		if ((arg & O_NOATIME) && !(f->flags & O_NOATIME) && f->inode &&
		    !vfs_owner_or_capable(f->inode)) {
			r = -EPERM;
			break;
		}
		if ((f->flags ^ (unsigned int)arg) & O_ASYNC)
			file_set_async(f, fd, arg & O_ASYNC);
		f->flags = (f->flags & ~settable) | ((unsigned int)arg & settable);
		r = 0;
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		r = memfd_fcntl(f, cmd, arg);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		r = fcntl_lock(files(), fd, f, cmd, arg);
		break;
	case F_GETOWN:
	case F_SETOWN:
	case F_GETOWN_EX:
	case F_SETOWN_EX:
	case F_GETSIG:
	case F_SETSIG:
		r = fcntl_owner(f, cmd, arg);
		break;
	case F_SETLEASE:
	case F_GETLEASE:
		r = fcntl_lease(f, fd, cmd, arg);
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		r = file_is_pipe(f) ? pipe_fcntl_size(f, cmd == F_SETPIPE_SZ, arg) : -EBADF;
		break;
	default:
		r = -EINVAL;
		break;
	}
	file_put(f);
	return r;
}

static long do_pipe(uaddr_t ua, unsigned int flags)
{
	struct file *rd, *wr;
	int fds[2], err;

	/* No O_DIRECT: packet mode is not built (see sys_fcntl's F_SETFL). */
	if (flags & ~(unsigned int)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	err = pipe_create_files(flags, &rd, &wr);
	if (err)
		return err;
	fds[0] = install_file(rd, flags & O_CLOEXEC);
	if (fds[0] < 0) {
		file_put(wr);
		return fds[0];
	}
	fds[1] = install_file(wr, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		fd_close(files(), fds[0]);
		return fds[1];
	}
	if (copy_to_user(ua, fds, sizeof(fds))) {
		fd_close(files(), fds[0]);
		fd_close(files(), fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_pipe(uaddr_t pipefd)
{
	return do_pipe(pipefd, 0);
}

long sys_pipe2(uaddr_t pipefd, unsigned int flags)
{
	return do_pipe(pipefd, flags);
}
