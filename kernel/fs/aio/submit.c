// SPDX-License-Identifier: MPL-2.0
// io_submit and io_cancel.  Each iocb is checked in Linux's order
// (io_submit_one, __io_submit_one, aio_prep_rw, aio_read/aio_write,
// aio_fsync, aio_poll): an error there is io_submit's answer for the first
// iocb and ends the batch after others.  Once accepted, a request's outcome
// is an event.  Reads, writes and syncs run here and now, blocking as the
// file would (a pipe or a socket without data blocks io_submit on Linux
// too; a signal then makes the event -EINTR); a poll not ready yet waits in
// poll.c.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/vm_space.h>
#include "process/capability.h"
#include "sched/sched.h"
#include "fs/aio/aio.h"
#include "fs/eventfd.h"
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "lib/iovec.h"
#include "process/signal.h"
#include "syscall/syscall.h"
#include "process/process.h"
#include "uapi/fs.h"
#include "uapi/ioprio.h"

#define RWF_SUPPORTED	(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND)

/* The buffers of a read or write: one, or an iovec array (Linux's aio_setup_rw). */
static int import_segs(const struct iocb *cb, bool vectored, struct linux_iovec *fast,
		       struct linux_iovec **iov, uint64_t *n)
{
	uint64_t total;

	if (vectored) {
		*n = cb->aio_nbytes;
		return iovec_import(cb->aio_buf, *n, fast, UIO_FASTIOV, iov, &total);
	}
	*n = 1;
	*iov = fast;
	return iovec_import_one(cb->aio_buf, cb->aio_nbytes, fast);
}

/* The transfer itself: bytes done, or the first error when none. */
static int64_t do_rw(struct file *f, const struct linux_iovec *s, uint64_t n, bool write, uint64_t pos)
{
	int64_t done = 0;

	for (uint64_t i = 0; i < n; i++) {
		struct iobuf b = iobuf_user(s[i].iov_base, s[i].iov_len);
		uint64_t at = pos + (uint64_t)done;
		ssize_t r;

		if (!s[i].iov_len)
			continue;
		r = write ? vfs_write(f, &b, &at) : vfs_read(f, &b, &at);
		if (r < 0) {
			if (!done)
				done = r;
			break;
		}
		done += r;
		if ((uint64_t)r < s[i].iov_len)
			break;
	}
	/* Linux's aio_rw_done: an interrupted transfer is -EINTR, never restarted. */
	if (done == -ERESTARTSYS)
		done = -EINTR;
	return done;
}

/* FMODE_READ and FMODE_WRITE: what the open asked for (O_PATH has neither). */
static bool mode_allows(struct file *f, bool write)
{
	unsigned int acc = f->flags & O_ACCMODE;

	if (f->flags & O_PATH)
		return false;
	return write ? acc == O_WRONLY || acc == O_RDWR : acc == O_RDONLY || acc == O_RDWR;
}

static bool is_regular(struct file *f)
{
	return f->inode && S_ISREG(f->inode->mode);
}

/* kiocb_set_rw_flags: unknown flags, and NOWAIT where the file cannot promise it. */
static int check_rw_flags(struct file *f, int flags)
{
	if ((unsigned int)flags & ~(unsigned int)RWF_SUPPORTED)
		return -EOPNOTSUPP;
	if ((flags & RWF_NOWAIT) && !is_regular(f))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * IOCB_FLAG_IOPRIO: Linux's ioprio_check_cap on aio_reqprio (sign-extended,
 * as Linux reads it).  Valid priorities are accepted; nothing here orders
 * I/O by them (memory-backed files complete at submission anyway).
 */
static int check_ioprio(const struct iocb *cb)
{
	if (!(cb->aio_flags & IOCB_FLAG_IOPRIO))
		return 0;
	return ioprio_check_cap(cb->aio_reqprio);
}

static int aio_rw(struct aio_req *req, const struct iocb *cb, bool write, bool vectored)
{
	struct file *f = req->file;
	uint64_t n, pos = (uint64_t)cb->aio_offset;
	struct linux_iovec fast[UIO_FASTIOV], *s;
	int64_t res;
	int err = check_ioprio(cb);

	if (err)
		return err;
	err = check_rw_flags(f, cb->aio_rw_flags);

	if (err)
		return err;
	if (!mode_allows(f, write))
		return -EBADF;
	if (!f->ops || !(write ? f->ops->write : f->ops->read))
		return -EINVAL;
	err = import_segs(cb, vectored, fast, &s, &n);
	if (err)
		return err;
	/* rw_verify_area: a negative position, or one the transfer would wrap. */
	if (cb->aio_offset < 0) {
		iovec_release(s, fast);
		return -EINVAL;
	}
	if (write && (cb->aio_rw_flags & RWF_APPEND) && is_regular(f))
		pos = f->inode->size;
	res = do_rw(f, s, n, write, pos);
	iovec_release(s, fast);
	aio_complete(req, res, 0);
	return 0;
}

/* Files with an fsync operation on Linux: regular files, directories, block devices. */
static bool has_fsync(struct file *f)
{
	return f->inode && (S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode) ||
			    S_ISBLK(f->inode->mode));
}

static int aio_fsync(struct aio_req *req, const struct iocb *cb)
{
	struct file *f = req->file;
	int64_t res = 0;

	if (cb->aio_buf || cb->aio_offset || cb->aio_nbytes || cb->aio_rw_flags)
		return -EINVAL;
	if (!has_fsync(f))
		return -EINVAL;
	if (f->ops && f->ops->fsync)
		res = f->ops->fsync(f);
	aio_complete(req, res, 0);
	return 0;
}

static int aio_poll(struct aio_req *req, const struct iocb *cb)
{
	unsigned int mask;

	/* Only the 16 bits of poll events, and none of the fields poll has no use for. */
	if ((uint16_t)cb->aio_buf != cb->aio_buf)
		return -EINVAL;
	if (cb->aio_offset || cb->aio_nbytes || cb->aio_rw_flags)
		return -EINVAL;
	req->events = (unsigned int)cb->aio_buf | POLLERR | POLLHUP;
	mask = file_mask(req->file) & req->events;
	if (mask) {
		aio_complete(req, mask, 0);
		return 0;
	}
	/* A file without poll that is not ready for these events never will be (Linux: EINVAL). */
	if (!req->file->ops || !req->file->ops->poll)
		return -EINVAL;
	return aio_poll_queue(req);
}

static int get_resfd(struct aio_req *req, uint32_t fd)
{
	req->resfd = fget((int)fd);
	if (!req->resfd)
		return -EBADF;
	return file_is_eventfd(req->resfd) ? 0 : -EINVAL;
}

/* __io_submit_one: 0 once the request is the event's business, else -errno. */
static int submit_req(struct aio_req *req, const struct iocb *cb, uaddr_t uiocb)
{
	int err;

	req->file = fget((int)cb->aio_fildes);
	if (!req->file)
		return -EBADF;
	if (cb->aio_flags & IOCB_FLAG_RESFD) {
		err = get_resfd(req, cb->aio_resfd);
		if (err)
			return err;
	}
	if (put_user_u32(uiocb + offsetof(struct iocb, aio_key), KIOCB_KEY))
		return -EFAULT;
	req->obj = uiocb;
	req->data = cb->aio_data;
	switch (cb->aio_lio_opcode) {
	case IOCB_CMD_PREAD:
		return aio_rw(req, cb, false, false);
	case IOCB_CMD_PWRITE:
		return aio_rw(req, cb, true, false);
	case IOCB_CMD_PREADV:
		return aio_rw(req, cb, false, true);
	case IOCB_CMD_PWRITEV:
		return aio_rw(req, cb, true, true);
	case IOCB_CMD_FSYNC:
	case IOCB_CMD_FDSYNC:
		return aio_fsync(req, cb);
	case IOCB_CMD_POLL:
		return aio_poll(req, cb);
	default:
		/* IOCB_CMD_NOOP too: Linux defines it and never implemented it. */
		return -EINVAL;
	}
}

static int submit_one(struct aio_ctx *c, uaddr_t uiocb)
{
	struct aio_req *req;
	struct iocb cb;
	int err;

	if (copy_from_user(&cb, uiocb, sizeof(cb)))
		return -EFAULT;
	if (cb.aio_reserved2)
		return -EINVAL;
	if ((int64_t)cb.aio_nbytes < 0)
		return -EINVAL;
	err = aio_reserve(c);
	if (err)
		return err;
	req = kzalloc(sizeof(*req));
	if (!req) {
		aio_unreserve(c);
		return -EAGAIN;
	}
	refcount_inc(&c->refs);
	req->ctx = c;
	list_init(&req->node);
	err = submit_req(req, &cb, uiocb);
	if (err) {
		aio_unreserve(c);
		aio_req_free(req);
	}
	return err;
}

long sys_io_submit(unsigned long ctx_id, long nr, uaddr_t iocbpp)
{
	struct aio_ctx *c;
	long i, err = 0;

	if (nr < 0)
		return -EINVAL;
	c = aio_lookup(ctx_id);
	if (!c)
		return -EINVAL;
	nr = MIN(nr, (long)c->nr_events);
	for (i = 0; i < nr; i++) {
		uint64_t uiocb;

		if (get_user_u64(&uiocb, iocbpp + (uint64_t)i * sizeof(uint64_t))) {
			err = -EFAULT;
			break;
		}
		err = submit_one(c, uiocb);
		if (err)
			break;
	}
	aio_ctx_put(c);
	return i ? i : err;
}

long sys_io_cancel(unsigned long ctx_id, uaddr_t iocb, uaddr_t result)
{
	struct aio_ctx *c;
	uint32_t key;
	int err;

	/* result is no longer written: a cancelled request's event goes to the ring. */
	(void)result;
	if (get_user_u32(&key, iocb + offsetof(struct iocb, aio_key)))
		return -EFAULT;
	if (key != KIOCB_KEY)
		return -EINVAL;
	c = aio_lookup(ctx_id);
	if (!c)
		return -EINVAL;
	/* Only pending polls can be cancelled; anything else is EINVAL, as Linux. */
	err = aio_poll_cancel(c, iocb);
	aio_ctx_put(c);
	return err ? err : -EINPROGRESS;
}
