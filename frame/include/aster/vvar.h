/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The vvar page: clock data frame/ publishes for user mode, which the vDSO
 * (vdso/, user code the kernel maps into every process) reads to answer
 * clock_gettime, gettimeofday and time without a syscall.
 *
 *	struct frame *f = vvar_frame();		NULL before the first KERNEL_INIT
 *	vm_map(vs, addr, f, VM_USER | VM_READ);	map it read-only, never writable
 *
 *	(in the vDSO, with d pointing at the mapped page)
 *	do {
 *		seq = vvar_read_begin(d);
 *		...read d->tsc_base, d->mult_q32, d->wall_offset_ns...
 *	} while (vvar_read_retry(d, seq));
 *
 * Only frame/ writes the page: the clock code when the TSC is calibrated,
 * when the wall clock is set (clock_realtime_set) and on every tick (the
 * coarse clocks).  A writer makes seq odd, stores, then makes it even
 * again; a reader that saw an odd seq, or a seq that changed while it
 * read, reads again.  So a reader never uses half an update.
 *
 * The formulas the vDSO must use to agree with the syscalls to the
 * nanosecond (clock_monotonic_ns, clock_realtime_ns in aster/timer.h):
 *	monotonic = ((tsc - tsc_base) * mult_q32) >> 32	(128-bit product)
 *	realtime  = monotonic + wall_offset_ns			(mod 2^64)
 * When clock_mode is VVAR_CLOCK_NONE there is no usable counter and the
 * vDSO must make the syscall.
 *
 * getcpu: frame/ gives each CPU a user-readable GDT descriptor whose limit
 * is (node << 12) | cpu; `lsl VVAR_CPUNODE_SELECTOR` reads it in user mode
 * (Linux's scheme), so the vDSO needs no per-CPU page.
 *
 * Errors: none; the layout is an ABI between frame/ and vdso/ only (both
 * built from this tree), not Linux's.  vvar_frame's frame lives for the
 * whole run: callers need no reference of their own, and must not put one.
 */
#ifndef ASTER_VVAR_H
#define ASTER_VVAR_H

#include <aster/types.h>

#define VVAR_CLOCK_NONE	0u	/* no counter user mode may read: use the syscall */
#define VVAR_CLOCK_TSC	1u	/* rdtsc, with tsc_base and mult_q32 */

/* The GDT selector (RPL 3) whose segment limit is (node << 12) | cpu. */
#define VVAR_CPUNODE_SELECTOR	0x3bu
#define VVAR_CPUNODE_CPU_MASK	0xfffu
#define VVAR_CPUNODE_NODE_SHIFT	12

struct vvar_data {
	uint32_t seq;			/* odd while an update is in progress */
	uint32_t clock_mode;		/* VVAR_CLOCK_* */
	uint64_t tsc_base;		/* the TSC at boot: monotonic 0 */
	uint64_t mult_q32;		/* nanoseconds per TSC tick, 32.32 fixed point */
	uint64_t wall_offset_ns;	/* realtime - monotonic, mod 2^64 */
	uint64_t coarse_mono_ns;	/* monotonic at the last tick */
	uint64_t coarse_real_ns;	/* realtime at the last tick */
	uint64_t coarse_res_ns;		/* the tick period: resolution of the coarse clocks */
};

/* The page, to map read-only into user address spaces. */
struct frame *vvar_frame(void);

/*
 * The CPU the caller runs on and its node, from the same per-CPU
 * descriptor the vDSO reads (getcpu(2), rseq's cpu_id).  Either may be NULL.
 */
void cpu_current_node(unsigned int *cpu, unsigned int *node);

/*
 * Readers go through a volatile pointer: the page changes under them (in
 * the vDSO it is even a const object), so no field may be cached across
 * the retry loop.
 */
static inline uint32_t vvar_read_begin(const volatile struct vvar_data *d)
{
	uint32_t seq;

	while ((seq = __atomic_load_n(&d->seq, __ATOMIC_ACQUIRE)) & 1)
		__builtin_ia32_pause();
	return seq;
}

static inline bool vvar_read_retry(const volatile struct vvar_data *d, uint32_t seq)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&d->seq, __ATOMIC_RELAXED) != seq;
}

#endif
