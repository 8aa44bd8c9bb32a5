// SPDX-License-Identifier: MPL-2.0
// t_seccomp: seccomp(2) and prctl(PR_SET_SECCOMP/PR_GET_SECCOMP): strict
// mode, and filters with each action (ERRNO, TRAP with its siginfo,
// KILL_PROCESS, KILL_THREAD, LOG, TRACE with and without a ptrace tracer),
// the precedence of stacked filters, inheritance across fork and execve,
// TSYNC, /proc/self/status and every error path.  A filter cannot be
// removed, so each case runs in a child of its own.  Raw syscalls, so that
// glibc, musl and the dynamic flavour make the same calls.  Passes on Linux
// too (make check-linux).
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <ucontext.h>
#if __has_include(<linux/seccomp.h>)
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#else
/* musl has no Linux UAPI headers: what this test uses, with Linux's values. */
struct sock_filter { uint16_t code; uint8_t jt, jf; uint32_t k; };
struct sock_fprog { unsigned short len; struct sock_filter *filter; };
struct seccomp_data { int nr; uint32_t arch; uint64_t instruction_pointer; uint64_t args[6]; };
#define BPF_LD 0x00
#define BPF_LDX 0x01
#define BPF_ALU 0x04
#define BPF_JMP 0x05
#define BPF_RET 0x06
#define BPF_W 0x00
#define BPF_H 0x08
#define BPF_B 0x10
#define BPF_IMM 0x00
#define BPF_ABS 0x20
#define BPF_IND 0x40
#define BPF_LEN 0x80
#define BPF_JEQ 0x10
#define BPF_K 0x00
#define BPF_A 0x10
#define BPF_STMT(code, k) { (unsigned short)(code), 0, 0, k }
#define BPF_JUMP(code, k, jt, jf) { (unsigned short)(code), jt, jf, k }
#define AUDIT_ARCH_X86_64 0xc000003eU
#define SECCOMP_MODE_STRICT 1
#define SECCOMP_MODE_FILTER 2
#define SECCOMP_SET_MODE_STRICT 0
#define SECCOMP_SET_MODE_FILTER 1
#define SECCOMP_GET_ACTION_AVAIL 2
#define SECCOMP_FILTER_FLAG_TSYNC 1UL
#define SECCOMP_FILTER_FLAG_LOG 2UL
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW 4UL
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#define SECCOMP_RET_KILL_THREAD 0x00000000U
#define SECCOMP_RET_TRAP 0x00030000U
#define SECCOMP_RET_ERRNO 0x00050000U
#define SECCOMP_RET_TRACE 0x7ff00000U
#define SECCOMP_RET_LOG 0x7ffc0000U
#define SECCOMP_RET_ALLOW 0x7fff0000U
#endif
#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif
#ifndef PTRACE_EVENT_SECCOMP
#define PTRACE_EVENT_SECCOMP 7
#endif
#ifndef PTRACE_O_TRACESECCOMP
#define PTRACE_O_TRACESECCOMP (1 << PTRACE_EVENT_SECCOMP)
#endif
/* PTRACE_GET_SYSCALL_INFO's answer in a seccomp stop (not in every libc's headers). */
struct sc_info {
	uint8_t op, pad[3];
	uint32_t arch;
	uint64_t ip, sp, nr, args[6];
	uint32_t ret_data, pad2;
};
#define GET_SYSCALL_INFO 0x420e
#define SYSCALL_INFO_SECCOMP 3

#ifndef PR_SET_NO_NEW_PRIVS
#define PR_SET_NO_NEW_PRIVS 38
#endif

#define NR_OFF	offsetof(struct seccomp_data, nr)
#define ARCH_OFF offsetof(struct seccomp_data, arch)
#define ARG0_OFF offsetof(struct seccomp_data, args)

static long sc(unsigned int op, unsigned int flags, const void *args)
{
	return syscall(SYS_seccomp, op, flags, args);
}

/* Install a filter of n instructions (no_new_privs first): seccomp's result. */
static long install(struct sock_filter *f, unsigned short n, unsigned int flags)
{
	struct sock_fprog p = { n, f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return sc(SECCOMP_SET_MODE_FILTER, flags, &p);
}

/* A filter that answers ret for syscall nr and allows everything else (checking the arch first). */
static long install_on(long nr, uint32_t ret, unsigned int flags)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARCH_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, ret),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	return install(f, sizeof(f) / sizeof(f[0]), flags);
}

/* Run fn in a child: its wait status. */
static int in_child(int (*fn)(void))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		/* SIGSYS kills dump core on Linux: no core files. */
		setrlimit(RLIMIT_CORE, &no_core);
		check_failed = 0;	/* the child's own checks decide its status */
		_exit(fn());
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static int exited_ok(int st)
{
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* A field of /proc/self/status ("Seccomp:"), or -1. */
static long status_field(const char *name)
{
	char buf[4096], *p;
	long n = check_read_file("/proc/self/status", buf, sizeof(buf));

	if (n < 0)
		return -1;
	p = strstr(buf, name);
	return p ? strtol(p + strlen(name), NULL, 10) : -1;
}

/* ---- errors ---- */

static int errors_child(void)
{
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_filter no_ret[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF) };
	struct sock_filter jump_out[] = {
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter past_end[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, sizeof(struct seccomp_data)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter unaligned[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter half[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter byte[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter ind[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter anc[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)-0x1000),	/* SKF_AD_OFF + SKF_AD_PROTOCOL */
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter mod[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 7),
		BPF_STMT(BPF_ALU | 0x90 | BPF_K, 2),	/* BPF_MOD: never in seccomp's list */
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { 1, allow };
	struct sock_fprog bad_ptr = { 1, (struct sock_filter *)8 };
	struct sock_fprog empty = { 0, allow };
	struct sock_fprog too_long = { 4097, allow };
	uint32_t act;

	CHECK_RET(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 0, "PR_GET_SECCOMP: 0 without seccomp");
	CHECK_RET(status_field("Seccomp:\t"), 0, "/proc/self/status Seccomp: 0");
	CHECK_RET(status_field("Seccomp_filters:\t"), 0, "/proc/self/status Seccomp_filters: 0");
	CHECK_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "PR_SET_NO_NEW_PRIVS");
	CHECK_ERR(sc(99, 0, NULL), EINVAL, "unknown operation: EINVAL");
	CHECK_ERR(sc(SECCOMP_SET_MODE_STRICT, 1, NULL), EINVAL, "strict mode with flags: EINVAL");
	CHECK_ERR(sc(SECCOMP_SET_MODE_STRICT, 0, &p), EINVAL, "strict mode with args: EINVAL");
	CHECK_ERR(sc(SECCOMP_SET_MODE_FILTER, 1u << 30, &p), EINVAL, "filter with unknown flags: EINVAL");
	CHECK_ERR(sc(SECCOMP_SET_MODE_FILTER, 0, NULL), EFAULT, "filter at NULL: EFAULT");
	CHECK_ERR(sc(SECCOMP_SET_MODE_FILTER, 0, (void *)8), EFAULT, "filter at a bad address: EFAULT");
	CHECK_ERR(sc(SECCOMP_SET_MODE_FILTER, 0, &bad_ptr), EFAULT, "instructions at a bad address: EFAULT");
	CHECK_ERR(sc(SECCOMP_SET_MODE_FILTER, 0, &empty), EINVAL, "empty program: EINVAL");
	CHECK_ERR(sc(SECCOMP_SET_MODE_FILTER, 0, &too_long), EINVAL, "4097 instructions: EINVAL");
	CHECK_ERR(install(no_ret, 1, 0), EINVAL, "program without a final RET: EINVAL");
	CHECK_ERR(install(jump_out, 2, 0), EINVAL, "jump past the end: EINVAL");
	CHECK_ERR(install(past_end, 2, 0), EINVAL, "load past struct seccomp_data: EINVAL");
	CHECK_ERR(install(unaligned, 2, 0), EINVAL, "unaligned load: EINVAL");
	CHECK_ERR(install(half, 2, 0), EINVAL, "16-bit load: EINVAL");
	CHECK_ERR(install(byte, 2, 0), EINVAL, "8-bit load: EINVAL");
	CHECK_ERR(install(ind, 2, 0), EINVAL, "indirect load: EINVAL");
	CHECK_ERR(install(anc, 2, 0), EINVAL, "packet ancillary load: EINVAL");
	CHECK_ERR(install(mod, 3, 0), EINVAL, "BPF_MOD: EINVAL");
	CHECK_ERR(prctl(PR_SET_SECCOMP, 7, 0, 0, 0), EINVAL, "PR_SET_SECCOMP with an unknown mode: EINVAL");
	CHECK_ERR(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, 8, 0, 0), EFAULT, "PR_SET_SECCOMP filter at a bad address: EFAULT");
	CHECK_RET(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 0, "nothing was installed by the failures");

	act = SECCOMP_RET_ALLOW;
	CHECK_ERR(sc(SECCOMP_GET_ACTION_AVAIL, 1, &act), EINVAL, "GET_ACTION_AVAIL with flags: EINVAL");
	CHECK_ERR(sc(SECCOMP_GET_ACTION_AVAIL, 0, (void *)8), EFAULT, "GET_ACTION_AVAIL at a bad address: EFAULT");
	act = 0x00010000;
	CHECK_ERR(sc(SECCOMP_GET_ACTION_AVAIL, 0, &act), EOPNOTSUPP, "GET_ACTION_AVAIL of an unknown action: EOPNOTSUPP");
	act = SECCOMP_RET_ERRNO | 1;
	CHECK_ERR(sc(SECCOMP_GET_ACTION_AVAIL, 0, &act), EOPNOTSUPP, "GET_ACTION_AVAIL with data bits: EOPNOTSUPP");
	{
		static const uint32_t acts[] = { SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD,
			SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO, SECCOMP_RET_TRACE, SECCOMP_RET_LOG,
			SECCOMP_RET_ALLOW };
		for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
			char d[64];
			act = acts[i];
			snprintf(d, sizeof(d), "GET_ACTION_AVAIL %#x: available", acts[i]);
			CHECK_RET(sc(SECCOMP_GET_ACTION_AVAIL, 0, &act), 0, d);
		}
	}
	return check_failed ? 1 : 0;
}

/* Without no_new_privs and as a user without privilege: EACCES; strict mode needs neither. */
static int eacces_child(void)
{
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog p = { 1, allow };

	if (setgid(65534) || setuid(65534)) {
		check_printf("# setuid(65534): %s\n", strerror(errno));
		return 1;
	}
	CHECK_ERR(sc(SECCOMP_SET_MODE_FILTER, 0, &p), EACCES, "unprivileged, no no_new_privs: EACCES");
	CHECK_ERR(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p, 0, 0), EACCES, "the same through prctl: EACCES");
	CHECK_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "PR_SET_NO_NEW_PRIVS");
	CHECK_RET(sc(SECCOMP_SET_MODE_FILTER, 0, &p), 0, "with no_new_privs: installed");
	return check_failed ? 1 : 0;
}

/* 32768 instructions in all, each filter counting 4 more: 7 of 4096 fit, an 8th is ENOMEM. */
static int enomem_child(void)
{
	static struct sock_filter big[4096];
	int ok = 0;

	for (int i = 0; i < 4095; i++)
		big[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_IMM, (uint32_t)i);
	big[4095] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	for (int i = 0; i < 7; i++)
		if (install(big, 4096, 0) == 0)
			ok++;
	CHECK_RET(ok, 7, "7 filters of 4096 instructions installed");
	CHECK_ERR(install(big, 4096, 0), ENOMEM, "an 8th: ENOMEM");
	CHECK_RET(status_field("Seccomp_filters:\t"), 7, "/proc/self/status Seccomp_filters: 7");
	return check_failed ? 1 : 0;
}

/* ---- the actions ---- */

static int errno_child(void)
{
	int fd = open("/dev/null", O_WRONLY);
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)fd, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	CHECK_RET(install(f, 6, 0), 0, "ERRNO filter on write to /dev/null installed");
	CHECK_ERR(syscall(SYS_write, fd, "x", 1), EPERM, "write to /dev/null: EPERM from the filter");
	CHECK_RET(syscall(SYS_write, 1, "# stdout still works\n", 21), 21, "write to stdout: allowed");
	CHECK_RET(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), SECCOMP_MODE_FILTER, "PR_GET_SECCOMP: 2");
	CHECK_RET(status_field("Seccomp:\t"), 2, "/proc/self/status Seccomp: 2");
	CHECK_RET(status_field("Seccomp_filters:\t"), 1, "/proc/self/status Seccomp_filters: 1");
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_ERRNO | 5000, 0), 0, "ERRNO 5000 filter installed");
	CHECK_ERR(syscall(SYS_getppid), 4095, "ERRNO data past 4095 is 4095");
	CHECK_RET(status_field("Seccomp_filters:\t"), 2, "/proc/self/status Seccomp_filters: 2");
	return check_failed ? 1 : 0;
}

/* The filter sees each argument register, low word first, and the instruction pointer. */
static int args_child(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | E2BIG),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_OFF + 5 * 8 + 4),	/* args[5], high word */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x66666666, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOTDIR),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_OFF + 3 * 8),		/* args[3], low word */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x33, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EXDEV),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_OFF + 1 * 8 + 4),	/* args[1], high word */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x11111111, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ESRCH),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	pid_t ppid = getppid();

	CHECK_RET(install(f, sizeof(f) / sizeof(f[0]), 0), 0, "argument filter installed");
	/* Every argument a long: an int in syscall()'s varargs leaves the upper half undefined. */
	CHECK_ERR(syscall(SYS_getppid, 0L, 0L, 0L, 0L, 0L, 0x6666666600000000L), ENOTDIR, "args[5] (r9) high word seen");
	CHECK_ERR(syscall(SYS_getppid, 0L, 0L, 0L, 0x33L, 0L, 0L), EXDEV, "args[3] (r10) low word seen");
	CHECK_ERR(syscall(SYS_getppid, 0L, 0x1111111100000000L, 0L, 0L, 0L, 0L), ESRCH, "args[1] (rsi) high word seen");
	CHECK_RET(syscall(SYS_getppid, 0x33L, 0x11111111L, 0L, 0L, 0L, 0L), ppid, "other registers: allowed");
	return check_failed ? 1 : 0;
}

static siginfo_t trap_info;
static long trap_rax;
static int trap_count;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	ucontext_t *u = uc;

	(void)sig;
	trap_info = *si;
	trap_rax = u->uc_mcontext.gregs[REG_RAX];
	trap_count++;
}

static int trap_child(void)
{
	struct sigaction sa;
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_TRAP | 0x42, 0), 0, "TRAP filter installed");
	r = syscall(SYS_getppid);
	CHECK_RET(trap_count, 1, "TRAP: the SIGSYS handler ran");
	CHECK_RET(trap_info.si_signo, SIGSYS, "si_signo SIGSYS");
	CHECK_RET(trap_info.si_code, SYS_SECCOMP, "si_code SYS_SECCOMP");
	CHECK_RET(trap_info.si_errno, 0x42, "si_errno: the filter's data");
	CHECK_RET(trap_info.si_syscall, SYS_getppid, "si_syscall: getppid");
	CHECK_RET(trap_info.si_arch, AUDIT_ARCH_X86_64, "si_arch: AUDIT_ARCH_X86_64");
	CHECK(trap_info.si_call_addr != NULL, "si_call_addr: after the syscall instruction", "NULL");
	CHECK_RET(trap_rax, SYS_getppid, "the handler's rax: the syscall number (not run)");
	CHECK_RET(r, SYS_getppid, "the syscall returns what rax held: its number");
	return check_failed ? 1 : 0;
}

static int kill_process_child(void)
{
	install_on(SYS_getppid, SECCOMP_RET_KILL_PROCESS, 0);
	syscall(SYS_getppid);
	return 42;
}

static int unknown_action_child(void)
{
	install_on(SYS_getppid, 0x00010000, 0);
	syscall(SYS_getppid);
	return 42;
}

static int kill_thread_single_child(void)
{
	install_on(SYS_getppid, SECCOMP_RET_KILL_THREAD, 0);
	syscall(SYS_getppid);
	return 42;
}

static volatile int thread_survived;

static void *getppid_thread(void *arg)
{
	(void)arg;
	syscall(SYS_getppid);
	thread_survived = 1;	/* not reached: the filter kills the thread */
	return NULL;
}

static int kill_thread_child(void)
{
	pthread_t th;

	if (install_on(SYS_getppid, SECCOMP_RET_KILL_THREAD, 0))
		return 1;
	if (pthread_create(&th, NULL, getppid_thread, NULL))
		return 2;
	/* Not pthread_join: musl's never learns of a thread the kernel ended. */
	for (int i = 0; i < 500 && status_field("Threads:\t") != 1; i++)
		usleep(10000);
	if (status_field("Threads:\t") != 1)
		return 3;
	return thread_survived ? 4 : 0;
}

static int log_child(void)
{
	pid_t ppid = getppid();
	struct sock_filter len[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, sizeof(struct seccomp_data), 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	CHECK_RET(install(len, 4, 0), 0, "BPF_LEN filter installed");
	CHECK_RET(syscall(SYS_getppid), ppid, "BPF_LEN loads sizeof(struct seccomp_data)");
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_LOG, SECCOMP_FILTER_FLAG_LOG), 0, "LOG filter installed");
	CHECK_RET(syscall(SYS_getppid), ppid, "LOG: the syscall runs");
	return check_failed ? 1 : 0;
}

static int trace_no_tracer_child(void)
{
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_TRACE | 1, 0), 0, "TRACE filter installed");
	CHECK_ERR(syscall(SYS_getppid), ENOSYS, "TRACE without a tracer: ENOSYS");
	return check_failed ? 1 : 0;
}

/* The tracee: its getppid becomes getpid, its getuid is skipped with 4242. */
static int traced_child(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 0x123),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getuid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 0x7),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	if (ptrace(PTRACE_TRACEME, 0, 0, 0))
		return 10;
	raise(SIGSTOP);
	if (install(f, 6, 0))
		return 11;
	if (syscall(SYS_getppid) != getpid())
		return 12;
	if (syscall(SYS_getuid) != 4242)
		return 13;
	return 0;
}

/* One PTRACE_EVENT_SECCOMP stop: its message and number; set orig_rax (and rax). */
static int seccomp_stop(pid_t pid, unsigned long want_msg, long want_nr, long new_nr, long new_rax)
{
	struct user_regs_struct regs;
	unsigned long msg = 0;
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st) || (st >> 8) != (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
		check_printf("# wanted a seccomp stop, status %#x\n", st);
		return 0;
	}
	ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
	ptrace(PTRACE_GETREGS, pid, 0, &regs);
	CHECK_RET((long)msg, (long)want_msg, "PTRACE_EVENT_SECCOMP: the filter's data as event message");
	CHECK_RET((long)regs.orig_rax, want_nr, "PTRACE_EVENT_SECCOMP: orig_rax is the syscall");
	{
		struct sc_info si;
		long n;

		memset(&si, 0xff, sizeof(si));
		n = ptrace(GET_SYSCALL_INFO, pid, sizeof(si), &si);
		CHECK_RET(n, offsetof(struct sc_info, ret_data) + 4, "PTRACE_GET_SYSCALL_INFO: the seccomp size");
		CHECK(si.op == SYSCALL_INFO_SECCOMP && si.nr == (uint64_t)want_nr && si.ret_data == want_msg &&
		      si.arch == AUDIT_ARCH_X86_64, "PTRACE_GET_SYSCALL_INFO: op SECCOMP, nr, ret_data",
		      "op %d nr %lu ret_data %#x", si.op, (unsigned long)si.nr, si.ret_data);
	}
	regs.orig_rax = (unsigned long)new_nr;
	if (new_nr < 0)
		regs.rax = (unsigned long)new_rax;
	CHECK_OK(ptrace(PTRACE_SETREGS, pid, 0, &regs), "PTRACE_SETREGS in the seccomp stop");
	CHECK_OK(ptrace(PTRACE_CONT, pid, 0, 0), "PTRACE_CONT");
	return 1;
}

static void test_trace_tracer(void)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0)
		_exit(traced_child());
	if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st)) {
		CHECK(0, "tracee stopped", "status %#x", st);
		return;
	}
	CHECK_OK(ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESECCOMP), "PTRACE_O_TRACESECCOMP");
	ptrace(PTRACE_CONT, pid, 0, 0);
	if (seccomp_stop(pid, 0x123, SYS_getppid, SYS_getpid, 0))
		seccomp_stop(pid, 0x7, SYS_getuid, -1, 4242);
	waitpid(pid, &st, 0);
	CHECK(exited_ok(st), "TRACE: the tracer changed getppid to getpid and skipped getuid with 4242",
	      "status %#x", st);
}

/* ---- stacking ---- */

static int stack_child(void)
{
	struct sigaction sa;

	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, 0), 0, "filter 1 (ERRNO EPERM)");
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_LOG, 0), 0, "filter 2 (LOG)");
	CHECK_ERR(syscall(SYS_getppid), EPERM, "ERRNO of an older filter beats a newer LOG");
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_ALLOW, 0), 0, "filter 3 (ALLOW)");
	CHECK_ERR(syscall(SYS_getppid), EPERM, "and a newer ALLOW");
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_ERRNO | EACCES, 0), 0, "filter 4 (ERRNO EACCES)");
	CHECK_ERR(syscall(SYS_getppid), EACCES, "two ERRNOs: the newest filter's");
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_TRACE, 0), 0, "filter 5 (TRACE)");
	CHECK_ERR(syscall(SYS_getppid), EACCES, "ERRNO beats TRACE");
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_TRAP | 9, 0), 0, "filter 6 (TRAP)");
	syscall(SYS_getppid);
	CHECK(trap_count == 1 && trap_info.si_errno == 9, "TRAP beats ERRNO", "%d traps", trap_count);
	CHECK_RET(status_field("Seccomp_filters:\t"), 6, "/proc/self/status Seccomp_filters: 6");
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_KILL_THREAD, 0), 0, "filter 7 (KILL_THREAD)");
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_KILL_PROCESS, 0), 0, "filter 8 (KILL_PROCESS)");
	if (check_failed)
		return 1;
	syscall(SYS_getppid);	/* KILL_PROCESS beats all */
	return 42;
}

/* ---- inheritance ---- */

static const char *self_exe = "/proc/self/exe";

static int fork_child(void)
{
	pid_t pid;
	int st = -1;

	if (install_on(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, 0))
		return 1;
	pid = fork();
	if (pid == 0)
		_exit(syscall(SYS_getppid) == -1 && errno == EPERM &&
		      status_field("Seccomp_filters:\t") == 1 ? 0 : 1);
	waitpid(pid, &st, 0);
	return exited_ok(st) ? 0 : 2;
}

/* main with "exec-child": the filter of the program before execve still holds. */
static int after_exec(void)
{
	if (syscall(SYS_getppid) != -1 || errno != EPERM)
		return 3;
	if (status_field("Seccomp:\t") != 2 || status_field("Seccomp_filters:\t") != 1)
		return 4;
	return 0;
}

static int exec_child(void)
{
	char *argv[] = { (char *)"t_seccomp", (char *)"exec-child", NULL };
	char *envp[] = { NULL };

	if (install_on(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, 0))
		return 1;
	execve(self_exe, argv, envp);
	return 2;
}

/* ---- TSYNC ---- */

static int tsync_pipe[2], tsync_back[2];
static volatile pid_t thread_tid;

/* Waits for a byte, then reports what getppid does in it ('E' EPERM, 'A' allowed, 'C' EACCES). */
static void *tsync_thread(void *arg)
{
	char c;

	thread_tid = (pid_t)syscall(SYS_gettid);
	if (arg) {
		/* A filter of its own: the process can no longer be synced. */
		install_on(SYS_getppid, SECCOMP_RET_ERRNO | EACCES, 0);
	}
	write(tsync_back[1], "r", 1);
	if (read(tsync_pipe[0], &c, 1) != 1)
		return NULL;
	errno = 0;
	c = syscall(SYS_getppid) >= 0 ? 'A' : errno == EPERM ? 'E' : errno == EACCES ? 'C' : '?';
	write(tsync_back[1], &c, 1);
	return NULL;
}

static int tsync_child(void)
{
	pthread_t th;
	char c = 0;

	if (pipe(tsync_pipe) || pipe(tsync_back) || pthread_create(&th, NULL, tsync_thread, NULL))
		return 1;
	read(tsync_back[0], &c, 1);
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, SECCOMP_FILTER_FLAG_TSYNC), 0,
		  "TSYNC filter installed");
	write(tsync_pipe[1], "g", 1);
	read(tsync_back[0], &c, 1);
	CHECK_RET(c, 'E', "TSYNC: the other thread has the filter");
	pthread_join(th, NULL);
	return check_failed ? 1 : 0;
}

static int tsync_fail_child(void)
{
	pthread_t th;
	char c = 0;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || pipe(tsync_pipe) || pipe(tsync_back) ||
	    pthread_create(&th, NULL, tsync_thread, (void *)1))
		return 1;
	read(tsync_back[0], &c, 1);
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, SECCOMP_FILTER_FLAG_TSYNC), thread_tid,
		  "TSYNC with a thread of other filters: that thread's tid");
	CHECK(syscall(SYS_getppid) > 0, "the failed TSYNC installed nothing", "getppid failed");
	write(tsync_pipe[1], "g", 1);
	read(tsync_back[0], &c, 1);
	CHECK_RET(c, 'C', "the thread keeps its own filter only");
	pthread_join(th, NULL);
	return check_failed ? 1 : 0;
}

/* ---- strict mode ---- */

static int strict_pipe[2];

static int strict_child(void)
{
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0))
		return 1;
	syscall(SYS_write, strict_pipe[1], "w", 1);
	syscall(SYS_getpid);	/* not allowed: SIGKILL */
	syscall(SYS_write, strict_pipe[1], "x", 1);
	return 2;
}

static int strict_exit_child(void)
{
	if (sc(SECCOMP_SET_MODE_STRICT, 0, NULL))
		return 1;
	syscall(SYS_exit, 7);	/* exit is allowed (exit_group is not) */
	return 2;
}

static int strict_prctl_child(void)
{
	if (sc(SECCOMP_SET_MODE_STRICT, 0, NULL))
		return 1;
	prctl(PR_GET_SECCOMP, 0, 0, 0, 0);	/* not allowed either */
	return 2;
}

static int strict_after_filter_child(void)
{
	CHECK_RET(install_on(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, 0), 0, "filter installed");
	CHECK_ERR(prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0), EINVAL, "strict mode after a filter: EINVAL");
	CHECK_ERR(sc(SECCOMP_SET_MODE_STRICT, 0, NULL), EINVAL, "seccomp(SET_MODE_STRICT) after a filter: EINVAL");
	return check_failed ? 1 : 0;
}

static void test_strict(void)
{
	char buf[4] = { 0 };
	int st;

	if (pipe(strict_pipe))
		return;
	st = in_child(strict_child);
	close(strict_pipe[1]);
	CHECK_RET(read(strict_pipe[0], buf, sizeof(buf)), 1, "strict mode: write allowed, nothing after the kill");
	close(strict_pipe[0]);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "strict mode: getpid kills with SIGKILL", "status %#x", st);
	st = in_child(strict_exit_child);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "strict mode: exit allowed", "status %#x", st);
	st = in_child(strict_prctl_child);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "strict mode: prctl kills with SIGKILL", "status %#x", st);
	CHECK(exited_ok(in_child(strict_after_filter_child)), "strict mode after a filter", "failed");
}

static void expect_sigsys(int (*fn)(void), const char *desc)
{
	int st = in_child(fn);

	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, desc, "status %#x", st);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec-child") == 0)
		return after_exec();
	check_init(argv[0]);
	CHECK(exited_ok(in_child(errors_child)), "error paths", "failed");
	if (getuid() == 0)
		CHECK(exited_ok(in_child(eacces_child)), "EACCES without no_new_privs", "failed");
	else
		check_skip("EACCES without no_new_privs", "not root");
	CHECK(exited_ok(in_child(enomem_child)), "ENOMEM past 32768 instructions", "failed");
	CHECK(exited_ok(in_child(errno_child)), "RET_ERRNO", "failed");
	CHECK(exited_ok(in_child(args_child)), "struct seccomp_data: arguments and instruction pointer", "failed");
	CHECK(exited_ok(in_child(trap_child)), "RET_TRAP", "failed");
	expect_sigsys(kill_process_child, "RET_KILL_PROCESS: killed by SIGSYS");
	expect_sigsys(unknown_action_child, "an unknown action: killed by SIGSYS as KILL_PROCESS");
	expect_sigsys(kill_thread_single_child, "RET_KILL_THREAD of the only thread: killed by SIGSYS");
	CHECK(exited_ok(in_child(kill_thread_child)), "RET_KILL_THREAD: only that thread ends", "failed");
	CHECK(exited_ok(in_child(log_child)), "RET_LOG", "failed");
	CHECK(exited_ok(in_child(trace_no_tracer_child)), "RET_TRACE without a tracer", "failed");
	test_trace_tracer();
	expect_sigsys(stack_child, "stacked filters: KILL_PROCESS beats all");
	CHECK(exited_ok(in_child(fork_child)), "filters inherited across fork", "failed");
	CHECK(exited_ok(in_child(exec_child)), "filters kept across execve", "failed");
	CHECK(exited_ok(in_child(tsync_child)), "SECCOMP_FILTER_FLAG_TSYNC", "failed");
	CHECK(exited_ok(in_child(tsync_fail_child)), "TSYNC that cannot sync", "failed");
	test_strict();
	return check_done();
}
