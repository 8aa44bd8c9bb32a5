/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/ipc.h> and <asm-generic/ipcbuf.h>: System V IPC's
 * common flags and commands, and struct ipc64_perm, the only layout the
 * x86-64 kernel speaks (it does not strip IPC_64 from a command: a command
 * with it is unknown, EINVAL).
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_IPC_H
#define ASTER_UAPI_IPC_H

#include <aster/types.h>

#define IPC_PRIVATE	0

#define IPC_CREAT	00001000
#define IPC_EXCL	00002000
#define IPC_NOWAIT	00004000

#define IPC_RMID	0
#define IPC_SET		1
#define IPC_STAT	2
#define IPC_INFO	3

#define IPC_OLD		0
#define IPC_64		0x0100

struct ipc64_perm {
	int32_t key;
	uint32_t uid, gid, cuid, cgid;
	uint32_t mode;
	uint16_t seq;
	uint16_t pad2;
	uint64_t unused1, unused2;
};
_Static_assert(sizeof(struct ipc64_perm) == 48, "struct ipc64_perm layout");

#endif
