// SPDX-License-Identifier: MPL-2.0
// Splitting the kernel command line into words (see <aster/cmdline.h>).
#include <aster/cmdline.h>
#include <aster/ktest.h>
#include <aster/string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Read one word starting at buf[*pos], removing double quotes in place and
 * terminating it.  Returns the start of the word.
 */
static char *take_word(char *buf, size_t *pos)
{
	char *start = buf + *pos, *dst = start;
	const char *src = start;
	bool quoted = false;

	for (; *src; src++) {
		if (*src == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && is_blank(*src))
			break;
		*dst++ = *src;
	}
	*pos = (size_t)(src - buf) + (*src ? 1 : 0);
	*dst = '\0';
	return start;
}

bool cmdline_next(char *buf, size_t *pos, bool *seen_dashes, struct cmdline_word *w)
{
	char *word, *eq;

	for (;;) {
		while (buf[*pos] && is_blank(buf[*pos]))
			(*pos)++;
		if (!buf[*pos])
			return false;
		word = take_word(buf, pos);
		if (!*seen_dashes && strcmp(word, "--") == 0) {
			*seen_dashes = true;
			continue;
		}
		break;
	}
	w->after_dashes = *seen_dashes;
	w->name = word;
	w->value = NULL;
	eq = strchr(word, '=');
	if (eq && !w->after_dashes) {
		*eq = '\0';
		w->value = eq + 1;
	}
	return true;
}

KTEST(cmdline_words_quotes_and_dashes)
{
	char buf[] = "console=ttyS0 name=\"a b\" bare -- x=y";
	struct cmdline_word w;
	bool dashes = false;
	size_t pos = 0;

	KT_ASSERT(cmdline_next(buf, &pos, &dashes, &w));
	KT_ASSERT(strcmp(w.name, "console") == 0 && strcmp(w.value, "ttyS0") == 0);
	KT_ASSERT(cmdline_next(buf, &pos, &dashes, &w));
	KT_ASSERT(strcmp(w.name, "name") == 0 && strcmp(w.value, "a b") == 0);
	KT_ASSERT(cmdline_next(buf, &pos, &dashes, &w));
	KT_ASSERT(strcmp(w.name, "bare") == 0 && w.value == NULL);
	KT_ASSERT(cmdline_next(buf, &pos, &dashes, &w));
	KT_ASSERT(w.after_dashes && strcmp(w.name, "x=y") == 0 && w.value == NULL);
	KT_ASSERT(!cmdline_next(buf, &pos, &dashes, &w));
}
