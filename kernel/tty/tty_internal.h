/* SPDX-License-Identifier: MPL-2.0 */
/* Shared between the files of kernel/tty/; not for other subsystems. */
#ifndef ASTER_KERNEL_TTY_INTERNAL_H
#define ASTER_KERNEL_TTY_INTERNAL_H

#include "tty.h"
#include "uapi/signal.h"

/*
 * Background job control for the calling process: 0 to go on, -EIO, or
 * -ERESTARTSYS after sending sig (SIGTTIN/SIGTTOU) to its process group.
 */
int tty_job_control(struct tty *t, int sig);

/* Wake readers and pollers after input or mode changes. */
void tty_input_changed(struct tty *t);

/* Detach t from its session: the session's processes lose it as ctty. */
void tty_detach_session(struct tty *t);

/* tty_open_file with tty_mutex held (the pty slave's open). */
int tty_open_file_locked(struct file *f, struct tty *t, bool may_acquire);

/* Whether f is an open file of t (tty file operations). */
bool tty_file_is(const struct file *f, const struct tty *t);

#endif
