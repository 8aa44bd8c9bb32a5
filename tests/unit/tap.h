/* SPDX-License-Identifier: MPL-2.0 */
/*
 * A tiny TAP (Test Anything Protocol) producer for the host unit tests, read
 * by automake's tap-driver.sh.  Header-only; one test program per file:
 *
 *	plan(3);
 *	ok(x == 1, "x is one");
 *	is_int(f(2), 4, "f(%d)", 2);
 *	todo_start("bug: f(-1) overflows");
 *	is_str(g(-1), "-1", "g(-1)");
 *	todo_end();
 *	return done();
 *
 * A failed check inside todo_start()/todo_end() is reported as
 * "not ok N - desc # TODO reason" and does not fail the suite; one that
 * passes there is an XPASS, which does (so a fixed bug gets its TODO removed).
 */
#ifndef ASTER_TESTS_TAP_H
#define ASTER_TESTS_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAP_UNUSED	__attribute__((unused))
#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))

static int tap_planned = -1, tap_count, tap_failures;
static const char *tap_todo_reason;

/* Announce how many checks will run (TAP plan "1..n"). */
static TAP_UNUSED void plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

/* A diagnostic line ("# ..."), shown in the test's .log file. */
static TAP_UNUSED TAP_PRINTF(1, 2) void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

/* Checks until todo_end() are known failures: report them as TODO. */
static TAP_UNUSED void todo_start(const char *reason)
{
	tap_todo_reason = reason;
}

static TAP_UNUSED void todo_end(void)
{
	tap_todo_reason = NULL;
}

static TAP_UNUSED bool tap_vok(bool pass, const char *file, int line, const char *fmt, va_list ap)
{
	tap_count++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	if (tap_todo_reason)
		printf(" # TODO %s", tap_todo_reason);
	putchar('\n');
	if (!pass) {
		diag("  failed at %s:%d", file, line);
		if (!tap_todo_reason)
			tap_failures++;
	}
	fflush(stdout);
	return pass;
}

static TAP_UNUSED TAP_PRINTF(4, 5) bool tap_ok(bool pass, const char *file, int line,
					       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pass = tap_vok(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

/* Show a string in diagnostics with its unprintable bytes escaped. */
static TAP_UNUSED void tap_show(const char *what, const char *s)
{
	if (!s) {
		diag("  %8s: NULL", what);
		return;
	}
	printf("#   %8s: '", what);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("'\n");
}

static TAP_UNUSED TAP_PRINTF(5, 6) bool tap_is_str(const char *got, const char *want,
						   const char *file, int line, const char *fmt, ...)
{
	bool pass = got && want ? strcmp(got, want) == 0 : got == want;
	va_list ap;

	va_start(ap, fmt);
	pass = tap_vok(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_show("got", got);
		tap_show("expected", want);
	}
	return pass;
}

static TAP_UNUSED TAP_PRINTF(5, 6) bool tap_is_int(intmax_t got, intmax_t want,
						   const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	bool pass;

	va_start(ap, fmt);
	pass = tap_vok(got == want, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		diag("       got: %jd (%#jx)", got, (uintmax_t)got);
		diag("  expected: %jd (%#jx)", want, (uintmax_t)want);
	}
	return pass;
}

/* ok(cond, fmt, ...): one check; the description is printf-formatted. */
#define ok(cond, ...)		tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* is_str(got, want, fmt, ...): strings equal (both may be NULL). */
#define is_str(got, want, ...)	tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
/* is_int(got, want, fmt, ...): integers equal (compared as intmax_t). */
#define is_int(got, want, ...)	tap_is_int((intmax_t)(got), (intmax_t)(want), __FILE__, __LINE__, \
					   __VA_ARGS__)

/* The exit status of main: nonzero if a check failed or the plan was wrong. */
static TAP_UNUSED int done(void)
{
	if (tap_planned < 0) {
		printf("1..%d\n", tap_count);
	} else if (tap_count != tap_planned) {
		diag("planned %d checks but ran %d", tap_planned, tap_count);
		return 1;
	}
	if (tap_failures)
		diag("%d of %d checks failed", tap_failures, tap_count);
	return tap_failures ? 1 : 0;
}

#endif
