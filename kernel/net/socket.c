// SPDX-License-Identifier: MPL-2.0
// The socket layer's core: struct socket behind a sockfs file, the
// registered families, and the file operations (read, write, poll, ioctl,
// release) every socket shares; the syscalls are in syscalls.c.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "net/net_internal.h"
#include "process/process.h"
#include "process/signal.h"
#include "uapi/ioctls.h"
#include "uapi/sockios.h"
#include "process/capability.h"

#define NR_FAMILIES	46	/* Linux's AF_MAX */

static const struct net_family *families[NR_FAMILIES];

int socket_register_family(const struct net_family *f)
{
	if (f->family <= 0 || f->family >= NR_FAMILIES)
		return -EINVAL;
	if (families[f->family])
		return -EEXIST;
	families[f->family] = f;
	return 0;
}

static const struct file_ops socket_file_ops;

struct socket *file_socket(struct file *f)
{
	return f && f->ops == &socket_file_ops ? f->priv : NULL;
}

int sock_wait_error(int err, uint64_t timeout)
{
	if (err == -ETIMEDOUT)
		return -EAGAIN;
	if (err == -ERESTARTSYS && timeout)
		return -EINTR;
	return err;
}

void sock_current_cred(struct linux_ucred *c)
{
	struct process *p = current_process();

	c->pid = p ? p->pid : 0;
	c->uid = p ? p->cred.euid : 0;
	c->gid = p ? p->cred.egid : 0;
}

/* Linux's scm_check_creds: one's own pid, uids and gids, or the capability for each. */
int sock_check_cred(const struct linux_ucred *c)
{
	struct process *p = current_process();
	const struct cred *cr;

	if (!p)
		return 0;
	cr = &p->cred;
	/* Linux's scm_check_creds: each id the caller does not hold needs its capability. */
	if (c->pid != pid_vnr(p->pid) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (c->uid != cr->uid && c->uid != cr->euid && c->uid != cr->suid && !capable(CAP_SETUID))
		return -EPERM;
	if (c->gid != cr->gid && c->gid != cr->egid && c->gid != cr->sgid && !capable(CAP_SETGID))
		return -EPERM;
	return 0;
}

int sock_iov_read(const struct sock_iov *iov, size_t off, void *dst, size_t n)
{
	uint8_t *d = dst;

	if (!iov->user)
		return iobuf_read(&iov->kbuf, off, dst, n);
	for (size_t i = 0; i < iov->n && n; i++) {
		uint64_t len = iov->v[i].iov_len;
		size_t k;

		if (off >= len) {
			off -= len;
			continue;
		}
		k = MIN(n, len - off);
		if (copy_from_user(d, iov->v[i].iov_base + off, k))
			return -EFAULT;
		d += k;
		n -= k;
		off = 0;
	}
	return n ? -EFAULT : 0;
}

int sock_iov_write(const struct sock_iov *iov, size_t off, const void *src, size_t n)
{
	const uint8_t *s = src;

	if (!iov->user) {
		struct iobuf b = iov->kbuf;

		return iobuf_write(&b, off, src, n);
	}
	for (size_t i = 0; i < iov->n && n; i++) {
		uint64_t len = iov->v[i].iov_len;
		size_t k;

		if (off >= len) {
			off -= len;
			continue;
		}
		k = MIN(n, len - off);
		if (copy_to_user(iov->v[i].iov_base + off, s, k))
			return -EFAULT;
		s += k;
		n -= k;
		off = 0;
	}
	return n ? -EFAULT : 0;
}

int sock_put_cmsg(struct sock_msg *m, int level, int type, const void *data, size_t len,
		  size_t *fit)
{
	struct linux_cmsghdr h = { .cmsg_level = level, .cmsg_type = type };
	size_t room = m->ucontrollen > m->control_used ? m->ucontrollen - m->control_used : 0;
	size_t n = LINUX_CMSG_LEN(len);
	uaddr_t ua = m->ucontrol + m->control_used;
	bool trunc = false;

	if (fit)
		*fit = 0;
	if (room < sizeof(h)) {
		m->out_flags |= MSG_CTRUNC;
		return 1;
	}
	if (n > room) {
		trunc = true;
		n = room;
		if (fit)
			n = sizeof(h) + (room - sizeof(h)) / sizeof(int) * sizeof(int);
	}
	h.cmsg_len = n;
	if (copy_to_user(ua, &h, sizeof(h)) ||
	    copy_to_user(ua + sizeof(h), data, n - sizeof(h)))
		return -EFAULT;
	if (fit)
		*fit = (n - sizeof(h)) / sizeof(int);
	m->control_used += MIN(LINUX_CMSG_SPACE(n - sizeof(h)), room);
	if (trunc)
		m->out_flags |= MSG_CTRUNC;
	return trunc ? 1 : 0;
}

/* ---- sockets and their files ---- */

int socket_create(int family, int type, int protocol, struct socket **out)
{
	const struct net_family *fam;
	struct socket *s;
	int err;

	if (family < 0 || family >= NR_FAMILIES)
		return -EAFNOSUPPORT;
	if (type < 0 || type > SOCK_PACKET)
		return -EINVAL;
	fam = families[family];
	if (!fam)
		return -EAFNOSUPPORT;
	s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->family = family;
	s->type = type;
	s->protocol = protocol;
	s->sndbuf = SOCK_DEFAULT_BUF;
	s->rcvbuf = SOCK_DEFAULT_BUF;
	s->rcvlowat = 1;
	err = fam->create(s, type, protocol);
	if (err) {
		kfree(s);
		return err;
	}
	*out = s;
	return 0;
}

void socket_destroy(struct socket *s)
{
	if (s->ops && s->ops->release)
		s->ops->release(s);
	kfree(s);
}

int socket_file(struct socket *s, unsigned int flags, struct file **out)
{
	struct file *f;
	int err = sockfs_file_alloc(&socket_file_ops, flags & O_NONBLOCK, s, &f, &s->ino);

	if (err)
		return err;
	s->file = f;
	*out = f;
	return 0;
}

static struct socket *sock_of(struct file *f)
{
	return f->priv;
}

static ssize_t sock_rw(struct file *f, struct iobuf *buf, bool send)
{
	struct socket *s = sock_of(f);
	struct sock_msg m;
	ssize_t n;

	memset(&m, 0, sizeof(m));
	m.iov.total = MIN(buf->len, (size_t)INT32_MAX);
	m.nonblock = f->flags & O_NONBLOCK;
	if (!buf->user) {
		/* In-kernel I/O (sendfile, splice): one buffer. */
		m.iov.kbuf = *buf;
	} else {
		m.iov.user = true;
		m.iov.v = m.iov.inline_v;
		m.iov.v[0].iov_base = buf->ua;
		m.iov.v[0].iov_len = m.iov.total;
		m.iov.n = 1;
	}
	n = send ? s->ops->sendmsg(s, &m) : s->ops->recvmsg(s, &m);
	return n;
}

static ssize_t sock_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)pos;
	return sock_rw(f, buf, false);
}

static ssize_t sock_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)pos;
	return sock_rw(f, buf, true);
}

static unsigned int sock_poll(struct file *f)
{
	struct socket *s = sock_of(f);

	return s->ops->poll ? s->ops->poll(s) : 0;
}

static uint64_t sock_poll_seq(struct file *f, unsigned int events)
{
	struct socket *s = sock_of(f);

	return s->ops->poll_seq ? s->ops->poll_seq(s, events) : 0;
}

/*
 * Linux's sock_do_ioctl: the family's ioctls first; the interface and
 * route ioctls (type 0x89) the family does not know work on any socket
 * (glibc's if_nametoindex asks an AF_UNIX socket).
 */
static long sock_ioctl(struct file *f, unsigned int cmd, uint64_t arg)
{
	struct socket *s = sock_of(f);
	long r;

	/* Linux's sock_ioctl answers these itself, for every family. */
	if (cmd == FIOSETOWN || cmd == SIOCSPGRP)
		return file_ioctl_setown(f, arg);
	if (cmd == FIOGETOWN || cmd == SIOCGPGRP)
		return file_ioctl_getown(f, arg);
	r = s->ops->ioctl ? s->ops->ioctl(s, cmd, arg) : -ENOTTY;
	if (r == -ENOTTY && (cmd & 0xff00) == 0x8900)
		return netdev_ioctl(cmd, arg);
	return r;
}

static void sock_release(struct file *f)
{
	struct socket *s = sock_of(f);

	s->file = NULL;
	socket_destroy(s);
}

static const struct file_ops socket_file_ops = {
	.fasync = true,
	.read = sock_read,
	.write = sock_write,
	.poll = sock_poll,
	.poll_seq = sock_poll_seq,
	.ioctl = sock_ioctl,
	.release = sock_release,
};
