// SPDX-License-Identifier: MPL-2.0
// ktests of the per-user counts: limits, sharing by uid, and records that
// go with their last reference.
#include <aster/ktest.h>
#include "process/ucount.h"

/* A uid no process of the test machine has. */
#define KT_UID	0x7ffe1234u

KTEST(ucount_charge_within_limit)
{
	struct ucounts *u = ucounts_get(KT_UID);

	KT_ASSERT(u != NULL);
	KT_EXPECT(ucounts_uid(u) == KT_UID);
	KT_EXPECT(ucount_charge(u, UCOUNT_SIGPENDING, 2, 3));
	KT_EXPECT(!ucount_charge(u, UCOUNT_SIGPENDING, 2, 3));	/* 4 > 3: refused, nothing added */
	KT_EXPECT(ucount_read(u, UCOUNT_SIGPENDING) == 2);
	KT_EXPECT(ucount_charge(u, UCOUNT_SIGPENDING, 1, 3));
	KT_EXPECT(!ucount_charge(u, UCOUNT_SIGPENDING, UINT64_MAX, UINT64_MAX));	/* no wrap */
	KT_EXPECT(ucount_read(u, UCOUNT_PIPE_PAGES) == 0);		/* types are separate */
	KT_EXPECT(ucount_uncharge(u, UCOUNT_SIGPENDING, 3) == 0);
	KT_EXPECT(!ucount_charge(u, UCOUNT_PIPE_PAGES, 1, 0));		/* a limit of 0 allows none */
	ucounts_put(u);
}

KTEST(ucount_shared_by_uid_and_freed_last)
{
	struct ucounts *a = ucounts_get(KT_UID), *b = ucounts_get(KT_UID), *c = ucounts_get(KT_UID + 1);

	KT_ASSERT(a && b && c);
	KT_EXPECT(a == b && a != c);
	KT_EXPECT(ucount_add(a, UCOUNT_INOTIFY_WATCHES, 5) == 5);
	KT_EXPECT(ucount_read(b, UCOUNT_INOTIFY_WATCHES) == 5);
	KT_EXPECT(ucount_read(c, UCOUNT_INOTIFY_WATCHES) == 0);
	ucount_uncharge(a, UCOUNT_INOTIFY_WATCHES, 5);
	ucounts_put(b);
	KT_EXPECT(ucounts_dup(a) == a);
	ucounts_put(a);
	ucounts_put(a);
	ucounts_put(c);
	/* Every reference is gone: a new get starts from zero counts. */
	a = ucounts_get(KT_UID);
	KT_ASSERT(a != NULL);
	KT_EXPECT(ucount_read(a, UCOUNT_INOTIFY_WATCHES) == 0);
	ucounts_put(a);
}
