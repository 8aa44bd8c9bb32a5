// SPDX-License-Identifier: MPL-2.0
// Pipe buffer sizes and their per-user accounting (pipe_account.h), as
// Linux's alloc_pipe_info, pipe_set_size and the fs.pipe-* sysctls.
#include <aster/errno.h>
#include <aster/frame.h>
#include "fs/pipe_account.h"
#include "fs/vfs.h"
#include "process/capability.h"
#include "process/process.h"
#include "process/ucount.h"

#define PIPE_SIZE	(64 * 1024)	/* Linux's default: 16 pages */
#define PIPE_MAX_SIZE	(1024 * 1024)	/* pipe-max-size's default */
#define PIPE_SIZE_CEIL	(1UL << 31)	/* round_pipe_size's limit */
#define PIPE_MIN_PAGES	2		/* Linux's PIPE_MIN_DEF_BUFFERS: over the soft limit */
#define PIPE_SOFT_PAGES	16384		/* pipe-user-pages-soft's default; hard: 0, none */

static atomic_t pipe_max_size = { PIPE_MAX_SIZE };

/* pipe-user-pages-soft and -hard (0: no limit), under pipe_limits_lock. */
static struct mutex pipe_limits_lock = MUTEX_INIT;
static uint64_t user_pages_soft = PIPE_SOFT_PAGES, user_pages_hard;

/* Linux's pipe_is_unprivileged_user. */
static bool pipe_unprivileged(void)
{
	return !capable(CAP_SYS_RESOURCE) && !capable(CAP_SYS_ADMIN);
}

static bool over_limit(uint64_t pages, uint64_t limit)
{
	return limit && pages > limit;
}

uint64_t pipe_round_size(uint64_t size)
{
	uint64_t r = PAGE_SIZE;

	if (size > PIPE_SIZE_CEIL)
		return 0;
	while (r < size)
		r <<= 1;
	return r;
}

uint32_t pipe_max_size_get(void)
{
	return (uint32_t)atomic_read(&pipe_max_size);
}

int pipe_max_size_set(uint64_t v)
{
	uint64_t r = pipe_round_size(v);

	if (!r || v > UINT32_MAX)
		return -EINVAL;
	atomic_set(&pipe_max_size, (int32_t)(uint32_t)r);
	return 0;
}

uint64_t pipe_user_pages_get(bool hard)
{
	uint64_t v;

	mutex_lock(&pipe_limits_lock);
	v = hard ? user_pages_hard : user_pages_soft;
	mutex_unlock(&pipe_limits_lock);
	return v;
}

void pipe_user_pages_set(bool hard, uint64_t v)
{
	mutex_lock(&pipe_limits_lock);
	if (hard)
		user_pages_hard = v;
	else
		user_pages_soft = v;
	mutex_unlock(&pipe_limits_lock);
}

int pipe_account_new(struct ucounts **user, size_t *size)
{
	uint64_t max = pipe_max_size_get(), pages = PIPE_SIZE / PAGE_SIZE, total;
	uid_t uid = current_process() ? current_process()->cred.uid : 0;

	if (PIPE_SIZE > max && !capable(CAP_SYS_RESOURCE))
		pages = max / PAGE_SIZE;
	*user = ucounts_get(uid);
	if (!*user)
		return -ENOMEM;
	total = ucount_add(*user, UCOUNT_PIPE_PAGES, pages);
	if (over_limit(total, pipe_user_pages_get(false)) && pipe_unprivileged()) {
		ucount_uncharge(*user, UCOUNT_PIPE_PAGES, pages - PIPE_MIN_PAGES);
		total -= pages - PIPE_MIN_PAGES;
		pages = PIPE_MIN_PAGES;
	}
	*size = pages * PAGE_SIZE;
	if (over_limit(total, pipe_user_pages_get(true)) && pipe_unprivileged()) {
		pipe_account_drop(*user, *size);
		*user = NULL;
		return -ENFILE;
	}
	return 0;
}

int pipe_account_grow(struct ucounts *user, size_t old, size_t new)
{
	uint64_t grow = new > old ? (new - old) / PAGE_SIZE : 0, total;

	if (!grow)
		return 0;
	total = ucount_add(user, UCOUNT_PIPE_PAGES, grow);
	if ((over_limit(total, pipe_user_pages_get(true)) || over_limit(total, pipe_user_pages_get(false))) &&
	    pipe_unprivileged()) {
		ucount_uncharge(user, UCOUNT_PIPE_PAGES, grow);
		return -EPERM;
	}
	return 0;
}

void pipe_account_drop(struct ucounts *user, size_t size)
{
	ucount_uncharge(user, UCOUNT_PIPE_PAGES, size / PAGE_SIZE);
}
