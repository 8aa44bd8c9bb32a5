// SPDX-License-Identifier: MPL-2.0
// Host tests of frame/lib/cmdline.c: splitting the command line into words.
#include "tap.h"
#include <aster/cmdline.h>

#define MAX_WORDS	64

/* One word as "name", "name=value" or "--:word" (after "--"), in order. */
struct split {
	int n;
	char text[MAX_WORDS][256];
	bool bad_value;		/* a value that does not follow its name */
};

static void split(const char *line, bool dashes, struct split *out)
{
	static char buf[8192];
	struct cmdline_word w;
	size_t pos = 0;

	strcpy(buf, line);
	out->n = 0;
	out->bad_value = false;
	while (out->n < MAX_WORDS && cmdline_next(buf, &pos, &dashes, &w)) {
		char *t = out->text[out->n++];

		if (w.value && w.value != w.name + strlen(w.name) + 1)
			out->bad_value = true;
		if (w.after_dashes && w.value)
			out->bad_value = true;	/* no NAME=VALUE after "--" */
		snprintf(t, 256, "%s%s%s%s", w.after_dashes ? "--:" : "", w.name,
			 w.value ? "=" : "", w.value ? w.value : "");
	}
}

/* Expect `line` to split into exactly the words given (NULL-terminated). */
static void check_at(int line, const char *cmdline, const char *const *want)
{
	struct split s;
	int n = 0;
	bool same;

	split(cmdline, false, &s);
	while (want[n])
		n++;
	same = s.n == n && !s.bad_value;
	for (int i = 0; same && i < n; i++)
		same = strcmp(s.text[i], want[i]) == 0;
	tap_ok(same, __FILE__, line, "split \"%s\"", cmdline);
	if (!same) {
		for (int i = 0; i < s.n; i++)
			diag("  got[%d] '%s'", i, s.text[i]);
		for (int i = 0; i < n; i++)
			diag("  expected[%d] '%s'", i, want[i]);
	}
}

#define SPLIT(line, ...)	check_at(__LINE__, line, (const char *const[]){ __VA_ARGS__, NULL })
#define SPLIT_NONE(line)	check_at(__LINE__, line, (const char *const[]){ NULL })

static void test_words(void)
{
	SPLIT_NONE("");
	SPLIT_NONE(" ");
	SPLIT_NONE(" \t\n\r ");
	SPLIT("a", "a");
	SPLIT("  a  ", "a");
	SPLIT("a b  c", "a", "b", "c");
	SPLIT("a\tb\nc\rd", "a", "b", "c", "d");
	SPLIT("console=ttyS0,115200 quiet", "console=ttyS0,115200", "quiet");
	SPLIT("root=/dev/sda1 ro init=/sbin/init", "root=/dev/sda1", "ro", "init=/sbin/init");
}

static void test_values(void)
{
	struct cmdline_word w;
	bool dashes = false;
	size_t pos = 0;
	char buf[] = "a= =b a=b=c x";

	ok(cmdline_next(buf, &pos, &dashes, &w), "a= is a word");
	ok(strcmp(w.name, "a") == 0 && w.value && strcmp(w.value, "") == 0,
	   "a= has an empty (non-NULL) value");
	ok(cmdline_next(buf, &pos, &dashes, &w), "=b is a word");
	ok(strcmp(w.name, "") == 0 && w.value && strcmp(w.value, "b") == 0,
	   "=b has an empty name and value b");
	ok(cmdline_next(buf, &pos, &dashes, &w), "a=b=c is a word");
	ok(strcmp(w.name, "a") == 0 && strcmp(w.value, "b=c") == 0,
	   "a=b=c splits at the first '='");
	ok(cmdline_next(buf, &pos, &dashes, &w), "x is a word");
	ok(strcmp(w.name, "x") == 0 && w.value == NULL && !w.after_dashes, "a bare word has no value");
	ok(!cmdline_next(buf, &pos, &dashes, &w), "then the end");
	ok(!cmdline_next(buf, &pos, &dashes, &w), "and the end again");
	ok(!dashes, "no \"--\" seen");
}

static void test_quotes(void)
{
	SPLIT("name=\"a b\"", "name=a b");
	SPLIT("\"a b\"", "a b");
	SPLIT("x \"a  b\tc\" y", "x", "a  b\tc", "y");
	SPLIT("\"a=b c\"", "a=b c");
	SPLIT("a\"b c\"d", "ab cd");
	SPLIT("\"\"", "");
	SPLIT("a \"\" b", "a", "", "b");
	SPLIT("name=\"\"", "name=");
	SPLIT("msg=\"x=y\"", "msg=x=y");
	/* An unterminated quote runs to the end of the line. */
	SPLIT("a=\"b c", "a=b c");
	SPLIT("\"a b", "a b");
}

static void test_dashes(void)
{
	SPLIT("a -- b", "a", "--:b");
	SPLIT("-- x=y z", "--:x=y", "--:z");
	SPLIT("a --", "a");
}

static void test_dashes_more(void)
{
	SPLIT_NONE("--");
	SPLIT_NONE("  --  ");
	SPLIT("a -- b -- c", "a", "--:b", "--:--", "--:c");
	SPLIT("--x -x --=1", "--x", "-x", "--=1");
	SPLIT("\"--\" b", "--:b");	/* quotes are removed before "--" is seen */
	SPLIT("-- \"a b\" c=\"d e\"", "--:a b", "--:c=d e");
}

static void test_preset_dashes(void)
{
	struct split s;

	split("a=b c", true, &s);
	ok(s.n == 2 && !s.bad_value && strcmp(s.text[0], "--:a=b") == 0 &&
	   strcmp(s.text[1], "--:c") == 0, "seen_dashes set by the caller: every word is init's");
}

static void test_long_line(void)
{
	static char line[CMDLINE_MAX];
	struct split s;
	bool good = true;

	/* 2047 one-letter words, then the terminator. */
	for (int i = 0; i < CMDLINE_MAX - 2; i += 2) {
		line[i] = (char)('a' + (i / 2) % 26);
		line[i + 1] = ' ';
	}
	line[CMDLINE_MAX - 2] = 'z';
	line[CMDLINE_MAX - 1] = '\0';
	split(line, false, &s);
	ok(s.n == MAX_WORDS, "a full-length line yields its words");
	for (int i = 0; i < s.n; i++)
		good &= s.text[i][0] == 'a' + i % 26 && s.text[i][1] == '\0';
	ok(good, "in order");
}

int main(void)
{
	test_words();
	test_values();
	test_quotes();
	test_dashes();
	test_dashes_more();
	test_preset_dashes();
	test_long_line();
	return done();
}
