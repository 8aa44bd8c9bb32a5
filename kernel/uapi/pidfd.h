/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/pidfd.h>: pidfd_open's flags.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_PIDFD_H
#define ASTER_UAPI_PIDFD_H

#define PIDFD_NONBLOCK	04000	/* O_NONBLOCK */

#endif
