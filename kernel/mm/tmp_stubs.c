// SPDX-License-Identifier: MPL-2.0
// TEMPORARY: stand-ins for process and fs symbols until those teams land
// (removed at integration).
#include <aster/heap.h>
#include "fs/file.h"
#include "process/process.h"

struct process *current_process(void)
{
	return NULL;
}

struct file *fd_get(struct fd_table *t, int fd)
{
	(void)t;
	(void)fd;
	return NULL;
}

struct file *file_alloc(const struct file_ops *ops, unsigned int flags, void *priv)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	atomic_set(&f->refs, 1);
	f->ops = ops;
	f->flags = flags;
	f->priv = priv;
	return f;
}

void file_get(struct file *f)
{
	atomic_inc(&f->refs);
}

void file_put(struct file *f)
{
	if (!f || atomic_dec(&f->refs) != 0)
		return;
	if (f->ops && f->ops->release)
		f->ops->release(f);
	kfree(f);
}
