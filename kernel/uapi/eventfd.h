/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/eventfd.h> (glibc's <sys/eventfd.h> on hosts without it): eventfd2 flags.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_EVENTFD_H
#define ASTER_UAPI_EVENTFD_H

#include "uapi/fcntl.h"

#define EFD_SEMAPHORE	1
#define EFD_CLOEXEC	O_CLOEXEC
#define EFD_NONBLOCK	O_NONBLOCK

#endif
