/* SPDX-License-Identifier: MPL-2.0 */
/*
 * devpts (fs/devpts/devpts.c): the /dev/pts file system, for kernel/tty/'s
 * pseudo-terminals.  One index space for every mount (Linux's single
 * instance): each devpts mount shows "ptmx" (char 5:2, mode ptmxmode=,
 * 0000 by default) and a node N (char 136:N) per pty whose master is open.
 * Called with no VFS lock held.
 */
#ifndef KERNEL_FS_DEVPTS_H
#define KERNEL_FS_DEVPTS_H

#include "fs/file.h"

/*
 * Pty index was made: /dev/pts/<index> in every devpts mount, owned by the
 * caller (uid=, gid= override) with mode= (0600 by default).  0 or -errno.
 */
int devpts_pty_new(unsigned int index);
/* Its master closed: the nodes go (open files keep working). */
void devpts_pty_kill(unsigned int index);
/*
 * Open /dev/pts/<index> as through its path in the first devpts mount
 * (TIOCGPTPEER): 0, -ENOENT with no devpts mounted, or the open's -errno.
 */
int devpts_open_pty(unsigned int index, unsigned int flags, struct file **out);

#endif
