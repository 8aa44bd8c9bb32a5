// SPDX-License-Identifier: MPL-2.0
// Linux capabilities: capget/capset (v1, v2, v3 headers and every error
// path), the prctl options (PR_CAPBSET_READ/DROP, PR_CAP_AMBIENT,
// securebits, keepcaps), the privileged operations each capability guards,
// the uid transitions, and what execve makes of the sets (ambient,
// bounding, set-user-ID root, no_new_privs).  Runs as root; each scenario
// changes its credentials in a child of its own.  Raw syscalls, no libcap.
#include "check.h"
#include <grp.h>
#include <stdint.h>
#include <sys/fsuid.h>
#if __has_include(<linux/capability.h>)
#include <linux/capability.h>
#else
/* musl has no Linux UAPI headers: what this test uses, with Linux's values. */
struct __user_cap_header_struct { uint32_t version; int pid; };
struct __user_cap_data_struct { uint32_t effective, permitted, inheritable; };
#define _LINUX_CAPABILITY_VERSION_1	0x19980330
#define _LINUX_CAPABILITY_VERSION_2	0x20071026
#define _LINUX_CAPABILITY_VERSION_3	0x20080522
#define CAP_CHOWN		0
#define CAP_DAC_OVERRIDE	1
#define CAP_DAC_READ_SEARCH	2
#define CAP_FOWNER		3
#define CAP_FSETID		4
#define CAP_KILL		5
#define CAP_SETGID		6
#define CAP_SETUID		7
#define CAP_SETPCAP		8
#define CAP_NET_BIND_SERVICE	10
#define CAP_NET_RAW		13
#define CAP_SYS_CHROOT		18
#define CAP_SYS_PTRACE		19
#define CAP_SYS_ADMIN		21
#define CAP_SYS_BOOT		22
#define CAP_SYS_TIME		25
#define CAP_MKNOD		27
#endif
#include <netinet/in.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>

#define UID_USER	1000
#define BIT(c)		(1ULL << (c))

/* Options older libc headers may lack; the values are Linux's. */
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT			47
#define PR_CAP_AMBIENT_IS_SET		1
#define PR_CAP_AMBIENT_RAISE		2
#define PR_CAP_AMBIENT_LOWER		3
#define PR_CAP_AMBIENT_CLEAR_ALL	4
#endif
#define T_SECBIT_NOROOT			(1 << 0)
#define T_SECBIT_KEEP_CAPS		(1 << 4)
#define T_SECBIT_KEEP_CAPS_LOCKED	(1 << 5)
#define T_SECBIT_NO_CAP_AMBIENT_RAISE	(1 << 6)

static char self_path[256], plain_path[256], suid_path[256], dir_path[64];
static int last_cap;
static unsigned long long full_set;

struct sets {
	unsigned long long e, p, i;
};

static long capget_raw(unsigned int version, int pid, struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = { version, pid };

	return syscall(SYS_capget, &h, d);
}

static long capset_raw(unsigned int version, int pid, const struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = { version, pid };

	return syscall(SYS_capset, &h, d);
}

static int get_sets(struct sets *s)
{
	struct __user_cap_data_struct d[2];

	if (capget_raw(_LINUX_CAPABILITY_VERSION_3, 0, d))
		return -1;
	s->e = d[0].effective | (unsigned long long)d[1].effective << 32;
	s->p = d[0].permitted | (unsigned long long)d[1].permitted << 32;
	s->i = d[0].inheritable | (unsigned long long)d[1].inheritable << 32;
	return 0;
}

static long set_sets(unsigned long long e, unsigned long long p, unsigned long long i)
{
	struct __user_cap_data_struct d[2] = {
		{ (unsigned int)e, (unsigned int)p, (unsigned int)i },
		{ (unsigned int)(e >> 32), (unsigned int)(p >> 32), (unsigned int)(i >> 32) },
	};

	return capset_raw(_LINUX_CAPABILITY_VERSION_3, 0, d);
}

/* Drop cap from the effective set only (it stays permitted). */
static long drop_effective(int cap)
{
	struct sets s;

	if (get_sets(&s))
		return -1;
	return set_sets(s.e & ~BIT(cap), s.p, s.i);
}

/* The value of a Cap* line of /proc/self/status, or ~0 if missing. */
static unsigned long long status_cap(const char *name)
{
	char buf[4096], key[16];
	char *at;

	if (check_read_file("/proc/self/status", buf, sizeof(buf)) < 0)
		return ~0ULL;
	snprintf(key, sizeof(key), "\n%s:\t", name);
	at = strstr(buf, key);
	return at ? strtoull(at + strlen(key), NULL, 16) : ~0ULL;
}

static int wait_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Run fn in a child (its own credentials), its checks printed as ours. */
static void in_child(void (*fn)(void), const char *desc)
{
	pid_t pid = fork();

	if (pid == 0) {
		int before = check_failed;

		fn();
		_exit(check_failed > before ? 1 : 0);
	}
	CHECK(wait_status(pid) == 0, desc, "see above");
}

/* fork, exec path with mode as argv[1] after prep() in the child: the new program's exit status. */
static int exec_child(void (*prep)(void), const char *path, const char *mode)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { (char *)path, (char *)mode, NULL };

		if (prep)
			prep();
		execv(path, argv);
		check_printf("# exec %s: errno %d\n", path, errno);
		_exit(99);
	}
	return wait_status(pid);
}

/* ---- capget / capset ---- */

static void test_capget(void)
{
	struct __user_cap_header_struct h = { 0, 0 };
	struct __user_cap_data_struct d[2];
	struct sets s;
	pid_t pid;

	CHECK_RET(get_sets(&s), 0, "capget v3 of itself");
	CHECK(s.e == full_set && s.p == full_set && s.i == 0, "root starts with every capability permitted and effective",
	      "e %llx p %llx i %llx", s.e, s.p, s.i);
	CHECK_RET(syscall(SYS_capget, &h, NULL), 0, "capget with NULL data and version 0: a version probe");
	CHECK_RET(h.version, _LINUX_CAPABILITY_VERSION_3, "the probe writes back version 3");
	h.version = _LINUX_CAPABILITY_VERSION_1;
	CHECK_RET(syscall(SYS_capget, &h, NULL), 0, "capget with NULL data and a valid version");
	CHECK_RET(h.version, _LINUX_CAPABILITY_VERSION_1, "a valid version is left alone");
	h.version = 0x12345678;
	CHECK_ERR(syscall(SYS_capget, &h, d), EINVAL, "capget with an unknown version");
	CHECK_RET(h.version, _LINUX_CAPABILITY_VERSION_3, "EINVAL writes back the preferred version");
	CHECK_ERR(syscall(SYS_capget, NULL, d), EFAULT, "capget with a NULL header");
	CHECK_ERR(syscall(SYS_capget, (void *)1, d), EFAULT, "capget with a bad header");
	CHECK_ERR(capget_raw(_LINUX_CAPABILITY_VERSION_3, 0, (void *)1), EFAULT, "capget with a bad data pointer");
	CHECK_ERR(capget_raw(_LINUX_CAPABILITY_VERSION_3, -1, d), EINVAL, "capget of pid -1");
	memset(d, 0xa5, sizeof(d));
	CHECK_RET(capget_raw(_LINUX_CAPABILITY_VERSION_1, 0, d), 0, "capget v1");
	CHECK(d[0].effective == (unsigned int)full_set && d[1].effective == 0xa5a5a5a5,
	      "v1 fills one 32-bit slice", "%x %x", d[0].effective, d[1].effective);
	CHECK_RET(capget_raw(_LINUX_CAPABILITY_VERSION_2, 0, d), 0, "capget v2");
	CHECK(d[1].permitted == (unsigned int)(full_set >> 32), "v2 fills two slices", "%x", d[1].permitted);
	CHECK_RET(capget_raw(_LINUX_CAPABILITY_VERSION_3, getpid(), d), 0, "capget of its own pid");
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK_RET(capget_raw(_LINUX_CAPABILITY_VERSION_3, pid, d), 0, "capget of another process");
	CHECK(d[0].permitted == (unsigned int)full_set, "it sees the other's permitted set", "%x", d[0].permitted);
	kill(pid, SIGKILL);
	wait_status(pid);
	CHECK_ERR(capget_raw(_LINUX_CAPABILITY_VERSION_3, pid, d), ESRCH, "capget of a reaped pid");
}

static void capset_errors(void)
{
	struct __user_cap_data_struct d[2];
	struct __user_cap_header_struct h = { 0x12345678, 0 };
	struct sets s;

	get_sets(&s);
	memset(d, 0, sizeof(d));
	CHECK_ERR(syscall(SYS_capset, &h, d), EINVAL, "capset with an unknown version");
	CHECK_RET(h.version, _LINUX_CAPABILITY_VERSION_3, "capset writes back the preferred version");
	CHECK_ERR(syscall(SYS_capset, NULL, d), EFAULT, "capset with a NULL header");
	CHECK_ERR(capset_raw(_LINUX_CAPABILITY_VERSION_3, 0, NULL), EFAULT, "capset with NULL data");
	CHECK_ERR(capset_raw(_LINUX_CAPABILITY_VERSION_3, getppid(), d), EPERM, "capset of another process");
	CHECK_RET(set_sets(s.e & ~BIT(CAP_CHOWN), s.p, s.i), 0, "capset dropping CAP_CHOWN from effective");
	CHECK(status_cap("CapEff") == (full_set & ~BIT(CAP_CHOWN)), "/proc/self/status CapEff follows",
	      "%llx", status_cap("CapEff"));
	CHECK_RET(set_sets(s.e, s.p, s.i), 0, "raising it again from permitted");
	CHECK_RET(capset_raw(_LINUX_CAPABILITY_VERSION_3, getpid(), d), 0,
		  "capset naming its own pid (all sets empty)");
	CHECK(get_sets(&s) == 0 && s.e == 0 && s.p == 0, "empty sets now", "e %llx p %llx", s.e, s.p);
	CHECK(status_cap("CapPrm") == 0 && status_cap("CapEff") == 0, "/proc/self/status shows them empty",
	      "%llx", status_cap("CapPrm"));
	CHECK_ERR(set_sets(BIT(CAP_KILL), BIT(CAP_KILL), 0), EPERM, "permitted may not grow");
	CHECK_ERR(set_sets(BIT(CAP_KILL), 0, 0), EPERM, "effective must be within permitted");
	CHECK_ERR(set_sets(0, 0, BIT(CAP_KILL)), EPERM, "inheritable beyond inheritable|permitted without CAP_SETPCAP");
}

static void capset_rules(void)
{
	struct __user_cap_data_struct d[2];
	struct sets s;

	CHECK_RET(prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT, 0, 0, 0), 0, "dropping CAP_SYS_BOOT from bounding");
	CHECK_ERR(set_sets(full_set, full_set, BIT(CAP_SYS_BOOT)), EPERM,
		  "inheritable beyond the bounding set, even with CAP_SETPCAP");
	CHECK_RET(set_sets(full_set, full_set, BIT(CAP_KILL)), 0, "inheritable from permitted with CAP_SETPCAP");
	CHECK_RET(set_sets(full_set & ~BIT(CAP_SETPCAP) & ~BIT(CAP_NET_RAW), full_set & ~BIT(CAP_NET_RAW),
			   BIT(CAP_KILL)), 0,
		  "without CAP_SETPCAP in effective");
	CHECK_ERR(set_sets(0, full_set & ~BIT(CAP_NET_RAW), BIT(CAP_KILL) | BIT(CAP_NET_RAW)), EPERM,
		  "then an inheritable bit that is neither inheritable nor permitted is refused");
	CHECK_RET(set_sets(0, full_set & ~BIT(CAP_NET_RAW), BIT(CAP_KILL) | BIT(CAP_SYS_TIME)), 0,
		  "but a permitted one is allowed");
	CHECK(status_cap("CapInh") == (BIT(CAP_KILL) | BIT(CAP_SYS_TIME)), "CapInh follows", "%llx",
	      status_cap("CapInh"));
	memset(d, 0, sizeof(d));
	d[0].permitted = d[0].effective = (unsigned int)(full_set & ~BIT(CAP_NET_RAW));
	CHECK_RET(capset_raw(_LINUX_CAPABILITY_VERSION_1, 0, d), 0, "capset v1");
	CHECK(get_sets(&s) == 0 && s.p == (full_set & 0xffffffffULL & ~BIT(CAP_NET_RAW)) && s.i == 0,
	      "v1 clears the capabilities above 31", "p %llx i %llx", s.p, s.i);
	CHECK_RET(capset_raw(_LINUX_CAPABILITY_VERSION_2, 0, d), 0, "capset v2 (two slices)");
}

/* ---- prctl ---- */

static void prctl_bset(void)
{
	struct sets s;

	CHECK_RET(prctl(PR_CAPBSET_READ, CAP_CHOWN, 0, 0, 0), 1, "PR_CAPBSET_READ of CAP_CHOWN");
	CHECK_RET(prctl(PR_CAPBSET_READ, last_cap, 0, 0, 0), 1, "PR_CAPBSET_READ of the last capability");
	CHECK_ERR(prctl(PR_CAPBSET_READ, last_cap + 1, 0, 0, 0), EINVAL, "PR_CAPBSET_READ past the last");
	CHECK_ERR(prctl(PR_CAPBSET_DROP, last_cap + 1, 0, 0, 0), EINVAL, "PR_CAPBSET_DROP past the last");
	CHECK_RET(prctl(PR_CAPBSET_DROP, CAP_MKNOD, 0, 0, 0), 0, "PR_CAPBSET_DROP of CAP_MKNOD");
	CHECK_RET(prctl(PR_CAPBSET_READ, CAP_MKNOD, 0, 0, 0), 0, "it is gone from bounding");
	CHECK(status_cap("CapBnd") == (full_set & ~BIT(CAP_MKNOD)), "CapBnd follows", "%llx", status_cap("CapBnd"));
	CHECK(get_sets(&s) == 0 && (s.e & BIT(CAP_MKNOD)), "bounding alone leaves effective alone", "%llx", s.e);
	drop_effective(CAP_SETPCAP);
	CHECK_ERR(prctl(PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0), EPERM, "PR_CAPBSET_DROP without CAP_SETPCAP");
}

static void prctl_ambient(void)
{
	struct sets s;

	CHECK_RET(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0), 0, "ambient starts empty");
	CHECK_ERR(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0), EPERM,
		  "raising an ambient capability that is not inheritable");
	get_sets(&s);
	CHECK_RET(set_sets(s.e, s.p, BIT(CAP_KILL) | BIT(CAP_NET_RAW)), 0, "making CAP_KILL, CAP_NET_RAW inheritable");
	CHECK_RET(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0), 0, "PR_CAP_AMBIENT_RAISE");
	CHECK_RET(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0), 1, "PR_CAP_AMBIENT_IS_SET");
	CHECK(status_cap("CapAmb") == BIT(CAP_KILL), "CapAmb follows", "%llx", status_cap("CapAmb"));
	CHECK_RET(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_KILL, 0, 0), 0, "PR_CAP_AMBIENT_LOWER");
	CHECK_RET(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0), 0, "lowered");
	CHECK_RET(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0), 0, "raising CAP_NET_RAW");
	CHECK_RET(set_sets(s.e, s.p, BIT(CAP_KILL)), 0, "dropping it from inheritable");
	CHECK_RET(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0), 0,
		  "capset took it out of ambient");
	CHECK_RET(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0), 0, "raising CAP_KILL again");
	CHECK_ERR(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0), EINVAL, "CLEAR_ALL with an argument");
	CHECK_RET(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), 0, "PR_CAP_AMBIENT_CLEAR_ALL");
	CHECK_RET(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0), 0, "cleared");
	CHECK_ERR(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, last_cap + 1, 0, 0), EINVAL, "an invalid capability");
	CHECK_ERR(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 1, 0), EINVAL, "a nonzero arg4");
	CHECK_ERR(prctl(PR_CAP_AMBIENT, 99, CAP_KILL, 0, 0), EINVAL, "an unknown operation");
	CHECK_RET(prctl(PR_SET_SECUREBITS, T_SECBIT_NO_CAP_AMBIENT_RAISE, 0, 0, 0), 0, "SECBIT_NO_CAP_AMBIENT_RAISE");
	CHECK_ERR(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0), EPERM, "then raising is refused");
}

static void prctl_securebits(void)
{
	CHECK_RET(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0), 0, "no securebits at first");
	CHECK_RET(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), 0, "keepcaps off at first");
	CHECK_RET(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), 0, "PR_SET_KEEPCAPS 1");
	CHECK_RET(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), 1, "PR_GET_KEEPCAPS");
	CHECK_RET(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0), T_SECBIT_KEEP_CAPS, "it is SECBIT_KEEP_CAPS");
	CHECK_ERR(prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0), EINVAL, "PR_SET_KEEPCAPS 2");
	CHECK_ERR(prctl(PR_SET_SECUREBITS, 1 << 8, 0, 0, 0), EPERM, "an unknown securebit");
	CHECK_RET(prctl(PR_SET_SECUREBITS, T_SECBIT_KEEP_CAPS | T_SECBIT_KEEP_CAPS_LOCKED, 0, 0, 0), 0,
		  "locking SECBIT_KEEP_CAPS on");
	CHECK_ERR(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0), EPERM, "PR_SET_KEEPCAPS when locked");
	CHECK_ERR(prctl(PR_SET_SECUREBITS, T_SECBIT_KEEP_CAPS_LOCKED, 0, 0, 0), EPERM, "clearing a locked bit");
	CHECK_ERR(prctl(PR_SET_SECUREBITS, T_SECBIT_KEEP_CAPS, 0, 0, 0), EPERM, "releasing a lock");
	CHECK_RET(prctl(PR_SET_SECUREBITS, T_SECBIT_KEEP_CAPS | T_SECBIT_KEEP_CAPS_LOCKED | T_SECBIT_NOROOT, 0, 0, 0),
		  0, "other bits still change");
	drop_effective(CAP_SETPCAP);
	CHECK_ERR(prctl(PR_SET_SECUREBITS, T_SECBIT_KEEP_CAPS | T_SECBIT_KEEP_CAPS_LOCKED, 0, 0, 0), EPERM,
		  "PR_SET_SECUREBITS without CAP_SETPCAP");
}

/* ---- the operations each capability guards ---- */

static void priv_chown_dac(void)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/f600", dir_path);
	fd = open(path, O_CREAT | O_RDWR, 0600);
	close(fd);
	CHECK_RET(chown(path, UID_USER, UID_USER), 0, "chown with CAP_CHOWN");
	CHECK_RET(drop_effective(CAP_CHOWN), 0, "dropping CAP_CHOWN");
	CHECK_ERR(chown(path, 0, 0), EPERM, "chown without CAP_CHOWN");
	fd = open(path, O_RDWR);
	CHECK(fd >= 0, "opening another user's 0600 file with CAP_DAC_OVERRIDE", "errno %d", errno);
	close(fd);
	CHECK_RET(drop_effective(CAP_DAC_OVERRIDE), 0, "dropping CAP_DAC_OVERRIDE");
	CHECK_ERR(open(path, O_WRONLY), EACCES, "opening it for writing without CAP_DAC_OVERRIDE");
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0, "CAP_DAC_READ_SEARCH still reads it", "errno %d", errno);
	close(fd);
	CHECK_RET(drop_effective(CAP_DAC_READ_SEARCH), 0, "dropping CAP_DAC_READ_SEARCH");
	CHECK_ERR(open(path, O_RDONLY), EACCES, "then reading it fails too");
}

/* Keeping set-group-ID on a file of a group one is not in. */
static void priv_fsetid(void)
{
	char dir[128], path[160];
	struct stat st;
	int fd;

	umask(0);
	snprintf(dir, sizeof(dir), "%s/sgid", dir_path);
	CHECK_RET(mkdir(dir, 0777), 0, "a directory");
	CHECK_RET(chown(dir, 0, 4321) || chmod(dir, 02777), 0, "set-group-ID, of a group root is not in");
	snprintf(path, sizeof(path), "%s/a", dir);
	fd = open(path, O_CREAT | O_RDWR, 02755);
	close(fd);
	CHECK(stat(path, &st) == 0 && st.st_gid == 4321 && (st.st_mode & S_ISGID),
	      "a file created there with CAP_FSETID keeps S_ISGID", "mode %o gid %d", st.st_mode, (int)st.st_gid);
	CHECK_RET(drop_effective(CAP_FSETID), 0, "dropping CAP_FSETID");
	snprintf(path, sizeof(path), "%s/b", dir);
	fd = open(path, O_CREAT | O_RDWR, 02755);
	close(fd);
	CHECK(stat(path, &st) == 0 && !(st.st_mode & S_ISGID), "without it the new file loses S_ISGID",
	      "mode %o", st.st_mode);
	CHECK_RET(chmod(path, 02755), 0, "chmod 02755 of that file (root owns it)");
	CHECK(stat(path, &st) == 0 && !(st.st_mode & S_ISGID), "chmod without CAP_FSETID drops S_ISGID too",
	      "mode %o", st.st_mode);
}

static void priv_fowner(void)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/fo", dir_path);
	fd = open(path, O_CREAT | O_RDWR, 0600);
	close(fd);
	CHECK_RET(chown(path, UID_USER, UID_USER), 0, "chown to another user");
	CHECK_RET(chmod(path, 0640), 0, "chmod of another's file with CAP_FOWNER");
	CHECK_RET(drop_effective(CAP_FOWNER), 0, "dropping CAP_FOWNER");
	CHECK_ERR(chmod(path, 0644), EPERM, "chmod of another's file without CAP_FOWNER");
	CHECK_ERR(utimes(path, (struct timeval[2]){ { 1, 0 }, { 1, 0 } }), EPERM,
		  "utimes with explicit times without CAP_FOWNER");
	unlink(path);
}

static void priv_kill(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (setresuid(UID_USER, UID_USER, UID_USER))
			_exit(2);
		pause();
		_exit(0);
	}
	usleep(100000);
	CHECK_RET(drop_effective(CAP_KILL), 0, "dropping CAP_KILL");
	CHECK_ERR(kill(pid, SIGTERM), EPERM, "kill of another user's process without CAP_KILL");
	CHECK_RET(set_sets(full_set, full_set, 0), 0, "raising CAP_KILL again");
	CHECK_RET(kill(pid, SIGKILL), 0, "kill of another user's process with CAP_KILL");
	CHECK_RET(wait_status(pid), 128 + SIGKILL, "it died of it");
}

/* Reading a privileged process's /proc files and memory needs CAP_SYS_PTRACE. */
static void priv_ptrace(void)
{
	static char secret[16] = "capabilities";
	char path[64], buf[16];
	struct iovec local = { buf, sizeof(buf) }, remote = { secret, sizeof(buf) };
	pid_t target = fork();
	int fd;

	/* A child (Yama allows descendants) that keeps every capability. */
	if (target == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/environ", (int)target);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0, "a root process's /proc/PID/environ with every capability", "errno %d", errno);
	close(fd);
	CHECK_RET(drop_effective(CAP_SYS_PTRACE), 0, "dropping CAP_SYS_PTRACE from effective");
	CHECK_ERR(open(path, O_RDONLY), EACCES,
		  "its /proc/PID/environ without it (the target has capabilities we lack)");
	CHECK_RET(process_vm_readv(target, &local, 1, &remote, 1, 0), (long)sizeof(buf),
		  "process_vm_readv checks the permitted set: still allowed");
	CHECK_RET(set_sets(0, full_set & ~BIT(CAP_SYS_PTRACE), 0), 0, "dropping it from permitted");
	CHECK_ERR(process_vm_readv(target, &local, 1, &remote, 1, 0), EPERM,
		  "then process_vm_readv of a process with more capabilities");
	kill(target, SIGKILL);
	wait_status(target);
}

static int bind_port(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_STREAM, 0), r, e;

	if (s < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r = bind(s, (struct sockaddr *)&a, sizeof(a));
	e = errno;
	close(s);
	errno = e;
	return r;
}

static void priv_net_time(void)
{
	struct timespec ts;

	CHECK_RET(bind_port(80), 0, "bind to port 80 with CAP_NET_BIND_SERVICE");
	CHECK_RET(drop_effective(CAP_NET_BIND_SERVICE), 0, "dropping CAP_NET_BIND_SERVICE");
	CHECK_ERR(bind_port(80), EACCES, "bind to port 80 without it");
	CHECK_RET(bind_port(0), 0, "bind to an ephemeral port without it");
	CHECK_RET(drop_effective(CAP_NET_RAW), 0, "dropping CAP_NET_RAW");
	CHECK_ERR(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), EPERM, "a raw socket without CAP_NET_RAW");
	clock_gettime(CLOCK_REALTIME, &ts);
	CHECK_RET(clock_settime(CLOCK_REALTIME, &ts), 0, "clock_settime with CAP_SYS_TIME");
	CHECK_RET(drop_effective(CAP_SYS_TIME), 0, "dropping CAP_SYS_TIME");
	clock_gettime(CLOCK_REALTIME, &ts);
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &ts), EPERM, "clock_settime without CAP_SYS_TIME");
	CHECK_ERR(settimeofday(&(struct timeval){ ts.tv_sec, 0 }, NULL), EPERM, "settimeofday without it");
	CHECK_RET(drop_effective(CAP_SYS_ADMIN), 0, "dropping CAP_SYS_ADMIN");
	CHECK_ERR(sethostname("x", 1), EPERM, "sethostname without CAP_SYS_ADMIN");
	CHECK_RET(drop_effective(CAP_SYS_CHROOT), 0, "dropping CAP_SYS_CHROOT");
	CHECK_ERR(chroot("/"), EPERM, "chroot without CAP_SYS_CHROOT");
	CHECK_RET(drop_effective(CAP_SETUID), 0, "dropping CAP_SETUID");
	CHECK_ERR(setuid(UID_USER), EPERM, "setuid to another user without CAP_SETUID");
	CHECK_RET(drop_effective(CAP_SETGID), 0, "dropping CAP_SETGID");
	CHECK_ERR(setgroups(0, NULL), EPERM, "setgroups without CAP_SETGID");
}

/* ---- uid transitions ---- */

static void uid_all_leave_root(void)
{
	struct sets s;

	CHECK_RET(setresuid(UID_USER, UID_USER, UID_USER), 0, "setresuid to a user");
	CHECK(get_sets(&s) == 0 && s.p == 0 && s.e == 0, "every uid left 0: permitted and effective cleared",
	      "p %llx e %llx", s.p, s.e);
	CHECK(status_cap("CapBnd") == full_set, "bounding stays", "%llx", status_cap("CapBnd"));
}

static void uid_keepcaps(void)
{
	struct sets s;

	CHECK_RET(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), 0, "PR_SET_KEEPCAPS");
	CHECK_RET(setresuid(UID_USER, UID_USER, UID_USER), 0, "setresuid to a user");
	CHECK(get_sets(&s) == 0 && s.p == full_set && s.e == 0, "keepcaps keeps permitted, effective is cleared",
	      "p %llx e %llx", s.p, s.e);
	CHECK_RET(set_sets(BIT(CAP_CHOWN), full_set, 0), 0, "raising effective again from permitted");
	CHECK_ERR(setresuid(0, 0, 0), EPERM, "no CAP_SETUID in effective: back to root refused");
}

static void uid_euid_switch(void)
{
	struct sets s;

	CHECK_RET(setresuid(-1, UID_USER, -1), 0, "euid to a user (real and saved stay 0)");
	CHECK(get_sets(&s) == 0 && s.p == full_set && s.e == 0, "effective cleared, permitted kept",
	      "p %llx e %llx", s.p, s.e);
	CHECK_RET(seteuid(0), 0, "euid back to 0");
	CHECK(get_sets(&s) == 0 && s.e == full_set, "effective restored from permitted", "e %llx", s.e);
	setfsuid(UID_USER);
	CHECK(get_sets(&s) == 0 && !(s.e & BIT(CAP_CHOWN)) && !(s.e & BIT(CAP_DAC_OVERRIDE)) &&
	      (s.e & BIT(CAP_KILL)), "fsuid to a user drops the file-system capabilities only", "e %llx", s.e);
	setfsuid(0);
	CHECK(get_sets(&s) == 0 && s.e == full_set, "fsuid 0 raises them again", "e %llx", s.e);
}

/* ---- execve ---- */

static void prep_ambient(void)
{
	struct sets s;

	get_sets(&s);
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || set_sets(s.e, s.p, BIT(CAP_NET_BIND_SERVICE)) ||
	    setresuid(UID_USER, UID_USER, UID_USER) ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0))
		_exit(90);
}

static void prep_user(void)
{
	if (setresuid(UID_USER, UID_USER, UID_USER))
		_exit(90);
}

static void prep_bset(void)
{
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_TIME, 0, 0, 0))
		_exit(90);
}

static void prep_noroot(void)
{
	if (prctl(PR_SET_SECUREBITS, T_SECBIT_NOROOT, 0, 0, 0))
		_exit(90);
}

static void prep_nnp(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || setresuid(UID_USER, UID_USER, UID_USER))
		_exit(90);
}

static void test_exec(void)
{
	CHECK_RET(exec_child(prep_ambient, plain_path, "ambient"), 0,
		  "ambient CAP_NET_BIND_SERVICE survives exec by a user (permitted, effective; binds port 80); keepcaps is cleared");
	CHECK_RET(exec_child(prep_user, plain_path, "user"), 0, "a user's exec without ambient has no capabilities");
	CHECK_RET(exec_child(prep_bset, plain_path, "bset"), 0,
		  "root's exec does not regain a capability dropped from bounding");
	CHECK_RET(exec_child(NULL, plain_path, "root"), 0, "root's exec gets every capability");
	CHECK_RET(exec_child(prep_noroot, plain_path, "noroot"), 0,
		  "under SECBIT_NOROOT root's exec gets no capabilities");
	CHECK_RET(exec_child(prep_user, suid_path, "suid"), 0,
		  "a set-user-ID-root program run by a user gets euid 0, every capability, AT_SECURE");
	CHECK_RET(exec_child(prep_nnp, suid_path, "nnp"), 0,
		  "with no_new_privs the set-user-ID bit is ignored");
}

/* What the programs test_exec runs check of themselves: 0 when right. */
static int exec_mode(const char *mode)
{
	unsigned long long prm = status_cap("CapPrm"), eff = status_cap("CapEff"), amb = status_cap("CapAmb");
	unsigned long long bnd = status_cap("CapBnd");
	struct timespec ts;

	check_printf("# %s: uid %d euid %d prm %llx eff %llx amb %llx bnd %llx\n", mode, (int)getuid(),
		     (int)geteuid(), prm, eff, amb, bnd);
	if (!strcmp(mode, "ambient"))
		return prm == BIT(CAP_NET_BIND_SERVICE) && eff == prm && amb == prm && bind_port(80) == 0 &&
		       prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) == 0 ? 0 : 1;
	if (!strcmp(mode, "user"))
		return prm == 0 && eff == 0 && amb == 0 && getauxval(AT_SECURE) == 0 ? 0 : 1;
	if (!strcmp(mode, "bset")) {
		clock_gettime(CLOCK_REALTIME, &ts);
		return prm == (full_set & ~BIT(CAP_SYS_TIME)) && eff == prm && bnd == prm &&
		       clock_settime(CLOCK_REALTIME, &ts) < 0 && errno == EPERM ? 0 : 1;
	}
	if (!strcmp(mode, "root"))
		return prm == full_set && eff == full_set && getauxval(AT_SECURE) == 0 ? 0 : 1;
	if (!strcmp(mode, "noroot"))
		return getuid() == 0 && prm == 0 && eff == 0 && prctl(PR_GET_SECUREBITS, 0, 0, 0, 0) == T_SECBIT_NOROOT ? 0 : 1;
	if (!strcmp(mode, "suid"))
		return getuid() == UID_USER && geteuid() == 0 && prm == full_set && eff == full_set &&
		       getauxval(AT_SECURE) == 1 ? 0 : 1;
	if (!strcmp(mode, "nnp"))
		return geteuid() == UID_USER && prm == 0 && eff == 0 &&
		       prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1;
	return 2;
}

/* Copies of this program in a directory everyone may search: plain, and set-user-ID root. */
static int make_copies(void)
{
	char buf[65536];
	int in, out1, out2;
	ssize_t n;

	if (!mkdtemp(dir_path) || chmod(dir_path, 0755))
		return -1;
	snprintf(plain_path, sizeof(plain_path), "%s/plain", dir_path);
	snprintf(suid_path, sizeof(suid_path), "%s/suid", dir_path);
	in = open(self_path, O_RDONLY);
	out1 = open(plain_path, O_CREAT | O_WRONLY, 0755);
	out2 = open(suid_path, O_CREAT | O_WRONLY, 0755);
	if (in < 0 || out1 < 0 || out2 < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out1, buf, n) != n || write(out2, buf, n) != n)
			return -1;
	close(in);
	close(out1);
	close(out2);
	return chmod(suid_path, 04755);
}

int main(int argc, char **argv)
{
	char buf[32];
	long n = check_read_file("/proc/sys/kernel/cap_last_cap", buf, sizeof(buf));

	last_cap = n > 0 ? atoi(buf) : 0;
	full_set = (1ULL << (last_cap + 1)) - 1;
	if (argc > 1)
		return exec_mode(argv[1]);
	check_init(argv[0]);
	if (getuid() != 0) {
		check_skip("capabilities", "needs root");
		return check_done();
	}
	if (readlink("/proc/self/exe", self_path, sizeof(self_path) - 1) < 0)
		return 1;
	strcpy(dir_path, "/tmp/t_caps.XXXXXX");
	CHECK_RET(make_copies(), 0, "copies of the test program, one set-user-ID root");
	CHECK(n > 0, "/proc/sys/kernel/cap_last_cap", "errno %d", errno);
	CHECK(last_cap >= 40, "cap_last_cap is at least CAP_CHECKPOINT_RESTORE", "%d", last_cap);
	CHECK_ERR(open("/proc/sys/kernel/cap_last_cap", O_WRONLY), EACCES, "cap_last_cap is read-only");

	test_capget();
	in_child(capset_errors, "capset's error paths");
	in_child(capset_rules, "capset's rules");
	in_child(prctl_bset, "PR_CAPBSET_READ and PR_CAPBSET_DROP");
	in_child(prctl_ambient, "PR_CAP_AMBIENT");
	in_child(prctl_securebits, "securebits and keepcaps");
	in_child(priv_chown_dac, "CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH");
	in_child(priv_fowner, "CAP_FOWNER");
	in_child(priv_fsetid, "CAP_FSETID");
	in_child(priv_kill, "CAP_KILL");
	in_child(priv_ptrace, "CAP_SYS_PTRACE");
	in_child(priv_net_time, "CAP_NET_BIND_SERVICE, CAP_NET_RAW, CAP_SYS_TIME, CAP_SYS_ADMIN, CAP_SYS_CHROOT, CAP_SETUID, CAP_SETGID");
	in_child(uid_all_leave_root, "setresuid away from root");
	in_child(uid_keepcaps, "setresuid with keepcaps");
	in_child(uid_euid_switch, "euid and fsuid switches");
	test_exec();

	unlink(plain_path);
	unlink(suid_path);
	snprintf(self_path, sizeof(self_path), "%s/sgid/a", dir_path);
	unlink(self_path);
	snprintf(self_path, sizeof(self_path), "%s/sgid/b", dir_path);
	unlink(self_path);
	snprintf(self_path, sizeof(self_path), "%s/sgid", dir_path);
	rmdir(self_path);
	snprintf(self_path, sizeof(self_path), "%s/f600", dir_path);
	unlink(self_path);
	rmdir(dir_path);
	return check_done();
}
