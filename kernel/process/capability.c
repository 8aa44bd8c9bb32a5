// SPDX-License-Identifier: MPL-2.0
// Linux capabilities (see capability.h): capable(), capget/capset, the
// capability options of prctl, and the changes execve and the setuid family
// make to the sets, each following Linux's kernel/capability.c and
// security/commoncap.c.  Credentials are per process here, so "the calling
// thread" of capset is its process.
#include <aster/errno.h>
#include <aster/uaccess.h>
#include "process/capability.h"
#include "process/internal.h"
#include "syscall/syscall.h"
#include "uapi/prctl.h"
#include "uapi/stat.h"

bool cred_capable(const struct cred *c, int cap)
{
	return cap_valid(cap) && (c->cap_effective & CAP_BIT(cap));
}

bool capable(int cap)
{
	struct process *p = current_process();

	return !p || cred_capable(&p->cred, cap);
}

void cap_init_root(struct cred *c)
{
	c->cap_inheritable = 0;
	c->cap_permitted = c->cap_effective = c->cap_bset = CAP_FULL_SET;
	c->cap_ambient = 0;
	c->securebits = 0;
}

static bool is_subset(uint64_t a, uint64_t b)
{
	return !(a & ~b);
}

/* ---- uid changes ---- */

static bool any_root(const struct cred *c)
{
	return c->uid == 0 || c->euid == 0 || c->suid == 0;
}

void cap_fix_setuid(struct cred *new, const struct cred *old)
{
	if (old->securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	/* Leaving root altogether drops the capabilities, unless kept on purpose. */
	if (any_root(old) && !any_root(new)) {
		if (!(old->securebits & SECBIT_KEEP_CAPS)) {
			new->cap_permitted = 0;
			new->cap_effective = 0;
		}
		new->cap_ambient = 0;
	}
	if (old->euid == 0 && new->euid != 0)
		new->cap_effective = 0;
	if (old->euid != 0 && new->euid == 0)
		new->cap_effective = new->cap_permitted;
}

void cap_fix_setfsuid(struct cred *new, const struct cred *old)
{
	if (old->securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	if (old->fsuid == 0 && new->fsuid != 0)
		new->cap_effective &= ~CAP_FS_SET;
	if (old->fsuid != 0 && new->fsuid == 0)
		new->cap_effective |= new->cap_permitted & CAP_FS_SET;
}

/* ---- execve ---- */

/* bprm_fill_uid: the set-id bits, unless the mount or no_new_privs forbids them. */
static void exec_setid(struct cred *new, const struct cap_exec_file *f)
{
	if (f->nosuid || f->no_new_privs)
		return;
	if (f->mode & S_ISUID)
		new->euid = f->uid;
	if ((f->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		new->egid = f->gid;
}

void cap_exec_creds(struct cred *new, const struct cred *old, const struct cap_exec_file *f,
		    bool *secure)
{
	bool effective = false, is_setid;

	*new = *old;
	exec_setid(new, f);
	/* No file capabilities: the file grants nothing of its own. */
	new->cap_permitted = 0;
	/* Root (real or effective, set-user-ID root too) gets the bounding and inheritable sets. */
	if (!(old->securebits & SECBIT_NOROOT)) {
		if (new->euid == 0 || new->uid == 0)
			new->cap_permitted = old->cap_bset | old->cap_inheritable;
		effective = new->euid == 0;
	}
	is_setid = new->euid != old->uid || new->egid != old->gid;
	/* Under an unprivileged tracer: no more than the caller had. */
	if ((is_setid || !is_subset(new->cap_permitted, old->cap_permitted)) && f->unsafe) {
		if (!cred_capable(old, CAP_SETUID)) {
			new->euid = new->uid;
			new->egid = new->gid;
		}
		new->cap_permitted &= old->cap_permitted;
	}
	new->suid = new->fsuid = new->euid;
	new->sgid = new->fsgid = new->egid;
	/* A set-id program starts without the ambient capabilities of its caller. */
	if (is_setid)
		new->cap_ambient = 0;
	new->cap_permitted |= new->cap_ambient;
	new->cap_effective = effective ? new->cap_permitted : new->cap_ambient;
	new->securebits &= ~SECBIT_KEEP_CAPS;
	/* Privilege gained by a non-root real user makes it a secure exec (AT_SECURE). */
	*secure = is_setid || (new->uid != 0 && effective);
}

/* ---- capget / capset ---- */

/* The header's version: the number of 32-bit slices, or -EINVAL after writing back ours. */
static long cap_validate_magic(uaddr_t header, unsigned int *slices)
{
	uint32_t version;

	if (get_user_u32(&version, header))
		return -EFAULT;
	switch (version) {
	case _LINUX_CAPABILITY_VERSION_1:
		*slices = _LINUX_CAPABILITY_U32S_1;
		return 0;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		*slices = _LINUX_CAPABILITY_U32S_3;
		return 0;
	default:
		if (put_user_u32(header, _LINUX_CAPABILITY_VERSION_3))
			return -EFAULT;
		return -EINVAL;
	}
}

static long header_pid(uaddr_t header, int32_t *pid)
{
	uint32_t v;

	if (get_user_u32(&v, header + offsetof(struct linux_cap_header, pid)))
		return -EFAULT;
	*pid = (int32_t)v;
	return 0;
}

/* The sets of thread pid (0: the caller): 0 or -ESRCH. */
static long target_sets(int32_t pid, struct cred *out)
{
	struct thread *t;

	if (pid == 0 || pid == current_thread()->tid) {
		*out = current_process()->cred;
		return 0;
	}
	t = thread_find(pid);
	if (!t)
		return -ESRCH;
	*out = t->proc->cred;
	process_put(t->proc);
	return 0;
}

long sys_capget(uaddr_t header, uaddr_t data)
{
	struct linux_cap_data kd[_LINUX_CAPABILITY_U32S_3];
	unsigned int slices;
	struct cred c;
	int32_t pid;
	long err = cap_validate_magic(header, &slices);

	/* A NULL data pointer asks only for the preferred version. */
	if (!data)
		return err == -EINVAL ? 0 : err;
	if (err)
		return err;
	if (header_pid(header, &pid))
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	err = target_sets(pid, &c);
	if (err)
		return err;
	for (unsigned int i = 0; i < slices; i++) {
		kd[i].effective = (uint32_t)(c.cap_effective >> (32 * i));
		kd[i].permitted = (uint32_t)(c.cap_permitted >> (32 * i));
		kd[i].inheritable = (uint32_t)(c.cap_inheritable >> (32 * i));
	}
	return copy_to_user(data, kd, slices * sizeof(kd[0])) ? -EFAULT : 0;
}

/* Linux's cap_capset: the rules a new (effective, permitted, inheritable) must follow. */
static long cap_capset_check(const struct cred *old, uint64_t e, uint64_t p, uint64_t i)
{
	if (!cred_capable(old, CAP_SETPCAP) && !is_subset(i, old->cap_inheritable | old->cap_permitted))
		return -EPERM;
	if (!is_subset(i, old->cap_inheritable | old->cap_bset))
		return -EPERM;
	if (!is_subset(p, old->cap_permitted))
		return -EPERM;
	if (!is_subset(e, p))
		return -EPERM;
	return 0;
}

long sys_capset(uaddr_t header, uaddr_t data)
{
	struct linux_cap_data kd[_LINUX_CAPABILITY_U32S_3];
	struct cred *c = &current_process()->cred;
	uint64_t e = 0, p = 0, i = 0;
	unsigned int slices;
	int32_t pid;
	long err = cap_validate_magic(header, &slices);

	if (err)
		return err;
	if (header_pid(header, &pid))
		return -EFAULT;
	if (pid != 0 && pid != current_thread()->tid)
		return -EPERM;
	if (copy_from_user(kd, data, slices * sizeof(kd[0])))
		return -EFAULT;
	for (unsigned int n = 0; n < slices; n++) {
		e |= (uint64_t)kd[n].effective << (32 * n);
		p |= (uint64_t)kd[n].permitted << (32 * n);
		i |= (uint64_t)kd[n].inheritable << (32 * n);
	}
	/* Bits past CAP_LAST_CAP are ignored, as Linux masks them. */
	e &= CAP_FULL_SET;
	p &= CAP_FULL_SET;
	i &= CAP_FULL_SET;
	err = cap_capset_check(c, e, p, i);
	if (err)
		return err;
	c->cap_effective = e;
	c->cap_permitted = p;
	c->cap_inheritable = i;
	/* Ambient stays within permitted and inheritable. */
	c->cap_ambient &= p & i;
	return 0;
}

/* ---- prctl ---- */

static long prctl_bset_drop(struct cred *c, unsigned long cap)
{
	if (!cred_capable(c, CAP_SETPCAP))
		return -EPERM;
	if (cap > CAP_LAST_CAP)
		return -EINVAL;
	c->cap_bset &= ~CAP_BIT(cap);
	return 0;
}

static long prctl_set_securebits(struct cred *c, unsigned long bits)
{
	uint32_t old = c->securebits;

	/* A locked bit may not change, a lock may not be released, unknown bits are refused. */
	if ((((old & SECURE_ALL_LOCKS) >> 1) & (old ^ bits)) || (old & SECURE_ALL_LOCKS & ~bits) ||
	    (bits & ~(unsigned long)(SECURE_ALL_LOCKS | SECURE_ALL_BITS)) || !cred_capable(c, CAP_SETPCAP))
		return -EPERM;
	c->securebits = (uint32_t)bits;
	return 0;
}

static long prctl_set_keepcaps(struct cred *c, unsigned long on)
{
	if (on > 1)
		return -EINVAL;
	if (c->securebits & SECBIT_KEEP_CAPS_LOCKED)
		return -EPERM;
	if (on)
		c->securebits |= SECBIT_KEEP_CAPS;
	else
		c->securebits &= ~SECBIT_KEEP_CAPS;
	return 0;
}

static long prctl_ambient(struct cred *c, unsigned long op, unsigned long cap, unsigned long a4,
			  unsigned long a5)
{
	if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap || a4 || a5)
			return -EINVAL;
		c->cap_ambient = 0;
		return 0;
	}
	if (cap > CAP_LAST_CAP || a4 || a5)
		return -EINVAL;
	switch (op) {
	case PR_CAP_AMBIENT_IS_SET:
		return !!(c->cap_ambient & CAP_BIT(cap));
	case PR_CAP_AMBIENT_RAISE:
		if (!(c->cap_permitted & CAP_BIT(cap)) || !(c->cap_inheritable & CAP_BIT(cap)) ||
		    (c->securebits & SECBIT_NO_CAP_AMBIENT_RAISE))
			return -EPERM;
		c->cap_ambient |= CAP_BIT(cap);
		return 0;
	case PR_CAP_AMBIENT_LOWER:
		c->cap_ambient &= ~CAP_BIT(cap);
		return 0;
	default:
		return -EINVAL;
	}
}

long cap_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4,
	       unsigned long arg5)
{
	struct cred *c = &current_process()->cred;

	switch (option) {
	case PR_CAPBSET_READ:
		if (arg2 > CAP_LAST_CAP)
			return -EINVAL;
		return !!(c->cap_bset & CAP_BIT(arg2));
	case PR_CAPBSET_DROP:
		return prctl_bset_drop(c, arg2);
	case PR_GET_SECUREBITS:
		return c->securebits;
	case PR_SET_SECUREBITS:
		return prctl_set_securebits(c, arg2);
	case PR_GET_KEEPCAPS:
		return !!(c->securebits & SECBIT_KEEP_CAPS);
	case PR_SET_KEEPCAPS:
		return prctl_set_keepcaps(c, arg2);
	case PR_CAP_AMBIENT:
		return prctl_ambient(c, arg2, arg3, arg4, arg5);
	default:
		return -EINVAL;
	}
}
