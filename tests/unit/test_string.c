// SPDX-License-Identifier: MPL-2.0
// Host tests of frame/lib/string.c: memory and string helpers, parse_u64/i64.
#include "tap.h"
#include "host_rename.h"
#include <aster/errno.h>
#include <aster/string.h>

static void test_memset_memcpy(void)
{
	unsigned char buf[16], src[16];

	for (int i = 0; i < 16; i++) {
		buf[i] = 0x11;
		src[i] = (unsigned char)(i + 1);
	}
	ok(aster_memset(buf + 2, 0x1ff, 4) == buf + 2, "memset returns dst");
	ok(buf[1] == 0x11 && buf[2] == 0xff && buf[5] == 0xff && buf[6] == 0x11,
	   "memset fills n bytes with (unsigned char)c and no more");
	ok(aster_memset(buf, 0, 0) == buf && buf[0] == 0x11, "memset of 0 bytes writes nothing");
	ok(aster_memcpy(buf, src, 16) == buf && buf[0] == 1 && buf[15] == 16, "memcpy copies all bytes");
	buf[3] = 0x55;
	aster_memcpy(buf + 3, src, 0);
	ok(buf[3] == 0x55, "memcpy of 0 bytes writes nothing");
}

static void test_memmove(void)
{
	char a[] = "0123456789";
	char b[] = "0123456789";
	char c[] = "0123456789";

	ok(aster_memmove(a + 2, a, 5) == a + 2, "memmove returns dst");
	is_str(a, "0101234789", "memmove forward overlap (dst > src)");
	aster_memmove(b, b + 3, 5);
	is_str(b, "3456756789", "memmove backward overlap (dst < src)");
	aster_memmove(c, c, 10);
	is_str(c, "0123456789", "memmove onto itself");
	aster_memmove(c + 1, c, 0);
	is_str(c, "0123456789", "memmove of 0 bytes");
}

static void test_memcmp(void)
{
	is_int(aster_memcmp("abc", "abd", 3), -1, "memcmp less");
	is_int(aster_memcmp("abd", "abc", 3), 1, "memcmp greater");
	is_int(aster_memcmp("abc", "abd", 2), 0, "memcmp equal prefix");
	is_int(aster_memcmp("a", "b", 0), 0, "memcmp of 0 bytes");
	is_int(aster_memcmp("\x80", "\x7f", 1), 1, "memcmp compares bytes as unsigned");
	is_int(aster_memcmp("a\0b", "a\0c", 3), -1, "memcmp goes past NUL bytes");
}

static void test_strlen_strnlen(void)
{
	const char unterminated[4] = { 'a', 'b', 'c', 'd' };

	is_int(aster_strlen(""), 0, "strlen empty");
	is_int(aster_strlen("hello"), 5, "strlen");
	is_int(aster_strnlen("hello", 3), 3, "strnlen stops at max");
	is_int(aster_strnlen("hi", 10), 2, "strnlen stops at NUL");
	is_int(aster_strnlen("hi", 0), 0, "strnlen with max 0");
	is_int(aster_strnlen(unterminated, sizeof(unterminated)), 4,
	       "strnlen reads no further than max (unterminated array)");
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_strcmp(void)
{
	is_int(aster_strcmp("abc", "abc"), 0, "strcmp equal");
	is_int(sign(aster_strcmp("abc", "abd")), -1, "strcmp less");
	is_int(sign(aster_strcmp("abd", "abc")), 1, "strcmp greater");
	is_int(sign(aster_strcmp("ab", "abc")), -1, "strcmp prefix is less");
	is_int(sign(aster_strcmp("abc", "ab")), 1, "strcmp longer is greater");
	is_int(aster_strcmp("", ""), 0, "strcmp empty strings");
	is_int(sign(aster_strcmp("\xff", "a")), 1, "strcmp compares as unsigned char");
	is_int(aster_strncmp("abcX", "abcY", 3), 0, "strncmp equal in n");
	is_int(sign(aster_strncmp("abcX", "abcY", 4)), -1, "strncmp less at n");
	is_int(aster_strncmp("a", "b", 0), 0, "strncmp n=0");
	is_int(aster_strncmp("ab", "ab", 100), 0, "strncmp stops at NUL");
	is_int(sign(aster_strncmp("ab", "abc", 100)), -1, "strncmp prefix is less");
	is_int(sign(aster_strncmp("\x80", "\x7f", 1)), 1, "strncmp compares as unsigned char");
}

static void test_strchr(void)
{
	const char *s = "a=b=c";

	ok(aster_strchr(s, '=') == s + 1, "strchr finds the first match");
	ok(aster_strchr(s, 'x') == NULL, "strchr returns NULL when absent");
	ok(aster_strchr(s, '\0') == s + 5, "strchr of '\\0' finds the terminator");
	ok(aster_strchr(s, 0x100 + 'b') == s + 2, "strchr converts c to char");
	ok(aster_strchr("", 'a') == NULL, "strchr in an empty string");
}

static void test_strlcpy(void)
{
	char buf[8];

	memset(buf, 'X', sizeof(buf));
	is_int(aster_strlcpy(buf, "hello", sizeof(buf)), 5, "strlcpy returns strlen(src)");
	is_str(buf, "hello", "strlcpy copies a short string");
	is_int(aster_strlcpy(buf, "truncate me", sizeof(buf)), 11, "strlcpy returns strlen(src) when truncating");
	is_str(buf, "truncat", "strlcpy truncates to size-1 and terminates");
	is_int(aster_strlcpy(buf, "1234567", sizeof(buf)), 7, "strlcpy exact fit");
	is_str(buf, "1234567", "strlcpy exact fit copies everything");
	memset(buf, 'X', sizeof(buf));
	is_int(aster_strlcpy(buf, "abc", 1), 3, "strlcpy size 1");
	ok(buf[0] == '\0' && buf[1] == 'X', "strlcpy size 1 writes only the terminator");
	memset(buf, 'X', sizeof(buf));
	is_int(aster_strlcpy(buf, "abc", 0), 3, "strlcpy size 0");
	ok(buf[0] == 'X', "strlcpy size 0 writes nothing");
	is_int(aster_strlcpy(buf, "", sizeof(buf)), 0, "strlcpy empty source");
	is_str(buf, "", "strlcpy empty source terminates");
}

static void check_u64(const char *s, int want_err, uint64_t want)
{
	uint64_t v = 0xdeadbeef;
	int err = parse_u64(s, &v);

	if (want_err) {
		is_int(err, want_err, "parse_u64(\"%s\") fails with %d", s, want_err);
		ok(v == 0xdeadbeef, "parse_u64(\"%s\") leaves *out alone on error", s);
	} else {
		is_int(err, 0, "parse_u64(\"%s\") succeeds", s);
		ok(v == want, "parse_u64(\"%s\") = %" PRIu64 " (got %" PRIu64 ")", s, want, v);
	}
}

static void check_i64(const char *s, int want_err, int64_t want)
{
	int64_t v = 0x5a5a;
	int err = parse_i64(s, &v);

	if (want_err) {
		is_int(err, want_err, "parse_i64(\"%s\") fails with %d", s, want_err);
		ok(v == 0x5a5a, "parse_i64(\"%s\") leaves *out alone on error", s);
	} else {
		is_int(err, 0, "parse_i64(\"%s\") succeeds", s);
		ok(v == want, "parse_i64(\"%s\") = %" PRId64 " (got %" PRId64 ")", s, want, v);
	}
}

static void test_parse_u64(void)
{
	check_u64("0", 0, 0);
	check_u64("7", 0, 7);
	check_u64("00012", 0, 12);	/* decimal, not octal */
	check_u64("4096", 0, 4096);
	check_u64("18446744073709551615", 0, UINT64_MAX);
	check_u64("18446744073709551616", -ERANGE, 0);
	check_u64("18446744073709551620", -ERANGE, 0);
	check_u64("99999999999999999999999", -ERANGE, 0);
	check_u64("0x0", 0, 0);
	check_u64("0x1f", 0, 31);
	check_u64("0X1F", 0, 31);
	check_u64("0xDeadBeef", 0, 0xdeadbeef);
	check_u64("0xffffffffffffffff", 0, UINT64_MAX);
	check_u64("0x0000000000000000ffffffffffffffff", 0, UINT64_MAX);
	check_u64("0x10000000000000000", -ERANGE, 0);
	check_u64("", -EINVAL, 0);
	check_u64("0x", -EINVAL, 0);
	check_u64("0X", -EINVAL, 0);
	check_u64("x10", -EINVAL, 0);
	check_u64("12a", -EINVAL, 0);
	check_u64("abc", -EINVAL, 0);
	check_u64("0xfg", -EINVAL, 0);
	check_u64("1 ", -EINVAL, 0);
	check_u64(" 1", -EINVAL, 0);
	check_u64("-1", -EINVAL, 0);
	check_u64("+1", -EINVAL, 0);
	check_u64("1.5", -EINVAL, 0);
	check_u64("0x-1", -EINVAL, 0);
	check_u64("1k", -EINVAL, 0);
}

static void test_parse_i64(void)
{
	check_i64("0", 0, 0);
	check_i64("-0", 0, 0);
	check_i64("+0", 0, 0);
	check_i64("42", 0, 42);
	check_i64("+42", 0, 42);
	check_i64("-42", 0, -42);
	check_i64("-0x10", 0, -16);
	check_i64("0x7fffffffffffffff", 0, INT64_MAX);
	check_i64("9223372036854775807", 0, INT64_MAX);
	check_i64("9223372036854775808", -ERANGE, 0);
	check_i64("+9223372036854775808", -ERANGE, 0);
	check_i64("-9223372036854775808", 0, INT64_MIN);
	check_i64("-0x8000000000000000", 0, INT64_MIN);
	check_i64("-9223372036854775809", -ERANGE, 0);
	check_i64("-18446744073709551615", -ERANGE, 0);
	check_i64("-18446744073709551616", -ERANGE, 0);
	check_i64("", -EINVAL, 0);
	check_i64("-", -EINVAL, 0);
	check_i64("+", -EINVAL, 0);
	check_i64("--1", -EINVAL, 0);
	check_i64("+-1", -EINVAL, 0);
	check_i64("- 1", -EINVAL, 0);
	check_i64("1-", -EINVAL, 0);
	check_i64("-0x", -EINVAL, 0);
}

int main(void)
{
	test_memset_memcpy();
	test_memmove();
	test_memcmp();
	test_strlen_strnlen();
	test_strcmp();
	test_strchr();
	test_strlcpy();
	test_parse_u64();
	test_parse_i64();
	return done();
}
