/* SPDX-License-Identifier: MPL-2.0 */
/* Private to frame/arch/x86_64: the CMOS RTC's date, for rtc.c and its ktests. */
#ifndef ASTER_ARCH_RTC_H
#define ASTER_ARCH_RTC_H

#include <aster/types.h>

struct rtc_time {
	uint16_t year;
	uint8_t mon, day, hour, min, sec;
};

/* The registers as read (BCD or binary, 12- or 24-hour per status B). */
struct rtc_raw {
	uint8_t sec, min, hour, day, mon, year, century;
};

/* Decode per status register B (bit 1: 24-hour, bit 2: binary). */
void rtc_decode(const struct rtc_raw *r, uint8_t status_b, bool have_century,
		struct rtc_time *t);

/* Read the RTC now: 0, or -1 when it is stuck, absent or implausible. */
int rtc_read_time(struct rtc_time *t);
/* The time read at boot; false if there was none. */
bool rtc_boot_time(struct rtc_time *t);
bool rtc_time_valid(const struct rtc_time *t);
uint64_t rtc_time_to_unix(const struct rtc_time *t);

#endif
