// SPDX-License-Identifier: MPL-2.0
// seccomp(2) and prctl(PR_SET_SECCOMP) as Linux's kernel/seccomp.c: strict
// mode (read, write, exit, rt_sigreturn only), and stacks of classic BPF
// filters over struct seccomp_data, checked by the shared checker
// (kernel/lib/bpf/) plus seccomp's own rules, run at each syscall entry;
// the most restrictive action of all filters wins.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/refcount.h>
#include <aster/string.h>
#include <aster/sync.h>
#include <aster/uaccess.h>
#include "lib/bpf/cbpf.h"
#include "process/capability.h"
#include "process/internal.h"
#include "process/ptrace.h"
#include "process/seccomp.h"
#include "syscall/syscall.h"
#include "uapi/audit.h"
#include "uapi/seccomp.h"

struct seccomp_filter {
	refcount_t refs;
	bool log;			/* SECCOMP_FILTER_FLAG_LOG */
	struct seccomp_filter *prev;	/* the one installed before it (a reference), or NULL */
	struct bpf_prog *prog;
};

/*
 * Linux's MAX_INSNS_PER_PATH ((1 << 18) / sizeof(struct sock_filter)):
 * the instructions of all of a thread's filters, each counting 4 more.
 */
#define SECCOMP_MAX_INSNS	32768
#define SECCOMP_FILTER_OVERHEAD	4

/* The flags we implement: no user notification (NEW_LISTENER, WAIT_KILLABLE_RECV). */
#define SECCOMP_FLAGS_SUPPORTED	(SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | \
				 SECCOMP_FILTER_FLAG_SPEC_ALLOW | SECCOMP_FILTER_FLAG_TSYNC_ESRCH)

#define SECCOMP_MAX_ERRNO	4095

/*
 * CAP_SYS_ADMIN in the caller's user namespace (Linux's
 * ns_capable_noaudit): privilege is euid 0 until capabilities exist.
 */
static void filter_put(struct seccomp_filter *f)
{
	/* Iterative: a long stack must not recurse. */
	while (f && refcount_dec_and_test(&f->refs)) {
		struct seccomp_filter *prev = f->prev;

		kfree(f->prog);
		kfree(f);
		f = prev;
	}
}

static uint32_t filter_count(const struct seccomp_filter *f)
{
	uint32_t n = 0;

	for (; f; f = f->prev)
		n++;
	return n;
}

/* ---- what a filter reads ---- */

/* struct seccomp_data as the 32-bit words BPF_LD|BPF_W|BPF_ABS loads, host order. */
struct sd_words {
	uint32_t w[sizeof(struct seccomp_data) / 4];
};

static void put64(struct sd_words *sd, size_t i, uint64_t v)
{
	sd->w[i] = (uint32_t)v;
	sd->w[i + 1] = (uint32_t)(v >> 32);
}

/* Linux's populate_seccomp_data: the number as an int, the arch, rip, the six arguments. */
static void fill_data(const struct thread *t, struct sd_words *sd)
{
	const struct user_regs *r = &t->ctx.regs;

	sd->w[offsetof(struct seccomp_data, nr) / 4] = (uint32_t)t->orig_rax;
	sd->w[offsetof(struct seccomp_data, arch) / 4] = AUDIT_ARCH_X86_64;
	put64(sd, offsetof(struct seccomp_data, instruction_pointer) / 4, r->rip);
	put64(sd, offsetof(struct seccomp_data, args) / 4 + 0, r->rdi);
	put64(sd, offsetof(struct seccomp_data, args) / 4 + 2, r->rsi);
	put64(sd, offsetof(struct seccomp_data, args) / 4 + 4, r->rdx);
	put64(sd, offsetof(struct seccomp_data, args) / 4 + 6, r->r10);
	put64(sd, offsetof(struct seccomp_data, args) / 4 + 8, r->r8);
	put64(sd, offsetof(struct seccomp_data, args) / 4 + 10, r->r9);
}

/* The checker let only aligned word loads inside struct seccomp_data through; checked again anyway. */
static bool sd_load(const void *ctx, uint32_t k, uint32_t size, uint32_t *out)
{
	const struct sd_words *sd = ctx;

	if (size != 4 || (k & 3) || k >= sizeof(struct seccomp_data))
		return false;
	*out = sd->w[k / 4];
	return true;
}

uint32_t seccomp_run_prog(const struct bpf_prog *prog, const struct seccomp_data *sd)
{
	struct sd_words w;
	struct bpf_source src = { .load = sd_load, .anc = NULL, .ctx = &w,
				  .len = sizeof(struct seccomp_data) };

	w.w[offsetof(struct seccomp_data, nr) / 4] = (uint32_t)sd->nr;
	w.w[offsetof(struct seccomp_data, arch) / 4] = sd->arch;
	put64(&w, offsetof(struct seccomp_data, instruction_pointer) / 4, sd->instruction_pointer);
	for (size_t i = 0; i < 6; i++)
		put64(&w, offsetof(struct seccomp_data, args) / 4 + 2 * i, sd->args[i]);
	return bpf_run(prog, &src);
}

/* Linux's seccomp_run_filters: every filter runs; the lowest action (as signed) wins. */
static uint32_t run_filters(const struct seccomp_filter *f, const struct sd_words *sd,
			    const struct seccomp_filter **match)
{
	struct bpf_source src = { .load = sd_load, .anc = NULL, .ctx = sd,
				  .len = sizeof(struct seccomp_data) };
	uint32_t ret = SECCOMP_RET_ALLOW;

	*match = NULL;
	/* Filter mode without a filter cannot happen; if it did, fail closed as Linux. */
	if (!f)
		return SECCOMP_RET_KILL_PROCESS;
	for (; f; f = f->prev) {
		uint32_t cur = bpf_run(f->prog, &src);

		if ((int32_t)(cur & SECCOMP_RET_ACTION_FULL) < (int32_t)(ret & SECCOMP_RET_ACTION_FULL)) {
			ret = cur;
			*match = f;
		}
	}
	return ret;
}

/* ---- acting on the result ---- */

/*
 * Linux's seccomp_log with the default actions_logged: kills and RET_LOG
 * always; TRAP, ERRNO, USER_NOTIF and TRACE when the filter asked
 * (SECCOMP_FILTER_FLAG_LOG); ALLOW never.  The kernel log line of an
 * audit record of type AUDIT_SECCOMP (1326), as Linux prints it without auditd.
 */
static void seccomp_log(const struct thread *t, int nr, int sig, uint32_t action, bool requested)
{
	const struct process *p = t->proc;
	bool log;

	switch (action) {
	case SECCOMP_RET_ALLOW:
		return;
	case SECCOMP_RET_TRAP:
	case SECCOMP_RET_ERRNO:
	case SECCOMP_RET_USER_NOTIF:
	case SECCOMP_RET_TRACE:
		log = requested;
		break;
	default:
		log = true;
		break;
	}
	if (!log)
		return;
	pr_notice("audit: type=1326 audit(0.000:0): auid=4294967295 uid=%u gid=%u ses=4294967295 pid=%d "
		  "comm=\"%s\" exe=\"%s\" sig=%d arch=%x syscall=%d compat=0 ip=0x%lx code=0x%x\n",
		  p->cred.uid, p->cred.gid, t->tid, p->comm, p->exe_path ? p->exe_path : "", sig,
		  AUDIT_ARCH_X86_64, nr, t->ctx.regs.rip, action);
}

/*
 * Linux's do_exit(sig) of the thread (KILL_THREAD with other threads
 * left, strict mode), else the end of the process killed by sig.
 */
static __noreturn void seccomp_kill(struct thread *t, int sig, bool whole_process)
{
	if (!whole_process && t->proc->nr_threads > 1)
		thread_exit(sig);
	process_exit(sig);
}

/* RET_TRAP: SIGSYS with the syscall's number, address and arch, si_errno the data (Linux's force_sig_seccomp). */
static void seccomp_trap(struct thread *t, int nr, uint32_t data)
{
	struct k_siginfo si;

	memset(&si, 0, sizeof(si));
	si.signo = SIGSYS;
	si.code = SYS_SECCOMP;
	si.errno_ = (int32_t)data;
	si.u.sigsys.call_addr = t->ctx.regs.rip;
	si.u.sigsys.syscall = nr;
	si.u.sigsys.arch = AUDIT_ARCH_X86_64;
	/* syscall_rollback: the handler sees rax as it was, the number. */
	t->ctx.regs.rax = t->orig_rax;
	force_signal_info(&si);
}

/*
 * RET_TRACE: the PTRACE_EVENT_SECCOMP stop, where the tracer may change
 * the syscall or skip it (number -1); without a tracer that asked for it,
 * -ENOSYS.  true: skip.
 */
static bool seccomp_trace(struct thread *t, uint32_t data)
{
	if (!ptrace_event_wanted(t, PTRACE_EVENT_SECCOMP)) {
		t->ctx.regs.rax = (uint64_t)-ENOSYS;
		return true;
	}
	ptrace_event(t, PTRACE_EVENT_SECCOMP, data);
	/* A fatal signal in the stop may have cut the tracer short: do not run what it did not see. */
	if (signal_fatal_pending(t))
		return true;
	return (int32_t)t->orig_rax < 0;
}

/*
 * Run the filters on t's syscall and act (Linux's __seccomp_filter).
 * after_trace: the tracer of a RET_TRACE has had its say, and the
 * filters run again on what it left; a TRACE now means allow.
 */
static bool filter_syscall(struct thread *t, bool after_trace)
{
	const struct seccomp_filter *match;
	struct sd_words sd;
	int nr = (int)t->orig_rax;
	uint32_t ret, data, action;

	fill_data(t, &sd);
	ret = run_filters(t->seccomp_filter, &sd, &match);
	data = ret & SECCOMP_RET_DATA;
	action = ret & SECCOMP_RET_ACTION_FULL;
	switch (action) {
	case SECCOMP_RET_ERRNO:
		t->ctx.regs.rax = (uint64_t)-(int64_t)(data > SECCOMP_MAX_ERRNO ? SECCOMP_MAX_ERRNO : data);
		break;
	case SECCOMP_RET_TRAP:
		seccomp_trap(t, nr, data);
		break;
	case SECCOMP_RET_TRACE:
		if (after_trace)
			return false;
		if (!seccomp_trace(t, data))
			return filter_syscall(t, true);
		break;
	case SECCOMP_RET_USER_NOTIF:
		/* No listener can exist here (no NEW_LISTENER): Linux's answer without one. */
		t->ctx.regs.rax = (uint64_t)-ENOSYS;
		break;
	case SECCOMP_RET_LOG:
		seccomp_log(t, nr, 0, action, true);
		return false;
	case SECCOMP_RET_ALLOW:
		return false;
	default:
		/* KILL_THREAD, KILL_PROCESS and any unknown action, which Linux treats as KILL_PROCESS. */
		seccomp_log(t, nr, SIGSYS, action, true);
		t->ctx.regs.rax = t->orig_rax;
		seccomp_kill(t, SIGSYS, action != SECCOMP_RET_KILL_THREAD);
	}
	seccomp_log(t, nr, 0, action, match && match->log);
	return true;
}

/* Strict mode: only these; anything else ends the thread with SIGKILL (Linux's do_exit(SIGKILL)). */
static void strict_syscall(struct thread *t)
{
	int nr = (int)t->orig_rax;

	if (nr == SCNR_read || nr == SCNR_write || nr == SCNR_exit || nr == SCNR_rt_sigreturn)
		return;
	seccomp_log(t, nr, SIGKILL, SECCOMP_RET_KILL_THREAD, true);
	seccomp_kill(t, SIGKILL, false);
}

bool seccomp_syscall_enter(struct thread *t, bool traced)
{
	/* Linux's entry state: a skipped syscall returns -ENOSYS unless a tracer or an action says otherwise. */
	if (!traced)
		t->ctx.regs.rax = (uint64_t)-ENOSYS;
	if (t->seccomp_mode == SECCOMP_MODE_STRICT) {
		strict_syscall(t);
		return false;
	}
	/* Pairs with tsync_locked's smp_wmb: the mode seen, its filter is too. */
	smp_rmb();
	return filter_syscall(t, false);
}

/* ---- inheritance and /proc ---- */

void seccomp_inherit_locked(struct thread *child, const struct thread *parent)
{
	child->seccomp_mode = parent->seccomp_mode;
	child->seccomp_filter = parent->seccomp_filter;
	if (child->seccomp_filter)
		refcount_inc(&child->seccomp_filter->refs);
}

void seccomp_thread_free(struct thread *t)
{
	filter_put(t->seccomp_filter);
	t->seccomp_filter = NULL;
}

void seccomp_status(struct process *p, pid_t tid, int *mode, uint32_t *filters)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	pid_t want = tid ? tid : p->pid;
	struct thread *t, *pick = NULL;

	/* The process's own line is its first thread's (another one once that exited). */
	list_for_each_entry(t, &p->threads, proc_node) {
		if (t->tid == want) {
			pick = t;
			break;
		}
		if (!tid && !pick)
			pick = t;
	}
	*mode = pick ? pick->seccomp_mode : 0;
	*filters = pick ? filter_count(pick->seccomp_filter) : 0;
	spin_unlock_irqrestore(&process_table_lock, f);
}

/* ---- installing ---- */

/* Linux's seccomp_may_assign_mode: a thread never changes from one mode to another. */
static bool may_assign_mode(const struct thread *t, int mode)
{
	return t->seccomp_mode == SECCOMP_MODE_DISABLED || t->seccomp_mode == mode;
}

static long set_mode_strict(void)
{
	struct thread *t = current_thread();
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	long ret = -EINVAL;

	if (may_assign_mode(t, SECCOMP_MODE_STRICT)) {
		t->seccomp_mode = SECCOMP_MODE_STRICT;
		ret = 0;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	return ret;
}

/*
 * Linux's seccomp_check_filter, after bpf_check: only the loads of
 * struct seccomp_data (aligned words inside it; BPF_LEN is its size),
 * no packet loads, no BPF_MOD.
 */
int seccomp_check_insns(struct linux_sock_filter *f, uint32_t len)
{
	for (uint32_t pc = 0; pc < len; pc++) {
		struct linux_sock_filter *ins = &f[pc];

		switch (ins->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (ins->k >= sizeof(struct seccomp_data) || (ins->k & 3))
				return -EINVAL;
			break;
		case BPF_LD | BPF_W | BPF_LEN:
			ins->code = BPF_LD | BPF_IMM;
			ins->k = sizeof(struct seccomp_data);
			break;
		case BPF_LDX | BPF_W | BPF_LEN:
			ins->code = BPF_LDX | BPF_IMM;
			ins->k = sizeof(struct seccomp_data);
			break;
		case BPF_RET | BPF_K: case BPF_RET | BPF_A:
		case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
		case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
		case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
		case BPF_ALU | BPF_DIV | BPF_K: case BPF_ALU | BPF_DIV | BPF_X:
		case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
		case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_OR | BPF_X:
		case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
		case BPF_ALU | BPF_LSH | BPF_K: case BPF_ALU | BPF_LSH | BPF_X:
		case BPF_ALU | BPF_RSH | BPF_K: case BPF_ALU | BPF_RSH | BPF_X:
		case BPF_ALU | BPF_NEG:
		case BPF_LD | BPF_IMM: case BPF_LDX | BPF_IMM:
		case BPF_MISC | BPF_TAX: case BPF_MISC | BPF_TXA:
		case BPF_LD | BPF_MEM: case BPF_LDX | BPF_MEM:
		case BPF_ST: case BPF_STX:
		case BPF_JMP | BPF_JA:
		case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
		case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
		case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
		case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
			break;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

/* Linux's seccomp_prepare_user_filter: the new filter, or NULL with *err. */
static struct seccomp_filter *prepare_filter(uaddr_t ua, int *err)
{
	struct linux_sock_fprog fp;
	struct seccomp_filter *sf;
	struct bpf_prog *prog;

	if (copy_from_user(&fp, ua, sizeof(fp))) {
		*err = -EFAULT;
		return NULL;
	}
	*err = -EINVAL;
	if (fp.len == 0 || fp.len > BPF_MAXINSNS)
		return NULL;
	if (!current_process()->no_new_privs && !capable(CAP_SYS_ADMIN)) {
		*err = -EACCES;
		return NULL;
	}
	prog = bpf_prog_copy_from_user(fp.filter, fp.len, err);
	if (!prog)
		return NULL;
	*err = seccomp_check_insns(prog->insns, prog->len);
	sf = *err ? NULL : kzalloc(sizeof(*sf));
	if (!sf) {
		if (!*err)
			*err = -ENOMEM;
		kfree(prog);
		return NULL;
	}
	refcount_set(&sf->refs, 1);
	sf->prog = prog;
	return sf;
}

/* Is a an ancestor of (or the same as) b?  NULL is everyone's. */
static bool is_ancestor(const struct seccomp_filter *a, const struct seccomp_filter *b)
{
	if (!a)
		return true;
	for (; b; b = b->prev)
		if (a == b)
			return true;
	return false;
}

/* Linux's seccomp_can_sync_threads: 0, or the tid of a thread whose filters are not ours plus some. */
static pid_t tsync_blocker_locked(const struct thread *self)
{
	struct thread *t;

	list_for_each_entry(t, &self->proc->threads, proc_node) {
		if (t == self || t->exiting)
			continue;
		if (t->seccomp_mode == SECCOMP_MODE_DISABLED ||
		    (t->seccomp_mode == SECCOMP_MODE_FILTER && is_ancestor(t->seccomp_filter, self->seccomp_filter)))
			continue;
		return t->tid;
	}
	return 0;
}

/* Every other thread gets self's filters; their old ones are ancestors of those, so this frees nothing. */
static void tsync_locked(struct thread *self)
{
	struct thread *t;

	list_for_each_entry(t, &self->proc->threads, proc_node) {
		if (t == self || t->exiting)
			continue;
		filter_put(t->seccomp_filter);
		refcount_inc(&self->seccomp_filter->refs);
		t->seccomp_filter = self->seccomp_filter;
		/* t may be entering a syscall on another CPU, unlocked: filter first, then mode. */
		smp_wmb();
		t->seccomp_mode = SECCOMP_MODE_FILTER;
	}
}

static long attach_filter_locked(struct thread *self, struct seccomp_filter *sf, unsigned int flags)
{
	uint32_t total = sf->prog->len;
	const struct seccomp_filter *w;

	/* Linux's order: the mode, the length, then the other threads. */
	if (!may_assign_mode(self, SECCOMP_MODE_FILTER))
		return -EINVAL;
	for (w = self->seccomp_filter; w; w = w->prev)
		total += w->prog->len + SECCOMP_FILTER_OVERHEAD;
	if (total > SECCOMP_MAX_INSNS)
		return -ENOMEM;
	if (flags & SECCOMP_FILTER_FLAG_TSYNC) {
		pid_t tid = tsync_blocker_locked(self);

		if (tid)
			return (flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH) ? -ESRCH : tid;
	}
	sf->log = flags & SECCOMP_FILTER_FLAG_LOG;
	sf->prev = self->seccomp_filter;	/* self's reference moves to sf */
	self->seccomp_filter = sf;
	self->seccomp_mode = SECCOMP_MODE_FILTER;
	if (flags & SECCOMP_FILTER_FLAG_TSYNC)
		tsync_locked(self);
	return 0;
}

static long set_mode_filter(unsigned int flags, uaddr_t ua)
{
	struct thread *self = current_thread();
	struct seccomp_filter *sf;
	irqflags_t f;
	long ret;
	int err;

	if (flags & ~(unsigned int)SECCOMP_FLAGS_SUPPORTED)
		return -EINVAL;
	sf = prepare_filter(ua, &err);
	if (!sf)
		return err;
	f = spin_lock_irqsave(&process_table_lock);
	ret = attach_filter_locked(self, sf, flags);
	spin_unlock_irqrestore(&process_table_lock, f);
	if (ret)
		filter_put(sf);
	return ret;
}

/* SECCOMP_GET_ACTION_AVAIL: 0 for an action this kernel carries out, else -EOPNOTSUPP. */
static long get_action_avail(uaddr_t ua)
{
	uint32_t action;

	if (copy_from_user(&action, ua, sizeof(action)))
		return -EFAULT;
	switch (action) {
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
	case SECCOMP_RET_TRAP:
	case SECCOMP_RET_ERRNO:
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_LOG:
	case SECCOMP_RET_ALLOW:
		return 0;
	}
	/* USER_NOTIF too: there are no listeners to notify. */
	return -EOPNOTSUPP;
}

long sys_seccomp(unsigned int op, unsigned int flags, uaddr_t args)
{
	switch (op) {
	case SECCOMP_SET_MODE_STRICT:
		if (flags || args)
			return -EINVAL;
		return set_mode_strict();
	case SECCOMP_SET_MODE_FILTER:
		return set_mode_filter(flags, args);
	case SECCOMP_GET_ACTION_AVAIL:
		if (flags)
			return -EINVAL;
		return get_action_avail(args);
	}
	/* SECCOMP_GET_NOTIF_SIZES included: no user notification here. */
	return -EINVAL;
}

long seccomp_prctl_set(uint64_t mode, uint64_t filter)
{
	switch (mode) {
	case SECCOMP_MODE_STRICT:
		/* prctl always ignored the filter argument of strict mode. */
		return sys_seccomp(SECCOMP_SET_MODE_STRICT, 0, 0);
	case SECCOMP_MODE_FILTER:
		return sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, filter);
	}
	return -EINVAL;
}

long seccomp_prctl_get(void)
{
	return current_thread()->seccomp_mode;
}
