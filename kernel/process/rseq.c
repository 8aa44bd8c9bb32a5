// SPDX-License-Identifier: MPL-2.0
// Restartable sequences (rseq(2), Linux's kernel/rseq.c): a thread
// registers a struct rseq; the kernel keeps its cpu fields current and,
// when the thread was preempted or gets a signal while its IP lies in the
// critical section that rseq_cs describes, moves the IP to the section's
// abort handler after checking the 32-bit signature just before it.  A
// bad descriptor, a wrong signature or an area that became unwritable is
// SIGSEGV, as on Linux (an unwritable one at registration is EFAULT).  Registration survives fork, not exec; new threads start
// without one.
#include <aster/errno.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/uaccess.h>
#include <aster/vvar.h>
#include "process/internal.h"
#include "syscall/syscall.h"
#include "uapi/rseq.h"

#define RSEQ_AREA_ALIGN		32u	/* __alignof__(struct rseq) */
/* The user half, as Linux's TASK_SIZE bounds rseq's pointers. */
#define RSEQ_USER_TOP		0x00007ffffffff000ULL

_Static_assert(sizeof(struct rseq_area) == 32, "struct rseq is 32 bytes");
_Static_assert(sizeof(struct rseq_cs_desc) == 32, "struct rseq_cs is 32 bytes");

static bool area_fits(uint64_t ua, uint64_t len)
{
	return ua < RSEQ_USER_TOP && len <= RSEQ_USER_TOP - ua;
}

/* The cpu fields, as on every return to user after an event (Linux's rseq_update_cpu_id). */
static int update_cpu_id(struct thread *t)
{
	uint64_t a = t->rseq_area;
	unsigned int cpu, node;

	cpu_current_node(&cpu, &node);
	if (put_user_u32(a + offsetof(struct rseq_area, cpu_id_start), cpu) ||
	    put_user_u32(a + offsetof(struct rseq_area, cpu_id), cpu) ||
	    put_user_u32(a + offsetof(struct rseq_area, node_id), node) ||
	    put_user_u32(a + offsetof(struct rseq_area, mm_cid), 0))	/* one CPU: cid 0 */
		return -EFAULT;
	return 0;
}

/* Unregistration leaves the fields as before registration. */
static int reset_cpu_id(struct thread *t)
{
	uint64_t a = t->rseq_area;

	if (put_user_u32(a + offsetof(struct rseq_area, cpu_id_start), 0) ||
	    put_user_u32(a + offsetof(struct rseq_area, cpu_id), (uint32_t)RSEQ_CPU_ID_UNINITIALIZED) ||
	    put_user_u32(a + offsetof(struct rseq_area, node_id), 0) ||
	    put_user_u32(a + offsetof(struct rseq_area, mm_cid), 0))
		return -EFAULT;
	return 0;
}

/*
 * The current critical section's descriptor, checked as Linux's
 * rseq_get_rseq_cs: 0 with cs zeroed when rseq_cs is 0; -EINVAL for a
 * descriptor out of the user range, of another version, wrapping, with
 * its abort handler inside the section, or whose signature differs.
 */
static int get_rseq_cs(struct thread *t, struct rseq_cs_desc *cs)
{
	uint64_t ptr;
	uint32_t sig;

	memset(cs, 0, sizeof(*cs));
	if (get_user_u64(&ptr, t->rseq_area + offsetof(struct rseq_area, rseq_cs)))
		return -EFAULT;
	if (!ptr)
		return 0;
	if (ptr >= RSEQ_USER_TOP)
		return -EINVAL;
	if (copy_from_user(cs, ptr, sizeof(*cs)))
		return -EFAULT;
	if (cs->start_ip >= RSEQ_USER_TOP || cs->abort_ip >= RSEQ_USER_TOP || cs->version > 0 ||
	    cs->post_commit_offset >= RSEQ_USER_TOP - cs->start_ip)
		return -EINVAL;
	if (cs->abort_ip - cs->start_ip < cs->post_commit_offset)
		return -EINVAL;
	if (cs->abort_ip < sizeof(uint32_t) || get_user_u32(&sig, cs->abort_ip - sizeof(uint32_t)))
		return -EFAULT;
	return sig == t->rseq_sig ? 0 : -EINVAL;
}

/*
 * After an event: if the IP is in the critical section, abort it (the
 * descriptor pointer is cleared, the IP moves to abort_ip); if it is not,
 * only clear the pointer.  The flags are deprecated: any is -EINVAL.
 */
static int ip_fixup(struct thread *t)
{
	struct rseq_cs_desc cs;
	uint64_t ip = t->ctx.regs.rip;
	uint32_t flags;
	int err = get_rseq_cs(t, &cs);

	if (err)
		return err;
	if (!cs.start_ip && !cs.post_commit_offset && !cs.abort_ip)
		return 0;	/* no critical section registered */
	if (ip - cs.start_ip < cs.post_commit_offset) {
		if (cs.flags)
			return -EINVAL;
		if (get_user_u32(&flags, t->rseq_area + offsetof(struct rseq_area, flags)))
			return -EFAULT;
		if (flags)
			return -EINVAL;
		t->ctx.regs.rip = cs.abort_ip;
	}
	return put_user_u64(t->rseq_area + offsetof(struct rseq_area, rseq_cs), 0) ? -EFAULT : 0;
}

/* The work of an event; SIGSEGV when the area or the descriptor is bad. */
static bool handle_event(struct thread *t)
{
	t->rseq_event = false;
	if (t->proc->exiting)
		return true;
	if (ip_fixup(t) || update_cpu_id(t)) {
		force_signal(SIGSEGV, SI_KERNEL, 0);
		return false;
	}
	return true;
}

bool rseq_signal_deliver(struct thread *t)
{
	if (!t->rseq_area)
		return true;
	return handle_event(t);
}

void rseq_exit_to_user_slow(struct thread *t)
{
	/* Switched out since the last return to user mode: preempted, or it slept. */
	if (cpu_switch_count() != t->rseq_switches) {
		t->rseq_switches = cpu_switch_count();
		t->rseq_event = true;
	}
	if (t->rseq_event && !handle_event(t))
		signal_deliver(t);
}

void rseq_fork(struct thread *child, const struct thread *parent, bool same_vm)
{
	if (same_vm)
		return;		/* a new thread of this address space starts unregistered */
	child->rseq_area = parent->rseq_area;
	child->rseq_len = parent->rseq_len;
	child->rseq_sig = parent->rseq_sig;
	child->rseq_event = parent->rseq_area != 0;
}

void rseq_exec(struct thread *t)
{
	t->rseq_area = 0;
	t->rseq_len = t->rseq_sig = 0;
	t->rseq_event = false;
}

static long rseq_unregister(struct thread *t, uint64_t area, uint32_t len, uint32_t sig)
{
	int err;

	if (!t->rseq_area || t->rseq_area != area || t->rseq_len != len)
		return -EINVAL;
	if (t->rseq_sig != sig)
		return -EPERM;
	err = reset_cpu_id(t);
	if (err)
		return err;
	rseq_exec(t);
	return 0;
}

long sys_rseq(uaddr_t area, unsigned int len, unsigned int flags, unsigned long sig_arg)
{
	struct thread *t = current_thread();
	uint32_t sig = (uint32_t)sig_arg;	/* a u32 in Linux's prototype */

	if (flags & RSEQ_FLAG_UNREGISTER) {
		if (flags & ~RSEQ_FLAG_UNREGISTER)
			return -EINVAL;
		return rseq_unregister(t, area, len, sig);
	}
	if (flags)
		return -EINVAL;
	if (t->rseq_area) {
		/* The same registration again is EBUSY; anything else differs from it. */
		if (t->rseq_area != area || t->rseq_len != len)
			return -EINVAL;
		return t->rseq_sig != sig ? -EPERM : -EBUSY;
	}
	/* The original 32 bytes, or (Linux 6.3) more, always 32-byte aligned. */
	if (len < sizeof(struct rseq_area) || area % RSEQ_AREA_ALIGN)
		return -EINVAL;
	if (!area_fits(area, len))
		return -EFAULT;
	/* The cpu fields are written now: an area we cannot write is EFAULT, as on Linux. */
	t->rseq_area = area;
	if (update_cpu_id(t)) {
		t->rseq_area = 0;
		return -EFAULT;
	}
	t->rseq_len = len;
	t->rseq_sig = sig;
	t->rseq_switches = cpu_switch_count();
	return 0;
}
