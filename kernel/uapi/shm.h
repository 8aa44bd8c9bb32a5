/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/shm.h> and <asm-generic/shmbuf.h> (x86-64's
 * struct shmid64_ds, which is glibc's struct shmid_ds), with the limits'
 * defaults.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_SHM_H
#define ASTER_UAPI_SHM_H

#include "uapi/ipc.h"

#define SHMMIN		1
#define SHMMNI		4096
#define SHMMAX		(~0UL - (1UL << 24))
#define SHMALL		(~0UL - (1UL << 24))
#define SHMSEG		SHMMNI

/* shmget flags besides the permission bits and IPC_CREAT/IPC_EXCL. */
#define SHM_R		0400
#define SHM_W		0200
#define SHM_HUGETLB	04000
#define SHM_NORESERVE	010000

/* shmat flags. */
#define SHM_RDONLY	010000
#define SHM_RND		020000
#define SHM_REMAP	040000
#define SHM_EXEC	0100000

/* shmctl commands. */
#define SHM_LOCK	11
#define SHM_UNLOCK	12
#define SHM_STAT	13
#define SHM_INFO	14
#define SHM_STAT_ANY	15

/* shm_perm.mode bits the kernel sets (Linux's <linux/shm.h> inside the kernel). */
#define SHM_DEST	01000
#define SHM_LOCKED	02000

/* x86-64's SHMLBA: page alignment. */
#define SHMLBA		4096

struct shmid64_ds {
	struct ipc64_perm shm_perm;
	uint64_t shm_segsz;
	int64_t shm_atime, shm_dtime, shm_ctime;
	int32_t shm_cpid, shm_lpid;
	uint64_t shm_nattch;
	uint64_t unused4, unused5;
};
_Static_assert(sizeof(struct shmid64_ds) == 112, "struct shmid64_ds layout");

struct shminfo64 {
	uint64_t shmmax, shmmin, shmmni, shmseg, shmall;
	uint64_t unused1, unused2, unused3, unused4;
};
_Static_assert(sizeof(struct shminfo64) == 72, "struct shminfo64 layout");

struct shm_info {
	int32_t used_ids;
	uint32_t pad;
	uint64_t shm_tot, shm_rss, shm_swp;
	uint64_t swap_attempts, swap_successes;
};
_Static_assert(sizeof(struct shm_info) == 48, "struct shm_info layout");

#endif
