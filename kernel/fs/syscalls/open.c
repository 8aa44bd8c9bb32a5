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
	struct pathname pn;
	int err = getname_short(upath, &pn);

	if (err)
		return err;
	if (!files()) {
		putname(&pn);
		return -EMFILE;
	}
	err = vfs_open_resolve(dirfd, pn.name, flags | O_LARGEFILE, (flags & O_CREAT) ? mode : 0,
			       resolve, &f);
	putname(&pn);
	if (err)
		return err;
	return install_file(f, flags & O_CLOEXEC);
}

long sys_open(const struct syscall_args *a)
{
	return do_open(AT_FDCWD, a->a[0], (unsigned int)a->a[1], (uint32_t)a->a[2], 0);
}

long sys_openat(const struct syscall_args *a)
{
	return do_open(arg_int(a->a[0]), a->a[1], (unsigned int)a->a[2], (uint32_t)a->a[3], 0);
}

long sys_creat(const struct syscall_args *a)
{
	return do_open(AT_FDCWD, a->a[0], O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)a->a[1], 0);
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

long sys_openat2(const struct syscall_args *a)
{
	uint64_t how[3] = { 0 };
	uint64_t size = a->a[3];
	const uint64_t valid = 037777777ULL;

	if (size < sizeof(how))
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	if (copy_from_user(how, a->a[2], sizeof(how)))
		return -EFAULT;
	for (uint64_t off = sizeof(how); off < size; off += 1) {
		uint8_t b;

		if (copy_from_user(&b, a->a[2] + off, 1))
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	if (how[0] & ~valid)
		return -EINVAL;
	if (how[1] & ~07777ULL)
		return -EINVAL;
	if (how[1] && !(how[0] & (O_CREAT | __O_TMPFILE)))
		return -EINVAL;
	if (how[2] & ~0x3fULL)
		return -EINVAL;
	if ((how[2] & RESOLVE_BENEATH) && (how[2] & RESOLVE_IN_ROOT))
		return -EINVAL;
	/* Creating or truncating is never a cached-only operation (Linux: EAGAIN). */
	if ((how[2] & RESOLVE_CACHED) && (how[0] & (O_TRUNC | O_CREAT | __O_TMPFILE)))
		return -EAGAIN;
	return do_open(arg_int(a->a[0]), a->a[1], (unsigned int)how[0], (uint32_t)how[1],
		       resolve_to_lookup(how[2]));
}

long sys_close(const struct syscall_args *a)
{
	struct fd_table *t = files();

	return t ? fd_close(t, arg_int(a->a[0])) : -EBADF;
}

long sys_close_range(const struct syscall_args *a)
{
	unsigned int first = (unsigned int)a->a[0], last = (unsigned int)a->a[1];
	unsigned int flags = (unsigned int)a->a[2];
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

long sys_dup(const struct syscall_args *a)
{
	struct file *f = fget(arg_int(a->a[0]));

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

long sys_dup2(const struct syscall_args *a)
{
	int oldfd = arg_int(a->a[0]), newfd = arg_int(a->a[1]);

	if (oldfd == newfd) {
		struct file *f = fget(oldfd);

		if (!f)
			return -EBADF;
		file_put(f);
		return newfd;
	}
	return do_dup3(oldfd, newfd, 0);
}

long sys_dup3(const struct syscall_args *a)
{
	int oldfd = arg_int(a->a[0]), newfd = arg_int(a->a[1]);

	if (oldfd == newfd)
		return -EINVAL;
	return do_dup3(oldfd, newfd, (unsigned int)a->a[2]);
}

long sys_fcntl(const struct syscall_args *a)
{
	int fd = arg_int(a->a[0]), cmd = arg_int(a->a[1]);
	uint64_t arg = a->a[2];
	struct file *f = fget(fd);
	const unsigned int settable = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;
	long r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg_int(arg) < 0 || (unsigned int)arg_int(arg) >= fd_table_limit(files())) {
			r = -EINVAL;
			break;
		}
		file_get(f);
		r = fd_install_from(files(), f, cmd == F_DUPFD_CLOEXEC ? FD_CLOEXEC : 0,
				    arg_int(arg));
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
		f->flags = (f->flags & ~settable) | ((unsigned int)arg & settable);
		r = 0;
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
	case F_GETSIG:
	case F_SETSIG:
		r = 0;
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		r = (f->inode && !S_ISFIFO(f->inode->mode)) ? -EBADF : 65536;
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

	if (flags & ~(unsigned int)(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
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

long sys_pipe(const struct syscall_args *a)
{
	return do_pipe(a->a[0], 0);
}

long sys_pipe2(const struct syscall_args *a)
{
	return do_pipe(a->a[0], (unsigned int)a->a[1]);
}
