// SPDX-License-Identifier: MPL-2.0
// Core dumps: a child killed by a signal whose default action dumps core
// writes an ELF core file named by /proc/sys/kernel/core_pattern in its
// directory (a tmpfs of our own), and wait reports WCOREDUMP; the file is
// parsed here with <elf.h> and <sys/procfs.h>: the notes (NT_PRSTATUS per
// thread, NT_PRPSINFO, NT_SIGINFO, NT_AUXV, NT_FILE, NT_FPREGSET) and the
// PT_LOAD holding a marker the child wrote into its heap.  RLIMIT_CORE 0,
// an undumpable process, a read-only directory and a pipe pattern give no
// core; coredump_filter without anonymous memory leaves the heap out; a
// full file system or a small RLIMIT_CORE cut the file short.  The
// settings are restored at the end.
#include "check.h"
#include <elf.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/procfs.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define DIR_PATH	"/tmp/t_core.d"
#define RO_PATH		"/tmp/t_core.ro"
#define FULL_PATH	"/tmp/t_core.full"
#define SPARSE_PATH	"/tmp/t_core.sparse"
#define PATTERN		"/proc/sys/kernel/core_pattern"
#define USES_PID	"/proc/sys/kernel/core_uses_pid"
#define MARK_LEN	48
#define SPARSE_LEN	(1UL << 30)	/* a large mapping with two pages touched */
#define SPARSE_MARK	(SPARSE_LEN / 2 + 123)
#define BIG_LEN		(32UL << 20)	/* touched all over: a dump that takes a while */

static char comm[32];
static char saved_pattern[256], saved_uses_pid[32];
static char *heap_buf;
static char *sparse;
static char *ddpage;		/* one page the child marks MADV_DONTDUMP */

struct core {
	unsigned char *data;
	size_t len;
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
};

/* A marker no binary holds: built at run time from the child's pid. */
static void make_marker(char *m, pid_t pid)
{
	snprintf(m, MARK_LEN, "core-marker-%d-%d-end", (int)pid, (int)pid * 7 + 3);
}

/* What each child does before it dies. */
enum how { PLAIN, NO_LIMIT, UNDUMPABLE, NO_ANON, THREADS, SMALL_LIMIT, SPARSE, BIG, DONTDUMP };

static void *spin(void *arg)
{
	(void)arg;
	for (volatile unsigned long i = 0;; i++)
		;
	return NULL;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* Mappings that come and go while the process dumps (it stops this thread first). */
static void *remapper(void *arg)
{
	(void)arg;
	for (;;) {
		void *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED) {
			memset(p, 1, 4096);
			munmap(p, 1 << 20);
		}
	}
	return NULL;
}

static void child(enum how how)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	char m[MARK_LEN];
	pthread_t th;

	if (how == NO_LIMIT)
		rl.rlim_cur = 0;
	if (how == SMALL_LIMIT)
		rl.rlim_cur = 8192;
	if (setrlimit(RLIMIT_CORE, &rl))
		_exit(90);
	if (how == UNDUMPABLE && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		_exit(91);
	if (how == NO_ANON && check_write_file("/proc/self/coredump_filter", "0x32"))
		_exit(92);
	if (how == THREADS && (pthread_create(&th, NULL, spin, NULL) || pthread_create(&th, NULL, sleeper, NULL) ||
			       pthread_create(&th, NULL, remapper, NULL)))
		_exit(93);
	if (how == BIG) {
		char *big = malloc(BIG_LEN);

		if (!big)
			_exit(94);
		memset(big, 0x5a, BIG_LEN);
	}
	make_marker(m, getpid());
	/* Byte by byte: the marker is then in the heap and nowhere else in memory. */
	for (int i = 0; i < MARK_LEN; i++)
		((volatile char *)heap_buf)[i] = m[i];
	if (how == DONTDUMP) {
		memcpy(ddpage, heap_buf, MARK_LEN);
		if (madvise(ddpage, 4096, MADV_DONTDUMP))
			_exit(95);
	}
	if (how == SPARSE) {
		sparse[0] = 1;
		for (int i = 0; i < MARK_LEN; i++)
			((volatile char *)sparse)[SPARSE_MARK + i] = heap_buf[i];
	}
	memset(m, 0, sizeof(m));
	if (how == THREADS)
		usleep(100000);		/* the threads run (and one spins) */
	abort();
}

/* Fork a child that dies as how says: its pid, and its wait status in *status. */
static pid_t run_child(enum how how, int *status)
{
	pid_t pid = fork();

	if (pid == 0)
		child(how);
	*status = 0;
	if (pid > 0 && waitpid(pid, status, 0) != pid)
		return -1;
	return pid;
}

static int load_core(const char *name, struct core *c)
{
	struct stat st;
	int fd = open(name, O_RDONLY);

	memset(c, 0, sizeof(*c));
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		close(fd);
		return -1;
	}
	c->len = (size_t)st.st_size;
	c->data = malloc(c->len);
	if (!c->data || pread(fd, c->data, c->len, 0) != (ssize_t)c->len) {
		close(fd);
		free(c->data);
		return -1;
	}
	close(fd);
	c->eh = (const Elf64_Ehdr *)c->data;
	if (c->eh->e_phoff + (size_t)c->eh->e_phnum * sizeof(Elf64_Phdr) > c->len)
		return -1;
	c->ph = (const Elf64_Phdr *)(c->data + c->eh->e_phoff);
	return 0;
}

/* Call fn for each note of the PT_NOTE segment; the number of notes. */
static int for_each_note(const struct core *c, void (*fn)(const Elf64_Nhdr *, const char *, const void *, void *),
			 void *arg)
{
	int count = 0;

	for (int i = 0; i < c->eh->e_phnum; i++) {
		const Elf64_Phdr *p = &c->ph[i];
		size_t off, end;

		if (p->p_type != PT_NOTE || p->p_offset + p->p_filesz > c->len)
			continue;
		off = p->p_offset;
		end = off + p->p_filesz;
		while (off + sizeof(Elf64_Nhdr) <= end) {
			const Elf64_Nhdr *n = (const Elf64_Nhdr *)(c->data + off);
			size_t name = off + sizeof(*n), desc = name + ((n->n_namesz + 3) & ~3u);

			if (desc + n->n_descsz > end)
				break;
			fn(n, (const char *)c->data + name, c->data + desc, arg);
			count++;
			off = desc + ((n->n_descsz + 3) & ~3u);
		}
	}
	return count;
}

struct notes {
	int prstatus, prpsinfo, siginfo, auxv, file, fpregset;
	pid_t pids[8];
	int cursig, info_signo, pr_sig;
	char fname[17];
	pid_t ps_pid;
	int siginfo_signo;
	unsigned long pagesz, file_count;
};

static void note_cb(const Elf64_Nhdr *n, const char *name, const void *desc, void *arg)
{
	struct notes *ns = arg;

	if (strcmp(name, "CORE"))
		return;
	if (n->n_type == NT_PRSTATUS && n->n_descsz == sizeof(struct elf_prstatus)) {
		struct elf_prstatus ps;

		memcpy(&ps, desc, sizeof(ps));
		if (ns->prstatus == 0) {
			ns->cursig = ps.pr_cursig;
			ns->info_signo = ps.pr_info.si_signo;
		}
		if (ns->prstatus < 8)
			ns->pids[ns->prstatus] = ps.pr_pid;
		ns->prstatus++;
	} else if (n->n_type == NT_PRPSINFO && n->n_descsz == sizeof(struct elf_prpsinfo)) {
		struct elf_prpsinfo ps;

		memcpy(&ps, desc, sizeof(ps));
		memcpy(ns->fname, ps.pr_fname, 16);
		ns->ps_pid = ps.pr_pid;
		ns->prpsinfo++;
	} else if (n->n_type == NT_SIGINFO && n->n_descsz == sizeof(siginfo_t)) {
		siginfo_t si;

		memcpy(&si, desc, sizeof(si));
		ns->siginfo_signo = si.si_signo;
		ns->siginfo++;
	} else if (n->n_type == NT_AUXV) {
		const unsigned char *p = desc;

		for (size_t i = 0; i + 16 <= n->n_descsz; i += 16) {
			unsigned long kv[2];

			memcpy(kv, p + i, 16);
			if (kv[0] == AT_PAGESZ)
				ns->pagesz = kv[1];
		}
		ns->auxv++;
	} else if (n->n_type == NT_FILE && n->n_descsz >= 16) {
		memcpy(&ns->file_count, desc, 8);
		ns->file++;
	} else if (n->n_type == NT_FPREGSET && n->n_descsz == 512) {
		ns->fpregset++;
	}
}

/* The bytes the core holds at addr (NULL: none), with their count in *avail. */
static const unsigned char *core_at(const struct core *c, unsigned long addr, size_t *avail,
				    const Elf64_Phdr **seg)
{
	for (int i = 0; i < c->eh->e_phnum; i++) {
		const Elf64_Phdr *p = &c->ph[i];

		if (p->p_type != PT_LOAD || addr < p->p_vaddr || addr >= p->p_vaddr + p->p_memsz)
			continue;
		*seg = p;
		if (addr - p->p_vaddr >= p->p_filesz || p->p_offset + p->p_filesz > c->len)
			return NULL;
		*avail = p->p_filesz - (addr - p->p_vaddr);
		return c->data + p->p_offset + (addr - p->p_vaddr);
	}
	*seg = NULL;
	return NULL;
}

/* Is the marker in any PT_LOAD's contents? */
static bool marker_in_loads(const struct core *c, const char *m)
{
	size_t ml = strlen(m);

	for (int i = 0; i < c->eh->e_phnum; i++) {
		const Elf64_Phdr *p = &c->ph[i];

		if (p->p_type != PT_LOAD || !p->p_filesz || p->p_offset + p->p_filesz > c->len)
			continue;
		if (memmem(c->data + p->p_offset, p->p_filesz, m, ml))
			return true;
	}
	return false;
}

static void core_name(char *buf, size_t size, pid_t pid)
{
	snprintf(buf, size, "%s.%d", comm, (int)pid);
}

static void test_plain(void)
{
	char name[64], m[MARK_LEN], why[64];
	struct notes ns = { 0 };
	const Elf64_Phdr *seg;
	struct core c;
	struct stat st;
	size_t avail = 0;
	const unsigned char *at;
	int status;
	pid_t pid = run_child(PLAIN, &status);

	CHECK(pid > 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "abort() kills the child",
	      "status %#x", status);
	CHECK(WCOREDUMP(status), "wait reports WCOREDUMP", "status %#x", status);
	core_name(name, sizeof(name), pid);
	if (!CHECK(stat(name, &st) == 0, "the core is named by core_pattern %e.%p", "no %s: %s", name,
		   strerror(errno)))
		return;
	CHECK(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600 && st.st_uid == getuid(),
	      "the core is a regular file, mode 0600, the dumper's", "mode %o uid %d", st.st_mode, (int)st.st_uid);
	if (!CHECK(load_core(name, &c) == 0, "the core reads", "%s", strerror(errno)))
		return;
	CHECK(!memcmp(c.eh->e_ident, ELFMAG, SELFMAG) && c.eh->e_ident[EI_CLASS] == ELFCLASS64 &&
	      c.eh->e_type == ET_CORE && c.eh->e_machine == EM_X86_64 && c.eh->e_phentsize == sizeof(Elf64_Phdr),
	      "ELF64 ET_CORE header for x86-64", "type %d machine %d", c.eh->e_type, c.eh->e_machine);
	CHECK(c.eh->e_phnum > 1 && c.ph[0].p_type == PT_NOTE, "the first program header is PT_NOTE",
	      "phnum %d type %d", c.eh->e_phnum, c.eh->e_phnum ? (int)c.ph[0].p_type : -1);
	for_each_note(&c, note_cb, &ns);
	CHECK(ns.prstatus == 1 && ns.pids[0] == pid, "one NT_PRSTATUS, with the child's pid",
	      "%d notes, pid %d (want %d)", ns.prstatus, (int)ns.pids[0], (int)pid);
	CHECK(ns.cursig == SIGABRT && ns.info_signo == SIGABRT, "NT_PRSTATUS has the signal",
	      "cursig %d si_signo %d", ns.cursig, ns.info_signo);
	snprintf(why, sizeof(why), "%.15s", comm);
	CHECK(ns.prpsinfo == 1 && !strcmp(ns.fname, why) && ns.ps_pid == pid, "NT_PRPSINFO has the name and pid",
	      "%d notes, fname '%s' pid %d", ns.prpsinfo, ns.fname, (int)ns.ps_pid);
	CHECK(ns.siginfo == 1 && ns.siginfo_signo == SIGABRT, "NT_SIGINFO has the signal", "%d notes, signo %d",
	      ns.siginfo, ns.siginfo_signo);
	CHECK(ns.auxv == 1 && ns.pagesz == 4096, "NT_AUXV holds AT_PAGESZ", "%d notes, %lu", ns.auxv, ns.pagesz);
	CHECK(ns.file == 1 && ns.file_count > 0, "NT_FILE lists the file mappings", "%d notes, count %lu", ns.file,
	      ns.file_count);
	CHECK(ns.fpregset == 1, "NT_FPREGSET is there", "%d notes", ns.fpregset);
	make_marker(m, pid);
	at = core_at(&c, (unsigned long)heap_buf, &avail, &seg);
	CHECK(at && avail >= MARK_LEN && !memcmp(at, m, strlen(m)), "the heap's PT_LOAD holds the child's marker",
	      "segment %s, %zu bytes there", seg ? "found" : "missing", avail);
	free(c.data);
	unlink(name);
}

/* waitid says CLD_DUMPED for a child that dumped core, with the signal as its status. */
static void test_waitid(void)
{
	char name[64];
	siginfo_t si;
	pid_t pid = fork();

	if (pid == 0)
		child(PLAIN);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, (id_t)pid, &si, WEXITED) == 0 && si.si_code == CLD_DUMPED && si.si_status == SIGABRT &&
	      si.si_pid == pid, "waitid: CLD_DUMPED, si_status SIGABRT", "code %d status %d", si.si_code,
	      si.si_status);
	core_name(name, sizeof(name), pid);
	unlink(name);
}

static void test_no_core(enum how how, const char *desc)
{
	char name[64];
	int status;
	pid_t pid = run_child(how, &status);

	CHECK(pid > 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT && !WCOREDUMP(status), desc,
	      "status %#x", status);
	core_name(name, sizeof(name), pid);
	CHECK(access(name, F_OK) == -1 && errno == ENOENT, "... and no core file", "%s is there", name);
	unlink(name);
}

static void test_no_anon(void)
{
	char name[64], m[MARK_LEN];
	const Elf64_Phdr *seg;
	struct core c;
	size_t avail = 0;
	int status;
	pid_t pid = run_child(NO_ANON, &status);

	CHECK(pid > 0 && WCOREDUMP(status), "coredump_filter 0x32: a core", "status %#x", status);
	core_name(name, sizeof(name), pid);
	if (!CHECK(load_core(name, &c) == 0, "... which reads", "%s: %s", name, strerror(errno)))
		return;
	make_marker(m, pid);
	CHECK(!core_at(&c, (unsigned long)heap_buf, &avail, &seg) && seg && seg->p_filesz == 0,
	      "... the heap's PT_LOAD has no contents", "segment %s, filesz %lu", seg ? "found" : "missing",
	      seg ? (unsigned long)seg->p_filesz : 0);
	CHECK(!marker_in_loads(&c, m), "... and the marker is nowhere in memory", "found");
	free(c.data);
	unlink(name);
}

/*
 * The marker in the middle of a 1 GiB mapping, dumped into a 64 MiB tmpfs:
 * only a sparse core fits.  Read where the core says, not all of it.
 */
static void check_sparse(pid_t pid, int status)
{
	char name[64], m[MARK_LEN], got[MARK_LEN];
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	struct stat st;
	unsigned long addr = (unsigned long)sparse + SPARSE_MARK;
	bool found = false;
	int fd;

	CHECK(pid > 0 && WCOREDUMP(status), "1 GiB mapping, two pages touched: a core", "status %#x", status);
	core_name(name, sizeof(name), pid);
	fd = open(name, O_RDONLY);
	if (!CHECK(fd >= 0 && fstat(fd, &st) == 0 && pread(fd, &eh, sizeof(eh), 0) == sizeof(eh), "... which reads",
		   "%s", strerror(errno))) {
		close(fd);
		return;
	}
	CHECK(st.st_size > (off_t)SPARSE_LEN, "... longer than the mapping (sparse in a 64 MiB tmpfs)",
	      "size %ld", (long)st.st_size);
	make_marker(m, pid);
	for (int i = 0; i < eh.e_phnum && !found; i++) {
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) != sizeof(ph))
			break;
		if (ph.p_type != PT_LOAD || addr < ph.p_vaddr || addr >= ph.p_vaddr + ph.p_memsz)
			continue;
		found = true;
		CHECK(ph.p_memsz == SPARSE_LEN && ph.p_filesz == SPARSE_LEN, "... its PT_LOAD covers it whole",
		      "memsz %lu filesz %lu", (unsigned long)ph.p_memsz, (unsigned long)ph.p_filesz);
		CHECK(pread(fd, got, MARK_LEN, (off_t)(ph.p_offset + addr - ph.p_vaddr)) == MARK_LEN &&
		      !memcmp(got, m, strlen(m)), "... and holds the marker", "not there");
	}
	CHECK(found, "... a PT_LOAD for the mapping", "none");
	close(fd);
	unlink(name);
}

static void test_sparse(void)
{
	int status;
	pid_t pid;

	if (!CHECK(mkdir(SPARSE_PATH, 0755) == 0 && mount("tmpfs", SPARSE_PATH, "tmpfs", 0, "size=64m") == 0 &&
		   chdir(SPARSE_PATH) == 0, "a 64 MiB tmpfs", "%s", strerror(errno)))
		return;
	pid = run_child(SPARSE, &status);
	check_sparse(pid, status);
	CHECK(chdir(DIR_PATH) == 0 && umount(SPARSE_PATH) == 0 && rmdir(SPARSE_PATH) == 0, "... cleaned up", "%s",
	      strerror(errno));
}

/*
 * SIGKILL in the middle of a dump stops it, and the process ends with
 * SIGKILL without WCOREDUMP (Linux's complete_signal and coredump_finish);
 * a dump that finished first ends with SIGABRT and WCOREDUMP.
 */
static void test_kill_dump(void)
{
	char name[64];
	struct stat st;
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		child(BIG);
	core_name(name, sizeof(name), pid);
	for (int i = 0; i < 5000 && stat(name, &st) != 0; i++)
		usleep(1000);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      ((WTERMSIG(status) == SIGKILL && !WCOREDUMP(status)) || (WTERMSIG(status) == SIGABRT && WCOREDUMP(status))),
	      "SIGKILL during a dump: it ends with SIGKILL, no WCOREDUMP", "status %#x", status);
	check_printf("# the kill came %s the dump ended\n", WTERMSIG(status) == SIGKILL ? "before" : "after");
	unlink(name);
}

static void test_dontdump(void)
{
	char name[64], m[MARK_LEN];
	const Elf64_Phdr *seg;
	struct core c;
	size_t avail = 0;
	const unsigned char *at;
	int status;
	pid_t pid = run_child(DONTDUMP, &status);

	CHECK(pid > 0 && WCOREDUMP(status), "MADV_DONTDUMP on a page: a core", "status %#x", status);
	core_name(name, sizeof(name), pid);
	if (!CHECK(load_core(name, &c) == 0, "... which reads", "%s: %s", name, strerror(errno)))
		return;
	make_marker(m, pid);
	CHECK(!core_at(&c, (unsigned long)ddpage, &avail, &seg) && seg && seg->p_filesz == 0 &&
	      seg->p_memsz == 4096, "... the page's PT_LOAD is empty", "segment %s, filesz %lu",
	      seg ? "found" : "missing", seg ? (unsigned long)seg->p_filesz : 0);
	at = core_at(&c, (unsigned long)heap_buf, &avail, &seg);
	CHECK(at && avail >= MARK_LEN && !memcmp(at, m, strlen(m)), "... the heap is still there", "not found");
	free(c.data);
	unlink(name);
	CHECK_ERR(madvise((void *)getauxval(AT_SYSINFO_EHDR), 4096, MADV_DODUMP), EINVAL,
		  "MADV_DODUMP on the vDSO: EINVAL");
}

static void test_threads(void)
{
	char name[64];
	struct notes ns = { 0 };
	struct core c;
	int status;
	pid_t pid = run_child(THREADS, &status);

	CHECK(pid > 0 && WIFSIGNALED(status) && WCOREDUMP(status), "three threads: a core", "status %#x", status);
	core_name(name, sizeof(name), pid);
	if (!CHECK(load_core(name, &c) == 0, "... which reads", "%s: %s", name, strerror(errno)))
		return;
	for_each_note(&c, note_cb, &ns);
	CHECK(ns.prstatus == 4, "... one NT_PRSTATUS per thread", "%d", ns.prstatus);
	CHECK(ns.pids[0] == pid && ns.pids[1] != pid && ns.pids[2] != pid && ns.pids[3] != pid &&
	      ns.pids[1] != ns.pids[2] && ns.pids[2] != ns.pids[3] && ns.pids[1] != ns.pids[3] &&
	      ns.pids[1] > 0 && ns.pids[2] > 0 && ns.pids[3] > 0,
	      "... the dumping thread first, then the others' tids", "%d %d %d %d", (int)ns.pids[0],
	      (int)ns.pids[1], (int)ns.pids[2], (int)ns.pids[3]);
	CHECK(ns.fpregset == 4, "... and an NT_FPREGSET each", "%d", ns.fpregset);
	free(c.data);
	unlink(name);
}

static void test_small_limit(void)
{
	char name[64];
	struct stat st;
	int status;
	pid_t pid = run_child(SMALL_LIMIT, &status);

	/* Linux reports the dump once it started, even when the limit cut the file. */
	CHECK(pid > 0 && WCOREDUMP(status), "RLIMIT_CORE 8192: WCOREDUMP", "status %#x", status);
	core_name(name, sizeof(name), pid);
	CHECK(stat(name, &st) == 0 && st.st_size > 0 && (st.st_blocks * 512 <= 8192 + 4096),
	      "... the core holds at most the limit", "size %ld blocks %ld", (long)st.st_size, (long)st.st_blocks);
	unlink(name);
}

/* The core goes to the cwd: a read-only one gets none, a full one a partial one. */
static void test_dirs(void)
{
	char name[64];
	struct stat st;
	int status;
	pid_t pid;

	if (!CHECK(mkdir(RO_PATH, 0755) == 0 && mount("tmpfs", RO_PATH, "tmpfs", MS_RDONLY, NULL) == 0,
		   "a read-only tmpfs", "%s", strerror(errno)))
		return;
	if (chdir(RO_PATH) == 0) {
		pid = run_child(PLAIN, &status);
		CHECK(pid > 0 && WTERMSIG(status) == SIGABRT && !WCOREDUMP(status),
		      "read-only directory: killed, no WCOREDUMP", "status %#x", status);
		core_name(name, sizeof(name), pid);
		CHECK(access(name, F_OK) == -1, "... and no core", "there is one");
	}
	CHECK(chdir(DIR_PATH) == 0 && umount(RO_PATH) == 0 && rmdir(RO_PATH) == 0, "... cleaned up", "%s",
	      strerror(errno));
	if (!CHECK(mkdir(FULL_PATH, 0755) == 0 && mount("tmpfs", FULL_PATH, "tmpfs", 0, "size=16k") == 0,
		   "a 16 KiB tmpfs", "%s", strerror(errno)))
		return;
	if (chdir(FULL_PATH) == 0) {
		pid = run_child(PLAIN, &status);
		CHECK(pid > 0 && WTERMSIG(status) == SIGABRT && WCOREDUMP(status),
		      "full file system: killed, the dump started (WCOREDUMP as Linux)", "status %#x", status);
		core_name(name, sizeof(name), pid);
		CHECK(stat(name, &st) == 0 && st.st_blocks * 512 <= 16384, "... a partial core", "%s",
		      strerror(errno));
		unlink(name);
	}
	CHECK(chdir(DIR_PATH) == 0 && umount(FULL_PATH) == 0 && rmdir(FULL_PATH) == 0, "... cleaned up", "%s",
	      strerror(errno));
}

/* An old core and a symlink in its place: both replaced, the symlink not followed. */
static void test_replace(void)
{
	struct stat st;
	int status;
	pid_t pid;

	CHECK(check_write_file(PATTERN, "symcore") == 0, "core_pattern without %p", "%s", strerror(errno));
	CHECK(symlink(DIR_PATH "/target", "symcore") == 0, "a symlink named like the core", "%s", strerror(errno));
	pid = run_child(PLAIN, &status);
	CHECK(pid > 0 && WCOREDUMP(status), "... a core", "status %#x", status);
	CHECK(lstat("symcore", &st) == 0 && S_ISREG(st.st_mode), "... replaces the symlink", "mode %o",
	      st.st_mode);
	CHECK(access("target", F_OK) == -1, "... which was not followed", "target exists");
	CHECK(check_write_file(USES_PID, "1") == 0, "core_uses_pid 1", "%s", strerror(errno));
	pid = run_child(PLAIN, &status);
	{
		char name[64];

		snprintf(name, sizeof(name), "symcore.%d", (int)pid);
		CHECK(WCOREDUMP(status) && access(name, F_OK) == 0, "... appends .PID", "no %s", name);
		unlink(name);
	}
	CHECK(check_write_file(USES_PID, "0") == 0, "core_uses_pid 0", "%s", strerror(errno));
	unlink("symcore");
	unlink("target");
	CHECK(check_write_file(PATTERN, "%e.%p") == 0, "core_pattern back to %e.%p", "%s", strerror(errno));
}

static void test_sysctls(void)
{
	char buf[256];

	CHECK(check_read_file(PATTERN, buf, sizeof(buf)) > 0 && !strcmp(buf, "%e.%p\n"), "core_pattern reads back",
	      "'%s'", buf);
	CHECK(check_read_file("/proc/sys/kernel/core_pipe_limit", buf, sizeof(buf)) > 0, "core_pipe_limit reads",
	      "%s", strerror(errno));
	CHECK(check_read_file("/proc/sys/fs/suid_dumpable", buf, sizeof(buf)) > 0 && buf[1] == '\n' &&
	      buf[0] >= '0' && buf[0] <= '2', "suid_dumpable reads 0-2", "'%s'", buf);
	CHECK_ERR(check_write_file("/proc/sys/fs/suid_dumpable", "3"), EINVAL, "suid_dumpable 3: EINVAL");
	CHECK_ERR(check_write_file(USES_PID, "x"), EINVAL, "core_uses_pid x: EINVAL");
	CHECK(check_read_file("/proc/self/coredump_filter", buf, sizeof(buf)) > 0 && !strcmp(buf, "00000033\n"),
	      "coredump_filter is 0x33 by default", "'%s'", buf);
	CHECK(check_write_file("/proc/self/coredump_filter", "0xfff") == 0 &&
	      check_read_file("/proc/self/coredump_filter", buf, sizeof(buf)) > 0 && !strcmp(buf, "000001ff\n"),
	      "coredump_filter keeps its 9 bits", "'%s'", buf);
	CHECK_ERR(check_write_file("/proc/self/coredump_filter", "junk"), EINVAL, "coredump_filter junk: EINVAL");
	CHECK_ERR(check_write_file("/proc/self/coredump_filter", " 0x33"), EINVAL,
		  "coredump_filter with a leading blank: EINVAL (kstrtouint)");
	CHECK_ERR(check_write_file("/proc/self/coredump_filter", "0x100000000"), ERANGE,
		  "coredump_filter beyond 32 bits: ERANGE");
	CHECK(check_write_file("/proc/self/coredump_filter", "0x33") == 0, "coredump_filter back to 0x33", "%s",
	      strerror(errno));
	CHECK_RET(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1, "PR_GET_DUMPABLE: 1");
}

/*
 * A change of effective or file-system ids makes a process undumpable
 * (so no core, and no ptrace by the new user), unless fs.suid_dumpable is
 * 1.  Child exit code: 0, or the step that failed.
 */
static int setid_child(int how)
{
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 1)
		return 1;
	switch (how) {
	case 0:
		if (setresuid(65534, 65534, 65534) != 0)
			return 2;
		break;
	case 1:
		setfsuid(1000);
		break;
	case 2:
		if (setgid(100) != 0)
			return 2;
		break;
	case 3:
		if (setresuid(0, 0, 0) != 0)	/* no change */
			return 2;
		break;
	}
	return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == (how == 3 ? 1 : 0) ? 0 : 3;
}

static void test_setid_dumpable(void)
{
	static const char *const what[] = { "setresuid to nobody", "setfsuid", "setgid", "setresuid to the same ids" };
	char saved[16] = "0\n";
	int st;

	check_read_file("/proc/sys/fs/suid_dumpable", saved, sizeof(saved));
	CHECK(check_write_file("/proc/sys/fs/suid_dumpable", "0") == 0, "suid_dumpable 0", "%s", strerror(errno));
	for (int how = 0; how < 4; how++) {
		pid_t c = fork();

		if (c == 0)
			_exit(setid_child(how));
		CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      how == 3 ? "no id change: still dumpable" : "an id change makes the process undumpable",
		      "%s: step %d (status %#x)", what[how], WIFEXITED(st) ? WEXITSTATUS(st) : -1, st);
	}
	CHECK(check_write_file("/proc/sys/fs/suid_dumpable", "1") == 0, "suid_dumpable 1", "%s", strerror(errno));
	pid_t c = fork();

	if (c == 0)
		_exit(setid_child(0) == 3 && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1 ? 0 : 1);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "suid_dumpable 1: the process stays dumpable across setuid", "status %#x", st);
	check_write_file("/proc/sys/fs/suid_dumpable", saved);
}

/* The other % specifiers: %% %s %u %g %c %i %P %f %E, an unknown one dropped. */
static void test_specifiers(void)
{
	char exe[256], esc[256], want[600];
	int status;
	pid_t pid;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (!CHECK(n > 0, "readlink /proc/self/exe", "%s", strerror(errno)))
		return;
	exe[n] = 0;
	for (ssize_t i = 0; i <= n; i++)
		esc[i] = exe[i] == '/' ? '!' : exe[i];
	CHECK(check_write_file(PATTERN, "c-%%-%s-%u-%g-%c-%i.%P-%f-%E-%y") == 0, "core_pattern with every specifier",
	      "%s", strerror(errno));
	pid = run_child(PLAIN, &status);
	snprintf(want, sizeof(want), "c-%%-%d-%u-%u-%lu-%d.%d-%s-%s-", SIGABRT, (unsigned)getuid(), (unsigned)getgid(),
		 (unsigned long)RLIM_INFINITY, (int)pid, (int)pid, strrchr(exe, '/') + 1, esc);
	CHECK(WCOREDUMP(status) && access(want, F_OK) == 0, "... expands as Linux", "no '%s'", want);
	unlink(want);
	CHECK(check_write_file(PATTERN, "%e.%p") == 0, "core_pattern back to %e.%p", "%s", strerror(errno));
}

/* A pipe pattern: we cannot start a helper, and write no core (Linux runs the helper). */
static void test_pipe(void)
{
	int status;
	pid_t pid;

	CHECK(check_write_file(PATTERN, "|/nonexistent/helper %p") == 0, "a pipe core_pattern", "%s",
	      strerror(errno));
	pid = run_child(PLAIN, &status);
	/* Linux: the helper cannot be started, so no dump either. */
	CHECK(pid > 0 && WTERMSIG(status) == SIGABRT && !WCOREDUMP(status), "... a missing helper: no WCOREDUMP",
	      "status %#x", status);
	CHECK(check_write_file(PATTERN, "%e.%p") == 0, "core_pattern back to %e.%p", "%s", strerror(errno));
}

/*
 * "t_core crash": die of SIGSEGV two calls deep, for aster.shell/coredump.exp,
 * which opens the core with gdb on the host and looks for these frames.
 */
__attribute__((noinline)) void core_crash_leaf(volatile int *p)
{
	*p = 42;
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void core_crash_mid(volatile int *p)
{
	core_crash_leaf(p);
	__asm__ volatile("" ::: "memory");	/* no tail call: the frame stays */
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "crash")) {
		core_crash_mid((volatile int *)(unsigned long)(argc - 2));
		return 1;
	}
	check_init(argv[0]);
	if (getuid() != 0) {
		check_skip("core dumps", "needs root for core_pattern");
		return check_done();
	}
	heap_buf = malloc(4096);
	sparse = mmap(NULL, SPARSE_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ddpage = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sparse == MAP_FAILED || ddpage == MAP_FAILED)
		return 1;
	if (check_read_file("/proc/self/comm", comm, sizeof(comm)) <= 0)
		return 1;
	comm[strcspn(comm, "\n")] = 0;
	check_read_file(PATTERN, saved_pattern, sizeof(saved_pattern));
	check_read_file(USES_PID, saved_uses_pid, sizeof(saved_uses_pid));
	CHECK(check_write_file(PATTERN, "%e.%p") == 0, "core_pattern %e.%p", "%s", strerror(errno));
	CHECK(check_write_file(USES_PID, "0") == 0, "core_uses_pid 0", "%s", strerror(errno));
	if (!CHECK(mkdir(DIR_PATH, 0755) == 0 && mount("tmpfs", DIR_PATH, "tmpfs", 0, NULL) == 0 &&
		   chdir(DIR_PATH) == 0, "a tmpfs to dump in", "%s", strerror(errno)))
		goto out;
	test_sysctls();
	test_setid_dumpable();
	test_plain();
	test_waitid();
	test_no_core(NO_LIMIT, "RLIMIT_CORE 0: killed, no WCOREDUMP");
	test_no_core(UNDUMPABLE, "PR_SET_DUMPABLE 0: killed, no WCOREDUMP");
	test_no_anon();
	test_threads();
	test_sparse();
	test_dontdump();
	test_kill_dump();
	test_small_limit();
	test_replace();
	test_specifiers();
	test_pipe();
	test_dirs();
	CHECK(chdir("/") == 0 && umount(DIR_PATH) == 0, "the tmpfs unmounts", "%s", strerror(errno));
out:
	rmdir(DIR_PATH);
	check_write_file(PATTERN, saved_pattern);
	check_write_file(USES_PID, saved_uses_pid);
	return check_done();
}
