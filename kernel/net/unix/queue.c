// SPDX-License-Identifier: MPL-2.0
// Unix socket messages: allocation, the receive queue, and the send-buffer
// charge each message keeps on its sender until it is consumed (what
// bounds the memory one socket can pin, as Linux's sk_wmem_alloc).
#include <aster/errno.h>
#include <aster/heap.h>
#include "net/unix/unix.h"

int unix_alloc_skb(struct unix_sock *u, size_t len, struct unix_skb **out)
{
	struct unix_skb *skb = kzalloc(sizeof(*skb));

	if (!skb)
		return -ENOMEM;
	if (len) {
		skb->data = kmalloc(len);
		if (!skb->data) {
			kfree(skb);
			return -ENOBUFS;
		}
	}
	skb->len = len;
	skb->truesize = len + UNIX_SKB_OVERHEAD;
	skb->owner = u;
	unix_sock_get(u);
	list_init(&skb->node);
	*out = skb;
	return 0;
}

void unix_queue_skb(struct unix_sock *u, struct unix_skb *skb)
{
	skb->owner->wmem += skb->truesize;
	list_add_tail(&u->recvq, &skb->node);
	u->qlen++;
	u->qbytes += skb->len;
	u->wseq++;
	unix_inflight(skb, 1);
	unix_wake(u);
}

void unix_unlink_skb(struct unix_sock *u, struct unix_skb *skb)
{
	struct unix_sock *o = skb->owner;

	list_del(&skb->node);
	u->qlen--;
	u->qbytes -= skb->len;
	u->rseq++;
	unix_inflight(skb, -1);
	if (o) {
		o->wmem -= skb->truesize;
		o->rseq++;
		unix_wake(o);
	}
	unix_wake(u);
}

void unix_free_skb(struct unix_skb *skb)
{
	for (uint32_t i = 0; i < skb->nfds; i++)
		file_put(skb->fds[i]);
	kfree(skb->fds);
	kfree(skb->data);
	kfree(skb->from);
	if (skb->embryo) {
		/* A connection never accepted: the listener released it already. */
		unix_sock_put(skb->embryo);
	}
	unix_sock_put(skb->owner);
	kfree(skb);
}
