/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_ioprio -- ioprio_set(2) and ioprio_get(2): a thread's I/O priority is
 * set and read back for a thread, a process group and a user, inherited
 * by fork, kept per thread; and the errors: EINVAL for bad classes,
 * levels and `which`, EPERM for the real-time class without privilege and
 * for other users' threads, ESRCH when nothing matches.
 */
#include "check.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* <linux/ioprio.h>'s values (musl's kernel headers lack it). */
#define IOPRIO_CLASS_SHIFT	13
#define IOPRIO_CLASS_NONE	0
#define IOPRIO_CLASS_RT		1
#define IOPRIO_CLASS_BE		2
#define IOPRIO_CLASS_IDLE	3
#define IOPRIO_WHO_PROCESS	1
#define IOPRIO_WHO_PGRP		2
#define IOPRIO_WHO_USER		3

#define PRIO(class, data) ((int)(((class) << IOPRIO_CLASS_SHIFT) | (data)))

static long io_set(int which, int who, int prio)
{
	return syscall(SYS_ioprio_set, which, who, prio);
}

static long io_get(int which, int who)
{
	return syscall(SYS_ioprio_get, which, who);
}

static void test_self(void)
{
	CHECK_RET(io_get(IOPRIO_WHO_PROCESS, 0), 0, "a new process has no I/O priority set (class none, 0)");
	CHECK_RET(io_set(IOPRIO_WHO_PROCESS, 0, PRIO(IOPRIO_CLASS_BE, 3)), 0, "set best-effort level 3");
	CHECK_RET(io_get(IOPRIO_WHO_PROCESS, 0), PRIO(IOPRIO_CLASS_BE, 3), "read back best-effort 3");
	CHECK_RET(io_get(IOPRIO_WHO_PROCESS, (int)syscall(SYS_gettid)), PRIO(IOPRIO_CLASS_BE, 3),
		  "read back by tid");
	CHECK_RET(io_set(IOPRIO_WHO_PROCESS, 0, PRIO(IOPRIO_CLASS_IDLE, 0)), 0, "set idle");
	CHECK_RET(io_get(IOPRIO_WHO_PROCESS, 0), PRIO(IOPRIO_CLASS_IDLE, 0), "read back idle");
	CHECK_RET(io_set(IOPRIO_WHO_PROCESS, 0, PRIO(IOPRIO_CLASS_RT, 7)), 0, "root sets real-time 7");
	CHECK_RET(io_get(IOPRIO_WHO_PROCESS, 0), PRIO(IOPRIO_CLASS_RT, 7), "read back real-time 7");
	CHECK_RET(io_set(IOPRIO_WHO_PROCESS, 0, 0), 0, "back to none");
	CHECK_RET(io_get(IOPRIO_WHO_PROCESS, 0), 0, "read back none");
}

static void test_errors(void)
{
	/* Only the low 3 bits of the data are the level; Linux leaves the rest ("hints") unchecked here. */
	CHECK_RET(io_set(IOPRIO_WHO_PROCESS, 0, PRIO(IOPRIO_CLASS_BE, 8)), 0, "best-effort data 8 (level 0, a hint bit)");
	CHECK_RET(io_get(IOPRIO_WHO_PROCESS, 0), PRIO(IOPRIO_CLASS_BE, 8), "read back as given");
	CHECK_RET(io_set(IOPRIO_WHO_PROCESS, 0, PRIO(IOPRIO_CLASS_NONE, 8)), 0, "class none, level 0 with a hint bit");
	CHECK_ERR(io_set(IOPRIO_WHO_PROCESS, 0, PRIO(IOPRIO_CLASS_NONE, 9)), EINVAL, "class none, level 1: EINVAL");
	CHECK_RET(io_set(IOPRIO_WHO_PROCESS, 0, 0), 0, "back to none");
	CHECK_ERR(io_set(IOPRIO_WHO_PROCESS, 0, PRIO(IOPRIO_CLASS_NONE, 1)), EINVAL, "class none with data: EINVAL");
	CHECK_ERR(io_set(IOPRIO_WHO_PROCESS, 0, PRIO(4, 0)), EINVAL, "class 4: EINVAL");
	CHECK_ERR(io_set(IOPRIO_WHO_PROCESS, 0, PRIO(7, 0)), EINVAL, "class 7: EINVAL");
	CHECK_ERR(io_set(0, 0, PRIO(IOPRIO_CLASS_BE, 0)), EINVAL, "which 0: EINVAL");
	CHECK_ERR(io_set(4, 0, PRIO(IOPRIO_CLASS_BE, 0)), EINVAL, "which 4: EINVAL");
	CHECK_ERR(io_get(0, 0), EINVAL, "get, which 0: EINVAL");
	CHECK_ERR(io_get(4, 0), EINVAL, "get, which 4: EINVAL");
	CHECK_ERR(io_set(IOPRIO_WHO_PROCESS, 0x3ffffff0, PRIO(IOPRIO_CLASS_BE, 0)), ESRCH, "no such thread: ESRCH");
	CHECK_ERR(io_get(IOPRIO_WHO_PROCESS, 0x3ffffff0), ESRCH, "get, no such thread: ESRCH");
	CHECK_ERR(io_get(IOPRIO_WHO_PGRP, 0x3ffffff0), ESRCH, "get, no such process group: ESRCH");
	CHECK_ERR(io_set(IOPRIO_WHO_PGRP, 0x3ffffff0, 0), ESRCH, "no such process group: ESRCH");
	CHECK_ERR(io_get(IOPRIO_WHO_USER, 54321), ESRCH, "get, a user with no processes: ESRCH");
	CHECK_ERR(io_set(IOPRIO_WHO_USER, 54321, 0), ESRCH, "a user with no processes: ESRCH");
}

/* Fork inherits; the group and user forms reach the child. Exit code: the failed step. */
static int inherit_child(void)
{
	if (io_get(IOPRIO_WHO_PROCESS, 0) != PRIO(IOPRIO_CLASS_BE, 5))
		return 1;
	if (setpgid(0, 0) != 0)
		return 2;
	if (io_set(IOPRIO_WHO_PGRP, 0, PRIO(IOPRIO_CLASS_BE, 6)) != 0)
		return 3;
	if (io_get(IOPRIO_WHO_PROCESS, 0) != PRIO(IOPRIO_CLASS_BE, 6))
		return 4;
	if (io_get(IOPRIO_WHO_PGRP, getpgrp()) != PRIO(IOPRIO_CLASS_BE, 6))
		return 5;
	if (setresuid(4243, 4243, 4243) != 0)
		return 6;
	/* Linux's quirk: who 0 with IOPRIO_WHO_USER means uid 0, not the caller's uid. */
	if (io_set(IOPRIO_WHO_USER, 0, PRIO(IOPRIO_CLASS_IDLE, 0)) != -1 || errno != EPERM)
		return 7;
	if (io_set(IOPRIO_WHO_USER, 4243, PRIO(IOPRIO_CLASS_IDLE, 0)) != 0)
		return 13;
	if (io_get(IOPRIO_WHO_USER, 4243) != PRIO(IOPRIO_CLASS_IDLE, 0))
		return 8;
	/* Unprivileged now: no real-time class, not even for itself, and not another user's thread. */
	if (io_set(IOPRIO_WHO_PROCESS, 0, PRIO(IOPRIO_CLASS_RT, 0)) != -1 || errno != EPERM)
		return 9;
	if (io_set(IOPRIO_WHO_PROCESS, 0x3ffffff0, PRIO(IOPRIO_CLASS_RT, 0)) != -1 || errno != EPERM)
		return 10;	/* the privilege check comes before the lookup */
	if (io_set(IOPRIO_WHO_PROCESS, getppid(), PRIO(IOPRIO_CLASS_BE, 1)) != -1 || errno != EPERM)
		return 11;
	if (io_get(IOPRIO_WHO_PROCESS, getppid()) != PRIO(IOPRIO_CLASS_BE, 5))
		return 12;	/* reading is allowed */
	return 0;
}

static void test_inherit(void)
{
	pid_t child;
	int st;

	if (geteuid() != 0) {
		check_printf("# not root: skipping the fork, group and user checks\n");
		return;
	}
	CHECK_RET(io_set(IOPRIO_WHO_PROCESS, 0, PRIO(IOPRIO_CLASS_BE, 5)), 0, "set best-effort 5 before fork");
	child = fork();
	if (child == 0)
		_exit(inherit_child());
	CHECK(waitpid(child, &st, 0) == child && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "child: inherited, group and user forms, EPERM paths", "child failed at step %d (status %#x)",
	      WIFEXITED(st) ? WEXITSTATUS(st) : -1, st);
	CHECK_RET(io_get(IOPRIO_WHO_PROCESS, 0), PRIO(IOPRIO_CLASS_BE, 5), "the parent's own is unchanged");
	CHECK_RET(io_set(IOPRIO_WHO_PROCESS, 0, 0), 0, "back to none");
}

static volatile int thread_tid, thread_stop;
static volatile long thread_saw;

static void *prio_thread(void *arg)
{
	(void)arg;
	thread_saw = io_get(IOPRIO_WHO_PROCESS, 0);
	thread_tid = (int)syscall(SYS_gettid);
	while (!thread_stop)
		usleep(1000);
	return NULL;
}

static void test_threads(void)
{
	pthread_t th;

	CHECK_RET(io_set(IOPRIO_WHO_PROCESS, 0, PRIO(IOPRIO_CLASS_BE, 2)), 0, "set best-effort 2 before a thread");
	thread_tid = 0;
	thread_stop = 0;
	if (pthread_create(&th, NULL, prio_thread, NULL) != 0) {
		CHECK(0, "pthread_create", "failed");
		return;
	}
	while (!thread_tid)
		usleep(1000);
	CHECK(thread_saw == PRIO(IOPRIO_CLASS_BE, 2), "a new thread inherits its creator's", "got %ld", thread_saw);
	CHECK_RET(io_set(IOPRIO_WHO_PROCESS, thread_tid, PRIO(IOPRIO_CLASS_IDLE, 0)), 0, "set the thread's by tid");
	CHECK_RET(io_get(IOPRIO_WHO_PROCESS, thread_tid), PRIO(IOPRIO_CLASS_IDLE, 0), "the thread's changed");
	CHECK_RET(io_get(IOPRIO_WHO_PROCESS, 0), PRIO(IOPRIO_CLASS_BE, 2), "the caller's did not");
	thread_stop = 1;
	pthread_join(th, NULL);
	CHECK_RET(io_set(IOPRIO_WHO_PROCESS, 0, 0), 0, "back to none");
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	test_self();
	test_errors();
	test_inherit();
	test_threads();
	return check_done();
}
