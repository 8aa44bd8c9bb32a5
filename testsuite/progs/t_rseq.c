// SPDX-License-Identifier: MPL-2.0
// rseq(2): registration and its errors, the cpu fields, a critical section
// aborted by a signal and by preemption (and SIGSEGV for a bad signature
// or descriptor), fork keeping and threads and exec not keeping the
// registration, and membarrier's RSEQ commands.  glibc 2.35+ registers an
// area of its own at start: the checks that need none unregister it
// first (its address is the thread pointer + __rseq_offset).
#include "check.h"
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#define RSEQ_SIG	0x53053053	/* glibc's and the Linux selftests' x86 signature */
#define BAD_SIG		"0x11111111"
#define RSEQ_UNREG	1
#define CPU_ID_UNINIT	0xffffffffu
#define MB_QUERY		0
#define MB_PRIV_RSEQ		(1 << 7)
#define MB_REG_PRIV_RSEQ	(1 << 8)
#define MB_FLAG_CPU		1

struct rseq_area {
	uint32_t cpu_id_start, cpu_id;
	uint64_t rseq_cs;
	uint32_t flags;
} __attribute__((aligned(32)));

/* glibc's registration (weak: musl has none). */
extern const unsigned int __rseq_size __attribute__((weak));
extern const ptrdiff_t __rseq_offset __attribute__((weak));

static struct rseq_area area, other;
static volatile int alarms;
static sigjmp_buf alarm_env;

static long rseq(void *a, uint32_t len, int flags, uint32_t sig)
{
	return syscall(SYS_rseq, a, len, flags, sig);
}

static unsigned cpu_now(void)
{
	unsigned cpu = 0;

	syscall(SYS_getcpu, &cpu, NULL, NULL);
	return cpu;
}

static void *glibc_area(void)
{
	uintptr_t tp;

	if (&__rseq_size == NULL || __rseq_size == 0)
		return NULL;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	return (void *)(tp + __rseq_offset);
}

/* Drop glibc's registration of the calling thread, if it made one: 0 or -1. */
static int unregister_glibc(void)
{
	struct rseq_area *g = glibc_area();

	/* glibc marks a failed registration RSEQ_CPU_ID_REGISTRATION_FAILED (-2). */
	if (!g || g->cpu_id == 0xfffffffeu)
		return 0;
	return (int)rseq(g, sizeof(struct rseq_area), RSEQ_UNREG, RSEQ_SIG);
}

/*
 * One critical section [1, 2) whose abort handler 4 follows signature SIG;
 * BODY runs inside it.  1 when it was aborted, 0 when it ran to its end.
 */
#define RSEQ_SECTION(a, SIG, BODY, n)						\
	({ int ab_;								\
	__asm__ volatile(							\
		".pushsection __rseq_cs, \"aw\"\n\t"				\
		".balign 32\n\t"						\
		"3:\n\t.long 0, 0\n\t.quad 1f, (2f - 1f), 4f\n\t"		\
		".popsection\n\t"						\
		"leaq 3b(%%rip), %%rax\n\t"					\
		"movq %%rax, %[cs]\n\t"						\
		"1:\n\t"							\
		BODY								\
		"2:\n\t"							\
		"movl $0, %k[ab]\n\t"						\
		"jmp 5f\n\t"							\
		".pushsection __rseq_failure, \"ax\"\n\t"			\
		".long " SIG "\n\t"						\
		"4:\n\t"							\
		"movl $1, %k[ab]\n\t"						\
		"jmp 5f\n\t"							\
		".popsection\n\t"						\
		"5:\n\t"							\
		: [cs] "=m"((a)->rseq_cs), [ab] "=&r"(ab_), [n] "+r"(n)		\
		: : "rax", "memory", "cc");					\
	ab_; })

#define SPIN_FOREVER	"6: jmp 6b\n\t"
#define SPIN_COUNT	"6: decq %[n]\n\tjnz 6b\n\t"

static void on_alarm(int sig)
{
	(void)sig;
	if (++alarms > 200)
		siglongjmp(alarm_env, 1);	/* never aborted: give up */
}

static void start_alarms(void)
{
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void stop_alarms(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_DFL);
}

static void test_glibc(void)
{
	void *g = glibc_area();

	if (&__rseq_size == NULL) {
		check_skip("glibc registered its rseq area", "not glibc");
		return;
	}
	CHECK(__rseq_size >= 20 && g, "glibc registered its rseq area at start", "__rseq_size %u",
	      __rseq_size);
	if (!g)
		return;
	CHECK(((struct rseq_area *)g)->cpu_id == cpu_now(), "glibc's area holds the cpu",
	      "cpu_id %u", ((struct rseq_area *)g)->cpu_id);
	CHECK_ERR(rseq(&area, 32, 0, RSEQ_SIG), EINVAL, "another area while glibc's is registered");
	CHECK_RET(unregister_glibc(), 0, "unregister glibc's area");
}

static void test_registration(void)
{
	uint64_t kaddr = 0xffff888000000000ULL;

	CHECK_ERR(rseq(&area, 16, 0, RSEQ_SIG), EINVAL, "rseq length 16 is EINVAL");
	CHECK_ERR(rseq(&area, 31, 0, RSEQ_SIG), EINVAL, "rseq length 31 is EINVAL");
	CHECK_ERR(rseq((char *)&area + 8, 32, 0, RSEQ_SIG), EINVAL, "a misaligned area is EINVAL");
	CHECK_ERR(rseq(&area, 32, 2, RSEQ_SIG), EINVAL, "unknown flags are EINVAL");
	CHECK_ERR(rseq((void *)kaddr, 32, 0, RSEQ_SIG), EFAULT, "a kernel address is EFAULT");
	CHECK_ERR(rseq(&area, 32, RSEQ_UNREG, RSEQ_SIG), EINVAL, "unregister with none is EINVAL");
	area.cpu_id = CPU_ID_UNINIT;
	area.cpu_id_start = 12345;
	CHECK_RET(rseq(&area, 32, 0, RSEQ_SIG), 0, "register");
	CHECK(area.cpu_id == cpu_now() && area.cpu_id_start == area.cpu_id,
	      "cpu_id and cpu_id_start are the cpu", "%u %u vs %u", area.cpu_id, area.cpu_id_start,
	      cpu_now());
	CHECK_ERR(rseq(&area, 32, 0, RSEQ_SIG), EBUSY, "the same registration again is EBUSY");
	CHECK_ERR(rseq(&area, 32, 0, RSEQ_SIG + 1), EPERM, "again with another signature is EPERM");
	CHECK_ERR(rseq(&other, 32, 0, RSEQ_SIG), EINVAL, "another area is EINVAL");
	CHECK_ERR(rseq(&area, 64, 0, RSEQ_SIG), EINVAL, "another length is EINVAL");
	CHECK_ERR(rseq(&area, 32, RSEQ_UNREG, RSEQ_SIG + 1), EPERM,
		  "unregister with another signature is EPERM");
	CHECK_ERR(rseq(&other, 32, RSEQ_UNREG, RSEQ_SIG), EINVAL,
		  "unregister another area is EINVAL");
	CHECK_ERR(rseq(&area, 32, RSEQ_UNREG | 2, RSEQ_SIG), EINVAL,
		  "unregister with unknown flags is EINVAL");
	CHECK_RET(rseq(&area, 32, RSEQ_UNREG, RSEQ_SIG), 0, "unregister");
	CHECK(area.cpu_id == CPU_ID_UNINIT, "cpu_id is RSEQ_CPU_ID_UNINITIALIZED after",
	      "%u", area.cpu_id);
	CHECK_ERR(rseq(&area, 32, RSEQ_UNREG, RSEQ_SIG), EINVAL, "unregister twice is EINVAL");
}

/* An area that is not mapped: the registration's first write of the cpu fields fails. */
static void test_unmapped_area(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st = 0;

	munmap(p, 4096);
	pid = fork();
	if (pid == 0) {
		long r = rseq(p, 32, 0, RSEQ_SIG);

		_exit(r == 0 ? 3 : 10 + errno % 100);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 10 + EFAULT, "an unmapped area is EFAULT",
	      "status %#x", st);
}

static void *thread_main(void *arg)
{
	static struct rseq_area tarea;
	long r;

	(void)arg;
	if (unregister_glibc())
		return (void *)1L;
	r = rseq(&tarea, 32, 0, RSEQ_SIG);	/* EINVAL if it had inherited the main one's */
	if (r == 0 && tarea.cpu_id == cpu_now())
		r = rseq(&tarea, 32, RSEQ_UNREG, RSEQ_SIG);
	return (void *)(r == 0 ? 0L : 2L);
}

static void test_inheritance(char *self)
{
	pthread_t th;
	void *res = (void *)9L;
	pid_t pid;
	int st = 0;

	CHECK_RET(rseq(&area, 32, 0, RSEQ_SIG), 0, "register for the inheritance checks");
	pthread_create(&th, NULL, thread_main, NULL);
	pthread_join(th, &res);
	CHECK(res == NULL, "a new thread starts unregistered", "result %ld", (long)res);
	pid = fork();
	if (pid == 0)
		_exit(rseq(&area, 32, 0, RSEQ_SIG) == -1 && errno == EBUSY &&
		      area.cpu_id == cpu_now() ? 0 : 1);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a fork child keeps the registration",
	      "status %#x", st);
	pid = fork();
	if (pid == 0) {
		char *av[] = { self, "exec-check", NULL };

		execv("/proc/self/exe", av);
		_exit(4);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec drops the registration", "status %#x",
	      st);
	CHECK_RET(rseq(&area, 32, RSEQ_UNREG, RSEQ_SIG), 0, "unregister after the inheritance checks");
}

/* The exec'd image: registering must work (glibc's own, else ours). */
static int exec_check(void)
{
	if (glibc_area())
		return 0;
	if (&__rseq_size != NULL && !getenv("GLIBC_TUNABLES"))
		return 5;	/* glibc tried and failed: the old registration stayed */
	return rseq(&area, 32, 0, RSEQ_SIG) == 0 ? 0 : 6;
}

static void test_abort_on_signal(void)
{
	long n = 0;
	int ab = 0;

	rseq(&area, 32, 0, RSEQ_SIG);
	start_alarms();
	/*
	 * The section spins until it is aborted: by preemption (other load)
	 * or by SIGALRM.  Enter it again until an alarm was handled.
	 */
	if (sigsetjmp(alarm_env, 1) == 0) {
		for (int i = 0; i < 100000 && alarms == 0; i++)
			ab = RSEQ_SECTION(&area, "0x53053053", SPIN_FOREVER, n);
		if (alarms)
			ab = RSEQ_SECTION(&area, "0x53053053", SPIN_FOREVER, n);
	}
	stop_alarms();
	CHECK(ab == 1 && alarms > 0 && alarms <= 200, "a signal aborts the critical section",
	      "aborted %d, %d alarms", ab, alarms);
	CHECK(area.rseq_cs == 0, "the abort cleared rseq_cs", "%#llx",
	      (unsigned long long)area.rseq_cs);
	rseq(&area, 32, RSEQ_UNREG, RSEQ_SIG);
}

static void test_abort_on_preemption(void)
{
	cpu_set_t set;
	long n = 1000000000L;
	pid_t hog;
	int ab, st;

	CPU_ZERO(&set);
	CPU_SET(cpu_now(), &set);
	sched_setaffinity(0, sizeof(set), &set);
	hog = fork();
	if (hog == 0)
		for (;;)
			;
	rseq(&area, 32, 0, RSEQ_SIG);
	ab = RSEQ_SECTION(&area, "0x53053053", SPIN_COUNT, n);
	kill(hog, SIGKILL);
	waitpid(hog, &st, 0);
	CHECK(ab == 1 && n > 0, "preemption by a busy process aborts the critical section",
	      "aborted %d, %ld left", ab, n);
	rseq(&area, 32, RSEQ_UNREG, RSEQ_SIG);
	for (int i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void segv_exit(int sig)
{
	(void)sig;
	_exit(7);
}

/*
 * In a child: a section whose abort signature is wrong, or whose
 * descriptor is bad: SIGSEGV.  With a SIGSEGV handler the kernel cannot
 * deliver that either (the descriptor is still bad), resets it and
 * forces another (Linux's force_sigsegv): the child ends, killed or from
 * its handler depending on when the alarms came, but it ends.
 */
static void test_segv(int bad_descriptor, int handler)
{
	pid_t pid = fork();
	int st = 0;
	char d[80];

	if (pid == 0) {
		long n = 0;

		if (handler)
			signal(SIGSEGV, segv_exit);
		rseq(&area, 32, 0, RSEQ_SIG);
		start_alarms();
		if (sigsetjmp(alarm_env, 1))
			_exit(3);	/* 200 alarms and still alive */
		if (bad_descriptor) {
			*(volatile uint64_t *)&area.rseq_cs = 0xffff888000000000ULL;
			for (;;)
				;
		}
		RSEQ_SECTION(&area, BAD_SIG, SPIN_FOREVER, n);
		_exit(4);
	}
	waitpid(pid, &st, 0);
	snprintf(d, sizeof(d), "a bad %s is SIGSEGV%s", bad_descriptor ? "rseq_cs pointer" :
		 "abort signature", handler ? ", with a handler too" : "");
	if (handler)
		CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 7) ||
		      (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV), d, "status %#x", st);
	else
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, d, "status %#x", st);
}

static void test_membarrier(void)
{
	long q = syscall(SYS_membarrier, MB_QUERY, 0, 0);

	CHECK(q > 0 && (q & MB_PRIV_RSEQ) && (q & MB_REG_PRIV_RSEQ), "membarrier QUERY has the RSEQ commands",
	      "%#lx", q);
	CHECK_ERR(syscall(SYS_membarrier, MB_PRIV_RSEQ, 0, 0), EPERM,
		  "PRIVATE_EXPEDITED_RSEQ unregistered is EPERM");
	CHECK_RET(syscall(SYS_membarrier, MB_REG_PRIV_RSEQ, 0, 0), 0,
		  "REGISTER_PRIVATE_EXPEDITED_RSEQ");
	CHECK_RET(syscall(SYS_membarrier, MB_PRIV_RSEQ, 0, 0), 0, "PRIVATE_EXPEDITED_RSEQ");
	CHECK_RET(syscall(SYS_membarrier, MB_PRIV_RSEQ, MB_FLAG_CPU, cpu_now()), 0,
		  "PRIVATE_EXPEDITED_RSEQ with MEMBARRIER_CMD_FLAG_CPU");
	CHECK_ERR(syscall(SYS_membarrier, MB_PRIV_RSEQ, 2, 0), EINVAL,
		  "PRIVATE_EXPEDITED_RSEQ with an unknown flag is EINVAL");
	CHECK_ERR(syscall(SYS_membarrier, MB_REG_PRIV_RSEQ, MB_FLAG_CPU, 0), EINVAL,
		  "MEMBARRIER_CMD_FLAG_CPU with another command is EINVAL");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-check"))
		return exec_check();
	check_init(argv[0]);
	test_glibc();
	test_registration();
	test_unmapped_area();
	test_inheritance(argv[0]);
	test_abort_on_signal();
	test_abort_on_preemption();
	test_segv(0, 0);
	test_segv(1, 0);
	test_segv(0, 1);
	test_membarrier();
	return check_done();
}
