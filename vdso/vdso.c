// SPDX-License-Identifier: MPL-2.0
// The vDSO: clock_gettime, gettimeofday, time, clock_getres and getcpu
// answered in user mode from the vvar page (aster/vvar.h), mapped by exec
// into every process (kernel/exec/vdso.c).  This is user code, built as a
// shared object with the host compiler and embedded in the kernel as data:
// it is not part of the trusted base.  Clocks it cannot answer (CPU-time
// clocks, bad ids) and an unusable counter take the real syscall, so the
// caller sees the syscall's result and errno, as with Linux's vDSO.
#include <aster/vvar.h>
#include "uapi/time.h"

enum {
#define SYSCALL_NAME(nr, name) NR_##name = nr,
#include "syscall/syscall_names.def"
#undef SYSCALL_NAME
};

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_USEC	1000ULL

/* The vvar page, just below the vDSO's first page (vdso.lds; exec maps them so). */
extern const struct vvar_data vvar_page __attribute__((visibility("hidden")));

/* Volatile: the kernel rewrites the page under us (vvar_read_begin). */
static const volatile struct vvar_data *vvar(void)
{
	return &vvar_page;
}

static long syscall2(long nr, long a, long b)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return ret;
}

static long syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

/* rdtsc after earlier loads complete (Linux's rdtsc_ordered), so time never steps back. */
static uint64_t counter(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* The clock in nanoseconds, or false when the syscall must answer. */
static inline __attribute__((always_inline)) bool read_clock(int id, uint64_t *ns)
{
	const volatile struct vvar_data *d = vvar();
	uint32_t seq;
	bool ok = true;

	do {
		seq = vvar_read_begin(d);
		switch (id) {
		case CLOCK_REALTIME_COARSE:
			*ns = d->coarse_real_ns;
			continue;
		case CLOCK_MONOTONIC_COARSE:
			*ns = d->coarse_mono_ns;
			continue;
		}
		if (d->clock_mode != VVAR_CLOCK_TSC) {
			ok = false;
			continue;
		}
		*ns = (uint64_t)(((unsigned __int128)(counter() - d->tsc_base) * d->mult_q32) >> 32);
		if (id == CLOCK_REALTIME || id == CLOCK_TAI)
			*ns += d->wall_offset_ns;
	} while (vvar_read_retry(d, seq));
	return ok;
}

static bool handled(int id)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return true;
	default:
		return false;
	}
}

int __vdso_clock_gettime(int id, struct user_timespec *ts);
int __vdso_clock_gettime(int id, struct user_timespec *ts)
{
	uint64_t ns;

	if (!handled(id) || !read_clock(id, &ns))
		return (int)syscall2(NR_clock_gettime, id, (long)ts);
	ts->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(ns % NSEC_PER_SEC);
	return 0;
}

int __vdso_gettimeofday(struct user_timeval *tv, void *tz);
int __vdso_gettimeofday(struct user_timeval *tv, void *tz)
{
	uint64_t ns;

	/* A timezone to fill, or a counter we cannot read: the syscall does it all. */
	if (tz || (tv && !read_clock(CLOCK_REALTIME, &ns)))
		return (int)syscall2(NR_gettimeofday, (long)tv, (long)tz);
	if (tv) {
		tv->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
		tv->tv_usec = (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
	}
	return 0;
}

int64_t __vdso_time(int64_t *t);
int64_t __vdso_time(int64_t *t)
{
	uint64_t ns;
	int64_t s;

	if (!read_clock(CLOCK_REALTIME, &ns))
		return syscall2(NR_time, (long)t, 0);
	s = (int64_t)(ns / NSEC_PER_SEC);
	if (t)
		*t = s;
	return s;
}

int __vdso_clock_getres(int id, struct user_timespec *res);
int __vdso_clock_getres(int id, struct user_timespec *res)
{
	const volatile struct vvar_data *d = vvar();
	uint64_t ns = 1;

	if (!handled(id))
		return (int)syscall2(NR_clock_getres, id, (long)res);
	if (id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE)
		ns = d->coarse_res_ns;
	if (res) {
		res->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
		res->tv_nsec = (int64_t)(ns % NSEC_PER_SEC);
	}
	return 0;
}

long __vdso_getcpu(unsigned int *cpu, unsigned int *node, void *unused);
long __vdso_getcpu(unsigned int *cpu, unsigned int *node, void *unused)
{
	unsigned int p;

	(void)unused;
	/* lsl fails (ZF clear) only if the descriptor is missing: ask the kernel. */
	if (!__builtin_expect(({ unsigned char ok;
		__asm__("lsl %2, %0; setz %1" : "=r"(p), "=q"(ok) : "r"(VVAR_CPUNODE_SELECTOR));
		ok; }), 1))
		return syscall3(NR_getcpu, (long)cpu, (long)node, 0);
	if (cpu)
		*cpu = p & VVAR_CPUNODE_CPU_MASK;
	if (node)
		*node = p >> VVAR_CPUNODE_NODE_SHIFT;
	return 0;
}

/* The plain names Linux's x86-64 vDSO exports too (weak aliases). */
int clock_gettime(int id, struct user_timespec *ts)
	__attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct user_timeval *tv, void *tz)
	__attribute__((weak, alias("__vdso_gettimeofday")));
int64_t time(int64_t *t) __attribute__((weak, alias("__vdso_time")));
long getcpu(unsigned int *cpu, unsigned int *node, void *unused)
	__attribute__((weak, alias("__vdso_getcpu")));
int clock_getres(int id, struct user_timespec *res)
	__attribute__((weak, alias("__vdso_clock_getres")));
