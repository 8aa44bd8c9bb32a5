// SPDX-License-Identifier: MPL-2.0
// The socket syscalls: descriptors (EBADF, ENOTSOCK), addresses and
// lengths from and to user memory (EINVAL, EFAULT, as Linux's
// move_addr_to_kernel and move_addr_to_user), then the family's
// operation.  The msghdr calls are in msg.c.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/fdtable.h"
#include "net/net_internal.h"

int sock_fdget(int fd, struct fd *h, struct socket **out)
{
	*h = fdget(fd);
	if (!h->file)
		return -EBADF;
	*out = file_socket(h->file);
	if (!*out) {
		fdput(*h);
		return -ENOTSOCK;
	}
	return 0;
}

int sock_addr_from_user(uaddr_t ua, int len, struct sock_addr *a)
{
	if (len < 0 || len > SOCKADDR_MAX)
		return -EINVAL;
	a->len = (uint32_t)len;
	if (len && copy_from_user(a->a, ua, (size_t)len))
		return -EFAULT;
	return 0;
}

int sock_addr_to_user(const struct sock_addr *a, uaddr_t ua, uaddr_t ulen)
{
	int32_t len;

	if (copy_from_user(&len, ulen, sizeof(len)))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if ((uint32_t)len > a->len)
		len = (int32_t)a->len;
	if (len && copy_to_user(ua, a->a, (size_t)len))
		return -EFAULT;
	len = (int32_t)a->len;
	return copy_to_user(ulen, &len, sizeof(len)) ? -EFAULT : 0;
}

static int install(struct file *f, bool cloexec)
{
	struct fd_table *t = current_files();
	int fd;

	if (!t) {
		file_put(f);
		return -EMFILE;
	}
	fd = fd_install(t, f, cloexec ? FD_CLOEXEC : 0);
	if (fd < 0)
		file_put(f);
	return fd;
}

static int split_type(int *type, unsigned int *flags)
{
	*flags = (unsigned int)*type & ~(unsigned int)SOCK_TYPE_MASK;
	if (*flags & ~(unsigned int)(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	*type &= SOCK_TYPE_MASK;
	return 0;
}

long sys_socket(int domain, int type, int protocol)
{
	struct socket *s;
	struct file *f;
	unsigned int flags;
	int err = split_type(&type, &flags);

	if (err)
		return err;
	err = socket_create(domain, type, protocol, &s);
	if (err)
		return err;
	err = socket_file(s, flags, &f);
	if (err) {
		socket_destroy(s);
		return err;
	}
	return install(f, flags & SOCK_CLOEXEC);
}

long sys_socketpair(int domain, int type, int protocol, uaddr_t sv)
{
	struct socket *a = NULL, *b = NULL;
	struct file *fa = NULL, *fb = NULL;
	unsigned int flags;
	int32_t fds[2];
	int err = split_type(&type, &flags);

	if (err)
		return err;
	err = socket_create(domain, type, protocol, &a);
	if (err)
		return err;
	err = socket_create(domain, type, protocol, &b);
	if (err) {
		socket_destroy(a);
		return err;
	}
	err = a->ops->socketpair ? a->ops->socketpair(a, b) : -EOPNOTSUPP;
	if (!err)
		err = socket_file(a, flags, &fa);
	if (!err)
		err = socket_file(b, flags, &fb);
	if (err) {
		if (fa)
			file_put(fa);
		else
			socket_destroy(a);
		socket_destroy(b);
		return err;
	}
	fds[0] = install(fa, flags & SOCK_CLOEXEC);
	if (fds[0] < 0) {
		file_put(fb);
		return fds[0];
	}
	fds[1] = install(fb, flags & SOCK_CLOEXEC);
	if (fds[1] < 0) {
		fd_close(current_files(), fds[0]);
		return fds[1];
	}
	if (copy_to_user(sv, fds, sizeof(fds))) {
		fd_close(current_files(), fds[0]);
		fd_close(current_files(), fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_bind(int fd, uaddr_t addr, int addrlen)
{
	struct sock_addr a;
	struct socket *s;
	struct fd h;
	int err = sock_fdget(fd, &h, &s);

	if (err)
		return err;
	err = sock_addr_from_user(addr, addrlen, &a);
	if (!err)
		err = s->ops->bind ? s->ops->bind(s, &a) : -EOPNOTSUPP;
	fdput(h);
	return err;
}

long sys_listen(int fd, int backlog)
{
	struct socket *s;
	struct fd h;
	int err = sock_fdget(fd, &h, &s);

	if (err)
		return err;
	if ((unsigned int)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	err = s->ops->listen ? s->ops->listen(s, backlog) : -EOPNOTSUPP;
	if (!err)
		s->listening = true;
	fdput(h);
	return err;
}

long sys_connect(int fd, uaddr_t addr, int addrlen)
{
	struct sock_addr a;
	struct socket *s;
	struct fd h;
	int err = sock_fdget(fd, &h, &s);

	if (err)
		return err;
	err = sock_addr_from_user(addr, addrlen, &a);
	if (!err)
		err = s->ops->connect ? s->ops->connect(s, &a, h.file->flags & O_NONBLOCK) :
			-EOPNOTSUPP;
	fdput(h);
	return err;
}

static long do_accept(int fd, uaddr_t addr, uaddr_t addrlen, int flags)
{
	struct socket *s, *ns;
	struct file *nf;
	struct fd h;
	int err, nfd;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	err = sock_fdget(fd, &h, &s);
	if (err)
		return err;
	if (!s->ops->accept) {
		fdput(h);
		return -EOPNOTSUPP;
	}
	ns = kzalloc(sizeof(*ns));
	if (!ns) {
		fdput(h);
		return -ENOMEM;
	}
	ns->family = s->family;
	ns->type = s->type;
	ns->protocol = s->protocol;
	ns->ops = s->ops;
	ns->sndbuf = s->sndbuf;
	ns->rcvbuf = s->rcvbuf;
	ns->rcvlowat = 1;
	ns->passcred = s->passcred;
	err = s->ops->accept(s, ns, h.file->flags & O_NONBLOCK);
	fdput(h);
	if (err) {
		kfree(ns);
		return err;
	}
	err = socket_file(ns, (unsigned int)flags, &nf);
	if (err) {
		socket_destroy(ns);
		return err;
	}
	if (addr) {
		struct sock_addr a = { 0 };

		ns->ops->getname(ns, &a, true);
		err = sock_addr_to_user(&a, addr, addrlen);
		if (err) {
			file_put(nf);
			return err;
		}
	}
	nfd = install(nf, flags & SOCK_CLOEXEC);
	return nfd;
}

long sys_accept(int fd, uaddr_t addr, uaddr_t addrlen)
{
	return do_accept(fd, addr, addrlen, 0);
}

long sys_accept4(int fd, uaddr_t addr, uaddr_t addrlen, unsigned int flags)
{
	return do_accept(fd, addr, addrlen, (int)flags);
}

static long get_name(int fd, uaddr_t addr, uaddr_t addrlen, bool peer)
{
	struct sock_addr a = { 0 };
	struct socket *s;
	struct fd h;
	int err = sock_fdget(fd, &h, &s);

	if (err)
		return err;
	err = s->ops->getname ? s->ops->getname(s, &a, peer) : -EOPNOTSUPP;
	if (!err)
		err = sock_addr_to_user(&a, addr, addrlen);
	fdput(h);
	return err;
}

long sys_getsockname(int fd, uaddr_t addr, uaddr_t addrlen)
{
	return get_name(fd, addr, addrlen, false);
}

long sys_getpeername(int fd, uaddr_t addr, uaddr_t addrlen)
{
	return get_name(fd, addr, addrlen, true);
}

long sys_shutdown(int fd, int how)
{
	struct socket *s;
	struct fd h;
	int err = sock_fdget(fd, &h, &s);

	if (err)
		return err;
	if (how < SHUT_RD || how > SHUT_RDWR)
		err = -EINVAL;
	else
		err = s->ops->shutdown ? s->ops->shutdown(s, how) : -EOPNOTSUPP;
	fdput(h);
	return err;
}

long sys_setsockopt(int fd, int level, int optname, uaddr_t optval, int optlen)
{
	struct socket *s;
	struct fd h;
	int err;

	if (optlen < 0)
		return -EINVAL;
	err = sock_fdget(fd, &h, &s);
	if (err)
		return err;
	err = sock_setsockopt(s, level, optname, optval, (uint32_t)optlen);
	fdput(h);
	return err;
}

long sys_getsockopt(int fd, int level, int optname, uaddr_t optval, uaddr_t optlen)
{
	struct socket *s;
	struct fd h;
	int err = sock_fdget(fd, &h, &s);

	if (err)
		return err;
	err = sock_getsockopt(s, level, optname, optval, optlen);
	fdput(h);
	return err;
}
