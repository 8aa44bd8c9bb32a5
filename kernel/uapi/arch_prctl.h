/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <asm/prctl.h>: the x86-64 arch_prctl(2) codes.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_ARCH_PRCTL_H
#define ASTER_UAPI_ARCH_PRCTL_H

#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004

#endif
