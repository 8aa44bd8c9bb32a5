/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to kernel/fs/aio/: Linux native AIO.  A context is a ring of
 * struct io_event behind a struct aio_ring header, in frames the context
 * owns, mapped shared into the caller as an anonymous file ("[aio]"); its
 * address is the aio_context_t.  The kernel writes events at the tail and
 * io_getevents (or user space itself, as libaio does) consumes them at the
 * head.  Reads, writes and syncs complete at submission, as Linux's do for
 * everything but O_DIRECT (a pipe read blocks io_submit there too); only
 * IOCB_CMD_POLL waits, on the pending list the "aio" task rescans at every
 * move of the poll generation.
 *
 * Locks: aio_lock (the tables of contexts, the pending polls, aio-nr)
 * before a context's lock (its ring and request count).
 */
#ifndef KERNEL_FS_AIO_AIO_H
#define KERNEL_FS_AIO_AIO_H

#include <aster/list.h>
#include <aster/refcount.h>
#include <aster/sync.h>
#include <aster/uaccess.h>
#include <aster/wait.h>
#include "fs/file.h"
#include "uapi/aio_abi.h"

extern struct mutex aio_lock;

struct aio_ctx {
	refcount_t refs;
	struct mutex lock;		/* tail, reqs, dead */
	struct file *ring;		/* the ring's frames; the mapping's file */
	uaddr_t user_id;		/* where the ring is mapped: the aio_context_t */
	size_t mmap_size;
	uint32_t id;			/* index in the process's table, ring->id */
	uint32_t nr_events;		/* the trusted copy of ring->nr */
	uint32_t max_reqs;		/* io_setup's nr_events, counted in aio-nr */
	uint32_t tail;			/* the trusted copy of ring->tail */
	uint32_t reqs;			/* submitted, not yet in the ring */
	bool dead;			/* io_destroy or exit began: no new requests */
	struct wait_queue wq;		/* io_getevents and io_destroy sleep here */
};

/* A process's contexts, by id (p->aio, under aio_lock). */
struct aio_table {
	uint32_t nr;
	struct aio_ctx **ctx;
};

/* One request between io_submit and its event. */
struct aio_req {
	struct aio_ctx *ctx;		/* a reference */
	struct file *file;		/* a reference */
	struct file *resfd;		/* IOCB_FLAG_RESFD's eventfd (a reference), or NULL */
	uint64_t obj, data;
	unsigned int events;		/* POLL: what it waits for */
	struct list_node node;		/* POLL: on the pending list */
};

/* ---- ring.c ---- */
/* A ring file of npages zeroed frames: 0 or -ENOMEM. */
int aio_ring_create(size_t npages, struct file **out);
/* Header fields (struct aio_ring) at offset off: frame accesses of page 0. */
uint32_t aio_ring_get(struct aio_ctx *c, size_t off);
void aio_ring_set(struct aio_ctx *c, size_t off, uint32_t v);
void aio_ring_write_event(struct aio_ctx *c, uint32_t slot, const struct io_event *ev);
void aio_ring_read_event(struct aio_ctx *c, uint32_t slot, struct io_event *ev);

/* ---- ctx.c ---- */
/* The context at ctx_id of the caller, with a reference, or NULL (EINVAL). */
struct aio_ctx *aio_lookup(uaddr_t ctx_id);
void aio_ctx_put(struct aio_ctx *c);
/*
 * Reserve a slot for one more request (events in the ring not yet
 * consumed and requests in flight stay below nr_events): 0, -EAGAIN,
 * -EINVAL when the context is dying.
 */
int aio_reserve(struct aio_ctx *c);
/* Give back a slot reserve took, for a request that failed at submission. */
void aio_unreserve(struct aio_ctx *c);
/* Post req's event (res, res2) in the ring, signal its eventfd, free req. */
void aio_complete(struct aio_req *req, int64_t res, int64_t res2);
void aio_req_free(struct aio_req *req);

/* ---- poll.c ---- */
/* Queue a POLL request until its file is ready (req->events): 0 or -ENOMEM. */
int aio_poll_queue(struct aio_req *req);
/* io_cancel: complete the pending poll of c for iocb obj with 0: 0, or -EINVAL when none. */
int aio_poll_cancel(struct aio_ctx *c, uint64_t obj);
/* Complete every pending poll of c with 0 (io_destroy, exit). */
void aio_poll_cancel_all(struct aio_ctx *c);

#endif
