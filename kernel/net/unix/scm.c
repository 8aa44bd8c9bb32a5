// SPDX-License-Identifier: MPL-2.0
// Control messages of Unix sockets: SCM_RIGHTS (files in flight, counted
// per socket so that the garbage collector can find cycles no descriptor
// reaches any more, as Linux's unix_gc) and SCM_CREDENTIALS (checked as
// Linux's scm_check_creds; delivered to receivers with SO_PASSCRED).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/fdtable.h"
#include "net/unix/unix.h"
#include "process/process.h"

/* Unix socket files in flight, all sockets together (unix_lock). */
static uint64_t total_inflight;
static bool gc_running;

static int attach_rights(struct unix_skb *skb, const uint8_t *data, size_t len)
{
	size_t n = len / sizeof(int32_t);
	struct file **fds;

	if (!n)
		return 0;
	if (n + skb->nfds > UNIX_SCM_MAX_FD)
		return -EINVAL;
	fds = kcalloc(skb->nfds + n, sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	for (uint32_t i = 0; i < skb->nfds; i++)
		fds[i] = skb->fds[i];
	for (size_t i = 0; i < n; i++) {
		int32_t fd;

		memcpy(&fd, data + i * sizeof(fd), sizeof(fd));
		fds[skb->nfds + i] = fget(fd);
		if (!fds[skb->nfds + i]) {
			for (size_t k = 0; k < i; k++)
				file_put(fds[skb->nfds + k]);
			kfree(fds);
			return -EBADF;
		}
	}
	kfree(skb->fds);
	skb->fds = fds;
	skb->nfds += (uint32_t)n;
	return 0;
}

static int attach_creds(struct unix_skb *skb, const uint8_t *data, size_t len)
{
	struct linux_ucred c;
	struct process *p;
	int err;

	if (len != sizeof(c))
		return -EINVAL;
	memcpy(&c, data, sizeof(c));
	err = sock_check_cred(&c);
	if (err)
		return err;
	p = process_find(c.pid);
	if (!p)
		return -ESRCH;
	process_put(p);
	/* Kept as the kernel's number: the receiver sees it in its own pid namespace. */
	c.pid = pid_from_vnr(c.pid);
	skb->cred = c;
	return 0;
}

static void drop_fds(struct unix_skb *skb)
{
	for (uint32_t i = 0; i < skb->nfds; i++)
		file_put(skb->fds[i]);
	kfree(skb->fds);
	skb->fds = NULL;
	skb->nfds = 0;
}

int unix_scm_attach(struct socket *s, struct sock_msg *m, struct unix_skb *skb)
{
	size_t off = 0;
	int err = 0;

	(void)s;
	sock_current_cred(&skb->cred);
	while (!err && m->controllen >= sizeof(struct linux_cmsghdr) &&
	       off <= m->controllen - sizeof(struct linux_cmsghdr)) {
		struct linux_cmsghdr h;

		memcpy(&h, m->control + off, sizeof(h));
		if (h.cmsg_len < sizeof(h) || h.cmsg_len > m->controllen - off) {
			err = -EINVAL;
			break;
		}
		if (h.cmsg_level == SOL_SOCKET) {
			const uint8_t *data = m->control + off + sizeof(h);
			size_t len = (size_t)h.cmsg_len - sizeof(h);

			if (h.cmsg_type == SCM_RIGHTS)
				err = attach_rights(skb, data, len);
			else if (h.cmsg_type == SCM_CREDENTIALS)
				err = attach_creds(skb, data, len);
			else
				err = -EINVAL;
		}
		off += LINUX_CMSG_ALIGN((size_t)h.cmsg_len);
	}
	if (err)
		drop_fds(skb);
	return err;
}

void unix_inflight(struct unix_skb *skb, int delta)
{
	for (uint32_t i = 0; i < skb->nfds; i++) {
		struct socket *s = file_socket(skb->fds[i]);
		struct unix_sock *u;

		if (!s || s->family != AF_UNIX || !s->sk)
			continue;
		u = s->sk;
		u->inflight += (uint32_t)delta;
		total_inflight += (uint64_t)(int64_t)delta;
	}
}

uint32_t unix_scm_take(struct unix_skb *skb, bool peek, struct file ***out)
{
	uint32_t n = skb->nfds;
	struct file **fds;

	*out = NULL;
	if (!n)
		return 0;
	if (!peek) {
		unix_inflight(skb, -1);
		*out = skb->fds;
		skb->fds = NULL;
		skb->nfds = 0;
		return n;
	}
	fds = kcalloc(n, sizeof(*fds));
	if (!fds)
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		fds[i] = skb->fds[i];
		file_get(fds[i]);
	}
	*out = fds;
	return n;
}

/* Install the files that fit in the control buffer; close the others (MSG_CTRUNC). */
static int deliver_rights(struct sock_msg *m, struct file **fds, uint32_t nfds)
{
	size_t room = m->ucontrollen > m->control_used ? m->ucontrollen - m->control_used : 0;
	uint32_t fit = 0, done = 0;
	unsigned int fdflags = (m->flags & MSG_CMSG_CLOEXEC) ? FD_CLOEXEC : 0;
	struct fd_table *t = current_files();
	int32_t *nums = NULL;
	int err = 0;

	if (room >= sizeof(struct linux_cmsghdr))
		fit = (uint32_t)MIN((size_t)nfds, (room - sizeof(struct linux_cmsghdr)) / sizeof(int32_t));
	if (fit)
		nums = kcalloc(fit, sizeof(*nums));
	if (!nums)
		fit = 0;
	for (; done < fit && t; done++) {
		int fd = fd_install(t, fds[done], fdflags);

		if (fd < 0)
			break;
		nums[done] = fd;
	}
	if (done) {
		size_t got;

		err = sock_put_cmsg(m, SOL_SOCKET, SCM_RIGHTS, nums, done * sizeof(int32_t), &got);
		if (err > 0)
			err = 0;
	}
	if (done < nfds)
		m->out_flags |= MSG_CTRUNC;
	for (uint32_t i = done; i < nfds; i++)
		file_put(fds[i]);
	kfree(nums);
	return err;
}

int unix_scm_deliver(struct socket *s, struct sock_msg *m, struct file **fds, uint32_t nfds,
		     const struct linux_ucred *cred)
{
	int err = 0;

	if (s->passcred && cred) {
		struct linux_ucred c = *cred;

		c.pid = pid_vnr(c.pid);	/* 0 when the sender is outside the receiver's pid namespace */
		err = sock_put_cmsg(m, SOL_SOCKET, SCM_CREDENTIALS, &c, sizeof(c), NULL);
		if (err > 0)
			err = 0;
	}
	if (nfds) {
		int e = deliver_rights(m, fds, nfds);

		err = err ? err : e;
	}
	return err;
}

/* ---- the garbage collector ---- */

bool unix_gc_wanted(void)
{
	return total_inflight > 0;
}

/* fn on every Unix socket in flight in u's queue (and its unaccepted connections'). */
static void scan_queue(struct list_node *q, void (*fn)(struct unix_sock *v))
{
	struct unix_skb *skb;

	list_for_each_entry(skb, q, node) {
		for (uint32_t i = 0; i < skb->nfds; i++) {
			struct socket *s = file_socket(skb->fds[i]);

			if (s && s->family == AF_UNIX && s->sk)
				fn(s->sk);
		}
		if (skb->embryo)
			scan_queue(&skb->embryo->recvq, fn);
	}
}

static void dec_gc_refs(struct unix_sock *v)
{
	if (v->gc_candidate)
		v->gc_refs--;
}

static void mark_live(struct unix_sock *v)
{
	if (v->gc_candidate && v->gc_refs <= 0)
		v->gc_refs = 1;
}

/* Move every message of u (and of its unaccepted connections) to garbage (lock held). */
static void purge_queue(struct unix_sock *u, struct list_node *garbage)
{
	struct unix_skb *skb, *tmp;

	list_for_each_entry_safe(skb, tmp, &u->recvq, node) {
		if (skb->embryo)
			purge_queue(skb->embryo, garbage);
		unix_unlink_skb(u, skb);
		list_add_tail(garbage, &skb->node);
	}
}

void unix_gc(void)
{
	struct unix_skb *skb, *tmp;
	struct list_node garbage;
	struct unix_sock *u;
	bool changed;

	list_init(&garbage);
	mutex_lock(&unix_lock);
	if (gc_running || !total_inflight) {
		mutex_unlock(&unix_lock);
		return;
	}
	gc_running = true;
	/* Candidates: sockets whose every file reference is in flight. */
	list_for_each_entry(u, &unix_sockets, all) {
		struct file *f = u->sock ? u->sock->file : NULL;

		u->gc_candidate = f && u->inflight &&
				  refcount_read(&f->refs) == (int32_t)u->inflight;
		u->gc_refs = (int32_t)u->inflight;
	}
	/* References from candidates' queues do not keep a candidate alive. */
	list_for_each_entry(u, &unix_sockets, all)
		if (u->gc_candidate)
			scan_queue(&u->recvq, dec_gc_refs);
	/* A candidate still referenced from elsewhere is live, and so is what it holds. */
	do {
		changed = false;
		list_for_each_entry(u, &unix_sockets, all) {
			if (!u->gc_candidate || u->gc_refs <= 0)
				continue;
			u->gc_candidate = false;
			scan_queue(&u->recvq, mark_live);
			changed = true;
		}
	} while (changed);
	list_for_each_entry(u, &unix_sockets, all)
		if (u->gc_candidate) {
			u->gc_candidate = false;
			purge_queue(u, &garbage);
		}
	mutex_unlock(&unix_lock);
	/* Putting the files releases the sockets of the cycle (their gc calls return at once). */
	list_for_each_entry_safe(skb, tmp, &garbage, node) {
		list_del(&skb->node);
		unix_free_skb(skb);
	}
	mutex_lock(&unix_lock);
	gc_running = false;
	mutex_unlock(&unix_lock);
}
