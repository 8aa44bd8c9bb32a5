// SPDX-License-Identifier: MPL-2.0
// ptrace's register requests on a stopped tracee: struct user_regs_struct
// (GETREGS, SETREGS, PEEKUSER, POKEUSER, NT_PRSTATUS), the FXSAVE image
// (GETFPREGS, SETFPREGS, NT_PRFPREG) and PTRACE_GET_SYSCALL_INFO.
//
// What a tracer writes is sanitised as Linux's putreg does: only the
// rflags bits a program may change, user-half FS/GS bases, and the
// selectors a 64-bit thread runs with (this kernel has no other code or
// data segment: any other selector is -EIO).  A non-canonical rip is
// accepted, as on Linux: frame's return to user mode never uses SYSRET
// for it, and the program takes a #GP (SIGSEGV) on its first instruction.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "process/internal.h"
#include "process/ptrace.h"
#include "uapi/ptrace.h"

/* The rflags bits a tracer may change (Linux's FLAG_MASK without NT). */
#define RFLAGS_TRACER_MASK	0x50dd5ULL

/* What orig_rax says: the syscall number inside a syscall, -1 elsewhere. */
static uint64_t orig_rax(const struct thread *t)
{
	return t->in_syscall ? t->orig_rax : (uint64_t)-1;
}

static void regs_read(const struct thread *t, uint64_t *u)
{
	const struct user_regs *r = &t->ctx.regs;

	u[UREG_R15] = r->r15; u[UREG_R14] = r->r14; u[UREG_R13] = r->r13; u[UREG_R12] = r->r12;
	u[UREG_RBP] = r->rbp; u[UREG_RBX] = r->rbx; u[UREG_R11] = r->r11; u[UREG_R10] = r->r10;
	u[UREG_R9] = r->r9; u[UREG_R8] = r->r8; u[UREG_RAX] = r->rax; u[UREG_RCX] = r->rcx;
	u[UREG_RDX] = r->rdx; u[UREG_RSI] = r->rsi; u[UREG_RDI] = r->rdi;
	u[UREG_ORIG_RAX] = orig_rax(t);
	u[UREG_RIP] = r->rip;
	u[UREG_CS] = USER64_CS;
	/* The trap flag of a single step is the tracer's, not the program's. */
	u[UREG_EFLAGS] = t->ptrace_tf_set ? r->rflags & ~X86_EFLAGS_TF : r->rflags;
	u[UREG_RSP] = r->rsp;
	u[UREG_SS] = USER_DS_SEL;
	u[UREG_FS_BASE] = r->fs_base;
	u[UREG_GS_BASE] = r->gs_base;
	u[UREG_DS] = u[UREG_ES] = u[UREG_FS] = u[UREG_GS] = 0;
}

void thread_user_regs(const struct thread *t, uint64_t *u)
{
	regs_read(t, u);
}

/* Check one register's new value: 0 or -EIO. */
static int reg_check(int i, uint64_t v)
{
	switch (i) {
	case UREG_CS:
		return v == USER64_CS ? 0 : -EIO;
	case UREG_SS:
		return v == USER_DS_SEL ? 0 : -EIO;
	case UREG_DS:
	case UREG_ES:
	case UREG_FS:
	case UREG_GS:
		return v == 0 ? 0 : -EIO;
	case UREG_FS_BASE:
	case UREG_GS_BASE:
		return user_addr_ok(v) ? 0 : -EIO;
	}
	return 0;
}

static void reg_write(struct thread *t, int i, uint64_t v)
{
	struct user_regs *r = &t->ctx.regs;

	switch (i) {
	case UREG_R15: r->r15 = v; break;
	case UREG_R14: r->r14 = v; break;
	case UREG_R13: r->r13 = v; break;
	case UREG_R12: r->r12 = v; break;
	case UREG_RBP: r->rbp = v; break;
	case UREG_RBX: r->rbx = v; break;
	case UREG_R11: r->r11 = v; break;
	case UREG_R10: r->r10 = v; break;
	case UREG_R9: r->r9 = v; break;
	case UREG_R8: r->r8 = v; break;
	case UREG_RAX: r->rax = v; break;
	case UREG_RCX: r->rcx = v; break;
	case UREG_RDX: r->rdx = v; break;
	case UREG_RSI: r->rsi = v; break;
	case UREG_RDI: r->rdi = v; break;
	case UREG_RIP: r->rip = v; break;
	case UREG_RSP: r->rsp = v; break;
	case UREG_FS_BASE: r->fs_base = v; break;
	case UREG_GS_BASE: r->gs_base = v; break;
	case UREG_EFLAGS:
		r->rflags = (r->rflags & ~RFLAGS_TRACER_MASK) | (v & RFLAGS_TRACER_MASK);
		/* A trap flag the tracer sets itself is the program's from now on. */
		if (v & X86_EFLAGS_TF)
			t->ptrace_tf_set = false;
		break;
	case UREG_ORIG_RAX:
		/* -1 (or any negative number): no syscall, nothing to restart. */
		t->orig_rax = v;
		if ((int64_t)v < 0)
			t->in_syscall = false;
		break;
	default:
		break;	/* the selectors: reg_check allowed only their value */
	}
}

int ptrace_peekuser(struct thread *t, uint64_t off, uint64_t *val)
{
	uint64_t u[UREG_COUNT];

	if (off & 7 || off >= USER_STRUCT_SIZE)
		return -EIO;
	*val = 0;
	if (off < USER_REGS_SIZE) {
		regs_read(t, u);
		*val = u[off / 8];
	}
	/* The debug registers (no hardware breakpoints here) and the rest read 0. */
	return 0;
}

int ptrace_pokeuser(struct thread *t, uint64_t off, uint64_t val)
{
	int err;

	if (off & 7 || off >= USER_STRUCT_SIZE)
		return -EIO;
	if (off >= USER_DEBUGREG_OFFSET)
		return val == 0 ? 0 : -EIO;	/* no hardware breakpoints: only "none" */
	if (off >= USER_REGS_SIZE)
		return 0;	/* Linux ignores the other fields of struct user */
	err = reg_check((int)(off / 8), val);
	if (!err)
		reg_write(t, (int)(off / 8), val);
	return err;
}

int ptrace_getregs(struct thread *t, uaddr_t ua, size_t len)
{
	uint64_t u[UREG_COUNT];

	regs_read(t, u);
	return copy_to_user(ua, u, MIN(len, sizeof(u))) ? -EFAULT : 0;
}

int ptrace_setregs(struct thread *t, uaddr_t ua, size_t len)
{
	uint64_t u[UREG_COUNT];

	if (len != sizeof(u))
		return -EINVAL;
	if (copy_from_user(u, ua, sizeof(u)))
		return -EFAULT;
	for (int i = 0; i < UREG_COUNT; i++)
		if (reg_check(i, u[i]))
			return -EIO;
	for (int i = 0; i < UREG_COUNT; i++)
		reg_write(t, i, u[i]);
	return 0;
}

int ptrace_getfpregs(struct thread *t, uaddr_t ua, size_t len)
{
	size_t size = user_fpu_state_size();
	uint8_t *buf = kmalloc(size);
	int err;

	if (!buf)
		return -ENOMEM;
	user_fpu_save(&t->ctx, buf, size);
	err = copy_to_user(ua, buf, MIN(len, (size_t)USER_FPREGS_SIZE)) ? -EFAULT : 0;
	kfree(buf);
	return err;
}

/* The FXSAVE part of the state; the rest (AVX) is kept.  frame/ clears MXCSR's reserved bits. */
int ptrace_setfpregs(struct thread *t, uaddr_t ua, size_t len)
{
	size_t size = user_fpu_state_size();
	uint8_t *buf, *img;
	int err = 0;

	if (len != USER_FPREGS_SIZE)
		return -EINVAL;
	buf = kmalloc(size);
	img = kmalloc(USER_FPREGS_SIZE);
	if (!buf || !img) {
		kfree(buf);
		kfree(img);
		return -ENOMEM;
	}
	if (copy_from_user(img, ua, USER_FPREGS_SIZE)) {
		err = -EFAULT;
	} else {
		user_fpu_save(&t->ctx, buf, size);
		memcpy(buf, img, USER_FPREGS_SIZE);
		user_fpu_restore(&t->ctx, buf, size);
	}
	kfree(buf);
	kfree(img);
	return err;
}

/* struct iovec of GETREGSET/SETREGSET: the buffer and its length (updated). */
int ptrace_regset(struct thread *t, bool set, uint64_t type, uaddr_t iov_ua)
{
	uint64_t iov[2];
	size_t full, n;
	int err;

	if (copy_from_user(iov, iov_ua, sizeof(iov)))
		return -EFAULT;
	if (type == NT_PRSTATUS)
		full = USER_REGS_SIZE;
	else if (type == NT_PRFPREG)
		full = USER_FPREGS_SIZE;
	else
		return -EINVAL;
	n = MIN(iov[1], full);
	if (set) {
		/* Linux takes a whole register set (a short one only for partial writes it supports). */
		if (n != full)
			return -EINVAL;
		err = type == NT_PRSTATUS ? ptrace_setregs(t, iov[0], n) : ptrace_setfpregs(t, iov[0], n);
	} else {
		err = type == NT_PRSTATUS ? ptrace_getregs(t, iov[0], n) : ptrace_getfpregs(t, iov[0], n);
	}
	if (err)
		return err;
	iov[1] = n;
	return copy_to_user(iov_ua + 8, &iov[1], 8) ? -EFAULT : 0;
}

int ptrace_syscall_info(struct thread *t, int op, uint32_t ret_data, uint64_t size, uaddr_t ua)
{
	const struct user_regs *r = &t->ctx.regs;
	struct ptrace_syscall_info si;
	size_t full = offsetof(struct ptrace_syscall_info, u);

	memset(&si, 0, sizeof(si));
	si.op = (uint8_t)op;
	si.arch = AUDIT_ARCH_X86_64;
	si.instruction_pointer = r->rip;
	si.stack_pointer = r->rsp;
	if (op == PTRACE_SYSCALL_INFO_ENTRY || op == PTRACE_SYSCALL_INFO_SECCOMP) {
		/* u.seccomp starts as u.entry does, with ret_data after the arguments. */
		si.u.entry.nr = t->orig_rax;
		si.u.entry.args[0] = r->rdi;
		si.u.entry.args[1] = r->rsi;
		si.u.entry.args[2] = r->rdx;
		si.u.entry.args[3] = r->r10;
		si.u.entry.args[4] = r->r8;
		si.u.entry.args[5] = r->r9;
		full = offsetof(struct ptrace_syscall_info, u.entry.args) + sizeof(si.u.entry.args);
		if (op == PTRACE_SYSCALL_INFO_SECCOMP) {
			si.u.seccomp.ret_data = ret_data;
			full = offsetof(struct ptrace_syscall_info, u.seccomp.ret_data) +
			       sizeof(si.u.seccomp.ret_data);
		}
	} else if (op == PTRACE_SYSCALL_INFO_EXIT) {
		si.u.exit.rval = (int64_t)r->rax;
		si.u.exit.is_error = (int64_t)r->rax < 0 && (int64_t)r->rax >= -4095;
		full = offsetof(struct ptrace_syscall_info, u.exit.is_error) + sizeof(si.u.exit.is_error);
	}
	if (size && copy_to_user(ua, &si, MIN(size, full)))
		return -EFAULT;
	return (int)full;
}
