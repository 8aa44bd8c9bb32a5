// SPDX-License-Identifier: MPL-2.0
// The vDSO: found through AT_SYSINFO_EHDR, its dynamic symbols read here
// from its ELF tables (not through the C library), each function called
// and compared with the real syscall; [vvar] and [vdso] in /proc/self/maps;
// the mapping after fork, its mprotect/mremap/munmap rules, and the vDSO
// following clock_settime.
#include "check.h"
#include <elf.h>
#include <sched.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

typedef int (*gettime_fn)(clockid_t, struct timespec *);
typedef int (*gettimeofday_fn)(struct timeval *, void *);
typedef long (*time_fn)(long *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);

static uintptr_t base;
static const Elf64_Sym *symtab;
static const char *strtab;
static const Elf64_Versym *versym;
static const Elf64_Verdef *verdef;
static size_t nsyms;
static intptr_t bias;

/* The vDSO's dynamic tables, from its program headers. */
static int parse_vdso(void)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	int found_load = 0;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_type != ET_DYN)
		return -1;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !found_load) {
			bias = (intptr_t)base + (intptr_t)ph[i].p_offset - (intptr_t)ph[i].p_vaddr;
			found_load = 1;
		}
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const Elf64_Dyn *)(base + ph[i].p_offset);
	}
	if (!found_load || !dyn)
		return -1;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = (uintptr_t)(bias + (intptr_t)dyn->d_un.d_ptr);

		switch (dyn->d_tag) {
		case DT_SYMTAB: symtab = (const Elf64_Sym *)p; break;
		case DT_STRTAB: strtab = (const char *)p; break;
		case DT_HASH: nsyms = ((const Elf64_Word *)p)[1]; break;	/* nchain */
		case DT_VERSYM: versym = (const Elf64_Versym *)p; break;
		case DT_VERDEF: verdef = (const Elf64_Verdef *)p; break;
		}
	}
	return symtab && strtab && nsyms ? 0 : -1;
}

/* Does symbol i carry version `ver`? */
static int sym_has_version(size_t i, const char *ver)
{
	const Elf64_Verdef *d = verdef;
	unsigned idx;

	if (!versym || !verdef)
		return 0;
	idx = versym[i] & 0x7fff;
	for (;;) {
		if (d->vd_ndx == idx && !(d->vd_flags & VER_FLG_BASE)) {
			const Elf64_Verdaux *a = (const Elf64_Verdaux *)((const char *)d + d->vd_aux);

			return strcmp(strtab + a->vda_name, ver) == 0;
		}
		if (!d->vd_next)
			return 0;
		d = (const Elf64_Verdef *)((const char *)d + d->vd_next);
	}
}

/* A defined function symbol of the vDSO, version LINUX_2.6, or NULL. */
static void *vdso_sym(const char *name)
{
	for (size_t i = 1; i < nsyms; i++) {
		const Elf64_Sym *s = &symtab[i];

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF)
			continue;
		if (strcmp(strtab + s->st_name, name) || !sym_has_version(i, "LINUX_2.6"))
			continue;
		return (void *)(bias + (intptr_t)s->st_value);
	}
	return NULL;
}

static long long ts_ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void sys_time(clockid_t id, struct timespec *t)
{
	syscall(SYS_clock_gettime, id, t);
}

static void test_symbols(void)
{
	static const char *const names[] = { "clock_gettime", "gettimeofday", "time", "getcpu",
					     "clock_getres" };
	char vname[64];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		void *plain = vdso_sym(names[i]), *v;

		snprintf(vname, sizeof(vname), "__vdso_%s", names[i]);
		v = vdso_sym(vname);
		CHECK(v != NULL, vname, "%s@LINUX_2.6 not found", vname);
		CHECK(plain == v, names[i], "%s is %p, __vdso_%s %p", names[i], plain, names[i], v);
	}
}

static void test_clock_gettime(gettime_fn fn)
{
	static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME,
					    CLOCK_TAI, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE };
	static const char *const names[] = { "REALTIME", "MONOTONIC", "BOOTTIME", "TAI",
					     "REALTIME_COARSE", "MONOTONIC_COARSE" };
	struct timespec a, v, b;
	char d[96];
	int bad = 0, r;

	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		sys_time(clocks[i], &a);
		r = fn(clocks[i], &v);
		sys_time(clocks[i], &b);
		snprintf(d, sizeof(d), "vdso clock_gettime(%s) between two syscalls", names[i]);
		CHECK(r == 0 && ts_ns(&a) <= ts_ns(&v) && ts_ns(&v) <= ts_ns(&b), d,
		      "ret %d: %lld <= %lld <= %lld", r, ts_ns(&a), ts_ns(&v), ts_ns(&b));
		CHECK(v.tv_nsec >= 0 && v.tv_nsec < 1000000000, "tv_nsec in range", "%ld", v.tv_nsec);
	}
	/* Alternating the two for a while: the monotonic clock never steps back. */
	sys_time(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 20000 && !bad; i++) {
		if (i % 2)
			sys_time(CLOCK_MONOTONIC, &b);
		else
			fn(CLOCK_MONOTONIC, &b);
		if (ts_ns(&b) < ts_ns(&a))
			bad = i + 1;
		a = b;
	}
	CHECK(!bad, "monotonic never goes back across vdso and syscall", "at step %d", bad);
	/* The CPU-time clocks and bad ids take the syscall: its value, its errno. */
	sys_time(CLOCK_PROCESS_CPUTIME_ID, &a);
	CHECK(fn(CLOCK_PROCESS_CPUTIME_ID, &v) == 0 && ts_ns(&v) >= ts_ns(&a),
	      "vdso clock_gettime(PROCESS_CPUTIME_ID) via the syscall", "%lld < %lld", ts_ns(&v),
	      ts_ns(&a));
	CHECK(fn(CLOCK_THREAD_CPUTIME_ID, &v) == 0, "vdso clock_gettime(THREAD_CPUTIME_ID)",
	      "failed");
	r = fn(100, &v);
	CHECK(r == -EINVAL, "vdso clock_gettime(100) is -EINVAL (syscall fallback)", "%d", r);
	r = fn(-1 << 3 | 3, &v);	/* a CPU clock of an invalid kind */
	CHECK(r == -EINVAL, "vdso clock_gettime(bad CPU clock) is -EINVAL", "%d", r);
}

static void test_clock_getres(gettime_fn fn)
{
	static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME,
					    CLOCK_TAI, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE,
					    CLOCK_PROCESS_CPUTIME_ID };
	struct timespec s, v;
	int same = 1;

	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		syscall(SYS_clock_getres, clocks[i], &s);
		if (fn(clocks[i], &v) != 0 || ts_ns(&s) != ts_ns(&v)) {
			same = 0;
			check_printf("# clock %d: syscall %lld vdso %lld\n", clocks[i], ts_ns(&s),
				     ts_ns(&v));
		}
	}
	CHECK(same, "vdso clock_getres agrees with the syscall", "see above");
	CHECK(fn(CLOCK_MONOTONIC, NULL) == 0, "vdso clock_getres(MONOTONIC, NULL)", "failed");
	CHECK(fn(100, &v) == -EINVAL, "vdso clock_getres(100) is -EINVAL", "failed");
}

static void test_gettimeofday_time(gettimeofday_fn gtod, time_fn tfn)
{
	struct timeval a, v, b;
	struct timezone tz;
	long t1, t2, tv;
	int r;

	syscall(SYS_gettimeofday, &a, NULL);
	r = gtod(&v, NULL);
	syscall(SYS_gettimeofday, &b, NULL);
	CHECK(r == 0 && (a.tv_sec * 1000000LL + a.tv_usec) <= (v.tv_sec * 1000000LL + v.tv_usec) &&
	      (v.tv_sec * 1000000LL + v.tv_usec) <= (b.tv_sec * 1000000LL + b.tv_usec),
	      "vdso gettimeofday between two syscalls", "ret %d %ld.%06ld", r, v.tv_sec, v.tv_usec);
	CHECK(gtod(&v, &tz) == 0, "vdso gettimeofday with a timezone", "failed");
	CHECK(gtod(NULL, NULL) == 0, "vdso gettimeofday(NULL, NULL)", "failed");
	t1 = syscall(SYS_time, NULL);
	tv = tfn(NULL);
	t2 = syscall(SYS_time, NULL);
	CHECK(t1 <= tv && tv <= t2, "vdso time between two syscalls", "%ld %ld %ld", t1, tv, t2);
	tv = 0;
	t1 = tfn(&tv);
	CHECK(t1 == tv && t1 > 0, "vdso time(&t) stores its result", "%ld %ld", t1, tv);
}

static void test_getcpu(getcpu_fn fn)
{
	unsigned cpu = 99, node = 99, scpu = 98, snode = 98;
	cpu_set_t set;
	long r;

	/* Stay on one CPU so that the two answers must agree. */
	syscall(SYS_getcpu, &scpu, &snode, NULL);
	CPU_ZERO(&set);
	CPU_SET(scpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	syscall(SYS_getcpu, &scpu, &snode, NULL);
	r = fn(&cpu, &node, NULL);
	CHECK(r == 0 && cpu == scpu && node == snode, "vdso getcpu agrees with the syscall",
	      "ret %ld cpu %u/%u node %u/%u", r, cpu, scpu, node, snode);
	CHECK(fn(NULL, NULL, NULL) == 0, "vdso getcpu(NULL, NULL)", "failed");
	CPU_ZERO(&set);
	for (int i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* The first /proc/self/maps line naming `name`: its range and permissions (0 if none). */
static unsigned long map_of(const char *name, unsigned long *end, char perm[5])
{
	static char buf[65536];
	unsigned long s = 0;
	char *line;

	*end = 0;
	perm[0] = 0;
	check_read_file("/proc/self/maps", buf, sizeof(buf));
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		size_t n = strlen(line), k = strlen(name);

		if (n >= k && !strcmp(line + n - k, name) && line[n - k - 1] == ' ') {
			sscanf(line, "%lx-%lx %4s", &s, end, perm);
			break;
		}
	}
	return s;
}

/*
 * The [vvar] and [vdso] lines: Linux's order and permissions ([vvar] below
 * [vdso], next to it on 6.1; newer kernels put [vvar_vclock] between).
 */
static void test_maps(const char *who)
{
	unsigned long vs, ve, ds, de;
	char vperm[5], dperm[5], d[80];

	ds = map_of("[vdso]", &de, dperm);
	vs = map_of("[vvar]", &ve, vperm);
	snprintf(d, sizeof(d), "%s: [vdso] r-xp at AT_SYSINFO_EHDR", who);
	CHECK(ds == getauxval(AT_SYSINFO_EHDR) && !strcmp(dperm, "r-xp"), d, "%lx %s vs %lx", ds,
	      dperm, getauxval(AT_SYSINFO_EHDR));
	snprintf(d, sizeof(d), "%s: [vvar] r--p just below [vdso]", who);
	CHECK(vs && vs < ve && ve <= ds && ds - ve <= 4 * 4096 && !strcmp(vperm, "r--p"), d,
	      "%lx-%lx %s, [vdso] at %lx", vs, ve, vperm, ds);
}

/* In a child: fn still works, the maps are there. */
static void test_fork(gettime_fn fn)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		struct timespec a, v;

		sys_time(CLOCK_MONOTONIC, &a);
		test_maps("fork child");
		_exit(fn(CLOCK_MONOTONIC, &v) == 0 && ts_ns(&v) >= ts_ns(&a) && !check_failed ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the vDSO works in a fork child", "status %#x",
	      st);
}

/*
 * mprotect, mremap and munmap as Linux allows them, in children: a special
 * mapping is never split (EINVAL), never grows (EFAULT); [vvar] cannot be
 * made writable (EACCES), [vdso] can (a private copy); all of it unmaps.
 */
static void test_mapping_rules(void)
{
	uintptr_t vdso = getauxval(AT_SYSINFO_EHDR), vvar, vvar_end, vdso_end;
	unsigned char before = *(volatile unsigned char *)(vdso + 8);	/* e_ident padding */
	size_t len;
	char perm[5];
	pid_t pid;
	int st = 0;

	map_of("[vdso]", &vdso_end, perm);
	vvar = map_of("[vvar]", &vvar_end, perm);
	len = vdso_end - vdso;
	CHECK_ERR(mprotect((void *)vvar, vvar_end - vvar, PROT_READ | PROT_WRITE), EACCES,
		  "mprotect([vvar], PROT_WRITE) is EACCES");
	CHECK_ERR(mremap((void *)vdso, len, len + 64 * 4096, 0), EFAULT,
		  "mremap growing [vdso] is EFAULT");
	if (len > 4096) {
		CHECK_ERR(munmap((void *)vdso, 4096), EINVAL, "munmap of part of [vdso] is EINVAL");
		CHECK_ERR(mprotect((void *)vdso, 4096, PROT_READ), EINVAL,
			  "mprotect of part of [vdso] is EINVAL");
	} else {
		check_skip("part of [vdso]", "a one-page vDSO (ktest vmar_special_mapping_rules)");
	}
	/* The vDSO may be made writable (debuggers do): the write copies the page. */
	pid = fork();
	if (pid == 0) {
		if (mprotect((void *)vdso, len, PROT_READ | PROT_WRITE | PROT_EXEC))
			_exit(2);
		*(volatile unsigned char *)(vdso + 8) = (unsigned char)(before + 1);
		_exit(*(volatile unsigned char *)(vdso + 8) == (unsigned char)(before + 1) ? 0 : 3);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a child writes its vDSO after mprotect",
	      "status %#x", st);
	CHECK(*(volatile unsigned char *)(vdso + 8) == before, "the parent's vDSO is unchanged",
	      "byte %u", *(volatile unsigned char *)(vdso + 8));
	/* munmap works on Linux; afterwards no [vdso] line (no time calls here). */
	pid = fork();
	if (pid == 0) {
		unsigned long end;
		char perm[5];

		if (munmap((void *)vdso, len))
			_exit(2);
		_exit(map_of("[vdso]", &end, perm) ? 3 : 0);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "munmap of the whole vDSO works",
	      "status %#x", st);
}

/* clock_settime moves the vDSO's realtime clock too (root only). */
static void test_settime(gettime_fn fn)
{
	struct timespec now, set, v;

	sys_time(CLOCK_REALTIME, &now);
	set = now;
	set.tv_sec += 1000;
	if (syscall(SYS_clock_settime, CLOCK_REALTIME, &set)) {
		check_skip("vdso sees clock_settime", "not allowed to set the clock");
		return;
	}
	fn(CLOCK_REALTIME, &v);
	sys_time(CLOCK_REALTIME, &now);
	now.tv_sec -= 1000;
	syscall(SYS_clock_settime, CLOCK_REALTIME, &now);
	CHECK(ts_ns(&v) >= ts_ns(&set) && ts_ns(&v) < ts_ns(&set) + 10000000000LL,
	      "vdso sees clock_settime", "%lld vs %lld", ts_ns(&v), ts_ns(&set));
	fn(CLOCK_REALTIME_COARSE, &v);
	sys_time(CLOCK_REALTIME, &now);
	CHECK(ts_ns(&v) <= ts_ns(&now) + 1000000 && ts_ns(&v) > ts_ns(&now) - 500000000LL,
	      "vdso REALTIME_COARSE follows the restored clock", "%lld vs %lld", ts_ns(&v),
	      ts_ns(&now));
	/* settimeofday, back 2000 s, and forward again. */
	{
		struct timeval tv;

		syscall(SYS_gettimeofday, &tv, NULL);
		tv.tv_sec -= 2000;
		syscall(SYS_settimeofday, &tv, NULL);
		fn(CLOCK_REALTIME, &v);
		syscall(SYS_gettimeofday, &tv, NULL);
		tv.tv_sec += 2000;
		syscall(SYS_settimeofday, &tv, NULL);
		CHECK(v.tv_sec <= tv.tv_sec - 2000 + 1 && v.tv_sec >= tv.tv_sec - 2000 - 10,
		      "vdso sees settimeofday", "%ld vs %ld", (long)v.tv_sec, (long)tv.tv_sec);
	}
}

int main(int argc, char **argv)
{
	gettime_fn gettime, getres;

	check_init(argv[0]);
	base = getauxval(AT_SYSINFO_EHDR);
	if (!CHECK(base != 0, "AT_SYSINFO_EHDR is in the auxiliary vector", "0"))
		return check_done();
	if (!CHECK(parse_vdso() == 0, "the vDSO's dynamic symbol table", "not an ELF DSO"))
		return check_done();
	test_symbols();
	gettime = (gettime_fn)vdso_sym("__vdso_clock_gettime");
	getres = (gettime_fn)vdso_sym("__vdso_clock_getres");
	if (gettime && getres && vdso_sym("__vdso_getcpu") && vdso_sym("__vdso_time")) {
		test_clock_gettime(gettime);
		test_clock_getres(getres);
		test_gettimeofday_time((gettimeofday_fn)vdso_sym("__vdso_gettimeofday"),
				       (time_fn)vdso_sym("__vdso_time"));
		test_getcpu((getcpu_fn)vdso_sym("__vdso_getcpu"));
		test_maps("parent");
		test_fork(gettime);
		test_mapping_rules();
		test_settime(gettime);
	}
	(void)argc;
	return check_done();
}
