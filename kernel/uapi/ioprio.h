/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/ioprio.h>: an I/O priority's class and data
 * (AIO's IOCB_FLAG_IOPRIO carries one in aio_reqprio).
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_IOPRIO_H
#define ASTER_UAPI_IOPRIO_H

#define IOPRIO_CLASS_SHIFT	13
#define IOPRIO_CLASS_MASK	0x07
#define IOPRIO_PRIO_MASK	((1UL << IOPRIO_CLASS_SHIFT) - 1)

/* Classes (an enum in Linux's header). */
#define IOPRIO_CLASS_NONE	0
#define IOPRIO_CLASS_RT		1
#define IOPRIO_CLASS_BE		2
#define IOPRIO_CLASS_IDLE	3

#define IOPRIO_NR_LEVELS	8
#define IOPRIO_LEVEL_MASK	(IOPRIO_NR_LEVELS - 1)	/* the level: the data's low 3 bits */

/* ioprio_set/ioprio_get's which. */
#define IOPRIO_WHO_PROCESS	1
#define IOPRIO_WHO_PGRP		2
#define IOPRIO_WHO_USER		3

#endif
