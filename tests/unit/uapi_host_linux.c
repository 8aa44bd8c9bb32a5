// SPDX-License-Identifier: MPL-2.0
// test_uapi's view of the Linux UAPI headers (linux-libc-dev): every
// kernel/uapi constant they define, and the layouts of uapi_structs.def.
// No glibc header here: several of them redefine these names differently.
#include <linux/aio_abi.h>
#include <linux/audit.h>
#include <linux/auxvec.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/eventpoll.h>
#include <linux/fadvise.h>
#include <linux/falloc.h>
#include <linux/fcntl.h>
#include <linux/filter.h>
#include <linux/fs.h>
#include <linux/futex.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/inotify.h>
#include <linux/ioprio.h>
#include <linux/ipc.h>
#include <linux/keyctl.h>
#include <linux/landlock.h>
#include <linux/limits.h>
#include <linux/magic.h>
#include <linux/major.h>
#include <linux/memfd.h>
#include <linux/mempolicy.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/mqueue.h>
#include <linux/msg.h>
#include <linux/nsfs.h>
#include <linux/oom.h>
#include <linux/openat2.h>
#include <linux/pidfd.h>
#include <linux/prctl.h>
#include <linux/ptrace.h>
#include <linux/random.h>
#include <linux/reboot.h>
#include <linux/rtnetlink.h>
#include <linux/resource.h>
#include <linux/rseq.h>
#include <linux/sched.h>
#include <linux/sched/types.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <linux/sem.h>
/* <linux/shm.h>'s SHMMAX and SHMALL are written with ULONG_MAX. */
#include <limits.h>
#include <linux/shm.h>
#include <linux/signal.h>
#include <linux/signalfd.h>
#include <linux/sockios.h>
#include <asm/socket.h>
#include <linux/stat.h>
#include <linux/sysinfo.h>
#include <linux/tcp.h>
#include <linux/time.h>
#include <linux/timex.h>
#include <linux/timerfd.h>
#include <linux/tty.h>
#include <linux/uio.h>
#include <linux/un.h>
#include <linux/utsname.h>
#include <linux/wait.h>
#include <linux/xattr.h>
#include <asm/poll.h>
#include <asm/prctl.h>
#include <asm/processor-flags.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <asm/sigcontext.h>
#include <asm/termios.h>
#include <asm/ucontext.h>
#include "uapi_test.h"

size_t uapi_linux_consts(struct uapi_val *out)
{
	size_t n = 0;

#define UAPI_CONST(name) UAPI_PUT(#name, (unsigned long long)(name));
#include "uapi_host_names.inc"
#undef UAPI_CONST
	return n;
}

size_t uapi_linux_layouts(struct uapi_val *out)
{
	size_t n = 0;

#define STRUCT(ours, host) UAPI_PUT(#ours, sizeof(host));
#define FIELD(ours, of, host, hf)						\
	UAPI_PUT(#ours "." #of, offsetof(host, hf));	\
	UAPI_PUT(#ours "." #of " size", sizeof(((host *)0)->hf));
#define AT(key, ours, host) UAPI_PUT(key, (host));
#include "uapi_structs.def"
	return n;
}
