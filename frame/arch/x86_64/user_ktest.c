// SPDX-License-Identifier: MPL-2.0
// ktests of user mode (user_run): SYSCALL/SYSRET round trips, registers
// preserved across syscalls, interrupts taken in user mode, and a user
// page fault reported with its address and error code.  The test maps its
// own two user pages into the low half of the boot page tables, so it does
// not depend on the address-space API.
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include <aster/user.h>
#include "../../internal.h"
#include "cpu.h"

#define PTE_P	0x1UL
#define PTE_W	0x2UL
#define PTE_U	0x4UL
#define PTE_NX	(1UL << 63)
#define CODE_VA	0x400000UL
#define STACK_VA 0x401000UL

extern uint64_t boot_pml4[];

static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[512] __attribute__((aligned(4096)));
static uint64_t pt[512] __attribute__((aligned(4096)));
static uint8_t code_page[4096] __attribute__((aligned(4096)));
static uint8_t stack_page[4096] __attribute__((aligned(4096)));
static struct user_context uctx;

/*
 *	mov $39, %eax; syscall			getpid
 *	mov %rax, %rbx
 *	mov $60, %eax; mov $7, %edi; syscall	exit(7)
 *	mov $0x4000000, %ecx; 1: dec %ecx; jnz 1b	spin: interrupts arrive
 *	movq $1, 0				page fault at address 0
 */
static const uint8_t user_program[] = {
	0xb8, 0x27, 0x00, 0x00, 0x00, 0x0f, 0x05,
	0x48, 0x89, 0xc3,
	0xb8, 0x3c, 0x00, 0x00, 0x00, 0xbf, 0x07, 0x00, 0x00, 0x00, 0x0f, 0x05,
	0xb9, 0x00, 0x00, 0x00, 0x04, 0xff, 0xc9, 0x75, 0xfc,
	0x48, 0xc7, 0x04, 0x25, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
};

static void map_user_pages(bool map)
{
	uint64_t *pml4 = phys_to_virt((uint64_t)boot_pml4);

	if (!map) {
		pml4[0] = 0;
		flush_tlb_local();
		return;
	}
	memset(pdpt, 0, sizeof(pdpt));
	memset(pd, 0, sizeof(pd));
	memset(pt, 0, sizeof(pt));
	pdpt[0] = kernel_virt_to_phys(pd) | PTE_P | PTE_W | PTE_U;
	pd[CODE_VA >> 21] = kernel_virt_to_phys(pt) | PTE_P | PTE_W | PTE_U;
	pt[(CODE_VA >> 12) & 511] = kernel_virt_to_phys(code_page) | PTE_P | PTE_U;
	pt[(STACK_VA >> 12) & 511] = kernel_virt_to_phys(stack_page) | PTE_P | PTE_W | PTE_U | PTE_NX;
	pml4[0] = kernel_virt_to_phys(pdpt) | PTE_P | PTE_W | PTE_U;
	flush_tlb_local();
}

/* Run until something other than an interrupt happens (a tick may come first). */
static enum user_event run_past_interrupts(struct user_context *ctx)
{
	enum user_event ev;

	do {
		ev = user_run(ctx);
	} while (ev == USER_EVENT_INTERRUPT);
	return ev;
}

KTEST(user_mode_syscalls_interrupts_and_faults)
{
	enum user_event ev;
	int interrupts = 0;

	memset(code_page, 0xcc, sizeof(code_page));	/* int3 after the program */
	memcpy(code_page, user_program, sizeof(user_program));
	map_user_pages(true);
	user_context_init(&uctx);
	uctx.regs.rip = CODE_VA;
	uctx.regs.rsp = STACK_VA + 4096;
	uctx.regs.r12 = 0x1122334455667788UL;

	ev = run_past_interrupts(&uctx);
	KT_EXPECT(ev == USER_EVENT_SYSCALL && uctx.regs.rax == 39);
	uctx.regs.rax = 1234;				/* getpid's result */
	ev = run_past_interrupts(&uctx);
	KT_EXPECT(ev == USER_EVENT_SYSCALL && uctx.regs.rax == 60 && uctx.regs.rdi == 7);
	KT_EXPECT(uctx.regs.rbx == 1234);		/* the result reached user mode */
	KT_EXPECT(uctx.regs.r12 == 0x1122334455667788UL);
	KT_EXPECT(uctx.regs.rip == CODE_VA + 22);	/* after the second syscall */
	uctx.regs.rax = 0;
	do {
		ev = user_run(&uctx);
		if (ev == USER_EVENT_INTERRUPT)
			interrupts++;
	} while (ev == USER_EVENT_INTERRUPT && interrupts < 100000);
	KT_EXPECT(ev == USER_EVENT_EXCEPTION);
	KT_EXPECT(uctx.trap.vector == 14);
	KT_EXPECT(uctx.trap.fault_addr == 0);
	KT_EXPECT((uctx.trap.error_code & (PF_USER | PF_WRITE)) == (PF_USER | PF_WRITE));
	KT_EXPECT(uctx.regs.rcx == 0);			/* the loop ran to its end */
	KT_EXPECT(interrupts >= 1);
	map_user_pages(false);
}

KTEST(user_mode_iret_path_restores_rcx_r11)
{
	/* A context whose rcx differs from rip must come back through IRET. */
	static const uint8_t prog[] = { 0x0f, 0x05 };	/* syscall */
	enum user_event ev;

	memset(code_page, 0xcc, sizeof(code_page));
	memcpy(code_page, prog, sizeof(prog));
	map_user_pages(true);
	user_context_init(&uctx);
	uctx.regs.rip = CODE_VA;
	uctx.regs.rsp = STACK_VA + 4096;
	uctx.regs.rcx = 0xabcdef;
	uctx.regs.r11 = 0x777;
	uctx.regs.rax = 5;
	ev = run_past_interrupts(&uctx);
	KT_EXPECT(ev == USER_EVENT_SYSCALL && uctx.regs.rax == 5);
	/* Now let the int3 after the syscall trap: #BP from user mode. */
	ev = run_past_interrupts(&uctx);
	KT_EXPECT(ev == USER_EVENT_EXCEPTION && uctx.trap.vector == 3);
	map_user_pages(false);
}

/*
 * The CPU's lazily switched FPU state never outlives its context: freeing
 * the memory without a word to frame/ makes frame/ forget it, so running
 * another context cannot XSAVE into the freed (here: reused) block.
 */
KTEST(user_fpu_state_dies_with_its_context)
{
	static const uint8_t prog[] = { 0x0f, 0x05 };	/* syscall */
	struct user_context *ctx = kmalloc(sizeof(*ctx));
	uint8_t *reuse;
	bool intact = true;

	KT_ASSERT(ctx != NULL);
	memset(code_page, 0xcc, sizeof(code_page));
	memcpy(code_page, prog, sizeof(prog));
	map_user_pages(true);
	user_context_init(ctx);
	ctx->regs.rip = CODE_VA;
	ctx->regs.rsp = STACK_VA + 4096;
	KT_EXPECT(run_past_interrupts(ctx) == USER_EVENT_SYSCALL);
	KT_EXPECT(arch_user_fpu_owned_in(ctx, sizeof(*ctx)));
	kfree(ctx);					/* no release call */
	KT_EXPECT(!arch_user_fpu_owned_in(ctx, sizeof(*ctx)));
	reuse = kmalloc(sizeof(*ctx));			/* most likely the same block */
	KT_ASSERT(reuse != NULL);
	memset(reuse, 0x5a, sizeof(*ctx));
	user_context_init(&uctx);
	uctx.regs.rip = CODE_VA;
	uctx.regs.rsp = STACK_VA + 4096;
	KT_EXPECT(run_past_interrupts(&uctx) == USER_EVENT_SYSCALL);
	for (size_t i = 0; i < sizeof(*ctx); i++)
		intact &= reuse[i] == 0x5a;
	KT_EXPECT(intact);
	kfree(reuse);
	/* A context started afresh does not keep the old state either. */
	KT_EXPECT(arch_user_fpu_owned_in(&uctx, sizeof(uctx)));
	user_context_init(&uctx);
	KT_EXPECT(!arch_user_fpu_owned_in(&uctx, sizeof(uctx)));
	map_user_pages(false);
}
