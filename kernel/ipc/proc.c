// SPDX-License-Identifier: MPL-2.0
// What /proc shows of System V IPC: /proc/sysvipc/{shm,sem,msg} in
// Linux's format (one header line, then one line per object, by slot)
// and the limits of /proc/sys/kernel, which root may change.
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "ipc/ipc.h"
#include "ipc/internal.h"

#define TEXT_CAP_MAX	(1024 * 1024)

struct ipc_text {
	char *buf;
	size_t len, cap;
	bool failed;
};

void ipc_text_add(struct ipc_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->failed = true;
			return;
		}
		if ((size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		if (t->cap * 2 > TEXT_CAP_MAX) {
			t->failed = true;
			return;
		}
		char *nb = krealloc(t->buf, t->cap * 2);

		if (!nb) {
			t->failed = true;
			return;
		}
		t->buf = nb;
		t->cap *= 2;
	}
}

static const struct {
	const char *name, *header;
	enum ipc_kind kind;
	void (*show)(struct ipc_text *t, struct kern_ipc_perm *perm);
} sysvipc_files[] = {
	{ "shm", "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  "
		 "cuid  cgid      atime      dtime      ctime                   rss                  swap\n",
	  IPC_SHM_IDS, shm_proc_show },
	{ "sem", "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n",
	  IPC_SEM_IDS, sem_proc_show },
	{ "msg", "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  "
		 "cgid      stime      rtime      ctime\n",
	  IPC_MSG_IDS, msg_proc_show },
};

int ipc_proc_text(const char *name, char **out, size_t *len)
{
	struct ipc_text t = { .cap = 1024 };
	size_t f;
	int max;

	for (f = 0; f < ARRAY_SIZE(sysvipc_files); f++)
		if (!strcmp(name, sysvipc_files[f].name))
			break;
	if (f == ARRAY_SIZE(sysvipc_files))
		return -ENOENT;
	t.buf = kmalloc(t.cap);
	if (!t.buf)
		return -ENOMEM;
	ipc_text_add(&t, "%s", sysvipc_files[f].header);
	mutex_lock(&ipc_lock);
	max = ipc_max_idx(sysvipc_files[f].kind);
	for (int i = 0; i <= max; i++) {
		struct kern_ipc_perm *p = ipc_find_slot(sysvipc_files[f].kind, i);

		if (p)
			sysvipc_files[f].show(&t, p);
	}
	mutex_unlock(&ipc_lock);
	if (t.failed) {
		kfree(t.buf);
		return -ENOMEM;
	}
	*out = t.buf;
	*len = t.len;
	return 0;
}

/* ---- /proc/sys/kernel ---- */


/* fs/mqueue's: the value's address, or NULL. */
static int *mq_sysctl(const char *name)
{
	if (!strcmp(name, "queues_max"))
		return &mq_limits.queues_max;
	if (!strcmp(name, "msg_max"))
		return &mq_limits.msg_max;
	if (!strcmp(name, "msgsize_max"))
		return &mq_limits.msgsize_max;
	if (!strcmp(name, "msg_default"))
		return &mq_limits.msg_default;
	if (!strcmp(name, "msgsize_default"))
		return &mq_limits.msgsize_default;
	return NULL;
}

int ipc_sysctl_show(const char *name, char *buf, size_t size)
{
	struct ipc_limits l;
	int n, *mq = mq_sysctl(name), mqv = 0;

	mutex_lock(&ipc_lock);
	l = ipc_ns()->limits;
	if (mq)
		mqv = *mq;
	mutex_unlock(&ipc_lock);
	if (mq)
		n = snprintf(buf, size, "%d\n", mqv);
	else if (!strcmp(name, "shmmax"))
		n = snprintf(buf, size, "%lu\n", l.shmmax);
	else if (!strcmp(name, "shmall"))
		n = snprintf(buf, size, "%lu\n", l.shmall);
	else if (!strcmp(name, "shmmni"))
		n = snprintf(buf, size, "%lu\n", l.shmmni);
	else if (!strcmp(name, "sem"))
		n = snprintf(buf, size, "%d\t%d\t%d\t%d\n", l.semmsl, l.semmns, l.semopm, l.semmni);
	else if (!strcmp(name, "msgmax"))
		n = snprintf(buf, size, "%d\n", l.msgmax);
	else if (!strcmp(name, "msgmnb"))
		n = snprintf(buf, size, "%d\n", l.msgmnb);
	else if (!strcmp(name, "msgmni"))
		n = snprintf(buf, size, "%d\n", l.msgmni);
	else
		return -ENOENT;
	return MIN(n, (int)size - 1);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * Up to max numbers of one write, blank-separated (Linux's proc_get_long):
 * how many, or -EINVAL for anything else.  Signed unless !sign.
 */
static int parse_values(const char *buf, size_t len, int64_t *v, int max, bool sign)
{
	size_t i = 0;
	int n = 0;

	for (;;) {
		bool neg = false, digits = false;
		uint64_t x = 0;

		while (i < len && is_space(buf[i]))
			i++;
		if (i >= len || !buf[i])
			break;
		if (n == max)
			return -EINVAL;
		if (buf[i] == '-' && sign) {
			neg = true;
			i++;
		}
		while (i < len && buf[i] >= '0' && buf[i] <= '9') {
			if (x > (UINT64_MAX - 9) / 10)
				return -EINVAL;
			x = x * 10 + (uint64_t)(buf[i++] - '0');
			digits = true;
		}
		if (!digits || (i < len && buf[i] && !is_space(buf[i])))
			return -EINVAL;
		if (sign && x > (uint64_t)INT64_MAX)
			return -EINVAL;
		v[n++] = neg ? -(int64_t)x : (int64_t)x;
	}
	return n ? n : -EINVAL;
}

static int set_int(int *dst, int64_t v, int64_t lo, int64_t hi)
{
	if (v < lo || v > hi)
		return -EINVAL;
	*dst = (int)v;
	return 0;
}

/* The sem line: up to four numbers, semmni within IPCMNI, else ERANGE (proc_ipc_sem_dointvec). */
static int write_sem(const int64_t *v, int n)
{
	int vals[4] = { ipc_ns()->limits.semmsl, ipc_ns()->limits.semmns, ipc_ns()->limits.semopm, ipc_ns()->limits.semmni };

	for (int i = 0; i < n; i++) {
		if (v[i] < INT32_MIN || v[i] > INT32_MAX)
			return -EINVAL;
		vals[i] = (int)v[i];
	}
	ipc_ns()->limits.semmsl = vals[0];
	ipc_ns()->limits.semmns = vals[1];
	ipc_ns()->limits.semopm = vals[2];
	/* Linux keeps the other three and puts semmni back. */
	if (vals[3] < 0 || vals[3] > IPCMNI)
		return -ERANGE;
	ipc_ns()->limits.semmni = vals[3];
	return 0;
}

static int write_locked(const char *name, const int64_t *v, int n)
{
	int *mq = mq_sysctl(name);

	if (mq) {
		if (!strcmp(name, "queues_max"))
			return set_int(mq, v[0], INT32_MIN, INT32_MAX);
		if (!strcmp(name, "msg_max") || !strcmp(name, "msg_default"))
			return set_int(mq, v[0], MQ_MIN_MSGMAX, MQ_HARD_MSGMAX);
		return set_int(mq, v[0], MQ_MIN_MSGSIZEMAX, MQ_HARD_MSGSIZEMAX);
	}
	if (!strcmp(name, "sem"))
		return write_sem(v, n);
	if (!strcmp(name, "shmmax"))
		ipc_ns()->limits.shmmax = (uint64_t)v[0];
	else if (!strcmp(name, "shmall"))
		ipc_ns()->limits.shmall = (uint64_t)v[0];
	else if (!strcmp(name, "shmmni"))
		return v[0] < 0 || v[0] > IPCMNI ? -EINVAL : (ipc_ns()->limits.shmmni = (uint64_t)v[0], 0);
	else if (!strcmp(name, "msgmax"))
		return set_int(&ipc_ns()->limits.msgmax, v[0], 0, INT32_MAX);
	else if (!strcmp(name, "msgmnb"))
		return set_int(&ipc_ns()->limits.msgmnb, v[0], 0, INT32_MAX);
	else if (!strcmp(name, "msgmni"))
		return set_int(&ipc_ns()->limits.msgmni, v[0], 0, IPCMNI);
	else
		return -ENOENT;
	return 0;
}

int ipc_sysctl_write(const char *name, const char *buf, size_t len)
{
	bool ulong = !strcmp(name, "shmmax") || !strcmp(name, "shmall");
	int64_t v[4];
	int n, err;

	n = parse_values(buf, len, v, !strcmp(name, "sem") ? 4 : 1, !ulong);
	if (n < 0)
		return n;
	mutex_lock(&ipc_lock);
	err = write_locked(name, v, n);
	mutex_unlock(&ipc_lock);
	return err;
}
