// SPDX-License-Identifier: MPL-2.0
// AF_PACKET sockets, as Linux's net/packet/af_packet.c: SOCK_RAW (whole
// link-layer frames) and SOCK_DGRAM (the link header built and stripped by
// the kernel), CAP_NET_RAW only; bind to a protocol and a device (0: all),
// names as struct sockaddr_ll, sending on a device, the receive queue
// (MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT, PACKET_AUXDATA), poll, the SOL_PACKET
// options and the socket filters of kernel/net/packet/bpf.c.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/file.h"
#include "net/ipv4/ipv4.h"
#include "net/packet/packet.h"
#include "process/process.h"
#include "process/signal.h"
#include "uapi/poll.h"
#include "uapi/sockios.h"
#include "process/capability.h"

#define FRAME_OVERHEAD	768
#define SLL_ADDR_OFF	12	/* offsetof(struct sockaddr_ll, sll_addr) */

static struct packet_sock *pkt_sk(struct socket *s)
{
	return s->sk;
}

static bool packet_capable(void)
{
	return capable(CAP_NET_RAW);
}

/* Start or stop receiving after a bind (packet_lock held), as Linux's packet_do_bind. */
static void packet_set_running(struct packet_sock *sk)
{
	struct net_device *dev = sk->ifindex ? netdev_by_index(sk->ifindex) : NULL;

	sk->running = sk->num && (!dev || (dev->flags & IFF_UP));
	if (sk->num && dev && !(dev->flags & IFF_UP))
		sk->sock->err = ENETDOWN;
}

static int packet_bind(struct socket *s, const struct sock_addr *a)
{
	struct packet_sock *sk = pkt_sk(s);
	struct linux_sockaddr_ll sll;

	if (a->len < sizeof(sll))
		return -EINVAL;
	memcpy(&sll, a->a, sizeof(sll));
	if (sll.sll_family != AF_PACKET)
		return -EINVAL;
	if (sll.sll_ifindex && !netdev_by_index(sll.sll_ifindex))
		return -ENODEV;
	mutex_lock(&packet_lock);
	if (sll.sll_protocol)
		sk->num = bswap16(sll.sll_protocol);
	sk->ifindex = sll.sll_ifindex;
	packet_set_running(sk);
	mutex_unlock(&packet_lock);
	return 0;
}

static int packet_getname(struct socket *s, struct sock_addr *a, bool peer)
{
	struct packet_sock *sk = pkt_sk(s);
	struct linux_sockaddr_ll sll;
	struct net_device *dev;

	if (peer)
		return -EOPNOTSUPP;
	memset(&sll, 0, sizeof(sll));
	mutex_lock(&packet_lock);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = bswap16(sk->num);
	sll.sll_ifindex = sk->ifindex;
	mutex_unlock(&packet_lock);
	dev = sll.sll_ifindex ? netdev_by_index(sll.sll_ifindex) : NULL;
	if (dev) {
		sll.sll_hatype = dev->type;
		sll.sll_halen = ETH_ALEN;
		memcpy(sll.sll_addr, dev->mac, ETH_ALEN);
	}
	memcpy(a->a, &sll, sizeof(sll));
	a->len = SLL_ADDR_OFF + sll.sll_halen;
	return 0;
}

/* ---- sending ---- */

struct send_target {
	struct net_device *dev;
	uint16_t proto;			/* host order */
	uint8_t dst[ETH_ALEN];
};

/* The device, protocol and (SOCK_DGRAM) destination of a send, as Linux's packet_snd. */
static int send_target(struct socket *s, const struct sock_msg *m, struct send_target *t)
{
	struct packet_sock *sk = pkt_sk(s);
	struct linux_sockaddr_ll sll;
	int ifindex;

	memset(t->dst, 0, sizeof(t->dst));
	if (!m->name.len) {
		mutex_lock(&packet_lock);
		ifindex = sk->ifindex;
		t->proto = sk->num;
		mutex_unlock(&packet_lock);
	} else {
		if (m->name.len < sizeof(sll))
			return -EINVAL;
		memcpy(&sll, m->name.a, sizeof(sll));
		if (m->name.len < (uint32_t)sll.sll_halen + SLL_ADDR_OFF)
			return -EINVAL;
		ifindex = sll.sll_ifindex;
		t->proto = bswap16(sll.sll_protocol);
		if (s->type == SOCK_DGRAM) {
			if (ifindex && netdev_by_index(ifindex) && m->name.len < SLL_ADDR_OFF + ETH_ALEN)
				return -EINVAL;
			memcpy(t->dst, sll.sll_addr, ETH_ALEN);
		}
	}
	t->dev = ifindex ? netdev_by_index(ifindex) : NULL;
	if (!t->dev)
		return -ENXIO;
	if (!(t->dev->flags & IFF_UP))
		return -ENETDOWN;
	return 0;
}

/*
 * Linux drops an IPv4 packet for 127/8 that comes in with no route attached
 * (ip_route_input_slow's martian destination, without route_localnet):
 * one a packet socket sent on lo is such a packet.
 */
static bool loop_martian(const uint8_t *frame, uint32_t len)
{
	return len >= ETH_HLEN + 20 && frame[ETH_HLEN + 16] == 127;
}

/* lo carries bare IPv4: show the frame to the taps, then hand on what an IPv4 host would take. */
static int loop_xmit(struct socket *s, struct net_device *dev, struct pkt *p)
{
	const uint8_t *h = pkt_data(p);
	bool ours = !(h[0] & 1) && !memcmp(h, dev->mac, ETH_ALEN);
	uint16_t proto = get_be16(h + 12);

	packet_tap_loop(dev, h, p->len, pkt_sk(s));
	if (proto != ETH_P_IP || !ours || loop_martian(h, p->len)) {
		pkt_free(p);	/* lo has no ARP; a frame for another address is dropped, as Linux's ip_rcv */
		return 0;
	}
	pkt_pull(p, ETH_HLEN);
	p->tapped = true;
	return netdev_xmit(dev, p);
}

static ssize_t packet_sendmsg(struct socket *s, struct sock_msg *m)
{
	bool dgram = s->type == SOCK_DGRAM;
	struct send_target t;
	size_t len = m->iov.total;
	struct pkt *p;
	uint8_t *h;
	int err;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	err = send_target(s, m, &t);
	if (err)
		return err;
	if (len > t.dev->mtu + (dgram ? 0 : ETH_HLEN))
		return -EMSGSIZE;
	if (!dgram && len < ETH_HLEN)
		return -EINVAL;		/* Linux's dev_validate_header */
	p = pkt_alloc(ETH_HLEN, (uint32_t)len);
	if (!p)
		return -ENOBUFS;
	if (len && sock_iov_read(&m->iov, 0, pkt_data(p), len)) {
		pkt_free(p);
		return -EFAULT;
	}
	if (dgram) {
		h = pkt_push(p, ETH_HLEN);
		memcpy(h, t.dst, ETH_ALEN);
		memcpy(h + ETH_ALEN, t.dev->mac, ETH_ALEN);
		put_be16(h + 12, t.proto);
	}
	p->origin = pkt_sk(s);
	p->dev = t.dev;
	if (t.dev->type == ARPHRD_LOOPBACK)
		err = loop_xmit(s, t.dev, p);
	else
		err = netdev_xmit(t.dev, p);
	return err ? err : (ssize_t)len;
}

/* ---- receiving ---- */

static bool data_cond(void *arg)
{
	struct packet_sock *sk = arg;

	return !list_empty(&sk->rxq) || sk->sock->err;
}

/* Wait for a frame (packet_lock held, dropped while asleep): 0, or -errno. */
static int wait_frame(struct packet_sock *sk, struct socket *s, bool nonblock)
{
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
		mutex_unlock(&packet_lock);
		err = wait_interruptible(&sk->wq, data_cond, sk, timeo);
		mutex_lock(&packet_lock);
		if (err)
			return sock_wait_error(err, timeo);
	}
}

static void put_name(struct sock_msg *m, const struct packet_frame *f)
{
	struct linux_sockaddr_ll sll;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = bswap16(f->proto);
	sll.sll_ifindex = f->ifindex;
	sll.sll_hatype = f->hatype;
	sll.sll_pkttype = f->pkttype;
	sll.sll_halen = f->halen;
	memcpy(sll.sll_addr, f->addr, sizeof(sll.sll_addr));
	memcpy(m->name.a, &sll, sizeof(sll));
	/* Linux's packet_recvmsg: the address's length, but never less than a whole sockaddr_ll. */
	m->name.len = MAX((uint32_t)(SLL_ADDR_OFF + f->halen), (uint32_t)sizeof(sll));
}

static int put_auxdata(struct sock_msg *m, const struct packet_frame *f)
{
	struct linux_tpacket_auxdata aux;

	memset(&aux, 0, sizeof(aux));
	aux.tp_status = TP_STATUS_USER;
	aux.tp_len = f->orig_len;
	aux.tp_snaplen = f->len;
	aux.tp_net = f->net_off;
	return sock_put_cmsg(m, SOL_PACKET, PACKET_AUXDATA, &aux, sizeof(aux), NULL);
}

static ssize_t packet_recvmsg(struct socket *s, struct sock_msg *m)
{
	struct packet_sock *sk = pkt_sk(s);
	struct packet_frame *f;
	size_t n;
	int err;

	/* Linux's packet_recvmsg takes no other flag (not even MSG_WAITALL). */
	if (m->flags & ~(unsigned int)(MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC | MSG_ERRQUEUE))
		return -EINVAL;
	if (m->flags & MSG_ERRQUEUE)
		return -EAGAIN;		/* no error queue: no timestamping or TX ring */
	mutex_lock(&packet_lock);
	err = wait_frame(sk, s, m->nonblock);
	if (err) {
		mutex_unlock(&packet_lock);
		return err;
	}
	f = list_entry(sk->rxq.next, struct packet_frame, node);
	n = MIN((size_t)f->len, m->iov.total);
	if (n && sock_iov_write(&m->iov, 0, f->data, n)) {
		mutex_unlock(&packet_lock);
		return -EFAULT;
	}
	if (n < f->len)
		m->out_flags |= MSG_TRUNC;
	if (m->want_name)
		put_name(m, f);
	if (sk->auxdata && put_auxdata(m, f) < 0) {
		mutex_unlock(&packet_lock);
		return -EFAULT;
	}
	if (m->flags & MSG_TRUNC)
		n = f->len;
	if (!(m->flags & MSG_PEEK)) {
		list_del(&f->node);
		sk->rmem -= f->len + FRAME_OVERHEAD;
		sk->rseq++;
		kfree(f);
	}
	mutex_unlock(&packet_lock);
	return (ssize_t)n;
}

/* ---- poll, ioctl ---- */

static unsigned int packet_poll(struct socket *s)
{
	struct packet_sock *sk = pkt_sk(s);
	unsigned int m = POLLOUT | POLLWRNORM | POLLWRBAND;

	mutex_lock(&packet_lock);
	if (s->err)
		m |= POLLERR;
	if (!list_empty(&sk->rxq))
		m |= POLLIN | POLLRDNORM;
	mutex_unlock(&packet_lock);
	return m;
}

static uint64_t packet_poll_seq(struct socket *s, unsigned int events)
{
	struct packet_sock *sk = pkt_sk(s);

	return ((events & POLLIN) ? sk->wseq : 0) + ((events & POLLOUT) ? sk->rseq : 0);
}

static long packet_ioctl(struct socket *s, unsigned int cmd, uint64_t arg)
{
	struct packet_sock *sk = pkt_sk(s);
	uint32_t n = 0;

	if (cmd != SIOCINQ && cmd != SIOCOUTQ)
		return netdev_ioctl(cmd, arg);	/* the interface ioctls, as Linux's packet_ioctl */
	mutex_lock(&packet_lock);
	if (cmd == SIOCINQ && !list_empty(&sk->rxq))
		n = list_entry(sk->rxq.next, struct packet_frame, node)->len;
	mutex_unlock(&packet_lock);
	return put_user_u32(arg, n);
}

/* ---- options ---- */

static int get_int(uaddr_t val, uint32_t len, int *v)
{
	if (len < sizeof(int))
		return -EINVAL;
	return copy_from_user(v, val, sizeof(int)) ? -EFAULT : 0;
}

static int set_filter(struct packet_sock *sk, uaddr_t val, uint32_t len)
{
	struct bpf_prog *prog, *old;
	int err;

	mutex_lock(&packet_lock);
	err = sk->filter_locked ? -EPERM : 0;
	mutex_unlock(&packet_lock);
	if (err)
		return err;
	prog = bpf_prog_from_user(val, len, &err);
	if (!prog)
		return err;
	mutex_lock(&packet_lock);
	if (sk->filter_locked) {
		mutex_unlock(&packet_lock);
		kfree(prog);
		return -EPERM;
	}
	old = sk->filter;
	sk->filter = prog;
	mutex_unlock(&packet_lock);
	kfree(old);
	return 0;
}

static int detach_filter(struct packet_sock *sk)
{
	struct bpf_prog *old;
	int err = 0;

	mutex_lock(&packet_lock);
	old = sk->filter;
	if (sk->filter_locked)
		err = -EPERM;
	else if (!old)
		err = -ENOENT;
	else
		sk->filter = NULL;
	mutex_unlock(&packet_lock);
	if (!err)
		kfree(old);
	return err;
}

/* SO_BINDTODEVICE, as Linux's sock_setbindtodevice (packet sockets keep it; bind chooses their device). */
static int bind_to_device(struct packet_sock *sk, uaddr_t val, uint32_t len)
{
	char name[IFNAMSIZ];
	struct net_device *dev;
	int index = 0;

	if ((int32_t)len < 0)
		return -EINVAL;
	len = MIN(len, (uint32_t)IFNAMSIZ - 1);
	memset(name, 0, sizeof(name));
	if (len && copy_from_user(name, val, len))
		return -EFAULT;
	if (name[0]) {
		dev = netdev_by_name(name);
		if (!dev)
			return -ENODEV;
		index = dev->index;
	}
	if (sk->bound_dev_if && !packet_capable())
		return -EPERM;
	mutex_lock(&packet_lock);
	sk->bound_dev_if = index;
	mutex_unlock(&packet_lock);
	return 0;
}

static int sol_socket_set(struct packet_sock *sk, int name, uaddr_t val, uint32_t len)
{
	int v, err;

	switch (name) {
	case SO_ATTACH_FILTER:
		return set_filter(sk, val, len);
	case SO_DETACH_FILTER:
		return detach_filter(sk);
	case SO_BINDTODEVICE:
		return bind_to_device(sk, val, len);
	case SO_LOCK_FILTER:
		err = get_int(val, len, &v);
		if (err)
			return err;
		mutex_lock(&packet_lock);
		if (sk->filter_locked && !v)
			err = -EPERM;
		else
			sk->filter_locked = v != 0;
		mutex_unlock(&packet_lock);
		return err;
	}
	return -ENOPROTOOPT;
}

static int membership(struct packet_sock *sk, int name, uaddr_t val, uint32_t len)
{
	struct linux_packet_mreq mr;
	int err;

	if (len < sizeof(mr))
		return -EINVAL;
	memset(&mr, 0, sizeof(mr));
	if (copy_from_user(&mr, val, sizeof(mr)))
		return -EFAULT;
	if (len < (uint32_t)mr.mr_alen + 8)	/* offsetof(struct packet_mreq, mr_address) */
		return -EINVAL;
	mutex_lock(&packet_lock);
	err = packet_mc_change(sk, &mr, name == PACKET_ADD_MEMBERSHIP);
	mutex_unlock(&packet_lock);
	return err;
}

static int packet_setsockopt(struct socket *s, int level, int name, uaddr_t val, uint32_t len)
{
	struct packet_sock *sk = pkt_sk(s);
	int v, err;

	if (level == SOL_SOCKET)
		return sol_socket_set(sk, name, val, len);
	if (level != SOL_PACKET)
		return -ENOPROTOOPT;
	switch (name) {
	case PACKET_ADD_MEMBERSHIP:
	case PACKET_DROP_MEMBERSHIP:
		return membership(sk, name, val, len);
	case PACKET_AUXDATA:
		err = get_int(val, len, &v);
		if (!err)
			sk->auxdata = v != 0;
		return err;
	case PACKET_IGNORE_OUTGOING:
		err = get_int(val, len, &v);
		if (!err && (v < 0 || v > 1))
			err = -EINVAL;
		if (!err)
			sk->ignore_outgoing = v != 0;
		return err;
	}
	return -ENOPROTOOPT;
}

static int put_opt(uaddr_t val, uaddr_t lenp, const void *v, uint32_t size)
{
	int32_t ilen;
	uint32_t len;

	if (copy_from_user(&ilen, lenp, sizeof(ilen)))
		return -EFAULT;
	if (ilen < 0)
		return -EINVAL;
	len = MIN((uint32_t)ilen, size);
	if (copy_to_user(val, v, len) || copy_to_user(lenp, &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

static int sol_socket_get(struct packet_sock *sk, int name, uaddr_t val, uaddr_t lenp)
{
	struct net_device *dev;
	int32_t ilen;
	uint32_t len;
	int v;

	if (name == SO_LOCK_FILTER) {
		v = sk->filter_locked;
		return put_opt(val, lenp, &v, sizeof(v));
	}
	if (name != SO_BINDTODEVICE)
		return -ENOPROTOOPT;
	if (copy_from_user(&ilen, lenp, sizeof(ilen)))
		return -EFAULT;
	dev = sk->bound_dev_if ? netdev_by_index(sk->bound_dev_if) : NULL;
	len = dev ? (uint32_t)strlen(dev->name) + 1 : 0;
	if (ilen < 0 || (dev && (uint32_t)ilen < len))
		return -EINVAL;
	if (len && copy_to_user(val, dev->name, len))
		return -EFAULT;
	return copy_to_user(lenp, &len, sizeof(len)) ? -EFAULT : 0;
}

static int packet_getsockopt(struct socket *s, int level, int name, uaddr_t val, uaddr_t lenp)
{
	struct packet_sock *sk = pkt_sk(s);
	struct linux_tpacket_stats st;
	int v;

	if (level == SOL_SOCKET)
		return sol_socket_get(sk, name, val, lenp);
	if (level != SOL_PACKET)
		return -ENOPROTOOPT;
	switch (name) {
	case PACKET_STATISTICS:
		mutex_lock(&packet_lock);
		/* Linux counts the drops among the packets, and starts both again at each read. */
		st.tp_drops = sk->stat_drops;
		st.tp_packets = sk->stat_packets + sk->stat_drops;
		sk->stat_packets = sk->stat_drops = 0;
		mutex_unlock(&packet_lock);
		return put_opt(val, lenp, &st, sizeof(st));
	case PACKET_AUXDATA:
		v = sk->auxdata;
		return put_opt(val, lenp, &v, sizeof(v));
	case PACKET_IGNORE_OUTGOING:
		v = sk->ignore_outgoing;
		return put_opt(val, lenp, &v, sizeof(v));
	}
	return -ENOPROTOOPT;
}

/* ---- creation and release ---- */

static void packet_release(struct socket *s)
{
	struct packet_sock *sk = pkt_sk(s);

	mutex_lock(&packet_lock);
	list_del(&sk->node);
	packet_mc_release(sk);
	while (!list_empty(&sk->rxq)) {
		struct packet_frame *f = list_entry(sk->rxq.next, struct packet_frame, node);

		list_del(&f->node);
		kfree(f);
	}
	mutex_unlock(&packet_lock);
	packet_count_add(-1);
	kfree(sk->filter);
	kfree(sk);
	s->sk = NULL;
}

static const struct proto_ops packet_ops = {
	.family = AF_PACKET,
	.bind = packet_bind,
	.sendmsg = packet_sendmsg,
	.recvmsg = packet_recvmsg,
	.getname = packet_getname,
	.setsockopt = packet_setsockopt,
	.getsockopt = packet_getsockopt,
	.poll = packet_poll,
	.poll_seq = packet_poll_seq,
	.ioctl = packet_ioctl,
	.release = packet_release,
};

/* Linux's packet_create: CAP_NET_RAW first, then the type; SOCK_PACKET is not provided. */
static int packet_create(struct socket *s, int type, int protocol)
{
	struct packet_sock *sk;

	if (!packet_capable())
		return -EPERM;
	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	sk = kzalloc(sizeof(*sk));
	if (!sk)
		return -ENOMEM;
	sk->sock = s;
	sk->uid = current_process() ? current_process()->cred.euid : 0;
	list_init(&sk->rxq);
	wait_queue_init(&sk->wq);
	sk->num = bswap16((uint16_t)protocol);
	sk->running = sk->num != 0;
	s->sk = sk;
	s->ops = &packet_ops;
	mutex_lock(&packet_lock);
	list_add_tail(&packet_socks, &sk->node);
	mutex_unlock(&packet_lock);
	packet_count_add(1);
	return 0;
}

static const struct net_family packet_family = { .family = AF_PACKET, .create = packet_create };

static int packet_init(void)
{
	return socket_register_family(&packet_family);
}
KERNEL_INIT(packet_init);
