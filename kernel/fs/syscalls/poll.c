// SPDX-License-Identifier: MPL-2.0
// poll, ppoll, select, pselect6: scan, then sleep until the global poll
// generation moves (some file's readiness changed) or the time is up.
#include <aster/timer.h>
#include "fs/syscalls/sys.h"
#include "process/process.h"
#include "process/signal.h"
#include "uapi/signal.h"
#include "uapi/poll.h"

unsigned int file_mask(struct file *f)
{
	if (f->ops && f->ops->poll)
		return f->ops->poll(f);
	return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

static bool gen_moved(void *arg)
{
	const uint64_t *gen = arg;

	return poll_generation() != *gen;
}

/* Sleep until the generation moves from gen or the deadline: 0, -ETIMEDOUT, -EINTR. */
int poll_sleep(uint64_t gen, uint64_t deadline)
{
	uint64_t now = clock_monotonic_ns(), left = 0;
	int r;

	if (deadline != NO_TIMEOUT) {
		if (now >= deadline)
			return -ETIMEDOUT;
		left = deadline - now;
	}
	poll_sleep_begin();
	r = wait_interruptible(&poll_wait_queue, gen_moved, &gen, left);
	poll_sleep_end();
	if (r == -ERESTARTSYS)
		return -EINTR;
	return r;
}

static long do_poll(uaddr_t ufds, uint64_t nfds, uint64_t deadline)
{
	struct pollfd_k *pf;
	long ready = 0;

	if (nfds > FD_LIMIT_DEFAULT)
		return -EINVAL;
	pf = kcalloc(nfds ? nfds : 1, sizeof(*pf));
	if (!pf)
		return -ENOMEM;
	if (copy_from_user(pf, ufds, nfds * sizeof(*pf))) {
		kfree(pf);
		return -EFAULT;
	}
	for (;;) {
		uint64_t gen = poll_generation();
		int r;

		ready = 0;
		for (uint64_t i = 0; i < nfds; i++) {
			struct file *f;
			unsigned int m;

			pf[i].revents = 0;
			if (pf[i].fd < 0)
				continue;
			f = fget(pf[i].fd);
			if (!f) {
				pf[i].revents = POLLNVAL;
				ready++;
				continue;
			}
			m = file_mask(f) & ((uint16_t)pf[i].events | POLLERR | POLLHUP);
			file_put(f);
			pf[i].revents = (int16_t)m;
			if (m)
				ready++;
		}
		if (ready)
			break;
		r = poll_sleep(gen, deadline);
		if (r == -ETIMEDOUT)
			break;
		if (r) {
			ready = r;
			break;
		}
	}
	if (ready >= 0)
		for (uint64_t i = 0; i < nfds; i++)
			if (put_user_u32(ufds + i * 8 + 4,
					 (uint16_t)pf[i].events | ((uint32_t)(uint16_t)pf[i].revents << 16))) {
				ready = -EFAULT;
				break;
			}
	kfree(pf);
	return ready;
}

uint64_t deadline_after(uint64_t ns)
{
	uint64_t now = clock_monotonic_ns();

	return ns > NO_TIMEOUT - now - 1 ? NO_TIMEOUT : now + ns;
}

long sys_poll(const struct syscall_args *a)
{
	int ms = arg_int(a->a[2]);

	return do_poll(a->a[0], a->a[1],
		       ms < 0 ? NO_TIMEOUT : deadline_after((uint64_t)ms * NSEC_PER_MSEC));
}

/* A timespec from user: deadline, or NO_TIMEOUT for a NULL pointer. */
int read_timespec(uaddr_t ua, uint64_t *deadline)
{
	int64_t ts[2];

	if (!ua) {
		*deadline = NO_TIMEOUT;
		return 0;
	}
	if (copy_from_user(ts, ua, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	*deadline = deadline_after((uint64_t)ts[0] * NSEC_PER_SEC + (uint64_t)ts[1]);
	return 0;
}

/* Install a temporary signal mask; returns whether one was set. */
int swap_sigmask(uaddr_t ua, uint64_t size, bool *set)
{
	struct thread *t = current_thread();
	uint64_t m;

	*set = false;
	if (!ua)
		return 0;
	if (size != sizeof(sigset_t))
		return -EINVAL;
	if (get_user_u64(&m, ua))
		return -EFAULT;
	if (!t)
		return 0;
	t->saved_mask = t->blocked;
	t->blocked = m & ~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)));
	*set = true;
	return 0;
}

/* Put the old mask back, or let signal delivery do it after a handler runs. */
void restore_sigmask(bool set, long ret)
{
	struct thread *t = current_thread();

	if (!set || !t)
		return;
	if (ret == -EINTR)
		t->restore_saved_mask = true;
	else
		t->blocked = t->saved_mask;
}

long sys_ppoll(const struct syscall_args *a)
{
	uint64_t deadline;
	bool set;
	long r = read_timespec(a->a[2], &deadline);

	if (!r)
		r = swap_sigmask(a->a[3], a->a[4], &set);
	if (r)
		return r;
	r = do_poll(a->a[0], a->a[1], deadline);
	restore_sigmask(set, r);
	return r;
}

#define FDS_WORDS(n)	(((n) + 63) / 64)

static long do_select(int n, uaddr_t in, uaddr_t out, uaddr_t ex, uint64_t deadline)
{
	uint64_t *sets, *res;
	size_t words;
	long ready = 0;

	if (n < 0 || n > FD_LIMIT_DEFAULT)
		return -EINVAL;
	words = FDS_WORDS((size_t)n);
	sets = kcalloc(words * 6 + 1, 8);
	if (!sets)
		return -ENOMEM;
	res = sets + words * 3;
	if ((in && copy_from_user(sets, in, words * 8)) ||
	    (out && copy_from_user(sets + words, out, words * 8)) ||
	    (ex && copy_from_user(sets + 2 * words, ex, words * 8))) {
		kfree(sets);
		return -EFAULT;
	}
	/* Bits beyond n are ignored. */
	if (n % 64)
		for (int k = 0; k < 3; k++)
			sets[k * words + words - 1] &= (1ULL << (n % 64)) - 1;
	for (;;) {
		uint64_t gen = poll_generation();
		int r;

		ready = 0;
		memset(res, 0, words * 3 * 8);
		for (int fd = 0; fd < n && ready >= 0; fd++) {
			uint64_t bit = 1ULL << (fd % 64);
			size_t w = (size_t)fd / 64;
			bool want_in = sets[w] & bit, want_out = sets[words + w] & bit;
			bool want_ex = sets[2 * words + w] & bit;
			struct file *f;
			unsigned int m;

			if (!want_in && !want_out && !want_ex)
				continue;
			f = fget(fd);
			if (!f) {
				ready = -EBADF;
				break;
			}
			m = file_mask(f);
			file_put(f);
			if (want_in && (m & (POLLIN | POLLRDNORM | POLLHUP | POLLERR))) {
				res[w] |= bit;
				ready++;
			}
			if (want_out && (m & (POLLOUT | POLLWRNORM | POLLERR))) {
				res[words + w] |= bit;
				ready++;
			}
			if (want_ex && (m & POLLPRI)) {
				res[2 * words + w] |= bit;
				ready++;
			}
		}
		if (ready)
			break;
		r = poll_sleep(gen, deadline);
		if (r == -ETIMEDOUT)
			break;
		if (r) {
			ready = r;
			break;
		}
	}
	if (ready >= 0 &&
	    ((in && copy_to_user(in, res, words * 8)) ||
	     (out && copy_to_user(out, res + words, words * 8)) ||
	     (ex && copy_to_user(ex, res + 2 * words, words * 8))))
		ready = -EFAULT;
	kfree(sets);
	return ready;
}

/* Write back the time left, as Linux does for select. */
static void update_left(uaddr_t ua, uint64_t deadline, bool usec)
{
	uint64_t now = clock_monotonic_ns(), left = deadline > now ? deadline - now : 0;
	int64_t v[2] = { (int64_t)(left / NSEC_PER_SEC),
			 (int64_t)(left % NSEC_PER_SEC) / (usec ? 1000 : 1) };

	if (ua && deadline != NO_TIMEOUT)
		(void)copy_to_user(ua, v, sizeof(v));
}

long sys_select(const struct syscall_args *a)
{
	uint64_t deadline = NO_TIMEOUT;
	long r;

	if (a->a[4]) {
		int64_t tv[2];

		if (copy_from_user(tv, a->a[4], sizeof(tv)))
			return -EFAULT;
		if (tv[0] < 0 || tv[1] < 0)
			return -EINVAL;
		/* Linux normalises large microsecond counts rather than refusing them. */
		deadline = deadline_after((uint64_t)tv[0] * NSEC_PER_SEC +
					  (uint64_t)tv[1] * NSEC_PER_USEC);
	}
	r = do_select(arg_int(a->a[0]), a->a[1], a->a[2], a->a[3], deadline);
	update_left(a->a[4], deadline, true);
	return r;
}

long sys_pselect6(const struct syscall_args *a)
{
	uint64_t deadline, sig[2] = { 0, 0 };
	bool set = false;
	long r = read_timespec(a->a[4], &deadline);

	if (r)
		return r;
	if (a->a[5]) {
		if (copy_from_user(sig, a->a[5], sizeof(sig)))
			return -EFAULT;
		r = swap_sigmask(sig[0], sig[1], &set);
		if (r)
			return r;
	}
	r = do_select(arg_int(a->a[0]), a->a[1], a->a[2], a->a[3], deadline);
	update_left(a->a[4], deadline, false);
	restore_sigmask(set, r);
	return r;
}
