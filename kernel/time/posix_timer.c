// SPDX-License-Identifier: MPL-2.0
// POSIX per-process timers: timer_create, timer_settime, timer_gettime,
// timer_getoverrun, timer_delete.  Each armed timer is a frame timer that
// signals the process (SIGEV_SIGNAL) or one of its threads
// (SIGEV_THREAD_ID) with si_code SI_TIMER; an expiry while the previous
// signal is still pending counts as an overrun, reported when that signal
// is taken (posix_timer_taken_locked).  Timers measure CLOCK_REALTIME,
// CLOCK_MONOTONIC and CLOCK_BOOTTIME (all on the monotonic clock once
// armed), or CPU time: CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID
// and the clocks of clock_getcpuclockid (any process) and
// pthread_getcpuclockid (a thread of the caller's process).  A CPU-time
// timer has no frame timer: while armed it is on cpu_timers, and the run
// loop of its target process checks it at every kernel entry
// (cpu_timers_check, as for ITIMER_PROF), so it expires within a tick of
// the CPU time it names.  Timers are not inherited by fork and end at exec
// and exit.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/timer.h>
#include <aster/uaccess.h>
#include "process/process.h"
#include "process/signal.h"
#include "time/time.h"
#include "time/timespec.h"
#include "syscall/syscall.h"
#include "uapi/time.h"
#include "uapi/signal.h"

#define TIMERS_MAX	1024	/* per process; Linux's bound is RLIMIT_SIGPENDING */
#define DELAYTIMER_MAX	0x7fffffff

struct posix_timer {
	struct list_node node;		/* on the process's timers */
	struct process *proc;		/* a reference while armed */
	int id;
	int clock;
	int notify, signo, tid;
	uint64_t value;			/* sigev_value, handed back in si_value */
	uint64_t expires;		/* monotonic ns, 0 = disarmed */
	uint64_t interval;
	int overrun;			/* expiries while the signal was pending */
	int overrun_last;		/* timer_getoverrun: of the last signal taken */
	timer_id_t ftimer;		/* the armed frame timer, 0 if none */
	/* CPU-time clocks: expires and interval are on the clock, not monotonic. */
	bool cpu;
	bool cpu_virt;			/* user time only (CPUCLOCK_VIRT) */
	struct process *tproc;		/* whose CPU time (a reference while pt lives) */
	pid_t ttid;			/* a thread of tproc, 0: the whole process */
	struct list_node cpu_node;	/* on cpu_timers while armed */
};

/* Armed CPU-time timers of every process (process_table_lock). */
static struct list_node cpu_timers = LIST_INIT(cpu_timers);

static struct thread *thread_of_locked(struct process *p, pid_t tid)
{
	struct thread *t;

	list_for_each_entry(t, &p->threads, proc_node)
		if (t->tid == tid)
			return t;
	return NULL;
}

static struct posix_timer *timer_find_locked(struct process *p, int id)
{
	struct posix_timer *pt;

	list_for_each_entry(pt, &p->posix_timers, node)
		if (pt->id == id)
			return pt;
	return NULL;
}

/* The CPU time of p (or of its thread tid) now; locked.  0 for a thread gone. */
static uint64_t cpu_sample_locked(struct process *p, pid_t tid, bool virt)
{
	uint64_t ut = 0, st = 0, u, s;
	struct thread *t;

	if (!tid) {	/* the threads that already exited count for the process */
		ut = p->utime_ns;
		st = p->stime_ns;
	}
	list_for_each_entry(t, &p->threads, proc_node) {
		if (tid && t->tid != tid)
			continue;
		thread_times(t, &u, &s);
		ut += u;
		st += s;
	}
	return virt ? ut : ut + st;
}

/* The current reading of pt's clock; locked. */
static uint64_t timer_clock_now_locked(const struct posix_timer *pt)
{
	if (pt->cpu)
		return cpu_sample_locked(pt->tproc, pt->ttid, pt->cpu_virt);
	return clock_monotonic_ns();
}

/* The timer's signal is still pending (queued by it, not yet taken). */
static bool signal_still_pending_locked(struct posix_timer *pt, struct thread *t)
{
	const struct k_siginfo *si;
	struct k_timer_info ti;
	int sig = pt->signo;

	struct sigpend tp, pp = sigpend_of_process(pt->proc);

	if (t && (tp = sigpend_of_thread(t), sigpend_slot_holds(&tp, sig)))
		si = &t->info[sig - 1];
	else if (sigpend_slot_holds(&pp, sig))
		si = &pt->proc->shared_info[sig - 1];
	else
		return false;
	memcpy(&ti, si->u.raw, sizeof(ti));
	return si->code == SI_TIMER && ti.tid == pt->id;
}

static void timer_fire(void *arg);

/* Arm the frame timer for pt->expires; locked; takes a process reference. */
static int arm_locked(struct posix_timer *pt)
{
	uint64_t now = clock_monotonic_ns();
	timer_id_t id = timer_add(pt->expires > now ? pt->expires - now : 1, false, timer_fire, pt);

	if (id < 0)
		return (int)id;
	pt->ftimer = id;
	return 0;
}

/*
 * An expiry at clock reading now (locked): the signal to send (0: none,
 * an overrun counted instead while the last one is pending) and its
 * thread; an interval timer moves to its next period, else it disarms.
 */
static int expire_locked(struct posix_timer *pt, uint64_t now, struct thread **target)
{
	int signo = 0;

	*target = NULL;
	if (pt->notify == SIGEV_THREAD_ID)
		*target = thread_of_locked(pt->proc, pt->tid);	/* gone: the process gets it */
	if (pt->notify != SIGEV_NONE) {
		if (signal_still_pending_locked(pt, *target))
			pt->overrun = pt->overrun < DELAYTIMER_MAX ? pt->overrun + 1 : DELAYTIMER_MAX;
		else
			signo = pt->signo;
	}
	if (pt->interval) {
		uint64_t late = now > pt->expires ? now - pt->expires : 0;
		uint64_t missed = late / pt->interval;

		/* Periods that passed unseen are overruns too. */
		pt->overrun = (int)MIN((uint64_t)pt->overrun + missed, (uint64_t)DELAYTIMER_MAX);
		pt->expires += (missed + 1) * pt->interval;
	} else {
		pt->expires = 0;
	}
	return signo;
}

/* Unlocked: the SI_TIMER signal of timer id to p (or its thread target). */
static void timer_send(struct process *p, struct thread *target, int signo, int id, uint64_t value)
{
	struct k_timer_info ti = { id, 0, value };
	struct k_siginfo si;

	memset(&si, 0, sizeof(si));
	si.signo = signo;
	si.code = SI_TIMER;
	memcpy(si.u.raw, &ti, sizeof(ti));
	(void)signal_send_info(p, target, signo, &si);
}

/* Expiry: signal (or count an overrun), then re-arm an interval timer. */
static void timer_fire(void *arg)
{
	struct posix_timer *pt = arg;
	struct process *p = pt->proc;
	struct thread *target = NULL;
	int signo, id;
	uint64_t value;
	bool keep;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	/*
	 * Deleted (or disarmed) after this expiry was taken off the frame's
	 * queue, before we got the lock: timer_remove_finish's cancel found
	 * nothing, so this expiry owns the process reference.  Re-arming an
	 * interval timer here would leave a frame timer on a freed pt.
	 */
	if (!pt->expires) {
		spin_unlock_irqrestore(&process_table_lock, f);
		process_put(p);
		return;
	}
	/* Nothing of pt after the unlock: timer_delete may free it then (remove_locked). */
	id = pt->id;
	value = pt->value;
	pt->ftimer = 0;
	signo = expire_locked(pt, clock_monotonic_ns(), &target);
	keep = pt->expires && p->state == PROCESS_ALIVE && arm_locked(pt) == 0;
	if (!keep)
		pt->expires = 0;
	spin_unlock_irqrestore(&process_table_lock, f);
	if (signo)
		timer_send(p, target, signo, id, value);
	if (!keep)
		process_put(p);
}

/* Arm (or re-arm) CPU-time timer pt at pt->expires; locked. */
static void cpu_arm_locked(struct posix_timer *pt)
{
	if (!list_empty(&pt->cpu_node))
		return;
	list_add_tail(&cpu_timers, &pt->cpu_node);
	pt->tproc->posix_cpu_timers++;
}

static void cpu_disarm_locked(struct posix_timer *pt)
{
	pt->expires = 0;
	if (list_empty(&pt->cpu_node))
		return;
	list_del(&pt->cpu_node);
	pt->tproc->posix_cpu_timers--;
}

/* One CPU-time timer on p's clocks that has expired, or NULL; locked. */
static struct posix_timer *cpu_timer_due_locked(struct process *p, uint64_t *now)
{
	struct posix_timer *pt;

	list_for_each_entry(pt, &cpu_timers, cpu_node) {
		if (pt->tproc != p)
			continue;
		*now = timer_clock_now_locked(pt);
		if (*now >= pt->expires)
			return pt;
	}
	return NULL;
}

/*
 * From p's run loop (cpu_timers_check): fire the timers on p's CPU clocks
 * that have expired, one at a time, each signal sent unlocked.  A timer
 * that fires moves past now or disarms, so this ends.
 */
void posix_cpu_timers_check(struct process *p)
{
	for (;;) {
		struct thread *target = NULL;
		struct process *owner;
		struct posix_timer *pt;
		uint64_t now = 0, value;
		int signo, id;
		irqflags_t f = spin_lock_irqsave(&process_table_lock);

		pt = p->posix_cpu_timers ? cpu_timer_due_locked(p, &now) : NULL;
		if (!pt) {
			spin_unlock_irqrestore(&process_table_lock, f);
			return;
		}
		owner = pt->proc;
		id = pt->id;
		value = pt->value;
		signo = expire_locked(pt, now, &target);
		if (!pt->expires)
			cpu_disarm_locked(pt);
		/* The owner may exit and be reaped once unlocked (another process's clock). */
		process_get(owner);
		spin_unlock_irqrestore(&process_table_lock, f);
		if (signo)
			timer_send(owner, target, signo, id, value);
		process_put(owner);
	}
}

void posix_timer_taken_locked(struct process *p, struct k_siginfo *info)
{
	struct k_timer_info ti;
	struct posix_timer *pt;

	if (info->code != SI_TIMER)
		return;
	memcpy(&ti, info->u.raw, sizeof(ti));
	pt = timer_find_locked(p, ti.tid);
	if (!pt)
		return;
	pt->overrun_last = pt->overrun;
	pt->overrun = 0;
	ti.overrun = pt->overrun_last;
	memcpy(info->u.raw, &ti, sizeof(ti));
}

/* Stop pt (locked); true if it held a process reference the caller must drop. */
static bool disarm_locked(struct posix_timer *pt)
{
	bool had;

	if (pt->cpu) {
		cpu_disarm_locked(pt);
		return false;
	}
	had = pt->ftimer && timer_cancel(pt->ftimer) == 0;

	pt->ftimer = 0;
	pt->expires = 0;
	return had;
}

static int get_sigevent(uaddr_t ua, struct posix_timer *pt)
{
	struct k_sigevent ev = { 0, SIGALRM, SIGEV_SIGNAL, 0, { 0 } };

	if (ua && copy_from_user(&ev, ua, sizeof(ev)))
		return -EFAULT;
	if (ev.notify != SIGEV_SIGNAL && ev.notify != SIGEV_NONE && ev.notify != SIGEV_THREAD_ID)
		return -EINVAL;	/* SIGEV_THREAD is the C library's, built on SIGEV_THREAD_ID */
	if (ev.notify != SIGEV_NONE && (ev.signo < 1 || ev.signo > NSIG))
		return -EINVAL;
	pt->notify = ev.notify;
	pt->signo = ev.signo;
	pt->tid = ev.notify == SIGEV_THREAD_ID ? pid_from_vnr(ev.tid) : ev.tid;	/* the kernel's number */
	/* Without a sigevent, si_value is the timer's id, as on Linux. */
	pt->value = ua ? ev.value : 0;
	return 0;
}

/*
 * A CPU-time clock for timer_create, as Linux's pid_for_clock: a process
 * clock of any process, a thread clock of a thread of the caller's own
 * process (pid 0: the caller); -EINVAL otherwise.  pt->tproc gets a
 * reference.
 */
static int cpu_clock_target(struct posix_timer *pt, int clock)
{
	struct process *self = current_process();
	int64_t id = clock;
	pid_t pid;
	bool ok;
	irqflags_t f;

	if (clock == CLOCK_PROCESS_CPUTIME_ID)
		id = MAKE_CPUCLOCK(0, CPUCLOCK_SCHED);
	else if (clock == CLOCK_THREAD_CPUTIME_ID)
		id = MAKE_CPUCLOCK(0, CPUCLOCK_PERTHREAD | CPUCLOCK_SCHED);
	else if (clock >= 0)
		return -EINVAL;
	if ((id & CLOCKFD_MASK) == CLOCKFD)
		return -EOPNOTSUPP;	/* a dynamic (PTP) clock: Linux's have no timers */
	pid = (pid_t)~(id >> 3);
	pt->cpu = true;
	pt->cpu_virt = (id & CPUCLOCK_CLOCK_MASK) == CPUCLOCK_VIRT;
	if (!(id & CPUCLOCK_PERTHREAD)) {
		if (pid)
			pt->tproc = process_find(pid);
		else
			process_get(pt->tproc = self);
		return pt->tproc ? 0 : -EINVAL;
	}
	pt->ttid = pid ? pid_from_vnr(pid) : current_thread()->tid;
	f = spin_lock_irqsave(&process_table_lock);
	ok = thread_of_locked(self, pt->ttid) != NULL;
	spin_unlock_irqrestore(&process_table_lock, f);
	if (!ok)
		return -EINVAL;
	process_get(pt->tproc = self);
	return 0;
}

static void timer_free(struct posix_timer *pt)
{
	if (pt->tproc)
		process_put(pt->tproc);
	kfree(pt);
}

long sys_timer_create(int clockid, uaddr_t sevp, uaddr_t timerid)
{
	struct process *p = current_process();
	int clock = clockid, id = 0, count = 0;
	struct posix_timer *pt, *it;
	irqflags_t f;
	int err;

	pt = kzalloc(sizeof(*pt));
	if (!pt)
		return -EAGAIN;	/* what Linux says when it cannot allocate a timer */
	pt->clock = clock;
	list_init(&pt->node);
	list_init(&pt->cpu_node);
	err = clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC || clock == CLOCK_BOOTTIME ? 0 :
	      cpu_clock_target(pt, clock);
	if (!err)
		err = get_sigevent(sevp, pt);
	if (err) {
		timer_free(pt);
		return err;
	}
	f = spin_lock_irqsave(&process_table_lock);
	list_for_each_entry(it, &p->posix_timers, node) {
		count++;
		id = MAX(id, it->id + 1);
	}
	pt->id = id;
	pt->proc = p;
	if (!sevp)
		pt->value = (uint64_t)id;
	/* SIGEV_THREAD_ID must name a thread of this process. */
	err = pt->notify == SIGEV_THREAD_ID && !thread_of_locked(p, pt->tid) ? -EINVAL :
	      count >= TIMERS_MAX ? -EAGAIN : 0;
	if (!err)
		list_add_tail(&p->posix_timers, &pt->node);
	spin_unlock_irqrestore(&process_table_lock, f);
	if (err) {
		timer_free(pt);
		return err;
	}
	if (put_user_u32(timerid, (uint32_t)id)) {
		f = spin_lock_irqsave(&process_table_lock);
		list_del(&pt->node);
		spin_unlock_irqrestore(&process_table_lock, f);
		timer_free(pt);
		return -EFAULT;
	}
	return 0;
}

/* What is left of an armed timer, at least 1 ns while armed; locked. */
static uint64_t time_left(const struct posix_timer *pt)
{
	uint64_t now = timer_clock_now_locked(pt);

	if (!pt->expires)
		return 0;
	return pt->expires > now ? pt->expires - now : 1;
}

/* An absolute expiry on the timer's clock as monotonic time. */
static uint64_t absolute_to_monotonic(int clock, uint64_t when)
{
	uint64_t mono = clock_monotonic_ns(), now = clock == CLOCK_REALTIME ? clock_realtime_ns() : mono;

	return when > now ? mono + (when - now) : mono;
}

long sys_timer_settime(int timerid, int flags, uaddr_t new_value, uaddr_t old_value)
{
	struct process *p = current_process();
	int id = timerid;
	uint64_t interval, value, old_interval = 0, old_left = 0;
	struct posix_timer *pt;
	bool drop, take;
	irqflags_t f;
	int err;

	if (!new_value)
		return -EINVAL;
	err = itimerspec_from_user(new_value, &interval, &value);
	if (err)
		return err;
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	f = spin_lock_irqsave(&process_table_lock);
	pt = timer_find_locked(p, id);
	if (!pt) {
		spin_unlock_irqrestore(&process_table_lock, f);
		return -EINVAL;
	}
	old_interval = pt->interval;
	old_left = time_left(pt);
	drop = disarm_locked(pt);
	pt->interval = value ? interval : 0;
	pt->overrun = 0;
	take = false;
	if (value && pt->cpu) {
		uint64_t now = timer_clock_now_locked(pt);

		/* An absolute time already passed fires at the next check, as a tick would. */
		pt->expires = (flags & TIMER_ABSTIME) ? value : now + value;
		cpu_arm_locked(pt);
	} else if (value) {
		pt->expires = (flags & TIMER_ABSTIME) ? absolute_to_monotonic(pt->clock, value) :
							clock_monotonic_ns() + value;
		err = arm_locked(pt);
		if (err)
			pt->expires = 0;
		/* The armed frame timer holds a process reference (dropped at expiry or disarm). */
		take = !err;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	if (take && !drop)
		process_get(p);
	if (drop && !take)
		process_put(p);
	if (err)
		return err == -ENOMEM ? -EAGAIN : err;
	return old_value ? itimerspec_to_user(old_value, old_interval, old_left) : 0;
}

long sys_timer_gettime(int timerid, uaddr_t curr_value)
{
	struct process *p = current_process();
	struct posix_timer *pt;
	uint64_t interval, left;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	pt = timer_find_locked(p, timerid);
	if (!pt) {
		spin_unlock_irqrestore(&process_table_lock, f);
		return -EINVAL;
	}
	interval = pt->interval;
	left = time_left(pt);
	spin_unlock_irqrestore(&process_table_lock, f);
	return itimerspec_to_user(curr_value, interval, left);
}

long sys_timer_getoverrun(int timerid)
{
	struct process *p = current_process();
	struct posix_timer *pt;
	long n;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	pt = timer_find_locked(p, timerid);
	n = pt ? pt->overrun_last : -EINVAL;
	spin_unlock_irqrestore(&process_table_lock, f);
	return n;
}

/*
 * Take pt off the process's list (locked) and return its frame timer (0:
 * none) for remove_finish, which the caller calls once unlocked.  With
 * expires cleared, a callback already running cannot re-arm.
 */
static timer_id_t timer_remove_locked(struct posix_timer *pt)
{
	timer_id_t id = pt->ftimer;

	if (pt->cpu)
		cpu_disarm_locked(pt);

	pt->ftimer = 0;
	pt->expires = 0;
	list_del(&pt->node);
	return id;
}

/*
 * Unlocked (the callback takes process_table_lock): stop the frame timer and
 * wait for a callback still using pt, then free pt.  A timer cancelled
 * before it ran leaves its process reference to us; one that ran dropped it.
 */
static void timer_remove_finish(struct posix_timer *pt, timer_id_t id)
{
	struct process *p = pt->proc;
	bool drop = id && timer_cancel_sync(id) == 0;

	timer_free(pt);
	if (drop)
		process_put(p);
}

long sys_timer_delete(int timerid)
{
	struct process *p = current_process();
	struct posix_timer *pt;
	timer_id_t id;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	pt = timer_find_locked(p, timerid);
	if (!pt) {
		spin_unlock_irqrestore(&process_table_lock, f);
		return -EINVAL;
	}
	id = timer_remove_locked(pt);
	spin_unlock_irqrestore(&process_table_lock, f);
	timer_remove_finish(pt, id);
	return 0;
}

void posix_timers_delete_all(struct process *p)
{
	for (;;) {
		struct posix_timer *pt = NULL;
		timer_id_t id = 0;
		irqflags_t f = spin_lock_irqsave(&process_table_lock);

		if (!list_empty(&p->posix_timers)) {
			pt = list_entry(p->posix_timers.next, struct posix_timer, node);
			id = timer_remove_locked(pt);
		}
		spin_unlock_irqrestore(&process_table_lock, f);
		if (!pt)
			return;
		timer_remove_finish(pt, id);
	}
}
