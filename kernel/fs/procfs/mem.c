// SPDX-License-Identifier: MPL-2.0
// /proc/PID/mem: the process's memory at the file offset, read and
// written as ptrace does (forced access: read-only text can be patched
// through a private copy of its page), opened only by who may attach to
// the process (Linux's PTRACE_MODE_ATTACH).  The file holds the address
// space it was opened on: after an exec of the process it still reads the
// old one, as Linux's holds the old mm.
#include <aster/errno.h>
#include <aster/heap.h>
#include "fs/procfs/internal.h"
#include "mm/vmar.h"
#include "uapi/fs.h"

#define MEM_CHUNK	4096

int proc_mem_open(struct pnode *n, struct file *f)
{
	struct process *p = proc_process(n);
	struct vmar *v;
	int err;

	if (!p)
		return -ESRCH;
	err = ptrace_may_access(p);
	v = err ? NULL : process_vmar_get(p);
	process_put(p);
	if (err)
		return -EACCES;
	if (!v)
		return -ESRCH;
	f->priv = v;
	return 0;
}

/* Read or write through a bounce buffer: bytes moved, or -EIO when none (Linux's mem_rw). */
static ssize_t mem_rw(struct file *f, struct iobuf *buf, uint64_t *pos, bool write)
{
	struct vmar *v = f->priv;
	uint8_t *k = kmalloc(MEM_CHUNK);
	size_t done = 0;
	int err = 0;

	if (!k)
		return -ENOMEM;
	while (done < buf->len) {
		size_t n = MIN(buf->len - done, (size_t)MEM_CHUNK);
		long got;

		if (write && iobuf_read(buf, done, k, n)) {
			err = -EFAULT;
			break;
		}
		got = vmar_access(v, *pos + done, k, n, write, true);
		if (got <= 0) {
			err = got == -ENOMEM ? -ENOMEM : -EIO;
			break;
		}
		if (!write && iobuf_write(buf, done, k, (size_t)got)) {
			err = -EFAULT;
			break;
		}
		done += (size_t)got;
		if ((size_t)got < n)
			break;
	}
	kfree(k);
	*pos += done;
	return done ? (ssize_t)done : err;
}

static ssize_t mem_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	return mem_rw(f, buf, pos, false);
}

static ssize_t mem_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	return mem_rw(f, buf, pos, true);
}

/* Linux's mem_lseek: SEEK_SET and SEEK_CUR to any address, SEEK_END not. */
static int64_t mem_llseek(struct file *f, int64_t off, int whence)
{
	if (whence == SEEK_SET)
		f->pos = (uint64_t)off;
	else if (whence == SEEK_CUR)
		f->pos += (uint64_t)off;
	else
		return -EINVAL;
	return (int64_t)f->pos;
}

static void mem_release(struct file *f)
{
	if (f->priv)
		vmar_put(f->priv);
	f->priv = NULL;
}

const struct file_ops proc_mem_ops = {
	.read = mem_read, .write = mem_write, .llseek = mem_llseek, .release = mem_release,
};
