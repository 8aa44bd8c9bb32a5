// SPDX-License-Identifier: MPL-2.0
// core_pattern's expansion, as Linux's format_corename: %p %P %i %I %u %g
// %d %s %t %h %e %E %c %% and the rest dropped; "." PID appended when
// core_uses_pid is set and the pattern has no %p.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "process/coredump.h"
#include "uapi/elfcore.h"

struct cname {
	char *buf;
	size_t len, cap;
	bool overflow;
};

static void cn_put(struct cname *cn, const char *s, size_t len)
{
	if (cn->len + len >= cn->cap) {
		cn->overflow = true;
		return;
	}
	memcpy(cn->buf + cn->len, s, len);
	cn->len += len;
	cn->buf[cn->len] = 0;
}

static void cn_num(struct cname *cn, uint64_t v)
{
	char tmp[24];
	int len = snprintf(tmp, sizeof(tmp), "%lu", v);

	cn_put(cn, tmp, (size_t)len);
}

/* Linux's cn_esc_printf: '/' becomes '!', and a whole "." or ".." too. */
static void cn_esc(struct cname *cn, const char *s)
{
	size_t start = cn->len;

	cn_put(cn, s, strlen(s));
	if (cn->overflow)
		return;
	for (size_t i = start; i < cn->len; i++)
		if (cn->buf[i] == '/')
			cn->buf[i] = '!';
	if ((cn->len - start == 1 && cn->buf[start] == '.') ||
	    (cn->len - start == 2 && cn->buf[start] == '.' && cn->buf[start + 1] == '.'))
		cn->buf[start] = '!';
}

static const char *base_name(const char *path)
{
	const char *b = path;

	for (const char *s = path; *s; s++)
		if (*s == '/')
			b = s + 1;
	return b;
}

static void cn_spec(struct cname *cn, char c, struct thread *t, int sig, bool *pid_in_pattern)
{
	struct process *p = t->proc;
	char host[65];

	switch (c) {
	case '%':
		cn_put(cn, "%", 1);
		break;
	/* %p and %i in the dumper's own pid namespace, %P and %I in the initial one (the kernel's). */
	case 'p':
		*pid_in_pattern = true;
		cn_num(cn, (uint64_t)pid_vnr(p->pid));
		break;
	case 'P':
		cn_num(cn, (uint64_t)p->pid);
		break;
	case 'i':
		cn_num(cn, (uint64_t)pid_vnr(t->tid));
		break;
	case 'I':
		cn_num(cn, (uint64_t)t->tid);
		break;
	case 'u':
		cn_num(cn, p->cred.uid);
		break;
	case 'g':
		cn_num(cn, p->cred.gid);
		break;
	case 'd':
		cn_num(cn, p->not_dumpable ? SUID_DUMP_DISABLE : SUID_DUMP_USER);
		break;
	case 's':
		cn_num(cn, (uint64_t)sig);
		break;
	case 't':
		cn_num(cn, clock_realtime_ns() / 1000000000);
		break;
	case 'h':
		uts_hostname_get(host, sizeof(host));
		cn_esc(cn, host);
		break;
	case 'e':
		cn_esc(cn, p->comm);
		break;
	case 'f':
		cn_esc(cn, p->exe_path ? base_name(p->exe_path) : p->comm);
		break;
	case 'E':
		cn_esc(cn, p->exe_path ? p->exe_path : "");
		break;
	case 'c':
		cn_num(cn, p->rlimits[RLIMIT_CORE].cur);
		break;
	default:
		break;		/* Linux drops an unknown specifier */
	}
}

int coredump_format_name(char *buf, size_t cap, const char *pattern, bool uses_pid,
			 struct thread *t, int sig)
{
	struct cname c = { .buf = buf, .cap = cap }, *cn = &c;
	bool pid_in_pattern = false;

	cn->buf[0] = 0;
	for (const char *s = pattern; *s; s++) {
		if (*s != '%') {
			cn_put(cn, s, 1);
			continue;
		}
		if (!s[1])
			break;
		cn_spec(cn, *++s, t, sig, &pid_in_pattern);
	}
	if (uses_pid && !pid_in_pattern) {
		cn_put(cn, ".", 1);
		cn_num(cn, (uint64_t)pid_vnr(t->proc->pid));
	}
	return cn->overflow ? -ENAMETOOLONG : 0;
}
