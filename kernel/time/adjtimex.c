// SPDX-License-Identifier: MPL-2.0
/*
 * adjtimex(2) and clock_adjtime(2): the kernel's NTP state, read by anyone,
 * set with CAP_SYS_TIME, validated and reported back as Linux's
 * kernel/time/ntp.c does (same clamps, same units, same fixed-point freq).
 *
 * What this kernel does not do: discipline the clock.  The frequency, PLL
 * offset, tick length and adjtime(3) adjustment are stored and reported
 * back but do not slew the clock; ADJ_SETOFFSET really steps CLOCK_REALTIME.
 * maxerror grows by 500 us per second as Linux's second_overflow makes it
 * grow, and sets STA_UNSYNC when it passes 16 s.  ADJ_TAI is stored and
 * reported (CLOCK_TAI does not add it).
 */
#include <aster/errno.h>
#include <aster/sync.h>
#include <aster/timer.h>
#include <aster/uaccess.h>
#include "process/capability.h"
#include "syscall/syscall.h"
#include "time/timespec.h"
#include "uapi/time.h"
#include "uapi/timex.h"

/* Linux's internal NTP constants (include/linux/timex.h, kernel/time/ntp.c): not ABI. */
#define NTP_SCALE_SHIFT		32
#define SHIFT_USEC		16
#define PPM_SCALE		((int64_t)1000 << (NTP_SCALE_SHIFT - SHIFT_USEC))
#define PPM_SCALE_INV_SHIFT	19
#define PPM_SCALE_INV		(((int64_t)1 << (PPM_SCALE_INV_SHIFT + NTP_SCALE_SHIFT)) / PPM_SCALE + 1)
#define MAXPHASE		500000000LL	/* largest PLL offset, ns */
#define MAXFREQ			500000LL	/* largest frequency error, ns/s */
#define MAXFREQ_SCALED		(MAXFREQ << NTP_SCALE_SHIFT)
#define NTP_PHASE_LIMIT		16000000LL	/* maxerror at which the clock is unsynchronised, us */
#define MAXTC			10
#define MAX_TAI_OFFSET		100000
#define USER_HZ			100
#define TICK_USEC		((1000000 + USER_HZ / 2) / USER_HZ)
#define MAX_TICKADJ		500LL		/* maxerror growth per second, us */
#define ADJ_ADJTIME		0x8000		/* adjtime(3)'s modes (ADJ_OFFSET_SINGLESHOT) */
#define ADJ_OFFSET_READONLY	0x2000		/* with ADJ_ADJTIME: ADJ_OFFSET_SS_READ */

/* The state Linux keeps in ntp.c, with its boot values. */
static spinlock_t ntp_lock = SPINLOCK_INIT;
static struct {
	int status;
	int64_t freq;		/* scaled ns/s, as Linux's time_freq */
	int64_t offset;		/* PLL offset, ns */
	int64_t maxerror;	/* at maxerror_sec */
	uint64_t maxerror_sec;	/* CLOCK_MONOTONIC seconds of the last maxerror update */
	int64_t esterror;
	int64_t constant;
	int64_t tick;
	int64_t adjust;		/* adjtime(3)'s outstanding adjustment, us */
	int tai;
} ntp = {
	.status = STA_UNSYNC,
	.maxerror = NTP_PHASE_LIMIT,
	.esterror = NTP_PHASE_LIMIT,
	.constant = 2,
	.tick = TICK_USEC,
};

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Linux's shift_right: an arithmetic shift that rounds toward zero. */
static int64_t shift_right(int64_t v, int s)
{
	return v < 0 ? -(int64_t)((uint64_t)-v >> s) : (int64_t)((uint64_t)v >> s);
}

/* What second_overflow does each second to maxerror, done when it is looked at. */
static void maxerror_age(void)
{
	uint64_t now = clock_monotonic_ns() / NSEC_PER_SEC;
	uint64_t secs = now - ntp.maxerror_sec;

	ntp.maxerror_sec = now;
	if (secs > (uint64_t)NTP_PHASE_LIMIT / MAX_TICKADJ)
		secs = NTP_PHASE_LIMIT / MAX_TICKADJ + 1;
	ntp.maxerror += (int64_t)secs * MAX_TICKADJ;
	if (ntp.maxerror > NTP_PHASE_LIMIT) {
		ntp.maxerror = NTP_PHASE_LIMIT;
		ntp.status |= STA_UNSYNC;
	}
}

static bool is_error_status(int s)
{
	return (s & (STA_UNSYNC | STA_CLOCKERR)) ||
	       ((s & (STA_PPSFREQ | STA_PPSTIME)) && !(s & STA_PPSSIGNAL)) ||
	       ((s & (STA_PPSTIME | STA_PPSJITTER)) == (STA_PPSTIME | STA_PPSJITTER)) ||
	       ((s & STA_PPSFREQ) && (s & (STA_PPSWANDER | STA_CLOCKERR)));
}

/* Linux's timekeeping_validate_timex: permission and range checks, in its order. */
static int timex_validate(const struct __kernel_timex *tx)
{
	if (tx->modes & ADJ_ADJTIME) {	/* adjtime(3) */
		if (!(tx->modes & ADJ_OFFSET_SINGLESHOT))
			return -EINVAL;
		if (!(tx->modes & ADJ_OFFSET_READONLY) && !capable(CAP_SYS_TIME))
			return -EPERM;
	} else {
		if (tx->modes && !capable(CAP_SYS_TIME))
			return -EPERM;
		/* A tick more than 10% off means something is very wrong. */
		if ((tx->modes & ADJ_TICK) &&
		    (tx->tick < 900000 / USER_HZ || tx->tick > 1100000 / USER_HZ))
			return -EINVAL;
	}
	if (tx->modes & ADJ_SETOFFSET) {
		if (!capable(CAP_SYS_TIME))
			return -EPERM;
		/* The offset is the fields' sum: the fraction is never negative nor a second. */
		if (tx->time.tv_usec < 0)
			return -EINVAL;
		if (tx->time.tv_usec >= ((tx->modes & ADJ_NANO) ? 1000000000 : 1000000))
			return -EINVAL;
	}
	/* freq * PPM_SCALE must not overflow. */
	if ((tx->modes & ADJ_FREQUENCY) &&
	    (tx->freq < INT64_MIN / PPM_SCALE || tx->freq > INT64_MAX / PPM_SCALE))
		return -EINVAL;
	return 0;
}

/* Step CLOCK_REALTIME by the (validated) offset; EINVAL if it would leave the valid range. */
static int setoffset(const struct __kernel_timex *tx)
{
	int64_t nsec = (tx->modes & ADJ_NANO) ? tx->time.tv_usec : tx->time.tv_usec * 1000;
	int64_t now = (int64_t)clock_realtime_ns();
	int64_t sec = tx->time.tv_sec;

	/*
	 * Whole range checks before any arithmetic: the result must be in
	 * [0, TIME_NS_MAX).  A second below TIME_NS_MAX's last whole second
	 * keeps sec * NSEC_PER_SEC + nsec (nsec < NSEC_PER_SEC) in range;
	 * a larger sec could never give a valid time, since now >= 0.
	 */
	if (sec >= (int64_t)(TIME_NS_MAX / NSEC_PER_SEC) || sec < -(now / (int64_t)NSEC_PER_SEC) - 1)
		return -EINVAL;
	int64_t delta = sec * (int64_t)NSEC_PER_SEC + nsec;
	if (delta < -now || delta > (int64_t)TIME_NS_MAX - now)
		return -EINVAL;
	clock_realtime_set((uint64_t)(now + delta));
	return 0;
}

/* process_adj_status: clearing STA_PLL resets the state; read-only bits stay. */
static void set_status(int status)
{
	if ((ntp.status & STA_PLL) && !(status & STA_PLL))
		ntp.status = STA_UNSYNC;
	ntp.status &= STA_RONLY;
	ntp.status |= status & ~STA_RONLY;
}

/* ntp_update_offset: only under STA_PLL; microseconds unless STA_NANO; clamped. */
static void set_offset(int64_t offset)
{
	if (!(ntp.status & STA_PLL))
		return;
	if (!(ntp.status & STA_NANO))
		offset = clamp64(offset, -1000000, 1000000) * 1000;
	ntp.offset = clamp64(offset, -MAXPHASE, MAXPHASE);
}

/* process_adjtimex_modes, in Linux's order. */
static void apply_modes(const struct __kernel_timex *tx)
{
	if (tx->modes & ADJ_STATUS)
		set_status(tx->status);
	if (tx->modes & ADJ_NANO)
		ntp.status |= STA_NANO;
	if (tx->modes & ADJ_MICRO)
		ntp.status &= ~STA_NANO;
	if (tx->modes & ADJ_FREQUENCY)
		ntp.freq = clamp64(tx->freq * PPM_SCALE, -MAXFREQ_SCALED, MAXFREQ_SCALED);
	if (tx->modes & ADJ_MAXERROR)
		ntp.maxerror = clamp64(tx->maxerror, 0, NTP_PHASE_LIMIT);
	if (tx->modes & ADJ_ESTERROR)
		ntp.esterror = tx->esterror;
	if (tx->modes & ADJ_TIMECONST) {
		/* Clamped before and after the microsecond mode's +4, as Linux. */
		int64_t c = clamp64(tx->constant, 0, MAXTC);

		if (!(ntp.status & STA_NANO))
			c += 4;
		ntp.constant = clamp64(c, 0, MAXTC);
	}
	if ((tx->modes & ADJ_TAI) && tx->constant >= 0 && tx->constant <= MAX_TAI_OFFSET)
		ntp.tai = (int)tx->constant;
	if (tx->modes & ADJ_OFFSET)
		set_offset(tx->offset);
	if (tx->modes & ADJ_TICK)
		ntp.tick = tx->tick;
}

/* __do_adjtimex under ntp_lock: apply, then fill tx with the state; the clock state. */
static int adjtimex_locked(struct __kernel_timex *tx, uint64_t now)
{
	bool nano;

	maxerror_age();
	if (tx->modes & ADJ_ADJTIME) {
		int64_t old = ntp.adjust;

		if (!(tx->modes & ADJ_OFFSET_READONLY))
			ntp.adjust = tx->offset;
		tx->offset = old;
	} else {
		if (tx->modes)
			apply_modes(tx);
		tx->offset = ntp.offset;
		if (!(ntp.status & STA_NANO))
			tx->offset = (int64_t)(uint32_t)tx->offset / 1000;
	}
	nano = ntp.status & STA_NANO;
	tx->freq = shift_right((ntp.freq >> PPM_SCALE_INV_SHIFT) * PPM_SCALE_INV, NTP_SCALE_SHIFT);
	tx->maxerror = ntp.maxerror;
	tx->esterror = ntp.esterror;
	tx->status = ntp.status;
	tx->constant = ntp.constant;
	tx->precision = 1;
	tx->tolerance = MAXFREQ_SCALED / PPM_SCALE;
	tx->tick = ntp.tick;
	tx->tai = ntp.tai;
	/* No PPS source: its fields are zero, as in a Linux without CONFIG_NTP_PPS. */
	tx->ppsfreq = tx->jitter = tx->stabil = tx->jitcnt = tx->calcnt = tx->errcnt = tx->stbcnt = 0;
	tx->shift = 0;
	tx->time.tv_sec = (int64_t)(now / NSEC_PER_SEC);
	tx->time.tv_usec = (int64_t)(now % NSEC_PER_SEC) / (nano ? 1 : 1000);
	return is_error_status(ntp.status) ? TIME_ERROR : TIME_OK;
}

static long do_adjtimex(struct __kernel_timex *tx)
{
	irqflags_t fl;
	int ret = timex_validate(tx);

	if (ret)
		return ret;
	if (tx->modes & ADJ_SETOFFSET) {
		ret = setoffset(tx);
		if (ret)
			return ret;
	}
	fl = spin_lock_irqsave(&ntp_lock);
	ret = adjtimex_locked(tx, clock_realtime_ns());
	spin_unlock_irqrestore(&ntp_lock, fl);
	return ret;
}

long sys_adjtimex(uaddr_t buf)
{
	struct __kernel_timex tx;
	long ret;

	if (copy_from_user(&tx, buf, sizeof(tx)))
		return -EFAULT;
	ret = do_adjtimex(&tx);
	/* Linux copies the state back on an error too. */
	return copy_to_user(buf, &tx, sizeof(tx)) ? -EFAULT : ret;
}

/* posix-timers' clockid_to_kclock and clock_adj: only CLOCK_REALTIME adjusts. */
static long clock_adj_check(int clockid)
{
	if (clockid == CLOCK_REALTIME)
		return 0;
	if (clockid < 0)	/* PTP clocks (we have none): their fd is no clock */
		return (clockid & CLOCKFD_MASK) == CLOCKFD ? -EINVAL : -EOPNOTSUPP;
	if (clockid > CLOCK_TAI || clockid == CLOCK_TAI - 1)	/* 10: CLOCK_SGI_CYCLE, gone */
		return -EINVAL;
	return -EOPNOTSUPP;
}

long sys_clock_adjtime(int clockid, uaddr_t buf)
{
	struct __kernel_timex tx;
	long ret;

	if (copy_from_user(&tx, buf, sizeof(tx)))
		return -EFAULT;
	ret = clock_adj_check(clockid);
	if (ret)
		return ret;
	ret = do_adjtimex(&tx);
	if (ret >= 0 && copy_to_user(buf, &tx, sizeof(tx)))
		return -EFAULT;
	return ret;
}

_Static_assert(sizeof(struct __kernel_timex) == 208, "x86-64 Linux's struct __kernel_timex");
