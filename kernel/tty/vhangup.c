// SPDX-License-Identifier: MPL-2.0
/*
 * vhangup(2): hang up the caller's controlling terminal as Linux's
 * tty_vhangup_self does: its files open now read end of file and write
 * EIO, the session leader gets SIGHUP and SIGCONT, the session loses the
 * terminal; opening it again works (getty's vhangup-then-reopen).
 */
#include <aster/errno.h>
#include "process/capability.h"
#include "syscall/syscall.h"
#include "tty.h"

long sys_vhangup(void)
{
	struct tty *t;

	if (!capable(CAP_SYS_TTY_CONFIG))
		return -EPERM;
	mutex_lock(&tty_mutex);
	t = tty_current_ctty_locked();
	if (t)	/* without a controlling terminal there is nothing to do */
		tty_vhangup(t);
	mutex_unlock(&tty_mutex);
	return 0;
}
