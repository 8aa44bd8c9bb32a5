/* SPDX-License-Identifier: MPL-2.0 */
/*
 * What each user holds of the resources Linux limits per user (its
 * user_struct and ucounts): queued real-time signals, pipe buffer pages,
 * inotify instances and watches.  One record per uid, made on first use,
 * freed with its last reference; every holder (a pipe, an inotify
 * instance, a queued signal) keeps a reference while it is charged.
 *
 *	struct ucounts *u = ucounts_get(cred->uid);
 *	if (!u)
 *		return -ENOMEM;
 *	if (!ucount_charge(u, UCOUNT_INOTIFY_INSTANCES, 1, max)) {
 *		ucounts_put(u);
 *		return -EMFILE;
 *	}
 *	...
 *	ucount_uncharge(u, UCOUNT_INOTIFY_INSTANCES, 1);
 *	ucounts_put(u);
 *
 * Which uid a resource is charged to is the caller's choice, as in Linux:
 * the real uid for signals and pipes, the effective uid for inotify.  The
 * counts have their own lock, taken innermost; every call is safe with
 * interrupts disabled and spinlocks held.
 */
#ifndef ASTER_KERNEL_PROCESS_UCOUNT_H
#define ASTER_KERNEL_PROCESS_UCOUNT_H

#include <aster/types.h>

enum ucount_type {
	UCOUNT_SIGPENDING,		/* RLIMIT_SIGPENDING: queued real-time signals */
	UCOUNT_PIPE_PAGES,		/* pipe-user-pages-soft/hard: pipe buffer pages */
	UCOUNT_INOTIFY_INSTANCES,	/* max_user_instances */
	UCOUNT_INOTIFY_WATCHES,		/* max_user_watches */
	UCOUNT_TYPES
};

struct ucounts;

/* A reference to uid's record, made if needed: NULL when out of memory. */
struct ucounts *ucounts_get(uint32_t uid);
/* Another reference to a record the caller holds. */
struct ucounts *ucounts_dup(struct ucounts *u);
void ucounts_put(struct ucounts *u);
uint32_t ucounts_uid(const struct ucounts *u);

/* Add n unless the total would pass max: whether it was added. */
bool ucount_charge(struct ucounts *u, enum ucount_type t, uint64_t n, uint64_t max);
/* Add n whatever the total (a charge checked by the caller afterwards): the total. */
uint64_t ucount_add(struct ucounts *u, enum ucount_type t, uint64_t n);
/* Take back n of what was charged: the total after. */
uint64_t ucount_uncharge(struct ucounts *u, enum ucount_type t, uint64_t n);
uint64_t ucount_read(struct ucounts *u, enum ucount_type t);

#endif
