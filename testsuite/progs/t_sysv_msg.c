/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_sysv_msg -- System V message queues: msgget (IPC_PRIVATE, keys,
 * EEXIST, ENOENT), msgsnd (the queue's byte limit, IPC_NOWAIT's EAGAIN,
 * a sender sleeping until a receive makes room, EINVAL for mtype < 1, a
 * size past msgmax or a bad id, EFAULT), msgrcv (msgtyp 0, > 0, < 0,
 * MSG_EXCEPT, MSG_COPY with IPC_NOWAIT and its EINVAL and ENOMSG cases,
 * MSG_NOERROR truncation, E2BIG, ENOMSG, a receiver sleeping until a
 * send, EINTR even with SA_RESTART, EIDRM when the queue goes), msgctl
 * (IPC_STAT and its counters, IPC_SET of msg_qbytes, IPC_RMID, IPC_INFO,
 * MSG_INFO, MSG_STAT, MSG_STAT_ANY), the msg* sysctls and
 * /proc/sysvipc/msg; as nobody, EACCES and EPERM (raising msg_qbytes past
 * msgmnb too).
 */
#include "check.h"
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>

#ifndef MSG_COPY
#define MSG_COPY 040000	/* <linux/msg.h>; glibc and musl leave it out */
#endif

struct mbuf {
	long mtype;
	char mtext[9000];
};

static char buf[64 * 1024];
static struct mbuf m;

/* The whole of a file into buf: its length, or -1 with errno. */
static long slurp(const char *path)
{
	return check_read_file(path, buf, sizeof(buf));
}


static int send(int id, long type, const char *text, int flg)
{
	struct mbuf s;

	s.mtype = type;
	memcpy(s.mtext, text, strlen(text));
	return msgsnd(id, &s, strlen(text), flg);
}

/* Receive into m (NUL-terminated): the length, or -1. */
static long recv(int id, size_t size, long type, int flg)
{
	long n;

	memset(&m, 0, sizeof(m));
	n = msgrcv(id, &m, size, type, flg);
	if (n >= 0)
		m.mtext[n] = 0;
	return n;
}

static int wait_status(pid_t pid)
{
	int st = -1;

	waitpid(pid, &st, 0);
	return st;
}

static unsigned long qnum(int id)
{
	struct msqid_ds ds;

	return msgctl(id, IPC_STAT, &ds) == 0 ? ds.msg_qnum : (unsigned long)-1;
}

static void test_get(void)
{
	key_t key = 0x3e570000 + getpid();
	struct msqid_ds ds;
	int id = CHECK_OK(msgget(IPC_PRIVATE, 0600), "msgget IPC_PRIVATE");

	CHECK_RET(msgctl(id, IPC_STAT, &ds), 0, "IPC_STAT");
	CHECK(ds.msg_qbytes == 16384 && ds.msg_qnum == 0 && ds.msg_cbytes == 0 && ds.msg_lspid == 0 &&
	      ds.msg_lrpid == 0 && ds.msg_stime == 0 && ds.msg_rtime == 0 && ds.msg_ctime > 0 &&
	      (ds.msg_perm.mode & 0777) == 0600, "a new queue's limits, counters and times",
	      "qbytes %lu qnum %lu ctime %ld mode %o", (unsigned long)ds.msg_qbytes,
	      (unsigned long)ds.msg_qnum, (long)ds.msg_ctime, ds.msg_perm.mode);
	msgctl(id, IPC_RMID, NULL);
	CHECK_ERR(msgget(key, 0600), ENOENT, "a missing key");
	id = CHECK_OK(msgget(key, IPC_CREAT | 0600), "msgget IPC_CREAT of a key");
	CHECK_RET(msgget(key, 0), id, "the key again");
	CHECK_ERR(msgget(key, IPC_CREAT | IPC_EXCL | 0600), EEXIST, "IPC_EXCL of an existing key");
	CHECK_RET(msgctl(id, IPC_RMID, NULL), 0, "IPC_RMID");
	CHECK_ERR(msgctl(id, IPC_STAT, &ds), EINVAL, "the queue is gone");
	CHECK_ERR(send(id, 1, "x", IPC_NOWAIT), EINVAL, "msgsnd to a removed queue");
}

static void test_types(void)
{
	int id = msgget(IPC_PRIVATE, 0600);
	struct msqid_ds ds;

	CHECK_RET(send(id, 3, "a", 0), 0, "msgsnd type 3");
	CHECK_RET(msgctl(id, IPC_STAT, &ds), 0, "IPC_STAT after a send");
	CHECK(ds.msg_qnum == 1 && ds.msg_cbytes == 1 && ds.msg_lspid == getpid() && ds.msg_stime > 0,
	      "msgsnd counts the message and records pid and time", "qnum %lu cbytes %lu lspid %d",
	      (unsigned long)ds.msg_qnum, (unsigned long)ds.msg_cbytes, ds.msg_lspid);
	send(id, 1, "bb", 0);
	send(id, 2, "ccc", 0);
	send(id, 5, "dddd", 0);
	send(id, 2, "eeeee", 0);
	CHECK(recv(id, 100, 2, 0) == 3 && m.mtype == 2 && strcmp(m.mtext, "ccc") == 0,
	      "msgtyp 2: the first of type 2", "got %ld '%s'", m.mtype, m.mtext);
	CHECK(recv(id, 100, -3, 0) == 2 && m.mtype == 1, "msgtyp -3: the lowest type up to 3",
	      "got %ld '%s'", m.mtype, m.mtext);
	CHECK(recv(id, 100, 3, MSG_EXCEPT) == 4 && m.mtype == 5, "MSG_EXCEPT 3: the first not of type 3",
	      "got %ld '%s'", m.mtype, m.mtext);
	CHECK(recv(id, 100, 1, MSG_COPY | IPC_NOWAIT) == 5 && strcmp(m.mtext, "eeeee") == 0,
	      "MSG_COPY 1: a copy of the second message", "got %ld '%s'", m.mtype, m.mtext);
	CHECK_RET(qnum(id), 2, "MSG_COPY leaves it queued");
	CHECK_ERR(recv(id, 100, 5, MSG_COPY | IPC_NOWAIT), ENOMSG, "MSG_COPY past the last message");
	CHECK_ERR(recv(id, 100, 0, MSG_COPY), EINVAL, "MSG_COPY without IPC_NOWAIT");
	CHECK_ERR(recv(id, 100, 0, MSG_COPY | MSG_EXCEPT | IPC_NOWAIT), EINVAL, "MSG_COPY with MSG_EXCEPT");
	CHECK(recv(id, 100, 0, 0) == 1 && m.mtype == 3, "msgtyp 0: the first message", "got %ld", m.mtype);
	CHECK_RET(msgctl(id, IPC_STAT, &ds), 0, "IPC_STAT after a receive");
	CHECK(ds.msg_lrpid == getpid() && ds.msg_rtime > 0 && ds.msg_qnum == 1 && ds.msg_cbytes == 5,
	      "msgrcv records pid and time", "lrpid %d qnum %lu", ds.msg_lrpid, (unsigned long)ds.msg_qnum);
	CHECK_ERR(recv(id, 100, 9, IPC_NOWAIT), ENOMSG, "no message of type 9");
	CHECK_ERR(recv(id, 2, 0, IPC_NOWAIT), E2BIG, "a buffer too small");
	CHECK_RET(qnum(id), 1, "E2BIG leaves the message queued");
	CHECK(recv(id, 2, 0, MSG_NOERROR) == 2 && strcmp(m.mtext, "ee") == 0,
	      "MSG_NOERROR truncates", "got '%s'", m.mtext);
	CHECK_RET(qnum(id), 0, "and takes it");
	CHECK_ERR(recv(id, 100, 0, IPC_NOWAIT), ENOMSG, "an empty queue with IPC_NOWAIT");
	CHECK_ERR(send(id, 0, "x", 0), EINVAL, "mtype 0");
	CHECK_ERR(send(id, -1, "x", 0), EINVAL, "a negative mtype");
	m.mtype = 1;
	CHECK_ERR(msgsnd(id, &m, 8193, 0), EINVAL, "a size past msgmax");
	CHECK_ERR(msgsnd(id, &m, (size_t)-1, 0), EINVAL, "a negative size");
	CHECK_ERR(msgsnd(id, BADPTR, 1, 0), EFAULT, "a message at a bad pointer");
	CHECK_ERR(msgsnd(-1, &m, 1, 0), EINVAL, "a negative id");
	CHECK_ERR(msgrcv(-1, &m, 1, 0, 0), EINVAL, "msgrcv of a negative id");
	send(id, 7, "lost", 0);
	CHECK_ERR(msgrcv(id, BADPTR, 100, 0, 0), EFAULT, "msgrcv into a bad pointer");
	CHECK_RET(qnum(id), 0, "the message is gone all the same, as on Linux");
	CHECK_RET(msgsnd(id, &m, 0, 0), 0, "an empty message");
	CHECK_RET(recv(id, 0, 0, 0), 0, "received as 0 bytes");
	msgctl(id, IPC_RMID, NULL);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_blocking(void)
{
	int id = msgget(IPC_PRIVATE, 0600), st;
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct msqid_ds ds;
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(recv(id, 100, 4, 0) == 3 && strcmp(m.mtext, "new") == 0 ? 0 : 1);
	usleep(100000);
	send(id, 3, "other", 0);
	send(id, 4, "new", 0);
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a sleeping receiver gets its type", "0x%x", st);
	CHECK_RET(qnum(id), 1, "the other message stays");
	recv(id, 100, 0, 0);
	msgctl(id, IPC_STAT, &ds);
	ds.msg_qbytes = 10;
	CHECK_RET(msgctl(id, IPC_SET, &ds), 0, "IPC_SET msg_qbytes 10");
	CHECK_RET(send(id, 1, "12345678", 0), 0, "8 bytes fit");
	CHECK_ERR(send(id, 1, "12345678", IPC_NOWAIT), EAGAIN, "8 more do not: EAGAIN");
	pid = fork();
	if (pid == 0)
		_exit(send(id, 2, "abcdefgh", 0) == 0 ? 0 : 1);
	usleep(100000);
	CHECK_RET(qnum(id), 1, "the sender sleeps");
	CHECK_RET(recv(id, 100, 1, 0), 8, "a receive makes room");
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && qnum(id) == 1, "the sender's message went in",
	      "0x%x", st);
	pid = fork();
	if (pid == 0)
		_exit(recv(id, 100, 9, 0) == -1 && errno == EIDRM ? 0 : 1);
	usleep(100000);
	CHECK_RET(msgctl(id, IPC_RMID, NULL), 0, "IPC_RMID with a sleeping receiver");
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "it got EIDRM", "0x%x", st);
	id = msgget(IPC_PRIVATE, 0600);
	sigaction(SIGALRM, &sa, NULL);
	ualarm(100000, 0);
	CHECK_ERR(recv(id, 100, 0, 0), EINTR, "a signal interrupts msgrcv (EINTR even with SA_RESTART)");
	msgctl(id, IPC_RMID, NULL);
}

static void test_ctl(void)
{
	int id = msgget(IPC_PRIVATE, 0600), max, found = 0, any = 0;
	struct msqid_ds ds;
	struct msginfo mi;

	send(id, 1, "hello", 0);
	msgctl(id, IPC_STAT, &ds);
	ds.msg_perm.mode = 0644;
	ds.msg_perm.uid = 55;
	ds.msg_qbytes = 100000;
	CHECK_RET(msgctl(id, IPC_SET, &ds), 0, "IPC_SET (root may raise msg_qbytes past msgmnb)");
	msgctl(id, IPC_STAT, &ds);
	CHECK((ds.msg_perm.mode & 0777) == 0644 && ds.msg_perm.uid == 55 && ds.msg_qbytes == 100000,
	      "IPC_SET's changes", "mode %o uid %u qbytes %lu", ds.msg_perm.mode, ds.msg_perm.uid,
	      (unsigned long)ds.msg_qbytes);
	CHECK_ERR(msgctl(id, IPC_SET, BADPTR), EFAULT, "IPC_SET from a bad pointer");
	CHECK_ERR(msgctl(id, IPC_STAT, BADPTR), EFAULT, "IPC_STAT to a bad pointer");
	CHECK_ERR(msgctl(id, 99, &ds), EINVAL, "an unknown command");
	max = CHECK_OK(msgctl(0, IPC_INFO, (struct msqid_ds *)&mi), "IPC_INFO");
	CHECK(mi.msgmax == 8192 && mi.msgmnb == 16384 && mi.msgmni == 32000 && mi.msgssz == 16 &&
	      mi.msgseg == 0xffff, "IPC_INFO's limits", "msgmax %d msgmnb %d msgmni %d", mi.msgmax,
	      mi.msgmnb, mi.msgmni);
	CHECK_RET(msgctl(0, MSG_INFO, (struct msqid_ds *)&mi), max, "MSG_INFO: the highest index");
	CHECK(mi.msgpool >= 1 && mi.msgmap >= 1 && mi.msgtql >= 5, "MSG_INFO's counts",
	      "queues %d messages %d bytes %d", mi.msgpool, mi.msgmap, mi.msgtql);
	for (int i = 0; i <= max; i++) {
		if (msgctl(i, MSG_STAT, &ds) == id)
			found++;
		if (msgctl(i, MSG_STAT_ANY, &ds) == id)
			any++;
	}
	CHECK(found == 1 && any == 1, "MSG_STAT and MSG_STAT_ANY by index", "found %d any %d", found, any);
	CHECK_ERR(msgctl(max + 1, MSG_STAT, &ds), EINVAL, "MSG_STAT past the highest index");
	msgctl(id, IPC_RMID, NULL);
}

static void test_proc(void)
{
	key_t key = 0x3e580000 + getpid();
	int id = msgget(key, IPC_CREAT | 0640);
	char want[160];

	CHECK(slurp("/proc/sys/kernel/msgmax") > 0 && strcmp(buf, "8192\n") == 0, "/proc/sys/kernel/msgmax",
	      "got '%s'", buf);
	CHECK(slurp("/proc/sys/kernel/msgmnb") > 0 && strcmp(buf, "16384\n") == 0, "/proc/sys/kernel/msgmnb",
	      "got '%s'", buf);
	CHECK(slurp("/proc/sys/kernel/msgmni") > 0 && strcmp(buf, "32000\n") == 0, "/proc/sys/kernel/msgmni",
	      "got '%s'", buf);
	CHECK_RET(check_write_file("/proc/sys/kernel/msgmax", "4"), 0, "root lowers msgmax");
	CHECK_ERR(send(id, 1, "12345", 0), EINVAL, "a message past the new msgmax");
	CHECK_ERR(check_write_file("/proc/sys/kernel/msgmax", "-1"), EINVAL, "a negative msgmax");
	check_write_file("/proc/sys/kernel/msgmax", "8192");
	CHECK(slurp("/proc/sys/kernel/msgmax") > 0 && strcmp(buf, "8192\n") == 0, "msgmax restored",
	      "got '%s'", buf);
	send(id, 1, "12345", 0);
	CHECK(slurp("/proc/sysvipc/msg") > 0 &&
	      strncmp(buf, "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  "
			   "cgid      stime      rtime      ctime\n", 112) == 0,
	      "/proc/sysvipc/msg's header", "got '%.200s'", buf);
	snprintf(want, sizeof(want), "%10d %10d  %4o  %10u %10u %5d %5d %5u %5u %5u %5u ", key, id, 0640,
		 5, 1, getpid(), 0, 0, 0, 0, 0);
	CHECK(strstr(buf, want) != NULL, "/proc/sysvipc/msg's line of a queue", "no '%s' in '%.300s'",
	      want, buf);
	msgctl(id, IPC_RMID, NULL);
}

static void test_nobody(void)
{
	int id = msgget(IPC_PRIVATE, 0600);
	pid_t pid;

	send(id, 1, "root", 0);
	pid = fork();
	if (pid == 0) {
		struct msqid_ds ds;
		int own;

		int failed_before = check_failed;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(2);
		CHECK_ERR(send(id, 1, "x", IPC_NOWAIT), EACCES, "nobody: msgsnd to a 0600 queue");
		CHECK_ERR(recv(id, 100, 0, IPC_NOWAIT), EACCES, "nobody: msgrcv from a 0600 queue");
		CHECK_ERR(msgctl(id, IPC_STAT, &ds), EACCES, "nobody: IPC_STAT");
		CHECK_RET(msgctl(id % 32768, MSG_STAT_ANY, &ds), id, "nobody: MSG_STAT_ANY");
		CHECK_ERR(msgctl(id, IPC_RMID, NULL), EPERM, "nobody: IPC_RMID of root's queue");
		CHECK_ERR(msgctl(id, IPC_SET, &ds), EPERM, "nobody: IPC_SET of root's queue");
		own = msgget(IPC_PRIVATE, 0600);
		msgctl(own, IPC_STAT, &ds);
		ds.msg_qbytes = 16385;
		CHECK_ERR(msgctl(own, IPC_SET, &ds), EPERM, "nobody: raising msg_qbytes past msgmnb");
		ds.msg_qbytes = 100;
		CHECK_RET(msgctl(own, IPC_SET, &ds), 0, "nobody: lowering its own queue's msg_qbytes");
		CHECK_RET(msgctl(own, IPC_RMID, NULL), 0, "nobody: removing its own queue");
		CHECK_ERR(check_write_file("/proc/sys/kernel/msgmax", "1"), EACCES, "nobody: writing msgmax");
		_exit(check_failed > failed_before ? 1 : 0);
	}
	CHECK(wait_status(pid) == 0, "the checks as nobody passed", "see above");
	msgctl(id, IPC_RMID, NULL);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	test_get();
	test_types();
	test_blocking();
	test_ctl();
	test_proc();
	test_nobody();
	return check_done();
}
