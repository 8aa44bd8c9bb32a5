/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/memfd.h>: memfd_create(2)'s flags.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_MEMFD_H
#define ASTER_UAPI_MEMFD_H

#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U
#define MFD_HUGETLB		0x0004U

#endif
