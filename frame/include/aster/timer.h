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
 *	timer_cancel(id);
 *
 * Timers are checked on the local APIC tick (100 Hz), so a timer fires
 * between its deadline and about one tick later, never early.  Callbacks
 * run with interrupts enabled in softirq context (aster/softirq.h): they
 * must not sleep.  A periodic timer keeps its phase (deadline += period);
 * if it falls more than a period behind, the missed expiries are dropped.
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

#endif
