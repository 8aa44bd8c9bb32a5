/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/sem.h> and <asm/sembuf.h> (x86-64's struct
 * semid64_ds, glibc's struct semid_ds), with the limits' defaults.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_SEM_H
#define ASTER_UAPI_SEM_H

#include "uapi/ipc.h"

#define SEM_UNDO	0x1000

/* semctl commands. */
#define GETPID		11
#define GETVAL		12
#define GETALL		13
#define GETNCNT		14
#define GETZCNT		15
#define SETVAL		16
#define SETALL		17
#define SEM_STAT	18
#define SEM_INFO	19
#define SEM_STAT_ANY	20

#define SEMMNI		32000
#define SEMMSL		32000
#define SEMMNS		(SEMMNI * SEMMSL)
#define SEMOPM		500
#define SEMVMX		32767
#define SEMAEM		SEMVMX
#define SEMUME		SEMOPM
#define SEMMNU		SEMMNS
#define SEMMAP		SEMMNS
#define SEMUSZ		20

struct semid64_ds {
	struct ipc64_perm sem_perm;
	int64_t sem_otime;
	uint64_t unused1;
	int64_t sem_ctime;
	uint64_t unused2;
	uint64_t sem_nsems;
	uint64_t unused3, unused4;
};
_Static_assert(sizeof(struct semid64_ds) == 104, "struct semid64_ds layout");

struct sembuf {
	uint16_t sem_num;
	int16_t sem_op;
	int16_t sem_flg;
};
_Static_assert(sizeof(struct sembuf) == 6, "struct sembuf layout");

struct seminfo {
	int32_t semmap, semmni, semmns, semmnu, semmsl;
	int32_t semopm, semume, semusz, semvmx, semaem;
};
_Static_assert(sizeof(struct seminfo) == 40, "struct seminfo layout");

#endif
