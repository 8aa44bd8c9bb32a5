// SPDX-License-Identifier: MPL-2.0
// Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): frames indexed by
// page, allocated zeroed on first touch, shared by every mapping of the
// object (across fork), freed with the last mapping.  A System V segment
// (kernel/ipc/) is the same object with an attach hook: every vma that
// starts or stops referring to it (attach, fork, split, unmap, exit) calls
// the hook, which is how shm_nattch counts as Linux's does.
#include <aster/heap.h>
#include <aster/refcount.h>
#include <aster/string.h>
#include "mm/vmar_internal.h"

struct shm {
	refcount_t refs;
	struct mutex lock;
	size_t npages;
	struct frame **pages;	/* NULL: not touched yet */
	/* System V segments only: called with +1/-1 per vma referring to it. */
	void (*hook)(void *arg, int delta);
	void *hook_arg;
	uint64_t cookie;
};

int shm_create(size_t npages, struct shm **out)
{
	struct shm *s = kzalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->pages = kcalloc(npages, sizeof(*s->pages));
	if (!s->pages) {
		kfree(s);
		return -ENOMEM;
	}
	refcount_set(&s->refs, 1);
	mutex_init(&s->lock);
	s->npages = npages;
	*out = s;
	return 0;
}

void shm_get(struct shm *s)
{
	refcount_inc(&s->refs);
}

void shm_put(struct shm *s)
{
	if (!refcount_dec_and_test(&s->refs))
		return;
	for (size_t i = 0; i < s->npages; i++)
		frame_put(s->pages[i]);
	kfree(s->pages);
	kfree(s);
}

int shm_get_page(struct shm *s, uint64_t pgoff, struct frame **out)
{
	int err = 0;

	mutex_lock(&s->lock);
	if (pgoff >= s->npages) {
		err = -ENXIO;
	} else {
		if (!s->pages[pgoff])
			s->pages[pgoff] = frame_alloc(FRAME_ZERO);
		if (!s->pages[pgoff]) {
			err = -ENOMEM;
		} else {
			frame_get(s->pages[pgoff]);
			*out = s->pages[pgoff];
		}
	}
	mutex_unlock(&s->lock);
	return err;
}

int shm_grow(struct shm *s, size_t npages)
{
	struct frame **p;
	int err = 0;

	mutex_lock(&s->lock);
	if (npages > s->npages) {
		p = krealloc(s->pages, npages * sizeof(*p));
		if (!p) {
			err = -ENOMEM;
		} else {
			memset(&p[s->npages], 0, (npages - s->npages) * sizeof(*p));
			s->pages = p;
			s->npages = npages;
		}
	}
	mutex_unlock(&s->lock);
	return err;
}

void shm_map_get(struct shm *s)
{
	shm_get(s);
	if (s->hook)
		s->hook(s->hook_arg, 1);
}

void shm_map_put(struct shm *s)
{
	if (s->hook)
		s->hook(s->hook_arg, -1);
	shm_put(s);
}

bool shm_is_sysv(const struct shm *s)
{
	return s->hook != NULL;
}

uint64_t shm_cookie(const struct shm *s)
{
	return s->cookie;
}

size_t shm_npages(const struct shm *s)
{
	return s->npages;
}

int shm_object_create(size_t npages, void (*hook)(void *arg, int delta), void *arg, uint64_t cookie,
		      struct shm **out)
{
	int err = shm_create(npages, out);

	if (err)
		return err;
	(*out)->hook = hook;
	(*out)->hook_arg = arg;
	(*out)->cookie = cookie;
	return 0;
}

void shm_object_put(struct shm *s)
{
	shm_put(s);
}

size_t shm_object_resident(struct shm *s)
{
	size_t n = 0;

	mutex_lock(&s->lock);
	for (size_t i = 0; i < s->npages; i++)
		n += s->pages[i] != NULL;
	mutex_unlock(&s->lock);
	return n;
}
