/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Pipe buffer sizes and what they cost their users (pipe_account.c), for
 * pipe.c: /proc/sys/fs/pipe-max-size and pipe-user-pages-soft/-hard, and
 * each pipe's pages charged to its creator's real uid (ucount.h's
 * UCOUNT_PIPE_PAGES).  Errors are Linux's: -ENFILE for a new pipe past the
 * hard limit, -EPERM for growing one past either limit, unprivileged.
 */
#ifndef ASTER_KERNEL_FS_PIPE_ACCOUNT_H
#define ASTER_KERNEL_FS_PIPE_ACCOUNT_H

#include <aster/types.h>

struct ucounts;

/* Linux's round_pipe_size: a power-of-two number of pages, 0 past 2 GiB. */
uint64_t pipe_round_size(uint64_t size);

/*
 * A new pipe's size and its charge: 64 KiB, or less under pipe-max-size,
 * or two pages past the soft limit.  On success *user holds a reference
 * and the charge of *size bytes.
 */
int pipe_account_new(struct ucounts **user, size_t *size);
/* Charge the growth from old to new bytes (nothing when shrinking). */
int pipe_account_grow(struct ucounts *user, size_t old, size_t new);
/* Give back size bytes' worth of pages. */
void pipe_account_drop(struct ucounts *user, size_t size);

#endif
