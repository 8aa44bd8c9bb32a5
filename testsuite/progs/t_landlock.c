// SPDX-License-Identifier: MPL-2.0
// t_landlock: landlock_create_ruleset, landlock_add_rule and
// landlock_restrict_self: every error path, then sandboxes (each in a
// child process) that read everywhere but write only beneath one
// directory, inherited across fork and execve, stacked layers (at most
// 16), REFER's EXDEV, READ_DIR, EXECUTE and (ABI 3) TRUNCATE.  A Linux
// kernel without landlock enabled answers EOPNOTSUPP: the sandboxes are
// then skipped.
#include "check.h"
#include <stdint.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* <linux/landlock.h>, which musl's headers lack. */
struct landlock_ruleset_attr {
	uint64_t handled_access_fs;
};
struct landlock_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));
#define LANDLOCK_CREATE_RULESET_VERSION	(1U << 0)
#define LANDLOCK_RULE_PATH_BENEATH	1
#define LANDLOCK_ACCESS_FS_EXECUTE	(1ULL << 0)
#define LANDLOCK_ACCESS_FS_WRITE_FILE	(1ULL << 1)
#define LANDLOCK_ACCESS_FS_READ_FILE	(1ULL << 2)
#define LANDLOCK_ACCESS_FS_READ_DIR	(1ULL << 3)
#define LANDLOCK_ACCESS_FS_REMOVE_FILE	(1ULL << 5)
#define LANDLOCK_ACCESS_FS_MAKE_REG	(1ULL << 8)
#define LANDLOCK_ACCESS_FS_MAKE_BLOCK	(1ULL << 11)
#define LANDLOCK_ACCESS_FS_REFER	(1ULL << 13)
#define LANDLOCK_ACCESS_FS_TRUNCATE	(1ULL << 14)
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

#define ACCESS_V1 ((1ULL << 13) - 1)

static int abi;		/* the kernel's ABI version, 0 without landlock */
static char base[64], in[96], in2[96], out[96], inf[128], outf[128];

static long create_ruleset(const void *attr, size_t size, unsigned int flags)
{
	return syscall(SYS_landlock_create_ruleset, attr, size, flags);
}

static long add_rule(int fd, int type, const void *attr, unsigned int flags)
{
	return syscall(SYS_landlock_add_rule, fd, type, attr, flags);
}

static long restrict_self(int fd, unsigned int flags)
{
	return syscall(SYS_landlock_restrict_self, fd, flags);
}

/* Every right this kernel knows. */
static uint64_t all_access(void)
{
	uint64_t a = ACCESS_V1;

	if (abi >= 2)
		a |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		a |= LANDLOCK_ACCESS_FS_TRUNCATE;
	return a;
}

static int new_ruleset(uint64_t handled)
{
	struct landlock_ruleset_attr ra = { .handled_access_fs = handled };

	return (int)create_ruleset(&ra, sizeof(ra), 0);
}

/* Grant access beneath path (opened O_PATH): 0 or -1. */
static int allow(int rs, const char *path, uint64_t access)
{
	struct landlock_path_beneath_attr pb = { .allowed_access = access };
	int r;

	pb.parent_fd = open(path, O_PATH | O_CLOEXEC);
	if (pb.parent_fd < 0)
		return -1;
	r = (int)add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	close(pb.parent_fd);
	return r;
}

static int enforce(int rs)
{
	int r;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	r = (int)restrict_self(rs, 0);
	close(rs);
	return r;
}

/* Run fn in a child: its exit status (0: every step held; else the failed step). */
static int in_child(int (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 255;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 200 + WTERMSIG(st);
}

static int is_err(long r, int e)
{
	return r == -1 && errno == e;
}

static int try_open(const char *p, int flags)
{
	int fd = open(p, flags | O_CLOEXEC, 0644);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : -1;
}

/* ---- the syscalls' arguments ---- */

static void test_create(void)
{
	struct landlock_ruleset_attr ra = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
	char big[32] = { 0 };
	char link[64], target[64];
	int fd;
	ssize_t n;

	CHECK_ERR(create_ruleset(&ra, sizeof(ra), LANDLOCK_CREATE_RULESET_VERSION), EINVAL,
		  "VERSION with an attribute: EINVAL");
	CHECK_ERR(create_ruleset(NULL, 0, 1U << 7), EINVAL, "unknown flag: EINVAL");
	CHECK_ERR(create_ruleset(NULL, sizeof(ra), 0), EFAULT, "NULL attribute: EFAULT");
	CHECK_ERR(create_ruleset((void *)8, sizeof(ra), 0), EFAULT, "unmapped attribute: EFAULT");
	CHECK_ERR(create_ruleset(&ra, 4, 0), EINVAL, "size below the attribute: EINVAL");
	CHECK_ERR(create_ruleset(big, 4097, 0), E2BIG, "size above a page: E2BIG");
	memcpy(big, &ra, sizeof(ra));
	big[20] = 1;
	CHECK_ERR(create_ruleset(big, sizeof(big), 0), E2BIG, "nonzero bytes past the attribute: E2BIG");
	big[20] = 0;
	fd = (int)create_ruleset(big, sizeof(big), 0);
	CHECK(fd >= 0, "a longer attribute with zero tail is accepted", "errno %d", errno);
	if (fd >= 0)
		close(fd);
	ra.handled_access_fs = 0;
	CHECK_ERR(create_ruleset(&ra, sizeof(ra), 0), ENOMSG, "nothing handled: ENOMSG");
	ra.handled_access_fs = 1ULL << 40;
	CHECK_ERR(create_ruleset(&ra, sizeof(ra), 0), EINVAL, "unknown right: EINVAL");

	fd = new_ruleset(LANDLOCK_ACCESS_FS_WRITE_FILE);
	CHECK(fd >= 0, "create_ruleset returns a descriptor", "errno %d", errno);
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "the ruleset descriptor is close-on-exec",
	      "flags %d", fcntl(fd, F_GETFD));
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n >= 0)
		target[n] = 0;
	CHECK(n > 0 && strcmp(target, "anon_inode:[landlock-ruleset]") == 0,
	      "its /proc/self/fd link is anon_inode:[landlock-ruleset]", "got %s",
	      n > 0 ? target : "error");
	CHECK_ERR(read(fd, big, 8), EINVAL, "read of a ruleset: EINVAL");
	close(fd);
}

static void test_add_rule(void)
{
	struct landlock_path_beneath_attr pb = { .allowed_access = LANDLOCK_ACCESS_FS_WRITE_FILE };
	int rs = new_ruleset(LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_DIR);
	int pipefd[2];
	int fd;

	pb.parent_fd = open("/", O_PATH);
	CHECK_OK(add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0), "add_rule with an O_PATH directory");
	close(pb.parent_fd);
	pb.parent_fd = open("/", O_RDONLY | O_DIRECTORY);
	CHECK_OK(add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0),
		 "add_rule with a directory opened for reading");
	CHECK_ERR(add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 1), EINVAL, "flags: EINVAL");
	CHECK_ERR(add_rule(-1, LANDLOCK_RULE_PATH_BENEATH, &pb, 0), EBADF, "bad ruleset fd: EBADF");
	CHECK_ERR(add_rule(pb.parent_fd, LANDLOCK_RULE_PATH_BENEATH, &pb, 0), EBADFD,
		  "a directory as the ruleset: EBADFD");
	CHECK_ERR(add_rule(rs, 2, &pb, 0), EINVAL, "unknown rule type: EINVAL");
	CHECK_ERR(add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, NULL, 0), EFAULT, "NULL rule: EFAULT");
	close(pb.parent_fd);
	pb.parent_fd = open(outf, O_PATH);
	pb.allowed_access = 0;
	CHECK_ERR(add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0), ENOMSG, "no right: ENOMSG");
	pb.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE;
	CHECK_ERR(add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0), EINVAL,
		  "a right the ruleset does not handle: EINVAL");
	pb.allowed_access = LANDLOCK_ACCESS_FS_READ_DIR;
	CHECK_ERR(add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0), EINVAL,
		  "a directory right on a file: EINVAL");
	pb.allowed_access = LANDLOCK_ACCESS_FS_WRITE_FILE;
	CHECK_OK(add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0), "a file right on a file");
	close(pb.parent_fd);
	pb.parent_fd = -1;
	CHECK_ERR(add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0), EBADF, "bad parent_fd: EBADF");
	if (pipe(pipefd) == 0) {
		pb.parent_fd = pipefd[0];
		CHECK_ERR(add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0), EBADFD,
			  "a pipe as parent_fd: EBADFD");
		close(pipefd[0]);
		close(pipefd[1]);
	}
	fd = new_ruleset(LANDLOCK_ACCESS_FS_WRITE_FILE);
	pb.parent_fd = fd;
	CHECK_ERR(add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0), EBADFD,
		  "a ruleset as parent_fd: EBADFD");
	close(fd);
	close(rs);
}

/* restrict_self without no_new_privs and without CAP_SYS_ADMIN (as nobody). */
static int restrict_unprivileged(void)
{
	int rs = new_ruleset(LANDLOCK_ACCESS_FS_WRITE_FILE);

	if (setuid(65534))
		return 1;
	return is_err(restrict_self(rs, 0), EPERM) ? 0 : 2;
}

static void test_restrict_args(void)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY);
	int rs = new_ruleset(LANDLOCK_ACCESS_FS_WRITE_FILE);

	CHECK_ERR(restrict_self(rs, 1), EINVAL, "restrict_self flags: EINVAL");
	CHECK_ERR(restrict_self(-1, 0), EBADF, "restrict_self bad fd: EBADF");
	CHECK_ERR(restrict_self(fd, 0), EBADFD, "restrict_self on a directory: EBADFD");
	close(fd);
	close(rs);
	if (getuid() == 0)
		CHECK_RET(in_child(restrict_unprivileged), 0,
			  "restrict_self without no_new_privs or CAP_SYS_ADMIN: EPERM");
	else
		check_skip("restrict_self EPERM", "not root");
}

/* ---- sandboxes ---- */

/* Read everything, write and make things only beneath in and in2 (REFER: in only). */
static int sandbox(void)
{
	uint64_t all = all_access();
	uint64_t reads = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR |
			 LANDLOCK_ACCESS_FS_EXECUTE;
	int rs = new_ruleset(all);

	if (rs < 0 || allow(rs, "/", reads) || allow(rs, in, all) ||
	    allow(rs, in2, all & ~(uint64_t)LANDLOCK_ACCESS_FS_REFER) || enforce(rs))
		return 100;
	return 0;
}

static int sandbox_checks(void)
{
	char p[160], q[160];

	if (sandbox())
		return 100;
	if (try_open(outf, O_RDONLY))
		return 1;
	if (!is_err(open(outf, O_WRONLY), EACCES))
		return 2;
	snprintf(p, sizeof(p), "%s/new", out);
	if (!is_err(open(p, O_CREAT | O_WRONLY, 0644), EACCES))
		return 3;
	if (!is_err(mkdir(p, 0755), EACCES) || !is_err(unlink(outf), EACCES))
		return 4;
	if (!is_err(symlink("x", p), EACCES) || !is_err(mknod(p, S_IFIFO | 0600, 0), EACCES))
		return 5;
	if (try_open(out, O_RDONLY | O_DIRECTORY) || (access("/etc", F_OK) == 0 &&
						       try_open("/etc", O_RDONLY | O_DIRECTORY)))
		return 6;
	if (try_open(inf, O_RDWR))
		return 7;
	snprintf(p, sizeof(p), "%s/g", in);
	if (try_open(p, O_CREAT | O_WRONLY) || unlink(p))
		return 8;
	snprintf(p, sizeof(p), "%s/d", in);
	if (mkdir(p, 0755) || rmdir(p) || symlink("x", p) || unlink(p) ||
	    mknod(p, S_IFIFO | 0600, 0) || unlink(p))
		return 9;
	/* Renames and links into a directory that may not make files: EACCES. */
	snprintf(p, sizeof(p), "%s/f2", out);
	if (!is_err(rename(inf, p), EACCES) || !is_err(link(inf, p), EACCES))
		return 10;
	/* Within one directory REFER is not needed. */
	snprintf(p, sizeof(p), "%s/f3", in);
	if (rename(inf, p) || rename(p, inf) || link(inf, p) || unlink(p))
		return 11;
	/* Between directories of equal rights, REFER is: in2 lacks it. */
	snprintf(p, sizeof(p), "%s/f4", in2);
	if (abi >= 2 && (!is_err(rename(inf, p), EXDEV) || !is_err(link(inf, p), EXDEV)))
		return 12;
	/* Both beneath in, which grants REFER. */
	snprintf(p, sizeof(p), "%s/sub", in);
	snprintf(q, sizeof(q), "%s/sub/f5", in);
	if (abi >= 2 && (mkdir(p, 0755) || rename(inf, q) || rename(q, inf) || rmdir(p)))
		return 13;
	if (!is_err(mount("none", in, "tmpfs", 0, NULL), EPERM))
		return 14;
	return 0;
}

static int fork_checks(void)
{
	int st;
	pid_t pid;

	if (sandbox())
		return 100;
	pid = fork();
	if (pid == 0)
		_exit(is_err(open(outf, O_WRONLY), EACCES) && try_open(inf, O_WRONLY) == 0 ? 0 : 1);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 2;
	return WEXITSTATUS(st);
}

/* main with "exec-child": still in the sandbox its parent made before execve. */
static int after_exec(void)
{
	if (!is_err(open(outf, O_WRONLY), EACCES))
		return 1;
	return try_open(inf, O_WRONLY) ? 2 : 0;
}

static int exec_checks(void)
{
	char *argv[] = { (char *)"t_landlock", (char *)"exec-child", base, NULL };
	char *envp[] = { NULL };

	if (sandbox())
		return 100;
	execve("/proc/self/exe", argv, envp);
	return 50;
}

/* Layer 1 lets write beneath base, layer 2 only beneath in: both must agree. */
static int layer_checks(void)
{
	int rs = new_ruleset(LANDLOCK_ACCESS_FS_WRITE_FILE);

	if (rs < 0 || allow(rs, base, LANDLOCK_ACCESS_FS_WRITE_FILE) || enforce(rs))
		return 100;
	if (try_open(outf, O_WRONLY) || try_open(inf, O_WRONLY))
		return 1;
	rs = new_ruleset(LANDLOCK_ACCESS_FS_WRITE_FILE);
	if (rs < 0 || allow(rs, in, LANDLOCK_ACCESS_FS_WRITE_FILE) || enforce(rs))
		return 101;
	if (!is_err(open(outf, O_WRONLY), EACCES) || try_open(inf, O_WRONLY))
		return 2;
	/* A third layer cannot give back what the second took. */
	rs = new_ruleset(LANDLOCK_ACCESS_FS_WRITE_FILE);
	if (rs < 0 || allow(rs, "/", LANDLOCK_ACCESS_FS_WRITE_FILE) || enforce(rs))
		return 102;
	return is_err(open(outf, O_WRONLY), EACCES) ? 0 : 3;
}

/* ptrace: a sandboxed tracer reaches its own domain, not its unsandboxed parent. */
static int ptrace_checks(void)
{
	pid_t parent = getppid(), pid;
	int st, r = 0;

	if (sandbox())
		return 100;
	if (!is_err(ptrace(PTRACE_ATTACH, parent, NULL, NULL), EPERM))
		return 1;
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL))
		r = 2;
	else if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
		r = 3;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return r;
}

/*
 * REFER: a move must not gain rights.  in grants less than in2 (no
 * EXECUTE): in to in2 is EXDEV, in2 to in is allowed, an exchange is
 * checked both ways (EXDEV).
 */
static int refer_checks(void)
{
	uint64_t base_rights = LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REMOVE_FILE |
			       LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_WRITE_FILE |
			       LANDLOCK_ACCESS_FS_READ_FILE;
	char x2[160], x1[160], f2[160];
	int rs = new_ruleset(all_access());

	if (rs < 0 || allow(rs, "/", LANDLOCK_ACCESS_FS_READ_DIR) || allow(rs, in, base_rights) ||
	    allow(rs, in2, base_rights | LANDLOCK_ACCESS_FS_EXECUTE) || enforce(rs))
		return 100;
	snprintf(x2, sizeof(x2), "%s/x", in2);
	snprintf(x1, sizeof(x1), "%s/x", in);
	snprintf(f2, sizeof(f2), "%s/f", in2);
	if (try_open(x2, O_CREAT | O_WRONLY))
		return 1;
	if (!is_err(rename(inf, f2), EXDEV) || !is_err(link(inf, f2), EXDEV))
		return 2;
	if (syscall(SYS_renameat2, AT_FDCWD, inf, AT_FDCWD, x2, RENAME_EXCHANGE) != -1 ||
	    errno != EXDEV)
		return 3;
	if (rename(x2, x1) || unlink(x1))
		return 4;
	/* Outside every rule: EACCES wins over EXDEV. */
	if (!is_err(rename(inf, outf), EACCES))
		return 5;
	return 0;
}

/* A rule on one file: that file only. */
static int file_rule(void)
{
	int rs = new_ruleset(LANDLOCK_ACCESS_FS_WRITE_FILE);

	if (rs < 0 || allow(rs, outf, LANDLOCK_ACCESS_FS_WRITE_FILE) || enforce(rs))
		return 100;
	if (try_open(outf, O_WRONLY))
		return 1;
	return is_err(open(inf, O_WRONLY), EACCES) ? 0 : 2;
}

/* 16 layers, no more: E2BIG. */
static int max_layers(void)
{
	int rs = new_ruleset(LANDLOCK_ACCESS_FS_MAKE_BLOCK);

	if (rs < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return 100;
	for (int i = 0; i < 16; i++)
		if (restrict_self(rs, 0))
			return 1;
	return is_err(restrict_self(rs, 0), E2BIG) ? 0 : 2;
}

/* READ_DIR: listing needs it, O_PATH does not; files are not directories. */
static int readdir_checks(void)
{
	int rs = new_ruleset(LANDLOCK_ACCESS_FS_READ_DIR);

	if (rs < 0 || allow(rs, in, LANDLOCK_ACCESS_FS_READ_DIR) || enforce(rs))
		return 100;
	if (!is_err(open(out, O_RDONLY | O_DIRECTORY), EACCES))
		return 1;
	if (try_open(in, O_RDONLY | O_DIRECTORY) || try_open(out, O_PATH) || try_open(outf, O_RDONLY))
		return 2;
	return 0;
}

/* EXECUTE handled and granted nowhere: execve is EACCES. */
static int exec_denied(void)
{
	char *argv[] = { (char *)"t_landlock", (char *)"exec-child", base, NULL };
	char *envp[] = { NULL };
	int rs = new_ruleset(LANDLOCK_ACCESS_FS_EXECUTE);

	if (rs < 0 || enforce(rs))
		return 100;
	execve("/proc/self/exe", argv, envp);
	return errno == EACCES ? 0 : 1;
}

/* TRUNCATE (ABI 3): truncate, ftruncate and O_TRUNC beneath out are refused. */
static int truncate_checks(void)
{
	uint64_t wt = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;
	int before = open(outf, O_WRONLY | O_CLOEXEC);
	int rs = new_ruleset(wt);
	int fd;

	if (before < 0 || rs < 0 || allow(rs, in, wt) ||
	    allow(rs, out, LANDLOCK_ACCESS_FS_WRITE_FILE) || enforce(rs))
		return 100;
	if (!is_err(truncate(outf, 0), EACCES) || !is_err(open(outf, O_WRONLY | O_TRUNC), EACCES))
		return 1;
	fd = open(outf, O_WRONLY);
	if (fd < 0 || !is_err(ftruncate(fd, 0), EACCES))
		return 2;
	close(fd);
	/* Opened before the sandbox: every right. */
	if (ftruncate(before, 1))
		return 3;
	if (truncate(inf, 0) || try_open(inf, O_WRONLY | O_TRUNC))
		return 4;
	fd = open(inf, O_WRONLY);
	if (fd < 0 || ftruncate(fd, 2))
		return 5;
	return 0;
}

static int mkfile(const char *p)
{
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	if (write(fd, "data", 4) != 4) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int setup(void)
{
	strcpy(base, "/tmp/t_landlock.XXXXXX");
	if (!mkdtemp(base))
		return -1;
	snprintf(in, sizeof(in), "%s/in", base);
	snprintf(in2, sizeof(in2), "%s/in2", base);
	snprintf(out, sizeof(out), "%s/out", base);
	snprintf(inf, sizeof(inf), "%s/f", in);
	snprintf(outf, sizeof(outf), "%s/f", out);
	if (mkdir(in, 0755) || mkdir(in2, 0755) || mkdir(out, 0755))
		return -1;
	return mkfile(inf) || mkfile(outf) ? -1 : 0;
}

static void cleanup(void)
{
	char p[160];

	unlink(inf);
	unlink(outf);
	snprintf(p, sizeof(p), "%s/f2", out);
	unlink(p);
	rmdir(in);
	rmdir(in2);
	rmdir(out);
	rmdir(base);
}

static void sandboxes(void)
{
	CHECK_RET(in_child(sandbox_checks), 0,
		  "sandbox: reads everywhere, writes, makes and removes only beneath in (EACCES), REFER's EXDEV, mount EPERM");
	CHECK_RET(in_child(fork_checks), 0, "sandbox inherited across fork");
	CHECK_RET(in_child(exec_checks), 0, "sandbox inherited across execve");
	CHECK_RET(in_child(layer_checks), 0, "stacked layers: each must grant");
	if (getuid() == 0)
		CHECK_RET(in_child(ptrace_checks), 0, "ptrace: EPERM out of the domain, allowed within");
	else
		check_skip("ptrace scoping", "not root");
	CHECK_RET(in_child(max_layers), 0, "16 layers at most: E2BIG");
	if (abi >= 2)
		CHECK_RET(in_child(refer_checks), 0,
			  "REFER: a move that gains rights is EXDEV (rename, link, exchange), one that loses them is allowed");
	else
		check_skip("REFER", "landlock ABI 1");
	CHECK_RET(in_child(file_rule), 0, "a rule on a file covers that file only");
	CHECK_RET(in_child(readdir_checks), 0, "READ_DIR: listing a directory");
	CHECK_RET(in_child(exec_denied), 0, "EXECUTE: execve EACCES");
	if (abi >= 3)
		CHECK_RET(in_child(truncate_checks), 0, "TRUNCATE: truncate, ftruncate, O_TRUNC");
	else
		check_skip("TRUNCATE", "landlock ABI below 3");
}

int main(int argc, char **argv)
{
	long v;

	if (argc > 2 && strcmp(argv[1], "exec-child") == 0) {
		snprintf(base, sizeof(base), "%s", argv[2]);
		snprintf(inf, sizeof(inf), "%s/in/f", base);
		snprintf(outf, sizeof(outf), "%s/out/f", base);
		return after_exec();
	}
	check_init(argv[0]);
	if (setup()) {
		CHECK(0, "setup", "errno %d", errno);
		return check_done();
	}
	v = create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (v < 0 && errno == EOPNOTSUPP) {
		/* Linux built with landlock but not enabled in lsm=: every call says so. */
		CHECK_ERR(new_ruleset(LANDLOCK_ACCESS_FS_WRITE_FILE), EOPNOTSUPP,
			  "landlock disabled: create_ruleset EOPNOTSUPP");
		check_skip("landlock syscalls and sandboxes", "landlock not enabled (EOPNOTSUPP)");
		cleanup();
		return check_done();
	}
	CHECK(v >= 1, "LANDLOCK_CREATE_RULESET_VERSION gives the ABI version", "got %ld errno %d", v,
	      errno);
	abi = v < 0 ? 0 : (int)v;
	check_printf("# landlock ABI %d\n", abi);
	test_create();
	test_add_rule();
	test_restrict_args();
	sandboxes();
	cleanup();
	return check_done();
}
