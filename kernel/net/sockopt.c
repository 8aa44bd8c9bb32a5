// SPDX-License-Identifier: MPL-2.0
// The SOL_SOCKET options every family shares, as Linux's sock_setsockopt
// and sk_getsockopt: lengths, clamps (SO_SNDBUF/SO_RCVBUF double the value
// and keep it between the minimum and twice the maximum), the timeval
// timeouts (EDOM for a bad tv_usec), and the read-only ones.
#include <aster/errno.h>
#include <aster/string.h>
#include "net/net_internal.h"
#include "process/process.h"

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_SEC	1000000000ULL
/* A negative tv_sec: Linux's timeout of 0 jiffies, which fails at once. */
#define TIMEO_IMMEDIATE	1

static int set_timeout(uint64_t *ns, uaddr_t val, uint32_t len)
{
	struct linux_sock_timeval tv;

	if (len < sizeof(tv))
		return -EINVAL;
	if (copy_from_user(&tv, val, sizeof(tv)))
		return -EFAULT;
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0) {
		*ns = TIMEO_IMMEDIATE;
		return 0;
	}
	if ((uint64_t)tv.tv_sec >= UINT64_MAX / NSEC_PER_SEC - 1)
		*ns = 0;	/* as good as for ever: Linux's MAX_SCHEDULE_TIMEOUT */
	else
		*ns = (uint64_t)tv.tv_sec * NSEC_PER_SEC + (uint64_t)tv.tv_usec * NSEC_PER_USEC;
	return 0;
}

static uint32_t buf_size(int val, uint32_t min)
{
	uint32_t v = MIN((uint32_t)val, (uint32_t)SOCK_MAX_BUF);

	return MAX(v * 2, min);
}

/* SOL_SOCKET options a family implements itself (socket filters, SO_BINDTODEVICE). */
static bool family_option(int level, int name)
{
	return level == SOL_SOCKET && (name == SO_ATTACH_FILTER || name == SO_DETACH_FILTER ||
				       name == SO_LOCK_FILTER || name == SO_BINDTODEVICE);
}

int sock_setsockopt(struct socket *s, int level, int name, uaddr_t val, uint32_t len)
{
	int v = 0;

	if (family_option(level, name))
		return s->ops->setsockopt ? s->ops->setsockopt(s, level, name, val, len) : -ENOPROTOOPT;
	if (level != SOL_SOCKET) {
		if (!s->ops->setsockopt)
			return -EOPNOTSUPP;
		return s->ops->setsockopt(s, level, name, val, len);
	}
	switch (name) {
	case SO_LINGER: {
		struct linux_linger l;

		if (len < sizeof(l))
			return -EINVAL;
		if (copy_from_user(&l, val, sizeof(l)))
			return -EFAULT;
		s->linger.l_onoff = l.l_onoff ? 1 : 0;
		s->linger.l_linger = l.l_linger;
		return 0;
	}
	case SO_RCVTIMEO:
	case SO_RCVTIMEO_NEW:
		return set_timeout(&s->rcvtimeo_ns, val, len);
	case SO_SNDTIMEO:
	case SO_SNDTIMEO_NEW:
		return set_timeout(&s->sndtimeo_ns, val, len);
	}
	if (len < sizeof(int))
		return -EINVAL;
	if (copy_from_user(&v, val, sizeof(v)))
		return -EFAULT;
	switch (name) {
	case SO_DEBUG:
		return 0;
	case SO_REUSEADDR:
		s->reuseaddr = v != 0;
		return 0;
	case SO_REUSEPORT:
		s->reuseport = v != 0;
		return 0;
	case SO_KEEPALIVE:
		s->keepalive = v != 0;
		return 0;
	case SO_BROADCAST:
		s->broadcast = v != 0;
		return 0;
	case SO_DONTROUTE:
		s->dontroute = v != 0;
		return 0;
	case SO_OOBINLINE:
		s->oobinline = v != 0;
		return 0;
	case SO_PASSCRED:
		s->passcred = v != 0;
		return 0;
	case SO_SNDBUF:
	case SO_SNDBUFFORCE:
		s->sndbuf = buf_size(v, SOCK_MIN_SNDBUF);
		return 0;
	case SO_RCVBUF:
	case SO_RCVBUFFORCE:
		s->rcvbuf = buf_size(v, SOCK_MIN_RCVBUF);
		return 0;
	case SO_PRIORITY:
		if (v < 0 || v > 6)
			return -EPERM;	/* higher needs CAP_NET_ADMIN, which we do not model */
		s->priority = v;
		return 0;
	case SO_RCVLOWAT:
		s->rcvlowat = v < 0 ? INT32_MAX : (v ? v : 1);
		return 0;
	}
	return -ENOPROTOOPT;
}

static int put_timeout(uint64_t ns, uaddr_t val, uint32_t *len)
{
	struct linux_sock_timeval tv = { 0, 0 };

	if (ns > TIMEO_IMMEDIATE) {
		tv.tv_sec = (int64_t)(ns / NSEC_PER_SEC);
		tv.tv_usec = (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
	}
	*len = MIN(*len, (uint32_t)sizeof(tv));
	return copy_to_user(val, &tv, *len) ? -EFAULT : 0;
}

/* The int value of option name, or -ENOPROTOOPT. */
static int int_option(struct socket *s, int name, int *v)
{
	switch (name) {
	case SO_DEBUG: *v = 0; break;
	case SO_REUSEADDR: *v = s->reuseaddr; break;
	case SO_REUSEPORT: *v = s->reuseport; break;
	case SO_KEEPALIVE: *v = s->keepalive; break;
	case SO_BROADCAST: *v = s->broadcast; break;
	case SO_DONTROUTE: *v = s->dontroute; break;
	case SO_OOBINLINE: *v = s->oobinline; break;
	case SO_PASSCRED: *v = s->passcred; break;
	case SO_TYPE: *v = s->type; break;
	case SO_PROTOCOL: *v = s->protocol; break;
	case SO_DOMAIN: *v = s->family; break;
	case SO_ACCEPTCONN: *v = s->listening; break;
	case SO_SNDBUF: *v = (int)s->sndbuf; break;
	case SO_RCVBUF: *v = (int)s->rcvbuf; break;
	case SO_PRIORITY: *v = s->priority; break;
	case SO_RCVLOWAT: *v = s->rcvlowat; break;
	case SO_SNDLOWAT: *v = 1; break;
	case SO_ERROR:
		*v = s->err;
		s->err = 0;
		break;
	default:
		return -ENOPROTOOPT;
	}
	return 0;
}

int sock_getsockopt(struct socket *s, int level, int name, uaddr_t val, uaddr_t lenp)
{
	int32_t ilen;
	uint32_t len;
	int v = 0, err;

	if (family_option(level, name))
		return s->ops->getsockopt ? s->ops->getsockopt(s, level, name, val, lenp) : -ENOPROTOOPT;
	if (level != SOL_SOCKET) {
		if (!s->ops->getsockopt)
			return -EOPNOTSUPP;
		return s->ops->getsockopt(s, level, name, val, lenp);
	}
	if (copy_from_user(&ilen, lenp, sizeof(ilen)))
		return -EFAULT;
	if (ilen < 0)
		return -EINVAL;
	len = (uint32_t)ilen;
	switch (name) {
	case SO_LINGER: {
		struct linux_linger l = s->linger;

		len = MIN(len, (uint32_t)sizeof(l));
		err = copy_to_user(val, &l, len) ? -EFAULT : 0;
		break;
	}
	case SO_PEERCRED: {
		struct linux_ucred c = { 0, UINT32_MAX, UINT32_MAX };

		if (s->ops->peercred)
			s->ops->peercred(s, &c);
		c.pid = pid_vnr(c.pid);	/* kept as the kernel's number; the reader's view */
		len = MIN(len, (uint32_t)sizeof(c));
		err = copy_to_user(val, &c, len) ? -EFAULT : 0;
		break;
	}
	case SO_RCVTIMEO:
	case SO_RCVTIMEO_NEW:
		err = put_timeout(s->rcvtimeo_ns, val, &len);
		break;
	case SO_SNDTIMEO:
	case SO_SNDTIMEO_NEW:
		err = put_timeout(s->sndtimeo_ns, val, &len);
		break;
	default:
		err = int_option(s, name, &v);
		if (err)
			return err;
		len = MIN(len, (uint32_t)sizeof(v));
		err = copy_to_user(val, &v, len) ? -EFAULT : 0;
	}
	if (err)
		return err;
	return copy_to_user(lenp, &len, sizeof(len)) ? -EFAULT : 0;
}
