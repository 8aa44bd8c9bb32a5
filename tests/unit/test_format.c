// SPDX-License-Identifier: MPL-2.0
// Host tests of frame/lib/format.c (the kernel's vsnprintf/snprintf), against
// literal expected strings.
#include <limits.h>
#include "tap.h"
#include "host_rename.h"
#include <aster/format.h>
#include <aster/string.h>

#define CANARY	((char)0xa5)

/* Format into a large buffer and compare with `want` and its length. */
static TAP_PRINTF(3, 4) void fmt_is_at(int line, const char *want, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	memset(buf, CANARY, sizeof(buf));
	va_start(ap, fmt);
	n = aster_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tap_is_str(buf, want, __FILE__, line, "format \"%s\"", fmt);
	tap_is_int(n, (intmax_t)strlen(want), __FILE__, line, "format \"%s\" returns %zu", fmt,
		   strlen(want));
}

#define FMT(want, ...)	fmt_is_at(__LINE__, want, __VA_ARGS__)

static void test_integers(void)
{
	FMT("0", "%d", 0);
	FMT("42", "%d", 42);
	FMT("-42", "%d", -42);
	FMT("7", "%i", 7);
	FMT("-7", "%i", -7);
	FMT("2147483647", "%d", INT_MAX);
	FMT("-2147483648", "%d", INT_MIN);
	FMT("4294967295", "%u", UINT_MAX);
	FMT("0", "%u", 0U);
	FMT("9223372036854775807", "%ld", LONG_MAX);
	FMT("-9223372036854775808", "%ld", LONG_MIN);
	FMT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	FMT("9223372036854775807", "%lli", (long long)INT64_MAX);
	FMT("18446744073709551615", "%lu", ULONG_MAX);
	FMT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	FMT("ff", "%x", 255U);
	FMT("FF", "%X", 255U);
	FMT("deadbeef", "%x", 0xdeadbeefU);
	FMT("ffffffff", "%x", -1);
	FMT("ffffffffffffffff", "%lx", ULONG_MAX);
	FMT("DEADBEEFCAFEBABE", "%llX", 0xdeadbeefcafebabeULL);
	FMT("10", "%o", 8U);
	FMT("777", "%o", 0777U);
	FMT("1777777777777777777777", "%lo", ULONG_MAX);
	FMT("0", "%x", 0U);
	FMT("0", "%o", 0U);
}

static void test_length_modifiers(void)
{
	FMT("44", "%hhd", 300);
	FMT("-56", "%hhd", 200);
	FMT("-128", "%hhd", 128);
	FMT("255", "%hhu", 511);
	FMT("ff", "%hhx", 0x1ff);
	FMT("4464", "%hd", 70000);
	FMT("-25536", "%hd", 40000);
	FMT("-32768", "%hi", SHRT_MIN);
	FMT("4464", "%hu", 70000);
	FMT("ffff", "%hx", -1);
	FMT("18446744073709551615", "%zu", SIZE_MAX);
	FMT("-1", "%zd", (ssize_t)-1);
	FMT("ffffffffffffffff", "%zx", SIZE_MAX);
	FMT("-5", "%td", (ptrdiff_t)-5);
	FMT("-9223372036854775808", "%jd", INTMAX_MIN);
	FMT("18446744073709551615", "%ju", UINTMAX_MAX);
	FMT("4294967296", "%lu", 1UL << 32);
	/* Without a length modifier only the int is read. */
	FMT("1 2", "%d %d", 1, 2);
	FMT("-1 18446744073709551615 -1", "%ld %lu %d", -1L, ULONG_MAX, -1);
}

static void test_width_and_flags(void)
{
	FMT("   42", "%5d", 42);
	FMT("42   |", "%-5d|", 42);
	FMT("00042", "%05d", 42);
	FMT("-0042", "%05d", -42);
	FMT("+42", "%+d", 42);
	FMT("-42", "%+d", -42);
	FMT("+0", "%+d", 0);
	FMT(" 42", "% d", 42);
	FMT("-42", "% d", -42);
	FMT(" 0", "% d", 0);
	FMT("   42", "% 5d", 42);
	FMT(" 0042", "% 05d", 42);
	FMT("+0042", "%+05d", 42);
	FMT("  +42", "%+5d", 42);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
	FMT("42   |", "%-05d|", 42);
#pragma GCC diagnostic pop
	FMT("+42  |", "%-+5d|", 42);
	FMT("12345", "%2d", 12345);
	FMT("-12345", "%3d", -12345);
	FMT("   42", "%*d", 5, 42);
	FMT("42   |", "%*d|", -5, 42);
	FMT("1   |", "%-*d|", 4, 1);
	FMT("42", "%*d", 0, 42);
	FMT("      ff", "%8x", 255U);
	FMT("000000ff", "%08x", 255U);
	FMT("ff      |", "%-8x|", 255U);
	FMT("0000000000001234", "%016lx", 0x1234UL);
	FMT("                    18446744073709551615", "%40lu", ULONG_MAX);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	FMT("+42", "%+ d", 42);	/* '+' wins over ' ' */
	FMT("+42", "% +d", 42);
#pragma GCC diagnostic pop
}

static void test_precision(void)
{
	FMT("005", "%.3d", 5);
	FMT("-005", "%.3d", -5);
	FMT("+005", "%+.3d", 5);
	FMT("12345", "%.3d", 12345);
	FMT("     005", "%8.3d", 5);
	FMT("005     |", "%-8.3d|", 5);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
	FMT("     005", "%08.3d", 5);	/* a precision disables '0' */
	FMT("    -005", "%08.3d", -5);
#pragma GCC diagnostic pop
	FMT("", "%.0d", 0);
	FMT("     |", "%5.0d|", 0);
	FMT("1", "%.0d", 1);
	FMT("+", "%+.0d", 0);
	FMT("", "%.0u", 0U);
	FMT("", "%.0x", 0U);
	FMT("", "%.d", 0);	/* "." alone is precision 0 */
	FMT("0007", "%.*d", 4, 7);
	FMT("7", "%.*d", -1, 7);	/* negative: as if omitted */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
	FMT("00007", "%05.*d", -3, 7);	/* ... and then '0' applies */
#pragma GCC diagnostic pop
	FMT("00ff", "%.4x", 255U);
	FMT("  00ff", "%6.4x", 255U);
	FMT("00000000000000000001", "%.20lu", 1UL);
}

static void test_alternate_form(void)
{
	FMT("0xff", "%#x", 255U);
	FMT("0XFF", "%#X", 255U);
	FMT("      0xff", "%#10x", 255U);
	FMT("0x000000ff", "%#010x", 255U);
	FMT("0xff      |", "%#-10x|", 255U);
	FMT("0x00ff", "%#.4x", 255U);
	FMT("0xffffffffffffffff", "%#lx", ULONG_MAX);
	FMT("010", "%#o", 8U);
	FMT("0777", "%#o", 0777U);
	/* C99 7.19.6.1: "For x conversion, a nonzero result has 0x prefixed";
	 * Linux's printk does print "0x0" for %#x of 0, so that one is kept. */
	FMT("0x0", "%#x", 0U);
	FMT("0", "%#o", 0U);
	FMT("010", "%#.3o", 8U);
}

static void test_sign_flags_on_unsigned(void)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	/* C99: '+' and ' ' apply to signed conversions only. */
	FMT("5", "%+u", 5U);
	FMT("ff", "%+x", 255U);
	FMT("5", "% u", 5U);
	FMT("ff", "% x", 255U);
#pragma GCC diagnostic pop
}

static void test_chars_and_strings(void)
{
	const char unterminated[3] = { 'x', 'y', 'z' };

	FMT("A", "%c", 'A');
	FMT("  x", "%3c", 'x');
	FMT("x  |", "%-3c|", 'x');
	FMT("ab", "%c%c", 'a', 'b');
	FMT("\xe9", "%c", 0xe9);
	FMT("hello", "%s", "hello");
	FMT("", "%s", "");
	FMT("     hello", "%10s", "hello");
	FMT("hello     |", "%-10s|", "hello");
	FMT("hello", "%3s", "hello");
	FMT("he", "%.2s", "hello");
	FMT("   he", "%5.2s", "hello");
	FMT("he   |", "%-5.2s|", "hello");
	FMT("hel", "%.*s", 3, "hello");
	FMT("hello", "%.*s", -1, "hello");
	FMT("", "%.0s", "hello");
	FMT("hello", "%.10s", "hello");
	FMT("     |", "%*s|", 5, "");
	FMT("xyz", "%.3s", unterminated);	/* must not read past the precision */
	FMT("xy", "%.2s", unterminated);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
	FMT("(null)", "%s", (char *)NULL);
	FMT("  (null)", "%8s", (char *)NULL);
	FMT("(nu", "%.3s", (char *)NULL);
#pragma GCC diagnostic pop
}

static void test_nul_char(void)
{
	char buf[8];
	int n;

	memset(buf, CANARY, sizeof(buf));
	n = aster_snprintf(buf, sizeof(buf), "a%cb", 0);
	is_int(n, 3, "%%c of 0 counts as one character");
	ok(buf[0] == 'a' && buf[1] == '\0' && buf[2] == 'b' && buf[3] == '\0' && buf[4] == CANARY,
	   "%%c of 0 writes a NUL byte in place");
}

static void test_pointers(void)
{
	FMT("0x1234", "%p", (void *)0x1234);
	FMT("0xffff800000001000", "%p", (void *)0xffff800000001000UL);
	FMT("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
	FMT("0x0", "%p", NULL);
	FMT("          0x1234", "%16p", (void *)0x1234);
	FMT("0x1234          |", "%-16p|", (void *)0x1234);
	FMT("<0xabc>", "<%p>", (void *)0xabc);
}

static void test_percent_and_oddities(void)
{
	FMT("100%", "100%%");
	FMT("%d", "%%d");
	FMT("%%", "%%%%");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
	FMT("", "");
#pragma GCC diagnostic pop
	FMT("plain text", "plain text");
	FMT("[x|-3|ff|0x10|%]", "[%s|%d|%x|%p|%%]", "x", -3, 255U, (void *)16);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
	FMT("%q", "%q");	/* unknown conversions are copied */
	FMT("a%yb", "a%yb");
	FMT("abc", "abc%");	/* a lone '%' at the end is dropped */
	FMT("abc", "abc%-");
	FMT("abc", "abc%l");
	FMT("abc", "abc%hh");
	FMT("abc", "abc%5");
	FMT("abc", "abc%.");
#pragma GCC diagnostic pop
}

/* "abc%d" of 12345 is "abc12345": 8 characters. */
static void test_truncation(void)
{
	const char *full = "abc12345";
	char buf[16];

	for (size_t size = 1; size <= 10; size++) {
		size_t keep = size - 1 < 8 ? size - 1 : 8;
		bool intact = true;
		int n;

		memset(buf, CANARY, sizeof(buf));
		n = aster_snprintf(buf, size, "abc%d", 12345);
		is_int(n, 8, "size %zu: returns the full length", size);
		ok(strncmp(buf, full, keep) == 0 && buf[keep] == '\0',
		   "size %zu: keeps %zu characters and terminates", size, keep);
		for (size_t i = size; i < sizeof(buf); i++)
			intact &= buf[i] == CANARY;
		ok(intact, "size %zu: writes nothing past size", size);
	}
	memset(buf, CANARY, sizeof(buf));
	is_int(aster_snprintf(buf, 0, "abc%d", 12345), 8, "size 0: returns the full length");
	ok(buf[0] == CANARY, "size 0: writes nothing");
	is_int(aster_snprintf(NULL, 0, "%s=%d", "answer", 42), 9, "size 0 with a NULL buffer");
	is_int(aster_snprintf(buf, 4, "%20s", "x"), 20, "padding counts past the buffer");
	is_str(buf, "   ", "padding is truncated too");
	is_int(aster_snprintf(buf, 3, "%lu", ULONG_MAX), 20, "long number truncated");
	is_str(buf, "18", "long number keeps its leading digits");
	is_int(aster_snprintf(buf, 2, "%%%%"), 2, "%%%% truncated");
	is_str(buf, "%", "%%%% keeps one percent sign");
}

/* vsnprintf through a caller's va_list, as printk uses it. */
static TAP_PRINTF(3, 4) int wrap(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = aster_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_long_output(void)
{
	char big[600], want[600];
	int n;

	memset(want, 'y', 511);
	want[511] = '\0';
	n = aster_snprintf(big, sizeof(big), "%s", want);
	is_int(n, 511, "a 511-character string");
	ok(strcmp(big, want) == 0, "a 511-character string is copied intact");
	n = wrap(big, sizeof(big), "%d-%s-%c-%lx-%p-%u", -1, "s", 'c', 0xabcUL, (void *)0x10, 3U);
	is_int(n, 17, "vsnprintf through a va_list");
	is_str(big, "-1-s-c-abc-0x10-3", "vsnprintf through a va_list reads every argument in order");
}

int main(void)
{
	test_integers();
	test_length_modifiers();
	test_width_and_flags();
	test_precision();
	test_alternate_form();
	test_sign_flags_on_unsigned();
	test_chars_and_strings();
	test_nul_char();
	test_pointers();
	test_percent_and_oddities();
	test_truncation();
	test_long_output();
	return done();
}
