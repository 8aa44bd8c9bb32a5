/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/binfmts.h>: execve's argument limits and the #! line buffer.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_BINFMTS_H
#define ASTER_UAPI_BINFMTS_H

/* Linux writes PAGE_SIZE * 32; x86-64's page is 4096 bytes. */
#define MAX_ARG_STRLEN	(4096 * 32)
#define MAX_ARG_STRINGS	0x7FFFFFFF
#define BINPRM_BUF_SIZE	256

#endif
