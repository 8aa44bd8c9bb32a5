/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_sysv_shm -- System V shared memory: shmget with IPC_PRIVATE and keys
 * (IPC_CREAT, IPC_EXCL, the size rules, EEXIST, ENOENT, EINVAL, ENOSPC
 * past shmmni and shmall), shmat (anywhere, at an address, SHM_RND,
 * SHM_REMAP, SHM_RDONLY and its EACCES and SIGSEGV, the EINVAL cases),
 * shmdt, shmctl (IPC_STAT and its counters and times, IPC_SET, IPC_RMID
 * while attached: SHM_DEST, a private key, attach by id still allowed,
 * gone with the last detach; IPC_INFO, SHM_INFO, SHM_STAT, SHM_STAT_ANY,
 * SHM_LOCK, SHM_UNLOCK, EFAULT, unknown commands), fork inheriting
 * attachments, exec and exit detaching them, the limits in
 * /proc/sys/kernel and /proc/sysvipc/shm; and as nobody the EACCES and
 * EPERM paths.
 */
#include "check.h"
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PAGE 4096

static char buf[64 * 1024];

/* The whole of a file into buf: its length, or -1 with errno. */
static long slurp(const char *path)
{
	return check_read_file(path, buf, sizeof(buf));
}


static unsigned long nattch(int id)
{
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds) != 0)
		return (unsigned long)-1;
	return ds.shm_nattch;
}

static int wait_status(pid_t pid)
{
	int st = -1;

	waitpid(pid, &st, 0);
	return st;
}

static void test_private(void)
{
	struct shmid_ds ds;
	int id = CHECK_OK(shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600), "shmget IPC_PRIVATE");
	char *a, *b;

	CHECK_RET(shmctl(id, IPC_STAT, &ds), 0, "IPC_STAT of a new segment");
	CHECK(ds.shm_segsz == 10000 && ds.shm_nattch == 0 && ds.shm_cpid == getpid() &&
	      ds.shm_lpid == 0 && ds.shm_atime == 0 && ds.shm_dtime == 0 && ds.shm_ctime > 0,
	      "a new segment's size, counters and times",
	      "segsz %zu nattch %lu cpid %d lpid %d atime %ld ctime %ld", ds.shm_segsz,
	      (unsigned long)ds.shm_nattch, ds.shm_cpid, ds.shm_lpid, (long)ds.shm_atime,
	      (long)ds.shm_ctime);
	CHECK(ds.shm_perm.__key == IPC_PRIVATE && (ds.shm_perm.mode & 0777) == 0600 &&
	      ds.shm_perm.uid == getuid() && ds.shm_perm.cuid == geteuid() &&
	      ds.shm_perm.gid == getgid() && ds.shm_perm.cgid == getegid(),
	      "a new segment's key, mode and owners", "key %d mode %o uid %u",
	      ds.shm_perm.__key, ds.shm_perm.mode, ds.shm_perm.uid);
	a = shmat(id, NULL, 0);
	CHECK(a != (void *)-1 && ((uintptr_t)a & (PAGE - 1)) == 0, "shmat anywhere: page-aligned",
	      "got %p errno %d", (void *)a, errno);
	if (a == (void *)-1)
		return;
	CHECK(a[0] == 0 && a[9999] == 0 && a[3 * PAGE - 1] == 0, "the segment starts zero-filled",
	      "not zero");
	strcpy(a, "hello");
	a[9999] = 'z';
	CHECK_RET(shmctl(id, IPC_STAT, &ds), 0, "IPC_STAT after shmat");
	CHECK(ds.shm_nattch == 1 && ds.shm_lpid == getpid() && ds.shm_atime > 0,
	      "shmat counts an attach and records pid and time", "nattch %lu lpid %d atime %ld",
	      (unsigned long)ds.shm_nattch, ds.shm_lpid, (long)ds.shm_atime);
	b = shmat(id, NULL, SHM_RDONLY);
	CHECK(b != (void *)-1 && b != a && strcmp(b, "hello") == 0 && b[9999] == 'z',
	      "a second attach shares the pages", "b %p", (void *)b);
	CHECK_RET(nattch(id), 2, "two attaches: nattch 2");
	CHECK_ERR(mprotect(b, PAGE, PROT_READ | PROT_WRITE), EACCES,
		  "mprotect PROT_WRITE of an SHM_RDONLY attach");
	/* A partial munmap leaves the rest attached: shmdt of the start finds it. */
	CHECK_RET(munmap(a + PAGE, PAGE), 0, "munmap of the middle page of an attach");
	CHECK_RET(shmdt(a), 0, "shmdt of the split attach");
	CHECK(mprotect(a + 2 * PAGE, PAGE, PROT_READ) != 0 && errno == ENOMEM,
	      "shmdt unmapped every piece", "errno %d", errno);
	CHECK_RET(nattch(id), 1, "nattch after shmdt");
	CHECK_ERR(shmdt(a), EINVAL, "shmdt of an address with no attach");
	CHECK_ERR(shmdt(b + 1), EINVAL, "shmdt of an unaligned address");
	CHECK_RET(shmctl(id, IPC_STAT, &ds), 0, "IPC_STAT after shmdt");
	CHECK(ds.shm_dtime > 0, "shmdt records the detach time", "dtime %ld", (long)ds.shm_dtime);
	CHECK_RET(shmdt(b), 0, "shmdt of the read-only attach");
	CHECK_RET(shmctl(id, IPC_RMID, NULL), 0, "IPC_RMID of a detached segment");
	CHECK_ERR(shmctl(id, IPC_STAT, &ds), EINVAL, "it is gone at once");
	CHECK_ERR(shmat(id, NULL, 0), EINVAL, "shmat of a removed id");
}

static void test_keys(void)
{
	key_t key = 0x51a70000 + getpid(), other = key + 0x1000;
	int id, id2;

	CHECK_ERR(shmget(key, PAGE, 0600), ENOENT, "shmget of a missing key without IPC_CREAT");
	id = CHECK_OK(shmget(key, PAGE, IPC_CREAT | 0600), "shmget IPC_CREAT of a key");
	CHECK_RET(shmget(key, PAGE, 0600), id, "shmget of the key again: the same id");
	CHECK_RET(shmget(key, 0, 0), id, "size 0 finds an existing segment");
	CHECK_RET(shmget(key, 100, IPC_CREAT), id, "a smaller size is fine");
	CHECK_ERR(shmget(key, 2 * PAGE, 0), EINVAL, "a larger size than the segment's");
	CHECK_ERR(shmget(key, PAGE, IPC_CREAT | IPC_EXCL | 0600), EEXIST, "IPC_CREAT|IPC_EXCL of an existing key");
	CHECK_ERR(shmget(other, PAGE, 0), ENOENT, "another key");
	CHECK_ERR(shmget(IPC_PRIVATE, 0, 0600), EINVAL, "size 0");
	CHECK_ERR(shmget(IPC_PRIVATE, (size_t)-1, 0600), EINVAL, "a size past shmmax");
	id2 = CHECK_OK(shmget(IPC_PRIVATE, PAGE, 0600), "IPC_PRIVATE makes a new segment each time");
	CHECK(id2 != id, "distinct ids", "both %d", id);
	shmctl(id2, IPC_RMID, NULL);
	CHECK_RET(shmctl(id, IPC_RMID, NULL), 0, "IPC_RMID of the keyed segment");
	CHECK_ERR(shmget(key, PAGE, 0), ENOENT, "its key is free again");
}

static void test_attach_addr(void)
{
	int id = shmget(IPC_PRIVATE, 2 * PAGE, 0600);
	char *hole = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;

	munmap(hole, 4 * PAGE);
	p = shmat(id, hole, 0);
	CHECK(p == hole, "shmat at a free address", "got %p want %p", (void *)p, (void *)hole);
	CHECK_ERR(shmat(id, hole + PAGE, 0), EINVAL, "shmat over an existing mapping without SHM_REMAP");
	p = shmat(id, hole + PAGE, SHM_REMAP);
	CHECK(p == hole + PAGE, "SHM_REMAP replaces the mapping", "got %p", (void *)p);
	CHECK_RET(nattch(id), 2, "two attaches");
	shmdt(hole);
	shmdt(hole + PAGE);
	CHECK_ERR(shmat(id, hole + 1, 0), EINVAL, "an unaligned address without SHM_RND");
	p = shmat(id, hole + 123, SHM_RND);
	CHECK(p == hole, "SHM_RND rounds the address down", "got %p", (void *)p);
	shmdt(p);
	CHECK_ERR(shmat(id, NULL, SHM_REMAP), EINVAL, "SHM_REMAP without an address");
	CHECK_ERR(shmat(id, (void *)123, SHM_RND | SHM_REMAP), EINVAL,
		  "SHM_RND|SHM_REMAP rounding down to 0");
	CHECK_ERR(shmat(-1, NULL, 0), EINVAL, "shmat of a negative id");
	CHECK_RET(nattch(id), 0, "all detached");
	shmctl(id, IPC_RMID, NULL);
}

static void test_rmid_attached(void)
{
	key_t key = 0x51a80000 + getpid();
	int id = shmget(key, PAGE, IPC_CREAT | 0600);
	struct shmid_ds ds;
	char *a = shmat(id, NULL, 0), *b;

	strcpy(a, "kept");
	CHECK_RET(shmctl(id, IPC_RMID, NULL), 0, "IPC_RMID while attached");
	CHECK_RET(shmctl(id, IPC_STAT, &ds), 0, "the segment lives on");
	CHECK((ds.shm_perm.mode & SHM_DEST) && ds.shm_perm.__key == IPC_PRIVATE && ds.shm_nattch == 1,
	      "marked SHM_DEST with a private key", "mode %o key %d", ds.shm_perm.mode,
	      ds.shm_perm.__key);
	CHECK_ERR(shmget(key, PAGE, 0), ENOENT, "its key no longer finds it");
	b = shmat(id, NULL, 0);
	CHECK(b != (void *)-1 && strcmp(b, "kept") == 0, "Linux attaches a removed segment by id",
	      "errno %d", errno);
	CHECK_RET(nattch(id), 2, "nattch 2");
	shmdt(a);
	CHECK_RET(nattch(id), 1, "still there with one attach");
	shmdt(b);
	CHECK_ERR(shmctl(id, IPC_STAT, &ds), EINVAL, "the last detach frees it");
}

static void test_fork_exec(const char *self)
{
	int id = shmget(IPC_PRIVATE, PAGE, 0600);
	char *a = shmat(id, NULL, 0), idbuf[16];
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		_exit(nattch(id) == 2 && strcpy(a, "child") ? 0 : 1);
	}
	CHECK(WIFEXITED(wait_status(pid)), "a forked child inherits the attach", "child failed");
	CHECK(strcmp(a, "child") == 0, "its writes are shared", "got '%s'", a);
	CHECK_RET(nattch(id), 1, "its exit detached it");
	snprintf(idbuf, sizeof(idbuf), "%d", id);
	pid = fork();
	if (pid == 0) {
		execl(self, self, "--nattch", idbuf, (char *)NULL);
		_exit(99);
	}
	{
		int st = wait_status(pid);

		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1, "exec detaches (the new image sees nattch 1)",
		      "status 0x%x", st);
	}
	pid = fork();
	if (pid == 0) {
		char *r = shmat(id, NULL, SHM_RDONLY);

		r[0] = 'x';
		_exit(0);
	}
	{
		int st = wait_status(pid);

		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "a store to an SHM_RDONLY attach faults",
		      "status 0x%x", st);
	}
	CHECK_RET(nattch(id), 1, "the faulting child's attach went with it");
	shmdt(a);
	shmctl(id, IPC_RMID, NULL);
}

static void test_ctl(void)
{
	struct shmid_ds ds, set;
	struct shminfo si;
	struct shm_info st;
	int id = shmget(IPC_PRIVATE, 3 * PAGE, 0600), max, found = 0, any = 0;
	char *a = shmat(id, NULL, 0);

	a[0] = 1;
	memset(&set, 0, sizeof(set));
	shmctl(id, IPC_STAT, &set);
	set.shm_perm.mode = 0640;
	set.shm_perm.uid = 1234;
	set.shm_perm.gid = 4321;
	CHECK_RET(shmctl(id, IPC_SET, &set), 0, "IPC_SET");
	CHECK_RET(shmctl(id, IPC_STAT, &ds), 0, "IPC_STAT after IPC_SET");
	CHECK((ds.shm_perm.mode & 0777) == 0640 && ds.shm_perm.uid == 1234 && ds.shm_perm.gid == 4321 &&
	      ds.shm_perm.cuid == 0, "IPC_SET changes mode and owner, not the creator",
	      "mode %o uid %u gid %u cuid %u", ds.shm_perm.mode, ds.shm_perm.uid,
	      ds.shm_perm.gid, ds.shm_perm.cuid);
	set.shm_perm.uid = (uid_t)-1;
	CHECK_ERR(shmctl(id, IPC_SET, &set), EINVAL, "IPC_SET of uid -1");
	CHECK_ERR(shmctl(id, IPC_SET, BADPTR), EFAULT, "IPC_SET from a bad pointer");
	CHECK_ERR(shmctl(id, IPC_STAT, BADPTR), EFAULT, "IPC_STAT to a bad pointer");
	CHECK_ERR(shmctl(id, 99, &ds), EINVAL, "an unknown command");
	CHECK_ERR(shmctl(-1, IPC_STAT, &ds), EINVAL, "a negative id");
	CHECK_ERR(syscall(SYS_shmctl, id, IPC_STAT | 0x100, &ds), EINVAL,
		  "x86-64 knows no IPC_64 flag: IPC_STAT|IPC_64 is unknown");
	max = CHECK_OK(shmctl(0, IPC_INFO, (struct shmid_ds *)&si), "IPC_INFO");
	slurp("/proc/sys/kernel/shmmni");
	CHECK(si.shmmin == 1 && si.shmmni == strtoul(buf, NULL, 10) && si.shmseg == si.shmmni,
	      "IPC_INFO's limits", "shmmin %lu shmmni %lu shmseg %lu", si.shmmin, si.shmmni,
	      si.shmseg);
	CHECK_ERR(shmctl(0, IPC_INFO, BADPTR), EFAULT, "IPC_INFO to a bad pointer");
	CHECK_RET(shmctl(0, SHM_INFO, (struct shmid_ds *)&st), max, "SHM_INFO: the highest index");
	CHECK(st.used_ids >= 1 && st.shm_tot >= 3 && st.shm_rss >= 1, "SHM_INFO's counts",
	      "used %d tot %lu rss %lu", st.used_ids, st.shm_tot, st.shm_rss);
	for (int i = 0; i <= max; i++) {
		if (shmctl(i, SHM_STAT, &ds) == id)
			found++;
		if (shmctl(i, SHM_STAT_ANY, &ds) == id)
			any++;
	}
	CHECK(found == 1 && any == 1, "SHM_STAT and SHM_STAT_ANY by index give the id",
	      "found %d any %d", found, any);
	CHECK_ERR(shmctl(max + 1, SHM_STAT, &ds), EINVAL, "SHM_STAT past the highest index");
	CHECK_RET(shmctl(id, SHM_LOCK, NULL), 0, "SHM_LOCK");
	shmctl(id, IPC_STAT, &ds);
	CHECK(ds.shm_perm.mode & SHM_LOCKED, "SHM_LOCKED set", "mode %o", ds.shm_perm.mode);
	CHECK_RET(shmctl(id, SHM_UNLOCK, NULL), 0, "SHM_UNLOCK");
	shmctl(id, IPC_STAT, &ds);
	CHECK(!(ds.shm_perm.mode & SHM_LOCKED), "SHM_LOCKED cleared", "mode %o", ds.shm_perm.mode);
	shmdt(a);
	shmctl(id, IPC_RMID, NULL);
}

/* The limits: Linux's defaults and formats, ENOSPC past shmmni and shmall. */
static void test_limits(void)
{
	char saved[64];
	struct shm_info st;
	int id;

	CHECK(slurp("/proc/sys/kernel/shmmax") > 0 && strcmp(buf, "18446744073692774399\n") == 0,
	      "/proc/sys/kernel/shmmax", "got '%s'", buf);
	CHECK(slurp("/proc/sys/kernel/shmall") > 0 && strcmp(buf, "18446744073692774399\n") == 0,
	      "/proc/sys/kernel/shmall", "got '%s'", buf);
	CHECK(slurp("/proc/sys/kernel/shmmni") > 0 && strcmp(buf, "4096\n") == 0,
	      "/proc/sys/kernel/shmmni", "got '%s'", buf);
	CHECK_ERR(check_write_file("/proc/sys/kernel/shmmni", "abc"), EINVAL, "shmmni takes numbers only");
	CHECK_ERR(check_write_file("/proc/sys/kernel/shmmni", "40000"), EINVAL, "shmmni past IPCMNI");
	id = shmget(IPC_PRIVATE, PAGE, 0600);
	shmctl(0, SHM_INFO, (struct shmid_ds *)&st);
	snprintf(saved, sizeof(saved), "%d", st.used_ids);
	CHECK_RET(check_write_file("/proc/sys/kernel/shmmni", saved), 0, "root lowers shmmni");
	CHECK_ERR(shmget(IPC_PRIVATE, PAGE, 0600), ENOSPC, "ENOSPC past shmmni");
	check_write_file("/proc/sys/kernel/shmmni", "4096");
	CHECK_RET(check_write_file("/proc/sys/kernel/shmmax", "8192"), 0, "root lowers shmmax");
	CHECK_ERR(shmget(IPC_PRIVATE, 8193, 0600), EINVAL, "a size past the new shmmax");
	check_write_file("/proc/sys/kernel/shmmax", "18446744073692774399");
	snprintf(saved, sizeof(saved), "%lu", st.shm_tot);
	CHECK_RET(check_write_file("/proc/sys/kernel/shmall", saved), 0, "root lowers shmall");
	CHECK_ERR(shmget(IPC_PRIVATE, PAGE, 0600), ENOSPC, "ENOSPC past shmall");
	check_write_file("/proc/sys/kernel/shmall", "18446744073692774399");
	CHECK(slurp("/proc/sys/kernel/shmall") > 0 && strcmp(buf, "18446744073692774399\n") == 0,
	      "shmall restored", "got '%s'", buf);
	shmctl(id, IPC_RMID, NULL);
}

static void test_proc(void)
{
	int id = shmget(0x51a90000 + getpid(), 5000, IPC_CREAT | 0640);
	char want[128], *line;

	CHECK(slurp("/proc/sysvipc/shm") > 0 &&
	      strncmp(buf, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  "
			   "cuid  cgid      atime      dtime      ctime                   rss                  swap\n",
		      strlen(buf) < 10 ? 1 : (size_t)(strchr(buf, '\n') - buf + 1)) == 0,
	      "/proc/sysvipc/shm's header", "got '%.200s'", buf);
	snprintf(want, sizeof(want), "%10d %10d  %4o %21u %5d %5d  %5u %5u %5u %5u %5u ",
		 0x51a90000 + getpid(), id, 0640, 5000, getpid(), 0, 0, 0, 0, 0, 0);
	line = strstr(buf, want);
	CHECK(line != NULL, "/proc/sysvipc/shm's line of a segment", "no '%s' in '%.300s'", want, buf);
	{
		char *a = shmat(id, NULL, SHM_RDONLY);
		char name[64], *l;
		unsigned long ino = 0;

		snprintf(want, sizeof(want), "%lx-", (unsigned long)a);
		snprintf(name, sizeof(name), "/SYSV%08x (deleted)\n", 0x51a90000 + getpid());
		slurp("/proc/self/maps");
		l = strstr(buf, want);
		CHECK(l && sscanf(l, "%*s r--s 00000000 %*s %lu", &ino) == 1 && ino == (unsigned long)id &&
		      strstr(l, name) == strchr(l, '/'), "/proc/self/maps names an attach /SYSVkey, inode shmid",
		      "got '%.120s'", l ? l : "(none)");
		shmdt(a);
	}
	shmctl(id, IPC_RMID, NULL);
}

static void test_nobody(void)
{
	key_t key = 0x51aa0000 + getpid();
	int id = shmget(key, PAGE, IPC_CREAT | 0600), ro = shmget(IPC_PRIVATE, PAGE, 0644);
	pid_t pid = fork();

	if (pid == 0) {
		struct shmid_ds ds;

		int failed_before = check_failed;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(2);
		CHECK_ERR(shmat(id, NULL, 0), EACCES, "nobody: shmat of a 0600 segment");
		CHECK_ERR(shmat(id, NULL, SHM_RDONLY), EACCES, "nobody: SHM_RDONLY of a 0600 segment");
		CHECK_ERR(shmget(key, PAGE, 0600), EACCES, "nobody: shmget of its key asking for 0600");
		CHECK_RET(shmget(key, PAGE, 0), id, "nobody: shmget asking for no access finds it");
		CHECK_ERR(shmctl(id, IPC_STAT, &ds), EACCES, "nobody: IPC_STAT");
		CHECK_RET(shmctl(id % 32768, SHM_STAT_ANY, &ds), id, "nobody: SHM_STAT_ANY needs no read access");
		CHECK_ERR(shmctl(id, IPC_RMID, NULL), EPERM, "nobody: IPC_RMID of root's segment");
		memset(&ds, 0, sizeof(ds));
		CHECK_ERR(shmctl(id, IPC_SET, &ds), EPERM, "nobody: IPC_SET of root's segment");
		CHECK_ERR(shmctl(id, SHM_LOCK, NULL), EPERM, "nobody: SHM_LOCK of root's segment");
		CHECK(shmat(ro, NULL, SHM_RDONLY) != (void *)-1, "nobody: SHM_RDONLY of a 0644 segment",
		      "errno %d", errno);
		CHECK_ERR(shmat(ro, NULL, 0), EACCES, "nobody: read-write attach of a 0644 segment");
		CHECK_ERR(check_write_file("/proc/sys/kernel/shmmni", "10"), EACCES, "nobody: writing shmmni");
		_exit(check_failed > failed_before ? 1 : 0);
	}
	CHECK(wait_status(pid) == 0, "the checks as nobody passed", "see above");
	shmctl(id, IPC_RMID, NULL);
	shmctl(ro, IPC_RMID, NULL);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--nattch") == 0)
		return (int)nattch(atoi(argv[2]));
	check_init(argv[0]);
	test_private();
	test_keys();
	test_attach_addr();
	test_rmid_attached();
	test_fork_exec("/proc/self/exe");
	test_ctl();
	test_limits();
	test_proc();
	test_nobody();
	return check_done();
}
