// SPDX-License-Identifier: MPL-2.0
// Mount namespaces, propagation and root changes: mounts made in a new
// mount namespace (unshare, clone) are invisible outside it and the
// reverse; /proc/PID/mounts, mountinfo and mountstats show the process's
// namespace; shared, slave, private and unbindable mounts propagate (or
// not) as Documentation/filesystems/sharedsubtree.rst says, unshare's copy
// of a shared mount is its peer; setns into a mount namespace (and its
// EPERM/EINVAL paths); the container runtime's pivot_root sequence and
// pivot_root's and chroot's errors.  Runs as root; every change is made in
// a child in a namespace of its own, so nothing is left behind.
#include "check.h"
#include <sched.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_setns
#define SYS_setns 308
#endif
#ifndef MS_REC
#define MS_REC 16384
#endif
#ifndef MS_UNBINDABLE
#define MS_UNBINDABLE (1 << 17)
#define MS_PRIVATE (1 << 18)
#define MS_SLAVE (1 << 19)
#define MS_SHARED (1 << 20)
#endif
#ifndef MNT_DETACH
#define MNT_DETACH 2
#endif
#define CAP_VERSION_3	0x20080522
#define CAP_SYS_CHROOT	18

#define TOP "/tmp/t_mntns"

struct cap_header {
	uint32_t version;
	int pid;
};
struct cap_data {
	uint32_t effective, permitted, inheritable;
};

/* A new mount namespace whose mounts are all private: nothing propagates out. */
static int private_ns(void)
{
	if (unshare(CLONE_NEWNS))
		return -1;
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

/*
 * The line of pid's mountinfo (0: self) whose mount point is mp, the last
 * one (the top of a stack) into line: 1, or 0 when mp is no mount point.
 */
static int mountinfo_line(int pid, const char *mp, char *line, size_t size)
{
	static char buf[16384];
	char path[64], *s, *next, field[256];
	int found = 0;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/mountinfo");
	if (check_read_file(path, buf, sizeof(buf)) <= 0)
		return 0;
	for (s = buf; *s; s = next) {
		next = strchr(s, '\n');
		if (!next)
			break;
		*next++ = 0;
		if (sscanf(s, "%*d %*d %*s %*s %255s", field) == 1 && strcmp(field, mp) == 0) {
			snprintf(line, size, "%s", s);
			found = 1;
		}
	}
	return found;
}

static int is_mount(const char *mp)
{
	char line[512];

	return mountinfo_line(0, mp, line, sizeof(line));
}

/* The value of mp's mountinfo optional field "name:N" (shared, master), 0 when absent. */
static int prop_field(const char *mp, const char *name)
{
	char line[512], key[32], *p, *dash;
	int n = 0;

	if (!mountinfo_line(0, mp, line, sizeof(line)))
		return -1;
	dash = strstr(line, " - ");
	snprintf(key, sizeof(key), " %s:", name);
	p = strstr(line, key);
	if (p && (!dash || p < dash))
		n = atoi(p + strlen(key));
	return n;
}

static int file_has(const char *path, const char *needle)
{
	static char buf[16384];

	if (check_read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	return strstr(buf, needle) != NULL;
}

static void write_marker(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0)
		close(fd);
}

static int tmpfs(const char *at)
{
	return mount("none", at, "tmpfs", 0, NULL);
}

/* ---- isolation ---- */

/* Waits for the parent between its steps: a mount the other side makes stays on its side. */
static void test_isolation(void)
{
	int to_parent[2], to_child[2];
	char c = 0, line[512];
	pid_t pid;

	if (pipe(to_parent) || pipe(to_child)) {
		check_result(0, "isolation: pipes", "pipe failed");
		return;
	}
	pid = fork();
	if (pid == 0) {
		int r = 0;

		if (private_ns() || tmpfs(TOP "/a"))
			r = 1;
		write_marker(TOP "/a/inner");
		/* Always answer: a parent waiting for a child that failed would wait forever. */
		if (write(to_parent[1], "1", 1) != 1 && !r)
			r = 2;
		if (read(to_child[0], &c, 1) != 1)
			r = 3;
		/* The parent mounted on b meanwhile: not here. */
		if (!r && is_mount(TOP "/b"))
			r = 4;
		if (!r && access(TOP "/b/outer", F_OK) == 0)
			r = 5;
		_exit(r);
	}
	close(to_parent[1]);
	close(to_child[0]);
	CHECK_RET(read(to_parent[0], &c, 1), 1, "isolation: the child unshared and mounted on a");
	CHECK(!is_mount(TOP "/a"), "isolation: the child's mount is not in the parent's mountinfo", "no");
	CHECK_ERR(access(TOP "/a/inner", F_OK), ENOENT, "isolation: nor its files");
	CHECK_RET(file_has("/proc/self/mounts", TOP "/a "), 0, "isolation: nor in /proc/self/mounts");
	{
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/mounts", pid);
		CHECK_RET(file_has(path, "none " TOP "/a tmpfs"), 1,
			  "isolation: /proc/PID/mounts shows the child's namespace");
		snprintf(path, sizeof(path), "/proc/%d/mountstats", pid);
		CHECK_RET(file_has(path, "device none mounted on " TOP "/a with fstype tmpfs\n"), 1,
			  "isolation: /proc/PID/mountstats shows the child's mount");
		CHECK(mountinfo_line(pid, TOP "/a", line, sizeof(line)),
		      "isolation: /proc/PID/mountinfo shows the child's mount", "no");
	}
	CHECK_RET(tmpfs(TOP "/b"), 0, "isolation: the parent mounts on b");
	write_marker(TOP "/b/outer");
	CHECK_RET(write(to_child[1], "2", 1), 1, "isolation: tell the child");
	CHECK_RET(check_wait_status(pid), 0, "isolation: the parent's mount is not in the child's namespace");
	CHECK_RET(umount(TOP "/b"), 0, "isolation: the parent unmounts b");
	close(to_parent[0]);
	close(to_child[1]);
}

/* clone(CLONE_NEWNS): the child's namespace is new; its mount goes when it exits. */
static int clone_child(void)
{
	char self[64] = "", init[64] = "";

	if (readlink("/proc/self/ns/mnt", self, sizeof(self) - 1) < 0 ||
	    readlink("/proc/1/ns/mnt", init, sizeof(init) - 1) < 0)
		return 1;
	if (strcmp(self, init) == 0)
		return 2;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) || tmpfs(TOP "/a"))
		return 3;
	return is_mount(TOP "/a") ? 0 : 4;
}

static void test_clone(void)
{
	pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(CLONE_NEWNS | SIGCHLD), NULL, NULL,
				   NULL, 0UL);

	if (pid == 0)
		_exit(clone_child());
	CHECK(pid > 0, "clone(CLONE_NEWNS)", "errno %d", errno);
	CHECK_RET(check_wait_status(pid), 0, "clone(CLONE_NEWNS): another mnt link, a mount of its own");
	CHECK(!is_mount(TOP "/a"), "clone(CLONE_NEWNS): the child's mount stayed in its namespace", "no");
}

/* ---- propagation ---- */

static int shared_peer_child(void)
{
	int g;

	if (private_ns() || tmpfs(TOP "/s"))
		return 1;
	if (mount(NULL, TOP "/s", NULL, MS_SHARED, NULL))
		return 2;
	mkdir(TOP "/s/x", 0755);
	if (mount(TOP "/s", TOP "/p", NULL, MS_BIND, NULL))
		return 3;
	g = prop_field(TOP "/s", "shared");
	if (g <= 0 || prop_field(TOP "/p", "shared") != g)
		return 4;	/* a bind of a shared mount is its peer */
	if (tmpfs(TOP "/s/x"))
		return 5;
	write_marker(TOP "/s/x/m");
	if (!is_mount(TOP "/p/x") || access(TOP "/p/x/m", F_OK))
		return 6;	/* propagated to the peer */
	if (prop_field(TOP "/p/x", "shared") != prop_field(TOP "/s/x", "shared") ||
	    prop_field(TOP "/s/x", "shared") <= 0 || prop_field(TOP "/s/x", "shared") == g)
		return 7;	/* the copies are peers in a new group */
	if (umount(TOP "/p/x"))
		return 8;
	if (is_mount(TOP "/s/x"))
		return 9;	/* the umount propagated back */
	return 0;
}

static int slave_child(void)
{
	int g;

	if (private_ns() || tmpfs(TOP "/s") || mount(NULL, TOP "/s", NULL, MS_SHARED, NULL))
		return 1;
	mkdir(TOP "/s/y", 0755);
	mkdir(TOP "/s/z", 0755);
	if (mount(TOP "/s", TOP "/v", NULL, MS_BIND, NULL) ||
	    mount(NULL, TOP "/v", NULL, MS_SLAVE, NULL))
		return 2;
	g = prop_field(TOP "/s", "shared");
	if (prop_field(TOP "/v", "master") != g || prop_field(TOP "/v", "shared") != 0)
		return 3;	/* a slave of the group, no longer in it */
	if (tmpfs(TOP "/s/y") || !is_mount(TOP "/v/y"))
		return 4;	/* the master sends */
	if (prop_field(TOP "/v/y", "master") != prop_field(TOP "/s/y", "shared"))
		return 5;	/* the copy is a slave of the new mount */
	if (tmpfs(TOP "/v/z") || is_mount(TOP "/s/z"))
		return 6;	/* the slave does not */
	if (umount(TOP "/s/y") || is_mount(TOP "/v/y"))
		return 7;	/* an umount reaches the slave */
	/* A slave made private stops receiving. */
	if (mount(NULL, TOP "/v", NULL, MS_PRIVATE, NULL) || prop_field(TOP "/v", "master") != 0)
		return 8;
	if (tmpfs(TOP "/s/y") || is_mount(TOP "/v/y"))
		return 9;
	return 0;
}

static int private_unbindable_child(void)
{
	char line[512];

	if (private_ns() || tmpfs(TOP "/s"))
		return 1;
	mkdir(TOP "/s/w", 0755);
	if (mount(TOP "/s", TOP "/p", NULL, MS_BIND, NULL))
		return 2;
	if (prop_field(TOP "/s", "shared") != 0 || prop_field(TOP "/p", "shared") != 0)
		return 3;	/* private by default */
	if (tmpfs(TOP "/s/w") || is_mount(TOP "/p/w"))
		return 4;	/* private mounts do not propagate */
	if (mount(NULL, TOP "/p", NULL, MS_UNBINDABLE, NULL))
		return 5;
	if (!mountinfo_line(0, TOP "/p", line, sizeof(line)) || !strstr(line, " unbindable"))
		return 6;
	if (mount(TOP "/p", TOP "/v", NULL, MS_BIND, NULL) == 0 || errno != EINVAL)
		return 7;	/* an unbindable mount cannot be bound */
	/* A recursive bind leaves unbindable submounts out. */
	if (mount(NULL, TOP "/s/w", NULL, MS_UNBINDABLE, NULL) ||
	    mount(TOP "/s", TOP "/v", NULL, MS_BIND | MS_REC, NULL))
		return 8;
	if (!is_mount(TOP "/v") || is_mount(TOP "/v/w"))
		return 9;
	return 0;
}

static int rec_child(void)
{
	if (private_ns() || tmpfs(TOP "/s"))
		return 1;
	mkdir(TOP "/s/x", 0755);
	if (tmpfs(TOP "/s/x"))
		return 2;
	if (mount(NULL, TOP "/s", NULL, MS_SHARED, NULL))
		return 3;
	if (prop_field(TOP "/s", "shared") <= 0 || prop_field(TOP "/s/x", "shared") != 0)
		return 4;	/* without MS_REC the submount stays private */
	if (mount(NULL, TOP "/s", NULL, MS_SHARED | MS_REC, NULL) ||
	    prop_field(TOP "/s/x", "shared") <= 0)
		return 5;
	if (mount(NULL, TOP "/s", NULL, MS_PRIVATE | MS_REC, NULL) ||
	    prop_field(TOP "/s", "shared") != 0 || prop_field(TOP "/s/x", "shared") != 0)
		return 6;
	return 0;
}

static int type_errors_child(void)
{
	if (private_ns() || tmpfs(TOP "/s"))
		return 1;
	if (mount(NULL, TOP "/s", NULL, MS_SHARED | MS_PRIVATE, NULL) == 0 || errno != EINVAL)
		return 2;	/* two types */
	if (mount(NULL, TOP "/s", NULL, MS_SHARED | MS_RDONLY, NULL) == 0 || errno != EINVAL)
		return 3;	/* a type and another flag */
	mkdir(TOP "/s/d", 0755);
	if (mount(NULL, TOP "/s/d", NULL, MS_PRIVATE, NULL) == 0 || errno != EINVAL)
		return 4;	/* not a mount point */
	if (mount(NULL, TOP "/s", NULL, MS_SHARED | MS_SILENT, NULL))
		return 5;	/* MS_SILENT is allowed */
	if (setuid(65534))
		return 6;
	if (mount(NULL, TOP "/s", NULL, MS_PRIVATE, NULL) == 0 || errno != EPERM)
		return 7;
	if (unshare(CLONE_NEWNS) == 0 || errno != EPERM)
		return 8;
	if (syscall(SYS_clone, (unsigned long)(CLONE_NEWNS | SIGCHLD), NULL, NULL, NULL, 0UL) != -1 ||
	    errno != EPERM)
		return 9;
	return 0;
}

/*
 * unshare copies a shared mount as a peer of the original (why runtimes
 * make / private first): a mount in either namespace appears in the other;
 * setns goes back.
 */
static int unshare_peer_child(void)
{
	int ns1;

	if (private_ns() || tmpfs(TOP "/s") || mount(NULL, TOP "/s", NULL, MS_SHARED, NULL))
		return 1;
	mkdir(TOP "/s/x", 0755);
	mkdir(TOP "/s/y", 0755);
	ns1 = open("/proc/self/ns/mnt", O_RDONLY);
	if (ns1 < 0 || unshare(CLONE_NEWNS))
		return 2;
	if (prop_field(TOP "/s", "shared") <= 0)
		return 3;	/* the copy is shared too */
	if (tmpfs(TOP "/s/x") || tmpfs(TOP "/a"))
		return 4;	/* x under the shared copy, a under the private / */
	if (syscall(SYS_setns, ns1, CLONE_NEWNS))
		return 5;
	if (!is_mount(TOP "/s/x"))
		return 6;	/* it propagated to the original */
	if (is_mount(TOP "/a"))
		return 7;	/* the private one did not */
	return 0;
}

/* A mount of another namespace, reached through a descriptor: mount, bind and umount EINVAL. */
static int other_ns_child(void)
{
	char path[64];
	int fd;

	if (private_ns() || tmpfs(TOP "/s"))
		return 1;
	mkdir(TOP "/s/d", 0755);
	fd = open(TOP "/s", O_RDONLY | O_DIRECTORY);
	if (fd < 0 || unshare(CLONE_NEWNS))
		return 2;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (tmpfs(path) == 0 || errno != EINVAL)
		return 3;	/* the target is in the old namespace */
	if (mount(path, TOP "/p", NULL, MS_BIND, NULL) == 0 || errno != EINVAL)
		return 4;	/* so is the source */
	if (umount2(path, 0) == 0 || errno != EINVAL)
		return 5;
	if (!is_mount(TOP "/s") || umount(TOP "/s"))
		return 6;	/* this namespace's copy is its own */
	return 0;
}

static void test_propagation(void)
{
	CHECK_RET(check_in_child(shared_peer_child), 0,
		  "MS_SHARED: a bind is a peer, mounts and umounts propagate between peers");
	CHECK_RET(check_in_child(slave_child), 0,
		  "MS_SLAVE: master:N, receives but does not send; MS_PRIVATE ends it");
	CHECK_RET(check_in_child(private_unbindable_child), 0,
		  "MS_PRIVATE does not propagate; MS_UNBINDABLE refuses a bind, a recursive bind skips it");
	CHECK_RET(check_in_child(rec_child), 0, "MS_REC: the type of every mount below");
	CHECK_RET(check_in_child(type_errors_child), 0,
		  "propagation types: two types, other flags, not a mount point EINVAL; EPERM as a user");
	CHECK_RET(check_in_child(other_ns_child), 0,
		  "a mount of another namespace (through a descriptor): mount on it, bind it, umount it EINVAL");
	CHECK_RET(check_in_child(unshare_peer_child), 0,
		  "unshare(CLONE_NEWNS): a shared mount's copy is its peer; setns back sees the propagated mount");
}

/* ---- setns ---- */

static int setns_child(void)
{
	int init_fd = open("/proc/self/ns/mnt", O_RDONLY), own;
	char cwd[64];

	if (init_fd < 0 || private_ns() || tmpfs(TOP "/a") || chdir(TOP "/a"))
		return 1;
	if (syscall(SYS_setns, init_fd, CLONE_NEWUTS) == 0 || errno != EINVAL)
		return 2;	/* the wrong type */
	own = open("/proc/self/ns/mnt", O_RDONLY);
	if (own < 0 || syscall(SYS_setns, init_fd, CLONE_NEWNS))
		return 3;
	if (is_mount(TOP "/a"))
		return 4;
	if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/"))
		return 5;	/* cwd became the namespace's root */
	if (syscall(SYS_setns, own, 0) || !is_mount(TOP "/a"))
		return 6;	/* nstype 0: any type */
	return 0;
}

/* Without CAP_SYS_CHROOT (CAP_SYS_ADMIN kept): EPERM. */
static int setns_chroot_child(void)
{
	int fd = open("/proc/self/ns/mnt", O_RDONLY);
	struct cap_header h = { CAP_VERSION_3, 0 };
	struct cap_data d[2];

	if (fd < 0 || syscall(SYS_capget, &h, d))
		return 1;
	d[0].effective &= ~(1U << CAP_SYS_CHROOT);
	if (syscall(SYS_capset, &h, d))
		return 2;
	if (syscall(SYS_setns, fd, CLONE_NEWNS) == 0 || errno != EPERM)
		return 3;
	if (chroot("/") == 0 || errno != EPERM)
		return 4;	/* chroot needs it too */
	return 0;
}

/* A process sharing its fs context (CLONE_FS) cannot change mount namespace: EINVAL. */
static int setns_shared_fs_child(void)
{
	int fd = open("/proc/self/ns/mnt", O_RDONLY);
	pid_t pid;

	if (fd < 0)
		return 1;
	pid = (pid_t)syscall(SYS_clone, (unsigned long)(CLONE_FS | SIGCHLD), NULL, NULL, NULL, 0UL);
	if (pid == 0)
		_exit(syscall(SYS_setns, fd, CLONE_NEWNS) == -1 && errno == EINVAL ? 0 : 1);
	if (pid < 0)
		return 2;
	return check_wait_status(pid) ? 3 : 0;
}

/* setns through a pidfd with CLONE_NEWNS joins the process's mount namespace. */
static void test_setns(void)
{
	int to_parent[2], to_child[2];
	char c;
	pid_t pid;

	CHECK_RET(check_in_child(setns_child), 0,
		  "setns(CLONE_NEWNS): mounts of the joined namespace, cwd at its root; wrong type EINVAL");
	CHECK_RET(check_in_child(setns_chroot_child), 0, "setns(CLONE_NEWNS) and chroot without CAP_SYS_CHROOT: EPERM");
	CHECK_RET(check_in_child(setns_shared_fs_child), 0, "setns(CLONE_NEWNS) with a shared fs context: EINVAL");
	if (pipe(to_parent) || pipe(to_child))
		return;
	pid = fork();
	if (pid == 0) {
		int r = private_ns() || tmpfs(TOP "/a") ? 1 : 0;

		if (write(to_parent[1], "1", 1) != 1 || read(to_child[0], &c, 1) != 1)
			r = 2;
		_exit(r);
	}
	if (read(to_parent[0], &c, 1) == 1) {
		pid_t joiner = fork();

		if (joiner == 0) {
			int pfd = (int)syscall(SYS_pidfd_open, pid, 0);

			if (pfd < 0 || syscall(SYS_setns, pfd, CLONE_NEWNS))
				_exit(1);
			_exit(is_mount(TOP "/a") ? 0 : 2);
		}
		CHECK_RET(check_wait_status(joiner), 0, "setns(pidfd, CLONE_NEWNS) joins the process's mounts");
	}
	CHECK_RET(write(to_child[1], "2", 1), 1, "setns: release the child");
	CHECK_RET(check_wait_status(pid), 0, "setns: the child");
	close(to_parent[0]);
	close(to_parent[1]);
	close(to_child[0]);
	close(to_child[1]);
}

/* ---- pivot_root and chroot ---- */

/*
 * The container runtime's sequence.  The test's root may be the initramfs
 * (pivot_root cannot move it: it has no parent), so the "host" root is
 * first a recursive bind of / entered with chroot.
 */
static int pivot_child(void)
{
	char buf[4096];
	int lines = 0;

	if (private_ns() || mount("/", TOP "/h", NULL, MS_BIND | MS_REC, NULL))
		return 1;
	if (chdir(TOP "/h") || chroot(".") || chdir("/"))
		return 2;
	/* The container's root file system. */
	if (tmpfs(TOP "/c"))
		return 3;
	mkdir(TOP "/c/old", 0755);
	mkdir(TOP "/c/sub", 0755);
	mkdir(TOP "/c/proc", 0755);
	write_marker(TOP "/c/marker");
	if (tmpfs(TOP "/a"))
		return 4;	/* a mount outside the new root */
	if (syscall(SYS_pivot_root, TOP "/c/sub", TOP "/c/sub") == 0 || errno != EINVAL)
		return 5;	/* new_root is not a mount point */
	if (syscall(SYS_pivot_root, TOP "/c", TOP "/a") == 0 || errno != EINVAL)
		return 6;	/* put_old is not under new_root */
	if (syscall(SYS_pivot_root, "/", TOP "/c/old") == 0 || errno != EBUSY)
		return 7;	/* new_root is the current root's mount */
	if (syscall(SYS_pivot_root, TOP "/c/marker", TOP "/c/old") == 0 || errno != ENOTDIR)
		return 8;
	if (syscall(SYS_pivot_root, TOP "/c/none", TOP "/c/old") == 0 || errno != ENOENT)
		return 9;
	if (mount(NULL, "/", NULL, MS_SHARED, NULL))
		return 10;
	if (syscall(SYS_pivot_root, TOP "/c", TOP "/c/old") == 0 || errno != EINVAL)
		return 11;	/* new_root's parent mount is shared */
	if (mount(NULL, "/", NULL, MS_PRIVATE, NULL) || mount(NULL, TOP "/c", NULL, MS_SHARED, NULL))
		return 12;
	if (syscall(SYS_pivot_root, TOP "/c", TOP "/c/old") == 0 || errno != EINVAL)
		return 13;	/* put_old's mount is shared */
	if (mount(NULL, TOP "/c", NULL, MS_PRIVATE, NULL))
		return 14;
	if (mount(TOP "/c", TOP "/c", NULL, MS_BIND, NULL))
		return 23;	/* bind the new root on itself, as runtimes do */
	if (chdir(TOP "/c") || syscall(SYS_pivot_root, ".", "old"))
		return 15;
	if (chdir("/") || access("/marker", F_OK) || access("/old" TOP, F_OK))
		return 16;	/* the new root, the old one under old */
	if (umount2("/old", MNT_DETACH))
		return 17;
	if (access("/old" TOP, F_OK) == 0 || access(TOP, F_OK) == 0)
		return 18;	/* the host is gone */
	if (mount("proc", "/proc", "proc", 0, NULL))
		return 19;
	if (check_read_file("/proc/self/mounts", buf, sizeof(buf)) <= 0)
		return 20;
	for (char *p = buf; *p; p++)
		lines += *p == '\n';
	if (lines != 2 || !strstr(buf, " / tmpfs ") || !strstr(buf, " /proc proc "))
		return 21;	/* the container's root and its /proc, nothing else */
	if (!getcwd(buf, sizeof(buf)) || strcmp(buf, "/"))
		return 22;
	return 0;
}

static int pivot_eperm_child(void)
{
	if (setuid(65534))
		return 1;
	return syscall(SYS_pivot_root, TOP "/c", TOP "/c/old") == -1 && errno == EPERM ? 0 : 2;
}

static int chroot_child(void)
{
	int outer = open("/", O_RDONLY | O_DIRECTORY);
	struct stat st, root;

	if (outer < 0 || private_ns() || tmpfs(TOP "/c"))
		return 1;
	mkdir(TOP "/c/d", 0755);
	write_marker(TOP "/c/inside");
	if (chroot(TOP "/c/inside") == 0 || errno != ENOTDIR)
		return 2;
	if (chroot(TOP "/c/none") == 0 || errno != ENOENT)
		return 3;
	if (chroot(TOP "/c") || chdir("/d"))
		return 4;
	/* ".." stops at the new root. */
	if (chdir("../../..") || stat(".", &st) || stat("/", &root))
		return 5;
	if (st.st_ino != root.st_ino || st.st_dev != root.st_dev || access("inside", F_OK))
		return 6;
	if (access(TOP, F_OK) == 0)
		return 7;
	if (fchdir(outer))
		return 8;	/* an outer descriptor still works, as on Linux */
	return 0;
}

static void test_root_changes(void)
{
	CHECK_RET(check_in_child(pivot_child), 0,
		  "pivot_root: errors (EINVAL, EBUSY, ENOTDIR, ENOENT, shared), then the runtime sequence");
	CHECK_RET(check_in_child(pivot_eperm_child), 0, "pivot_root without CAP_SYS_ADMIN: EPERM");
	CHECK_RET(check_in_child(chroot_child), 0, "chroot: ENOTDIR, ENOENT; .. stops at the new root");
}

int main(void)
{
	check_init("t_mntns");
	mkdir(TOP, 0755);
	static const char *const dirs[] = { "a", "b", "s", "p", "v", "h", "c" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char p[64];

		snprintf(p, sizeof(p), TOP "/%s", dirs[i]);
		mkdir(p, 0755);
	}
	test_isolation();
	test_clone();
	test_propagation();
	test_setns();
	test_root_changes();
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char p[64];

		snprintf(p, sizeof(p), TOP "/%s", dirs[i]);
		rmdir(p);
	}
	rmdir(TOP);
	return check_done();
}
