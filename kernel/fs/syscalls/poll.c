// SPDX-License-Identifier: MPL-2.0
// poll, ppoll, select, pselect6: scan, then sleep until the global poll
// generation moves (some file's readiness changed) or the time is up.
#include <aster/timer.h>
#include "fs/syscalls/sys.h"
#include "process/process.h"
#include "process/signal.h"
#include "time/timespec.h"

struct poll_set {
	struct pollfd_k *pf;
	uint64_t nfds;
};

/* One pass over the pollfds: how many have events (or are not open). */
static long poll_scan(void *arg)
{
	struct poll_set *ps = arg;
	long ready = 0;

	for (uint64_t i = 0; i < ps->nfds; i++) {
		struct pollfd_k *p = &ps->pf[i];
		struct file *f;
		unsigned int m;

		p->revents = 0;
		if (p->fd < 0)
			continue;
		f = fget(p->fd);
		if (!f) {
			p->revents = POLLNVAL;
			ready++;
			continue;
		}
		m = file_mask(f) & ((uint16_t)p->events | POLLERR | POLLHUP);
		file_put(f);
		p->revents = (int16_t)m;
		if (m)
			ready++;
	}
	return ready;
}

static long do_poll(uaddr_t ufds, uint64_t nfds, uint64_t deadline)
{
	struct poll_set ps = { NULL, nfds };
	long ready;

	if (nfds > FD_LIMIT_DEFAULT)
		return -EINVAL;
	ps.pf = kcalloc(nfds ? nfds : 1, sizeof(*ps.pf));
	if (!ps.pf)
		return -ENOMEM;
	if (copy_from_user(ps.pf, ufds, nfds * sizeof(*ps.pf))) {
		kfree(ps.pf);
		return -EFAULT;
	}
	ready = poll_until(poll_scan, &ps, deadline);
	if (ready >= 0)
		for (uint64_t i = 0; i < nfds; i++)
			if (put_user_u32(ufds + i * 8 + 4,
					 (uint16_t)ps.pf[i].events | ((uint32_t)(uint16_t)ps.pf[i].revents << 16))) {
				ready = -EFAULT;
				break;
			}
	kfree(ps.pf);
	return ready;
}

long sys_poll(uaddr_t fds, unsigned int nfds, int timeout)
{
	int ms = timeout;

	return do_poll(fds, nfds,
		       ms < 0 ? NO_TIMEOUT : deadline_after((uint64_t)ms * NSEC_PER_MSEC));
}

long sys_ppoll(uaddr_t fds, unsigned int nfds, uaddr_t tmo_p, uaddr_t sigmask, size_t sigsetsize)
{
	uint64_t deadline;
	bool set;
	long r = poll_deadline_from_user(tmo_p, &deadline);

	if (!r)
		r = set_user_sigmask(sigmask, sigsetsize, &set);
	if (r)
		return r;
	r = do_poll(fds, nfds, deadline);
	restore_user_sigmask(set, r);
	return r;
}

#define FDS_WORDS(n)	(((n) + 63) / 64)

struct select_set {
	int n;
	size_t words;
	uint64_t *sets;		/* in, out, ex: what is asked */
	uint64_t *res;		/* in, out, ex: what is ready */
};

/* One pass over the descriptors select asks about: the bits set, or -EBADF. */
static long select_scan(void *arg)
{
	struct select_set *ss = arg;
	size_t words = ss->words;
	long ready = 0;

	memset(ss->res, 0, words * 3 * 8);
	for (int fd = 0; fd < ss->n; fd++) {
		uint64_t bit = 1ULL << (fd % 64);
		size_t w = (size_t)fd / 64;
		bool want_in = ss->sets[w] & bit, want_out = ss->sets[words + w] & bit;
		bool want_ex = ss->sets[2 * words + w] & bit;
		struct file *f;
		unsigned int m;

		if (!want_in && !want_out && !want_ex)
			continue;
		f = fget(fd);
		if (!f)
			return -EBADF;
		m = file_mask(f);
		file_put(f);
		if (want_in && (m & (POLLIN | POLLRDNORM | POLLHUP | POLLERR))) {
			ss->res[w] |= bit;
			ready++;
		}
		if (want_out && (m & (POLLOUT | POLLWRNORM | POLLERR))) {
			ss->res[words + w] |= bit;
			ready++;
		}
		if (want_ex && (m & POLLPRI)) {
			ss->res[2 * words + w] |= bit;
			ready++;
		}
	}
	return ready;
}

static long do_select(int n, uaddr_t in, uaddr_t out, uaddr_t ex, uint64_t deadline)
{
	struct select_set ss = { n, 0, NULL, NULL };
	long ready;

	if (n < 0 || n > FD_LIMIT_DEFAULT)
		return -EINVAL;
	ss.words = FDS_WORDS((size_t)n);
	ss.sets = kcalloc(ss.words * 6 + 1, 8);
	if (!ss.sets)
		return -ENOMEM;
	ss.res = ss.sets + ss.words * 3;
	if ((in && copy_from_user(ss.sets, in, ss.words * 8)) ||
	    (out && copy_from_user(ss.sets + ss.words, out, ss.words * 8)) ||
	    (ex && copy_from_user(ss.sets + 2 * ss.words, ex, ss.words * 8))) {
		kfree(ss.sets);
		return -EFAULT;
	}
	/* Bits beyond n are ignored. */
	if (n % 64)
		for (int k = 0; k < 3; k++)
			ss.sets[k * ss.words + ss.words - 1] &= (1ULL << (n % 64)) - 1;
	ready = poll_until(select_scan, &ss, deadline);
	if (ready >= 0 &&
	    ((in && copy_to_user(in, ss.res, ss.words * 8)) ||
	     (out && copy_to_user(out, ss.res + ss.words, ss.words * 8)) ||
	     (ex && copy_to_user(ex, ss.res + 2 * ss.words, ss.words * 8))))
		ready = -EFAULT;
	kfree(ss.sets);
	return ready;
}

/* Write back the time left, as Linux does for select (a timeval) and pselect6 (a timespec). */
static void update_left(uaddr_t ua, uint64_t deadline, bool usec)
{
	uint64_t now = clock_monotonic_ns(), left = deadline > now ? deadline - now : 0;

	if (!ua || deadline == NO_TIMEOUT)
		return;
	(void)(usec ? timeval_to_user(ua, left) : timespec_to_user(ua, left));
}

/* select's timeval: Linux normalises large microsecond counts rather than refusing them. */
static int select_deadline_from_user(uaddr_t ua, uint64_t *deadline)
{
	const int64_t usec_per_sec = (int64_t)(NSEC_PER_SEC / NSEC_PER_USEC);
	struct user_timeval tv;
	int64_t sec;

	*deadline = NO_TIMEOUT;
	if (!ua)
		return 0;
	if (copy_from_user(&tv, ua, sizeof(tv)))
		return -EFAULT;
	if (tv.tv_sec < 0 || tv.tv_usec < 0)
		return -EINVAL;
	sec = tv.tv_usec / usec_per_sec;
	sec = tv.tv_sec > INT64_MAX - sec ? INT64_MAX : tv.tv_sec + sec;
	*deadline = deadline_after(time_to_ns(sec, tv.tv_usec % usec_per_sec * (int64_t)NSEC_PER_USEC));
	return 0;
}

long sys_select(int nfds, uaddr_t readfds, uaddr_t writefds, uaddr_t exceptfds, uaddr_t timeout)
{
	uint64_t deadline;
	long r = select_deadline_from_user(timeout, &deadline);

	if (r)
		return r;
	r = do_select(nfds, readfds, writefds, exceptfds, deadline);
	update_left(timeout, deadline, true);
	return r;
}

long sys_pselect6(int nfds, uaddr_t readfds, uaddr_t writefds, uaddr_t exceptfds, uaddr_t timeout,
		  uaddr_t sigmask)
{
	uint64_t deadline, sig[2] = { 0, 0 };
	bool set = false;
	long r = poll_deadline_from_user(timeout, &deadline);

	if (r)
		return r;
	if (sigmask) {
		if (copy_from_user(sig, sigmask, sizeof(sig)))
			return -EFAULT;
		r = set_user_sigmask(sig[0], sig[1], &set);
		if (r)
			return r;
	}
	r = do_select(nfds, readfds, writefds, exceptfds, deadline);
	update_left(timeout, deadline, false);
	restore_user_sigmask(set, r);
	return r;
}
