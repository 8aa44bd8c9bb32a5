// SPDX-License-Identifier: MPL-2.0
// AF_NETLINK sockets, as Linux's af_netlink.c: creation (SOCK_RAW or
// SOCK_DGRAM; NETLINK_ROUTE is the only protocol here, the others are
// EPROTONOSUPPORT as on a Linux without them), port ids (bind, autobind
// to the process's pid, then negative ids from -4096 down), multicast
// groups, connect, sendmsg (to the kernel, to another socket, to a
// group), recvmsg with the dump continued as the queue drains, poll, the
// SOL_NETLINK options, release.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/file.h"
#include "net/ipv4/ipv4.h"
#include "net/netlink/netlink.h"
#include "process/process.h"
#include "process/signal.h"
#include "uapi/poll.h"
#include "process/capability.h"

static uint64_t room_seq;
static struct wait_queue room_wq = WAIT_QUEUE_INIT;
static int32_t rover = -4096;

static struct nl_sock *nl_sk(struct socket *s)
{
	return s->sk;
}

bool nl_capable(void)
{
	return capable(CAP_NET_ADMIN);
}

/* Linux's netlink_net_capable: both the opener and the caller. */
static bool sk_admin(const struct nl_sock *sk)
{
	return sk->admin && nl_capable();
}

void nl_room_made(void)
{
	room_seq++;
	wake_up_all(&room_wq);
}

static uint32_t group_mask(uint32_t group)
{
	return group && group <= 32 ? 1u << (group - 1) : 0;
}

static uint32_t first_group(uint32_t groups)
{
	return groups ? (uint32_t)__builtin_ctz(groups) + 1 : 0;
}

/* Linux's netlink_autobind (nl_lock held). */
static void nl_autobind(struct nl_sock *sk)
{
	struct process *p = current_process();
	uint32_t id = p ? (uint32_t)p->pid : 0;

	if (sk->bound)
		return;
	while (!id || nl_lookup(id)) {
		id = (uint32_t)rover--;
		if (rover > -4096)
			rover = -4096;
	}
	sk->portid = id;
	sk->bound = true;
}

static int nl_parse_name(const struct sock_addr *a, struct linux_sockaddr_nl *nl)
{
	if (a->len < sizeof(*nl))
		return -EINVAL;
	memcpy(nl, a->a, sizeof(*nl));
	return nl->nl_family == AF_NETLINK ? 0 : -EINVAL;
}

/* rtnetlink_bind: the multicast routing groups need CAP_NET_ADMIN. */
static int group_allowed(const struct nl_sock *sk, uint32_t group)
{
	if ((group == RTNLGRP_IPV4_MROUTE_R || group == RTNLGRP_IPV6_MROUTE_R) && !sk_admin(sk))
		return -EPERM;
	return 0;
}

static int nl_bind(struct socket *s, const struct sock_addr *a)
{
	struct nl_sock *sk = nl_sk(s);
	struct linux_sockaddr_nl nl;
	int err = nl_parse_name(a, &nl);

	if (err)
		return err;
	for (uint32_t g = 1; g <= 32 && !err; g++) {
		if (nl.nl_groups & group_mask(g))
			err = group_allowed(sk, g);
	}
	if (err)
		return err;
	mutex_lock(&nl_lock);
	if (sk->bound && nl.nl_pid != sk->portid) {
		err = -EINVAL;
	} else if (!sk->bound && nl.nl_pid) {
		if (nl_lookup(nl.nl_pid))
			err = -EADDRINUSE;
		else {
			sk->portid = nl.nl_pid;
			sk->bound = true;
		}
	} else {
		nl_autobind(sk);
	}
	if (!err) {
		/* The first 32 groups are replaced (Linux: groups[0] = nl_groups). */
		sk->groups = (sk->groups & ~0xffffffffULL) | nl.nl_groups;
		if (nl.nl_groups)
			sk->has_groups = true;
	}
	mutex_unlock(&nl_lock);
	return err;
}

static int nl_connect(struct socket *s, const struct sock_addr *a, bool nonblock)
{
	struct nl_sock *sk = nl_sk(s);
	struct linux_sockaddr_nl nl;
	uint16_t family = 0;
	int err;

	(void)nonblock;
	if (a->len < 2)
		return -EINVAL;
	memcpy(&family, a->a, 2);
	if (family == AF_UNSPEC) {
		mutex_lock(&nl_lock);
		sk->dst_pid = sk->dst_group = 0;
		mutex_unlock(&nl_lock);
		return 0;
	}
	err = nl_parse_name(a, &nl);
	if (err)
		return err;
	if ((nl.nl_groups || nl.nl_pid) && !sk_admin(sk))
		return -EPERM;
	mutex_lock(&nl_lock);
	nl_autobind(sk);
	sk->dst_pid = nl.nl_pid;
	sk->dst_group = first_group(nl.nl_groups);
	mutex_unlock(&nl_lock);
	return 0;
}

static void make_name(struct sock_addr *a, uint32_t pid, uint32_t groups)
{
	struct linux_sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_pid = pid, .nl_groups = groups };

	memset(a, 0, sizeof(*a));
	memcpy(a->a, &nl, sizeof(nl));
	a->len = sizeof(nl);
}

static int nl_getname(struct socket *s, struct sock_addr *a, bool peer)
{
	struct nl_sock *sk = nl_sk(s);

	mutex_lock(&nl_lock);
	if (peer)
		make_name(a, sk->dst_pid, group_mask(sk->dst_group));
	else
		make_name(a, sk->portid, (uint32_t)sk->groups);
	mutex_unlock(&nl_lock);
	return 0;
}

/* ---- sending ---- */

struct room_wait {
	uint64_t seq;
};

static bool room_cond(void *arg)
{
	return room_seq != ((struct room_wait *)arg)->seq;
}

/* To another socket (Linux's netlink_unicast to a user socket): 0 or -errno. */
static int nl_unicast_user(struct socket *s, struct nl_sock *sk, uint32_t dst, const uint8_t *data,
			   uint32_t len, bool nonblock)
{
	uint64_t timeo = sock_timeout(s, true);
	int err;

	mutex_lock(&nl_lock);
	for (;;) {
		struct nl_sock *to = nl_lookup(dst);
		struct room_wait w = { room_seq };

		if (!to) {
			err = -ECONNREFUSED;
			break;
		}
		if (to->sock && to->rmem <= to->sock->rcvbuf && !to->congested) {
			err = nl_deliver(to, data, len, sk->portid, 0);
			break;
		}
		if (nonblock) {
			err = -EAGAIN;
			break;
		}
		mutex_unlock(&nl_lock);
		err = wait_interruptible(&room_wq, room_cond, &w, timeo);
		mutex_lock(&nl_lock);
		if (err) {
			err = sock_wait_error(err, timeo);
			break;
		}
	}
	mutex_unlock(&nl_lock);
	return err;
}

static ssize_t nl_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct nl_sock *sk = nl_sk(s);
	size_t len = m->iov.total;
	uint32_t dst_pid, dst_group;
	uint8_t *data;
	int err = 0;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->name.len) {
		struct linux_sockaddr_nl nl;

		err = nl_parse_name(&m->name, &nl);
		if (err)
			return err;
		dst_pid = nl.nl_pid;
		dst_group = first_group(nl.nl_groups);
		if ((dst_pid || dst_group) && !sk_admin(sk))
			return -EPERM;
	} else {
		dst_pid = sk->dst_pid;
		dst_group = sk->dst_group;
	}
	mutex_lock(&nl_lock);
	nl_autobind(sk);
	mutex_unlock(&nl_lock);
	if (len + 32 > s->sndbuf)
		return -EMSGSIZE;
	/* Linux (6.1's netlink_sendmsg) refuses an empty datagram. */
	if (!len)
		return -ENODATA;
	data = kmalloc(len ? len : 1);
	if (!data)
		return -ENOBUFS;
	if (len && sock_iov_read(&m->iov, 0, data, len)) {
		kfree(data);
		return -EFAULT;
	}
	if (dst_group) {
		mutex_lock(&nl_lock);
		nl_broadcast(data, (uint32_t)len, sk->portid, dst_group, dst_pid);
		mutex_unlock(&nl_lock);
	}
	if (dst_pid)
		err = nl_unicast_user(s, sk, dst_pid, data, (uint32_t)len, m->nonblock);
	else
		rtnl_input(sk, data, (uint32_t)len);
	kfree(data);
	return err ? err : (ssize_t)len;
}

/* ---- receiving ---- */

struct data_wait {
	struct nl_sock *sk;
};

static bool data_cond(void *arg)
{
	struct nl_sock *sk = ((struct data_wait *)arg)->sk;

	return !list_empty(&sk->rxq) || (sk->sock && sk->sock->err);
}

/* Wait for a datagram (nl_lock held, dropped while asleep): 0 or -errno; a pending error first. */
static int nl_wait_data(struct socket *s, struct nl_sock *sk, bool nonblock)
{
	struct data_wait w = { sk };
	uint64_t timeo = sock_timeout(s, false);

	for (;;) {
		int err;

		if (s->err) {
			err = -s->err;
			s->err = 0;
			return err;
		}
		if (!list_empty(&sk->rxq))
			return 0;
		if (nonblock)
			return -EAGAIN;
		mutex_unlock(&nl_lock);
		err = wait_interruptible(&sk->wq, data_cond, &w, timeo);
		mutex_lock(&nl_lock);
		if (err)
			return sock_wait_error(err, timeo);
	}
}

static void skb_free(struct nl_skb *skb)
{
	kfree(skb->data);
	kfree(skb);
}

void nl_dequeue(struct nl_sock *sk, struct nl_skb *skb)
{
	list_del(&skb->node);
	sk->rmem -= skb->len + NL_SKB_OVERHEAD;
	sk->rseq++;
	skb_free(skb);
	/* Linux's netlink_rcv_wake: an empty queue ends the overrun. */
	if (list_empty(&sk->rxq))
		sk->congested = false;
	nl_room_made();
}

static ssize_t nl_recv_skb(struct socket *s, struct nl_sock *sk, struct sock_msg *m)
{
	struct nl_skb *skb = list_entry(sk->rxq.next, struct nl_skb, node);
	size_t n = MIN((size_t)skb->len, m->iov.total);

	if (n && sock_iov_write(&m->iov, 0, skb->data, n))
		return -EFAULT;
	if (n < skb->len)
		m->out_flags |= MSG_TRUNC;
	if (m->want_name)
		make_name(&m->name, skb->src_pid, group_mask(skb->group));
	if (sk->flags & NLF_PKTINFO) {
		struct linux_nl_pktinfo pi = { skb->group };

		if (sock_put_cmsg(m, SOL_NETLINK, NETLINK_PKTINFO, &pi, sizeof(pi), NULL) < 0)
			return -EFAULT;
	}
	if (m->flags & MSG_TRUNC)
		n = skb->len;
	if (!(m->flags & MSG_PEEK))
		nl_dequeue(sk, skb);
	(void)s;
	return (ssize_t)n;
}

static ssize_t nl_recvmsg(struct socket *s, struct sock_msg *m)
{
	struct nl_sock *sk = nl_sk(s);
	ssize_t r;
	int err;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	mutex_lock(&nl_lock);
	sk->max_recvmsg_len = (uint32_t)MIN(MAX((size_t)sk->max_recvmsg_len, m->iov.total),
					    (size_t)NL_MAX_BATCH);
	err = nl_wait_data(s, sk, m->nonblock);
	r = err ? err : nl_recv_skb(s, sk, m);
	/* Linux's netlink_recvmsg: the dump goes on once half the buffer is free. */
	if (r >= 0 && sk->dump.kind != NL_DUMP_NONE && sk->rmem <= s->rcvbuf / 2) {
		err = rtnl_dump_next(sk);
		if (err) {
			s->err = -err;
			nl_wake(sk);
		}
	}
	mutex_unlock(&nl_lock);
	return r;
}

/* ---- poll, options, ioctl, release ---- */

static unsigned int nl_poll(struct socket *s)
{
	struct nl_sock *sk = nl_sk(s);
	unsigned int m = POLLOUT | POLLWRNORM | POLLWRBAND;

	mutex_lock(&nl_lock);
	if (s->err)
		m |= POLLERR;
	if (!list_empty(&sk->rxq))
		m |= POLLIN | POLLRDNORM;
	mutex_unlock(&nl_lock);
	return m;
}

static uint64_t nl_poll_seq(struct socket *s, unsigned int events)
{
	struct nl_sock *sk = nl_sk(s);

	return ((events & POLLIN) ? sk->wseq : 0) + ((events & POLLOUT) ? sk->rseq : 0);
}

static unsigned int flag_of(int name)
{
	switch (name) {
	case NETLINK_PKTINFO:
		return NLF_PKTINFO;
	case NETLINK_BROADCAST_ERROR:
		return NLF_BROADCAST_ERROR;
	case NETLINK_NO_ENOBUFS:
		return NLF_NO_ENOBUFS;
	case NETLINK_LISTEN_ALL_NSID:
		return NLF_LISTEN_ALL_NSID;
	case NETLINK_CAP_ACK:
		return NLF_CAP_ACK;
	case NETLINK_EXT_ACK:
		return NLF_EXT_ACK;
	case NETLINK_GET_STRICT_CHK:
		return NLF_STRICT_CHK;
	default:
		return 0;
	}
}

static int membership(struct nl_sock *sk, int name, uint32_t group)
{
	int err;

	if (!group || group > NL_NGROUPS)
		return -EINVAL;
	err = name == NETLINK_ADD_MEMBERSHIP ? group_allowed(sk, group) : 0;
	if (err)
		return err;
	mutex_lock(&nl_lock);
	sk->has_groups = true;
	if (name == NETLINK_ADD_MEMBERSHIP)
		sk->groups |= 1ULL << (group - 1);
	else
		sk->groups &= ~(1ULL << (group - 1));
	mutex_unlock(&nl_lock);
	return 0;
}

static int nl_setsockopt(struct socket *s, int level, int name, uaddr_t val, uint32_t len)
{
	struct nl_sock *sk = nl_sk(s);
	unsigned int flag = flag_of(name);
	uint32_t v = 0;

	if (level != SOL_NETLINK)
		return -ENOPROTOOPT;
	if (len >= sizeof(int) && get_user_u32(&v, val))
		return -EFAULT;
	if (name == NETLINK_ADD_MEMBERSHIP || name == NETLINK_DROP_MEMBERSHIP)
		return membership(sk, name, v);
	if (!flag)
		return -ENOPROTOOPT;
	if (flag == NLF_LISTEN_ALL_NSID && !nl_capable())
		return -EPERM;
	mutex_lock(&nl_lock);
	if (v)
		sk->flags |= flag;
	else
		sk->flags &= ~flag;
	if (flag == NLF_NO_ENOBUFS && v) {
		sk->congested = false;
		nl_wake(sk);
	}
	mutex_unlock(&nl_lock);
	return 0;
}

/* NETLINK_LIST_MEMBERSHIPS: the group bitmap in u32 words, and the length it needs. */
static int list_memberships(struct nl_sock *sk, uaddr_t val, uaddr_t lenp, uint32_t len)
{
	uint32_t need = sk->has_groups ? (NL_NGROUPS + 31) / 32 * 4 : 0;

	for (uint32_t pos = 0; pos < need && pos + 4 <= len; pos += 4) {
		if (put_user_u32(val + pos, (uint32_t)(sk->groups >> (pos * 8))))
			return -EFAULT;
	}
	return put_user_u32(lenp, need) ? -EFAULT : 0;
}

static int nl_getsockopt(struct socket *s, int level, int name, uaddr_t val, uaddr_t lenp)
{
	struct nl_sock *sk = nl_sk(s);
	unsigned int flag = flag_of(name);
	uint32_t len = 0;

	if (level != SOL_NETLINK)
		return -ENOPROTOOPT;
	if (get_user_u32(&len, lenp))
		return -EFAULT;
	if ((int32_t)len < 0)
		return -EINVAL;
	if (name == NETLINK_LIST_MEMBERSHIPS)
		return list_memberships(sk, val, lenp, len);
	if (!flag)
		return -ENOPROTOOPT;
	if (len < sizeof(int))
		return -EINVAL;
	if (put_user_u32(lenp, sizeof(int)) || put_user_u32(val, (sk->flags & flag) ? 1 : 0))
		return -EFAULT;
	return 0;
}

/* Linux hands a netlink socket's SIOC* ioctls to dev_ioctl, as any socket's. */
static long nl_ioctl(struct socket *s, unsigned int cmd, uint64_t arg)
{
	(void)s;
	return netdev_ioctl(cmd, arg);
}

static void nl_release(struct socket *s)
{
	struct nl_sock *sk = nl_sk(s);

	mutex_lock(&nl_lock);
	list_del(&sk->all);
	sk->sock = NULL;
	while (!list_empty(&sk->rxq)) {
		struct nl_skb *skb = list_entry(sk->rxq.next, struct nl_skb, node);

		list_del(&skb->node);
		skb_free(skb);
	}
	nl_room_made();
	mutex_unlock(&nl_lock);
	kfree(sk);
	s->sk = NULL;
}

static const struct proto_ops nl_ops = {
	.family = AF_NETLINK,
	.bind = nl_bind,
	.connect = nl_connect,
	.sendmsg = nl_sendmsg,
	.recvmsg = nl_recvmsg,
	.getname = nl_getname,
	.setsockopt = nl_setsockopt,
	.getsockopt = nl_getsockopt,
	.poll = nl_poll,
	.poll_seq = nl_poll_seq,
	.ioctl = nl_ioctl,
	.release = nl_release,
};

/* Linux's netlink_create: the type, then the protocol (only NETLINK_ROUTE is here). */
static int nl_create(struct socket *s, int type, int protocol)
{
	struct nl_sock *sk;

	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol < 0 || protocol >= MAX_LINKS || protocol != NETLINK_ROUTE)
		return -EPROTONOSUPPORT;
	sk = kzalloc(sizeof(*sk));
	if (!sk)
		return -ENOMEM;
	sk->sock = s;
	sk->admin = nl_capable();
	list_init(&sk->rxq);
	wait_queue_init(&sk->wq);
	s->sk = sk;
	s->ops = &nl_ops;
	mutex_lock(&nl_lock);
	list_add_tail(&nl_socks, &sk->all);
	mutex_unlock(&nl_lock);
	return 0;
}

static const struct net_family nl_family = { .family = AF_NETLINK, .create = nl_create };

static int netlink_init(void)
{
	return socket_register_family(&nl_family);
}
KERNEL_INIT(netlink_init);
