/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/audit.h>: the architecture word seccomp filters see
 * in struct seccomp_data (EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE).
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_AUDIT_H
#define ASTER_UAPI_AUDIT_H

#define __AUDIT_ARCH_64BIT	0x80000000
#define __AUDIT_ARCH_LE		0x40000000
#define AUDIT_ARCH_X86_64	0xc000003eU

#endif
