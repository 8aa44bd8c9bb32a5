/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Linux native AIO (kernel/fs/aio/, doc/aio.md): what the rest of the
 * kernel needs from it.  A process's contexts die with its address space:
 * at exit and at exec (Linux's exit_aio from mmput); fork gives the child
 * none (it keeps the ring's mapping, as on Linux, but io_* calls there
 * find no context: EINVAL).
 */
#ifndef KERNEL_FS_AIO_H
#define KERNEL_FS_AIO_H

#include <aster/types.h>

struct process;

/*
 * p's address space is going away (exit, or exec after the new one is
 * in place): cancel its contexts' poll requests, wait for the requests in
 * flight, free the contexts.  The rings are not unmapped: their mappings
 * go with the old address space.  Called with no lock held.
 */
void aio_exit(struct process *p);

/* /proc/sys/fs/aio-nr and aio-max-nr (Linux's): the value, and a write of aio-max-nr. */
uint64_t aio_nr_get(void);
uint64_t aio_max_nr_get(void);
void aio_max_nr_set(uint64_t v);

#endif
