// SPDX-License-Identifier: MPL-2.0
// The vvar page (aster/vvar.h): the clock parameters user mode reads
// through the vDSO, published with a sequence counter.  The clock code
// (arch/x86_64/time.c, rtc.c, the tick) calls the vvar_set_* hooks; until
// the page exists (frame_alloc is not up when the TSC is calibrated) only
// the shadow copy is updated, and the page starts as a copy of it.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/ktest.h>
#include <aster/sync.h>
#include <aster/timer.h>
#include <aster/vvar.h>
#include "../internal.h"
#include "../mm/mm_internal.h"

static spinlock_t vvar_lock = SPINLOCK_INIT;
static struct vvar_data shadow = { .coarse_res_ns = NSEC_PER_SEC / TICK_HZ };
static struct vvar_data *page;		/* in vvar_pg's frame, once it exists */
static struct frame *vvar_pg;

/*
 * Store into one copy: seq odd, fields, seq even (readers retry meanwhile).
 * Volatile stores: readers on other CPUs (and user mode) see them in order.
 */
static void publish_one(volatile struct vvar_data *d, const struct vvar_data *src)
{
	uint32_t seq = d->seq;

	__atomic_store_n(&d->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	d->clock_mode = src->clock_mode;
	d->tsc_base = src->tsc_base;
	d->mult_q32 = src->mult_q32;
	d->wall_offset_ns = src->wall_offset_ns;
	d->coarse_mono_ns = src->coarse_mono_ns;
	d->coarse_real_ns = src->coarse_real_ns;
	d->coarse_res_ns = src->coarse_res_ns;
	__atomic_store_n(&d->seq, seq + 2, __ATOMIC_RELEASE);
}

/* Called with vvar_lock held, after shadow changed. */
static void publish_locked(void)
{
	publish_one(&shadow, &shadow);
	if (page)
		publish_one(page, &shadow);
}

void vvar_set_tsc(uint64_t tsc_base, uint64_t mult_q32)
{
	irqflags_t f = spin_lock_irqsave(&vvar_lock);

	shadow.clock_mode = VVAR_CLOCK_TSC;
	shadow.tsc_base = tsc_base;
	shadow.mult_q32 = mult_q32;
	publish_locked();
	spin_unlock_irqrestore(&vvar_lock, f);
}

void vvar_set_wall_offset(uint64_t offset_ns)
{
	irqflags_t f = spin_lock_irqsave(&vvar_lock);

	shadow.wall_offset_ns = offset_ns;
	/* The coarse realtime clock jumps with the wall clock, as Linux's does. */
	shadow.coarse_real_ns = shadow.coarse_mono_ns + offset_ns;
	publish_locked();
	spin_unlock_irqrestore(&vvar_lock, f);
}

void vvar_tick(uint64_t mono_ns)
{
	irqflags_t f = spin_lock_irqsave(&vvar_lock);

	shadow.coarse_mono_ns = mono_ns;
	shadow.coarse_real_ns = mono_ns + shadow.wall_offset_ns;
	publish_locked();
	spin_unlock_irqrestore(&vvar_lock, f);
}

/* One field of the shadow, read as user mode reads the page. */
static uint64_t read_shadow(const volatile uint64_t *field)
{
	const volatile struct vvar_data *d = &shadow;
	uint64_t v;
	uint32_t seq;

	do {
		seq = vvar_read_begin(d);
		v = *field;
	} while (vvar_read_retry(d, seq));
	return v;
}

uint64_t clock_monotonic_coarse_ns(void)
{
	return read_shadow(&shadow.coarse_mono_ns);
}

uint64_t clock_realtime_coarse_ns(void)
{
	return read_shadow(&shadow.coarse_real_ns);
}

uint64_t clock_coarse_resolution_ns(void)
{
	return shadow.coarse_res_ns;
}

struct frame *vvar_frame(void)
{
	return vvar_pg;
}

/* The page itself, once the frame allocator is up (before any user process). */
static int vvar_init(void)
{
	struct frame *f = frame_alloc(FRAME_ZERO);
	irqflags_t fl;

	if (!f)
		return -ENOMEM;
	fl = spin_lock_irqsave(&vvar_lock);
	vvar_pg = f;
	page = frame_kernel_addr(frame_meta_of(f));
	shadow.coarse_mono_ns = clock_monotonic_ns();
	shadow.coarse_real_ns = shadow.coarse_mono_ns + shadow.wall_offset_ns;
	publish_locked();
	spin_unlock_irqrestore(&vvar_lock, fl);
	return 0;
}
KERNEL_INIT(vvar_init);

KTEST(vvar_page_matches_clocks)
{
	struct vvar_data d;
	uint64_t before, mono, after;

	KT_ASSERT(vvar_frame() != NULL);
	KT_ASSERT(frame_read(vvar_frame(), 0, &d, sizeof(d)) == 0);
	KT_EXPECT(d.seq % 2 == 0);
	KT_EXPECT(d.clock_mode == VVAR_CLOCK_TSC);
	before = clock_monotonic_ns();
	mono = (uint64_t)(((unsigned __int128)(arch_clock_counter() - d.tsc_base) * d.mult_q32) >> 32);
	after = clock_monotonic_ns();
	KT_EXPECT(before <= mono && mono <= after);
	KT_EXPECT(clock_monotonic_coarse_ns() <= clock_monotonic_ns());
	KT_EXPECT(clock_realtime_coarse_ns() <= clock_realtime_ns());
	KT_EXPECT(clock_coarse_resolution_ns() == NSEC_PER_SEC / TICK_HZ);
}
