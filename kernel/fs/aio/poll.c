// SPDX-License-Identifier: MPL-2.0
// IOCB_CMD_POLL: one-shot polls that were not ready at submission wait on
// one pending list.  The "aio" task rescans it at every move of the global
// poll generation (fs/poll.c: every readiness change of every file moves
// it) and completes each request whose file is ready with the ready bits,
// as Linux's aio_poll_complete_work.  io_cancel and io_destroy complete a
// pending poll with 0, as Linux does for a cancelled one.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/task.h>
#include "fs/aio/aio.h"

static struct list_node pending = { &pending, &pending };	/* under aio_lock */
static atomic_t npending;
static struct wait_queue worker_wq = WAIT_QUEUE_INIT;	/* the task waits for a first request */

static bool have_pending(void *arg)
{
	(void)arg;
	return atomic_read(&npending) > 0;
}

static bool gen_moved(void *arg)
{
	const uint64_t *gen = arg;

	return poll_generation() != *gen;
}

/* Take the ready requests off the list (each with its ready bits in events) into done. */
static void collect_ready(struct list_node *done)
{
	struct aio_req *req, *tmp;

	mutex_lock(&aio_lock);
	list_for_each_entry_safe(req, tmp, &pending, node) {
		unsigned int mask = file_mask(req->file) & req->events;

		if (!mask)
			continue;
		req->events = mask;
		list_del(&req->node);
		list_add_tail(done, &req->node);
		atomic_dec(&npending);
	}
	mutex_unlock(&aio_lock);
}

static void complete_list(struct list_node *done, bool cancelled)
{
	struct aio_req *req, *tmp;

	list_for_each_entry_safe(req, tmp, done, node) {
		list_del(&req->node);
		aio_complete(req, cancelled ? 0 : (int64_t)req->events, 0);
	}
}

static void aio_poll_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct list_node done = { &done, &done };
		uint64_t gen;

		wait_event(&worker_wq, have_pending, NULL);
		/* Read before the scan: a change during it moves the generation past gen. */
		gen = poll_generation();
		collect_ready(&done);
		complete_list(&done, false);
		if (!have_pending(NULL))
			continue;
		poll_sleep_begin();
		wait_event(&poll_wait_queue, gen_moved, &gen);
		poll_sleep_end();
	}
}

static int aio_poll_init(void)
{
	return task_create("aio", aio_poll_main, NULL) ? 0 : -ENOMEM;
}
KERNEL_INIT(aio_poll_init);

int aio_poll_queue(struct aio_req *req)
{
	mutex_lock(&aio_lock);
	list_add_tail(&pending, &req->node);
	atomic_inc(&npending);
	mutex_unlock(&aio_lock);
	wake_up_all(&worker_wq);
	/* The task may be asleep on a generation read before this request came. */
	poll_wake();
	return 0;
}

/* Move c's pending polls (only the one for obj when one) to out: how many. */
static int take_pending(struct aio_ctx *c, bool one, uint64_t obj, struct list_node *out)
{
	struct aio_req *req, *tmp;
	int n = 0;

	mutex_lock(&aio_lock);
	list_for_each_entry_safe(req, tmp, &pending, node) {
		if (req->ctx != c || (one && req->obj != obj))
			continue;
		list_del(&req->node);
		list_add_tail(out, &req->node);
		atomic_dec(&npending);
		n++;
		if (one)
			break;
	}
	mutex_unlock(&aio_lock);
	return n;
}

int aio_poll_cancel(struct aio_ctx *c, uint64_t obj)
{
	struct list_node done = { &done, &done };

	if (!take_pending(c, true, obj, &done))
		return -EINVAL;
	complete_list(&done, true);
	return 0;
}

void aio_poll_cancel_all(struct aio_ctx *c)
{
	struct list_node done = { &done, &done };

	(void)take_pending(c, false, 0, &done);
	complete_list(&done, true);
}
