// SPDX-License-Identifier: MPL-2.0
/*
 * t_adjtimex -- adjtimex(2) and clock_adjtime(2): reading the state of an
 * unsynchronised clock (TIME_ERROR, STA_UNSYNC and Linux's boot values),
 * clock_adjtime(CLOCK_REALTIME) as adjtimex and the other clocks' EOPNOTSUPP
 * or EINVAL, setting each field as root with Linux's clamps (freq, time
 * constant, maxerror), ADJ_TICK and ADJ_FREQUENCY range errors,
 * ADJ_NANO/ADJ_MICRO, read-only status bits, adjtime(3)'s
 * ADJ_OFFSET_SINGLESHOT/ADJ_OFFSET_SS_READ, ADJ_SETOFFSET stepping
 * CLOCK_REALTIME (and its EINVAL paths), EPERM without CAP_SYS_TIME, EFAULT.
 * Everything it changes is restored.
 */
#include "check.h"
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>

#define T_PPM_SCALE	65536000LL	/* freq * PPM_SCALE must not overflow */

static long adj(struct timex *tx)
{
	return syscall(SYS_adjtimex, tx);
}

static long cadj(long clk, void *tx)
{
	return syscall(SYS_clock_adjtime, clk, tx);
}

static long set1(unsigned int modes, struct timex *tx)
{
	tx->modes = modes;
	return adj(tx);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void test_read(void)
{
	struct timex tx = { 0 };
	struct timeval tv;
	long r = adj(&tx);

	gettimeofday(&tv, NULL);
	CHECK_RET(r, TIME_ERROR, "an unsynchronised clock reads TIME_ERROR");
	CHECK(tx.status == STA_UNSYNC, "status is STA_UNSYNC", "%#x", tx.status);
	CHECK(tx.maxerror == 16000000 && tx.esterror == 16000000, "maxerror and esterror are 16 s",
	      "%ld %ld", tx.maxerror, tx.esterror);
	CHECK(tx.constant == 2 && tx.precision == 1 && tx.tolerance == 32768000 && tx.tick == 10000,
	      "constant 2, precision 1, tolerance 500 ppm, tick 10000",
	      "%ld %ld %ld %ld", tx.constant, tx.precision, tx.tolerance, tx.tick);
	CHECK(tx.freq == 0 && tx.offset == 0 && tx.tai == 0, "freq, offset and tai are 0",
	      "%ld %ld %d", tx.freq, tx.offset, tx.tai);
	CHECK(tx.time.tv_usec >= 0 && tx.time.tv_usec < 1000000 &&
	      tv.tv_sec - tx.time.tv_sec >= 0 && tv.tv_sec - tx.time.tv_sec <= 1,
	      "time is now as a timeval", "%ld.%06ld vs %ld", tx.time.tv_sec, tx.time.tv_usec, tv.tv_sec);

	struct timex c = { 0 };
	CHECK_RET(cadj(CLOCK_REALTIME, &c), TIME_ERROR, "clock_adjtime(CLOCK_REALTIME) reads as adjtimex");
	CHECK(c.status == tx.status && c.tick == tx.tick && c.maxerror >= tx.maxerror,
	      "clock_adjtime(CLOCK_REALTIME) gives the same state", "%#x %ld", c.status, c.tick);
}

static void test_clocks(void)
{
	struct timex tx = { 0 };
	clockid_t cpu;

	CHECK_ERR(cadj(CLOCK_MONOTONIC, &tx), EOPNOTSUPP, "clock_adjtime(CLOCK_MONOTONIC)");
	CHECK_ERR(cadj(CLOCK_BOOTTIME, &tx), EOPNOTSUPP, "clock_adjtime(CLOCK_BOOTTIME)");
	CHECK_ERR(cadj(CLOCK_TAI, &tx), EOPNOTSUPP, "clock_adjtime(CLOCK_TAI)");
	CHECK_ERR(cadj(CLOCK_PROCESS_CPUTIME_ID, &tx), EOPNOTSUPP, "clock_adjtime(CLOCK_PROCESS_CPUTIME_ID)");
	CHECK_ERR(cadj(10, &tx), EINVAL, "clock_adjtime(10), no such clock");
	CHECK_ERR(cadj(99, &tx), EINVAL, "clock_adjtime(99)");
	CHECK_OK(clock_getcpuclockid(0, &cpu), "clock_getcpuclockid");
	CHECK_ERR(cadj(cpu, &tx), EOPNOTSUPP, "clock_adjtime of a process CPU clock");
	int fd = open("/dev/null", O_RDONLY);
	CHECK_ERR(cadj((long)((~(unsigned long)fd) << 3 | 3), &tx), EINVAL, "clock_adjtime of an fd that is no clock");
	close(fd);
	CHECK_ERR(adj((struct timex *)1), EFAULT, "adjtimex of a bad pointer");
	CHECK_ERR(cadj(CLOCK_REALTIME, NULL), EFAULT, "clock_adjtime of NULL");
	CHECK_ERR(cadj(CLOCK_MONOTONIC, NULL), EFAULT, "clock_adjtime: EFAULT before the clock check");
}

static void test_fields(void)
{
	struct timex tx = { 0 };

	tx.freq = 100 << 16;
	CHECK_OK(set1(ADJ_FREQUENCY, &tx), "set freq 100 ppm");
	CHECK(tx.freq == 100 << 16, "freq reads back", "%ld", tx.freq);
	tx.freq = -(1000L << 16);
	CHECK_OK(set1(ADJ_FREQUENCY, &tx), "set freq -1000 ppm");
	CHECK(tx.freq == -(500L << 16), "freq is clamped to -500 ppm", "%ld", tx.freq);
	tx.freq = INT64_MAX / T_PPM_SCALE + 1;
	CHECK_ERR(set1(ADJ_FREQUENCY, &tx), EINVAL, "a freq that overflows");
	tx.freq = 0;
	CHECK_OK(set1(ADJ_FREQUENCY, &tx), "set freq 0");

	tx.maxerror = 1000;
	CHECK_OK(set1(ADJ_MAXERROR, &tx), "set maxerror");
	CHECK(tx.maxerror >= 1000 && tx.maxerror <= 2500, "maxerror reads back (growing 500 us/s)", "%ld",
	      tx.maxerror);
	tx.esterror = 12345;
	CHECK_OK(set1(ADJ_ESTERROR, &tx), "set esterror");
	CHECK(tx.esterror == 12345, "esterror reads back", "%ld", tx.esterror);

	tx.tick = 9999;
	CHECK_OK(set1(ADJ_TICK, &tx), "set tick 9999");
	CHECK(tx.tick == 9999, "tick reads back", "%ld", tx.tick);
	tx.tick = 8999;
	CHECK_ERR(set1(ADJ_TICK, &tx), EINVAL, "tick 8999 is more than 10% off");
	tx.tick = 11001;
	CHECK_ERR(set1(ADJ_TICK, &tx), EINVAL, "tick 11001 is more than 10% off");
	tx.tick = 10000;
	CHECK_OK(set1(ADJ_TICK, &tx), "tick back to 10000");

	tx.constant = 3;
	CHECK_OK(set1(ADJ_TIMECONST, &tx), "set time constant 3 (microsecond mode)");
	CHECK(tx.constant == 7, "the constant is stored plus 4 in microsecond mode", "%ld", tx.constant);
	tx.constant = 100;
	CHECK_OK(set1(ADJ_TIMECONST, &tx), "set time constant 100");
	CHECK(tx.constant == 10, "the constant is clamped to 10", "%ld", tx.constant);
	tx.constant = -1;
	CHECK_OK(set1(ADJ_TIMECONST, &tx), "set time constant -1");
	CHECK(tx.constant == 4, "the constant is clamped to 0 before adding 4", "%ld", tx.constant);

	CHECK_OK(set1(ADJ_NANO, &tx), "ADJ_NANO");
	CHECK(tx.status & STA_NANO, "ADJ_NANO sets STA_NANO", "%#x", tx.status);
	CHECK(tx.time.tv_usec >= 0 && tx.time.tv_usec < 1000000000, "time is in nanoseconds", "%ld",
	      tx.time.tv_usec);
	tx.constant = 3;
	CHECK_OK(set1(ADJ_TIMECONST, &tx), "set time constant 3 (nanosecond mode)");
	CHECK(tx.constant == 3, "the constant is stored as is in nanosecond mode", "%ld", tx.constant);
	CHECK_OK(set1(ADJ_MICRO, &tx), "ADJ_MICRO");
	CHECK(!(tx.status & STA_NANO), "ADJ_MICRO clears STA_NANO", "%#x", tx.status);

	tx.status = STA_CLOCKERR | STA_FREQHOLD;
	CHECK_RET(set1(ADJ_STATUS, &tx), TIME_OK, "clearing STA_UNSYNC gives TIME_OK");
	CHECK(tx.status == STA_FREQHOLD, "read-only STA_CLOCKERR is not set", "%#x", tx.status);
	tx.status = STA_UNSYNC;
	CHECK_RET(set1(ADJ_STATUS, &tx), TIME_ERROR, "setting STA_UNSYNC gives TIME_ERROR");
}

static void test_adjtime(void)
{
	struct timex tx = { 0 };

	tx.offset = 0;
	CHECK_OK(set1(ADJ_OFFSET_SINGLESHOT, &tx), "adjtime: no adjustment");
	tx.offset = 1000;
	CHECK_OK(set1(ADJ_OFFSET_SINGLESHOT, &tx), "adjtime: 1 ms");
	CHECK(tx.offset == 0, "adjtime gives the old adjustment", "%ld", tx.offset);
	CHECK_OK(set1(ADJ_OFFSET_SS_READ, &tx), "adjtime: read");
	CHECK(tx.offset >= 0 && tx.offset <= 1000, "the adjustment reads back (what is left of it)", "%ld",
	      tx.offset);
	tx.offset = 0;
	CHECK_OK(set1(ADJ_OFFSET_SINGLESHOT, &tx), "adjtime: cancel");
	CHECK(tx.offset >= 0 && tx.offset <= 1000, "cancelling gives what was left", "%ld", tx.offset);
}

static void test_setoffset(void)
{
	struct timex tx = { 0 };
	int64_t t0 = now_ns();

	tx.time.tv_sec = 1;
	tx.time.tv_usec = 0;
	CHECK_OK(set1(ADJ_SETOFFSET, &tx), "ADJ_SETOFFSET +1 s");
	int64_t d = now_ns() - t0;
	CHECK(d >= 1000000000 && d < 1500000000, "CLOCK_REALTIME stepped by 1 s", "%lld", (long long)d);
	tx.time.tv_sec = -1;
	tx.time.tv_usec = 0;
	CHECK_OK(set1(ADJ_SETOFFSET, &tx), "ADJ_SETOFFSET -1 s");
	d = now_ns() - t0;
	CHECK(d >= 0 && d < 500000000, "CLOCK_REALTIME stepped back", "%lld", (long long)d);

	tx.time.tv_sec = 0;
	tx.time.tv_usec = -1;
	CHECK_ERR(set1(ADJ_SETOFFSET, &tx), EINVAL, "ADJ_SETOFFSET with a negative fraction");
	tx.time.tv_usec = 1000000;
	CHECK_ERR(set1(ADJ_SETOFFSET, &tx), EINVAL, "ADJ_SETOFFSET with a whole second of microseconds");
	tx.time.tv_usec = 1000000000;
	CHECK_ERR(set1(ADJ_SETOFFSET | ADJ_NANO, &tx), EINVAL, "ADJ_SETOFFSET with a whole second of nanoseconds");
	tx.time.tv_sec = -(1L << 40);
	tx.time.tv_usec = 0;
	CHECK_ERR(set1(ADJ_SETOFFSET, &tx), EINVAL, "ADJ_SETOFFSET to before 1970");
	/* The last whole second of a 64-bit nanosecond count plus a fraction (trinity found it overflowing). */
	tx.time.tv_sec = INT64_MAX / 1000000000;
	tx.time.tv_usec = 872747;
	CHECK_ERR(set1(ADJ_SETOFFSET, &tx), EINVAL, "ADJ_SETOFFSET past the end of time");
	tx.time.tv_sec = INT64_MAX;
	tx.time.tv_usec = 999999;
	CHECK_ERR(set1(ADJ_SETOFFSET, &tx), EINVAL, "ADJ_SETOFFSET by INT64_MAX seconds");

	t0 = now_ns();
	tx.time.tv_sec = 0;
	tx.time.tv_usec = 300000000;
	CHECK_OK(set1(ADJ_SETOFFSET | ADJ_NANO, &tx), "ADJ_SETOFFSET +0.3 s in nanoseconds");
	d = now_ns() - t0;
	CHECK(d >= 300000000 && d < 800000000, "CLOCK_REALTIME stepped by 0.3 s", "%lld", (long long)d);
	tx.time.tv_sec = -1;
	tx.time.tv_usec = 700000000;
	CHECK_OK(set1(ADJ_SETOFFSET | ADJ_NANO, &tx), "ADJ_SETOFFSET -0.3 s as -1 + 0.7");
	CHECK_OK(set1(ADJ_MICRO, &tx), "back to microseconds");
}

static void test_eperm(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timex tx = { 0 };
		int bad = 0;

		if (setuid(65534))
			_exit(90);
		bad |= (adj(&tx) < 0) << 0;
		tx.maxerror = 1000;
		bad |= !(set1(ADJ_MAXERROR, &tx) == -1 && errno == EPERM) << 1;
		tx.tick = 1;
		bad |= !(set1(ADJ_TICK, &tx) == -1 && errno == EPERM) << 2;
		tx.time.tv_sec = 1;
		bad |= !(set1(ADJ_SETOFFSET, &tx) == -1 && errno == EPERM) << 3;
		tx.offset = 0;
		bad |= !(set1(ADJ_OFFSET_SINGLESHOT, &tx) == -1 && errno == EPERM) << 4;
		bad |= (set1(ADJ_OFFSET_SS_READ, &tx) < 0) << 5;
		tx.modes = ADJ_STATUS;
		tx.status = 0;
		bad |= !(cadj(CLOCK_REALTIME, &tx) == -1 && errno == EPERM) << 6;
		_exit(bad);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "without CAP_SYS_TIME: reading works, setting (bad tick too), stepping and adjtime are EPERM",
	      "status %#x", st);
}

int main(int argc, char **argv)
{
	struct timex orig = { 0 };

	check_init(argc > 0 ? argv[0] : "t_adjtimex");
	adj(&orig);
	test_read();
	test_clocks();
	test_fields();
	test_adjtime();
	test_setoffset();
	test_eperm();

	/* Restore: the constant in nanosecond mode, where it is stored as given. */
	int nano = orig.status & STA_NANO;
	CHECK_OK(set1(ADJ_STATUS | ADJ_NANO | ADJ_FREQUENCY | ADJ_MAXERROR | ADJ_ESTERROR | ADJ_TIMECONST |
		      ADJ_TICK, &orig), "restore the state");
	if (!nano)
		CHECK_OK(set1(ADJ_MICRO, &orig), "restore microsecond mode");
	return check_done();
}
