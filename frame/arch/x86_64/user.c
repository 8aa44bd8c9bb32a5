// SPDX-License-Identifier: MPL-2.0
// User contexts: SYSCALL/SYSRET setup, the run loop's C half, FS/GS bases,
// and FPU state with XSAVE (or FXSAVE on CPUs without it).
//
// FPU state is switched lazily: the kernel never uses the FPU, so a
// context's state stays in the CPU until another context runs, and the CPU
// remembers its owner (fpu_owner) to save the state back there.  That
// pointer must never outlive the context: the heap and the task stacks call
// arch_user_memory_freed before memory goes away or moves, and
// user_context_init drops the old state, so kernel/ has nothing to release.
#include <aster/log.h>
#include <aster/string.h>
#include <aster/unaligned.h>
#include <aster/user.h>
#include "../../internal.h"
#include "cpu.h"
#include "cpu_local.h"
#include "trap_frame.h"
#include "user_defs.h"
#include "user_internal.h"

#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_FMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_EFER		0xc0000080
#define EFER_SCE		0x001

#define CR0_MP		(1UL << 1)
#define CR0_EM		(1UL << 2)
#define CR0_TS		(1UL << 3)
#define CR0_NE		(1UL << 5)
#define CR4_OSFXSR	(1UL << 9)
#define CR4_OSXMMEXCPT	(1UL << 10)
#define CR4_OSXSAVE	(1UL << 18)

/* RFLAGS bits SYSCALL clears: TF, IF, DF, AC, NT. */
#define SYSCALL_FMASK	0x47700UL
/* What user code may set in RFLAGS: CF PF AF ZF SF TF DF OF AC ID and IF. */
#define USER_RFLAGS_MASK 0x244dd5UL

_Static_assert(__builtin_offsetof(struct user_regs, rip) == UR_RIP, "user_regs");
_Static_assert(__builtin_offsetof(struct user_regs, rflags) == UR_RFLAGS, "user_regs");
_Static_assert(__builtin_offsetof(struct user_regs, r15) == UR_R15, "user_regs");

static bool have_xsave;
static uint64_t xsave_mask;
static size_t fpu_size = 512;

extern char syscall_entry[];
uint32_t user_enter(struct user_context *ctx, int sysret);
__noreturn void user_trap_return(uint32_t event);

/* Every CPU enables the same features; the boot CPU records what they are. */
static void fpu_init(bool boot_cpu)
{
	uint32_t r[4];

	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	cpuid(1, 0, r);
	if (boot_cpu)
		have_xsave = r[2] & (1U << 26);
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	if (have_xsave)
		cr4 |= CR4_OSXSAVE;
	write_cr4(cr4);
	if (!have_xsave)
		return;
	if (boot_cpu) {
		cpuid(0xd, 0, r);
		xsave_mask = r[0] & 0x7;	/* x87, SSE, AVX */
	}
	xsetbv0(xsave_mask);
	if (!boot_cpu)
		return;
	cpuid(0xd, 0, r);
	fpu_size = r[1];		/* for the features just enabled */
	if (fpu_size > USER_FPU_AREA_SIZE)
		panic("XSAVE area of %zu bytes does not fit", fpu_size);
}

void cpu_local_install(struct cpu_local *cl, unsigned int cpu, uint32_t apic_id)
{
	cl->self = (uint64_t)cl;
	cl->cpu = cpu;
	cl->apic_id = apic_id;
	wrmsr(MSR_GS_BASE, (uint64_t)cl);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void user_mode_init(bool boot_cpu)
{
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* SYSRET: CS = 0x10 + 16 (user code), SS = 0x10 + 8 (user data). */
	wrmsr(MSR_STAR, (0x10UL << 48) | (0x08UL << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
	fpu_init(boot_cpu);
}

struct fpu_blob {
	uint8_t b[USER_FPU_AREA_SIZE];
};

/* XSAVE and FXSAVE need 64- and 16-byte alignment. */
static struct fpu_blob *fpu_blob(const struct user_context *ctx)
{
	return (struct fpu_blob *)ALIGN_UP((uintptr_t)ctx->fpu_raw, 64);
}

static void fpu_save_to(struct user_context *ctx)
{
	struct fpu_blob *a = fpu_blob(ctx);

	if (have_xsave)
		xsave64(a, xsave_mask);
	else
		fxsave64(a);
}

static void fpu_load_from(const struct user_context *ctx)
{
	const struct fpu_blob *a = fpu_blob(ctx);

	if (have_xsave)
		xrstor64(a, xsave_mask);
	else
		fxrstor64(a);
}

/* Make ctx's FPU state the CPU's. */
static void fpu_activate(struct user_context *ctx)
{
	struct user_context *owner = this_cpu_local()->fpu_owner;

	if (owner == ctx)
		return;
	if (owner) {
		fpu_save_to(owner);
		owner->fpu_live = false;
	}
	fpu_load_from(ctx);
	ctx->fpu_live = true;
	this_cpu_local()->fpu_owner = ctx;
}

/* Bring ctx's FPU area up to date with the CPU (if the CPU holds it). */
static void fpu_sync(struct user_context *ctx)
{
	if (this_cpu_local()->fpu_owner == ctx)
		fpu_save_to(ctx);
}

void user_context_init(struct user_context *ctx)
{
	uint64_t flags = irq_save();

	/* A fresh context: the state the CPU holds for it is not its own any more. */
	if (this_cpu_local()->fpu_owner == ctx)
		this_cpu_local()->fpu_owner = NULL;
	irq_restore(flags);
	memset(ctx, 0, sizeof(*ctx));
	ctx->regs.rflags = RFLAGS_IF;
	/* Default x87 control word and MXCSR (all exceptions masked). */
	fpu_blob(ctx)->b[0] = 0x7f;
	fpu_blob(ctx)->b[1] = 0x03;
	fpu_blob(ctx)->b[24] = 0x80;
	fpu_blob(ctx)->b[25] = 0x1f;
}

/*
 * [p, p+len) is about to be freed or moved (heap.c, stack.c): if it holds
 * the context that owns the CPU's FPU state, save the state into it (it is
 * still live here, and a moved copy gets the current state) and forget it.
 * The first test is safe without disabling interrupts: only user_run on
 * this CPU changes the owner, and nobody runs a context being freed.
 */
void arch_user_memory_freed(const void *p, size_t len)
{
	struct user_context *owner = __atomic_load_n(&this_cpu_local()->fpu_owner, __ATOMIC_RELAXED);
	uint64_t flags;

	if (!owner || (uintptr_t)owner - (uintptr_t)p >= len)
		return;
	flags = irq_save();
	if (this_cpu_local()->fpu_owner == owner) {
		fpu_save_to(owner);
		owner->fpu_live = false;
		this_cpu_local()->fpu_owner = NULL;
	}
	irq_restore(flags);
}

bool arch_user_fpu_owned_in(const void *p, size_t len)
{
	struct user_context *owner = this_cpu_local()->fpu_owner;

	return owner && (uintptr_t)owner - (uintptr_t)p < len;
}

size_t user_fpu_state_size(void)
{
	return fpu_size;
}

uint64_t user_fpu_xfeatures(void)
{
	return have_xsave ? xsave_mask : 0;
}

void user_fpu_save(struct user_context *ctx, void *buf, size_t len)
{
	uint64_t flags = irq_save();

	fpu_sync(ctx);
	memcpy(buf, fpu_blob(ctx)->b, MIN(len, fpu_size));
	irq_restore(flags);
}

void user_fpu_restore(struct user_context *ctx, const void *buf, size_t len)
{
	uint64_t flags = irq_save();

	memcpy(fpu_blob(ctx)->b, buf, MIN(len, fpu_size));
	if (have_xsave && len >= 520) {
		/* Keep the XSAVE header sane: only enabled features, standard form. */
		uint8_t *bv = fpu_blob(ctx)->b + 512;	/* XSTATE_BV */

		put_unaligned_le64(bv, get_unaligned_le64(bv) & xsave_mask);
		memset(fpu_blob(ctx)->b + 520, 0, 56);
	}
	/* MXCSR reserved bits fault on restore: clear them. */
	fpu_blob(ctx)->b[26] = 0;
	fpu_blob(ctx)->b[27] = 0;
	if (this_cpu_local()->fpu_owner == ctx) {
		this_cpu_local()->fpu_owner = NULL;
		ctx->fpu_live = false;
	}
	irq_restore(flags);
}

static void load_bases(const struct user_context *ctx)
{
	if (this_cpu_local()->live_fs_base != ctx->regs.fs_base) {
		wrmsr(MSR_FS_BASE, ctx->regs.fs_base);
		this_cpu_local()->live_fs_base = ctx->regs.fs_base;
	}
	if (this_cpu_local()->live_user_gs_base != ctx->regs.gs_base) {
		/* Swapped in by the swapgs on the way out. */
		wrmsr(MSR_KERNEL_GS_BASE, ctx->regs.gs_base);
		this_cpu_local()->live_user_gs_base = ctx->regs.gs_base;
	}
}

/* SYSRET restores rip from rcx and rflags from r11; only for sane values. */
static bool can_sysret(const struct user_regs *r)
{
	return r->rcx == r->rip && r->r11 == r->rflags && user_addr_ok(r->rip) &&
	       (r->rflags & (0x100 | 0x10000)) == 0;	/* no TF, no RF */
}

/* In .text.hot with the entry code (kernel.ld). */
__attribute__((section(".text.hot")))
enum user_event user_run(struct user_context *ctx)
{
	uint32_t event;

	/* User code cannot set privileged flags; IF is always on in user mode. */
	ctx->regs.rflags = (ctx->regs.rflags & USER_RFLAGS_MASK) | RFLAGS_IF;
	if (!user_addr_ok(ctx->regs.fs_base))
		ctx->regs.fs_base = 0;
	if (!user_addr_ok(ctx->regs.gs_base))
		ctx->regs.gs_base = 0;
	/*
	 * A rip outside the user half (a tracer's SETREGS may put one there)
	 * would make IRETQ fault in kernel mode: report the #GP the program
	 * gets on Linux instead, without leaving the kernel.
	 */
	if (!user_addr_ok(ctx->regs.rip)) {
		ctx->trap.vector = 13;
		ctx->trap.error_code = 0;
		ctx->trap.fault_addr = 0;
		return USER_EVENT_EXCEPTION;
	}
	irq_disable();
	load_bases(ctx);
	fpu_activate(ctx);
	event = user_enter(ctx, can_sysret(&ctx->regs));
	irq_enable();
	if (event == USER_EVENT_INTERRUPT)
		sched_preempt_point(true);
	return (enum user_event)event;
}

__noreturn void user_trap_exit(struct trap_frame *tf, bool exception)
{
	struct user_context *ctx = this_cpu_local()->ctx;
	struct user_regs *r = &ctx->regs;

	r->rax = tf->rax; r->rbx = tf->rbx; r->rcx = tf->rcx; r->rdx = tf->rdx;
	r->rsi = tf->rsi; r->rdi = tf->rdi; r->rbp = tf->rbp; r->rsp = tf->rsp;
	r->r8 = tf->r8; r->r9 = tf->r9; r->r10 = tf->r10; r->r11 = tf->r11;
	r->r12 = tf->r12; r->r13 = tf->r13; r->r14 = tf->r14; r->r15 = tf->r15;
	r->rip = tf->rip;
	r->rflags = tf->rflags;
	if (exception) {
		ctx->trap.vector = tf->vector;
		ctx->trap.error_code = tf->error_code;
		ctx->trap.fault_addr = tf->vector == 14 ? read_cr2() : 0;
	}
	watchdog_touch();
	user_trap_return(exception ? USER_EVENT_EXCEPTION : USER_EVENT_INTERRUPT);
}
