// SPDX-License-Identifier: MPL-2.0
// Host tests of kernel/init/init_args.c: init's argv and envp from the command
// line, by Linux's rules (init/main.c): words the kernel knows are its own,
// so are unknown "module.param" words; other NAME=VALUE words go to the
// environment and bare words to argv; everything after "--" goes to argv.
#include "tap.h"
#include <aster/errno.h>
#include "init_args.h"

static struct init_args ia;

/* The kernel's parameters in these tests, as boot_param_is_kernel() decides. */
static bool is_kernel_param(const char *name)
{
	static const char *const known[] = { "console", "quiet", "init", "root", "ktest", "panic" };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(name, known[i]) == 0)
			return true;
	return strchr(name, '.') != NULL;
}

static bool no_kernel_param(const char *name)
{
	(void)name;
	return false;
}

/* Compare a NULL-terminated vector with the expected one. */
static bool vec_is(const char *const *got, unsigned int n, const char *const *want)
{
	unsigned int m = 0;
	bool same;

	while (want[m])
		m++;
	same = n == m && got[n] == NULL;
	for (unsigned int i = 0; same && i < m; i++)
		same = got[i] && strcmp(got[i], want[i]) == 0;
	return same;
}

static void vec_show(const char *what, const char *const *got, unsigned int n, const char *const *want)
{
	for (unsigned int i = 0; i <= n; i++)
		diag("  %s[%u] = %s%s%s", what, i, got[i] ? "'" : "", got[i] ? got[i] : "NULL",
		     got[i] ? "'" : "");
	for (unsigned int i = 0; want[i]; i++)
		diag("  expected %s[%u] = '%s'", what, i, want[i]);
}

/* ok() that the vector is as expected, showing both when not. */
#define VEC_OK(what, got, n, want, ...)						\
	do {									\
		if (!ok(vec_is(got, n, want), __VA_ARGS__))			\
			vec_show(what, got, n, want);				\
	} while (0)

static void check_at(int line, const char *cmdline, const char *const *argv, const char *const *envp)
{
	int err = init_args_build(&ia, cmdline, "/init", is_kernel_param);

	tap_is_int(err, 0, __FILE__, line, "\"%s\": builds", cmdline);
	if (!tap_ok(vec_is(ia.argv, ia.argc, argv), __FILE__, line, "\"%s\": argv", cmdline))
		vec_show("argv", ia.argv, ia.argc, argv);
	if (!tap_ok(vec_is(ia.envp, ia.envc, envp), __FILE__, line, "\"%s\": envp", cmdline))
		vec_show("envp", ia.envp, ia.envc, envp);
}

#define V(...)	((const char *const[]){ __VA_ARGS__, NULL })
#define CHECK(cmdline, argv, envp)	check_at(__LINE__, cmdline, argv, envp)

static void test_linux_rules(void)
{
	CHECK("", V("/init"), V("HOME=/", "TERM=linux"));
	CHECK("   ", V("/init"), V("HOME=/", "TERM=linux"));
	CHECK("console=ttyS0 foo=bar baz -- qux quux=1",
	      V("/init", "baz", "qux", "quux=1"), V("HOME=/", "TERM=linux", "foo=bar"));
	CHECK("quiet root=/dev/vda console=ttyS0,115200", V("/init"), V("HOME=/", "TERM=linux"));
	CHECK("single", V("/init", "single"), V("HOME=/", "TERM=linux"));
	CHECK("a b c", V("/init", "a", "b", "c"), V("HOME=/", "TERM=linux"));
	CHECK("X=1 Y=2 Z=", V("/init"), V("HOME=/", "TERM=linux", "X=1", "Y=2", "Z="));
	CHECK("LANG=C.UTF-8 x", V("/init", "x"), V("HOME=/", "TERM=linux", "LANG=C.UTF-8"));
	CHECK("url=http://a.b/?q=1", V("/init"), V("HOME=/", "TERM=linux", "url=http://a.b/?q=1"));
}

static void test_quotes(void)
{
	CHECK("foo=\"a b  c\"", V("/init"), V("HOME=/", "TERM=linux", "foo=a b  c"));
	CHECK("\"hello world\" x", V("/init", "hello world", "x"), V("HOME=/", "TERM=linux"));
	CHECK("console=\"ttyS0 foo\" bar", V("/init", "bar"), V("HOME=/", "TERM=linux"));
	CHECK("-- \"a b\" c=\"d e\"", V("/init", "a b", "c=d e"), V("HOME=/", "TERM=linux"));
	CHECK("\"x=y z\"", V("/init"), V("HOME=/", "TERM=linux", "x=y z"));
}

static void test_dotted_and_dashes(void)
{
	/* Dotted names are module parameters: the kernel's, never init's. */
	CHECK("aster.test=x", V("/init"), V("HOME=/", "TERM=linux"));
	CHECK("aster.flag rd.break", V("/init"), V("HOME=/", "TERM=linux"));
	/* Only the name is looked at: a dot in the value is fine. */
	CHECK("host=a.b.c v1.2", V("/init"), V("HOME=/", "TERM=linux", "host=a.b.c"));
	/* After "--", nothing is the kernel's and nothing is split at '='. */
	CHECK("-- console=x a.b=c quiet", V("/init", "console=x", "a.b=c", "quiet"),
	      V("HOME=/", "TERM=linux"));
	CHECK("a -- b -- c", V("/init", "a", "b", "--", "c"), V("HOME=/", "TERM=linux"));
	CHECK("x=1 --", V("/init"), V("HOME=/", "TERM=linux", "x=1"));
	CHECK("--", V("/init"), V("HOME=/", "TERM=linux"));
}

static void test_argv0_and_buffer(void)
{
	static char longline[CMDLINE_MAX + 1000];
	int err;

	err = init_args_build(&ia, "a X=1", NULL, is_kernel_param);
	is_int(err, 0, "init NULL: builds");
	ok(ia.argc == 2 && ia.argv[0] == NULL && strcmp(ia.argv[1], "a") == 0 && ia.argv[2] == NULL,
	   "init NULL: argv[0] stays NULL, words follow");

	err = init_args_build(&ia, "x y", "/sbin/init", is_kernel_param);
	ok(err == 0 && strcmp(ia.argv[0], "/sbin/init") == 0, "argv[0] is the init path given");

	/* The words live in ia->buf, not in the caller's string. */
	{
		char line[] = "w1 E=v";

		init_args_build(&ia, line, "/init", is_kernel_param);
		memset(line, 'Z', sizeof(line) - 1);
		ok(strcmp(ia.argv[1], "w1") == 0 && strcmp(ia.envp[2], "E=v") == 0,
		   "the vectors point into the copy, not the caller's string");
		ok(ia.argv[1] >= ia.buf && ia.argv[1] < ia.buf + sizeof(ia.buf), "argv words are in ia->buf");
	}

	/* A line longer than CMDLINE_MAX is cut, not overflowed. */
	memset(longline, 'q', sizeof(longline) - 1);
	err = init_args_build(&ia, longline, "/init", is_kernel_param);
	is_int(err, 0, "an over-long command line builds");
	is_int(ia.argc, 2, "an over-long word is one argument");
	is_int(strlen(ia.argv[1]), CMDLINE_MAX - 1, "cut to CMDLINE_MAX - 1 bytes");
	is_int(ia.overflow_word == NULL, 1, "no overflow word on success");
}

/* The predicate is asked about names only, and never after "--". */
static char asked[16][16];
static int nasked;

static bool record_param(const char *name)
{
	if (nasked < 16)
		snprintf(asked[nasked++], sizeof(asked[0]), "%s", name);
	return false;
}

static void test_predicate_calls(void)
{
	nasked = 0;
	init_args_build(&ia, "a=1 b -- c=2 d", "/init", record_param);
	ok(nasked == 2 && strcmp(asked[0], "a") == 0 && strcmp(asked[1], "b") == 0,
	   "is_kernel_param gets each name before \"--\" (without its value) and nothing after");
}

static void test_limits(void)
{
	static char line[4096];
	size_t len = 0;
	int err;

	/* argv: "/init" and 31 words fill MAX_INIT_ARGS = 32. */
	for (int i = 1; i < MAX_INIT_ARGS; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, "a%d ", i);
	err = init_args_build(&ia, line, "/init", no_kernel_param);
	is_int(err, 0, "31 words: argv is full but fits");
	ok(ia.argc == MAX_INIT_ARGS && strcmp(ia.argv[MAX_INIT_ARGS - 1], "a31") == 0 &&
	   ia.argv[MAX_INIT_ARGS] == NULL, "argv holds 32 entries, NULL-terminated");
	snprintf(line + len, sizeof(line) - len, "a32 a33");
	err = init_args_build(&ia, line, "/init", no_kernel_param);
	is_int(err, -E2BIG, "32 words: -E2BIG");
	is_str(ia.overflow_word, "a32", "overflow_word names the first word that did not fit");
	ok(ia.argc == MAX_INIT_ARGS && ia.argv[MAX_INIT_ARGS] == NULL, "argv is still NULL-terminated");

	/* envp: HOME, TERM and 30 variables fill MAX_INIT_ENVS = 32. */
	len = 0;
	for (int i = 1; i <= MAX_INIT_ENVS - 2; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, "V%d=%d ", i, i);
	err = init_args_build(&ia, line, "/init", no_kernel_param);
	is_int(err, 0, "30 variables: envp is full but fits");
	ok(ia.envc == MAX_INIT_ENVS && strcmp(ia.envp[MAX_INIT_ENVS - 1], "V30=30") == 0 &&
	   ia.envp[MAX_INIT_ENVS] == NULL, "envp holds 32 entries, NULL-terminated");
	snprintf(line + len, sizeof(line) - len, "V31=x");
	err = init_args_build(&ia, line, "/init", no_kernel_param);
	is_int(err, -E2BIG, "31 variables: -E2BIG");
	is_str(ia.overflow_word, "V31=x", "overflow_word is the whole NAME=VALUE word");

	/* Kernel parameters do not count. */
	len = 0;
	for (int i = 0; i < 100; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, "console=x m.p=%d ", i);
	snprintf(line + len, sizeof(line) - len, "last");
	err = init_args_build(&ia, line, "/init", is_kernel_param);
	ok(err == 0 && ia.argc == 2 && ia.envc == 2, "200 kernel parameters take no room");

	/* Words after "--" count against argv. */
	len = (size_t)snprintf(line, sizeof(line), "--");
	for (int i = 0; i < MAX_INIT_ARGS; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " e%d=1", i);
	err = init_args_build(&ia, line, "/init", is_kernel_param);
	is_int(err, -E2BIG, "32 words after \"--\": -E2BIG");
	is_str(ia.overflow_word, "e31=1", "overflow_word after \"--\"");
}

static void test_linux_env_override(void)
{
	/* Linux's unknown_bootoption() replaces a variable of the same name. */
	const struct {
		const char *cmdline;
		const char *const *envp;
	} cases[] = {
		{ "TERM=vt100", V("HOME=/", "TERM=vt100") },
		{ "HOME=/root x", V("HOME=/root", "TERM=linux") },
		{ "A=1 A=2", V("HOME=/", "TERM=linux", "A=2") },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = init_args_build(&ia, cases[i].cmdline, "/init", is_kernel_param);

		is_int(err, 0, "\"%s\": builds", cases[i].cmdline);
		VEC_OK("envp", ia.envp, ia.envc, cases[i].envp,
		       "\"%s\": the later value replaces the earlier one", cases[i].cmdline);
	}
}

int main(void)
{
	test_linux_rules();
	test_quotes();
	test_dotted_and_dashes();
	test_argv0_and_buffer();
	test_predicate_calls();
	test_limits();
	test_linux_env_override();
	return done();
}
