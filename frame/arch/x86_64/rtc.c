// SPDX-License-Identifier: MPL-2.0
// The CMOS real-time clock (MC146818-compatible): read once at boot to set
// the wall clock, which then advances with the monotonic clock.
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include <aster/timer.h>
#include "../../internal.h"
#include "acpi_internal.h"
#include "cpu.h"
#include "devices.h"
#include "rtc.h"

#define CMOS_INDEX		0x70
#define CMOS_DATA		0x71

#define RTC_SECONDS		0x00
#define RTC_MINUTES		0x02
#define RTC_HOURS		0x04
#define RTC_DAY			0x07
#define RTC_MONTH		0x08
#define RTC_YEAR		0x09
#define RTC_STATUS_A		0x0a
#define RTC_STATUS_B		0x0b
#define RTC_STATUS_A_UIP	0x80	/* update in progress: fields are changing */
#define RTC_STATUS_B_24H	0x02
#define RTC_STATUS_B_BINARY	0x04
#define RTC_HOUR_PM		0x80	/* in 12-hour mode */

/* An update cycle lasts under 2 ms; give up on a stuck or absent RTC after this. */
#define RTC_UIP_WAIT_NS		(20 * NSEC_PER_MSEC)
#define RTC_READ_TRIES		5

static spinlock_t cmos_lock = SPINLOCK_INIT;
static spinlock_t wall_lock = SPINLOCK_INIT;
static uint64_t wall_base_ns;	/* realtime at mono_base_ns */
static uint64_t mono_base_ns;
static struct rtc_time boot_time;
static bool boot_time_valid;

uint8_t cmos_read(uint8_t index)
{
	irqflags_t flags = spin_lock_irqsave(&cmos_lock);
	uint8_t v;

	outb(CMOS_INDEX, index & 0x7f);
	v = inb(CMOS_DATA);
	spin_unlock_irqrestore(&cmos_lock, flags);
	return v;
}

void cmos_write(uint8_t index, uint8_t value)
{
	irqflags_t flags = spin_lock_irqsave(&cmos_lock);

	outb(CMOS_INDEX, index & 0x7f);
	outb(CMOS_DATA, value);
	spin_unlock_irqrestore(&cmos_lock, flags);
}

static bool wait_not_updating(void)
{
	uint64_t start = clock_monotonic_ns();

	while (cmos_read(RTC_STATUS_A) & RTC_STATUS_A_UIP) {
		if (clock_monotonic_ns() - start > RTC_UIP_WAIT_NS)
			return false;
		cpu_relax();
	}
	return true;
}

static bool read_raw(struct rtc_raw *r, uint8_t century_reg)
{
	if (!wait_not_updating())
		return false;
	r->sec = cmos_read(RTC_SECONDS);
	r->min = cmos_read(RTC_MINUTES);
	r->hour = cmos_read(RTC_HOURS);
	r->day = cmos_read(RTC_DAY);
	r->mon = cmos_read(RTC_MONTH);
	r->year = cmos_read(RTC_YEAR);
	r->century = century_reg ? cmos_read(century_reg) : 0;
	return true;
}

static uint8_t from_bcd(uint8_t v)
{
	return (uint8_t)((v >> 4) * 10 + (v & 0xf));
}

/* Raw registers to a date, per status register B's format bits. */
void rtc_decode(const struct rtc_raw *r, uint8_t status_b, bool have_century,
		   struct rtc_time *t)
{
	bool binary = status_b & RTC_STATUS_B_BINARY;
	bool pm = r->hour & RTC_HOUR_PM;
	uint8_t hour = r->hour & (uint8_t)~RTC_HOUR_PM;
	uint8_t year = binary ? r->year : from_bcd(r->year);

#define CONV(v) (binary ? (v) : from_bcd(v))
	t->sec = CONV(r->sec);
	t->min = CONV(r->min);
	t->hour = CONV(hour);
	t->day = CONV(r->day);
	t->mon = CONV(r->mon);
#undef CONV
	/* 12-hour mode: 12 AM is 0h, 12 PM is 12h. */
	if (!(status_b & RTC_STATUS_B_24H))
		t->hour = (uint8_t)(t->hour % 12 + (pm ? 12 : 0));
	if (have_century)
		t->year = (binary ? r->century : from_bcd(r->century)) * 100 + year;
	else
		t->year = year < 70 ? 2000 + year : 1900 + year;
}

bool rtc_time_valid(const struct rtc_time *t)
{
	return t->sec < 60 && t->min < 60 && t->hour < 24 && t->day >= 1 && t->day <= 31 &&
	       t->mon >= 1 && t->mon <= 12 && t->year >= 1970 && t->year < 2400;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
	int64_t era;
	unsigned int yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

uint64_t rtc_time_to_unix(const struct rtc_time *t)
{
	int64_t days = days_from_civil(t->year, t->mon, t->day);

	return (uint64_t)(days * 86400 + t->hour * 3600 + t->min * 60 + t->sec);
}

int rtc_read_time(struct rtc_time *t)
{
	uint8_t century_reg = acpi_platform()->century;
	struct rtc_raw a, b;

	/* Two identical reads in a row: no update happened in between. */
	for (int i = 0; i < RTC_READ_TRIES; i++) {
		if (!read_raw(&a, century_reg) || !read_raw(&b, century_reg))
			return -1;
		if (memcmp(&a, &b, sizeof(a)) != 0)
			continue;
		rtc_decode(&a, cmos_read(RTC_STATUS_B), century_reg != 0, t);
		return rtc_time_valid(t) ? 0 : -1;
	}
	return -1;
}

bool rtc_boot_time(struct rtc_time *t)
{
	*t = boot_time;
	return boot_time_valid;
}

void rtc_init(void)
{
	if (acpi_platform()->boot_arch & ACPI_BOOT_NO_CMOS_RTC) {
		pr_warn("rtc: the FADT says there is no CMOS RTC; wall clock starts at 1970\n");
		return;
	}
	if (rtc_read_time(&boot_time) != 0) {
		pr_warn("rtc: no plausible time in the CMOS RTC; wall clock starts at 1970\n");
		return;
	}
	boot_time_valid = true;
	/* The RTC has whole seconds: the wall clock may lag by up to one. */
	clock_realtime_set(rtc_time_to_unix(&boot_time) * NSEC_PER_SEC);
	pr_info("rtc: %04u-%02u-%02u %02u:%02u:%02u UTC\n", boot_time.year, boot_time.mon,
		boot_time.day, boot_time.hour, boot_time.min, boot_time.sec);
}

uint64_t clock_realtime_ns(void)
{
	irqflags_t flags = spin_lock_irqsave(&wall_lock);
	uint64_t ns = wall_base_ns + (clock_monotonic_ns() - mono_base_ns);

	spin_unlock_irqrestore(&wall_lock, flags);
	return ns;
}

void clock_realtime_set(uint64_t ns_since_epoch)
{
	irqflags_t flags = spin_lock_irqsave(&wall_lock);

	wall_base_ns = ns_since_epoch;
	mono_base_ns = clock_monotonic_ns();
	/* realtime = wall_base + (mono - mono_base) = mono + this, mod 2^64 */
	vvar_set_wall_offset(wall_base_ns - mono_base_ns);
	spin_unlock_irqrestore(&wall_lock, flags);
}
