/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <asm/signal.h>, <asm-generic/signal-defs.h> and <asm-generic/siginfo.h>: signal numbers, sigaction flags, si_code values, struct siginfo, struct sigevent.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_SIGNAL_H
#define ASTER_UAPI_SIGNAL_H

#include <aster/types.h>

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32

#define SIG_DFL		0
#define SIG_IGN		1

#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	(1U << 31)
#define MINSIGSTKSZ	2048

/* si_code values */
#define SI_USER		0
#define SI_KERNEL	0x80
#define SI_TIMER	(-2)
#define SI_MESGQ	(-3)
#define SI_QUEUE	(-1)
#define SI_TKILL	(-6)
#define SI_DETHREAD	(-7)
#define SI_ASYNCNL	(-60)

/* How many si_code values each signal's own codes span (NSIG* in asm-generic/siginfo.h). */
#define NSIGILL		11
#define NSIGFPE		15
#define NSIGSEGV	9
#define NSIGBUS		5
#define NSIGTRAP	6
#define NSIGCHLD	6
#define NSIGPOLL	6
/* SIGPOLL's si_code: why an O_ASYNC file signalled its owner. */
#define POLL_IN		1
#define POLL_OUT	2
#define POLL_MSG	3
#define POLL_ERR	4
#define POLL_PRI	5
#define POLL_HUP	6
#define NSIGSYS		2
#define ILL_ILLOPN	2
#define FPE_INTDIV	1
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define BUS_ADRERR	2
#define TRAP_BRKPT	1
#define TRAP_TRACE	2
#define SYS_SECCOMP	1
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_TRAPPED	4
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

/* sigev_notify */
#define SIGEV_SIGNAL	0
#define SIGEV_NONE	1
#define SIGEV_THREAD	2
#define SIGEV_THREAD_ID	4

/* The 128-byte siginfo as user space sees it (the fields we fill). */
struct k_siginfo {
	int32_t signo;
	int32_t errno_;
	int32_t code;
	int32_t pad0;
	union {
		struct { int32_t pid; uint32_t uid; } kill;
		struct { int32_t pid; uint32_t uid; int32_t status; int32_t pad; int64_t utime, stime; } chld;
		struct { uint64_t addr; } fault;
		struct { int32_t pid; uint32_t uid; uint64_t value; } rt;
		struct { uint64_t call_addr; int32_t syscall; uint32_t arch; } sigsys;
		uint8_t raw[112];
	} u;
};

/*
 * Bytes of the union Linux keeps (its struct kernel_siginfo is 48 bytes
 * on x86-64); the remaining 80 of siginfo_t are "expansion".
 */
#define SI_KERNEL_UNION_SIZE	32

/* The highest positive si_code that has a defined layout for sig. */
static inline int siginfo_code_limit(int sig)
{
	switch (sig) {
	case SIGILL: return NSIGILL;
	case SIGFPE: return NSIGFPE;
	case SIGSEGV: return NSIGSEGV;
	case SIGBUS: return NSIGBUS;
	case SIGTRAP: return NSIGTRAP;
	case SIGCHLD: return NSIGCHLD;
	case SIGSYS: return NSIGSYS;
	default: return NSIGPOLL;
	}
}

/* si_timerid, si_overrun and si_value: the POSIX timer member of siginfo's union. */
struct k_timer_info {
	int32_t tid;
	int32_t overrun;
	uint64_t value;
};

/* si_band and si_fd: the SIGPOLL member of siginfo's union (O_ASYNC with F_SETSIG). */
struct k_sigpoll_info {
	int64_t band;
	int32_t fd;
	int32_t pad;
};

/*
 * struct sigaction as rt_sigaction(2) takes it on x86-64 (the kernel's
 * struct sigaction; no installed header has this layout).
 */
struct user_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

/* The struct sigevent fields the kernel reads (64 bytes in all). */
struct k_sigevent {
	uint64_t value;
	int32_t signo;
	int32_t notify;
	int32_t tid;
	int32_t pad[11];
};

#endif
