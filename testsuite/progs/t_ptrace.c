/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_ptrace -- ptrace(2), process_vm_readv/writev and /proc/PID/status's
 * tracer fields: each request's success and error paths, a syscall trace
 * of a child, fork and exec events, single steps, a breakpoint poked into
 * read-only text, tracer death (with and without PTRACE_O_EXITKILL) and
 * SIGKILL of a stopped tracee.  Every wait has an alarm behind it: a
 * tracee left stopped for ever fails the test instead of hanging it.
 */
#include "check.h"
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <stddef.h>
#include <elf.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#ifndef PTRACE_SYSCALL_INFO_ENTRY
#define PTRACE_SYSCALL_INFO_ENTRY 1
#define PTRACE_SYSCALL_INFO_EXIT 2
#endif
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#ifndef __WALL
#define __WALL 0x40000000
#endif
#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif

struct sc_info {
	uint8_t op;
	uint8_t pad[3];
	uint32_t arch;
	uint64_t ip, sp;
	union {
		struct { uint64_t nr, args[6]; } entry;
		struct { int64_t rval; uint8_t is_error; } exit;
	} u;
};

static long pt(long req, pid_t pid, unsigned long addr, unsigned long data)
{
	return syscall(SYS_ptrace, req, (long)pid, addr, data);
}

/* waitpid that gives up (-2) after a few seconds instead of hanging. */
static void on_alarm(int sig)
{
	(void)sig;
}

static pid_t wait_for(pid_t pid, int *st, int flags)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	pid_t r;

	sigaction(SIGALRM, &sa, NULL);
	alarm(10);
	r = waitpid(pid, st, flags);
	alarm(0);
	if (r < 0 && errno == EINTR)
		return -2;
	return r;
}

static int stopsig(int st)
{
	return WIFSTOPPED(st) ? WSTOPSIG(st) : -1;
}

/* A child that traces itself and stops: the tracer's next wait sees SIGSTOP. */
static pid_t traced_child(void (*body)(void))
{
	pid_t pid = fork();

	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(100);
		raise(SIGSTOP);
		body();
		_exit(0);
	}
	return pid;
}

static void body_nothing(void)
{
}

static void reap_kill(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	wait_for(pid, &st, __WALL);
}

static void body_getppid(void)
{
	syscall(SYS_getppid);
	_exit(3);
}

/* TRACEME, the first stop, PTRACE_SYSCALL stops and their registers. */
static void test_syscall_trace(void)
{
	pid_t me = getpid(), pid = traced_child(body_getppid);
	struct user_regs_struct regs;
	struct sc_info si;
	siginfo_t sig;
	int st = 0, entry_ok = 0, exit_ok = 0, info_ok = 0, xinfo_ok = 0, stops = 0;

	CHECK_RET(wait_for(pid, &st, 0), pid, "TRACEME child: wait sees its stop");
	CHECK_RET(stopsig(st), SIGSTOP, "the stop is SIGSTOP's signal-delivery-stop");
	CHECK_OK(pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&sig), "GETSIGINFO at a signal stop");
	CHECK_RET(sig.si_signo, SIGSTOP, "GETSIGINFO: si_signo");
	CHECK_ERR(pt(PTRACE_GETSIGINFO, pid, 0, 8), EFAULT, "GETSIGINFO to a bad pointer: EFAULT");
	CHECK_ERR(pt(PTRACE_SETOPTIONS, pid, 0, 0x80000000UL), EINVAL, "SETOPTIONS unknown bit: EINVAL");
	CHECK_OK(pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD), "SETOPTIONS TRACESYSGOOD");
	CHECK_ERR(pt(0x4299, pid, 0, 0), EIO, "an unknown request on a tracee: EIO");
	CHECK_OK(pt(PTRACE_SYSCALL, pid, 0, 0), "PTRACE_SYSCALL, the SIGSTOP suppressed");
	for (;;) {
		if (wait_for(pid, &st, 0) != pid || !WIFSTOPPED(st))
			break;
		if (++stops > 200)
			break;
		if (WSTOPSIG(st) != (SIGTRAP | 0x80)) {
			pt(PTRACE_SYSCALL, pid, 0, 0);
			continue;
		}
		if (pt(PTRACE_GETREGS, pid, 0, (unsigned long)&regs) != 0)
			break;
		memset(&si, 0, sizeof(si));
		long n = pt(PTRACE_GET_SYSCALL_INFO, pid, sizeof(si), (unsigned long)&si);
		if (regs.orig_rax == SYS_getppid && (long)regs.rax == -ENOSYS) {
			entry_ok = 1;
			info_ok = n == 80 && si.op == PTRACE_SYSCALL_INFO_ENTRY && si.arch == 0xc000003e &&
				  si.u.entry.nr == SYS_getppid && si.ip == regs.rip && si.sp == regs.rsp;
		} else if (regs.orig_rax == SYS_getppid) {
			exit_ok = (long)regs.rax == me;
			xinfo_ok = n == 33 && si.op == PTRACE_SYSCALL_INFO_EXIT && si.u.exit.rval == me &&
				   !si.u.exit.is_error;
		}
		pt(PTRACE_SYSCALL, pid, 0, 0);
	}
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3, "the traced child runs to its exit", "status %#x", st);
	CHECK(entry_ok, "syscall-enter stop: orig_rax getppid, rax -ENOSYS", "not seen");
	CHECK(exit_ok, "syscall-exit stop: rax is getppid's result", "not seen");
	CHECK(info_ok, "GET_SYSCALL_INFO at entry: op, arch, nr, ip, sp, size 80", "wrong");
	CHECK(xinfo_ok, "GET_SYSCALL_INFO at exit: op, rval, size 33", "wrong");
	CHECK_ERR(pt(PTRACE_CONT, pid, 0, 0), ESRCH, "CONT of a reaped tracee: ESRCH");
}

static void body_skip(void)
{
	long r = syscall(SYS_getppid);

	_exit(r == 1234 ? 0 : 1);
}

/* orig_rax -1 at a syscall-entry stop skips the syscall; rax is what the tracer says. */
static void test_syscall_skip(void)
{
	pid_t pid = traced_child(body_skip);
	struct user_regs_struct regs;
	int st = 0, skipped = 0;

	wait_for(pid, &st, 0);
	for (int n = 0; n < 100; n++) {
		if (pt(PTRACE_SYSCALL, pid, 0, 0) || wait_for(pid, &st, 0) != pid || !WIFSTOPPED(st))
			break;
		pt(PTRACE_GETREGS, pid, 0, (unsigned long)&regs);
		if (!skipped && regs.orig_rax == SYS_getppid && (long)regs.rax == -ENOSYS) {
			skipped = pt(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, orig_rax), -1UL) == 0 &&
				  pt(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, rax), 1234) == 0;
		}
	}
	CHECK(skipped, "POKEUSER orig_rax -1 and rax at the syscall-entry stop", "not done");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the skipped syscall returned the tracer's 1234",
	      "status %#x", st);
	if (!WIFEXITED(st))
		reap_kill(pid);
}

/* Error paths of attaching and of requests on processes we do not trace. */
static void test_errors(void)
{
	pid_t pid = fork();
	unsigned long v;
	int st;

	if (pid == 0) {
		for (;;)
			pause();
	}
	CHECK_ERR(pt(PTRACE_CONT, pid, 0, 0), ESRCH, "CONT of a child we do not trace: ESRCH");
	CHECK_ERR(pt(PTRACE_PEEKDATA, pid, 0, (unsigned long)&st), ESRCH, "PEEKDATA, not traced: ESRCH");
	CHECK_ERR(pt(PTRACE_ATTACH, 0x3ffffff0, 0, 0), ESRCH, "ATTACH to no such pid: ESRCH");
	CHECK_ERR(pt(PTRACE_ATTACH, getpid(), 0, 0), EPERM, "ATTACH to oneself: EPERM");
	CHECK_ERR(pt(PTRACE_SEIZE, pid, 1, 0), EIO, "SEIZE with addr != 0: EIO");
	CHECK_ERR(pt(PTRACE_SEIZE, pid, 0, 0x80000000UL), EIO, "SEIZE with unknown options: EIO");
	CHECK_ERR(pt(PTRACE_INTERRUPT, pid, 0, 0), ESRCH, "INTERRUPT, not traced: ESRCH");
	CHECK_OK(pt(PTRACE_SEIZE, pid, 0, 0), "SEIZE a sleeping child");
	CHECK_ERR(pt(PTRACE_SEIZE, pid, 0, 0), EPERM, "SEIZE it again: EPERM");
	CHECK_ERR(pt(PTRACE_ATTACH, pid, 0, 0), EPERM, "ATTACH to a traced process: EPERM");
	CHECK_ERR(pt(PTRACE_CONT, pid, 0, 0), ESRCH, "CONT of a running tracee: ESRCH");
	CHECK_ERR(pt(PTRACE_GETREGS, pid, 0, (unsigned long)&st), ESRCH, "GETREGS of a running tracee: ESRCH");
	CHECK_OK(pt(PTRACE_INTERRUPT, pid, 0, 0), "INTERRUPT a seized tracee");
	CHECK_RET(wait_for(pid, &st, 0), pid, "INTERRUPT: the tracer's wait sees the stop");
	CHECK(WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_STOP && WSTOPSIG(st) == SIGTRAP,
	      "INTERRUPT: a PTRACE_EVENT_STOP with SIGTRAP", "status %#x", st);
	CHECK_ERR(pt(PTRACE_CONT, pid, 0, 65), EIO, "CONT with signal 65: EIO");
	CHECK_ERR(pt(PTRACE_PEEKDATA, pid, 8, (unsigned long)&st), EIO, "PEEKDATA of an unmapped address: EIO");
	CHECK_ERR(pt(PTRACE_POKEDATA, pid, 8, 0), EIO, "POKEDATA of an unmapped address: EIO");
	CHECK_ERR(pt(PTRACE_PEEKUSER, pid, 3, (unsigned long)&st), EIO, "PEEKUSER unaligned: EIO");
	/* The kernel's struct user ends 16 bytes after the C library's (error_code, fault_address). */
	CHECK_OK(pt(PTRACE_PEEKUSER, pid, sizeof(struct user) + 8, (unsigned long)&v),
		 "PEEKUSER of the kernel's struct user's last word");
	CHECK_ERR(pt(PTRACE_PEEKUSER, pid, sizeof(struct user) + 16, (unsigned long)&v), EIO,
		  "PEEKUSER past struct user: EIO");
	CHECK_ERR(pt(PTRACE_GETREGS, pid, 0, 8), EFAULT, "GETREGS to a bad pointer: EFAULT");
	CHECK_ERR(pt(PTRACE_SETREGS, pid, 0, 8), EFAULT, "SETREGS from a bad pointer: EFAULT");
	CHECK_OK(pt(PTRACE_DETACH, pid, 0, 0), "DETACH");
	CHECK_ERR(pt(PTRACE_CONT, pid, 0, 0), ESRCH, "CONT after DETACH: ESRCH");
	kill(pid, SIGKILL);
	CHECK_RET(wait_for(pid, &st, 0), pid, "the detached child is the parent's to reap");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "it died of SIGKILL", "status %#x", st);
}

/* As nobody: attaching to root's processes is refused. */
static void test_eperm_nobody(void)
{
	pid_t victim = fork(), pid;
	int st;

	if (victim == 0) {
		for (;;)
			pause();
	}
	pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(90);
		if (pt(PTRACE_ATTACH, victim, 0, 0) != -1 || errno != EPERM)
			_exit(91);
		if (pt(PTRACE_ATTACH, 1, 0, 0) != -1 || errno != EPERM)
			_exit(92);
		char buf[8];
		struct iovec l = { buf, 8 }, r = { buf, 8 };
		if (syscall(SYS_process_vm_readv, victim, &l, 1, &r, 1, 0) != -1 || errno != EPERM)
			_exit(93);
		_exit(0);
	}
	wait_for(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "as nobody: ATTACH to root's child and to init, process_vm_readv: EPERM", "status %#x", st);
	reap_kill(victim);
}

static void body_fork(void)
{
	pid_t c = fork();

	if (c == 0)
		_exit(7);
	int st;
	waitpid(c, &st, 0);
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 99);
}

/* PTRACE_O_TRACEFORK: the event stop, its message, and the auto-attached child. */
static void test_fork_event(void)
{
	pid_t pid = traced_child(body_fork), gc = 0;
	unsigned long msg = 0;
	int st = 0, gst = 0;

	wait_for(pid, &st, 0);
	CHECK_OK(pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEFORK), "SETOPTIONS TRACEFORK");
	pt(PTRACE_CONT, pid, 0, 0);
	CHECK_RET(wait_for(pid, &st, 0), pid, "fork event: the tracer's wait");
	CHECK(WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | (PTRACE_EVENT_FORK << 8)),
	      "fork event: status SIGTRAP | PTRACE_EVENT_FORK << 8", "status %#x", st);
	CHECK_OK(pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg), "GETEVENTMSG");
	gc = (pid_t)msg;
	CHECK(gc > 0, "GETEVENTMSG: the new child's pid", "%lu", msg);
	CHECK_RET(wait_for(gc, &gst, __WALL), gc, "the new child is traced: its first stop");
	CHECK_RET(stopsig(gst), SIGSTOP, "the new child's first stop is SIGSTOP");
	pt(PTRACE_CONT, gc, 0, 0);
	pt(PTRACE_CONT, pid, 0, 0);
	CHECK_RET(wait_for(gc, &gst, __WALL), gc, "the traced grandchild's exit reaches the tracer");
	CHECK(WIFEXITED(gst) && WEXITSTATUS(gst) == 7, "the grandchild's exit status", "status %#x", gst);
	while (wait_for(pid, &st, 0) == pid && WIFSTOPPED(st))
		pt(PTRACE_CONT, pid, 0, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "its parent reaped it too (exit 7)", "status %#x", st);
}

static char self_exe[64];

static void body_exec(void)
{
	char *argv[] = { "t_ptrace", "--exit42", NULL };

	execv(self_exe, argv);
	_exit(98);
}

/* PTRACE_O_TRACEEXEC's event, then the legacy SIGTRAP without it. */
static void test_exec(void)
{
	pid_t pid = traced_child(body_exec);
	unsigned long msg = 0;
	int st = 0;

	wait_for(pid, &st, 0);
	pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXEC);
	pt(PTRACE_CONT, pid, 0, 0);
	wait_for(pid, &st, 0);
	CHECK(WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | (PTRACE_EVENT_EXEC << 8)),
	      "exec event: status SIGTRAP | PTRACE_EVENT_EXEC << 8", "status %#x", st);
	pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
	CHECK_RET((long)msg, pid, "exec event: the message is the former tid");
	pt(PTRACE_CONT, pid, 0, 0);
	wait_for(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "the new program runs (exit 42)", "status %#x", st);

	pid = traced_child(body_exec);
	wait_for(pid, &st, 0);
	pt(PTRACE_CONT, pid, 0, 0);
	wait_for(pid, &st, 0);
	CHECK_RET(stopsig(st), SIGTRAP, "exec without TRACEEXEC: a SIGTRAP stop");
	pt(PTRACE_CONT, pid, 0, 0);
	wait_for(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "and the program runs on", "status %#x", st);
}

static volatile int spin_counter;

static void body_spin(void)
{
	for (int i = 0; i < 100000000; i++)
		spin_counter++;
	_exit(0);
}

static void test_singlestep(void)
{
	pid_t pid = traced_child(body_spin);
	struct user_regs_struct r1, r2;
	siginfo_t si;
	int st = 0, ok = 1;

	wait_for(pid, &st, 0);
	/* Let it spin in user mode first. */
	pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r1);
	for (int i = 0; i < 5 && ok; i++) {
		ok = pt(PTRACE_SINGLESTEP, pid, 0, 0) == 0 && wait_for(pid, &st, 0) == pid &&
		     stopsig(st) == SIGTRAP && pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r2) == 0 &&
		     r2.rip != r1.rip && !(r2.eflags & 0x100);
		r1 = r2;
	}
	CHECK(ok, "SINGLESTEP x5: a SIGTRAP stop each time, rip moves, TF not shown", "status %#x", st);
	CHECK_OK(pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si), "GETSIGINFO after a step");
	CHECK(si.si_signo == SIGTRAP && si.si_code == TRAP_TRACE, "the step's siginfo: SIGTRAP, TRAP_TRACE",
	      "signo %d code %d", si.si_signo, si.si_code);
	reap_kill(pid);
}

/* A function in the read-only text, for the breakpoint. */
__attribute__((noinline)) static int target(int x)
{
	__asm__ volatile("" ::: "memory");
	return x * 3 + 1;
}

static void body_breakpoint(void)
{
	_exit(target(4));	/* 13 */
}

static void test_breakpoint(void)
{
	pid_t pid = traced_child(body_breakpoint);
	unsigned long addr = (unsigned long)&target, word = 0, now = 0;
	struct user_regs_struct r;
	int st = 0;

	wait_for(pid, &st, 0);
	CHECK_OK(pt(PTRACE_PEEKTEXT, pid, addr, (unsigned long)&word), "PEEKTEXT of the text");
	CHECK_RET((long)(word == *(unsigned long *)addr), 1, "PEEKTEXT reads the code");
	CHECK_OK(pt(PTRACE_POKETEXT, pid, addr, (word & ~0xffUL) | 0xcc), "POKETEXT an int3 into read-only text");
	pt(PTRACE_PEEKTEXT, pid, addr, (unsigned long)&now);
	CHECK_RET((long)(now & 0xff), 0xcc, "the tracee's text has the int3");
	CHECK_RET((long)(*(unsigned char *)addr), (long)(word & 0xff), "the tracer's own text is untouched");
	pt(PTRACE_CONT, pid, 0, 0);
	wait_for(pid, &st, 0);
	CHECK_RET(stopsig(st), SIGTRAP, "the breakpoint: a SIGTRAP stop");
	pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r);
	CHECK_RET((long)r.rip, (long)addr + 1, "rip is just after the int3");
	pt(PTRACE_POKETEXT, pid, addr, word);
	r.rip = addr;
	CHECK_OK(pt(PTRACE_SETREGS, pid, 0, (unsigned long)&r), "SETREGS: rip back to the function");
	CHECK_OK(pt(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, rip), addr),
		 "POKEUSER rip");
	pt(PTRACE_CONT, pid, 0, 0);
	wait_for(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 13, "the restored function runs (exit 13)", "status %#x", st);
}

static void body_pause(void)
{
	for (;;)
		pause();
}

/* Registers: PEEKUSER agrees with GETREGS; SETREGS sanitises; a non-canonical rip is a SIGSEGV. */
static void test_regs(void)
{
	pid_t pid = traced_child(body_pause);
	struct user_regs_struct r, r2;
	struct user_fpregs_struct fp;
	struct iovec iov = { &r2, sizeof(r2) };
	unsigned long v = 0;
	int st = 0;

	wait_for(pid, &st, 0);
	CHECK_OK(pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r), "GETREGS");
	CHECK_RET((long)r.cs, 0x33, "cs is the 64-bit user code selector");
	CHECK_RET((long)r.ss, 0x2b, "ss is the user data selector");
	pt(PTRACE_PEEKUSER, pid, offsetof(struct user_regs_struct, rsp), (unsigned long)&v);
	CHECK_RET((long)(v == r.rsp), 1, "PEEKUSER rsp == GETREGS rsp");
	CHECK_OK(pt(PTRACE_PEEKUSER, pid, offsetof(struct user, u_debugreg[7]), (unsigned long)&v),
		 "PEEKUSER dr7");
	CHECK_OK(pt(PTRACE_GETREGSET, pid, NT_PRSTATUS, (unsigned long)&iov), "GETREGSET NT_PRSTATUS");
	CHECK_RET((long)iov.iov_len, sizeof(r2), "GETREGSET: iov_len is the regset's size");
	CHECK_RET((long)(r2.rip == r.rip && r2.rsp == r.rsp), 1, "GETREGSET agrees with GETREGS");
	iov.iov_len = sizeof(r2);
	CHECK_ERR(pt(PTRACE_GETREGSET, pid, 0x999, (unsigned long)&iov), EINVAL, "GETREGSET unknown type: EINVAL");
	CHECK_OK(pt(PTRACE_GETFPREGS, pid, 0, (unsigned long)&fp), "GETFPREGS");
	fp.cwd = 0x27f;
	CHECK_OK(pt(PTRACE_SETFPREGS, pid, 0, (unsigned long)&fp), "SETFPREGS");
	r2 = r;
	r2.eflags |= 0x3000;	/* IOPL 3: a tracer may not */
	CHECK_OK(pt(PTRACE_SETREGS, pid, 0, (unsigned long)&r2), "SETREGS with IOPL bits");
	pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r2);
	CHECK_RET((long)(r2.eflags & 0x3000), 0, "the IOPL bits were dropped");
	r2 = r;
	r2.fs_base = 0xffff888000000000UL;
	CHECK_ERR(pt(PTRACE_SETREGS, pid, 0, (unsigned long)&r2), EIO, "SETREGS with a kernel fs_base: EIO");
	r2 = r;
	r2.rip = 0x8000000000000000UL;
	CHECK_OK(pt(PTRACE_SETREGS, pid, 0, (unsigned long)&r2), "SETREGS with a non-canonical rip");
	pt(PTRACE_CONT, pid, 0, 0);
	wait_for(pid, &st, 0);
	CHECK_RET(stopsig(st), SIGSEGV, "the non-canonical rip: a SIGSEGV stop, no kernel crash");
	pt(PTRACE_CONT, pid, 0, SIGSEGV);
	wait_for(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "and it dies of the SIGSEGV handed on", "status %#x", st);
}

static void read_status_field(pid_t pid, const char *field, char *out, size_t size)
{
	char path[64], buf[2048];
	const char *p;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	out[0] = 0;
	if (check_read_file(path, buf, sizeof(buf)) < 0)
		return;
	p = strstr(buf, field);
	if (!p)
		return;
	p += strlen(field);
	while (*p == '\t' || *p == ' ')
		p++;
	size_t n = strcspn(p, "\n");
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = 0;
}

/* /proc/PID/status of a stopped tracee; SIGKILL ends a ptrace-stopped task. */
static void test_proc_and_kill(void)
{
	pid_t pid = traced_child(body_pause);
	char buf[64], want[32];
	int st = 0;

	wait_for(pid, &st, 0);
	read_status_field(pid, "TracerPid:", buf, sizeof(buf));
	snprintf(want, sizeof(want), "%d", getpid());
	CHECK(strcmp(buf, want) == 0, "/proc/PID/status TracerPid", "got '%s', want '%s'", buf, want);
	read_status_field(pid, "State:", buf, sizeof(buf));
	CHECK(strcmp(buf, "t (tracing stop)") == 0, "/proc/PID/status State: t (tracing stop)", "got '%s'", buf);
	kill(pid, SIGKILL);
	CHECK_RET(wait_for(pid, &st, 0), pid, "SIGKILL of a ptrace-stopped tracee: it ends");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "it died of SIGKILL", "status %#x", st);
	read_status_field(getpid(), "TracerPid:", buf, sizeof(buf));
	CHECK(strcmp(buf, "0") == 0, "an untraced process: TracerPid 0", "got '%s'", buf);
}

/*
 * A tracer that ends: a middle process seizes and stops a sleeping child
 * and exits.  Without EXITKILL the child runs on (SIGTERM kills it); with
 * EXITKILL it is killed.
 */
static void test_tracer_death(int exitkill)
{
	pid_t victim = fork(), tracer;
	int st = 0;

	if (victim == 0) {
		for (;;)
			pause();
	}
	tracer = fork();
	if (tracer == 0) {
		int s;

		if (pt(PTRACE_SEIZE, victim, 0, exitkill ? PTRACE_O_EXITKILL : 0) != 0)
			_exit(80);
		if (pt(PTRACE_INTERRUPT, victim, 0, 0) != 0)
			_exit(81);
		if (wait_for(victim, &s, 0) != victim || !WIFSTOPPED(s))
			_exit(82);
		_exit(0);	/* the victim is left in a ptrace stop */
	}
	wait_for(tracer, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, exitkill ? "EXITKILL tracer: seized and stopped" :
	      "tracer: seized and stopped its tracee", "status %#x", st);
	if (!exitkill)
		kill(victim, SIGTERM);
	CHECK_RET(wait_for(victim, &st, 0), victim, exitkill ? "the EXITKILL tracer's end ends its tracee" :
		  "the tracer's end lets its tracee go (SIGTERM reaches it)");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == (exitkill ? SIGKILL : SIGTERM),
	      exitkill ? "the tracee died of SIGKILL" : "the tracee died of SIGTERM", "status %#x", st);
}

/* PTRACE_KILL ends a stopped tracee. */
static void test_ptrace_kill(void)
{
	pid_t pid = traced_child(body_pause);
	int st = 0;

	wait_for(pid, &st, 0);
	CHECK_OK(pt(PTRACE_KILL, pid, 0, 0), "PTRACE_KILL");
	CHECK_RET(wait_for(pid, &st, 0), pid, "PTRACE_KILL: the tracee ends");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "of SIGKILL", "status %#x", st);
}

/* process_vm_readv/writev on a child that shares our addresses (fork). */
static void test_process_vm(void)
{
	static char buf[64];
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int p[2];
	pid_t pid;
	char got[64], big[8192], c;
	struct iovec l, r, rv[2];
	int st;

	if (pipe(p) || two == MAP_FAILED) {
		CHECK(0, "process_vm: setup", "pipe/mmap");
		return;
	}
	memset(two, 'a', 4096);
	pid = fork();
	if (pid == 0) {
		strcpy(buf, "child's data");
		munmap(two + 4096, 4096);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (read(p[0], &c, 1) != 1)
		c = 0;
	l = (struct iovec){ got, sizeof(got) };
	r = (struct iovec){ buf, sizeof(buf) };
	CHECK_RET(syscall(SYS_process_vm_readv, pid, &l, 1, &r, 1, 0), sizeof(buf), "process_vm_readv");
	CHECK(strcmp(got, "child's data") == 0, "process_vm_readv reads the child's memory", "got '%s'", got);
	strcpy(got, "parent's data");
	r.iov_len = 14;
	l.iov_len = 14;
	CHECK_RET(syscall(SYS_process_vm_writev, pid, &l, 1, &r, 1, 0), 14, "process_vm_writev");
	memset(got, 0, sizeof(got));
	l.iov_len = 14;
	syscall(SYS_process_vm_readv, pid, &l, 1, &r, 1, 0);
	CHECK(strcmp(got, "parent's data") == 0, "the write reached the child", "got '%s'", got);
	CHECK(strcmp(buf, "") == 0, "our own copy is untouched", "got '%s'", buf);
	/* Two remote pieces, the second page unmapped in the child: a partial read. */
	l = (struct iovec){ big, sizeof(big) };
	rv[0] = (struct iovec){ two, 4096 };
	rv[1] = (struct iovec){ two + 4096, 4096 };
	CHECK_RET(syscall(SYS_process_vm_readv, pid, &l, 1, rv, 2, 0), 4096,
		  "process_vm_readv across an unmapped page: partial");
	r = (struct iovec){ (void *)8, 8 };
	l = (struct iovec){ got, 8 };
	CHECK_ERR(syscall(SYS_process_vm_readv, pid, &l, 1, &r, 1, 0), EFAULT, "remote address unmapped: EFAULT");
	r = (struct iovec){ buf, 8 };
	l = (struct iovec){ (void *)8, 8 };
	CHECK_ERR(syscall(SYS_process_vm_readv, pid, &l, 1, &r, 1, 0), EFAULT, "local address unmapped: EFAULT");
	l = (struct iovec){ got, 8 };
	CHECK_ERR(syscall(SYS_process_vm_readv, pid, &l, 1, &r, 1, 1), EINVAL, "flags != 0: EINVAL");
	CHECK_ERR(syscall(SYS_process_vm_readv, pid, &l, 1025, &r, 1, 0), EINVAL, "more than IOV_MAX: EINVAL");
	CHECK_ERR(syscall(SYS_process_vm_readv, pid, (void *)8, 1, &r, 1, 0), EFAULT, "a bad iovec array: EFAULT");
	CHECK_ERR(syscall(SYS_process_vm_readv, 0x3ffffff0, &l, 1, &r, 1, 0), ESRCH, "no such pid: ESRCH");
	CHECK_RET(syscall(SYS_process_vm_readv, pid, &l, 0, &r, 1, 0), 0, "no local iovec: 0 bytes");
	/* Nothing to move is 0 before the remote array or the pid is looked at. */
	CHECK_RET(syscall(SYS_process_vm_readv, 0x3ffffff0, &l, 0, (void *)8, 1, 0), 0,
		  "no local bytes: 0, whatever the pid and remote array");
	r = (struct iovec){ buf, 0 };
	CHECK_RET(syscall(SYS_process_vm_readv, 0x3ffffff0, &l, 1, &r, 1, 0), 0,
		  "no remote bytes: 0, whatever the pid");
	r = (struct iovec){ buf, (size_t)-1 };
	CHECK_ERR(syscall(SYS_process_vm_readv, pid, &l, 1, &r, 1, 0), EINVAL, "a negative remote length: EINVAL");
	reap_kill(pid);
	(void)st;
	munmap(two, 8192);
	close(p[0]);
	close(p[1]);
}

/* /proc/PID/mem of a stopped tracee: read, write (read-only text too), lseek, errors. */
static char mem_buf[32] = "tracee's memory";

static void test_proc_mem(void)
{
	pid_t pid = traced_child(body_breakpoint);
	unsigned long addr = (unsigned long)&target, word = 0;
	char path[64], got[32];
	unsigned char int3 = 0xcc, orig = *(unsigned char *)&target;
	int st = 0, fd;

	wait_for(pid, &st, 0);
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDWR);
	CHECK_OK(fd, "open /proc/PID/mem of a tracee O_RDWR");
	CHECK_RET(pread(fd, got, sizeof(got), (off_t)(unsigned long)mem_buf), sizeof(got), "pread of its data");
	CHECK(strcmp(got, "tracee's memory") == 0, "/proc/PID/mem reads the tracee's memory", "got '%s'", got);
	CHECK_RET(pwrite(fd, "patched", 8, (off_t)(unsigned long)mem_buf), 8, "pwrite of its data");
	pt(PTRACE_PEEKDATA, pid, (unsigned long)mem_buf, (unsigned long)&word);
	CHECK(memcmp(&word, "patched", 8) == 0, "the write reached the tracee", "word %#lx", word);
	CHECK_RET(lseek(fd, (off_t)addr, SEEK_SET), (long)addr, "lseek SEEK_SET to an address");
	CHECK_RET(write(fd, &int3, 1), 1, "write an int3 into its read-only text");
	CHECK_RET(lseek(fd, -1, SEEK_CUR), (long)addr, "lseek SEEK_CUR back");
	got[0] = 0;
	CHECK_RET(read(fd, got, 1), 1, "read it back");
	CHECK_RET((unsigned char)got[0], 0xcc, "the tracee's text has the int3");
	CHECK_RET(*(unsigned char *)&target, orig, "our own text is untouched");
	CHECK_ERR(lseek(fd, 0, SEEK_END), EINVAL, "lseek SEEK_END: EINVAL");
	CHECK_ERR(pread(fd, got, 8, 8), EIO, "pread of an unmapped address: EIO");
	CHECK_ERR(pwrite(fd, got, 8, 8), EIO, "pwrite of an unmapped address: EIO");
	pt(PTRACE_CONT, pid, 0, 0);
	wait_for(pid, &st, 0);
	CHECK_RET(stopsig(st), SIGTRAP, "the int3 written through /proc/PID/mem traps");
	reap_kill(pid);
	close(fd);

	/* As nobody: root's process's mem cannot be opened. */
	pid_t victim = fork(), child;
	if (victim == 0) {
		for (;;)
			pause();
	}
	child = fork();
	if (child == 0) {
		char p2[64];

		snprintf(p2, sizeof(p2), "/proc/%d/mem", victim);
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(90);
		_exit(open(p2, O_RDONLY) == -1 && errno == EACCES ? 0 : 91);
	}
	wait_for(child, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "as nobody, open of root's /proc/PID/mem: EACCES",
	      "status %#x", st);
	reap_kill(victim);
}

/* SIGKILL of a tracer while its tracee is stopped: the tracee runs on. */
static void test_tracer_sigkill(void)
{
	pid_t victim = fork(), tracer;
	int p[2], st = 0;
	char c;

	if (victim == 0) {
		for (;;)
			pause();
	}
	if (pipe(p))
		return;
	tracer = fork();
	if (tracer == 0) {
		int s;

		if (pt(PTRACE_ATTACH, victim, 0, 0) != 0 || wait_for(victim, &s, 0) != victim)
			_exit(80);
		if (write(p[1], "s", 1) != 1)
			_exit(81);
		for (;;)
			pause();
	}
	CHECK_RET(read(p[0], &c, 1), 1, "a tracer attached and its tracee stopped");
	kill(tracer, SIGKILL);
	wait_for(tracer, &st, 0);
	CHECK(WIFSIGNALED(st), "the tracer died of SIGKILL", "status %#x", st);
	kill(victim, SIGTERM);
	CHECK_RET(wait_for(victim, &st, 0), victim, "its tracee is free: SIGTERM ends it");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "of SIGTERM", "status %#x", st);
	close(p[0]);
	close(p[1]);
}

static void *exec_thread(void *arg)
{
	char *argv[] = { "t_ptrace", "--exit42", NULL };

	(void)arg;
	usleep(100000);
	execv(self_exe, argv);
	_exit(97);
}

static void body_thread_exec(void)
{
	pthread_t th;

	/* A second thread execs while this one is stopped by its tracer. */
	sigset_t all;
	sigfillset(&all);
	pthread_create(&th, NULL, exec_thread, NULL);
	raise(SIGUSR1);
	for (;;)
		pause();
}

/* exec from another thread while the traced leader is stopped: no stop is left behind. */
static void test_thread_exec(void)
{
	pid_t pid = traced_child(body_thread_exec);
	int st = 0, n = 0;

	wait_for(pid, &st, 0);
	pt(PTRACE_CONT, pid, 0, 0);
	/* The leader stops for SIGUSR1 and stays stopped: the other thread's exec ends it. */
	while (wait_for(pid, &st, __WALL) == pid && WIFSTOPPED(st) && ++n < 20) {
		if (WSTOPSIG(st) == SIGUSR1)
			continue;	/* leave it stopped */
		pt(PTRACE_CONT, pid, 0, 0);
	}
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42,
	      "exec in a thread while the traced leader is stopped: the program runs (exit 42)", "status %#x", st);
	if (!WIFEXITED(st))
		reap_kill(pid);
}

static void body_vfork(void)
{
	pid_t c = vfork();

	if (c == 0) {
		char *argv[] = { "t_ptrace", "--exit42", NULL };

		execv(self_exe, argv);
		_exit(96);
	}
	int st;
	waitpid(c, &st, 0);
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 95);
}

/* vfork events, and SIGKILL of a tracee waiting for its stopped vfork child. */
static void test_vfork(void)
{
	pid_t pid = traced_child(body_vfork), gc = 0, w;
	unsigned long msg = 0;
	int st = 0, vfork_ev = 0, done_ev = 0, n = 0;

	wait_for(pid, &st, 0);
	pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEVFORK | PTRACE_O_TRACEVFORKDONE);
	pt(PTRACE_CONT, pid, 0, 0);
	while ((w = wait_for(-1, &st, __WALL)) > 0 && ++n < 50) {
		if (w == pid && !WIFSTOPPED(st))
			break;
		if (WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_VFORK) {
			vfork_ev = 1;
			pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
			gc = (pid_t)msg;
		}
		if (WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_VFORK_DONE)
			done_ev = 1;
		if (WIFSTOPPED(st))
			pt(PTRACE_CONT, w, 0, WSTOPSIG(st) == SIGTRAP || WSTOPSIG(st) == SIGSTOP ? 0 : WSTOPSIG(st));
	}
	CHECK(vfork_ev && gc > 0, "PTRACE_EVENT_VFORK with the child's pid", "event %d pid %d", vfork_ev, gc);
	CHECK(done_ev, "PTRACE_EVENT_VFORK_DONE", "not seen");
	CHECK(w == pid && WIFEXITED(st) && WEXITSTATUS(st) == 42, "the vfork parent reaped its child (42)",
	      "pid %d status %#x", w, st);

	/* Now leave the vfork child stopped and kill its parent. */
	pid = traced_child(body_vfork);
	wait_for(pid, &st, 0);
	pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEVFORK);
	pt(PTRACE_CONT, pid, 0, 0);
	wait_for(pid, &st, 0);
	pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
	gc = (pid_t)msg;
	wait_for(gc, &st, __WALL);
	CHECK_RET(stopsig(st), SIGSTOP, "the vfork child stops (auto-attached)");
	pt(PTRACE_CONT, pid, 0, 0);	/* the parent goes on into its vfork wait */
	usleep(50000);
	kill(pid, SIGKILL);
	CHECK_RET(wait_for(pid, &st, 0), pid, "SIGKILL ends a tracee waiting for its stopped vfork child");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "of SIGKILL", "status %#x", st);
	reap_kill(gc);
}

/* PTRACE_SEIZE of a job-stopped child, PTRACE_LISTEN, SIGCONT; ATTACH, waitid, DETACH with a signal. */
static void test_seize_listen(void)
{
	pid_t pid = fork();
	siginfo_t si;
	int st = 0;

	if (pid == 0) {
		sigset_t cont;

		/* SIGCONT blocked: it continues the child but never shows as a signal-delivery-stop. */
		sigemptyset(&cont);
		sigaddset(&cont, SIGCONT);
		sigprocmask(SIG_BLOCK, &cont, NULL);
		raise(SIGSTOP);
		for (;;)
			pause();
	}
	CHECK_RET(waitpid(pid, &st, WUNTRACED), pid, "the child stopped itself (job control)");
	CHECK_OK(pt(PTRACE_SEIZE, pid, 0, 0), "SEIZE a stopped child");
	CHECK_OK(pt(PTRACE_INTERRUPT, pid, 0, 0), "INTERRUPT it");
	CHECK_RET(wait_for(pid, &st, 0), pid, "the seized stopped child reports");
	CHECK(WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_STOP && WSTOPSIG(st) == SIGSTOP,
	      "a group stop: PTRACE_EVENT_STOP with SIGSTOP", "status %#x", st);
	CHECK_OK(pt(PTRACE_LISTEN, pid, 0, 0), "LISTEN");
	kill(pid, SIGCONT);
	CHECK_RET(wait_for(pid, &st, 0), pid, "SIGCONT brings the listening tracee back");
	CHECK(WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_STOP,
	      "SIGCONT: a PTRACE_EVENT_STOP", "status %#x", st);
	CHECK_OK(pt(PTRACE_CONT, pid, 0, 0), "CONT");
	CHECK_OK(pt(PTRACE_INTERRUPT, pid, 0, 0), "INTERRUPT the running tracee");
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, pid, &si, WEXITED | WSTOPPED), "waitid sees the tracee's stop");
	CHECK(si.si_code == CLD_TRAPPED && si.si_pid == pid, "waitid: CLD_TRAPPED and its pid",
	      "code %d pid %d", si.si_code, si.si_pid);
	/* DETACH's signal counts at a signal-delivery-stop (at other stops Linux drops it). */
	pt(PTRACE_CONT, pid, 0, 0);
	kill(pid, SIGUSR2);
	CHECK_RET(wait_for(pid, &st, 0), pid, "SIGUSR2: the tracer's wait");
	CHECK_RET(stopsig(st), SIGUSR2, "a SIGUSR2 signal-delivery-stop");
	CHECK_OK(pt(PTRACE_DETACH, pid, 0, SIGTERM), "DETACH with SIGTERM instead");
	CHECK_RET(wait_for(pid, &st, 0), pid, "the detached child gets the signal");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "and dies of SIGTERM", "status %#x", st);
	if (!WIFSIGNALED(st))
		reap_kill(pid);

	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	CHECK_OK(pt(PTRACE_ATTACH, pid, 0, 0), "ATTACH a running child");
	CHECK_RET(wait_for(pid, &st, 0), pid, "ATTACH: the tracer's wait");
	CHECK_RET(stopsig(st), SIGSTOP, "ATTACH: a SIGSTOP stop");
	reap_kill(pid);
}

/* The chaos child: syscalls, short-lived children, a little spinning. */
static void chaos_body(void)
{
	for (unsigned i = 0;; i++) {
		syscall(SYS_getpid);
		if (i % 64 == 0) {
			pid_t g = fork();

			if (g == 0)
				_exit(0);
			if (g > 0)
				waitpid(g, NULL, __WALL);
		}
		for (volatile int j = 0; j < 1000; j++)
			;
	}
}

/* The tracees the chaos saw, to end them all afterwards. */
static pid_t chaos_seen[512];
static int chaos_nseen;

static void chaos_note(pid_t w)
{
	for (int i = 0; i < chaos_nseen; i++)
		if (chaos_seen[i] == w)
			return;
	if (chaos_nseen < (int)(sizeof(chaos_seen) / sizeof(chaos_seen[0])))
		chaos_seen[chaos_nseen++] = w;
}

/*
 * Kill every tracee seen; one in a ptrace stop is also resumed (Linux
 * stops a SIGKILLed tracee at PTRACE_EVENT_EXIT when the tracer asked).
 */
static void chaos_kill_all(void)
{
	for (int i = 0; i < chaos_nseen; i++) {
		kill(chaos_seen[i], SIGKILL);
		pt(PTRACE_CONT, chaos_seen[i], 0, 0);
	}
}

/* One random request or signal on the chaos child or any tracee with news. */
static void chaos_step(pid_t child, unsigned r, int *attached)
{
	static const long resume[] = { PTRACE_CONT, PTRACE_SYSCALL, PTRACE_SINGLESTEP, PTRACE_LISTEN };
	struct user_regs_struct regs;
	unsigned long word;
	pid_t w;
	int st;

	switch (r % 8) {
	case 0:
		pt(PTRACE_INTERRUPT, child, 0, 0);
		break;
	case 1:
	case 2:
		w = waitpid(-1, &st, __WALL | WNOHANG);
		if (w > 0)
			chaos_note(w);
		if (w > 0 && WIFSTOPPED(st))
			pt(resume[(r >> 3) % 4], w, 0, (r >> 5) % 3 == 0 ? SIGUSR1 : 0);
		if (w > 0 && w != child && WIFSTOPPED(st) && (r >> 7) % 2)
			kill(w, SIGKILL);
		break;
	case 3:
		pt(PTRACE_GETREGS, child, 0, (unsigned long)&regs);
		pt(PTRACE_PEEKDATA, child, (unsigned long)&spin_counter + ((r >> 4) % 2 ? 0 : 1UL << 40),
		   (unsigned long)&word);
		break;
	case 4:
		kill(child, (r >> 3) % 2 ? SIGSTOP : SIGCONT);
		break;
	case 5:
		if (*attached && pt(PTRACE_DETACH, child, 0, 0) == 0)
			*attached = 0;
		break;
	case 6:
		if (!*attached && pt(PTRACE_SEIZE, child, 0,
				     PTRACE_O_TRACESYSGOOD | ((r >> 3) % 2 ? PTRACE_O_TRACEFORK : 0) |
				     ((r >> 4) % 2 ? PTRACE_O_TRACEEXIT : 0)) == 0)
			*attached = 1;
		break;
	case 7:
		pt(PTRACE_SETOPTIONS, child, 0, (r >> 3) % 2 ? PTRACE_O_TRACEFORK | PTRACE_O_TRACECLONE : 0);
		break;
	}
}

/*
 * Random requests, signals and detaches against a busy child that forks:
 * whatever state it is left in, SIGKILL ends it, and every tracee and
 * child can be reaped (nothing stays stopped for ever, no wait hangs).
 */
static void test_chaos(void)
{
	unsigned seed = 12345;
	int ended = 0, drained = 0, rounds = 12;

	signal(SIGUSR1, SIG_IGN);
	for (int round = 0; round < rounds; round++) {
		pid_t child = fork(), w;
		int attached = 0, st = 0;

		if (child == 0) {
			signal(SIGUSR1, SIG_IGN);
			chaos_body();
		}
		chaos_nseen = 0;
		chaos_note(child);
		for (int i = 0; i < 300; i++) {
			seed = seed * 1103515245 + 12345;
			chaos_step(child, seed >> 8, &attached);
		}
		chaos_kill_all();
		w = wait_for(child, &st, __WALL);
		for (int n = 0; (w == -2 || (w == child && WIFSTOPPED(st))) && n < 50; n++) {
			/*
			 * A stop reported before the kill, or Linux's exit
			 * stop; or the wait timed out on a loaded host: kill
			 * and resume again, and wait once more.
			 */
			kill(child, SIGKILL);
			pt(PTRACE_CONT, child, 0, 0);
			w = wait_for(child, &st, __WALL);
		}
		if (w == child && WIFSIGNALED(st))
			ended++;
		else
			check_printf("# chaos round %d: the child's last wait gave %d, status %#x\n", round, (int)w, st);
		/* The grandchildren it traced: kill and reap them (their exits come to us). */
		for (int tries = 0; tries < 200; tries++) {
			w = waitpid(-1, &st, __WALL | WNOHANG);
			if (w < 0 && errno == ECHILD) {
				drained++;
				break;
			}
			if (w > 0)
				chaos_note(w);
			if (w > 0 && WIFSTOPPED(st))
				chaos_kill_all();
			if (w == 0) {
				chaos_kill_all();
				usleep(10000);
			}
		}
	}
	signal(SIGUSR1, SIG_DFL);
	CHECK_RET(ended, rounds, "chaos: SIGKILL ends the child whatever the tracer did");
	CHECK_RET(drained, rounds, "chaos: every tracee and child reaped afterwards");
}

int main(int argc, char **argv)
{
	ssize_t n;

	if (argc > 1 && strcmp(argv[1], "--exit42") == 0)
		return 42;
	check_init("t_ptrace");
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n > 0)
		self_exe[n] = 0;
	test_syscall_trace();
	test_syscall_skip();
	test_errors();
	test_eperm_nobody();
	test_fork_event();
	test_exec();
	test_singlestep();
	test_breakpoint();
	test_regs();
	test_proc_and_kill();
	test_tracer_death(0);
	test_tracer_death(1);
	test_ptrace_kill();
	test_process_vm();
	test_proc_mem();
	test_tracer_sigkill();
	test_thread_exec();
	test_vfork();
	test_seize_listen();
	test_chaos();
	(void)body_nothing;
	return check_done();
}
