/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/ptrace.h> and the x86-64 parts of <asm/ptrace-abi.h>,
 * <sys/user.h> and <linux/elf.h> that ptrace(2) uses.
 * Values are x86-64 Linux's.
 */
#ifndef ASTER_UAPI_PTRACE_H
#define ASTER_UAPI_PTRACE_H
#include <aster/types.h>

#define PTRACE_TRACEME		0
#define PTRACE_PEEKTEXT		1
#define PTRACE_PEEKDATA		2
#define PTRACE_PEEKUSR		3
#define PTRACE_POKETEXT		4
#define PTRACE_POKEDATA		5
#define PTRACE_POKEUSR		6
#define PTRACE_CONT		7
#define PTRACE_KILL		8
#define PTRACE_SINGLESTEP	9
#define PTRACE_GETREGS		12
#define PTRACE_SETREGS		13
#define PTRACE_GETFPREGS	14
#define PTRACE_SETFPREGS	15
#define PTRACE_ATTACH		16
#define PTRACE_DETACH		17
#define PTRACE_SYSCALL		24
#define PTRACE_SETOPTIONS	0x4200
#define PTRACE_GETEVENTMSG	0x4201
#define PTRACE_GETSIGINFO	0x4202
#define PTRACE_SETSIGINFO	0x4203
#define PTRACE_GETREGSET	0x4204
#define PTRACE_SETREGSET	0x4205
#define PTRACE_SEIZE		0x4206
#define PTRACE_INTERRUPT	0x4207
#define PTRACE_LISTEN		0x4208
#define PTRACE_GET_SYSCALL_INFO	0x420e

#define PTRACE_EVENT_FORK	1
#define PTRACE_EVENT_VFORK	2
#define PTRACE_EVENT_CLONE	3
#define PTRACE_EVENT_EXEC	4
#define PTRACE_EVENT_VFORK_DONE	5
#define PTRACE_EVENT_EXIT	6
#define PTRACE_EVENT_SECCOMP	7
#define PTRACE_EVENT_STOP	128

#define PTRACE_O_TRACESYSGOOD	1
#define PTRACE_O_TRACEFORK	(1 << PTRACE_EVENT_FORK)
#define PTRACE_O_TRACEVFORK	(1 << PTRACE_EVENT_VFORK)
#define PTRACE_O_TRACECLONE	(1 << PTRACE_EVENT_CLONE)
#define PTRACE_O_TRACEEXEC	(1 << PTRACE_EVENT_EXEC)
#define PTRACE_O_TRACEVFORKDONE	(1 << PTRACE_EVENT_VFORK_DONE)
#define PTRACE_O_TRACEEXIT	(1 << PTRACE_EVENT_EXIT)
#define PTRACE_O_TRACESECCOMP	(1 << PTRACE_EVENT_SECCOMP)
#define PTRACE_O_EXITKILL	(1 << 20)
#define PTRACE_O_SUSPEND_SECCOMP	(1 << 21)

#define PTRACE_SYSCALL_INFO_NONE	0
#define PTRACE_SYSCALL_INFO_ENTRY	1
#define PTRACE_SYSCALL_INFO_EXIT	2
#define PTRACE_SYSCALL_INFO_SECCOMP	3

#define AUDIT_ARCH_X86_64	0xc000003eU

/* Regset types (elf.h). */
#define NT_PRSTATUS	1
#define NT_PRFPREG	2

/* struct user_regs_struct: 27 words in this order. */
enum user_reg_index {
	UREG_R15, UREG_R14, UREG_R13, UREG_R12, UREG_RBP, UREG_RBX, UREG_R11, UREG_R10,
	UREG_R9, UREG_R8, UREG_RAX, UREG_RCX, UREG_RDX, UREG_RSI, UREG_RDI, UREG_ORIG_RAX,
	UREG_RIP, UREG_CS, UREG_EFLAGS, UREG_RSP, UREG_SS, UREG_FS_BASE, UREG_GS_BASE,
	UREG_DS, UREG_ES, UREG_FS, UREG_GS, UREG_COUNT
};
#define USER_REGS_SIZE		(UREG_COUNT * 8)
/* struct user_fpregs_struct: the FXSAVE image. */
#define USER_FPREGS_SIZE	512
/*
 * The kernel's struct user: offsetof(u_debugreg) and its size (with
 * error_code and fault_address after the debug registers, which the C
 * library's <sys/user.h> leaves out).
 */
#define USER_DEBUGREG_OFFSET	848
#define USER_STRUCT_SIZE	928

/* rflags' trap flag (single step), as <asm/processor-flags.h>. */
#define X86_EFLAGS_TF	0x100ULL

/* The selectors a 64-bit user thread runs with. */
#define USER64_CS	0x33
#define USER_DS_SEL	0x2b

struct ptrace_syscall_info {
	uint8_t op;
	uint8_t pad[3];
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t stack_pointer;
	union {
		struct {
			uint64_t nr;
			uint64_t args[6];
		} entry;
		struct {
			int64_t rval;
			uint8_t is_error;
		} exit;
		struct {
			uint64_t nr;
			uint64_t args[6];
			uint32_t ret_data;
		} seccomp;
	} u;
};

#endif
