/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The socket layer: a struct socket behind every socket file, and the
 * table of operations each protocol family provides (doc/net.md).
 *
 * A family registers a struct net_family with socket_register_family();
 * socket() and socketpair() find it by number and call its create, which
 * fills sock->ops and sock->sk.  Everything else reaches the family
 * through sock->ops: the syscalls (kernel/net/syscalls.c) parse and check
 * user arguments (descriptors, lengths, the msghdr and its iovec) and hand
 * the family kernel-side ones (struct sock_msg).
 *
 * Error idiom: 0, a byte count, or a negative errno.
 */
#ifndef KERNEL_NET_SOCKET_H
#define KERNEL_NET_SOCKET_H
#include <aster/types.h>
#include <aster/uaccess.h>
#include "fs/file.h"
#include "uapi/socket.h"
#include "uapi/un.h"

struct socket;

/* Room for any address a family takes (Linux's sockaddr_storage). */
#define SOCKADDR_MAX	128

struct sock_addr {
	uint32_t len;			/* bytes of a used */
	uint8_t a[SOCKADDR_MAX];
};

/* A user iovec, validated and copied in (at most UIO_MAXIOV entries). */
struct sock_iov {
	struct linux_iovec *v;		/* kmalloc'ed, or inline below */
	struct linux_iovec inline_v[8];
	size_t n;
	size_t total;			/* sum of the lengths, <= INT32_MAX */
	bool user;			/* false: one kernel buffer (read/write of kernel iobufs) */
	struct iobuf kbuf;
};

/* One sendmsg/recvmsg, as the family sees it. */
struct sock_msg {
	struct sock_iov iov;
	/* sendmsg: the destination (len 0: none); recvmsg: where the family puts the source. */
	struct sock_addr name;
	bool want_name;			/* recvmsg: the caller gave msg_name */
	/* Control data: sendmsg's copied in (kmalloc'ed); recvmsg's user buffer. */
	uint8_t *control;
	size_t controllen;
	uaddr_t ucontrol;
	size_t ucontrollen;
	size_t control_used;		/* recvmsg: bytes written to ucontrol */
	unsigned int flags;		/* MSG_* of the call; recvmsg: the result's msg_flags */
	unsigned int out_flags;
	bool nonblock;
};

struct proto_ops {
	int family;
	int (*bind)(struct socket *s, const struct sock_addr *a);
	/* nonblock: the file's O_NONBLOCK. */
	int (*connect)(struct socket *s, const struct sock_addr *a, bool nonblock);
	int (*listen)(struct socket *s, int backlog);
	/* A new socket for the next connection (its file made by the caller). */
	int (*accept)(struct socket *s, struct socket *newsock, bool nonblock);
	/* Both ends of socketpair (created by the family's create). */
	int (*socketpair)(struct socket *a, struct socket *b);
	ssize_t (*sendmsg)(struct socket *s, struct sock_msg *m);
	ssize_t (*recvmsg)(struct socket *s, struct sock_msg *m);
	int (*shutdown)(struct socket *s, int how);
	int (*getname)(struct socket *s, struct sock_addr *a, bool peer);
	/* Family-specific options (level != SOL_SOCKET, or SOL_SOCKET ones the core does not know). */
	int (*setsockopt)(struct socket *s, int level, int name, uaddr_t val, uint32_t len);
	int (*getsockopt)(struct socket *s, int level, int name, uaddr_t val, uaddr_t lenp);
	/* SO_PEERCRED, SO_ACCEPTCONN, SIOCINQ... */
	int (*peercred)(struct socket *s, struct linux_ucred *out);
	unsigned int (*poll)(struct socket *s);
	uint64_t (*poll_seq)(struct socket *s, unsigned int events);
	long (*ioctl)(struct socket *s, unsigned int cmd, uint64_t arg);
	void (*release)(struct socket *s);
};

struct socket {
	int family, type, protocol;
	bool listening;			/* SO_ACCEPTCONN */
	const struct proto_ops *ops;
	void *sk;			/* the family's state */
	struct file *file;		/* borrowed: the socket lives as long as its file */
	uint64_t ino;			/* the sockfs inode number (socket:[ino]) */
	/* Generic options (SOL_SOCKET). */
	uint32_t sndbuf, rcvbuf;	/* bytes, as Linux's sk_sndbuf and sk_rcvbuf */
	uint64_t rcvtimeo_ns, sndtimeo_ns;	/* 0: none */
	bool reuseaddr, reuseport, keepalive, broadcast, passcred, dontroute, oobinline;
	struct linux_linger linger;
	int priority;
	int rcvlowat;
	int err;			/* SO_ERROR: pending asynchronous error (positive errno) */
};

struct net_family {
	int family;
	/* Make sock->sk and set sock->ops for type and protocol: 0 or -errno (-ESOCKTNOSUPPORT, -EPROTONOSUPPORT...). */
	int (*create)(struct socket *sock, int type, int protocol);
};

/* At boot (KERNEL_INIT): 0, -EINVAL (bad number), -EEXIST. */
int socket_register_family(const struct net_family *f);

/* The socket behind f, or NULL when f is no socket. */
struct socket *file_socket(struct file *f);

/* Linux's defaults (net.core.wmem_default, rmem_default) and limits. */
#define SOCK_DEFAULT_BUF	212992
#define SOCK_MAX_BUF		212992
#define SOCK_MIN_RCVBUF		2304
#define SOCK_MIN_SNDBUF		4608

/* The wait a blocking call may do: the timeout (0: none) for SO_RCVTIMEO or SO_SNDTIMEO. */
static inline uint64_t sock_timeout(const struct socket *s, bool send)
{
	return send ? s->sndtimeo_ns : s->rcvtimeo_ns;
}
/*
 * What a blocking socket wait's error becomes, as Linux's sock_intr_errno:
 * a signal restarts it (-ERESTARTSYS) unless a timeout was set (-EINTR);
 * a timeout is -EAGAIN.
 */
int sock_wait_error(int err, uint64_t timeout);

/* Copy the message into / out of the iovec at offset off: 0 or -EFAULT. */
int sock_iov_read(const struct sock_iov *iov, size_t off, void *dst, size_t n);
int sock_iov_write(const struct sock_iov *iov, size_t off, const void *src, size_t n);
/*
 * Append one control message to a recvmsg's user buffer: 0 when it fits,
 * 1 when it did not (MSG_CTRUNC set; for SCM_RIGHTS, *fit says how many
 * ints did fit), -EFAULT.
 */
int sock_put_cmsg(struct sock_msg *m, int level, int type, const void *data, size_t len,
		  size_t *fit);

/* The calling process's pid and credentials (euid, egid) as SO_PEERCRED shows them. */
void sock_current_cred(struct linux_ucred *c);
/* May the caller send c as its SCM_CREDENTIALS (Linux's scm_check_creds): 0, -EPERM. */
int sock_check_cred(const struct linux_ucred *c);
/* /proc/net/unix (kernel/net/unix): its text into buf, truncated to size: the length. */
size_t unix_proc_text(char *buf, size_t size);
/* /proc/net/{arp,dev,route,tcp,udp} (kernel/net/ipv4), the same way. */
size_t arp_proc_text(char *buf, size_t size);
size_t netdev_proc_text(char *buf, size_t size);
size_t route_proc_text(char *buf, size_t size);
size_t udp_proc_text(char *buf, size_t size);
size_t tcp_proc_text(char *buf, size_t size);
/* The interface and route ioctls (SIOCGIFINDEX, SIOCADDRT...; kernel/net/ipv4/devinet.c). */
long netdev_ioctl(unsigned int cmd, uint64_t arg);
/* /proc/net/packet (kernel/net/packet). */
size_t packet_proc_text(char *buf, size_t size);
/* net.ipv4.ping_group_range: set is 0 or -EINVAL (a bound past 2^31 - 1; lo > hi disables, as Linux). */
void ping_group_range_get(uint32_t *lo, uint32_t *hi);
int ping_group_range_set(uint64_t lo, uint64_t hi);
/* net.ipv4.ip_local_port_range (fixed). */
#define EPHEMERAL_LOW	32768
#define EPHEMERAL_HIGH	60999

#endif
