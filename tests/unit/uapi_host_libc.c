// SPDX-License-Identifier: MPL-2.0
// test_uapi's view of glibc's headers, for the kernel/uapi constants no
// Linux UAPI header exports (O_ASYNC, UTIME_*, DT_*, umount2's flags, ELF
// values...).  uapi_host_linux.c is consulted first.
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
/* SHM_DEST, SHM_LOCKED and SHMLBA, which no UAPI header exports. */
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
/* sys/user.h gives PAGE_SIZE, which linux/binfmts.h's MAX_ARG_STRLEN uses. */
#include <sys/user.h>
#include <linux/binfmts.h>
#include "uapi_test.h"

/* <sys/mount.h> brings <asm/ioctls.h>, whose TC*2 need struct termios2, which
 * glibc's termios hides; uapi_host_linux.c checks them. */
#undef TCGETS2
#undef TCSETS2
#undef TCSETSW2
#undef TCSETSF2

size_t uapi_libc_consts(struct uapi_val *out)
{
	size_t n = 0;

#define UAPI_CONST(name) UAPI_PUT(#name, (unsigned long long)(name));
#include "uapi_host_names.inc"
#undef UAPI_CONST
	return n;
}
