/* SPDX-License-Identifier: MPL-2.0 */
/*
 * eventfd for the kernel's own use (Linux's eventfd_ctx_fdget and
 * eventfd_signal): AIO's IOCB_FLAG_RESFD signals one at each completion.
 */
#ifndef KERNEL_FS_EVENTFD_H
#define KERNEL_FS_EVENTFD_H

#include <aster/types.h>

struct file;

bool file_is_eventfd(struct file *f);
/* Add n to the counter without blocking, saturating below 2^64 - 1 as Linux; wakes readers. */
void eventfd_signal(struct file *f, uint64_t n);

#endif
