// SPDX-License-Identifier: MPL-2.0
// ktests of the tty: bytes go in through tty_receive (the console input
// path), reads and ioctls come out, echo and output land in a capture sink,
// and a fake process environment records the signals sent.
#include <aster/errno.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "process/signal.h"
#include "tty.h"
#include "tty_internal.h"
#include "process/capability.h"

/* ---- capture sink and fake environment ---- */

static struct {
	char out[512];
	size_t n;
} cap;

static void cap_sink(struct tty *t, const char *s, size_t n)
{
	(void)t;
	for (size_t i = 0; i < n && cap.n < sizeof(cap.out) - 1; i++)
		cap.out[cap.n++] = s[i];
	cap.out[cap.n] = '\0';
}

#define MAX_KILLS	8
static struct {
	struct process *proc;
	struct thread *thread;
	pid_t kill_pgid[MAX_KILLS];
	int kill_sig[MAX_KILLS];
	int nkills;
	pid_t session_pgrps[4];	/* groups of the fake session */
	bool orphaned;
	pid_t detached_sid;
} fake;

static struct process *fake_process(void)
{
	return fake.proc;
}

static struct thread *fake_thread(void)
{
	return fake.thread;
}

static int fake_kill(pid_t pgid, int sig)
{
	if (fake.nkills < MAX_KILLS) {
		fake.kill_pgid[fake.nkills] = pgid;
		fake.kill_sig[fake.nkills] = sig;
		fake.nkills++;
	}
	return 0;
}

static bool fake_in_session(pid_t pgid, pid_t sid)
{
	for (int i = 0; i < 4; i++)
		if (fake.session_pgrps[i] == pgid && fake.proc && fake.proc->sid == sid)
			return true;
	return false;
}

static bool fake_exists(pid_t pgid)
{
	return pgid == 99;	/* a group in another session */
}

static bool fake_orphaned(pid_t pgid)
{
	(void)pgid;
	return fake.orphaned;
}

static void fake_detach(pid_t sid, struct tty *t)
{
	fake.detached_sid = sid;
	if (fake.proc && fake.proc->ctty == t)
		fake.proc->ctty = NULL;
}

static int fake_kill_pid(pid_t pid, int sig)
{
	return fake_kill(-pid, sig);	/* recorded as a negative "group" */
}

static const struct tty_env fake_env = {
	fake_process, fake_thread, fake_kill, fake_in_session, fake_exists, fake_orphaned,
	fake_detach, fake_kill_pid,
};

static const struct tty_driver_ops cap_ops = { .write = cap_sink };

static struct tty tt;
static struct process proc;
static struct thread thr;

/* A fresh tty; the caller process is a session leader (pid/sid/pgid 10) with no ctty. */
static void setup(void)
{
	memset(&cap, 0, sizeof(cap));
	memset(&fake, 0, sizeof(fake));
	memset(&proc, 0, sizeof(proc));
	memset(&thr, 0, sizeof(thr));
	proc.pid = proc.sid = proc.pgid = 10;
	thr.proc = &proc;
	fake.proc = &proc;
	fake.thread = &thr;
	fake.session_pgrps[0] = 10;
	fake.session_pgrps[1] = 20;
	tty_set_env(&fake_env);
	tty_init(&tt, "ktest", &cap_ops, NULL);
}

static void teardown(void)
{
	tty_set_env(NULL);
}

static void type(const char *s)
{
	for (; *s; s++)
		tty_receive(&tt, (uint8_t)*s);
}

static ssize_t rd(char *buf, size_t n, bool nonblock)
{
	struct iobuf b = iobuf_kernel(buf, n);

	return tty_read(&tt, &b, nonblock);
}

static long ioc(unsigned int cmd, void *p, size_t len)
{
	struct iobuf b = iobuf_kernel(p, len);

	return tty_ioctl(&tt, cmd, 0, &b);
}

static long ioc_val(unsigned int cmd, uint64_t arg)
{
	struct iobuf b = iobuf_kernel(NULL, 0);

	return tty_ioctl(&tt, cmd, arg, &b);
}

static void set_lflag(uint32_t set, uint32_t clear)
{
	struct termios t;

	ioc(TCGETS, &t, sizeof(t));
	t.c_lflag = (t.c_lflag | set) & ~clear;
	ioc(TCSETS, &t, sizeof(t));
}

/* ---- tests ---- */

KTEST(tty_canonical_read_echo_eof)
{
	char buf[64];

	setup();
	KT_EXPECT(rd(buf, sizeof(buf), true) == -EAGAIN);
	type("ab\x7f" "c one two\x17" "three\r");
	KT_EXPECT(strcmp(cap.out, "ab\b \bc one two\b \b\b \b\b \bthree\r\n") == 0);
	KT_ASSERT_EQ(rd(buf, sizeof(buf), true), 13);
	KT_EXPECT(memcmp(buf, "ac one three\n", 13) == 0);
	type("x\x15" "line1\nline2\n");		/* kill, then two lines: one per read */
	KT_ASSERT_EQ(rd(buf, sizeof(buf), true), 6);
	KT_EXPECT(memcmp(buf, "line1\n", 6) == 0);
	KT_ASSERT_EQ(rd(buf, sizeof(buf), true), 6);
	type("abc\x04");			/* ^D mid-line: the line without a newline */
	KT_ASSERT_EQ(rd(buf, sizeof(buf), true), 3);
	type("\x04");				/* ^D at the start: EOF */
	KT_EXPECT(tty_poll(&tt) & POLLIN);
	KT_ASSERT_EQ(rd(buf, sizeof(buf), true), 0);
	KT_EXPECT(!(tty_poll(&tt) & POLLIN) && (tty_poll(&tt) & POLLOUT));
	teardown();
}

KTEST(tty_echo_flags)
{
	char buf[16];

	setup();
	set_lflag(ECHONL, ECHO);		/* ECHONL echoes the newline alone */
	type("secret\r");
	KT_EXPECT(strcmp(cap.out, "\r\n") == 0);
	rd(buf, sizeof(buf), true);
	set_lflag(ECHO, ECHOKE);		/* ECHOK without ECHOKE: ^U and a newline */
	cap.n = 0;
	type("abc\x15");
	KT_EXPECT(strcmp(cap.out, "abc^U\r\n") == 0);
	set_lflag(0, ECHOE | ECHOCTL);		/* no ECHOE: the erase char is echoed */
	cap.n = 0;
	type("x\x7f");
	KT_EXPECT(strcmp(cap.out, "x\x7f") == 0);
	set_lflag(ECHOE | ECHOCTL | ECHOKE, 0);	/* erasing a ^A takes two columns */
	cap.n = 0;
	type("\x01\x7f");
	KT_EXPECT(strcmp(cap.out, "^A\b \b\b \b") == 0);
	type("\r");				/* back to column 0 */
	cap.n = 0;
	type("ab\t\x7f");			/* a tab is backed over with \b only */
	KT_EXPECT(strcmp(cap.out, "ab\t\b\b\b\b\b\b") == 0);
	teardown();
}

KTEST(tty_input_output_mapping)
{
	struct termios t;
	char buf[16];
	struct iobuf w = iobuf_kernel((void *)"a\nb", 3);

	setup();
	ioc(TCGETS, &t, sizeof(t));
	t.c_iflag = INLCR;			/* NL -> CR, no ICRNL */
	t.c_lflag &= ~(uint32_t)(ICANON | ECHO);
	ioc(TCSETS, &t, sizeof(t));
	type("\r\n");
	KT_ASSERT_EQ(rd(buf, sizeof(buf), true), 2);
	KT_EXPECT(buf[0] == '\r' && buf[1] == '\r');
	t.c_iflag = IGNCR;
	ioc(TCSETS, &t, sizeof(t));
	type("\rz");
	KT_ASSERT_EQ(rd(buf, sizeof(buf), true), 1);
	KT_EXPECT(buf[0] == 'z');
	KT_ASSERT_EQ(tty_write(&tt, &w, false), 3);	/* OPOST|ONLCR */
	KT_EXPECT(strcmp(cap.out, "a\r\nb") == 0);
	t.c_oflag &= ~(uint32_t)OPOST;
	ioc(TCSETS, &t, sizeof(t));
	cap.n = 0;
	KT_ASSERT_EQ(tty_write(&tt, &w, false), 3);
	KT_EXPECT(memcmp(cap.out, "a\nb", 3) == 0 && cap.n == 3);
	teardown();
}

KTEST(tty_isig_to_foreground_group)
{
	char buf[8];

	setup();
	tty_open_acquire(&tt, 0, true);		/* leader 10 gets it: fg group 10 */
	KT_ASSERT(proc.ctty == &tt && tt.session == 10 && tt.pgrp == 10);
	tt.pgrp = 20;				/* a job in the foreground */
	type("abc\x03");
	type("\x1c");
	type("\x1a");
	KT_ASSERT_EQ(fake.nkills, 3);
	KT_EXPECT(fake.kill_pgid[0] == 20 && fake.kill_sig[0] == SIGINT);
	KT_EXPECT(fake.kill_pgid[1] == 20 && fake.kill_sig[1] == SIGQUIT);
	KT_EXPECT(fake.kill_pgid[2] == 20 && fake.kill_sig[2] == SIGTSTP);
	KT_EXPECT(strcmp(cap.out, "abc^C^\\^Z") == 0);
	proc.pgid = 20;				/* TCSETS from the foreground group */
	set_lflag(0, ISIG);			/* without ISIG ^C is data */
	set_lflag(0, ICANON);
	type("\x03");
	KT_ASSERT_EQ(rd(buf, sizeof(buf), true), 1);
	KT_EXPECT(buf[0] == 0x03 && fake.nkills == 3);
	teardown();
}

static void feed_b(void *arg)
{
	(void)arg;
	tty_receive(&tt, 'b');
}

KTEST(tty_vmin_vtime)
{
	struct termios t;
	char buf[8];
	uint64_t t0;

	setup();
	ioc(TCGETS, &t, sizeof(t));
	t.c_lflag &= ~(uint32_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	ioc(TCSETS, &t, sizeof(t));
	KT_EXPECT(rd(buf, sizeof(buf), false) == 0);	/* MIN 0 TIME 0: poll */
	t.c_cc[VTIME] = 2;
	ioc(TCSETS, &t, sizeof(t));
	t0 = clock_monotonic_ns();
	KT_EXPECT(rd(buf, sizeof(buf), false) == 0);	/* MIN 0 TIME 2: times out */
	KT_EXPECT(clock_monotonic_ns() - t0 >= 190 * NSEC_PER_MSEC);
	t.c_cc[VMIN] = 2;
	t.c_cc[VTIME] = 0;
	ioc(TCSETS, &t, sizeof(t));
	type("a");
	KT_EXPECT(rd(buf, sizeof(buf), true) == 1);	/* O_NONBLOCK: what there is */
	KT_EXPECT(rd(buf, sizeof(buf), true) == -EAGAIN);
	type("a");
	KT_ASSERT(timer_add(50 * NSEC_PER_MSEC, false, feed_b, NULL) > 0);
	KT_ASSERT_EQ(rd(buf, sizeof(buf), false), 2);	/* MIN 2: waits for the second */
	KT_EXPECT(buf[0] == 'a' && buf[1] == 'b');
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 1;
	ioc(TCSETS, &t, sizeof(t));
	type("xy");
	t0 = clock_monotonic_ns();
	KT_ASSERT_EQ(rd(buf, sizeof(buf), false), 2);	/* inter-byte timer ends it */
	KT_EXPECT(clock_monotonic_ns() - t0 >= 90 * NSEC_PER_MSEC);
	type("12345");
	KT_ASSERT_EQ(rd(buf, 4, false), 4);		/* never more than asked */
	KT_EXPECT(memcmp(buf, "1234", 4) == 0);
	teardown();
}

KTEST(tty_termios_winsize_queue_ioctls)
{
	struct termios t, t2;
	struct termios2 tt2;
	struct winsize ws;
	int v;

	setup();
	KT_ASSERT_EQ(ioc(TCGETS, &t, sizeof(t)), 0);
	KT_EXPECT(sizeof(t) == 36 && (t.c_lflag & ICANON) && t.c_cc[VINTR] == 3);
	KT_EXPECT((t.c_iflag & ICRNL) && (t.c_oflag & ONLCR));
	t.c_lflag &= ~(uint32_t)ECHO;
	KT_ASSERT_EQ(ioc(TCSETSW, &t, sizeof(t)), 0);
	ioc(TCGETS, &t2, sizeof(t2));
	KT_EXPECT(memcmp(&t, &t2, sizeof(t)) == 0);
	KT_ASSERT_EQ(ioc(TCGETS2, &tt2, sizeof(tt2)), 0);
	KT_EXPECT(tt2.c_ospeed == 38400 && memcmp(&tt2.t, &t, sizeof(t)) == 0);
	KT_ASSERT_EQ(ioc(TIOCGWINSZ, &ws, sizeof(ws)), 0);
	KT_EXPECT(ws.ws_row == 24 && ws.ws_col == 80);
	tty_open_acquire(&tt, 0, true);
	ws.ws_row = 50;
	KT_ASSERT_EQ(ioc(TIOCSWINSZ, &ws, sizeof(ws)), 0);
	KT_EXPECT(fake.nkills == 1 && fake.kill_sig[0] == SIGWINCH && fake.kill_pgid[0] == 10);
	ioc(TIOCSWINSZ, &ws, sizeof(ws));		/* unchanged: no SIGWINCH */
	KT_EXPECT(fake.nkills == 1);
	type("abc\ndef");
	KT_ASSERT_EQ(ioc(FIONREAD, &v, sizeof(v)), 0);
	KT_EXPECT(v == 4);				/* completed lines only */
	KT_ASSERT_EQ(ioc(TIOCOUTQ, &v, sizeof(v)), 0);
	KT_EXPECT(v == 0);
	KT_EXPECT(ioc_val(TCFLSH, 3) == -EINVAL);
	KT_ASSERT_EQ(ioc_val(TCFLSH, TCIFLUSH), 0);
	ioc(FIONREAD, &v, sizeof(v));
	KT_EXPECT(v == 0);
	KT_EXPECT(ioc_val(TCXONC, TCOOFF) == 0 && ioc_val(TCXONC, 4) == -EINVAL);
	KT_EXPECT(ioc_val(TCSBRK, 0) == 0);
	KT_EXPECT(ioc(TCSETSF, &t, sizeof(t)) == 0);
	KT_EXPECT(ioc_val(0x5499, 0) == -ENOTTY);
	KT_EXPECT(ioc(TIOCGETD, &v, sizeof(v)) == 0 && v == 0);
	KT_EXPECT(ioc(TCGETS, &t, 8) == -EINVAL);	/* a too-small buffer is refused */
	teardown();
}

KTEST(tty_pgrp_sid_ctty_ioctls)
{
	int v;

	setup();
	KT_EXPECT(ioc(TIOCGPGRP, &v, sizeof(v)) == -ENOTTY);	/* not our ctty */
	KT_EXPECT(ioc(TIOCGSID, &v, sizeof(v)) == -ENOTTY);
	tty_open_acquire(&tt, O_NOCTTY, true);
	KT_EXPECT(proc.ctty == NULL);
	tty_open_acquire(&tt, 0, false);			/* /dev/console */
	KT_EXPECT(proc.ctty == NULL);
	KT_ASSERT_EQ(ioc_val(TIOCSCTTY, 0), 0);
	KT_ASSERT(proc.ctty == &tt);
	KT_EXPECT(ioc_val(TIOCSCTTY, 0) == 0);			/* already ours */
	KT_ASSERT_EQ(ioc(TIOCGPGRP, &v, sizeof(v)), 0);
	KT_EXPECT(v == 10);
	KT_ASSERT_EQ(ioc(TIOCGSID, &v, sizeof(v)), 0);
	KT_EXPECT(v == 10);
	v = 20;
	KT_ASSERT_EQ(ioc(TIOCSPGRP, &v, sizeof(v)), 0);
	KT_EXPECT(tt.pgrp == 20);
	/* The caller is now in the background: TIOCSPGRP gets SIGTTOU. */
	v = 10;
	KT_EXPECT(ioc(TIOCSPGRP, &v, sizeof(v)) == -ERESTARTSYS);
	KT_EXPECT(fake.nkills == 1 && fake.kill_sig[0] == SIGTTOU && fake.kill_pgid[0] == 10);
	proc.sigactions[SIGTTOU - 1].handler = SIG_IGN;	/* ignored: allowed */
	KT_ASSERT_EQ(ioc(TIOCSPGRP, &v, sizeof(v)), 0);
	v = 99;
	KT_EXPECT(ioc(TIOCSPGRP, &v, sizeof(v)) == -EPERM);	/* another session's */
	v = 77;
	KT_EXPECT(ioc(TIOCSPGRP, &v, sizeof(v)) == -ESRCH);
	v = -1;
	KT_EXPECT(ioc(TIOCSPGRP, &v, sizeof(v)) == -EINVAL);
	/* The leader gives it up: SIGHUP and SIGCONT to the foreground group. */
	fake.nkills = 0;
	KT_ASSERT_EQ(ioc_val(TIOCNOTTY, 0), 0);
	KT_EXPECT(proc.ctty == NULL && tt.session == 0 && tt.pgrp == 0);
	KT_EXPECT(fake.nkills == 2 && fake.kill_sig[0] == SIGHUP &&
		  fake.kill_sig[1] == SIGCONT && fake.kill_pgid[0] == 10);
	KT_EXPECT(ioc_val(TIOCNOTTY, 0) == -ENOTTY);
	/* Not a session leader: TIOCSCTTY is refused. */
	proc.pid = 11;
	KT_EXPECT(ioc_val(TIOCSCTTY, 0) == -EPERM);
	tty_open_acquire(&tt, 0, true);
	KT_EXPECT(proc.ctty == NULL);
	/* A tty of another session: only CAP_SYS_ADMIN with arg 1 steals it. */
	proc.pid = 10;
	tt.session = 30;
	proc.cred.cap_effective = CAP_FULL_SET & ~CAP_BIT(CAP_SYS_ADMIN);
	KT_EXPECT(ioc_val(TIOCSCTTY, 1) == -EPERM);
	proc.cred.cap_effective = CAP_BIT(CAP_SYS_ADMIN);
	KT_EXPECT(ioc_val(TIOCSCTTY, 0) == -EPERM);
	KT_ASSERT_EQ(ioc_val(TIOCSCTTY, 1), 0);
	KT_EXPECT(fake.detached_sid == 30 && proc.ctty == &tt && tt.session == 10);
	teardown();
}

KTEST(tty_background_job_control)
{
	char buf[8];
	struct iobuf w = iobuf_kernel((void *)"hi", 2);

	setup();
	tty_open_acquire(&tt, 0, true);
	tt.pgrp = 10;
	proc.pgid = 20;					/* we are a background job */
	type("x\n");
	KT_EXPECT(rd(buf, sizeof(buf), true) == -ERESTARTSYS);
	KT_EXPECT(fake.nkills == 1 && fake.kill_sig[0] == SIGTTIN && fake.kill_pgid[0] == 20);
	thr.blocked = 1ULL << (SIGTTIN - 1);
	KT_EXPECT(rd(buf, sizeof(buf), true) == -EIO);	/* blocked: EIO */
	thr.blocked = 0;
	fake.orphaned = true;
	KT_EXPECT(rd(buf, sizeof(buf), true) == -EIO);	/* orphaned: EIO */
	fake.orphaned = false;
	/* Writes go through without TOSTOP, get SIGTTOU with it. */
	KT_ASSERT_EQ(tty_write(&tt, &w, false), 2);
	proc.pgid = 10;				/* TCSETS from the foreground */
	set_lflag(TOSTOP, 0);
	proc.pgid = 20;
	fake.nkills = 0;
	KT_EXPECT(tty_write(&tt, &w, false) == -ERESTARTSYS);
	KT_EXPECT(fake.nkills == 1 && fake.kill_sig[0] == SIGTTOU && fake.kill_pgid[0] == 20);
	proc.sigactions[SIGTTOU - 1].handler = SIG_IGN;
	KT_EXPECT(tty_write(&tt, &w, false) == 2);	/* SIGTTOU ignored: write */
	/* A process whose ctty is another tty is never stopped by this one. */
	proc.ctty = NULL;
	KT_EXPECT(rd(buf, sizeof(buf), true) == 2);
	teardown();
}

KTEST(tty_session_leader_exit_hangs_up)
{
	setup();
	KT_EXPECT(tty_ctty_dev(&proc) == 0);
	tty_open_acquire(&tt, 0, true);
	tt.dev = MKDEV(4, 64);
	KT_EXPECT(tty_ctty_dev(&proc) == MKDEV(4, 64));	/* /proc/<pid>/stat's tty_nr */
	tt.pgrp = 20;
	tty_session_leader_exit(&proc);
	KT_EXPECT(fake.nkills == 1 && fake.kill_sig[0] == SIGHUP && fake.kill_pgid[0] == 20);
	KT_EXPECT(fake.detached_sid == 10 && proc.ctty == NULL);
	KT_EXPECT(tt.session == 0 && tt.pgrp == 0);
	tty_session_leader_exit(&proc);	/* no ctty any more: nothing */
	KT_EXPECT(fake.nkills == 1 && tty_ctty_dev(&proc) == 0);
	teardown();
}

KTEST(tty_hangup_signals_leader_and_ends_io)
{
	struct iobuf w = iobuf_kernel((void *)"x", 1);
	char buf[8];

	setup();
	tty_open_acquire(&tt, 0, true);
	tt.pgrp = 20;
	type("abc\n");
	tty_hangup(&tt);
	/* SIGHUP and SIGCONT to the session leader (pid 10), not the group. */
	KT_EXPECT(fake.nkills == 2 && fake.kill_pgid[0] == -10 && fake.kill_sig[0] == SIGHUP);
	KT_EXPECT(fake.kill_pgid[1] == -10 && fake.kill_sig[1] == SIGCONT);
	KT_EXPECT(proc.ctty == NULL && tt.session == 0);
	KT_EXPECT(rd(buf, sizeof(buf), false) == 0);	/* end of file, input or not */
	KT_EXPECT(tty_write(&tt, &w, false) == -EIO);
	KT_EXPECT(tty_ioctl(&tt, TIOCSPGRP, 0, NULL) == -ENOTTY);
	KT_EXPECT(tty_poll(&tt) & POLLHUP);
	tty_open_acquire(&tt, 0, true);		/* a hung-up tty is nobody's ctty */
	KT_EXPECT(proc.ctty == NULL);
	teardown();
}
