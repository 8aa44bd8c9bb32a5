/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <asm/ucontext.h> and <asm/sigcontext.h>: the ucontext of an x86-64 signal frame.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_UCONTEXT_H
#define ASTER_UAPI_UCONTEXT_H

#include <aster/types.h>

/* uc_flags */
#define UC_FP_XSTATE		0x1
#define UC_SIGCONTEXT_SS	0x2
#define UC_STRICT_RESTORE_SS	0x4

/* struct sigcontext as 64-bit words, in the ABI's order. */
enum {
	SC_R8, SC_R9, SC_R10, SC_R11, SC_R12, SC_R13, SC_R14, SC_R15,
	SC_RDI, SC_RSI, SC_RBP, SC_RBX, SC_RDX, SC_RAX, SC_RCX, SC_RSP,
	SC_RIP, SC_RFLAGS, SC_SEGS, SC_ERR, SC_TRAPNO, SC_OLDMASK, SC_CR2,
	SC_FPSTATE, SC_RESERVED, SC_WORDS = SC_RESERVED + 8,
};

/* struct ucontext (uc_stack is struct sigaltstack, uc_mcontext struct sigcontext). */
struct k_ucontext {
	uint64_t flags;
	uint64_t link;
	uint64_t ss_sp;
	uint32_t ss_flags;
	uint32_t pad;
	uint64_t ss_size;
	uint64_t mc[SC_WORDS];
	uint64_t sigmask;
};

#endif
