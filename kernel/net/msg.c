// SPDX-License-Identifier: MPL-2.0
// sendto, recvfrom, sendmsg, recvmsg, sendmmsg, recvmmsg: the msghdr,
// its iovec (EMSGSIZE past UIO_MAXIOV, EINVAL for a negative length) and
// control buffer (ENOBUFS past Linux's optmem_max) from user memory, the
// results (msg_namelen, msg_controllen, msg_flags) back to it.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "fs/fdtable.h"
#include "net/net_internal.h"
#include "time/timespec.h"
#include "lib/iovec.h"

#define OPTMEM_MAX	20480		/* net.core.optmem_max: the largest control buffer */

static void iov_free(struct sock_iov *iov)
{
	iovec_release(iov->v, iov->inline_v);
	iov->v = NULL;
}

/* Linux's __copy_msghdr says EMSGSIZE past UIO_MAXIOV; import_iovec does the rest. */
static int iov_from_user(uaddr_t uiov, uint64_t n, struct sock_iov *iov)
{
	uint64_t total;
	int err;

	if (n > UIO_MAXIOV)
		return -EMSGSIZE;
	iov->user = true;
	iov->n = (size_t)n;
	err = iovec_import(uiov, n, iov->inline_v, ARRAY_SIZE(iov->inline_v), &iov->v, &total);
	iov->total = (size_t)total;
	return err;
}

static bool nonblocking(struct fd *h, unsigned int flags)
{
	return (flags & MSG_DONTWAIT) || (h->file->flags & O_NONBLOCK);
}

static long send_common(struct socket *s, struct fd *h, struct sock_msg *m, unsigned int flags)
{
	m->flags = flags;
	m->nonblock = nonblocking(h, flags);
	if (!s->ops->sendmsg)
		return -EOPNOTSUPP;
	return s->ops->sendmsg(s, m);
}

static long recv_common(struct socket *s, struct fd *h, struct sock_msg *m, unsigned int flags)
{
	m->flags = flags;
	m->nonblock = nonblocking(h, flags);
	if (!s->ops->recvmsg)
		return -EOPNOTSUPP;
	return s->ops->recvmsg(s, m);
}

long sys_sendto(int fd, uaddr_t buf, size_t len, unsigned int flags, uaddr_t addr, int addrlen)
{
	struct sock_msg m;
	struct socket *s;
	struct fd h;
	long err;

	memset(&m, 0, sizeof(m));
	err = sock_fdget(fd, &h, &s);
	if (err)
		return err;
	if (addr)
		err = sock_addr_from_user(addr, addrlen, &m.name);
	if (!err) {
		m.iov.user = true;
		m.iov.v = m.iov.inline_v;
		m.iov.n = 1;
		m.iov.v[0].iov_base = buf;
		m.iov.v[0].iov_len = MIN(len, MAX_RW_COUNT);
		m.iov.total = m.iov.v[0].iov_len;
		err = send_common(s, &h, &m, flags);
	}
	fdput(h);
	return err;
}

long sys_recvfrom(int fd, uaddr_t buf, size_t len, unsigned int flags, uaddr_t addr,
		  uaddr_t addrlen)
{
	struct sock_msg m;
	struct socket *s;
	struct fd h;
	long n;

	memset(&m, 0, sizeof(m));
	n = sock_fdget(fd, &h, &s);
	if (n)
		return n;
	m.iov.user = true;
	m.iov.v = m.iov.inline_v;
	m.iov.n = 1;
	m.iov.v[0].iov_base = buf;
	m.iov.v[0].iov_len = MIN(len, MAX_RW_COUNT);
	m.iov.total = m.iov.v[0].iov_len;
	m.want_name = addr != 0;
	n = recv_common(s, &h, &m, flags);
	fdput(h);
	if (n >= 0 && addr) {
		int err = sock_addr_to_user(&m.name, addr, addrlen);

		if (err)
			return err;
	}
	return n;
}

/* One sendmsg of the msghdr at umsg: bytes or -errno. */
static long sendmsg_one(struct socket *s, struct fd *h, uaddr_t umsg, unsigned int flags)
{
	struct linux_msghdr mh;
	struct sock_msg m;
	long err;

	memset(&m, 0, sizeof(m));
	if (copy_from_user(&mh, umsg, sizeof(mh)))
		return -EFAULT;
	if (mh.msg_name && mh.msg_namelen) {
		int len = (int)MIN(mh.msg_namelen, (uint32_t)SOCKADDR_MAX);

		if ((int32_t)mh.msg_namelen < 0)
			return -EINVAL;
		err = sock_addr_from_user(mh.msg_name, len, &m.name);
		if (err)
			return err;
	}
	if (mh.msg_controllen > INT32_MAX || mh.msg_controllen > OPTMEM_MAX)
		return -ENOBUFS;
	err = iov_from_user(mh.msg_iov, mh.msg_iovlen, &m.iov);
	if (err)
		return err;
	if (mh.msg_controllen) {
		m.controllen = (size_t)mh.msg_controllen;
		m.control = kmalloc(m.controllen);
		if (!m.control) {
			iov_free(&m.iov);
			return -ENOBUFS;
		}
		if (copy_from_user(m.control, mh.msg_control, m.controllen)) {
			kfree(m.control);
			iov_free(&m.iov);
			return -EFAULT;
		}
	}
	err = send_common(s, h, &m, flags);
	kfree(m.control);
	iov_free(&m.iov);
	return err;
}

/* One recvmsg into the msghdr at umsg, its results written back: bytes or -errno. */
static long recvmsg_one(struct socket *s, struct fd *h, uaddr_t umsg, unsigned int flags)
{
	struct linux_msghdr mh;
	struct sock_msg m;
	uint32_t namelen = 0;
	long n;

	memset(&m, 0, sizeof(m));
	if (copy_from_user(&mh, umsg, sizeof(mh)))
		return -EFAULT;
	if (mh.msg_name && (int32_t)mh.msg_namelen < 0)
		return -EINVAL;
	n = iov_from_user(mh.msg_iov, mh.msg_iovlen, &m.iov);
	if (n)
		return n;
	m.want_name = mh.msg_name != 0;
	m.ucontrol = mh.msg_control;
	m.ucontrollen = mh.msg_control ? (size_t)MIN(mh.msg_controllen, (uint64_t)INT32_MAX) : 0;
	n = recv_common(s, h, &m, flags);
	iov_free(&m.iov);
	if (n < 0)
		return n;
	if (mh.msg_name) {
		namelen = MIN(mh.msg_namelen, m.name.len);
		if (namelen && copy_to_user(mh.msg_name, m.name.a, namelen))
			return -EFAULT;
		namelen = m.name.len;
	}
	mh.msg_namelen = namelen;
	mh.msg_controllen = m.control_used;
	mh.msg_flags = m.out_flags;
	if (copy_to_user(umsg + offsetof(struct linux_msghdr, msg_namelen), &mh.msg_namelen,
			 sizeof(mh.msg_namelen)) ||
	    copy_to_user(umsg + offsetof(struct linux_msghdr, msg_controllen), &mh.msg_controllen,
			 sizeof(mh.msg_controllen)) ||
	    copy_to_user(umsg + offsetof(struct linux_msghdr, msg_flags), &mh.msg_flags,
			 sizeof(mh.msg_flags)))
		return -EFAULT;
	return n;
}

long sys_sendmsg(int fd, uaddr_t msg, unsigned int flags)
{
	struct socket *s;
	struct fd h;
	long n = sock_fdget(fd, &h, &s);

	if (n)
		return n;
	n = sendmsg_one(s, &h, msg, flags);
	fdput(h);
	return n;
}

long sys_recvmsg(int fd, uaddr_t msg, unsigned int flags)
{
	struct socket *s;
	struct fd h;
	long n = sock_fdget(fd, &h, &s);

	if (n)
		return n;
	n = recvmsg_one(s, &h, msg, flags);
	fdput(h);
	return n;
}

long sys_sendmmsg(int fd, uaddr_t vec, unsigned int vlen, unsigned int flags)
{
	const size_t stride = sizeof(struct linux_mmsghdr);
	struct socket *s;
	struct fd h;
	long n = sock_fdget(fd, &h, &s);
	unsigned int i;

	if (n)
		return n;
	vlen = MIN(vlen, (unsigned int)UIO_MAXIOV);
	for (i = 0; i < vlen; i++) {
		uint32_t len;

		n = sendmsg_one(s, &h, vec + i * stride, flags);
		if (n < 0)
			break;
		len = (uint32_t)n;
		if (copy_to_user(vec + i * stride + offsetof(struct linux_mmsghdr, msg_len), &len,
				 sizeof(len))) {
			n = -EFAULT;
			break;
		}
	}
	fdput(h);
	return i ? (long)i : n;
}

long sys_recvmmsg(int fd, uaddr_t vec, unsigned int vlen, unsigned int flags, uaddr_t timeout)
{
	const size_t stride = sizeof(struct linux_mmsghdr);
	uint64_t deadline = 0, now;
	struct socket *s;
	struct fd h;
	long n;
	unsigned int i;

	if (timeout) {
		uint64_t ns;
		int err = timespec_from_user(timeout, &ns);

		if (err)
			return err;
		deadline = deadline_after(ns);
	}
	n = sock_fdget(fd, &h, &s);
	if (n)
		return n;
	vlen = MIN(vlen, (unsigned int)UIO_MAXIOV);
	for (i = 0; i < vlen; i++) {
		uint32_t len;

		n = recvmsg_one(s, &h, vec + i * stride, flags);
		if (n < 0)
			break;
		len = (uint32_t)n;
		if (copy_to_user(vec + i * stride + offsetof(struct linux_mmsghdr, msg_len), &len,
				 sizeof(len))) {
			n = -EFAULT;
			break;
		}
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
		if (timeout) {
			now = clock_monotonic_ns();
			if (now >= deadline) {
				i++;
				break;
			}
		}
	}
	fdput(h);
	if (timeout && (i || n >= 0)) {
		now = clock_monotonic_ns();
		if (timespec_to_user(timeout, deadline > now ? deadline - now : 0))
			return -EFAULT;
	}
	return i ? (long)i : n;
}
