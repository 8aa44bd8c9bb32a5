/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/timex.h>: adjtimex(2) and clock_adjtime(2), the
 * kernel's NTP state (struct __kernel_timex, x86-64 layout, 208 bytes).
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_TIMEX_H
#define ASTER_UAPI_TIMEX_H
#include <aster/types.h>

struct __kernel_timex_timeval {
	int64_t tv_sec;
	int64_t tv_usec;	/* microseconds, or nanoseconds under STA_NANO */
};

struct __kernel_timex {
	uint32_t modes;
	int32_t pad0;
	int64_t offset;
	int64_t freq;		/* parts per million, 16-bit fraction */
	int64_t maxerror;	/* microseconds */
	int64_t esterror;
	int32_t status;
	int32_t pad1;
	int64_t constant;
	int64_t precision;
	int64_t tolerance;
	struct __kernel_timex_timeval time;
	int64_t tick;		/* microseconds between clock ticks */
	int64_t ppsfreq;
	int64_t jitter;
	int32_t shift;
	int32_t pad2;
	int64_t stabil;
	int64_t jitcnt;
	int64_t calcnt;
	int64_t errcnt;
	int64_t stbcnt;
	int32_t tai;
	int32_t pad3[11];
};

/* modes */
#define ADJ_OFFSET		0x0001
#define ADJ_FREQUENCY		0x0002
#define ADJ_MAXERROR		0x0004
#define ADJ_ESTERROR		0x0008
#define ADJ_STATUS		0x0010
#define ADJ_TIMECONST		0x0020
#define ADJ_TAI			0x0080
#define ADJ_SETOFFSET		0x0100
#define ADJ_MICRO		0x1000
#define ADJ_NANO		0x2000
#define ADJ_TICK		0x4000
#define ADJ_OFFSET_SINGLESHOT	0x8001	/* adjtime(3) */
#define ADJ_OFFSET_SS_READ	0xa001	/* read adjtime(3)'s adjustment */

/* status */
#define STA_PLL			0x0001
#define STA_PPSFREQ		0x0002
#define STA_PPSTIME		0x0004
#define STA_FLL			0x0008
#define STA_INS			0x0010
#define STA_DEL			0x0020
#define STA_UNSYNC		0x0040
#define STA_FREQHOLD		0x0080
#define STA_PPSSIGNAL		0x0100
#define STA_PPSJITTER		0x0200
#define STA_PPSWANDER		0x0400
#define STA_PPSERROR		0x0800
#define STA_CLOCKERR		0x1000
#define STA_NANO		0x2000
#define STA_MODE		0x4000
#define STA_CLK			0x8000
/* The bits ADJ_STATUS cannot change. */
#define STA_RONLY		(STA_PPSSIGNAL | STA_PPSJITTER | STA_PPSWANDER | STA_PPSERROR | \
				 STA_CLOCKERR | STA_NANO | STA_MODE | STA_CLK)

/* return values: the clock's state */
#define TIME_OK			0
#define TIME_INS		1
#define TIME_DEL		2
#define TIME_OOP		3
#define TIME_WAIT		4
#define TIME_ERROR		5
#define TIME_BAD		TIME_ERROR


#endif
