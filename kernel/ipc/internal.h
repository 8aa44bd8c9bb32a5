/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to kernel/ipc/: what System V shared memory, semaphores and
 * message queues share (util.c): the id tables, keys, permissions and the
 * limits of /proc/sys/kernel, per IPC namespace (struct ipc_namespace).
 * Every object records its namespace; the caller's is ipc_ns().
 *
 * An object's id is seq * IPCMNI + index, as on Linux: the index is its
 * slot in its kind's table, seq moves on each time allocation wraps
 * around the table, so a stale id is EINVAL rather than another object.
 * Every object of every kind is reached under ipc_lock, a mutex; a task
 * that sleeps (semop, msgsnd, msgrcv) drops it and keeps the object alive
 * by its count of users.
 */
#ifndef KERNEL_IPC_INTERNAL_H
#define KERNEL_IPC_INTERNAL_H
#include <aster/errno.h>
#include <aster/types.h>
#include <aster/wait.h>
#include "ipc/ipc.h"
#include "ns/ns.h"
#include "process/process.h"
#include "uapi/ipc.h"

#define IPCMNI		32768	/* slots per kind; ids are seq * IPCMNI + slot */
#define IPCID_SEQ_MAX	(0x7fffffff / IPCMNI)

enum ipc_kind { IPC_SHM_IDS, IPC_SEM_IDS, IPC_MSG_IDS, IPC_KINDS };

/* Linux's struct kern_ipc_perm: embedded first in each object. */
struct ipc_namespace;
struct kern_ipc_perm {
	struct ipc_namespace *ns;	/* the namespace whose table holds it */
	int32_t key;
	int id;
	uid_t uid, cuid;
	gid_t gid, cgid;
	uint32_t mode;		/* permission bits, and SHM_DEST/SHM_LOCKED for shm */
	uint32_t seq;
	bool deleted;		/* removed: sleepers see EIDRM */
	uint32_t users;		/* sleepers and attachers keeping it in memory after removal */
};

struct ipc_ids {
	struct kern_ipc_perm **slot;	/* IPCMNI entries, allocated on first use */
	int in_use;
	int last_idx;			/* the slot allocated last (-1: none yet) */
	uint32_t seq;
};

/* The limits /proc/sys/kernel shows and root may change. */
struct ipc_limits {
	uint64_t shmmax, shmall, shmmni;
	int semmsl, semmns, semopm, semmni;
	int msgmax, msgmnb, msgmni;
};

/* POSIX message queues' limits, /proc/sys/fs/mqueue (mqueue.c). */
struct mq_limits {
	int queues_max, msg_max, msgsize_max, msg_default, msgsize_default;
};

/*
 * An IPC namespace (Linux's struct ipc_namespace): its three id tables,
 * limits and usage counts, and the SEM_UNDO records of its processes.  It
 * lives while an nsproxy, an open nsfs file or an attached shm segment
 * holds it; when it goes, every object in it goes (ipc_ns_free).
 */
struct ipc_namespace {
	struct ns_common ns;
	struct ipc_ids ids[IPC_KINDS];
	struct ipc_limits limits;
	uint64_t shm_tot;		/* pages of all segments (shmall's count) */
	int used_sems;			/* semaphores of all sets (semmns's count) */
	uint64_t msg_hdrs, msg_bytes;	/* messages queued (MSG_INFO's msgtql, msgpool) */
	struct list_node sem_undo;	/* struct sem_undo of its processes */
	struct ipc_mq_fs mq_fs;		/* its POSIX message queues' file system */
};

extern struct mutex ipc_lock;
/*
 * The caller's IPC namespace (the initial one before init runs).  Stable
 * while ipc_lock is held: setns and unshare switch namespaces under it.
 */
struct ipc_namespace *ipc_ns(void);
/* The caller's namespace's limits, for checks made before taking ipc_lock. */
struct ipc_limits ipc_limits_now(void);
/* Every object of ns goes (shm.c, sem.c, msg.c); ipc_lock held. */
void shm_ns_destroy(struct ipc_namespace *ns);
void sem_ns_destroy(struct ipc_namespace *ns);
void msg_ns_destroy(struct ipc_namespace *ns);

/* What the get calls ask for: key, flags (IPC_CREAT, IPC_EXCL, mode) and a size or count. */
struct ipc_params {
	int32_t key;
	int flags;
	uint64_t size;		/* shm: bytes; sem: nsems */
};

struct ipc_ops {
	/* A new object for p: its id, or -errno.  ipc_lock is held. */
	int (*create)(const struct ipc_params *p);
	/* An existing object may be had with p (shm's size, sem's nsems): 0 or -EINVAL. */
	int (*more_checks)(struct kern_ipc_perm *perm, const struct ipc_params *p);
};

/* shmget/semget/msgget's common part (Linux's ipcget): the id or -errno; takes ipc_lock. */
int ipc_get(enum ipc_kind kind, const struct ipc_ops *ops, const struct ipc_params *p);

/*
 * Give perm a slot of kind (ENOSPC past limit objects) and fill its owner
 * from the caller and its key and mode from p: the id.  ipc_lock held.
 */
int ipc_add(enum ipc_kind kind, struct kern_ipc_perm *perm, const struct ipc_params *p, int limit);
/* Take perm out of its table (IPC_RMID); it is marked deleted. */
void ipc_remove(enum ipc_kind kind, struct kern_ipc_perm *perm);
/* The object of an id (-EINVAL when there is none), or of a slot for *_STAT. */
struct kern_ipc_perm *ipc_find_id(enum ipc_kind kind, int id);
struct kern_ipc_perm *ipc_find_slot(enum ipc_kind kind, int idx);
/* The same in namespace ns. */
struct kern_ipc_perm *ipc_ns_find_id(struct ipc_namespace *ns, enum ipc_kind kind, int id);
struct kern_ipc_perm *ipc_ns_find_slot(struct ipc_namespace *ns, enum ipc_kind kind, int idx);
/* The highest slot in use, -1 when none (the *_INFO calls' answer). */
int ipc_max_idx(enum ipc_kind kind);

/* Linux's ipcperms: may the caller have access flag (S_IRUGO...-style bits): 0 or -EACCES. */
int ipc_perms(const struct kern_ipc_perm *perm, int flag);
/* The caller owns or created perm, or is root (IPC_SET, IPC_RMID): 0 or -EPERM. */
int ipc_owner_check(const struct kern_ipc_perm *perm);
/* IPC_SET of the owner and mode (ipc64_perm from user): 0 or -EINVAL. */
int ipc_set_perm(struct kern_ipc_perm *perm, const struct ipc64_perm *in);
/* Fill an ipc64_perm for *_STAT. */
void ipc_fill_perm(const struct kern_ipc_perm *perm, struct ipc64_perm *out);

/*
 * The caller's process id (during an exit, when the thread is already
 * gone, the exiting process's: its detaches are its own) and the wall
 * clock in seconds.
 */
extern pid_t ipc_exiting_pid;
pid_t ipc_pid(void);
int64_t ipc_now(void);
/* The caller's credentials, and whether it has cap (CAP_IPC_OWNER, CAP_SYS_ADMIN...). */
const struct cred *ipc_cred(void);
bool ipc_capable(int cap);

#define S_IRUGO_IPC	0444
#define S_IWUGO_IPC	0222
#define S_IXUGO_IPC	0111
#define S_IRWXUGO_IPC	0777

/* /proc/sysvipc lines of each kind (shm.c, sem.c, msg.c); ipc_lock held. */
struct ipc_text;
void ipc_text_add(struct ipc_text *t, const char *fmt, ...) __printf(2, 3);
void shm_proc_show(struct ipc_text *t, struct kern_ipc_perm *perm);
void sem_proc_show(struct ipc_text *t, struct kern_ipc_perm *perm);
void msg_proc_show(struct ipc_text *t, struct kern_ipc_perm *perm);

#define MQ_HARD_MSGMAX		65536
#define MQ_HARD_MSGSIZEMAX	(16 * 1024 * 1024)
#define MQ_MIN_MSGMAX		1
#define MQ_MIN_MSGSIZEMAX	128
extern struct mq_limits mq_limits;
/* The exiting process's mq_notify registrations go. */
void mq_exit(pid_t pid);

/* SEM_UNDO at exit, or on leaving ns for another (sem.c); ipc_lock held. */
void sem_exit(struct ipc_namespace *ns, pid_t pid);

#endif
