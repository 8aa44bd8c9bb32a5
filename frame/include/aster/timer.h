/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Clocks and timer callbacks.
 *
 *	uint64_t t0 = clock_monotonic_ns();		since boot, never goes back
 *	uint64_t now = clock_realtime_ns();		since 1970-01-01 00:00 UTC
 *
 *	static void poll(void *arg) { ... }		runs in softirq context
 *	timer_id_t id = timer_add(10 * NSEC_PER_MSEC, true, poll, dev);
 *	if (id < 0)
 *		return (int)id;				-EINVAL, -ENOMEM
 *	...
 *	timer_cancel_sync(id);				then dev may be freed
 *
 * Timers are checked on the local APIC tick (100 Hz), so a timer fires
 * between its deadline and about one tick later, never early.  Callbacks
 * run with interrupts enabled in softirq context (aster/softirq.h): they
 * must not sleep.  A periodic timer keeps its phase (deadline += period);
 * if it falls more than a period behind, the missed expiries are dropped.
 *
 * Lifetimes: timer_cancel does not wait for a callback that is already
 * running, so what the callback uses (arg) may only be freed after
 * timer_cancel_sync, or when the callback itself holds a reference it
 * drops.  Errors: -EINVAL for bad arguments, -ENOMEM, -ENOENT for an id
 * that names no pending timer (ids carry a generation: a stale id never
 * cancels another timer), -EDEADLK from timer_cancel_sync called by the
 * timer's own callback.
 */
#ifndef ASTER_TIMER_H
#define ASTER_TIMER_H

#include <aster/types.h>

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

/* Nanoseconds since boot (the TSC, calibrated at boot). */
uint64_t clock_monotonic_ns(void);

/*
 * Nanoseconds since the Unix epoch: the CMOS RTC's time at boot plus the
 * monotonic time since (0 + monotonic when there is no usable RTC).
 */
uint64_t clock_realtime_ns(void);
/*
 * The coarse clocks (CLOCK_*_COARSE): the monotonic and realtime clocks as
 * they read at the last tick, never ahead of the precise ones; the vDSO
 * reads the same values from the vvar page (aster/vvar.h).  Their
 * resolution is the tick period.
 */
uint64_t clock_monotonic_coarse_ns(void);
uint64_t clock_realtime_coarse_ns(void);
uint64_t clock_coarse_resolution_ns(void);
/* Set the wall clock (settimeofday); the RTC itself is not written. */
void clock_realtime_set(uint64_t ns_since_epoch);

/* A timer: positive id, or a negative errno from timer_add. */
typedef int64_t timer_id_t;

/*
 * Call fn(arg) in ns nanoseconds, and every ns nanoseconds after that when
 * periodic.  Returns the timer's id, -EINVAL (no fn, or a periodic timer
 * with ns == 0), or -ENOMEM (no free timer).  A one-shot timer's id becomes
 * invalid once it has fired.
 */
timer_id_t timer_add(uint64_t ns, bool periodic, void (*fn)(void *arg), void *arg);

/*
 * Stop a timer.  0 if it was pending, or a periodic timer whose callback is
 * running (it will not run again); -ENOENT if the id is unknown, cancelled,
 * or a one-shot timer that already fired.
 */
int timer_cancel(timer_id_t id);

/*
 * timer_cancel, and then wait until no callback of this timer is running,
 * so that what it uses may be freed at once.  Same return values, plus
 * -EDEADLK (the timer is cancelled, but nothing was waited for) when
 * called from the timer's own callback, or from an interrupt on the CPU
 * that runs it: a callback cannot be waited for from inside itself.
 * Call it from task context without holding a lock that the callback takes
 * (on another CPU the callback would spin on that lock and never return);
 * it does not sleep, it polls, as callbacks are short.  The timer
 * machinery's own lock is never held across a callback or the wait.
 */
int timer_cancel_sync(timer_id_t id);

#endif
