/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to kernel/net/unix/: Unix domain sockets (doc/net.md).
 *
 * Locking: one mutex, unix_lock, guards every Unix socket's state (peer,
 * queues, names, counters) and the in-flight accounting of the garbage
 * collector.  Copies to and from user memory happen under it (a mutex, so
 * a fault may sleep); sleeping waits drop it.  Files are never put under
 * it (a last file_put releases a socket, which takes it): what must be
 * put is collected and put after unlocking.
 *
 * Lifetime: a unix_sock is counted (refs) by its socket, by its peer, by
 * the messages it sent that still hold its send-buffer charge, and by
 * whoever waits on it.  Data travels in unix_skb messages on the
 * receiver's queue; each charges its size to its sender's send buffer
 * (SO_SNDBUF), which bounds what one socket can pin in the kernel.
 */
#ifndef KERNEL_NET_UNIX_UNIX_H
#define KERNEL_NET_UNIX_UNIX_H
#include <aster/list.h>
#include <aster/refcount.h>
#include <aster/wait.h>
#include "net/socket.h"

/* Linux's SCM_MAX_FD: descriptors in one SCM_RIGHTS message. */
#define UNIX_SCM_MAX_FD		253
/* net.unix.max_dgram_qlen: datagrams queued on a receiver beyond its peer's. */
#define UNIX_MAX_DGRAM_QLEN	10
/* What a message costs its sender beyond its bytes (Linux's skb overhead, roughly). */
#define UNIX_SKB_OVERHEAD	512

/* sk_shutdown bits. */
#define RCV_SHUTDOWN		1
#define SEND_SHUTDOWN		2
#define SHUTDOWN_MASK		3

enum unix_state { UNIX_UNCONNECTED, UNIX_LISTEN, UNIX_CONNECTED };

struct unix_skb {
	struct list_node node;
	uint8_t *data;
	size_t len, off;		/* unread bytes are [off, len) */
	size_t truesize;		/* charged to owner->wmem */
	struct unix_sock *owner;	/* the sender (a reference) */
	struct file **fds;		/* SCM_RIGHTS: nfds references */
	uint32_t nfds;
	struct linux_ucred cred;	/* the sender's, or what it sent as SCM_CREDENTIALS */
	struct sock_addr *from;		/* datagrams: the sender's name, or NULL */
	struct unix_sock *embryo;	/* connection requests: the server side (a reference) */
};

struct unix_sock {
	refcount_t refs;
	struct socket *sock;		/* NULL for a connection not yet accepted, or once released */
	int type;
	enum unix_state state;
	bool dead;			/* released: no more messages or connections */
	struct unix_sock *peer;		/* a reference */
	struct sock_addr *addr;		/* the name (kmalloc'ed), NULL when unbound */
	struct dentry *path;		/* a bound pathname's node (a reference) */
	const void *key;		/* sockfs_key(path): what connect finds */
	struct list_node recvq;		/* of unix_skb: data, or connection requests when listening */
	uint32_t qlen;
	size_t qbytes;
	size_t wmem;			/* bytes charged by messages not yet consumed */
	uint32_t backlog;
	uint8_t shutdown;		/* RCV_SHUTDOWN | SEND_SHUTDOWN */
	int err;			/* pending error (ECONNRESET), positive */
	struct linux_ucred peercred;	/* SO_PEERCRED */
	bool has_peercred;
	struct wait_queue wq;		/* readers, writers, connectors, accepters */
	uint64_t rseq, wseq;		/* reads and writes, for epoll edges */
	/* The garbage collector (scm.c): times the socket's file is in flight. */
	uint32_t inflight;
	int32_t gc_refs;
	bool gc_candidate;
	struct list_node all;		/* in unix_sockets (unix_lock) */
};

extern struct mutex unix_lock;
extern struct list_node unix_sockets;

static inline struct unix_sock *unix_sk(struct socket *s)
{
	return s->sk;
}

void unix_sock_get(struct unix_sock *u);
void unix_sock_put(struct unix_sock *u);
/* Wake u's waiters and pollers (unix_lock may be held). */
void unix_wake(struct unix_sock *u);
/* Queue skb on u (lock held): counts, in-flight files, wakes. */
void unix_queue_skb(struct unix_sock *u, struct unix_skb *skb);
/* Take skb off u's queue (lock held), uncharging and waking its sender. */
void unix_unlink_skb(struct unix_sock *u, struct unix_skb *skb);
/* Free an unlinked skb: its files and references (not under unix_lock). */
void unix_free_skb(struct unix_skb *skb);
/* A new message of len bytes from u (data uninitialised), charged later by unix_queue_skb. */
int unix_alloc_skb(struct unix_sock *u, size_t len, struct unix_skb **out);
/*
 * Wait (lock dropped and retaken) until cond(arg), for a socket whose
 * sock gives the timeouts: 0, -EAGAIN (timeout), -ERESTARTSYS, -EINTR.
 */
int unix_wait(struct unix_sock *u, struct socket *s, bool send, bool (*cond)(void *), void *arg);
/* Names (name.c). */
int unix_bind(struct socket *s, const struct sock_addr *a);
int unix_getname(struct socket *s, struct sock_addr *a, bool peer);
/* A kmalloc'ed copy of an address, or NULL. */
struct sock_addr *unix_addr_dup(const uint8_t *a, uint32_t len);
/* Bind u to an autobind name (lock held): 0, -ENOMEM, -ENOSPC. */
int unix_autobind(struct unix_sock *u);
/* The socket a destination names, with a reference: 0, -ECONNREFUSED, -ENOENT, -EPROTOTYPE... */
int unix_find_other(const struct sock_addr *a, int type, struct unix_sock **out);
/* Check a destination's form (Linux's unix_validate_addr): 0 or -EINVAL. */
int unix_validate_addr(const struct sock_addr *a);
/* Send SIGPIPE to the caller unless flags has MSG_NOSIGNAL. */
void unix_sigpipe(unsigned int flags);

/* Data paths (stream.c, dgram.c). */
ssize_t unix_stream_sendmsg(struct socket *s, struct sock_msg *m);
ssize_t unix_stream_recvmsg(struct socket *s, struct sock_msg *m);
ssize_t unix_dgram_sendmsg(struct socket *s, struct sock_msg *m);
ssize_t unix_dgram_recvmsg(struct socket *s, struct sock_msg *m);
int unix_dgram_connect(struct socket *s, const struct sock_addr *a);

/* Control messages and the garbage collector (scm.c). */
/* Parse sendmsg's control data into skb (SCM_RIGHTS, SCM_CREDENTIALS): 0 or -errno. */
int unix_scm_attach(struct socket *s, struct sock_msg *m, struct unix_skb *skb);
/*
 * Deliver skb's credentials and files to the receiver m (files moved
 * out of skb unless peek): 0 or -EFAULT.  Called without unix_lock.
 */
int unix_scm_deliver(struct socket *s, struct sock_msg *m, struct file **fds, uint32_t nfds,
		     const struct linux_ucred *cred);
/* Take skb's files for delivery (lock held): peek takes extra references. */
uint32_t unix_scm_take(struct unix_skb *skb, bool peek, struct file ***out);
/* The skb's files went in (+1) or out (-1) of a queue (lock held). */
void unix_inflight(struct unix_skb *skb, int delta);
/* Collect unreachable cycles of in-flight sockets (not under unix_lock). */
void unix_gc(void);
bool unix_gc_wanted(void);

#endif
