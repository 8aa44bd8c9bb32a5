/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_sysv_sem -- System V semaphores: semget (IPC_PRIVATE, keys, nsems
 * rules, EEXIST, ENOENT), semop and semtimedop (atomic arrays applied in
 * order, IPC_NOWAIT's EAGAIN, timeouts, blocking until another process
 * changes a value, GETNCNT and GETZCNT of sleepers, EINTR on a signal even
 * with SA_RESTART, EIDRM when the set goes, ERANGE past SEMVMX, E2BIG past
 * semopm, EFBIG, EFAULT, EINVAL), SEM_UNDO applied at exit and forgotten
 * by SETVAL, semctl (GETVAL, SETVAL, GETALL, SETALL, GETPID, IPC_STAT,
 * IPC_SET, IPC_RMID, IPC_INFO, SEM_INFO, SEM_STAT, SEM_STAT_ANY), the sem
 * sysctl and /proc/sysvipc/sem; as nobody, EACCES and EPERM.
 */
#include "check.h"
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

static char buf[64 * 1024];

/* The whole of a file into buf: its length, or -1 with errno. */
static long slurp(const char *path)
{
	return check_read_file(path, buf, sizeof(buf));
}


static int op(int id, unsigned short num, short val, short flg)
{
	struct sembuf sb = { num, val, flg };

	return semop(id, &sb, 1);
}

static int getval(int id, int num)
{
	return semctl(id, num, GETVAL);
}

static int setval(int id, int num, int v)
{
	union semun u = { .val = v };

	return semctl(id, num, SETVAL, u);
}

static int wait_status(pid_t pid)
{
	int st = -1;

	waitpid(pid, &st, 0);
	return st;
}

/* Poll cmd (GETNCNT/GETZCNT) of num until it is want (a sleeper got there): the last value. */
static int wait_count(int id, int num, int cmd, int want)
{
	int v = -1;

	for (int i = 0; i < 500 && (v = semctl(id, num, cmd)) != want; i++)
		usleep(10000);
	return v;
}

static void test_get(void)
{
	key_t key = 0x5e770000 + getpid();
	struct semid_ds ds;
	union semun u = { .buf = &ds };
	int id = CHECK_OK(semget(IPC_PRIVATE, 3, 0600), "semget IPC_PRIVATE of 3");

	CHECK_RET(semctl(id, 0, IPC_STAT, u), 0, "IPC_STAT");
	CHECK(ds.sem_nsems == 3 && ds.sem_otime == 0 && ds.sem_ctime > 0 &&
	      (ds.sem_perm.mode & 0777) == 0600 && ds.sem_perm.cuid == geteuid(),
	      "a new set's size, times, mode", "nsems %lu otime %ld mode %o",
	      (unsigned long)ds.sem_nsems, (long)ds.sem_otime, ds.sem_perm.mode);
	CHECK(getval(id, 0) == 0 && getval(id, 2) == 0, "values start at 0", "not 0");
	semctl(id, 0, IPC_RMID);
	CHECK_ERR(semget(IPC_PRIVATE, -1, 0600), EINVAL, "nsems -1");
	CHECK_ERR(semget(IPC_PRIVATE, 32001, 0600), EINVAL, "nsems past semmsl");
	CHECK_ERR(semget(IPC_PRIVATE, 0, 0600), EINVAL, "a new set of 0");
	CHECK_ERR(semget(key, 2, 0600), ENOENT, "a missing key");
	id = CHECK_OK(semget(key, 2, IPC_CREAT | 0600), "semget IPC_CREAT of a key");
	CHECK_RET(semget(key, 0, 0), id, "nsems 0 finds the set");
	CHECK_RET(semget(key, 2, 0600), id, "the same nsems finds it");
	CHECK_ERR(semget(key, 3, 0600), EINVAL, "more semaphores than the set has");
	CHECK_ERR(semget(key, 2, IPC_CREAT | IPC_EXCL | 0600), EEXIST, "IPC_EXCL of an existing key");
	CHECK_RET(semctl(id, 0, IPC_RMID), 0, "IPC_RMID");
	CHECK_ERR(semctl(id, 0, GETVAL), EINVAL, "a removed set");
	CHECK_ERR(semget(key, 2, 0), ENOENT, "its key is free again");
}

static void test_values(void)
{
	int id = semget(IPC_PRIVATE, 4, 0600);
	unsigned short all[4] = { 1, 2, 3, 32767 }, got[4] = { 0 };
	union semun u;

	CHECK_RET(setval(id, 1, 5), 0, "SETVAL");
	CHECK_RET(getval(id, 1), 5, "GETVAL");
	CHECK_RET(semctl(id, 1, GETPID), getpid(), "GETPID after SETVAL");
	CHECK_ERR(setval(id, 1, -1), ERANGE, "SETVAL -1");
	CHECK_ERR(setval(id, 1, 32768), ERANGE, "SETVAL past SEMVMX");
	CHECK_ERR(setval(id, 4, 1), EINVAL, "SETVAL of a semaphore past the set");
	CHECK_ERR(semctl(id, -1, GETVAL), EINVAL, "GETVAL of semnum -1");
	CHECK_ERR(semctl(id, 4, GETNCNT), EINVAL, "GETNCNT past the set");
	u.array = all;
	CHECK_RET(semctl(id, 0, SETALL, u), 0, "SETALL");
	u.array = got;
	CHECK_RET(semctl(id, 0, GETALL, u), 0, "GETALL");
	CHECK(memcmp(all, got, sizeof(all)) == 0, "GETALL gives what SETALL set", "%u %u %u %u",
	      got[0], got[1], got[2], got[3]);
	all[2] = 40000;
	u.array = all;
	CHECK_ERR(semctl(id, 0, SETALL, u), ERANGE, "SETALL of a value past SEMVMX");
	CHECK_RET(getval(id, 2), 3, "a failed SETALL changes nothing");
	u.array = BADPTR;
	CHECK_ERR(semctl(id, 0, GETALL, u), EFAULT, "GETALL to a bad pointer");
	CHECK_ERR(semctl(id, 0, SETALL, u), EFAULT, "SETALL from a bad pointer");
	CHECK_ERR(semctl(id, 0, 99), EINVAL, "an unknown command");
	CHECK_ERR(semctl(-1, 0, GETVAL), EINVAL, "a negative id");
	semctl(id, 0, IPC_RMID);
}

static void test_semop(void)
{
	int id = semget(IPC_PRIVATE, 2, 0600);
	struct sembuf two[2] = { { 0, -1, IPC_NOWAIT }, { 1, -1, IPC_NOWAIT } };
	struct sembuf seq[2] = { { 0, 1, 0 }, { 0, -1, 0 } };
	struct sembuf many[501];
	struct timespec t0, t1, to = { 0, 100000000 };
	struct semid_ds ds;
	union semun u = { .buf = &ds };
	long ms;

	CHECK_RET(op(id, 0, 2, 0), 0, "semop +2");
	CHECK_RET(getval(id, 0), 2, "the value went up");
	CHECK_RET(semctl(id, 0, IPC_STAT, u), 0, "IPC_STAT");
	CHECK(ds.sem_otime > 0, "semop sets sem_otime", "otime %ld", (long)ds.sem_otime);
	CHECK_RET(op(id, 0, -1, 0), 0, "semop -1");
	CHECK_ERR(op(id, 1, -1, IPC_NOWAIT), EAGAIN, "IPC_NOWAIT on a 0 semaphore");
	CHECK_ERR(op(id, 0, 0, IPC_NOWAIT), EAGAIN, "IPC_NOWAIT waiting for zero on 1");
	CHECK_RET(op(id, 1, 0, IPC_NOWAIT), 0, "waiting for zero on 0 succeeds");
	CHECK_ERR(semop(id, two, 2), EAGAIN, "an array is all or nothing");
	CHECK_RET(getval(id, 0), 1, "the first operation was not applied");
	CHECK_RET(semop(id, seq, 2), 0, "operations apply in order (+1 then -1 on one semaphore)");
	CHECK_RET(setval(id, 0, 32767), 0, "SETVAL SEMVMX");
	CHECK_ERR(op(id, 0, 1, 0), ERANGE, "semop past SEMVMX");
	CHECK_ERR(semop(id, two, 0), EINVAL, "nsops 0");
	for (int i = 0; i < 501; i++)
		many[i] = (struct sembuf){ 0, 0, IPC_NOWAIT };
	CHECK_ERR(semop(id, many, 501), E2BIG, "nsops past semopm");
	CHECK_ERR(op(id, 2, 1, 0), EFBIG, "a semaphore past the set");
	CHECK_ERR(semop(id, BADPTR, 1), EFAULT, "operations at a bad pointer");
	CHECK_ERR(op(-1, 0, 1, 0), EINVAL, "a negative id");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	{
		struct sembuf w = { 1, -1, 0 };

		CHECK_ERR(semtimedop(id, &w, 1, &to), EAGAIN, "semtimedop times out with EAGAIN");
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		CHECK(ms >= 90, "after the timeout", "%ld ms", ms);
		to.tv_nsec = -1;
		CHECK_ERR(semtimedop(id, &w, 1, &to), EINVAL, "a bad timeout");
		to.tv_nsec = 0;
		CHECK_ERR(semtimedop(id, &w, 1, &to), EAGAIN, "a zero timeout");
		CHECK_ERR(semtimedop(id, &w, 1, BADPTR), EFAULT, "a timeout at a bad pointer");
	}
	semctl(id, 0, IPC_RMID);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_blocking(void)
{
	int id = semget(IPC_PRIVATE, 2, 0600);
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0)
		_exit(op(id, 0, -2, 0) == 0 ? 0 : 1);
	CHECK_RET(wait_count(id, 0, GETNCNT, 1), 1, "GETNCNT counts a sleeper");
	CHECK_RET(semctl(id, 0, GETZCNT), 0, "GETZCNT does not");
	CHECK_RET(op(id, 0, 1, 0), 0, "+1: not enough for it");
	usleep(50000);
	CHECK_RET(semctl(id, 0, GETNCNT), 1, "it still sleeps");
	CHECK_RET(op(id, 0, 1, 0), 0, "+1 again");
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the sleeper's semop completed", "0x%x", st);
	CHECK_RET(getval(id, 0), 0, "it took 2");
	CHECK_RET(semctl(id, 0, GETPID), pid, "GETPID names it");
	setval(id, 1, 1);
	pid = fork();
	if (pid == 0)
		_exit(op(id, 1, 0, 0) == 0 ? 0 : 1);
	CHECK_RET(wait_count(id, 1, GETZCNT, 1), 1, "GETZCNT counts a zero-waiter");
	setval(id, 1, 0);
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the zero-waiter woke", "0x%x", st);
	pid = fork();
	if (pid == 0)
		_exit(op(id, 0, -1, 0) == -1 && errno == EIDRM ? 0 : 1);
	wait_count(id, 0, GETNCNT, 1);
	CHECK_RET(semctl(id, 0, IPC_RMID), 0, "IPC_RMID with a sleeper");
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the sleeper got EIDRM", "0x%x", st);
	id = semget(IPC_PRIVATE, 1, 0600);
	sigaction(SIGALRM, &sa, NULL);
	ualarm(100000, 0);
	CHECK_ERR(op(id, 0, -1, 0), EINTR, "a signal interrupts semop (EINTR even with SA_RESTART)");
	semctl(id, 0, IPC_RMID);
}

static void test_undo(void)
{
	int id = semget(IPC_PRIVATE, 2, 0600);
	pid_t pid;

	setval(id, 1, 5);
	pid = fork();
	if (pid == 0) {
		struct sembuf ops[2] = { { 0, 2, SEM_UNDO }, { 1, -3, SEM_UNDO } };

		_exit(semop(id, ops, 2) == 0 && getval(id, 0) == 2 && getval(id, 1) == 2 ? 0 : 1);
	}
	CHECK(wait_status(pid) == 0, "a child's SEM_UNDO operations", "child failed");
	CHECK(getval(id, 0) == 0 && getval(id, 1) == 5, "its exit undid them", "%d %d",
	      getval(id, 0), getval(id, 1));
	CHECK_RET(semctl(id, 0, GETPID), pid, "the undo at exit records the exiting pid");
	pid = fork();
	if (pid == 0)
		_exit(op(id, 0, 3, SEM_UNDO) == 0 && setval(id, 0, 7) == 0 ? 0 : 1);
	CHECK(wait_status(pid) == 0, "SEM_UNDO then SETVAL", "child failed");
	CHECK_RET(getval(id, 0), 7, "SETVAL forgot the adjustment");
	pid = fork();
	if (pid == 0) {
		if (op(id, 1, -5, SEM_UNDO) != 0)
			_exit(1);
		_exit(fork() == 0 ? 0 : (wait(NULL), 0));
	}
	CHECK(wait_status(pid) == 0, "SEM_UNDO in a process that forks", "child failed");
	CHECK_RET(getval(id, 1), 5, "the grandchild inherited no adjustment; the child's own was undone");
	semctl(id, 0, IPC_RMID);
}

static void test_ctl(void)
{
	int id = semget(IPC_PRIVATE, 5, 0600), max, found = 0, any = 0;
	struct semid_ds ds, set;
	struct seminfo si;
	union semun u = { .buf = &set };

	semctl(id, 0, IPC_STAT, u);
	set.sem_perm.mode = 0644;
	set.sem_perm.uid = 77;
	CHECK_RET(semctl(id, 0, IPC_SET, u), 0, "IPC_SET");
	u.buf = &ds;
	semctl(id, 0, IPC_STAT, u);
	CHECK((ds.sem_perm.mode & 0777) == 0644 && ds.sem_perm.uid == 77 && ds.sem_perm.cuid == 0,
	      "IPC_SET changes mode and owner", "mode %o uid %u", ds.sem_perm.mode, ds.sem_perm.uid);
	u.buf = BADPTR;
	CHECK_ERR(semctl(id, 0, IPC_SET, u), EFAULT, "IPC_SET from a bad pointer");
	CHECK_ERR(semctl(id, 0, IPC_STAT, u), EFAULT, "IPC_STAT to a bad pointer");
	u.__buf = &si;
	max = CHECK_OK(semctl(0, 0, IPC_INFO, u), "IPC_INFO");
	CHECK(si.semmsl == 32000 && si.semopm == 500 && si.semvmx == 32767 && si.semmni == 32000 &&
	      si.semusz == 20 && si.semaem == 32767, "IPC_INFO's limits",
	      "semmsl %d semopm %d semvmx %d semusz %d", si.semmsl, si.semopm, si.semvmx, si.semusz);
	CHECK_RET(semctl(0, 0, SEM_INFO, u), max, "SEM_INFO: the highest index");
	CHECK(si.semusz >= 1 && si.semaem >= 5, "SEM_INFO's counts of sets and semaphores",
	      "semusz %d semaem %d", si.semusz, si.semaem);
	u.buf = &ds;
	for (int i = 0; i <= max; i++) {
		if (semctl(i, 0, SEM_STAT, u) == id)
			found++;
		if (semctl(i, 0, SEM_STAT_ANY, u) == id)
			any++;
	}
	CHECK(found == 1 && any == 1, "SEM_STAT and SEM_STAT_ANY by index", "found %d any %d", found, any);
	CHECK_ERR(semctl(max + 1, 0, SEM_STAT, u), EINVAL, "SEM_STAT past the highest index");
	semctl(id, 0, IPC_RMID);
}

static void test_proc(void)
{
	key_t key = 0x5e780000 + getpid();
	int id = semget(key, 3, IPC_CREAT | 0640);
	char want[128];
	struct sembuf w = { 0, 0, IPC_NOWAIT };
	struct sembuf many[3] = { { 0, 0, 0 }, { 0, 0, 0 }, { 0, 0, 0 } };

	CHECK(slurp("/proc/sys/kernel/sem") > 0 && strcmp(buf, "32000\t1024000000\t500\t32000\n") == 0,
	      "/proc/sys/kernel/sem", "got '%s'", buf);
	CHECK_RET(check_write_file("/proc/sys/kernel/sem", "32000 1024000000 2 32000"), 0, "root lowers semopm");
	CHECK_ERR(semop(id, many, 3), E2BIG, "E2BIG past the new semopm");
	CHECK_ERR(check_write_file("/proc/sys/kernel/sem", "32000 1024000000 500 40000"), ERANGE, "semmni past IPCMNI: ERANGE");
	check_write_file("/proc/sys/kernel/sem", "32000 1024000000 500 32000");
	CHECK(slurp("/proc/sys/kernel/sem") > 0 && strcmp(buf, "32000\t1024000000\t500\t32000\n") == 0,
	      "sem restored", "got '%s'", buf);
	semop(id, &w, 1);
	CHECK(slurp("/proc/sysvipc/sem") > 0 &&
	      strncmp(buf, "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n",
		      85) == 0, "/proc/sysvipc/sem's header", "got '%.200s'", buf);
	snprintf(want, sizeof(want), "%10d %10d  %4o %10u %5u %5u %5u %5u ", key, id, 0640, 3, 0, 0, 0, 0);
	CHECK(strstr(buf, want) != NULL, "/proc/sysvipc/sem's line of a set", "no '%s' in '%.300s'",
	      want, buf);
	semctl(id, 0, IPC_RMID);
}

static void test_nobody(void)
{
	int id = semget(IPC_PRIVATE, 1, 0600), ro = semget(IPC_PRIVATE, 1, 0644);
	pid_t pid = fork();

	if (pid == 0) {
		struct semid_ds ds;
		union semun u = { .buf = &ds };

		int failed_before = check_failed;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(2);
		CHECK_ERR(op(id, 0, 1, 0), EACCES, "nobody: semop on a 0600 set");
		CHECK_ERR(getval(id, 0), EACCES, "nobody: GETVAL");
		CHECK_ERR(setval(id, 0, 1), EACCES, "nobody: SETVAL");
		CHECK_ERR(semctl(id, 0, IPC_STAT, u), EACCES, "nobody: IPC_STAT");
		CHECK_RET(semctl(id % 32768, 0, SEM_STAT_ANY, u), id, "nobody: SEM_STAT_ANY");
		CHECK_ERR(semctl(id, 0, IPC_RMID), EPERM, "nobody: IPC_RMID of root's set");
		memset(&ds, 0, sizeof(ds));
		CHECK_ERR(semctl(id, 0, IPC_SET, u), EPERM, "nobody: IPC_SET of root's set");
		CHECK_RET(getval(ro, 0), 0, "nobody: GETVAL of a 0644 set");
		CHECK_RET(op(ro, 0, 0, IPC_NOWAIT), 0, "nobody: a wait-for-zero only reads");
		CHECK_ERR(op(ro, 0, 1, 0), EACCES, "nobody: semop +1 on a 0644 set");
		CHECK_ERR(check_write_file("/proc/sys/kernel/sem", "1 1 1 1"), EACCES, "nobody: writing sem");
		_exit(check_failed > failed_before ? 1 : 0);
	}
	CHECK(wait_status(pid) == 0, "the checks as nobody passed", "see above");
	semctl(id, 0, IPC_RMID);
	semctl(ro, 0, IPC_RMID);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	test_get();
	test_values();
	test_semop();
	test_blocking();
	test_undo();
	test_ctl();
	test_proc();
	test_nobody();
	return check_done();
}
