// SPDX-License-Identifier: MPL-2.0
// ktests of the capability rules that need no process: execve's new
// credentials and the uid-change fix-ups (t_caps tests the syscalls).
#include <aster/ktest.h>
#include "process/capability.h"
#include "uapi/stat.h"

static struct cred root_cred(void)
{
	struct cred c = { 0 };

	cap_init_root(&c);
	return c;
}

static struct cred user_cred(uint32_t uid)
{
	struct cred c = root_cred();

	c.uid = c.euid = c.suid = c.fsuid = uid;
	c.cap_permitted = c.cap_effective = 0;
	return c;
}

KTEST(cap_exec_root_and_user)
{
	struct cap_exec_file f = { .mode = S_IFREG | 0755 };
	struct cred old = root_cred(), nc;
	bool secure;

	old.cap_bset &= ~CAP_BIT(CAP_SYS_TIME);
	cap_exec_creds(&nc, &old, &f, &secure);
	KT_EXPECT(nc.cap_permitted == (CAP_FULL_SET & ~CAP_BIT(CAP_SYS_TIME)));
	KT_EXPECT(nc.cap_effective == nc.cap_permitted && !secure);
	old = user_cred(1000);
	old.cap_permitted = old.cap_inheritable = old.cap_ambient = CAP_BIT(CAP_KILL);
	old.securebits = SECBIT_KEEP_CAPS;
	cap_exec_creds(&nc, &old, &f, &secure);
	KT_EXPECT(nc.cap_permitted == CAP_BIT(CAP_KILL) && nc.cap_effective == CAP_BIT(CAP_KILL));
	KT_EXPECT(nc.securebits == 0 && !secure);
	/* SECBIT_NOROOT: root is an ordinary user at exec. */
	old = root_cred();
	old.securebits = SECBIT_NOROOT;
	cap_exec_creds(&nc, &old, &f, &secure);
	KT_EXPECT(nc.cap_permitted == 0 && nc.cap_effective == 0);
}

KTEST(cap_exec_setuid)
{
	struct cap_exec_file f = { .mode = S_IFREG | S_ISUID | 0755, .uid = 0 };
	struct cred old = user_cred(1000), nc;
	bool secure;

	old.cap_permitted = old.cap_inheritable = old.cap_ambient = CAP_BIT(CAP_KILL);
	cap_exec_creds(&nc, &old, &f, &secure);
	KT_EXPECT(nc.euid == 0 && nc.suid == 0 && nc.fsuid == 0 && nc.uid == 1000 && secure);
	KT_EXPECT(nc.cap_permitted == CAP_FULL_SET && nc.cap_effective == CAP_FULL_SET);
	KT_EXPECT(nc.cap_ambient == 0);
	f.no_new_privs = true;
	cap_exec_creds(&nc, &old, &f, &secure);
	KT_EXPECT(nc.euid == 1000 && nc.cap_permitted == CAP_BIT(CAP_KILL) && !secure);
	f.no_new_privs = false;
	f.nosuid = true;
	cap_exec_creds(&nc, &old, &f, &secure);
	KT_EXPECT(nc.euid == 1000);
	/* An unprivileged tracer: no new ids, nothing beyond the old permitted set. */
	f.nosuid = false;
	f.unsafe = true;
	cap_exec_creds(&nc, &old, &f, &secure);
	KT_EXPECT(nc.euid == 1000 && nc.cap_permitted == CAP_BIT(CAP_KILL) && nc.cap_ambient == 0);
	/* Set-group-ID needs the group x bit. */
	f = (struct cap_exec_file){ .mode = S_IFREG | S_ISGID | 0745, .gid = 50 };
	cap_exec_creds(&nc, &old, &f, &secure);
	KT_EXPECT(nc.egid == old.gid);
	f.mode |= S_IXGRP;
	cap_exec_creds(&nc, &old, &f, &secure);
	KT_EXPECT(nc.egid == 50 && nc.sgid == 50 && secure);
}

KTEST(cap_uid_fixups)
{
	struct cred old = root_cred(), c = old;

	c.euid = c.fsuid = 1000;
	cap_fix_setuid(&c, &old);
	KT_EXPECT(c.cap_effective == 0 && c.cap_permitted == CAP_FULL_SET);
	old = c;
	c.euid = c.fsuid = 0;
	cap_fix_setuid(&c, &old);
	KT_EXPECT(c.cap_effective == CAP_FULL_SET);
	old = c;
	c.uid = c.euid = c.suid = c.fsuid = 1000;
	c.cap_ambient = 0;
	cap_fix_setuid(&c, &old);
	KT_EXPECT(c.cap_permitted == 0 && c.cap_effective == 0);
	old = root_cred();
	old.securebits = SECBIT_NO_SETUID_FIXUP;
	c = old;
	c.uid = c.euid = c.suid = c.fsuid = 1000;
	cap_fix_setuid(&c, &old);
	KT_EXPECT(c.cap_permitted == CAP_FULL_SET && c.cap_effective == CAP_FULL_SET);
	old = root_cred();
	c = old;
	c.fsuid = 1000;
	cap_fix_setfsuid(&c, &old);
	KT_EXPECT(c.cap_effective == (CAP_FULL_SET & ~CAP_FS_SET));
	old = c;
	c.fsuid = 0;
	cap_fix_setfsuid(&c, &old);
	KT_EXPECT(c.cap_effective == CAP_FULL_SET);
}
