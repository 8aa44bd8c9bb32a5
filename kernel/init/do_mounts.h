/* SPDX-License-Identifier: MPL-2.0 */
/* Mounting a disk root from root= and friends (Linux's init/do_mounts.c). */
#ifndef ASTER_KERNEL_INIT_DO_MOUNTS_H
#define ASTER_KERNEL_INIT_DO_MOUNTS_H

/*
 * Mount the device root= names on / of the kernel's context and chroot
 * there, with rootfstype=, rootflags=, ro/rw, rootwait, rootdelay= and
 * devtmpfs.mount=; on failure print Linux's report (the device, the
 * partitions there are) and panic.  Returns only with the root mounted.
 */
void prepare_namespace(void);

#endif
