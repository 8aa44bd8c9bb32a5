/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Linux capabilities: the five sets and securebits of struct cred and the
 * rules that change them (capget/capset, prctl, execve, uid changes), as
 * Linux's kernel/capability.c and security/commoncap.c without file
 * capabilities (there are no security xattrs here).  Every privileged
 * operation asks capable(CAP_X) of the caller's effective set.
 */
#ifndef KERNEL_PROCESS_CAPABILITY_H
#define KERNEL_PROCESS_CAPABILITY_H
#include <aster/types.h>
#include "process/process.h"
#include "uapi/capability.h"
#include "uapi/securebits.h"

/* Every capability this kernel knows, and the bit of one. */
#define CAP_BIT(cap)		(1ULL << (cap))
#define CAP_FULL_SET		(CAP_BIT(CAP_LAST_CAP + 1) - 1)
#define cap_valid(cap)		((cap) >= 0 && (cap) <= CAP_LAST_CAP)

/* The file-system subset that follows fsuid 0 (Linux's CAP_FS_MASK). */
#define CAP_FS_SET	(CAP_BIT(CAP_CHOWN) | CAP_BIT(CAP_DAC_OVERRIDE) | CAP_BIT(CAP_DAC_READ_SEARCH) | \
			 CAP_BIT(CAP_FOWNER) | CAP_BIT(CAP_FSETID) | CAP_BIT(CAP_LINUX_IMMUTABLE) | \
			 CAP_BIT(CAP_MKNOD) | CAP_BIT(CAP_MAC_OVERRIDE))

/* Does the current process have cap in its effective set?  True outside any process (kernel work). */
bool capable(int cap);
/* Does c have cap in its effective set? */
bool cred_capable(const struct cred *c, int cap);

/* init's credentials: every capability in every set but ambient, no securebits. */
void cap_init_root(struct cred *c);

/*
 * After setuid/setreuid/setresuid changed the uids from old to new
 * (Linux's cap_emulate_setxuid), and after setfsuid (cap_task_fix_setuid's
 * LSM_SETID_FS): adjust new's sets unless SECBIT_NO_SETUID_FIXUP.
 */
void cap_fix_setuid(struct cred *new, const struct cred *old);
void cap_fix_setfsuid(struct cred *new, const struct cred *old);

/* What execve learns of the program for the new credentials. */
struct cap_exec_file {
	uint32_t mode, uid, gid;	/* of the program's inode */
	bool nosuid;			/* on a nosuid mount */
	bool no_new_privs;		/* the process set PR_SET_NO_NEW_PRIVS */
	bool unsafe;			/* traced by a tracer without CAP_SYS_PTRACE */
};

/*
 * The credentials of a process after it execs f (set-user-ID and
 * set-group-ID bits, then Linux's cap_bprm_creds_from_file without file
 * capabilities): new starts as a copy of old.  *secure is AT_SECURE.
 */
void cap_exec_creds(struct cred *new, const struct cred *old, const struct cap_exec_file *f,
		    bool *secure);

/* prctl's capability options (PR_CAPBSET_*, PR_CAP_AMBIENT, securebits, keepcaps). */
long cap_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4,
	       unsigned long arg5);

#endif
