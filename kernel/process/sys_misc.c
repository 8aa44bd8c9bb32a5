// SPDX-License-Identifier: MPL-2.0
// Small process-wide syscalls: uname and hostnames, arch_prctl, prctl,
// personality, resource limits and usage, sysinfo, reboot.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/log.h>
#include <aster/power.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/timer.h>
#include <aster/uaccess.h>
#include "fs/random.h"
#include "mm/vmar.h"
#include "sched/sched.h"
#include "process/capability.h"
#include "process/internal.h"
#include "process/seccomp.h"
#include "syscall/syscall.h"
#include "uapi/arch_prctl.h"
#include "uapi/prctl.h"
#include "uapi/resource.h"
#include "uapi/random.h"
#include "uapi/reboot.h"
#include "uapi/utsname.h"
#include "ns/ns.h"
#include "uapi/sysinfo.h"

/* A struct new_utsname field, NUL included. */
#define UTS_LEN	(__NEW_UTS_LEN + 1)

/* Programs parse the release as a Linux version; we offer the ABI we follow. */
const char *uts_release(void)
{
	return "6.1.0-asterinas";
}

const char *uts_version(void)
{
	return "#1 SMP Asterinas " ASTER_VERSION;
}

long sys_uname(uaddr_t buf)
{
	char u[6][UTS_LEN];

	memset(u, 0, sizeof(u));
	strlcpy(u[0], "Linux", UTS_LEN);
	uts_current_get(false, u[1], UTS_LEN);
	strlcpy(u[2], uts_release(), UTS_LEN);
	strlcpy(u[3], uts_version(), UTS_LEN);
	strlcpy(u[4], "x86_64", UTS_LEN);
	uts_current_get(true, u[5], UTS_LEN);
	return copy_to_user(buf, u, sizeof(u)) ? -EFAULT : 0;
}

/* sethostname/setdomainname: the caller's UTS namespace's name (kernel/ns/uts.c). */
static long set_name(bool domain, uaddr_t src, uint64_t len)
{
	char tmp[UTS_LEN];

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len > UTS_LEN - 1)
		return -EINVAL;
	if (copy_from_user(tmp, src, len))
		return -EFAULT;
	return uts_current_set(domain, tmp, len);
}

size_t uts_hostname_get(char *buf, size_t size)
{
	return uts_current_get(false, buf, size);
}

int uts_hostname_set(const char *name, size_t len)
{
	return uts_current_set(false, name, len);
}

size_t uts_domainname_get(char *buf, size_t size)
{
	return uts_current_get(true, buf, size);
}

int uts_domainname_set(const char *name, size_t len)
{
	return uts_current_set(true, name, len);
}

long sys_sethostname(uaddr_t name, size_t len)
{
	return set_name(false, name, len);
}

long sys_setdomainname(uaddr_t name, size_t len)
{
	return set_name(true, name, len);
}

/*
 * personality: the execution domain and its flags are kept and reported;
 * PER_LINUX is the only domain, and the flags change nothing here
 * (ADDR_NO_RANDOMIZE: mappings are not randomized anyway).
 */
long sys_personality(unsigned int persona)
{
	struct process *p = current_process();
	uint32_t old = p->personality, want = persona;

	if (want != 0xffffffff)
		p->personality = want;
	return old;
}

long sys_arch_prctl(int code, unsigned long addr)
{
	struct user_regs *r = &current_thread()->ctx.regs;

	switch (code) {
	case ARCH_SET_FS:
		if (!user_addr_ok(addr))
			return -EPERM;
		r->fs_base = addr;
		return 0;
	case ARCH_SET_GS:
		if (!user_addr_ok(addr))
			return -EPERM;
		r->gs_base = addr;
		return 0;
	case ARCH_GET_FS:
		return put_user_u64(addr, r->fs_base) ? -EFAULT : 0;
	case ARCH_GET_GS:
		return put_user_u64(addr, r->gs_base) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

long sys_set_tid_address(uaddr_t tidptr)
{
	struct thread *t = current_thread();

	t->clear_child_tid = tidptr;
	return pid_vnr(t->tid);
}

long sys_set_robust_list(uaddr_t head, size_t len)
{
	struct thread *t = current_thread();

	if (len != 24)	/* sizeof(struct robust_list_head) */
		return -EINVAL;
	t->robust_list = head;
	t->robust_len = len;
	return 0;
}

long sys_get_robust_list(pid_t pid, uaddr_t head_ptr, uaddr_t len_ptr)
{
	struct thread *t = current_thread();

	if (pid && pid != t->tid)
		return -ESRCH;
	if (put_user_u64(head_ptr, t->robust_list) || put_user_u64(len_ptr, t->robust_len))
		return -EFAULT;
	return 0;
}

long sys_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4,
	       unsigned long arg5)
{
	struct process *p = current_process();
	char name[16];

	switch (option) {
	case PR_SET_NAME:
		memset(name, 0, sizeof(name));
		if (strncpy_from_user(name, arg2, sizeof(name) - 1) == -EFAULT)
			return -EFAULT;
		name[15] = '\0';
		memcpy(p->comm, name, sizeof(name));
		return 0;
	case PR_GET_NAME:
		return copy_to_user(arg2, p->comm, sizeof(p->comm)) ? -EFAULT : 0;
	case PR_GET_DUMPABLE:
		return !p->not_dumpable;
	case PR_SET_DUMPABLE:
		if (arg2 > 1)
			return -EINVAL;
		p->not_dumpable = arg2 == 0;
		return 0;
	case PR_SET_PDEATHSIG:
		if (arg2 > NSIG)
			return -EINVAL;
		p->pdeath_signal = (int)arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return put_user_u32(arg2, (uint32_t)p->pdeath_signal) ? -EFAULT : 0;
	case PR_SET_CHILD_SUBREAPER:
		p->child_subreaper = arg2 != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_user_u32(arg2, p->child_subreaper) ? -EFAULT : 0;
	case PR_GET_SECCOMP:
		return seccomp_prctl_get();
	case PR_SET_SECCOMP:
		return seccomp_prctl_set(arg2, arg3);
	case PR_GET_NO_NEW_PRIVS:
		return p->no_new_privs;
	case PR_SET_NO_NEW_PRIVS:
		if (arg2 != 1 || arg3 || arg4 || arg5)
			return -EINVAL;
		p->no_new_privs = true;
		return 0;
	case PR_SET_TIMERSLACK:
		if (arg2 == 0)
			current_thread()->timer_slack_ns = current_thread()->default_timer_slack_ns;
		else
			current_thread()->timer_slack_ns = arg2;
		return 0;
	case PR_GET_TIMERSLACK:
		return (long)current_thread()->timer_slack_ns;
	case PR_CAPBSET_READ:
	case PR_CAPBSET_DROP:
	case PR_GET_SECUREBITS:
	case PR_SET_SECUREBITS:
	case PR_GET_KEEPCAPS:
	case PR_SET_KEEPCAPS:
	case PR_CAP_AMBIENT:
		return cap_prctl(option, arg2, arg3, arg4, arg5);
	default:
		return -EINVAL;
	}
}

/* ---- resource limits and usage ---- */

static long do_prlimit(struct process *p, unsigned int res, uaddr_t new_ua, uaddr_t old_ua)
{
	struct rlimit64 nl;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (new_ua) {
		if (copy_from_user(&nl, new_ua, sizeof(nl)))
			return -EFAULT;
		if (nl.cur > nl.max)
			return -EINVAL;
		if (nl.max > p->rlimits[res].max && !capable(CAP_SYS_RESOURCE))
			return -EPERM;
		if (res == RLIMIT_NOFILE && nl.max > 1048576)
			return -EPERM;
	}
	if (old_ua && copy_to_user(old_ua, &p->rlimits[res], sizeof(nl)))
		return -EFAULT;
	if (!new_ua)
		return 0;
	p->rlimits[res] = nl;
	if (res == RLIMIT_AS || res == RLIMIT_DATA)
		process_apply_mm_rlimits(p);
	return 0;
}

uint64_t process_fsize_limit(void)
{
	struct process *p = current_process();

	return p ? p->rlimits[RLIMIT_FSIZE].cur : UINT64_MAX;
}

uint64_t process_memlock_limit(void)
{
	struct process *p = current_process();

	return p ? p->rlimits[RLIMIT_MEMLOCK].cur : UINT64_MAX;
}

int process_fsize_exceeded(void)
{
	struct process *p = current_process();

	if (p)
		(void)signal_send(p, SIGXFSZ);
	return -EFBIG;
}

long sys_getrlimit(unsigned int resource, uaddr_t rlim)
{
	return do_prlimit(current_process(), resource, 0, rlim);
}

long sys_setrlimit(unsigned int resource, uaddr_t rlim)
{
	return do_prlimit(current_process(), resource, rlim, 0);
}

/* Linux's check_prlimit_permission: another process needs all its ids equal to ours, or CAP_SYS_RESOURCE. */
static bool may_prlimit(const struct process *p)
{
	const struct cred *c = &current_process()->cred, *t = &p->cred;

	if (p == current_process())
		return true;
	if (c->uid == t->euid && c->uid == t->suid && c->uid == t->uid && c->gid == t->egid &&
	    c->gid == t->sgid && c->gid == t->gid)
		return true;
	return capable(CAP_SYS_RESOURCE);
}

long sys_prlimit64(pid_t pid, unsigned int resource, uaddr_t new_limit, uaddr_t old_limit)
{
	struct process *p;
	long err;

	if (pid < 0)
		return -EINVAL;
	p = pid ? process_find(pid) : NULL;
	if (pid && !p)
		return -ESRCH;
	if (p && !may_prlimit(p)) {
		process_put(p);
		return -EPERM;
	}
	err = do_prlimit(p ? p : current_process(), resource, new_limit, old_limit);
	process_put(p);
	return err;
}

long sys_getrusage(int who, uaddr_t usage)
{
	struct process *p = current_process();
	struct rusage_counts c;
	uint64_t ut, st, rss;

	if (who == RUSAGE_SELF) {
		process_times(p, &ut, &st);
		process_counts(p, &c);
		rss = p->vmar ? vmar_resident_size(p->vmar) / 1024 : 0;
	} else if (who == RUSAGE_CHILDREN) {
		ut = p->cutime_ns;
		st = p->cstime_ns;
		c = p->child_counts;
		rss = p->child_maxrss_kib;
	} else if (who == RUSAGE_THREAD) {
		thread_times(current_thread(), &ut, &st);
		thread_counts(current_thread(), &c);
		rss = p->vmar ? vmar_resident_size(p->vmar) / 1024 : 0;
	} else {
		return -EINVAL;
	}
	return put_rusage(usage, ut, st, rss, &c);
}

long sys_times(uaddr_t buf)
{
	struct process *p = current_process();
	uint64_t ut, st, tms[4];

	process_times(p, &ut, &st);
	tms[0] = ut / 10000000;		/* clock ticks of 10 ms */
	tms[1] = st / 10000000;
	tms[2] = p->cutime_ns / 10000000;
	tms[3] = p->cstime_ns / 10000000;
	if (buf && copy_to_user(buf, tms, sizeof(tms)))
		return -EFAULT;
	return (long)(clock_monotonic_ns() / 10000000);
}

static int count_process(struct process *p, void *arg)
{
	(void)p;
	(*(uint32_t *)arg)++;
	return 0;
}

long sys_sysinfo(uaddr_t info)
{
	struct sysinfo si;
	uint32_t n = 0;

	memset(&si, 0, sizeof(si));
	(void)process_for_each(count_process, &n);
	si.uptime = (int64_t)(clock_monotonic_ns() / NSEC_PER_SEC);
	loadavg_get(si.loads, SI_LOAD_SHIFT);
	si.totalram = frames_total() * PAGE_SIZE;
	si.freeram = frames_free() * PAGE_SIZE;
	si.procs = (uint16_t)n;
	si.mem_unit = 1;
	return copy_to_user(info, &si, sizeof(si)) ? -EFAULT : 0;
}

long sys_getrandom(uaddr_t buf, size_t buflen, unsigned int flags)
{
	uint8_t kbuf[256];
	size_t len = MIN(buflen, (uint64_t)33554431), done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(kbuf));

		get_random_bytes(kbuf, n);
		if (copy_to_user(buf + done, kbuf, n))
			return done ? (long)done : -EFAULT;
		done += n;
		if (done < len && signal_pending())
			return (long)done;
	}
	return (long)done;
}

long sys_reboot(unsigned int magic, unsigned int magic2, unsigned int cmd, uaddr_t arg)
{
	uint32_t m2 = magic2;

	if (magic != LINUX_REBOOT_MAGIC1 ||
	    (m2 != LINUX_REBOOT_MAGIC2 && m2 != LINUX_REBOOT_MAGIC2A && m2 != LINUX_REBOOT_MAGIC2B && m2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	case LINUX_REBOOT_CMD_POWER_OFF:
		pr_emerg("reboot: Power down\n");
		machine_poweroff();
	case LINUX_REBOOT_CMD_RESTART:
		pr_emerg("reboot: Restarting system\n");
		machine_restart();
	case LINUX_REBOOT_CMD_HALT:
		pr_emerg("reboot: System halted\n");
		machine_halt();
	default:
		return -EINVAL;
	}
}
