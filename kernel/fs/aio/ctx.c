// SPDX-License-Identifier: MPL-2.0
// AIO contexts: io_setup and io_destroy, the per-process table the
// aio_context_t is looked up in (Linux's lookup_ioctx: the ring's id, read
// from user memory at the context's address, indexes the table), the
// system-wide aio-nr limit, the request slots of a ring, and completion.
#include <aster/errno.h>
#include <aster/heap.h>
#include "fs/aio.h"
#include "fs/aio/aio.h"
#include "fs/eventfd.h"
#include "mm/vmar.h"
#include "process/process.h"
#include "syscall/syscall.h"

/* Linux sizes rings by its possible CPUs (4 requests each); this kernel counts one. */
#define AIO_POSSIBLE_CPUS	1
#define AIO_MAX_NR_DEFAULT	0x10000		/* Linux's aio_max_nr */
/* Linux refuses rings of more than 256 MiB of events (EINVAL). */
#define AIO_RING_BYTES_MAX	0x10000000U

struct mutex aio_lock = MUTEX_INIT;
static uint64_t aio_nr;			/* the sum of the live contexts' max_reqs */
static uint64_t aio_max_nr = AIO_MAX_NR_DEFAULT;

uint64_t aio_nr_get(void)
{
	uint64_t v;

	mutex_lock(&aio_lock);
	v = aio_nr;
	mutex_unlock(&aio_lock);
	return v;
}

uint64_t aio_max_nr_get(void)
{
	uint64_t v;

	mutex_lock(&aio_lock);
	v = aio_max_nr;
	mutex_unlock(&aio_lock);
	return v;
}

void aio_max_nr_set(uint64_t v)
{
	mutex_lock(&aio_lock);
	aio_max_nr = v;
	mutex_unlock(&aio_lock);
}

void aio_ctx_put(struct aio_ctx *c)
{
	if (!refcount_dec_and_test(&c->refs))
		return;
	if (c->ring)
		file_put(c->ring);
	kfree(c);
}

struct aio_ctx *aio_lookup(uaddr_t ctx_id)
{
	struct process *p = current_process();
	struct aio_ctx *c = NULL;
	struct aio_table *t;
	uint32_t id;

	if (get_user_u32(&id, ctx_id + offsetof(struct aio_ring, id)))
		return NULL;
	mutex_lock(&aio_lock);
	t = p->aio;
	if (t && id < t->nr && t->ctx[id] && t->ctx[id]->user_id == ctx_id) {
		c = t->ctx[id];
		refcount_inc(&c->refs);
	}
	mutex_unlock(&aio_lock);
	return c;
}

/* Events posted and not yet consumed at the head user space may have moved. */
static uint32_t ring_unread_locked(struct aio_ctx *c)
{
	uint32_t head = aio_ring_get(c, offsetof(struct aio_ring, head)) % c->nr_events;

	return (c->tail + c->nr_events - head) % c->nr_events;
}

int aio_reserve(struct aio_ctx *c)
{
	int err = 0;

	mutex_lock(&c->lock);
	if (c->dead)
		err = -EINVAL;
	else if (ring_unread_locked(c) + c->reqs + 1 >= c->nr_events)
		err = -EAGAIN;
	else
		c->reqs++;
	mutex_unlock(&c->lock);
	return err;
}

void aio_unreserve(struct aio_ctx *c)
{
	mutex_lock(&c->lock);
	c->reqs--;
	mutex_unlock(&c->lock);
	wake_up_all(&c->wq);
}

void aio_req_free(struct aio_req *req)
{
	if (req->file)
		file_put(req->file);
	if (req->resfd)
		file_put(req->resfd);
	aio_ctx_put(req->ctx);
	kfree(req);
}

void aio_complete(struct aio_req *req, int64_t res, int64_t res2)
{
	struct aio_ctx *c = req->ctx;
	struct io_event ev = { .data = req->data, .obj = req->obj, .res = res, .res2 = res2 };

	mutex_lock(&c->lock);
	aio_ring_write_event(c, c->tail, &ev);
	c->tail = (c->tail + 1) % c->nr_events;
	/* The event is in place before user space can see the new tail. */
	aio_ring_set(c, offsetof(struct aio_ring, tail), c->tail);
	c->reqs--;
	mutex_unlock(&c->lock);
	wake_up_all(&c->wq);
	if (req->resfd)
		eventfd_signal(req->resfd, 1);
	aio_req_free(req);
}

static bool no_reqs(void *arg)
{
	struct aio_ctx *c = arg;
	bool idle;

	mutex_lock(&c->lock);
	idle = c->reqs == 0;
	mutex_unlock(&c->lock);
	return idle;
}

/*
 * Linux's kill_ioctx after the context left its table: no new requests,
 * pending polls cancelled, and wait for the rest, so the kernel no longer
 * touches the caller's buffers once io_destroy returns.
 */
static void ctx_kill(struct aio_ctx *c)
{
	mutex_lock(&c->lock);
	c->dead = true;
	mutex_unlock(&c->lock);
	wake_up_all(&c->wq);
	aio_poll_cancel_all(c);
	wait_event(&c->wq, no_reqs, c);
}

/* Take c out of p's table (aio_lock held): false when it is not there (being destroyed). */
static bool table_remove_locked(struct process *p, struct aio_ctx *c)
{
	struct aio_table *t = p->aio;

	if (!t || c->id >= t->nr || t->ctx[c->id] != c)
		return false;
	t->ctx[c->id] = NULL;
	aio_nr -= c->max_reqs;
	return true;
}

/* Put c in p's table at the first free id, growing it (aio_lock held): 0 or -ENOMEM. */
static int table_add_locked(struct process *p, struct aio_ctx *c)
{
	struct aio_table *t = p->aio;
	struct aio_ctx **grown;
	uint32_t nr;

	if (!t) {
		t = kzalloc(sizeof(*t));
		if (!t)
			return -ENOMEM;
		p->aio = t;
	}
	for (uint32_t i = 0; i < t->nr; i++) {
		if (!t->ctx[i]) {
			t->ctx[i] = c;
			c->id = i;
			return 0;
		}
	}
	nr = t->nr ? t->nr * 4 : 4;
	grown = kzalloc(nr * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->nr; i++)
		grown[i] = t->ctx[i];
	kfree(t->ctx);
	t->ctx = grown;
	c->id = t->nr;
	t->ctx[t->nr] = c;
	t->nr = nr;
	return 0;
}

static void ring_init_header(struct aio_ctx *c)
{
	aio_ring_set(c, offsetof(struct aio_ring, id), ~0U);
	aio_ring_set(c, offsetof(struct aio_ring, nr), c->nr_events);
	aio_ring_set(c, offsetof(struct aio_ring, head), 0);
	aio_ring_set(c, offsetof(struct aio_ring, tail), 0);
	aio_ring_set(c, offsetof(struct aio_ring, magic), AIO_RING_MAGIC);
	aio_ring_set(c, offsetof(struct aio_ring, compat_features), AIO_RING_COMPAT_FEATURES);
	aio_ring_set(c, offsetof(struct aio_ring, incompat_features), AIO_RING_INCOMPAT_FEATURES);
	aio_ring_set(c, offsetof(struct aio_ring, header_length), sizeof(struct aio_ring));
}

/* Linux's aio_setup_ring: nr_events + 2 events rounded up to whole pages, all used. */
static int ctx_setup_ring(struct aio_ctx *c, uint64_t nr_events, struct vmar *vm)
{
	size_t size = sizeof(struct aio_ring) + (nr_events + 2) * sizeof(struct io_event);
	size_t npages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	uaddr_t addr;
	int err = aio_ring_create(npages, &c->ring);

	if (err)
		return err;
	c->mmap_size = npages * PAGE_SIZE;
	c->nr_events = (uint32_t)((c->mmap_size - sizeof(struct aio_ring)) / sizeof(struct io_event));
	ring_init_header(c);
	if (vmar_mmap(vm, 0, c->mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->ring, 0, &addr))
		return -ENOMEM;
	/*
	 * No MADV_DONTFORK: Linux's ring is an ordinary shared mapping that a
	 * forked child keeps, but the child's table has no context for it.
	 */
	c->user_id = addr;
	return 0;
}

/* The system-wide limit, then the table: 0, -EAGAIN or -ENOMEM. */
static int ctx_register(struct process *p, struct aio_ctx *c)
{
	int err = 0;

	mutex_lock(&aio_lock);
	if (aio_nr + c->max_reqs > aio_max_nr || aio_nr + c->max_reqs < aio_nr)
		err = -EAGAIN;
	if (!err)
		err = table_add_locked(p, c);
	if (!err)
		aio_nr += c->max_reqs;
	mutex_unlock(&aio_lock);
	if (!err)
		aio_ring_set(c, offsetof(struct aio_ring, id), c->id);
	return err;
}

static struct aio_ctx *ctx_alloc(uint32_t max_reqs)
{
	struct aio_ctx *c = kzalloc(sizeof(*c));

	if (!c)
		return NULL;
	refcount_set(&c->refs, 1);
	mutex_init(&c->lock);
	wait_queue_init(&c->wq);
	c->max_reqs = max_reqs;
	return c;
}

/* io_destroy's work once c was taken out of the table (the table's reference is the caller's). */
static void ctx_destroy(struct aio_ctx *c, struct vmar *vm)
{
	ctx_kill(c);
	if (vm)
		(void)vmar_munmap(vm, c->user_id, c->mmap_size);
	aio_ctx_put(c);
}

long sys_io_setup(unsigned int nr_events, uaddr_t ctxp)
{
	struct process *p = current_process();
	uint64_t ctx, n;
	struct aio_ctx *c;
	int err;

	if (get_user_u64(&ctx, ctxp))
		return -EFAULT;
	if (ctx || !nr_events)
		return -EINVAL;
	/* Linux doubles what it was asked for (its per-CPU slot caches may hold half). */
	n = MAX((uint64_t)nr_events, AIO_POSSIBLE_CPUS * 4ULL) * 2;
	if (n > AIO_RING_BYTES_MAX / sizeof(struct io_event))
		return -EINVAL;
	if (nr_events > aio_max_nr_get())
		return -EAGAIN;
	c = ctx_alloc(nr_events);
	if (!c)
		return -ENOMEM;
	err = ctx_setup_ring(c, n, p->vmar);
	if (!err)
		err = ctx_register(p, c);
	if (err) {
		if (c->user_id)
			(void)vmar_munmap(p->vmar, c->user_id, c->mmap_size);
		aio_ctx_put(c);
		return err;
	}
	if (put_user_u64(ctxp, c->user_id)) {
		mutex_lock(&aio_lock);
		(void)table_remove_locked(p, c);
		mutex_unlock(&aio_lock);
		ctx_destroy(c, p->vmar);
		return -EFAULT;
	}
	return 0;
}

long sys_io_destroy(unsigned long ctx)
{
	struct process *p = current_process();
	struct aio_ctx *c = aio_lookup(ctx);
	bool removed;

	if (!c)
		return -EINVAL;
	mutex_lock(&aio_lock);
	removed = table_remove_locked(p, c);
	mutex_unlock(&aio_lock);
	if (!removed) {
		/* Another thread's io_destroy got there first. */
		aio_ctx_put(c);
		return -EINVAL;
	}
	ctx_destroy(c, p->vmar);
	aio_ctx_put(c);
	return 0;
}

void aio_exit(struct process *p)
{
	struct aio_table *t;

	mutex_lock(&aio_lock);
	t = p->aio;
	p->aio = NULL;
	for (uint32_t i = 0; t && i < t->nr; i++)
		if (t->ctx[i])
			aio_nr -= t->ctx[i]->max_reqs;
	mutex_unlock(&aio_lock);
	if (!t)
		return;
	for (uint32_t i = 0; i < t->nr; i++)
		if (t->ctx[i])
			ctx_destroy(t->ctx[i], NULL);
	kfree(t->ctx);
	kfree(t);
}
