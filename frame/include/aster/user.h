/* SPDX-License-Identifier: MPL-2.0 */
/*
 * User mode: a user context is the CPU state of one user thread (general
 * registers, rip, rsp, rflags, FS/GS base, and the FPU/SSE/AVX state).
 * user_run() executes it in the active address space until something needs
 * the kernel, and says what:
 *
 *	for (;;) {
 *		switch (user_run(ctx)) {
 *		case USER_EVENT_SYSCALL:   handle ctx->regs.rax; set ctx->regs.rax; break;
 *		case USER_EVENT_EXCEPTION: look at ctx->trap; fix up or signal; break;
 *		case USER_EVENT_INTERRUPT: check for signals; break;
 *		}
 *	}
 *
 * Returning from a syscall uses SYSRET when the state allows it (rcx and r11
 * are clobbered, as on Linux); any other return uses IRET and restores every
 * register.
 *
 * Lifetime: a user context is plain memory that its owner embeds and frees
 * (the heap or a stack).  Its FPU state is part of it (fpu_raw), and frame/
 * keeps the CPU's lazily switched copy tied to it: freeing or moving the
 * memory (kfree, krealloc, the end of a task's stack) saves and forgets it,
 * and user_context_init starts from a clean state, so there is nothing for
 * kernel/ to release and no way for the FPU state to outlive its context.
 */
#ifndef ASTER_USER_H
#define ASTER_USER_H

#include <aster/types.h>

struct user_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint64_t fs_base, gs_base;
};

/* What stopped a user context. */
enum user_event {
	USER_EVENT_SYSCALL = 1,
	USER_EVENT_EXCEPTION = 2,
	USER_EVENT_INTERRUPT = 3,
};

/* Page-fault error code bits, as the CPU reports them. */
#define PF_PRESENT	0x01	/* protection violation (else: not present) */
#define PF_WRITE	0x02
#define PF_USER		0x04
#define PF_INSTR	0x10

struct user_trap {
	uint64_t vector;	/* 14 = #PF, 13 = #GP, 0 = #DE, 6 = #UD, ... */
	uint64_t error_code;
	uint64_t fault_addr;	/* CR2 for page faults */
};

#define USER_FPU_AREA_SIZE	4096

struct user_context {
	struct user_regs regs;
	struct user_trap trap;
	bool fpu_live;		/* private: state is in the CPU, not in fpu_raw */
	/*
	 * Private: the XSAVE area, at the first 64-byte boundary inside (the
	 * heap does not promise 64-byte alignment for the struct).
	 */
	uint8_t fpu_raw[USER_FPU_AREA_SIZE + 64];
};

/* Fresh state: zero registers, rflags IF set, default FPU control words. */
void user_context_init(struct user_context *ctx);

/*
 * Run ctx in the active address space until an event; interrupts are on
 * after.  Its rflags are sanitised (no privileged bits, IF set); a rip that
 * is not a user address never reaches user mode: user_run reports the #GP
 * (USER_EVENT_EXCEPTION, vector 13) the CPU would raise on the way back.
 */
enum user_event user_run(struct user_context *ctx);

/*
 * Copy the FPU state between the context and a buffer in the XSAVE/FXSAVE
 * layout (for signal frames).  Returns the number of bytes.
 */
size_t user_fpu_state_size(void);
/*
 * The XSAVE features enabled for user contexts (XCR0: x87, SSE, AVX...),
 * 0 when the CPU has no XSAVE and the state is the 512-byte FXSAVE image.
 * Core dumps record it in their NT_X86_XSTATE note, as Linux does.
 */
uint64_t user_fpu_xfeatures(void);
void user_fpu_save(struct user_context *ctx, void *buf, size_t len);
void user_fpu_restore(struct user_context *ctx, const void *buf, size_t len);

/* True if addr is a canonical lower-half (user) address. */
static inline bool user_addr_ok(uint64_t addr)
{
	return addr < 0x0000800000000000ULL;
}

#endif
