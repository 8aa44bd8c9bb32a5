// SPDX-License-Identifier: MPL-2.0
// System V shared memory (Linux's ipc/shm.c and shmget(2), shmat(2),
// shmctl(2)): a segment is a shared anonymous memory object of kernel/mm
// (vmar.h); shmat maps it MAP_SHARED, so fork shares it and exit and exec
// detach it.  The object's attach hook counts the vmas that map it
// (shm_nattch, Linux's count) and records the last attach and detach; a
// segment removed with IPC_RMID while attached is marked SHM_DEST, keeps
// its id (Linux lets shmat attach it by id) and goes with its last detach.
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "ipc/internal.h"
#include "mm/vmar.h"
#include "syscall/syscall.h"
#include "uapi/mman.h"
#include "uapi/shm.h"
#include "process/capability.h"

struct shm_seg {
	struct kern_ipc_perm perm;
	struct shm *obj;
	uint64_t segsz;
	uint64_t npages;
	int64_t atime, dtime, ctime;
	pid_t cpid, lpid;
	uint64_t nattch;
};

static struct shm_seg *seg_of(struct kern_ipc_perm *p)
{
	return p ? container_of(p, struct shm_seg, perm) : NULL;
}

/* Out of the table and freed; ipc_lock held, nothing maps it. */
static void seg_destroy(struct shm_seg *s)
{
	ipc_remove(IPC_SHM_IDS, &s->perm);
	s->perm.ns->shm_tot -= s->npages;
	shm_object_put(s->obj);
	kfree(s);
}

/* Linux's shm_may_destroy: removed, and nobody attached or attaching. */
static void seg_maybe_destroy(struct shm_seg *s)
{
	if ((s->perm.mode & SHM_DEST) && !s->nattch && !s->perm.users)
		seg_destroy(s);
}

/*
 * kernel/mm's attach hook: a vma started (+1) or stopped (-1) mapping the
 * segment arg.  Attached segments hold their namespace, as Linux's
 * shm_file_data does: the first attach takes it, the last detach drops it
 * once ipc_lock is released (the namespace's end takes that lock).
 */
static void shm_hook(void *arg, int delta)
{
	struct shm_seg *s = arg;
	struct ipc_namespace *ns = s->perm.ns, *drop = NULL;

	mutex_lock(&ipc_lock);
	s->lpid = ipc_pid();
	if (delta > 0) {
		if (!s->nattch++)
			ns_get(&ns->ns);
		s->atime = ipc_now();
	} else {
		if (!--s->nattch)
			drop = ns;
		s->dtime = ipc_now();
		seg_maybe_destroy(s);
	}
	mutex_unlock(&ipc_lock);
	if (drop)
		ns_put(&drop->ns);
}

/* The namespace goes: every segment with it (none is attached: those hold it). */
void shm_ns_destroy(struct ipc_namespace *ns)
{
	for (int i = 0; ns->ids[IPC_SHM_IDS].slot && i < IPCMNI; i++) {
		struct kern_ipc_perm *perm = ns->ids[IPC_SHM_IDS].slot[i];

		if (perm) {
			perm->mode |= SHM_DEST;
			seg_maybe_destroy(seg_of(perm));
		}
	}
}

/* Linux's newseg; ipc_lock held. */
static int shm_create(const struct ipc_params *p)
{
	uint64_t npages = (p->size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	struct shm_seg *s;
	int id, err;

	if (p->size < SHMMIN || p->size > ipc_ns()->limits.shmmax)
		return -EINVAL;
	if (npages << PAGE_SHIFT < p->size)
		return -ENOSPC;
	if (ipc_ns()->shm_tot + npages < ipc_ns()->shm_tot ||
	    ipc_ns()->shm_tot + npages > ipc_ns()->limits.shmall)
		return -ENOSPC;
	/* No huge pages here: Linux's answer with none reserved. */
	if (p->flags & SHM_HUGETLB)
		return -ENOMEM;
	s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	id = ipc_add(IPC_SHM_IDS, &s->perm, p, (int)MIN(ipc_ns()->limits.shmmni, (uint64_t)IPCMNI));
	if (id < 0) {
		kfree(s);
		return id;
	}
	err = shm_object_create(npages, shm_hook, s, SHM_SYSV_COOKIE(p->key, id), &s->obj);
	if (err) {
		ipc_remove(IPC_SHM_IDS, &s->perm);
		kfree(s);
		return err;
	}
	s->segsz = p->size;
	s->npages = npages;
	s->cpid = ipc_pid();
	s->ctime = ipc_now();
	ipc_ns()->shm_tot += npages;
	return id;
}

static int shm_more_checks(struct kern_ipc_perm *perm, const struct ipc_params *p)
{
	return seg_of(perm)->segsz < p->size ? -EINVAL : 0;
}

static const struct ipc_ops shm_ops = { .create = shm_create, .more_checks = shm_more_checks };

long sys_shmget(int key, size_t size, int shmflg)
{
	struct ipc_params p = { .key = key, .flags = shmflg, .size = size };

	return ipc_get(IPC_SHM_IDS, &shm_ops, &p);
}

/* do_shmat's checks of the address: 0, or -EINVAL. */
static int shmat_addr(uaddr_t *addr, int flg, bool *fixed)
{
	if (!*addr) {
		*fixed = false;
		return (flg & SHM_REMAP) ? -EINVAL : 0;
	}
	if (*addr & (SHMLBA - 1)) {
		if (!(flg & SHM_RND))
			return -EINVAL;
		*addr &= ~(uaddr_t)(SHMLBA - 1);
		if (!*addr && (flg & SHM_REMAP))
			return -EINVAL;
	}
	*fixed = true;
	return 0;
}

long sys_shmat(int shmid, uaddr_t shmaddr, int shmflg)
{
	int prot = PROT_READ, acc = S_IRUGO_IPC, err;
	uaddr_t addr = shmaddr, out = 0;
	struct shm_seg *s;
	bool fixed;

	if (shmid < 0)
		return -EINVAL;
	err = shmat_addr(&addr, shmflg, &fixed);
	if (err)
		return err;
	if (!(shmflg & SHM_RDONLY)) {
		prot |= PROT_WRITE;
		acc |= S_IWUGO_IPC;
	}
	if (shmflg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc |= S_IXUGO_IPC;
	}
	mutex_lock(&ipc_lock);
	s = seg_of(ipc_find_id(IPC_SHM_IDS, shmid));
	err = !s ? -EINVAL : ipc_perms(&s->perm, acc);
	if (err) {
		mutex_unlock(&ipc_lock);
		return err;
	}
	/* The mapping takes ipc_lock in the hook: map unlocked, holding the segment. */
	s->perm.users++;
	mutex_unlock(&ipc_lock);
	err = vmar_shmat(current_process()->vmar, s->obj, addr, s->segsz, prot, fixed,
			 shmflg & SHM_REMAP, &out);
	mutex_lock(&ipc_lock);
	s->perm.users--;
	seg_maybe_destroy(s);
	mutex_unlock(&ipc_lock);
	return err ? err : (long)out;
}

long sys_shmdt(uaddr_t shmaddr)
{
	return vmar_shmdt(current_process()->vmar, shmaddr);
}

static void fill_ds(const struct shm_seg *s, struct shmid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&s->perm, &ds->shm_perm);
	ds->shm_segsz = s->segsz;
	ds->shm_atime = s->atime;
	ds->shm_dtime = s->dtime;
	ds->shm_ctime = s->ctime;
	/* Kept as the kernel's numbers; the caller sees its pid namespace's. */
	ds->shm_cpid = pid_vnr(s->cpid);
	ds->shm_lpid = pid_vnr(s->lpid);
	ds->shm_nattch = s->nattch;
}

static long shm_info_cmd(int cmd, uaddr_t buf)
{
	struct shminfo64 si = { 0 };
	struct shm_info st = { 0 };
	int max;

	mutex_lock(&ipc_lock);
	max = MAX(ipc_max_idx(IPC_SHM_IDS), 0);
	if (cmd == IPC_INFO) {
		si.shmmni = si.shmseg = ipc_ns()->limits.shmmni;
		si.shmmax = ipc_ns()->limits.shmmax;
		si.shmall = ipc_ns()->limits.shmall;
		si.shmmin = SHMMIN;
	} else {
		st.used_ids = ipc_ns()->ids[IPC_SHM_IDS].in_use;
		st.shm_tot = ipc_ns()->shm_tot;
		for (int i = 0; i <= max; i++) {
			struct shm_seg *s = seg_of(ipc_find_slot(IPC_SHM_IDS, i));

			if (s)
				st.shm_rss += shm_object_resident(s->obj);
		}
	}
	mutex_unlock(&ipc_lock);
	if (cmd == IPC_INFO ? copy_to_user(buf, &si, sizeof(si)) : copy_to_user(buf, &st, sizeof(st)))
		return -EFAULT;
	return max;
}

static long shm_stat_cmd(int id, int cmd, uaddr_t buf)
{
	struct shmid64_ds ds;
	struct shm_seg *s;
	long ret;

	mutex_lock(&ipc_lock);
	if (cmd == IPC_STAT)
		s = seg_of(ipc_find_id(IPC_SHM_IDS, id));
	else
		s = seg_of(ipc_find_slot(IPC_SHM_IDS, id));
	ret = !s ? -EINVAL : cmd == SHM_STAT_ANY ? 0 : ipc_perms(&s->perm, S_IRUGO_IPC);
	if (!ret) {
		fill_ds(s, &ds);
		ret = cmd == IPC_STAT ? 0 : s->perm.id;
	}
	mutex_unlock(&ipc_lock);
	if (ret >= 0 && copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return ret;
}

/* SHM_LOCK/SHM_UNLOCK: only the SHM_LOCKED mark (nothing is ever swapped out here). */
static int shm_lock_cmd(struct shm_seg *s, int cmd)
{
	if (!ipc_capable(CAP_IPC_LOCK)) {
		uid_t euid = ipc_cred()->euid;
		uint64_t limit = process_memlock_limit();

		if (euid != s->perm.uid && euid != s->perm.cuid)
			return -EPERM;
		if (cmd == SHM_LOCK && !limit)
			return -EPERM;
		if (cmd == SHM_LOCK && !(s->perm.mode & SHM_LOCKED) && s->npages * PAGE_SIZE > limit)
			return -ENOMEM;
	}
	if (cmd == SHM_LOCK)
		s->perm.mode |= SHM_LOCKED;
	else
		s->perm.mode &= ~(uint32_t)SHM_LOCKED;
	return 0;
}

/* IPC_SET, IPC_RMID (the owner's), SHM_LOCK, SHM_UNLOCK. */
static long shm_modify_cmd(int id, int cmd, const struct shmid64_ds *in)
{
	struct shm_seg *s;
	int err;

	mutex_lock(&ipc_lock);
	s = seg_of(ipc_find_id(IPC_SHM_IDS, id));
	if (!s) {
		err = -EINVAL;
	} else if (cmd == SHM_LOCK || cmd == SHM_UNLOCK) {
		err = shm_lock_cmd(s, cmd);
	} else {
		err = ipc_owner_check(&s->perm);
	}
	if (!err && cmd == IPC_SET) {
		err = ipc_set_perm(&s->perm, &in->shm_perm);
		if (!err)
			s->ctime = ipc_now();
	} else if (!err && cmd == IPC_RMID) {
		/* Attached: Linux marks it and makes its key private; it goes with the last detach. */
		s->perm.mode |= SHM_DEST;
		s->perm.key = IPC_PRIVATE;
		seg_maybe_destroy(s);
	}
	mutex_unlock(&ipc_lock);
	return err;
}

long sys_shmctl(int shmid, int cmd, uaddr_t buf)
{
	struct shmid64_ds in;

	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shm_info_cmd(cmd, buf);
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shm_stat_cmd(shmid, cmd, buf);
	case IPC_SET:
		if (copy_from_user(&in, buf, sizeof(in)))
			return -EFAULT;
		return shm_modify_cmd(shmid, cmd, &in);
	case IPC_RMID:
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shm_modify_cmd(shmid, cmd, NULL);
	default:
		return -EINVAL;
	}
}

void shm_proc_show(struct ipc_text *t, struct kern_ipc_perm *perm)
{
	struct shm_seg *s = seg_of(perm);

	ipc_text_add(t, "%10d %10d  %4o %21lu %5d %5d  %5lu %5u %5u %5u %5u %10ld %10ld %10ld %21lu %21lu\n",
		     perm->key, perm->id, perm->mode, s->segsz, pid_vnr(s->cpid), pid_vnr(s->lpid), s->nattch,
		     perm->uid, perm->gid, perm->cuid, perm->cgid, s->atime, s->dtime, s->ctime,
		     shm_object_resident(s->obj) * PAGE_SIZE, 0UL);
}
