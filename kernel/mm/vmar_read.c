// SPDX-License-Identifier: MPL-2.0
// Reading another address space's memory (for /proc/<pid>/cmdline and
// environ): page by page through the frames that are mapped there now.
// Pages that were never touched are not faulted in; the read stops there.
#include <aster/errno.h>
#include <aster/frame.h>
#include "mm/vmar.h"

long vmar_read(struct vmar *v, uaddr_t addr, void *buf, size_t len)
{
	uint8_t *out = buf;
	size_t done = 0;

	while (done < len) {
		uaddr_t a = addr + done;
		size_t off = a % PAGE_SIZE, n = MIN(len - done, PAGE_SIZE - off);
		unsigned int prot;
		struct frame *f;
		int err;

		if (!user_addr_ok(a) || vm_query(vmar_space(v), a - off, &f, &prot))
			break;
		err = frame_read(f, off, out + done, n);
		frame_put(f);
		if (err)
			break;
		done += n;
	}
	return done ? (long)done : -EFAULT;
}
