// SPDX-License-Identifier: MPL-2.0
/*
 * t_mempolicy -- the NUMA and remote-memory calls on a machine with one
 * memory node (node 0), as Linux 6.1 answers them: set_mempolicy and
 * get_mempolicy (modes, mode flags, MPOL_F_NODE/ADDR/MEMS_ALLOWED, node
 * mask rules), mbind (per-mapping policies, holes, MPOL_MF_STRICT's EIO),
 * set_mempolicy_home_node, migrate_pages, move_pages (page status),
 * process_madvise, process_mrelease and remap_file_pages; inheritance of
 * the policy by fork and across execve.
 */
#include "check.h"
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise 440
#endif
#ifndef SYS_process_mrelease
#define SYS_process_mrelease 448
#endif
#ifndef SYS_set_mempolicy_home_node
#define SYS_set_mempolicy_home_node 450
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

/* <linux/mempolicy.h> values, spelled out: musl has no <numaif.h>. */
enum { M_DEFAULT, M_PREFERRED, M_BIND, M_INTERLEAVE, M_LOCAL, M_PREFERRED_MANY };
#define F_STATIC (1 << 15)
#define F_RELATIVE (1 << 14)
#define F_BALANCING (1 << 13)
#define G_NODE 1
#define G_ADDR 2
#define G_MEMS 4
#define MF_STRICT 1
#define MF_MOVE 2
#define MF_MOVE_ALL 4
#define MF_LAZY 8
#define CAP_SYS_NICE_BIT 23

static long pg;

static long set_pol(int mode, const unsigned long *mask, unsigned long maxnode)
{
	return syscall(SYS_set_mempolicy, mode, mask, maxnode);
}

static long get_pol(int *mode, unsigned long *mask, unsigned long maxnode, void *addr,
		    unsigned long flags)
{
	return syscall(SYS_get_mempolicy, mode, mask, maxnode, addr, flags);
}

static long mbind_(void *p, unsigned long len, int mode, const unsigned long *mask,
		   unsigned long maxnode, unsigned int flags)
{
	return syscall(SYS_mbind, p, len, mode, mask, maxnode, flags);
}

/* The policy mode at addr (MPOL_F_ADDR), or -1. */
static int mode_at(void *addr)
{
	int mode = -1;

	if (get_pol(&mode, NULL, 0, addr, G_ADDR))
		return -1;
	return mode;
}

/* Take CAP_SYS_NICE out of the effective set (children only). */
static int drop_sys_nice(void)
{
	struct { uint32_t version; int pid; } hdr = { 0x20080522, 0 };
	struct { uint32_t eff, perm, inh; } data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[0].eff &= ~(1u << CAP_SYS_NICE_BIT);
	return (int)syscall(SYS_capset, &hdr, data);
}

/* Run fn in a child without CAP_SYS_NICE: its errno, or -1. */
static int unprivileged(long (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (drop_sys_nice())
			_exit(200);
		_exit(fn() == -1 ? errno : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_set_get(void)
{
	unsigned long m0 = 1, m01 = 3, m1 = 2, nodes = 99, big[40];
	int mode = -1;

	CHECK_RET(get_pol(&mode, &nodes, 64, NULL, 0), 0, "get_mempolicy: default");
	CHECK(mode == M_DEFAULT && nodes == 0, "default policy and empty mask", "mode %d nodes %lx", mode, nodes);
	CHECK_RET(set_pol(M_BIND, &m0, 64), 0, "set_mempolicy BIND {0}");
	CHECK_RET(get_pol(&mode, &nodes, 64, NULL, 0), 0, "get_mempolicy");
	CHECK(mode == M_BIND && nodes == 1, "BIND reported with {0}", "mode %d nodes %lx", mode, nodes);
	CHECK_RET(set_pol(M_BIND, &m01, 64), 0, "BIND {0,1}: the mask meets the nodes with memory");
	CHECK_RET(get_pol(&mode, &nodes, 64, NULL, 0), 0, "get_mempolicy");
	CHECK(mode == M_BIND && nodes == 1, "BIND {0,1} is BIND {0}", "mode %d nodes %lx", mode, nodes);
	CHECK_ERR(set_pol(M_BIND, &m1, 64), EINVAL, "BIND {1}: no memory there");
	CHECK_ERR(set_pol(M_BIND, NULL, 0), EINVAL, "BIND with no nodes");
	CHECK_ERR(set_pol(M_BIND, &m0, 1), EINVAL, "BIND with maxnode 1 (no bits)");
	CHECK_ERR(set_pol(M_DEFAULT, &m0, 64), EINVAL, "DEFAULT with nodes");
	CHECK_ERR(set_pol(M_LOCAL, &m0, 64), EINVAL, "LOCAL with nodes");
	CHECK_ERR(set_pol(6, &m0, 64), EINVAL, "mode past MPOL_MAX");
	CHECK_ERR(set_pol(-1, &m0, 64), EINVAL, "negative mode");
	CHECK_ERR(set_pol(M_BIND | F_STATIC | F_RELATIVE, &m0, 64), EINVAL, "STATIC and RELATIVE together");
	CHECK_ERR(set_pol(M_INTERLEAVE | F_BALANCING, &m0, 64), EINVAL, "NUMA_BALANCING without BIND");
	CHECK_ERR(set_pol(M_PREFERRED | F_STATIC, NULL, 0), EINVAL, "PREFERRED | STATIC with no nodes");
	CHECK_ERR(set_pol(M_BIND, (unsigned long *)8, 64), EFAULT, "bad mask pointer");
	CHECK_ERR(set_pol(M_BIND, &m0, 0), EINVAL, "maxnode 0 with a mask");
	CHECK_ERR(set_pol(M_BIND, big, 40000), EINVAL, "maxnode past a page of bits");
	memset(big, 0, sizeof(big));
	big[0] = 1;
	big[23] = 1;	/* node 1472: past MAX_NUMNODES (1024) */
	CHECK_ERR(set_pol(M_BIND, big, 40 * 64), EINVAL, "a node past MAX_NUMNODES");
	big[23] = 0;
	big[10] = 1;	/* node 640: below it, but without memory */
	CHECK_RET(set_pol(M_BIND, big, 40 * 64), 0, "a wide mask with node 0");

	CHECK_RET(set_pol(M_INTERLEAVE, &m0, 64), 0, "INTERLEAVE {0}");
	mode = -1;
	CHECK_RET(get_pol(&mode, NULL, 0, NULL, G_NODE), 0, "MPOL_F_NODE: next interleave node");
	CHECK(mode == 0, "next interleave node is 0", "got %d", mode);
	CHECK_RET(set_pol(M_PREFERRED, NULL, 0), 0, "PREFERRED with no nodes");
	CHECK_RET(get_pol(&mode, &nodes, 64, NULL, 0), 0, "get_mempolicy");
	CHECK(mode == M_LOCAL && nodes == 0, "empty PREFERRED is LOCAL", "mode %d nodes %lx", mode, nodes);
	CHECK_ERR(get_pol(&mode, NULL, 0, NULL, G_NODE), EINVAL, "MPOL_F_NODE without INTERLEAVE");
	CHECK_RET(set_pol(M_PREFERRED, &m01, 64), 0, "PREFERRED {0,1}");
	CHECK_RET(get_pol(&mode, &nodes, 64, NULL, 0), 0, "get_mempolicy");
	CHECK(mode == M_PREFERRED && nodes == 1, "PREFERRED {0}", "mode %d nodes %lx", mode, nodes);
	CHECK_RET(set_pol(M_PREFERRED_MANY, &m0, 64), 0, "PREFERRED_MANY {0}");
	CHECK_RET(get_pol(&mode, NULL, 0, NULL, 0), 0, "get_mempolicy");
	CHECK(mode == M_PREFERRED_MANY, "PREFERRED_MANY reported", "mode %d", mode);
	CHECK_RET(set_pol(M_BIND | F_STATIC, &m01, 64), 0, "BIND | STATIC {0,1}");
	CHECK_RET(get_pol(&mode, &nodes, 64, NULL, 0), 0, "get_mempolicy");
	CHECK(mode == (M_BIND | F_STATIC) && nodes == 3, "STATIC reports the caller's mask",
	      "mode %x nodes %lx", mode, nodes);
	CHECK_ERR(set_pol(M_BIND | F_STATIC, &m1, 64), EINVAL, "BIND | STATIC {1}");
	CHECK_RET(set_pol(M_INTERLEAVE | F_RELATIVE, &m1, 64), 0, "INTERLEAVE | RELATIVE {1}: folds onto node 0");
	CHECK_RET(get_pol(&mode, &nodes, 64, NULL, 0), 0, "get_mempolicy");
	CHECK(mode == (M_INTERLEAVE | F_RELATIVE) && nodes == 2, "RELATIVE reports the caller's mask",
	      "mode %x nodes %lx", mode, nodes);
	CHECK_RET(set_pol(M_BIND | F_BALANCING, &m0, 64), 0, "BIND | NUMA_BALANCING");
	CHECK_RET(get_pol(&mode, NULL, 0, NULL, 0), 0, "get_mempolicy");
	CHECK(mode == (M_BIND | F_BALANCING), "NUMA_BALANCING reported", "mode %x", mode);

	CHECK_ERR(get_pol(&mode, &nodes, 0, NULL, 0), EINVAL, "get: maxnode below the node count");
	CHECK_ERR(get_pol(&mode, NULL, 0, NULL, 8), EINVAL, "get: unknown flag");
	CHECK_ERR(get_pol(&mode, NULL, 0, NULL, G_MEMS | G_NODE), EINVAL, "get: MEMS_ALLOWED with NODE");
	CHECK_ERR(get_pol(&mode, NULL, 0, &mode, 0), EINVAL, "get: an address without MPOL_F_ADDR");
	CHECK_ERR(get_pol((int *)8, NULL, 0, NULL, 0), EFAULT, "get: bad policy pointer");
	CHECK_ERR(get_pol(&mode, (unsigned long *)8, 64, NULL, 0), EFAULT, "get: bad mask pointer");
	CHECK_ERR(get_pol(&mode, big, 40000, NULL, 0), EINVAL, "get: mask wider than a page");
	memset(big, 0xff, sizeof(big));
	CHECK_RET(get_pol(NULL, big, 1024, NULL, G_MEMS), 0, "MPOL_F_MEMS_ALLOWED");
	CHECK(big[0] == 1 && big[1] == 0 && big[15] == 0 && big[16] == ~0UL,
	      "allowed {0}, the rest of maxnode cleared", "%lx %lx %lx %lx", big[0], big[1], big[15], big[16]);
	CHECK_RET(set_pol(M_DEFAULT, NULL, 0), 0, "back to DEFAULT");
	CHECK_RET(get_pol(&mode, NULL, 0, NULL, 0), 0, "get_mempolicy");
	CHECK(mode == M_DEFAULT, "DEFAULT again", "mode %d", mode);
}

static void test_inherit(const char *self)
{
	unsigned long m0 = 1;
	int status = -1;
	pid_t pid;

	CHECK_RET(set_pol(M_INTERLEAVE, &m0, 64), 0, "INTERLEAVE before fork");
	pid = fork();
	if (pid == 0) {
		int mode = -1;

		get_pol(&mode, NULL, 0, NULL, 0);
		if (mode != M_INTERLEAVE)
			_exit(1);
		execl(self, self, "exec-child", (char *)NULL);
		_exit(2);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "fork inherits the policy, execve keeps it", "status %#x", status);
	set_pol(M_DEFAULT, NULL, 0);
}

static long mbind_move_all(void)
{
	void *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long m0 = 1;

	return mbind_(p, pg, M_BIND, &m0, 64, MF_MOVE_ALL);
}

static void test_mbind(void)
{
	unsigned long m0 = 1, m1 = 2, nodes = 0;
	char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *none = mmap(NULL, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *hole = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int mode = -1;

	munmap(hole + pg, pg);
	CHECK_RET(mbind_(p, 4 * pg, M_BIND, &m0, 64, 0), 0, "mbind BIND {0}");
	CHECK(mode_at(p) == M_BIND && mode_at(p + 3 * pg) == M_BIND, "the mapping has the policy",
	      "%d %d", mode_at(p), mode_at(p + 3 * pg));
	CHECK_RET(get_pol(&mode, &nodes, 64, p + 10, G_ADDR), 0, "get MPOL_F_ADDR");
	CHECK(mode == M_BIND && nodes == 1, "its mask {0}", "mode %d nodes %lx", mode, nodes);
	CHECK_RET(get_pol(&mode, NULL, 0, NULL, 0), 0, "the thread's policy");
	CHECK(mode == M_DEFAULT, "is still DEFAULT", "mode %d", mode);
	CHECK_RET(mbind_(p + pg, pg, M_INTERLEAVE, &m0, 64, 0), 0, "mbind INTERLEAVE on one page");
	CHECK(mode_at(p) == M_BIND && mode_at(p + pg) == M_INTERLEAVE && mode_at(p + 2 * pg) == M_BIND,
	      "the mapping is split", "%d %d %d", mode_at(p), mode_at(p + pg), mode_at(p + 2 * pg));
	mode = -1;
	CHECK_RET(get_pol(&mode, NULL, 0, p + pg, G_ADDR | G_NODE), 0, "MPOL_F_ADDR | MPOL_F_NODE");
	CHECK(mode == 0, "the page is on node 0", "got %d", mode);
	CHECK_ERR(get_pol(&mode, NULL, 0, none, G_ADDR | G_NODE), EFAULT, "NODE of a PROT_NONE page");
	CHECK_RET(get_pol(&mode, NULL, 0, none, G_ADDR), 0, "ADDR of a mapping without policy");
	CHECK(mode == M_DEFAULT, "is DEFAULT", "mode %d", mode);
	CHECK_ERR(get_pol(&mode, NULL, 0, hole + pg, G_ADDR), EFAULT, "ADDR of nothing");

	CHECK_RET(mbind_(p, 4 * pg, M_DEFAULT, NULL, 0, 0), 0, "mbind DEFAULT");
	CHECK(mode_at(p + pg) == M_DEFAULT, "policy gone", "%d", mode_at(p + pg));
	CHECK_RET(mbind_(p, 0, M_BIND, &m1, 64, 0), 0, "length 0 checks no policy");
	CHECK_ERR(mbind_(p + 1, pg, M_BIND, &m0, 64, 0), EINVAL, "unaligned start");
	CHECK_ERR(mbind_(p, pg, M_BIND, &m0, 64, MF_LAZY), EINVAL, "MPOL_MF_LAZY");
	CHECK_ERR(mbind_(p, pg, M_BIND, &m1, 64, 0), EINVAL, "BIND {1}");
	CHECK_ERR(mbind_(p, pg, 7, &m0, 64, 0), EINVAL, "bad mode");
	CHECK_ERR(mbind_(p, pg, M_BIND, (unsigned long *)8, 64, 0), EFAULT, "bad mask pointer");
	CHECK_ERR(mbind_(hole, 3 * pg, M_BIND, &m0, 64, 0), EFAULT, "a hole in the range");
	CHECK_RET(mbind_(hole, 3 * pg, M_DEFAULT, NULL, 0, 0), 0, "DEFAULT may span a hole");
	CHECK_ERR(mbind_(hole + pg, pg, M_DEFAULT, NULL, 0, 0), EFAULT, "but not be only one");
	CHECK(unprivileged(mbind_move_all) == EPERM, "MPOL_MF_MOVE_ALL needs CAP_SYS_NICE", "%d",
	      unprivileged(mbind_move_all));

	p[0] = 1;
	CHECK_ERR(mbind_(p, 2 * pg, M_LOCAL, NULL, 0, MF_STRICT), EIO, "STRICT: a page off the (empty) mask");
	CHECK(mode_at(p) == M_DEFAULT, "and the policy is not set", "%d", mode_at(p));
	CHECK_RET(mbind_(p, 2 * pg, M_LOCAL, NULL, 0, MF_STRICT | MF_MOVE), 0, "STRICT | MOVE moves it");
	CHECK(mode_at(p) == M_LOCAL, "LOCAL set", "%d", mode_at(p));
	CHECK_RET(mbind_(p, 2 * pg, M_BIND, &m0, 64, MF_STRICT), 0, "STRICT with the page on node 0");
	CHECK_RET(mbind_(p + 2 * pg, 2 * pg, M_LOCAL, NULL, 0, MF_STRICT), 0, "STRICT on untouched pages");

	/* set_mempolicy_home_node: BIND and PREFERRED_MANY mappings only. */
	CHECK_RET(syscall(SYS_set_mempolicy_home_node, p, 2 * pg, 0, 0), 0, "home node of a BIND range");
	CHECK_ERR(syscall(SYS_set_mempolicy_home_node, p + 2 * pg, 2 * pg, 0, 0), EOPNOTSUPP,
		  "home node of a LOCAL range");
	CHECK_ERR(syscall(SYS_set_mempolicy_home_node, none, pg, 0, 0), ENOENT, "no policy there");
	CHECK_ERR(syscall(SYS_set_mempolicy_home_node, p, pg, 1, 0), EINVAL, "node 1 is not online");
	CHECK_ERR(syscall(SYS_set_mempolicy_home_node, p, pg, 0, 1), EINVAL, "flags");
	CHECK_ERR(syscall(SYS_set_mempolicy_home_node, p + 1, pg, 0, 0), EINVAL, "unaligned");
	CHECK_RET(syscall(SYS_set_mempolicy_home_node, p, 0, 0, 0), 0, "length 0");
	CHECK(mode_at(p) == M_BIND, "home node keeps the mode", "%d", mode_at(p));
	munmap(p, 4 * pg);
	munmap(none, pg);
	munmap(hole, 3 * pg);
}

static long migrate_to_1(void)
{
	unsigned long m0 = 1, m1 = 2;

	return syscall(SYS_migrate_pages, 0, 64, &m0, &m1);
}

static long move_all(void)
{
	return syscall(SYS_move_pages, 0, 0, NULL, NULL, NULL, MF_MOVE_ALL);
}

static void test_migrate(void)
{
	unsigned long m0 = 1, m1 = 2, none = 0;
	char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char path[] = "/tmp/t_mempolicy.XXXXXX";
	int fd = mkstemp(path), status[4] = { 9, 9, 9, 9 }, nodes[4] = { 0, 0, 0, 0 };
	char *f;
	void *pages[4];
	pid_t dead = fork();

	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	unlink(path);
	CHECK(ftruncate(fd, pg) == 0, "file of one page", "%s", strerror(errno));
	f = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0);
	p[0] = 1;
	pages[0] = p;
	pages[1] = p + pg;	/* never touched */
	pages[2] = f;		/* never touched, file-backed */
	pages[3] = (char *)8;
	CHECK_RET(syscall(SYS_migrate_pages, 0, 64, &m0, &m0), 0, "migrate_pages {0} to {0}");
	CHECK_RET(syscall(SYS_migrate_pages, getpid(), 64, &m0, &m0), 0, "migrate_pages by pid");
	CHECK_ERR(syscall(SYS_migrate_pages, 0, 64, &m0, &m1), EINVAL, "to {1}: nothing left");
	CHECK_ERR(syscall(SYS_migrate_pages, 0, 64, &m0, &none), EINVAL, "to no node");
	CHECK_ERR(syscall(SYS_migrate_pages, dead, 64, &m0, &m0), ESRCH, "no such process");
	CHECK_ERR(syscall(SYS_migrate_pages, 0, 64, (void *)8, &m0), EFAULT, "bad mask");
	CHECK_ERR(syscall(SYS_migrate_pages, 0, 40000, &m0, &m0), EINVAL, "maxnode too big");
	CHECK(unprivileged(migrate_to_1) == EPERM, "to a node not allowed without CAP_SYS_NICE", "%d",
	      unprivileged(migrate_to_1));

	CHECK_RET(syscall(SYS_move_pages, 0, 4, pages, NULL, status, 0), 0, "move_pages: status");
	CHECK(status[0] == 0 && status[1] == -EFAULT && status[2] == -ENOENT && status[3] == -EFAULT,
	      "node 0, untouched anonymous, untouched file, nothing", "%d %d %d %d", status[0], status[1],
	      status[2], status[3]);
	memset(status, 9, sizeof(status));
	CHECK_RET(syscall(SYS_move_pages, 0, 4, pages, nodes, status, MF_MOVE), 0, "move_pages to node 0");
	CHECK(status[0] == 0 && status[1] == -EFAULT && status[2] == -ENOENT && status[3] == -EFAULT,
	      "statuses of the move", "%d %d %d %d", status[0], status[1], status[2], status[3]);
	nodes[1] = 1;
	CHECK_ERR(syscall(SYS_move_pages, 0, 2, pages, nodes, status, 0), ENODEV, "to node 1");
	nodes[1] = -1;
	CHECK_ERR(syscall(SYS_move_pages, 0, 2, pages, nodes, status, 0), ENODEV, "to node -1");
	CHECK_ERR(syscall(SYS_move_pages, 0, 1, pages, NULL, status, 8), EINVAL, "bad flags");
	CHECK_ERR(syscall(SYS_move_pages, 0, 1, (void *)8, NULL, status, 0), EFAULT, "bad pages pointer");
	CHECK_ERR(syscall(SYS_move_pages, 0, 1, pages, NULL, (void *)8, 0), EFAULT, "bad status pointer");
	CHECK_ERR(syscall(SYS_move_pages, dead, 1, pages, NULL, status, 0), ESRCH, "no such process");
	CHECK_RET(syscall(SYS_move_pages, 0, 0, NULL, NULL, NULL, 0), 0, "no pages");
	CHECK(unprivileged(move_all) == EPERM, "MPOL_MF_MOVE_ALL needs CAP_SYS_NICE", "%d",
	      unprivileged(move_all));
	munmap(p, 2 * pg);
	munmap(f, pg);
	close(fd);
}

static int pidfd_of(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static long pmadvise_self(void)
{
	char *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec iov = { p, pg };

	return syscall(SYS_process_madvise, pidfd_of(getpid()), &iov, 1, MADV_COLD, 0);
}

static void test_process_madvise(void)
{
	char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int self = pidfd_of(getpid()), pfd[2], cfd;
	struct iovec iov[2] = { { p, 2 * pg }, { p + 3 * pg, pg } };
	char *gone = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec bad[2] = { { p, pg }, { gone, pg } };
	pid_t child;

	munmap(gone, pg);

	p[0] = 42;
	CHECK_RET(syscall(SYS_process_madvise, self, iov, 2, MADV_COLD, 0), 3 * pg, "MADV_COLD: bytes advised");
	CHECK_RET(syscall(SYS_process_madvise, self, iov, 2, MADV_PAGEOUT, 0), 3 * pg, "MADV_PAGEOUT");
	CHECK(p[0] == 42, "the data survives", "%d", p[0]);
	CHECK_RET(syscall(SYS_process_madvise, self, iov, 2, MADV_WILLNEED, 0), 3 * pg, "MADV_WILLNEED");
	CHECK_RET(syscall(SYS_process_madvise, self, iov, 0, MADV_COLD, 0), 0, "no iovecs");
	CHECK_ERR(syscall(SYS_process_madvise, self, iov, 1, MADV_COLLAPSE, 0), EINVAL,
		  "MADV_COLLAPSE of a mapping too small for a huge page");
	CHECK_ERR(syscall(SYS_process_madvise, self, iov, 1, MADV_DONTNEED, 0), EINVAL, "MADV_DONTNEED");
	CHECK_ERR(syscall(SYS_process_madvise, self, iov, 1, MADV_COLD, 1), EINVAL, "flags");
	CHECK_ERR(syscall(SYS_process_madvise, self, iov, 1025, MADV_COLD, 0), EINVAL, "past UIO_MAXIOV");
	CHECK_ERR(syscall(SYS_process_madvise, self, (void *)8, 1, MADV_COLD, 0), EFAULT, "bad iovec");
	CHECK_ERR(syscall(SYS_process_madvise, -1, iov, 1, MADV_COLD, 0), EBADF, "bad fd");
	CHECK(pipe(pfd) == 0, "pipe", "%s", strerror(errno));
	CHECK_ERR(syscall(SYS_process_madvise, pfd[0], iov, 1, MADV_COLD, 0), EBADF, "not a pidfd");
	CHECK_RET(syscall(SYS_process_madvise, self, bad, 2, MADV_COLD, 0), pg, "stops at a hole: bytes so far");
	CHECK_ERR(syscall(SYS_process_madvise, self, bad + 1, 1, MADV_COLD, 0), ENOMEM, "a hole first");
	bad[0].iov_base = p + 1;
	CHECK_ERR(syscall(SYS_process_madvise, self, bad, 1, MADV_COLD, 0), EINVAL, "unaligned");
	CHECK(mlock(p, pg) == 0, "mlock", "%s", strerror(errno));
	CHECK_ERR(syscall(SYS_process_madvise, self, iov, 1, MADV_PAGEOUT, 0), EINVAL, "locked pages");
	munlock(p, pg);
	CHECK(unprivileged(pmadvise_self) == EPERM, "needs CAP_SYS_NICE", "%d", unprivileged(pmadvise_self));

	/* Another process: its copy of the mapping. */
	child = fork();
	if (child == 0) {
		char c;

		close(pfd[1]);
		read(pfd[0], &c, 1);
		_exit(p[0] == 42 ? 0 : 1);
	}
	cfd = pidfd_of(child);
	CHECK_RET(syscall(SYS_process_madvise, cfd, iov, 2, MADV_PAGEOUT, 0), 3 * pg, "a child's memory");
	CHECK_ERR(syscall(SYS_process_mrelease, cfd, 0), EINVAL, "process_mrelease of a live process");
	CHECK_ERR(syscall(SYS_process_mrelease, cfd, 1), EINVAL, "process_mrelease flags");
	CHECK_ERR(syscall(SYS_process_mrelease, -1, 0), EBADF, "process_mrelease bad fd");
	CHECK_ERR(syscall(SYS_process_mrelease, pfd[0], 0), EBADF, "process_mrelease of no pidfd");
	kill(child, SIGKILL);
	{
		long r = syscall(SYS_process_mrelease, cfd, 0);
		int e = errno;

		CHECK(r == 0 || (r == -1 && e == ESRCH), "process_mrelease of a killed process",
		      "r %ld errno %d", r, e);
	}
	{
		siginfo_t si;

		waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT);
	}
	CHECK_ERR(syscall(SYS_process_mrelease, cfd, 0), ESRCH, "process_mrelease of a zombie");
	CHECK_ERR(syscall(SYS_process_madvise, cfd, iov, 1, MADV_COLD, 0), ESRCH, "process_madvise of a zombie");
	waitpid(child, NULL, 0);
	CHECK_ERR(syscall(SYS_process_madvise, cfd, iov, 1, MADV_COLD, 0), ESRCH, "process_madvise once reaped");
	close(cfd);
	close(self);
	close(pfd[0]);
	close(pfd[1]);
	munmap(p, 4 * pg);
}

static void fill_pages(char *p, int n, char base)
{
	for (int i = 0; i < n; i++)
		memset(p + i * pg, base + i, (size_t)pg);
}

static void test_remap(void)
{
	char path[] = "/tmp/t_mempolicy.XXXXXX";
	int fd = mkstemp(path);
	char buf[4 * 4096], c = 0, *f, *priv, *anon;

	unlink(path);
	fill_pages(buf, 4, 'A');
	CHECK_RET(write(fd, buf, 4 * pg), 4 * pg, "a file of 4 pages");
	f = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	priv = mmap(NULL, 2 * pg, PROT_READ, MAP_PRIVATE, fd, 0);
	anon = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK_RET(syscall(SYS_remap_file_pages, f, pg, 0, 2, 0), 0, "remap page 0 to file page 2");
	CHECK(f[0] == 'C' && f[pg] == 'B', "the file's page 2 is at the start now", "%c %c", f[0], f[pg]);
	f[0] = 'x';
	CHECK(pread(fd, &c, 1, 2 * pg) == 1 && c == 'x', "writes reach file page 2", "%c", c);
	CHECK_RET(syscall(SYS_remap_file_pages, f + pg + 5, pg, 0, 3, 0), 0, "start rounded down");
	CHECK(f[pg] == 'D', "page 1 shows file page 3", "%c", f[pg]);
	CHECK_ERR(syscall(SYS_remap_file_pages, f, pg, PROT_READ, 0, 0), EINVAL, "prot must be 0");
	CHECK_ERR(syscall(SYS_remap_file_pages, f, 0, 0, 0, 0), EINVAL, "size 0");
	CHECK_ERR(syscall(SYS_remap_file_pages, priv, pg, 0, 1, 0), EINVAL, "a private mapping");
	CHECK_ERR(syscall(SYS_remap_file_pages, f + 3 * pg, 2 * pg, 0, 0, 0), EINVAL, "past the mapping");
	CHECK_ERR(syscall(SYS_remap_file_pages, f, pg, 0, ~0UL, 0), EINVAL, "pgoff wraps");
	anon[0] = 'a';
	anon[pg] = 'b';
	CHECK_RET(syscall(SYS_remap_file_pages, anon, pg, 0, 1, 0), 0, "shared anonymous memory");
	CHECK(anon[0] == 'b', "page 1 of the object at the start", "%c", anon[0]);
	munmap(f, 4 * pg);
	munmap(priv, 2 * pg);
	munmap(anon, 2 * pg);
	close(fd);
}

int main(int argc, char **argv)
{
	pg = sysconf(_SC_PAGESIZE);
	if (argc > 1 && strcmp(argv[1], "exec-child") == 0) {
		int mode = -1;

		get_pol(&mode, NULL, 0, NULL, 0);
		return mode == M_INTERLEAVE ? 0 : 3;
	}
	check_init(argv[0]);
	test_set_get();
	test_inherit("/proc/self/exe");
	test_mbind();
	test_migrate();
	test_process_madvise();
	test_remap();
	return check_done();
}
