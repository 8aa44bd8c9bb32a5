// SPDX-License-Identifier: MPL-2.0
// Host tests of kernel/lib/kstrtox.c against Linux's kstrto*() rules:
// bases, signs, one trailing newline, NUL-terminated copies, ranges.
#include <errno.h>
#include <string.h>
#include "tap.h"
#include "lib/kstrtox.h"

/* The text as a /proc write hands it over: a counted buffer. */
static int ull(const char *s, unsigned int base, uint64_t *v)
{
	return kstrtoull(s, strlen(s), base, v);
}

static void test_unsigned(void)
{
	uint64_t v = 0;
	uint32_t u = 0;

	ok(ull("42", 10, &v) == 0 && v == 42, "decimal");
	ok(ull("42\n", 10, &v) == 0 && v == 42, "one trailing newline");
	ok(ull("42\n\n", 10, &v) == -EINVAL, "two newlines: EINVAL");
	ok(ull(" 42", 10, &v) == -EINVAL, "a leading blank: EINVAL");
	ok(ull("+7", 10, &v) == 0 && v == 7, "a '+' sign");
	ok(ull("-7", 10, &v) == -EINVAL, "a '-' sign: EINVAL for unsigned");
	ok(ull("", 10, &v) == -EINVAL && ull("\n", 10, &v) == -EINVAL, "no digit: EINVAL");
	ok(ull("0x1f", 0, &v) == 0 && v == 31, "base 0: 0x is hex");
	ok(ull("017", 0, &v) == 0 && v == 15, "base 0: a leading 0 is octal");
	ok(ull("0", 0, &v) == 0 && v == 0, "base 0: a lone 0");
	ok(ull("018", 0, &v) == -EINVAL, "base 0: 8 is no octal digit");
	ok(ull("0x", 0, &v) == -EINVAL, "a bare 0x: EINVAL");
	ok(ull("0x10", 16, &v) == 0 && v == 16, "base 16 takes a 0x prefix");
	ok(ull("ff", 16, &v) == 0 && v == 255, "base 16 without the prefix");
	ok(ull("12", 10, &v) == 0 && kstrtoull("12345", 2, 10, &v) == 0 && v == 12,
	   "only the first len bytes count");
	ok(kstrtoull("9\0junk", 6, 10, &v) == 0 && v == 9, "a NUL ends the text");
	ok(ull("18446744073709551615", 10, &v) == 0 && v == UINT64_MAX, "2^64-1 fits");
	ok(ull("18446744073709551616", 10, &v) == -ERANGE, "2^64: ERANGE");
	ok(ull("1", 1, &v) == -EINVAL && ull("1", 17, &v) == -EINVAL, "bases outside 2..16: EINVAL");
	ok(kstrtouint("4294967295", 10, 0, &u) == 0 && u == UINT32_MAX, "kstrtouint: 2^32-1 fits");
	ok(kstrtouint("4294967296", 10, 0, &u) == -ERANGE, "kstrtouint: 2^32: ERANGE");
}

static void test_signed(void)
{
	int64_t l = 0;
	int32_t i = 0;

	ok(kstrtoll("-9223372036854775808", 20, 10, &l) == 0 && l == INT64_MIN, "INT64_MIN fits");
	ok(kstrtoll("9223372036854775807", 19, 10, &l) == 0 && l == INT64_MAX, "INT64_MAX fits");
	ok(kstrtoll("9223372036854775808", 19, 10, &l) == -ERANGE, "INT64_MAX+1: ERANGE");
	ok(kstrtoll("-9223372036854775809", 20, 10, &l) == -ERANGE, "below INT64_MIN: ERANGE");
	ok(kstrtoint("-1000\n", 6, 0, &i) == 0 && i == -1000, "kstrtoint: a negative with newline");
	ok(kstrtoint("+5", 2, 0, &i) == 0 && i == 5, "kstrtoint: '+'");
	ok(kstrtoint("--5", 3, 0, &i) == -EINVAL, "kstrtoint: two signs: EINVAL");
	ok(kstrtoint("-0x10", 5, 0, &i) == 0 && i == -16, "kstrtoint: a negative hex");
	ok(kstrtoint("2147483648", 10, 0, &i) == -ERANGE, "kstrtoint: 2^31: ERANGE");
	ok(kstrtoint("-2147483648", 11, 0, &i) == 0 && i == INT32_MIN, "kstrtoint: INT32_MIN fits");
}

static void test_strip(void)
{
	size_t n = 9;
	const char *s = kstr_strip(" \t-12 \n\0x", &n);

	ok(n == 3 && memcmp(s, "-12", 3) == 0, "strip: blanks around, up to the NUL");
	n = 3;
	s = kstr_strip("   ", &n);
	ok(n == 0, "strip: all blanks leave nothing");
}

int main(void)
{
	plan(33);
	test_unsigned();
	test_signed();
	test_strip();
	return done();
}
