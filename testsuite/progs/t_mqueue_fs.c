// SPDX-License-Identifier: MPL-2.0
/*
 * t_mqueue_fs -- the mqueue file system: mount -t mqueue at /dev/mqueue
 * (statfs's MQUEUE_MAGIC), every queue a regular file there (mode, uid,
 * gid, size 80; listed by readdir), mq_open's descriptors files of it
 * (fstat: the same inode and device), reading one gives Linux's status
 * line, chmod and chown decide who may mq_open it, unlink(2) is
 * mq_unlink, open(O_CREAT) makes a queue with the default attributes,
 * mkdir, mknod, symlink and link are EPERM, write(2) EINVAL; RLIMIT_MSGQUEUE
 * (Linux's charge per queue, EMFILE); /proc/sys/fs/mqueue's queues_max
 * (ENOSPC) and msgsize_max (EINVAL) for an unprivileged user, not root.
 */
#include "check.h"
#include <dirent.h>
#include <grp.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define MQDIR "/dev/mqueue"
#define T_MQUEUE_MAGIC 0x19800202

static char buf[4096];

static int wait_status(pid_t pid)
{
	int st = 0;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Is name in MQDIR's listing? */
static int listed(const char *name)
{
	DIR *d = opendir(MQDIR);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, name) == 0)
			found = e->d_type == DT_REG || e->d_type == DT_UNKNOWN;
	closedir(d);
	return found;
}

static void test_mount(void)
{
	struct statfs sf;

	mkdir(MQDIR, 0755);
	CHECK_RET(mount("none", MQDIR, "mqueue", 0, NULL), 0, "mount -t mqueue none /dev/mqueue");
	CHECK(statfs(MQDIR, &sf) == 0 && (unsigned long)sf.f_type == T_MQUEUE_MAGIC,
	      "statfs gives MQUEUE_MAGIC", "f_type %#lx", (unsigned long)sf.f_type);
}

static void test_queue_is_file(mqd_t early, struct stat *early_st)
{
	struct mq_attr a = { .mq_maxmsg = 5, .mq_msgsize = 64 };
	struct stat st, fst;
	struct sigevent ev;
	char want[128];
	mqd_t q;
	int fd;

	mq_unlink("/t_mqfs_a");
	q = mq_open("/t_mqfs_a", O_CREAT | O_RDWR, 0640, &a);
	CHECK(q >= 0, "mq_open creates /t_mqfs_a", "errno %d", errno);
	CHECK(stat(MQDIR "/t_mqfs_a", &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0640 &&
	      st.st_uid == 0 && st.st_gid == 0 && st.st_size == 80 && st.st_nlink == 1,
	      "the queue is a regular file 0640 root:root of size 80", "mode %o uid %u size %ld nlink %lu",
	      st.st_mode, st.st_uid, (long)st.st_size, (unsigned long)st.st_nlink);
	CHECK(fstat(q, &fst) == 0 && fst.st_ino == st.st_ino && fst.st_dev == st.st_dev &&
	      fst.st_mode == st.st_mode && fst.st_size == 80,
	      "fstat of the mq_open descriptor: the same inode", "ino %lu/%lu dev %lu/%lu mode %o",
	      (unsigned long)fst.st_ino, (unsigned long)st.st_ino, (unsigned long)fst.st_dev,
	      (unsigned long)st.st_dev, fst.st_mode);
	CHECK(listed("t_mqfs_a"), "readdir of /dev/mqueue lists it", "not listed");
	CHECK(stat(MQDIR "/t_mqfs_early", &st) == 0 && st.st_ino == early_st->st_ino &&
	      st.st_dev == early_st->st_dev,
	      "a queue made before the mount is there too (one file system)", "ino %lu/%lu",
	      (unsigned long)st.st_ino, (unsigned long)early_st->st_ino);
	(void)early;

	/* The status line, with a message queued and a registration. */
	CHECK_RET(mq_send(q, "0123456789", 10, 1), 0, "mq_send 10 bytes");
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	CHECK_RET(mq_notify(q, &ev), 0, "mq_notify SIGEV_SIGNAL SIGUSR1");
	snprintf(want, sizeof want, "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", 10UL,
		 SIGEV_SIGNAL, SIGUSR1, getpid());
	CHECK(check_read_file(MQDIR "/t_mqfs_a", buf, sizeof buf) > 0 && strcmp(buf, want) == 0,
	      "reading /dev/mqueue/t_mqfs_a gives Linux's status line", "got '%s' want '%s'", buf, want);
	mq_notify(q, NULL);
	fd = open(MQDIR "/t_mqfs_a", O_RDWR);
	CHECK_ERR(write(fd, "x", 1), EINVAL, "write(2) to a queue file: EINVAL");
	close(fd);

	/* chmod and chown there are the queue's permissions. */
	CHECK_RET(chmod(MQDIR "/t_mqfs_a", 0600), 0, "chmod 0600 of the queue file");
	CHECK(fstat(q, &fst) == 0 && (fst.st_mode & 07777) == 0600, "fstat of the descriptor sees 0600",
	      "mode %o", fst.st_mode);
	CHECK_RET(chown(MQDIR "/t_mqfs_a", 65534, 65534), 0, "chown 65534:65534 of the queue file");
	CHECK(fstat(q, &fst) == 0 && fst.st_uid == 65534 && fst.st_gid == 65534,
	      "fstat of the descriptor sees the new owner", "uid %u gid %u", fst.st_uid, fst.st_gid);
	pid_t pid = fork();
	if (pid == 0) {
		mqd_t m;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(2);
		m = mq_open("/t_mqfs_a", O_RDWR);
		_exit(m >= 0 ? 0 : 1);
	}
	CHECK(wait_status(pid) == 0, "its new owner may mq_open it O_RDWR", "no");
	pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(4321) || setuid(4321))
			_exit(2);
		_exit(mq_open("/t_mqfs_a", O_RDONLY) < 0 && errno == EACCES ? 0 : 1);
	}
	CHECK(wait_status(pid) == 0, "another user may not (0600): EACCES", "no");

	/* unlink(2) in /dev/mqueue is mq_unlink; the open queue lives on. */
	CHECK_RET(unlink(MQDIR "/t_mqfs_a"), 0, "unlink(2) of /dev/mqueue/t_mqfs_a");
	CHECK_ERR(mq_open("/t_mqfs_a", O_RDWR), ENOENT, "mq_open of it then: ENOENT");
	CHECK(!listed("t_mqfs_a"), "it is no longer listed", "still there");
	CHECK(mq_receive(q, buf, 64, NULL) == 10, "the open descriptor still receives", "errno %d", errno);
	mq_close(q);
}

static void test_create_in_fs(void)
{
	struct mq_attr a;
	struct stat st;
	mqd_t q;
	int fd;

	unlink(MQDIR "/t_mqfs_b");
	fd = open(MQDIR "/t_mqfs_b", O_CREAT | O_RDWR, 0604);
	CHECK(fd >= 0, "open(O_CREAT) in /dev/mqueue", "errno %d", errno);
	CHECK(fd >= 0 && mq_getattr(fd, &a) == 0 && a.mq_maxmsg == 10 && a.mq_msgsize == 8192,
	      "it is a queue with the default attributes", "maxmsg %ld msgsize %ld", a.mq_maxmsg,
	      a.mq_msgsize);
	CHECK_RET(mq_send(fd, "hi", 2, 0), 0, "mq_send through the open(2) descriptor");
	q = mq_open("/t_mqfs_b", O_RDONLY);
	CHECK(q >= 0 && mq_receive(q, buf, 8192, NULL) == 2, "mq_open finds it and receives the message",
	      "errno %d", errno);
	CHECK(stat(MQDIR "/t_mqfs_b", &st) == 0 && (st.st_mode & 07777) == 0604, "its mode is 0604",
	      "mode %o", st.st_mode);
	mq_close(q);
	close(fd);
	CHECK_RET(mq_unlink("/t_mqfs_b"), 0, "mq_unlink of the file made by open(2)");
	CHECK_ERR(stat(MQDIR "/t_mqfs_b", &st), ENOENT, "and the file is gone");

	CHECK_ERR(mkdir(MQDIR "/t_mqfs_dir", 0755), EPERM, "mkdir in /dev/mqueue: EPERM");
	CHECK_ERR(mknod(MQDIR "/t_mqfs_fifo", S_IFIFO | 0600, 0), EPERM, "mknod of a FIFO there: EPERM");
	CHECK_ERR(symlink("x", MQDIR "/t_mqfs_link"), EPERM, "symlink there: EPERM");
	q = mq_open("/t_mqfs_c", O_CREAT | O_RDWR, 0600, NULL);
	CHECK_ERR(link(MQDIR "/t_mqfs_c", MQDIR "/t_mqfs_link"), EPERM, "link of a queue there: EPERM");
	mq_close(q);
	mq_unlink("/t_mqfs_c");
}

/* In a child as uid 4321: RLIMIT_MSGQUEUE charges maxmsg * (msgsize + 48) + min(maxmsg, 32768) * 48. */
static int rlimit_child(void)
{
	struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = 100 }, small = { .mq_maxmsg = 1, .mq_msgsize = 1 };
	struct rlimit rl = { 391, 392 };
	mqd_t q, q2;

	if (setrlimit(RLIMIT_MSGQUEUE, &rl) || setgroups(0, NULL) || setgid(4321) || setuid(4321))
		return 10;
	if (mq_open("/t_mqfs_rl1", O_CREAT | O_RDWR, 0600, &a) != -1 || errno != EMFILE)
		return 1;
	rl.rlim_cur = 392;
	if (setrlimit(RLIMIT_MSGQUEUE, &rl))
		return 11;
	q = mq_open("/t_mqfs_rl1", O_CREAT | O_RDWR, 0600, &a);
	if (q < 0)
		return 2;
	if (mq_open("/t_mqfs_rl2", O_CREAT | O_RDWR, 0600, &small) != -1 || errno != EMFILE)
		return 3;
	/* Unlinked but open: still charged. */
	mq_unlink("/t_mqfs_rl1");
	if (mq_open("/t_mqfs_rl2", O_CREAT | O_RDWR, 0600, &small) != -1 || errno != EMFILE)
		return 4;
	mq_close(q);
	q2 = mq_open("/t_mqfs_rl2", O_CREAT | O_RDWR, 0600, &a);
	if (q2 < 0)
		return 5;
	mq_close(q2);
	mq_unlink("/t_mqfs_rl2");
	return 0;
}

static void test_rlimit(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(rlimit_child());
	st = wait_status(pid);
	CHECK(st == 0, "RLIMIT_MSGQUEUE: a 2x100 queue needs 392 bytes, EMFILE beyond, freed with the queue",
	      "failed step %d", st);
}

static int nobody_open(const char *name, long maxmsg, long msgsize, int want_errno)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct mq_attr a = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };
		mqd_t q;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(2);
		q = mq_open(name, O_CREAT | O_RDWR, 0600, &a);
		if (q >= 0)
			mq_unlink(name);
		_exit(want_errno ? (q < 0 && errno == want_errno ? 0 : 1) : (q >= 0 ? 0 : 1));
	}
	return wait_status(pid);
}

static void test_sysctl_limits(void)
{
	struct mq_attr big = { .mq_maxmsg = 1, .mq_msgsize = 200 };
	mqd_t hold, q;

	hold = mq_open("/t_mqfs_hold", O_CREAT | O_RDWR, 0600, NULL);
	CHECK_RET(check_write_file("/proc/sys/fs/mqueue/queues_max", "1"), 0, "root sets queues_max 1");
	CHECK(check_read_file("/proc/sys/fs/mqueue/queues_max", buf, sizeof buf) > 0 && strcmp(buf, "1\n") == 0,
	      "queues_max reads back 1", "got '%s'", buf);
	CHECK(nobody_open("/t_mqfs_nb", 1, 16, ENOSPC) == 0, "nobody: a queue past queues_max: ENOSPC", "no");
	q = mq_open("/t_mqfs_root", O_CREAT | O_RDWR, 0600, NULL);
	CHECK(q >= 0, "root may pass queues_max", "errno %d", errno);
	mq_close(q);
	mq_unlink("/t_mqfs_root");
	check_write_file("/proc/sys/fs/mqueue/queues_max", "256");

	CHECK_RET(check_write_file("/proc/sys/fs/mqueue/msgsize_max", "128"), 0, "root sets msgsize_max 128");
	CHECK(nobody_open("/t_mqfs_nb", 1, 200, EINVAL) == 0, "nobody: mq_msgsize past msgsize_max: EINVAL",
	      "no");
	CHECK(nobody_open("/t_mqfs_nb", 1, 128, 0) == 0, "nobody: mq_msgsize at msgsize_max", "no");
	q = mq_open("/t_mqfs_root", O_CREAT | O_RDWR, 0600, &big);
	CHECK(q >= 0, "root may pass msgsize_max", "errno %d", errno);
	mq_close(q);
	mq_unlink("/t_mqfs_root");
	check_write_file("/proc/sys/fs/mqueue/msgsize_max", "8192");
	mq_close(hold);
	mq_unlink("/t_mqfs_hold");
}

int main(int argc, char **argv)
{
	struct stat early_st;
	mqd_t early;

	(void)argc;
	check_init(argv[0]);
	umask(0);
	mq_unlink("/t_mqfs_early");
	early = mq_open("/t_mqfs_early", O_CREAT | O_RDWR, 0600, NULL);
	CHECK(early >= 0 && fstat(early, &early_st) == 0 && S_ISREG(early_st.st_mode),
	      "fstat of an mq_open descriptor before any mount: a regular file", "errno %d", errno);
	test_mount();
	test_queue_is_file(early, &early_st);
	test_create_in_fs();
	test_rlimit();
	test_sysctl_limits();
	mq_close(early);
	CHECK_RET(unlink(MQDIR "/t_mqfs_early"), 0, "unlink(2) of the early queue");
	CHECK_ERR(mq_unlink("/t_mqfs_early"), ENOENT, "mq_unlink of it then: ENOENT");
	CHECK_RET(umount(MQDIR), 0, "umount /dev/mqueue");
	return check_done();
}
