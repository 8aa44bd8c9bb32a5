// SPDX-License-Identifier: MPL-2.0
// aster.strace=PID|all: one line per syscall of the traced process(es), in
// strace's format, from the table's names and argument kinds.
#include <aster/cmdline.h>
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/log.h>
#include <aster/string.h>
#include "process/signal.h"
#include "process/signum.h"
#include "syscall.h"
#include "uapi/fcntl.h"

/* Set once at boot; the dispatcher's only cost when off is testing it. */
bool strace_on;
static bool trace_all;
static pid_t trace_pid;

/* "all", or the tgid of the one process to trace (not its children). */
static int set_strace(const char *value)
{
	uint64_t pid;

	if (value && strcmp(value, "all") == 0) {
		trace_all = true;
	} else if (value && parse_u64(value, &pid) == 0 && pid > 0 && pid <= INT32_MAX) {
		trace_pid = (pid_t)pid;
	} else {
		return -EINVAL;
	}
	strace_on = true;
	return 0;
}
BOOT_PARAM("aster.strace", set_strace);

#define STRACE_LINE	512
#define STRACE_STR	32	/* strace's default -s: longer strings end in "..." */

struct line {
	char buf[STRACE_LINE];
	size_t len;
};

static void put(struct line *l, const char *fmt, ...) __printf(2, 3);
static void put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	/* A full line is cut, never overrun: keep len at the terminator. */
	if (n > 0)
		l->len = MIN(l->len + (size_t)n, sizeof(l->buf) - 1);
}

static const char *const signames[] = {
#define S(name)	[name] = #name
	S(SIGHUP), S(SIGINT), S(SIGQUIT), S(SIGILL), S(SIGTRAP), S(SIGABRT), S(SIGBUS),
	S(SIGFPE), S(SIGKILL), S(SIGUSR1), S(SIGSEGV), S(SIGUSR2), S(SIGPIPE), S(SIGALRM),
	S(SIGTERM), S(SIGSTKFLT), S(SIGCHLD), S(SIGCONT), S(SIGSTOP), S(SIGTSTP), S(SIGTTIN),
	S(SIGTTOU), S(SIGURG), S(SIGXCPU), S(SIGXFSZ), S(SIGVTALRM), S(SIGPROF), S(SIGWINCH),
	S(SIGIO), S(SIGPWR), S(SIGSYS),
#undef S
};

/* One character of a string as strace quotes it. */
static void put_char(struct line *l, unsigned char c)
{
	static const char esc[] = { ['\n'] = 'n', ['\t'] = 't', ['\r'] = 'r', ['\v'] = 'v',
				    ['\f'] = 'f', ['"'] = '"', ['\\'] = '\\' };

	if (c < sizeof(esc) && esc[c])
		put(l, "\\%c", esc[c]);
	else if (c < 0x20 || c >= 0x7f)
		put(l, "\\%o", c);
	else
		put(l, "%c", c);
}

/* The flag words and full-register values, with strace's bare 0. */
static void put_hex(struct line *l, uint64_t v)
{
	if (v)
		put(l, "%#lx", v);
	else
		put(l, "0");
}

static void put_str(struct line *l, uaddr_t ua)
{
	char s[STRACE_STR + 1];
	long n = strncpy_from_user(s, ua, sizeof(s));

	if (n == -EFAULT || (n < 0 && n != -ENAMETOOLONG)) {
		if (ua)
			put_hex(l, ua);
		else
			put(l, "NULL");
		return;
	}
	/* -ENAMETOOLONG: longer than STRACE_STR, and s holds its start. */
	put(l, "\"");
	for (size_t i = 0; i < (n < 0 ? STRACE_STR : (size_t)n); i++)
		put_char(l, (unsigned char)s[i]);
	put(l, n < 0 ? "\"..." : "\"");
}

static void put_arg(struct line *l, enum syscall_arg_kind kind, uint64_t raw)
{
	int i = (int)raw;

	switch (kind) {
	case AKIND_int:
	case AKIND_pid:
		put(l, "%d", i);
		break;
	case AKIND_uint:
		put(l, "%u", (unsigned int)raw);
		break;
	case AKIND_long:
	case AKIND_off:
		put(l, "%ld", (long)raw);
		break;
	case AKIND_ulong:
	case AKIND_size:
		put(l, "%lu", raw);
		break;
	case AKIND_hex:
		put_hex(l, raw);
		break;
	case AKIND_ptr:
		if (raw)
			put_hex(l, raw);
		else
			put(l, "NULL");
		break;
	case AKIND_flags:
		put_hex(l, (unsigned int)raw);
		break;
	case AKIND_mode:
		put(l, "%#o", (unsigned int)raw);
		break;
	case AKIND_fd:
		if (i == AT_FDCWD)
			put(l, "AT_FDCWD");
		else
			put(l, "%d", i);
		break;
	case AKIND_sig:
		if (i > 0 && (size_t)i < sizeof(signames) / sizeof(signames[0]) && signames[i])
			put(l, "%s", signames[i]);
		else
			put(l, "%d", i);
		break;
	case AKIND_str:
		put_str(l, raw);
		break;
	}
}

/* "[pid N] name(args" before the call: strings are read while they exist. */
static void put_call(struct line *l, const struct syscall_args *args)
{
	const struct syscall_desc *d = syscall_desc(args->nr);
	const char *name = syscall_name(args->nr);
	struct thread *t = current_thread();

	put(l, "[pid %d] ", t ? t->tid : 0);
	if (name)
		put(l, "%s(", name);
	else
		put(l, "syscall_%lu(", args->nr);
	for (int i = 0; i < (d ? d->nargs : SYSCALL_ARGS); i++) {
		put(l, i ? ", " : "");
		if (d)
			put_arg(l, d->kind[i], args->a[i]);
		else
			put_hex(l, args->a[i]);
	}
	put(l, ")");
}

/* " = 3", " = -1 ENOENT", " = ? ERESTARTSYS"; addresses (mmap, brk) in hex. */
static void put_result(struct line *l, long ret)
{
	const char *e = ret < 0 && ret > -4096 ? errno_name(-ret) : NULL;

	if (e && -ret >= ERESTARTSYS)
		put(l, " = ? %s", e);
	else if (e)
		put(l, " = -1 %s", e);
	else if (ret < -4095 || ret > 0xffffffffL)
		put(l, " = %#lx", (unsigned long)ret);
	else
		put(l, " = %ld", ret);
}

static bool traced(void)
{
	struct process *p = current_process();

	return p && (trace_all || p->pid == trace_pid);
}

long strace_dispatch(const struct syscall_args *args)
{
	struct line l = { .len = 0 };
	long ret;

	if (!traced())
		return syscall_run(args);
	l.buf[0] = '\0';
	put_call(&l, args);
	/* exit and exit_group do not come back: strace's "= ?" now. */
	if (args->nr == SCNR_exit || args->nr == SCNR_exit_group) {
		pr_notice("%s = ?\n", l.buf);
		return syscall_run(args);
	}
	ret = syscall_run(args);
	put_result(&l, ret);
	pr_notice("%s\n", l.buf);
	return ret;
}
