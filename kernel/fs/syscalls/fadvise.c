// SPDX-License-Identifier: MPL-2.0
// fadvise64 (posix_fadvise) as Linux's mm/fadvise.c.  Files of memory file
// systems (Linux: a no-op backing device) have only their advice checked.
// Files with a page cache over a disk (file_ops->page_cache: ext2) take it:
// WILLNEED reads the range into the cache, DONTNEED writes its dirty
// pages back and drops the clean ones nobody maps; NORMAL, RANDOM,
// SEQUENTIAL and NOREUSE only tune Linux's readahead window, which here
// adapts to the access pattern by itself, so they are accepted.
#include "fs/syscalls/sys.h"
#include "mm/page_cache.h"
#include "uapi/fadvise.h"

static bool advice_known(int advice)
{
	return advice >= POSIX_FADV_NORMAL && advice <= POSIX_FADV_NOREUSE;
}

/* The last byte of the range as Linux computes it (len 0: to the end). */
static uint64_t advice_endbyte(int64_t offset, int64_t len)
{
	uint64_t end = (uint64_t)offset + (uint64_t)len;

	if (!len || end < (uint64_t)len)
		return INT64_MAX;
	return end - 1;
}

/* Write back, then drop the whole clean pages of the range (Linux's DONTNEED). */
static void dontneed(struct page_cache *pc, uint64_t offset, uint64_t endbyte, uint64_t size)
{
	uint64_t first = (offset + PAGE_SIZE - 1) / PAGE_SIZE, last = endbyte / PAGE_SIZE;
	int err = page_cache_writeback(pc, offset / PAGE_SIZE, last);

	/* Linux's writeback here is asynchronous: its error is for the next fsync. */
	if (err) {
		mutex_lock(&pc->lock);
		if (!pc->wb_error)
			pc->wb_error = err;
		mutex_unlock(&pc->lock);
	}
	/* A partial last page stays, unless the range ends at the end of the file. */
	if (endbyte % PAGE_SIZE != PAGE_SIZE - 1 && endbyte + 1 != size) {
		if (!last)
			return;
		last--;
	}
	if (last >= first)
		page_cache_invalidate(pc, first, last);
}

static long fadvise_cached(struct file *f, struct page_cache *pc, int64_t offset, int64_t len,
			   int advice)
{
	uint64_t endbyte;

	if (len < 0 || !advice_known(advice))
		return -EINVAL;
	endbyte = advice_endbyte(offset, len);
	/* Linux starts the reads and ignores their errors. */
	if (advice == POSIX_FADV_WILLNEED)
		page_cache_readahead(pc, (uint64_t)offset / PAGE_SIZE, endbyte / PAGE_SIZE,
				     f->inode->size);
	else if (advice == POSIX_FADV_DONTNEED)
		dontneed(pc, (uint64_t)offset, endbyte, f->inode->size);
	return 0;
}

long file_willneed(struct file *f, int64_t offset, int64_t len)
{
	if (f->ops && f->ops->page_cache && S_ISREG(f->inode->mode))
		return fadvise_cached(f, f->ops->page_cache(f), offset, len, POSIX_FADV_WILLNEED);
	return 0;	/* a memory file system's file: in memory already */
}

long sys_fadvise64(int fd, int64_t offset, int64_t len, int advice)
{
	struct file *f = fget(fd);
	long r = 0;

	if (!f)
		return -EBADF;
	if (!f->inode || S_ISFIFO(f->inode->mode))
		r = -ESPIPE;
	else if (f->ops && f->ops->page_cache && S_ISREG(f->inode->mode))
		r = fadvise_cached(f, f->ops->page_cache(f), offset, len, advice);
	else if (!advice_known(advice))
		r = -EINVAL;
	file_put(f);
	return r;
}
