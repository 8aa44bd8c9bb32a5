// SPDX-License-Identifier: MPL-2.0
// N_TTY line discipline (see ldisc.h).
#include <aster/ktest.h>
#include <aster/string.h>
#include "ldisc.h"
#include "uapi/signal.h"

#define CTRL(c)		((c) & 0x1f)
#define DEL		0x7f

void ldisc_init(struct ldisc *ld, const struct ldisc_ops *ops, void *arg)
{
	static const uint8_t default_cc[NCCS] = {
		[VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = DEL,
		[VKILL] = CTRL('U'), [VEOF] = CTRL('D'), [VTIME] = 0, [VMIN] = 1,
		[VSTART] = CTRL('Q'), [VSTOP] = CTRL('S'), [VSUSP] = CTRL('Z'),
		[VREPRINT] = CTRL('R'), [VDISCARD] = CTRL('O'), [VWERASE] = CTRL('W'),
		[VLNEXT] = CTRL('V'),
	};

	memset(ld, 0, sizeof(*ld));
	ld->ops = ops;
	ld->arg = arg;
	ld->termios.c_iflag = ICRNL | IXON;
	ld->termios.c_oflag = OPOST | ONLCR;
	ld->termios.c_cflag = B38400 | CS8 | CREAD | HUPCL;
	ld->termios.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(ld->termios.c_cc, default_cc, NCCS);
}

static bool lflag(const struct ldisc *ld, uint32_t f)
{
	return ld->termios.c_lflag & f;
}

static void out(struct ldisc *ld, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' || s[i] == '\r')
			ld->column = 0;
		else if (s[i] == '\b')
			ld->column = ld->column ? ld->column - 1 : 0;
		else if (s[i] == '\t')
			ld->column = (ld->column | 7) + 1;
		else if ((uint8_t)s[i] >= 0x20 && (uint8_t)s[i] != DEL)
			ld->column++;	/* other control bytes do not move the cursor */
	}
	ld->ops->write(ld->arg, s, n);
}

/* Echo one input character, control characters as ^X when ECHOCTL. */
static void echo_char(struct ldisc *ld, char c)
{
	uint8_t u = (uint8_t)c;

	if (!lflag(ld, ECHO))
		return;
	if (lflag(ld, ECHOCTL) && (u < 0x20 || u == DEL) && c != '\n' && c != '\t') {
		char caret[2] = { '^', (char)(u == DEL ? '?' : u + '@') };

		out(ld, caret, 2);
		return;
	}
	if (c == '\n') {
		ldisc_write(ld, "\n", 1);	/* through ONLCR */
		return;
	}
	out(ld, &c, 1);
}

static char *slot(struct ldisc *ld, size_t i)
{
	return &ld->buf[(ld->head + i) % LDISC_BUF];
}

static bool buffer_full(const struct ldisc *ld)
{
	/* Keep one byte free so a newline can always end a canonical line. */
	return ld->readable + ld->pending >= LDISC_BUF - 1;
}

static void commit_line(struct ldisc *ld)
{
	if (ld->nlines == LDISC_MAX_LINES) {
		/* Merge into the previous line rather than lose data. */
		ld->line_len[ld->nlines - 1] += (uint16_t)ld->pending;
	} else {
		ld->line_len[ld->nlines++] = (uint16_t)ld->pending;
	}
	ld->readable += ld->pending;
	ld->pending = 0;
}

static void add_char(struct ldisc *ld, char c)
{
	if (buffer_full(ld) && c != '\n')
		return;		/* Linux drops input when the buffer is full */
	if (ld->pending == 0)
		ld->canon_column = ld->column;
	*slot(ld, ld->readable + ld->pending) = c;
	ld->pending++;
	if (!lflag(ld, ICANON)) {
		ld->readable += ld->pending;
		ld->pending = 0;
	}
}

static bool is_ctl(uint8_t u)
{
	return u < 0x20 || u == DEL;
}

/* Columns that the echo of c took, c starting at column col. */
static unsigned int echo_width(const struct ldisc *ld, char c, unsigned int col)
{
	uint8_t u = (uint8_t)c;

	if (c == '\t')
		return ((col | 7) + 1) - col;
	if (is_ctl(u))
		return lflag(ld, ECHOCTL) ? 2 : 0;
	if ((ld->termios.c_iflag & IUTF8) && (u & 0xc0) == 0x80)
		return 0;	/* a UTF-8 continuation byte */
	return 1;
}

/* The echo column after the first n bytes of the line being edited. */
static unsigned int column_after(struct ldisc *ld, size_t n)
{
	unsigned int col = ld->canon_column;

	for (size_t i = 0; i < n; i++)
		col += echo_width(ld, *slot(ld, ld->readable + i), col);
	return col;
}

static bool is_utf8_cont(const struct ldisc *ld, char c)
{
	return (ld->termios.c_iflag & IUTF8) && ((uint8_t)c & 0xc0) == 0x80;
}

/*
 * Remove the last character of the line being edited (with IUTF8 the
 * whole UTF-8 sequence) and rub it out on screen.  visual: ECHOE-style
 * rubout; otherwise the erase character itself is echoed, as Linux does
 * for VERASE without ECHOE.
 */
static void erase_one(struct ldisc *ld, bool visual)
{
	unsigned int before, after;

	if (!ld->pending)
		return;
	before = column_after(ld, ld->pending);
	while (ld->pending > 1 && is_utf8_cont(ld, *slot(ld, ld->readable + ld->pending - 1)))
		ld->pending--;
	ld->pending--;
	if (!lflag(ld, ECHO))
		return;
	if (!visual) {
		echo_char(ld, (char)ld->termios.c_cc[VERASE]);
		return;
	}
	after = column_after(ld, ld->pending);
	/* A tab is backed over with \b only (Linux does the same). */
	bool tab = *slot(ld, ld->readable + ld->pending) == '\t';

	for (unsigned int i = after; i < before; i++)
		out(ld, tab ? "\b" : "\b \b", tab ? 1 : 3);
}

static bool is_word_char(char c)
{
	return c != ' ' && c != '\t';
}

static void erase_word(struct ldisc *ld)
{
	while (ld->pending && !is_word_char(*slot(ld, ld->readable + ld->pending - 1)))
		erase_one(ld, true);
	while (ld->pending && is_word_char(*slot(ld, ld->readable + ld->pending - 1)))
		erase_one(ld, true);
}

/* As Linux: rub the line out only with ECHOK, ECHOKE and ECHOE all set. */
static void kill_line(struct ldisc *ld)
{
	if (!ld->pending)
		return;
	if (!lflag(ld, ECHO)) {
		ld->pending = 0;
		return;
	}
	if (lflag(ld, ECHOK) && lflag(ld, ECHOKE) && lflag(ld, ECHOE)) {
		while (ld->pending)
			erase_one(ld, true);
		return;
	}
	ld->pending = 0;
	echo_char(ld, (char)ld->termios.c_cc[VKILL]);
	if (lflag(ld, ECHOK))
		ldisc_write(ld, "\n", 1);
}

/* The signal characters; returns true if c was one. */
static bool handle_signal_char(struct ldisc *ld, char c)
{
	const uint8_t *cc = ld->termios.c_cc;
	uint8_t u = (uint8_t)c;
	int sig;

	if (!lflag(ld, ISIG) || u == 0)
		return false;
	if (u == cc[VINTR])
		sig = SIGINT;
	else if (u == cc[VQUIT])
		sig = SIGQUIT;
	else if (u == cc[VSUSP])
		sig = SIGTSTP;
	else
		return false;
	if (!lflag(ld, NOFLSH))
		ldisc_flush_input(ld);
	echo_char(ld, c);
	ld->ops->signal(ld->arg, sig);
	return true;
}

/* Canonical editing characters; returns true if c was one. */
static bool handle_canonical_char(struct ldisc *ld, char c)
{
	const uint8_t *cc = ld->termios.c_cc;
	uint8_t u = (uint8_t)c;

	if (u == cc[VERASE] && u) {
		erase_one(ld, lflag(ld, ECHOE));
		return true;
	}
	if (u == cc[VKILL] && u) {
		kill_line(ld);
		return true;
	}
	if (lflag(ld, IEXTEN) && u == cc[VWERASE] && u) {
		erase_word(ld);
		return true;
	}
	if (u == cc[VEOF] && u) {
		commit_line(ld);	/* the line so far, without the ^D */
		return true;
	}
	if (c == '\n' || (u && (u == cc[VEOL] || u == cc[VEOL2]))) {
		add_char(ld, c);
		if (lflag(ld, ECHO))
			echo_char(ld, c);
		else if (c == '\n' && lflag(ld, ECHONL))
			ldisc_write(ld, "\n", 1);	/* ECHONL: the newline even without ECHO */
		commit_line(ld);
		return true;
	}
	return false;
}

void ldisc_set_stopped(struct ldisc *ld, bool stopped)
{
	if (!ld->ops->flow || ld->stopped == stopped)
		return;
	ld->stopped = stopped;
	ld->ops->flow(ld->arg, stopped);
}

/* IXON flow control characters; returns true if c was consumed. */
static bool handle_flow_char(struct ldisc *ld, char c)
{
	const struct termios *t = &ld->termios;
	uint8_t u = (uint8_t)c;

	if (!ld->ops->flow || !(t->c_iflag & IXON))
		return false;
	if (u && u == t->c_cc[VSTOP]) {
		ldisc_set_stopped(ld, true);
		return true;
	}
	if (u && u == t->c_cc[VSTART]) {
		ldisc_set_stopped(ld, false);
		return true;
	}
	if (ld->stopped && (t->c_iflag & IXANY))
		ldisc_set_stopped(ld, false);
	return false;
}

void ldisc_receive(struct ldisc *ld, char c)
{
	const struct termios *t = &ld->termios;

	if (t->c_iflag & ISTRIP)
		c &= 0x7f;
	if (!ld->literal_next && handle_flow_char(ld, c))
		return;
	if (ld->literal_next) {
		ld->literal_next = false;
		add_char(ld, c);
		echo_char(ld, c);
		return;
	}
	if (c == '\r') {
		if (t->c_iflag & IGNCR)
			return;
		if (t->c_iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (t->c_iflag & INLCR)) {
		c = '\r';
	}
	if (lflag(ld, IEXTEN) && (uint8_t)c == t->c_cc[VLNEXT] && c) {
		ld->literal_next = true;
		return;
	}
	if (handle_signal_char(ld, c))
		return;
	if (lflag(ld, ICANON) && handle_canonical_char(ld, c))
		return;
	add_char(ld, c);
	echo_char(ld, c);
}

bool ldisc_readable(const struct ldisc *ld)
{
	if (lflag(ld, ICANON))
		return ld->nlines > 0;
	return ld->readable >= 1;
}

size_t ldisc_receive_room(const struct ldisc *ld)
{
	size_t used = ld->readable + ld->pending;

	if (lflag(ld, ICANON) && ld->nlines == 0)
		return LDISC_BUF;
	return used >= LDISC_BUF - 1 ? 0 : LDISC_BUF - 1 - used;
}

size_t ldisc_available(const struct ldisc *ld)
{
	return ld->readable;
}

static void consume(struct ldisc *ld, char *dst, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = *slot(ld, i);
	ld->head = (ld->head + n) % LDISC_BUF;
	ld->readable -= n;
}

size_t ldisc_read(struct ldisc *ld, char *dst, size_t n)
{
	size_t take;

	if (!lflag(ld, ICANON)) {
		take = MIN(n, ld->readable);
		consume(ld, dst, take);
		return take;
	}
	if (ld->nlines == 0)
		return 0;
	take = MIN(n, (size_t)ld->line_len[0]);
	consume(ld, dst, take);
	ld->line_len[0] -= (uint16_t)take;
	/* A fully read line goes; an empty line is the EOF read() returns as 0. */
	if (ld->line_len[0] == 0) {
		ld->nlines--;
		memmove(ld->line_len, ld->line_len + 1, ld->nlines * sizeof(ld->line_len[0]));
	}
	return take;
}

void ldisc_write(struct ldisc *ld, const char *src, size_t n)
{
	size_t start = 0;

	if (!(ld->termios.c_oflag & OPOST) || !(ld->termios.c_oflag & ONLCR)) {
		out(ld, src, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (src[i] != '\n')
			continue;
		out(ld, src + start, i - start);
		out(ld, "\r\n", 2);
		start = i + 1;
	}
	out(ld, src + start, n - start);
}

void ldisc_set_termios(struct ldisc *ld, const struct termios *t)
{
	bool was_canon = lflag(ld, ICANON);

	ld->termios = *t;
	if (was_canon && !lflag(ld, ICANON)) {
		ld->readable += ld->pending;
		ld->pending = 0;
		ld->nlines = 0;
	} else if (!was_canon && lflag(ld, ICANON) && ld->readable) {
		/* What raw mode left unread reads as one line. */
		ld->nlines = 1;
		ld->line_len[0] = (uint16_t)ld->readable;
	}
}

void ldisc_flush_input(struct ldisc *ld)
{
	ld->head = 0;
	ld->readable = 0;
	ld->pending = 0;
	ld->nlines = 0;
	ld->literal_next = false;
}

/* ---- ktests ---- */

struct tty_probe {
	char echoed[256];
	size_t nechoed;
	int last_signal;
};

static void probe_write(void *arg, const char *s, size_t n)
{
	struct tty_probe *p = arg;

	for (size_t i = 0; i < n && p->nechoed < sizeof(p->echoed) - 1; i++)
		p->echoed[p->nechoed++] = s[i];
	p->echoed[p->nechoed] = '\0';
}

static void probe_signal(void *arg, int sig)
{
	((struct tty_probe *)arg)->last_signal = sig;
}

static const struct ldisc_ops probe_ops = { probe_write, probe_signal, NULL };

static bool strstr_simple(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncmp(hay, needle, n) == 0)
			return true;
	return false;
}

static void type(struct ldisc *ld, const char *s)
{
	for (; *s; s++)
		ldisc_receive(ld, *s);
}

KTEST(ldisc_canonical_editing)
{
	static struct ldisc ld;
	static struct tty_probe p;
	char buf[64];
	size_t n;

	memset(&p, 0, sizeof(p));
	ldisc_init(&ld, &probe_ops, &p);
	type(&ld, "helo");
	KT_EXPECT(!ldisc_readable(&ld));
	type(&ld, "\x7f" "lo wrld\x17" "world\r");	/* erase, word-erase, CR */
	KT_ASSERT(ldisc_readable(&ld));
	n = ldisc_read(&ld, buf, sizeof(buf));
	KT_ASSERT_EQ(n, 12);
	KT_EXPECT(memcmp(buf, "hello world\n", 12) == 0);
	type(&ld, "junk\x15" "ok\n");			/* kill the line */
	n = ldisc_read(&ld, buf, 2);			/* a short read leaves the rest */
	KT_EXPECT(n == 2 && memcmp(buf, "ok", 2) == 0);
	n = ldisc_read(&ld, buf, sizeof(buf));
	KT_EXPECT(n == 1 && buf[0] == '\n');
	type(&ld, "\x04");				/* ^D on an empty line: EOF */
	KT_ASSERT(ldisc_readable(&ld));
	KT_ASSERT_EQ(ldisc_read(&ld, buf, sizeof(buf)), 0);
	KT_EXPECT(!ldisc_readable(&ld));
	/* Echo: erased characters were rubbed out, the line ended with CR LF. */
	KT_EXPECT(strstr_simple(p.echoed, "helo\b \blo wrld\b \b\b \b\b \b\b \bworld\r\n"));
}

KTEST(ldisc_signals_raw_mode_and_output)
{
	static struct ldisc ld;
	static struct tty_probe p;
	struct termios t;
	char buf[8];

	memset(&p, 0, sizeof(p));
	ldisc_init(&ld, &probe_ops, &p);
	type(&ld, "abc\x03");
	KT_EXPECT(p.last_signal == SIGINT);
	KT_EXPECT(!ldisc_readable(&ld));		/* ^C flushed the line */
	KT_EXPECT(p.nechoed >= 2 && memcmp(p.echoed + p.nechoed - 2, "^C", 2) == 0);
	type(&ld, "\x1a");
	KT_EXPECT(p.last_signal == SIGTSTP);
	t = ld.termios;
	t.c_lflag &= ~(uint32_t)(ICANON | ECHO | ISIG);
	ldisc_set_termios(&ld, &t);
	p.nechoed = 0;
	type(&ld, "x\x03");
	KT_EXPECT(ldisc_available(&ld) == 2 && p.nechoed == 0);
	KT_ASSERT_EQ(ldisc_read(&ld, buf, sizeof(buf)), 2);
	KT_EXPECT(buf[0] == 'x' && buf[1] == 0x03);
	ldisc_write(&ld, "a\nb", 3);
	KT_EXPECT(p.nechoed == 4 && memcmp(p.echoed, "a\r\nb", 4) == 0);
}

static void probe_flow(void *arg, bool stopped)
{
	((struct tty_probe *)arg)->last_signal = stopped ? -1 : -2;	/* -1 stop, -2 start */
}

static const struct ldisc_ops probe_flow_ops = { probe_write, probe_signal, probe_flow };

KTEST(ldisc_flow_control_and_receive_room)
{
	static struct ldisc ld;
	static struct tty_probe p;
	struct termios t;
	char buf[8];

	/* Without a flow callback (the console), ^S and ^Q are input. */
	memset(&p, 0, sizeof(p));
	ldisc_init(&ld, &probe_ops, &p);
	t = ld.termios;
	t.c_lflag &= ~(uint32_t)(ICANON | ECHO);
	ldisc_set_termios(&ld, &t);
	type(&ld, "\x13\x11");
	KT_EXPECT(ldisc_available(&ld) == 2);
	/* With one, IXON stops and starts output and swallows the characters. */
	memset(&p, 0, sizeof(p));
	ldisc_init(&ld, &probe_flow_ops, &p);
	ldisc_set_termios(&ld, &t);
	type(&ld, "\x13");
	KT_EXPECT(ld.stopped && p.last_signal == -1 && ldisc_available(&ld) == 0);
	type(&ld, "\x11");
	KT_EXPECT(!ld.stopped && p.last_signal == -2 && ldisc_available(&ld) == 0);
	t.c_iflag |= IXANY;
	ldisc_set_termios(&ld, &t);
	ldisc_set_stopped(&ld, true);
	type(&ld, "a");				/* IXANY: any character restarts, and is input */
	KT_EXPECT(!ld.stopped && ldisc_available(&ld) == 1);
	KT_ASSERT_EQ(ldisc_read(&ld, buf, sizeof(buf)), 1);
	/* Raw mode: room is what the buffer has left; canonical: all until a line ends. */
	KT_EXPECT(ldisc_receive_room(&ld) == LDISC_BUF - 1);
	for (int i = 0; i < LDISC_BUF; i++)
		ldisc_receive(&ld, 'x');
	KT_EXPECT(ldisc_receive_room(&ld) == 0 && ldisc_available(&ld) == LDISC_BUF - 1);
	ldisc_flush_input(&ld);
	t.c_lflag |= ICANON;
	ldisc_set_termios(&ld, &t);
	type(&ld, "ab");
	KT_EXPECT(ldisc_receive_room(&ld) == LDISC_BUF);
	type(&ld, "\n");
	KT_EXPECT(ldisc_receive_room(&ld) == LDISC_BUF - 1 - 3);
}
