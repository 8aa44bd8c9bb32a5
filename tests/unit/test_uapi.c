// SPDX-License-Identifier: MPL-2.0
// kernel/uapi/ is the kernel's only copy of the Linux user ABI: check each
// of its constants against the host's headers (Linux UAPI first, then
// glibc, then the enumerators uapi_host_enum.c names), and each of its
// structs' size and field offsets against the Linux UAPI struct
// (uapi_structs.def).  A constant no installed header defines must be in
// `unchecked` below with the reason; anything else missing fails.
#include "tap.h"
#include "uapi_test.h"

static const struct {
	const char *name, *why;
} unchecked[] = {
	{ "CLOCKFD", "dynamic clock id encoding, in Linux's include/linux/posix-timers.h (not exported)" },
	{ "CLOCKFD_MASK", "dynamic clock id encoding, in Linux's include/linux/posix-timers.h (not exported)" },
	{ "CPUCLOCK_VIRT", "clock id encoding, in Linux's include/linux/posix-timers.h (not exported)" },
	{ "CPUCLOCK_PERTHREAD", "clock id encoding, in Linux's include/linux/posix-timers.h (not exported)" },
	{ "CPUCLOCK_PROF", "clock id encoding, in Linux's include/linux/posix-timers.h (not exported)" },
	{ "CPUCLOCK_SCHED", "clock id encoding, in Linux's include/linux/posix-timers.h (not exported)" },
	{ "CPUCLOCK_CLOCK_MASK", "clock id encoding, in Linux's include/linux/posix-timers.h (not exported)" },
	{ "ST_VALID", "statfs f_flags bit, in Linux's include/linux/statfs.h (not exported)" },
	{ "ST_NOSYMFOLLOW", "statfs f_flags bit, in Linux's include/linux/statfs.h (glibc 2.36 lacks it)" },
	{ "SOCK_TYPE_MASK", "socket()'s type bits, in Linux's include/linux/net.h (not exported)" },
	{ "PROC_IPC_INIT_INO", "an initial namespace's inode number, in Linux's include/linux/proc_ns.h (not exported); t_ns checks it on both kernels" },
	{ "PROC_UTS_INIT_INO", "an initial namespace's inode number, in Linux's include/linux/proc_ns.h (not exported); t_ns checks it on both kernels" },
	{ "PROC_USER_INIT_INO", "an initial namespace's inode number, in Linux's include/linux/proc_ns.h (not exported); t_ns checks it on both kernels" },
	{ "PROC_PID_INIT_INO", "an initial namespace's inode number, in Linux's include/linux/proc_ns.h (not exported); t_ns checks it on both kernels" },
	{ "PROC_CGROUP_INIT_INO", "an initial namespace's inode number, in Linux's include/linux/proc_ns.h (not exported); t_ns checks it on both kernels" },
	{ "PROC_TIME_INIT_INO", "an initial namespace's inode number, in Linux's include/linux/proc_ns.h (not exported); t_ns checks it on both kernels" },
	{ "PROC_DYNAMIC_FIRST", "proc_alloc_inum's first number, in Linux's include/linux/proc_ns.h (not exported)" },
	{ "MQUEUE_MAGIC", "the mqueue file system's statfs type, in Linux's ipc/mqueue.c (not exported)" },
	{ "LANDLOCK_ACCESS_FS_TRUNCATE", "Landlock ABI 3 (Linux 6.2); the host's <linux/landlock.h> stops at REFER (ABI 2)" },
	{ "MS_NOUSER_FLAG", "Linux's MS_NOUSER under another name: <linux/mount.h>'s (1<<31) overflows int" },
	{ "USER_REGS_SIZE", "sizeof(struct user_regs_struct), glibc's <sys/user.h> (not includable here); "
	  "testsuite/progs/t_ptrace's GETREGSET checks it on both kernels" },
	{ "USER_FPREGS_SIZE", "sizeof(struct user_fpregs_struct), glibc's <sys/user.h> (not includable here); "
	  "testsuite/progs/t_ptrace's GETFPREGS/SETFPREGS use it on both kernels" },
	{ "USER_DEBUGREG_OFFSET", "offsetof(struct user, u_debugreg), glibc's <sys/user.h> (not includable here); "
	  "testsuite/progs/t_ptrace's PEEKUSER of dr7 checks it on both kernels" },
	{ "USER_STRUCT_SIZE", "the kernel's struct user (arch/x86/include/asm/user_64.h, not exported; glibc's is "
	  "16 bytes shorter); testsuite/progs/t_ptrace checks PEEKUSER's bound on both kernels" },
	{ "KIOCB_KEY", "what io_submit writes in aio_key, in Linux's fs/aio.c (not exported); "
	  "testsuite/progs/t_aio checks it on both kernels" },
	{ "AIO_RING_MAGIC", "the AIO ring's header, in Linux's fs/aio.c (not exported); "
	  "testsuite/progs/t_aio reads it on both kernels" },
	{ "AIO_RING_COMPAT_FEATURES", "the AIO ring's header, in Linux's fs/aio.c (not exported); "
	  "testsuite/progs/t_aio reads it on both kernels" },
	{ "AIO_RING_INCOMPAT_FEATURES", "the AIO ring's header, in Linux's fs/aio.c (not exported); "
	  "testsuite/progs/t_aio reads it on both kernels" },
	{ "USER64_CS", "__USER_CS, in Linux's arch/x86/include/asm/segment.h (not exported); "
	  "testsuite/progs/t_ptrace checks GETREGS's cs on both kernels" },
	{ "USER_DS_SEL", "__USER_DS, in Linux's arch/x86/include/asm/segment.h (not exported); "
	  "testsuite/progs/t_ptrace checks GETREGS's ss on both kernels" },
	{ "KEY_POS_VIEW", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_POS_READ", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_POS_WRITE", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_POS_SEARCH", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_POS_LINK", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_POS_SETATTR", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_POS_ALL", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_USR_VIEW", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_USR_READ", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_USR_LINK", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_USR_ALL", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_GRP_ALL", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_OTH_ALL", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_MAX_DESC_SIZE", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_TYPE_NAME_SIZE", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_USER_PAYLOAD_MAX", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_ADD_PAYLOAD_MAX", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEY_UPDATE_PAYLOAD_MAX", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEYRING_SEARCH_MAX_DEPTH", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "KEYQUOTA_LINK_BYTES", "keys: Linux's include/linux/key.h or security/keys/ (not exported); testsuite/progs/t_keys checks it on both kernels" },
	{ "IOPRIO_LEVEL_MASK", "the level bits of an I/O priority (IOPRIO_PRIO_LEVEL in newer <linux/ioprio.h>, not in bookworm's); testsuite/progs/t_ioprio checks Linux's level-only test" },
	{ "SYSFS_INDEX", "sysfs(2)'s options are in its man page only; testsuite/progs/t_fsinfo uses them on both kernels" },
	{ "SYSFS_NAME", "sysfs(2)'s options are in its man page only; testsuite/progs/t_fsinfo uses them on both kernels" },
	{ "SYSFS_COUNT", "sysfs(2)'s options are in its man page only; testsuite/progs/t_fsinfo uses them on both kernels" },
	{ "SI_KERNEL_UNION_SIZE", "the siginfo union bytes Linux keeps (sizeof its struct kernel_siginfo, 48, less the 16-byte header; not exported); testsuite/progs/t_sigqueue checks the E2BIG rule on both kernels" },
	{ "MMF_DUMP_ANON_PRIVATE", "coredump_filter bit, in Linux's include/linux/sched/coredump.h (not exported); testsuite/progs/t_core checks its effect on both kernels" },
	{ "MMF_DUMP_ANON_SHARED", "coredump_filter bit, in Linux's include/linux/sched/coredump.h (not exported); testsuite/progs/t_core checks its effect on both kernels" },
	{ "MMF_DUMP_MAPPED_PRIVATE", "coredump_filter bit, in Linux's include/linux/sched/coredump.h (not exported); testsuite/progs/t_core checks its effect on both kernels" },
	{ "MMF_DUMP_MAPPED_SHARED", "coredump_filter bit, in Linux's include/linux/sched/coredump.h (not exported); testsuite/progs/t_core checks its effect on both kernels" },
	{ "MMF_DUMP_ELF_HEADERS", "coredump_filter bit, in Linux's include/linux/sched/coredump.h (not exported); testsuite/progs/t_core checks its effect on both kernels" },
	{ "MMF_DUMP_FILTER_BITS", "coredump_filter bit, in Linux's include/linux/sched/coredump.h (not exported); testsuite/progs/t_core checks its effect on both kernels" },
	{ "MMF_DUMP_FILTER_DEFAULT", "coredump_filter bit, in Linux's include/linux/sched/coredump.h (not exported); testsuite/progs/t_core checks its effect on both kernels" },
	{ "SUID_DUMP_DISABLE", "dumpable state, in Linux's include/linux/sched/coredump.h (not exported); testsuite/progs/t_core checks suid_dumpable and PR_GET_DUMPABLE on both kernels" },
	{ "SUID_DUMP_USER", "dumpable state, in Linux's include/linux/sched/coredump.h (not exported); testsuite/progs/t_core checks suid_dumpable and PR_GET_DUMPABLE on both kernels" },
	{ "SUID_DUMP_ROOT", "dumpable state, in Linux's include/linux/sched/coredump.h (not exported); testsuite/progs/t_core checks suid_dumpable and PR_GET_DUMPABLE on both kernels" },
};

/* Structs no installed header lays out the way the kernel ABI does. */
static const struct {
	const char *tag, *why;
} unchecked_structs[] = {
	{ "linux_ustat", "ustat(2)'s struct ustat is in Linux's include/linux/types.h (not exported) and glibc dropped <sys/ustat.h>; "
	  "testsuite/progs/t_fsinfo reads it on both kernels" },
	{ "aio_ring", "the AIO ring's header, in Linux's fs/aio.c (not exported); "
	  "testsuite/progs/t_aio reads its fields on both kernels" },
	{ "aio_sigset", "io_pgetevents' struct __aio_sigset, under __KERNEL__ in <linux/aio_abi.h>; "
	  "testsuite/progs/t_aio passes one on both kernels" },
	{ "user_sigaction", "rt_sigaction's struct is the kernel-internal struct sigaction; "
	  "<asm/signal.h> exports the old i386-order one and glibc's kernel_sigaction is private" },
	{ "linux_sockaddr", "the socket calls' structs are glibc's (<sys/socket.h>), which uapi_host_linux.c cannot include; testsuite/progs/t_socket and t_unix use them on both kernels" },
	{ "linux_ucred", "the socket calls' structs are glibc's (<sys/socket.h>), which uapi_host_linux.c cannot include; testsuite/progs/t_socket and t_unix use them on both kernels" },
	{ "linux_linger", "the socket calls' structs are glibc's (<sys/socket.h>), which uapi_host_linux.c cannot include; testsuite/progs/t_socket and t_unix use them on both kernels" },
	{ "linux_msghdr", "the socket calls' structs are glibc's (<sys/socket.h>), which uapi_host_linux.c cannot include; testsuite/progs/t_socket and t_unix use them on both kernels" },
	{ "linux_mmsghdr", "the socket calls' structs are glibc's (<sys/socket.h>), which uapi_host_linux.c cannot include; testsuite/progs/t_socket and t_unix use them on both kernels" },
	{ "linux_cmsghdr", "the socket calls' structs are glibc's (<sys/socket.h>), which uapi_host_linux.c cannot include; testsuite/progs/t_socket and t_unix use them on both kernels" },
	{ "linux_ifreq", "struct ifreq and ifconf are in <linux/if.h>, which includes glibc's <sys/socket.h>, which uapi_host_linux.c cannot include; testsuite/progs/t_inet uses glibc's on both kernels" },
	{ "linux_ifconf", "struct ifreq and ifconf are in <linux/if.h>, which includes glibc's <sys/socket.h>, which uapi_host_linux.c cannot include; testsuite/progs/t_inet uses glibc's on both kernels" },
	{ "linux_rtentry", "<linux/route.h> includes <linux/if.h> (glibc's <sys/socket.h>); testsuite/progs/t_inet and aster.guest/net.exp (BusyBox route) use glibc's on both kernels" },
	{ "k_elf64_ehdr", "core file layouts; glibc's <elf.h> and <sys/procfs.h> have them, which uapi_host_linux.c cannot include; testsuite/progs/t_core parses our core files with them on both kernels" },
	{ "k_elf64_phdr", "core file layouts; glibc's <elf.h> and <sys/procfs.h> have them, which uapi_host_linux.c cannot include; testsuite/progs/t_core parses our core files with them on both kernels" },
	{ "k_elf64_nhdr", "core file layouts; glibc's <elf.h> and <sys/procfs.h> have them, which uapi_host_linux.c cannot include; testsuite/progs/t_core parses our core files with them on both kernels" },
	{ "k_elf_siginfo", "core file layouts; glibc's <elf.h> and <sys/procfs.h> have them, which uapi_host_linux.c cannot include; testsuite/progs/t_core parses our core files with them on both kernels" },
	{ "k_timeval", "core file layouts; glibc's <elf.h> and <sys/procfs.h> have them, which uapi_host_linux.c cannot include; testsuite/progs/t_core parses our core files with them on both kernels" },
	{ "k_elf_prstatus", "core file layouts; glibc's <elf.h> and <sys/procfs.h> have them, which uapi_host_linux.c cannot include; testsuite/progs/t_core parses our core files with them on both kernels" },
	{ "k_elf_prpsinfo", "core file layouts; glibc's <elf.h> and <sys/procfs.h> have them, which uapi_host_linux.c cannot include; testsuite/progs/t_core parses our core files with them on both kernels" },
};

static struct uapi_val ours[UAPI_MAX_VALS], linux_[UAPI_MAX_VALS], libc[UAPI_MAX_VALS],
	enums[UAPI_MAX_VALS], lay_ours[UAPI_MAX_VALS], lay_host[UAPI_MAX_VALS],
	tags[UAPI_MAX_VALS];

static const struct uapi_val *find(const struct uapi_val *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

static const char *unchecked_why(const char *name)
{
	for (size_t i = 0; i < sizeof(unchecked) / sizeof(unchecked[0]); i++)
		if (!strcmp(unchecked[i].name, name))
			return unchecked[i].why;
	return NULL;
}

static void skip(const char *what, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_count, what, why);
}

int main(void)
{
	size_t n_ours = uapi_ours_consts(ours);
	size_t n_linux = uapi_linux_consts(linux_);
	size_t n_libc = uapi_libc_consts(libc);
	size_t n_enum = uapi_enum_consts(enums);
	size_t n_lay = uapi_ours_layouts(lay_ours);
	size_t n_lay_host = uapi_linux_layouts(lay_host);
	size_t n_tags = uapi_ours_structs(tags);
	size_t checked = 0, skipped = 0;

	/* A table that filled up: say so once, check nothing (entries were dropped). */
	if (n_ours > UAPI_MAX_VALS || n_linux > UAPI_MAX_VALS || n_libc > UAPI_MAX_VALS ||
	    n_enum > UAPI_MAX_VALS || n_lay > UAPI_MAX_VALS || n_lay_host > UAPI_MAX_VALS ||
	    n_tags > UAPI_MAX_VALS) {
		printf("1..1\nnot ok 1 - a table has more than UAPI_MAX_VALS (%d) entries: raise it\n",
		       UAPI_MAX_VALS);
		return 1;
	}
	plan((int)(n_ours + n_lay + n_tags + 1));
	for (size_t i = 0; i < n_ours; i++) {
		const char *name = ours[i].name, *why = unchecked_why(name), *from = "linux";
		const struct uapi_val *h = find(linux_, n_linux, name);

		if (!h) {
			h = find(libc, n_libc, name);
			from = "glibc";
		}
		if (!h) {
			h = find(enums, n_enum, name);
			from = "enum";
		}
		if (!h && why) {
			skip(name, why);
			skipped++;
			continue;
		}
		if (!h) {
			ok(false, "%s: no host header defines it (add it to uapi_host_*.c, or to `unchecked` with why)",
			   name);
			continue;
		}
		checked++;
		if (!ok(ours[i].v == h->v, "%s == %s's", name, from))
			diag("ours 0x%llx, host 0x%llx", ours[i].v, h->v);
	}
	/* Both sides expand the same uapi_structs.def, so entry i is the same check. */
	for (size_t i = 0; i < n_lay; i++)
		if (!ok(i < n_lay_host && lay_ours[i].v == lay_host[i].v, "layout: %s", lay_ours[i].name))
			diag("ours %llu, host %llu", lay_ours[i].v, i < n_lay_host ? lay_host[i].v : 0);
	for (size_t i = 0; i < n_tags; i++) {
		const char *why = NULL;

		for (size_t k = 0; k < sizeof(unchecked_structs) / sizeof(unchecked_structs[0]); k++)
			if (!strcmp(unchecked_structs[k].tag, tags[i].name))
				why = unchecked_structs[k].why;
		if (why && !find(lay_ours, n_lay, tags[i].name))
			skip(tags[i].name, why);
		else
			ok(find(lay_ours, n_lay, tags[i].name) != NULL, "struct %s is in uapi_structs.def",
			   tags[i].name);
	}
	ok(n_lay == n_lay_host, "both sides list %zu layout entries", n_lay);
	diag("%zu constants compared, %zu not checked; %zu struct layout values compared",
	     checked, skipped, n_lay);
	return done();
}
