// SPDX-License-Identifier: MPL-2.0
// process_vm_readv and process_vm_writev: copy between the caller's
// iovecs and another process's, under ptrace's access check (Linux's
// PTRACE_MODE_ATTACH_REALCREDS).  A transfer stops at the first address
// either side cannot reach: the bytes copied so far, or -EFAULT if none.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/uaccess.h>
#include "lib/iovec.h"
#include "mm/vmar.h"
#include "process/internal.h"
#include "syscall/syscall.h"

#define CHUNK	4096

/* A cursor over an iovec array. */
struct iov_cur {
	struct linux_iovec *v;
	unsigned long n, i;
	uint64_t off;
};

/* The next contiguous piece of at most max bytes: its address and length (0 at the end). */
static uint64_t cur_next(struct iov_cur *c, uint64_t max, uint64_t *addr)
{
	while (c->i < c->n && c->off == c->v[c->i].iov_len) {
		c->i++;
		c->off = 0;
	}
	if (c->i >= c->n)
		return 0;
	*addr = c->v[c->i].iov_base + c->off;
	return MIN(max, c->v[c->i].iov_len - c->off);
}

static void cur_advance(struct iov_cur *c, uint64_t n)
{
	c->off += n;
}

/* Move one piece: bytes moved (short when a side stopped), or -errno when none. */
static long move_piece(struct vmar *v, bool write, uint64_t laddr, uint64_t raddr, uint64_t n,
		       uint8_t *buf)
{
	long got;

	if (write) {
		if (copy_from_user(buf, laddr, n))
			return -EFAULT;
		return vmar_access(v, raddr, buf, n, true, false);
	}
	got = vmar_access(v, raddr, buf, n, false, false);
	if (got <= 0)
		return got;
	return copy_to_user(laddr, buf, (size_t)got) ? -EFAULT : got;
}

static long transfer(struct vmar *v, bool write, struct iov_cur *local, struct iov_cur *remote)
{
	uint8_t *buf = kmalloc(CHUNK);
	long done = 0, err = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		uint64_t la, ra, n = cur_next(local, CHUNK, &la);
		long got;

		if (n)
			n = cur_next(remote, n, &ra);
		if (!n)
			break;
		got = move_piece(v, write, la, ra, n, buf);
		if (got < 0) {
			err = got;
			break;
		}
		done += got;
		cur_advance(local, (uint64_t)got);
		cur_advance(remote, (uint64_t)got);
		if ((uint64_t)got < n)
			break;
	}
	kfree(buf);
	return done ? done : err;
}

/* Whether any remote segment is non-empty (Linux counts its pages first). */
static bool any_bytes(const struct linux_iovec *v, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		if (v[i].iov_len)
			return true;
	return false;
}

/* The transfer with the target: -ESRCH when it is gone or has no memory, ptrace's errors. */
static long transfer_with(pid_t pid, bool write, struct iov_cur *local, struct iov_cur *remote)
{
	struct process *p = process_find(pid);
	struct vmar *v;
	long ret;

	if (!p)
		return -ESRCH;
	ret = ptrace_may_access(p);
	v = ret ? NULL : process_vmar_get(p);
	if (!ret && !v)
		ret = -ESRCH;
	if (v) {
		ret = transfer(v, write, local, remote);
		vmar_put(v);
	}
	process_put(p);
	return ret;
}

/*
 * Linux's order: the local array is imported (checked against our address
 * space and cut at MAX_RW_COUNT), nothing to move is 0 before the remote
 * array or the pid is looked at, and the remote array is only copied.
 */
static long process_vm_rw(pid_t pid, uaddr_t lvec, unsigned long liovcnt, uaddr_t rvec,
			  unsigned long riovcnt, unsigned long flags, bool write)
{
	struct linux_iovec lfast[UIO_FASTIOV], rfast[UIO_FASTIOV];
	struct iov_cur local = { 0 }, remote = { 0 };
	uint64_t total;
	long ret;

	if (flags)
		return -EINVAL;
	ret = iovec_import(lvec, liovcnt, lfast, UIO_FASTIOV, &local.v, &total);
	if (ret)
		return ret;
	local.n = liovcnt;
	if (total)
		ret = iovec_from_user(rvec, riovcnt, rfast, UIO_FASTIOV, &remote.v);
	remote.n = riovcnt;
	if (total && !ret && any_bytes(remote.v, remote.n))
		ret = transfer_with(pid, write, &local, &remote);
	iovec_release(local.v, lfast);
	iovec_release(remote.v, rfast);
	return ret;
}

long sys_process_vm_readv(pid_t pid, uaddr_t local_iov, unsigned long liovcnt, uaddr_t remote_iov,
			  unsigned long riovcnt, unsigned long flags)
{
	return process_vm_rw(pid, local_iov, liovcnt, remote_iov, riovcnt, flags, false);
}

long sys_process_vm_writev(pid_t pid, uaddr_t local_iov, unsigned long liovcnt, uaddr_t remote_iov,
			   unsigned long riovcnt, unsigned long flags)
{
	return process_vm_rw(pid, local_iov, liovcnt, remote_iov, riovcnt, flags, true);
}
