/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/msg.h> and <asm-generic/msgbuf.h> (x86-64's
 * struct msqid64_ds, glibc's struct msqid_ds), with the limits' defaults.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_MSG_H
#define ASTER_UAPI_MSG_H

#include "uapi/ipc.h"

/* msgctl commands. */
#define MSG_STAT	11
#define MSG_INFO	12
#define MSG_STAT_ANY	13

/* msgrcv flags. */
#define MSG_NOERROR	010000
#define MSG_EXCEPT	020000
#define MSG_COPY	040000

#define MSGMNI		32000
#define MSGMAX		8192
#define MSGMNB		16384
#define MSGPOOL		(MSGMNI * MSGMNB / 1024)
#define MSGTQL		MSGMNB
#define MSGMAP		MSGMNB
#define MSGSSZ		16
#define MSGSEG		0xffff

struct msqid64_ds {
	struct ipc64_perm msg_perm;
	int64_t msg_stime, msg_rtime, msg_ctime;
	uint64_t msg_cbytes, msg_qnum, msg_qbytes;
	int32_t msg_lspid, msg_lrpid;
	uint64_t unused4, unused5;
};
_Static_assert(sizeof(struct msqid64_ds) == 120, "struct msqid64_ds layout");

struct msginfo {
	int32_t msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
	uint16_t msgseg;
	uint16_t pad;
};
_Static_assert(sizeof(struct msginfo) == 32, "struct msginfo layout");

#endif
