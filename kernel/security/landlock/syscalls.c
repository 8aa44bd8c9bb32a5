// SPDX-License-Identifier: MPL-2.0
// landlock_create_ruleset, landlock_add_rule, landlock_restrict_self
// (Linux's security/landlock/syscalls.c semantics), and a thread's domain.
#include <aster/errno.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "fs/fdtable.h"
#include "uapi/stat.h"
#include "process/capability.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "security/landlock/landlock.h"
#include "security/landlock/internal.h"

struct ll_ruleset *ll_current_domain(void)
{
	struct thread *t = current_thread();

	return t ? t->landlock_domain : NULL;
}

void landlock_inherit(struct thread *child, const struct thread *parent)
{
	child->landlock_domain = parent->landlock_domain;
	if (child->landlock_domain)
		ll_ruleset_get(child->landlock_domain);
}

void landlock_thread_free(struct thread *t)
{
	ll_ruleset_put(t->landlock_domain);
	t->landlock_domain = NULL;
}

/* The ruleset file: "anon_inode:[landlock-ruleset]"; read and write are EINVAL, as Linux's. */
static void ruleset_release(struct file *f)
{
	ll_ruleset_put(f->priv);
}

static const struct file_ops ruleset_ops = {
	.anon_name = "landlock-ruleset",
	.release = ruleset_release,
};

/* The ruleset behind fd with a reference: -EBADF, -EBADFD (not a ruleset). */
static int ruleset_from_fd(int fd, struct ll_ruleset **out)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	if (f->ops != &ruleset_ops) {
		file_put(f);
		return -EBADFD;
	}
	*out = f->priv;
	ll_ruleset_get(*out);
	file_put(f);
	return 0;
}

/*
 * Linux's copy_min_struct_from_user: at least ksize bytes, at most a
 * page; bytes past what we know must be zero (E2BIG).
 */
static int copy_attr(void *dst, size_t ksize, uaddr_t src, size_t usize)
{
	static const uint8_t zero[64];
	uint8_t chunk[64];

	if (!src)
		return -EFAULT;
	if (usize < ksize)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (copy_from_user(dst, src, ksize))
		return -EFAULT;
	for (size_t off = ksize; off < usize; off += sizeof(chunk)) {
		size_t n = usize - off < sizeof(chunk) ? usize - off : sizeof(chunk);

		if (copy_from_user(chunk, src + off, n))
			return -EFAULT;
		if (memcmp(chunk, zero, n))
			return -E2BIG;
	}
	return 0;
}

long sys_landlock_create_ruleset(uaddr_t attr, size_t size, unsigned int flags)
{
	struct landlock_ruleset_attr ra;
	struct ll_ruleset *r;
	struct file *f;
	struct fd_table *t = current_files();
	int err, fd;

	if (flags) {
		if (flags == LANDLOCK_CREATE_RULESET_VERSION && !attr && !size)
			return LL_ABI_VERSION;
		return -EINVAL;
	}
	err = copy_attr(&ra, sizeof(ra), attr, size);
	if (err)
		return err;
	if (ra.handled_access_fs & ~(uint64_t)LL_MASK_ACCESS)
		return -EINVAL;
	/* A ruleset that handles nothing would restrict nothing. */
	if (!ra.handled_access_fs)
		return -ENOMSG;
	if (!t)
		return -EMFILE;
	err = ll_ruleset_new((uint16_t)ra.handled_access_fs, &r);
	if (err)
		return err;
	f = file_alloc(&ruleset_ops, O_RDWR, r);
	if (!f) {
		ll_ruleset_put(r);
		return -ENOMEM;
	}
	fd = fd_install(t, f, FD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

static int add_path_beneath(struct ll_ruleset *r, uaddr_t rule_attr)
{
	struct landlock_path_beneath_attr pb;
	struct inode *obj;
	struct file *f;
	uint16_t handled = r->handled[0];
	uint32_t mode, uid, gid;
	bool dir;

	if (copy_from_user(&pb, rule_attr, sizeof(pb)))
		return -EFAULT;
	/* An empty grant (a "deny rule") would be ignored: Linux refuses it. */
	if (!pb.allowed_access)
		return -ENOMSG;
	if (pb.allowed_access & ~(uint64_t)handled)
		return -EINVAL;
	f = fget(pb.parent_fd);
	if (!f)
		return -EBADF;
	/* A ruleset, or a file of no path (pipe, socket, memfd): Linux's EBADFD. */
	obj = f->ops == &ruleset_ops ? NULL : file_inode_get(f);
	dir = obj && !file_stat_ids(f, &mode, &uid, &gid) && S_ISDIR(mode);
	file_put(f);
	if (!obj)
		return -EBADFD;
	/* A file gets only the rights that make sense for a file. */
	if (!dir && (pb.allowed_access & ~(uint64_t)LL_ACCESS_FILE)) {
		fs_inode_put(obj);
		return -EINVAL;
	}
	return ll_ruleset_add(r, obj, (uint16_t)pb.allowed_access);
}

long sys_landlock_add_rule(int ruleset_fd, unsigned int rule_type, uaddr_t rule_attr,
			   unsigned int flags)
{
	struct ll_ruleset *r;
	int err;

	if (flags)
		return -EINVAL;
	err = ruleset_from_fd(ruleset_fd, &r);
	if (err)
		return err;
	err = rule_type == LANDLOCK_RULE_PATH_BENEATH ? add_path_beneath(r, rule_attr) : -EINVAL;
	ll_ruleset_put(r);
	return err;
}

long sys_landlock_restrict_self(int ruleset_fd, unsigned int flags)
{
	struct thread *t = current_thread();
	struct ll_ruleset *r, *dom, *old;
	irqflags_t f;
	int err;

	/* As seccomp's filters: no_new_privs, or CAP_SYS_ADMIN. */
	if (!current_process()->no_new_privs && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (flags)
		return -EINVAL;
	err = ruleset_from_fd(ruleset_fd, &r);
	if (err)
		return err;
	err = ll_domain_merge(t->landlock_domain, r, &dom);
	ll_ruleset_put(r);
	if (err)
		return err;
	/*
	 * Only this thread replaces its own domain; ptrace's checks read other
	 * threads' under the table lock, so the swap is made under it too.
	 */
	f = spin_lock_irqsave(&process_table_lock);
	old = t->landlock_domain;
	t->landlock_domain = dom;
	spin_unlock_irqrestore(&process_table_lock, f);
	ll_ruleset_put(old);
	return 0;
}

bool landlock_scoped_locked(const struct thread *tracer, const struct thread *target)
{
	const struct ll_ruleset *mine = tracer ? tracer->landlock_domain : NULL;

	if (!mine || !target)
		return true;
	for (const struct ll_ruleset *d = target->landlock_domain; d; d = d->parent)
		if (d == mine)
			return true;
	return false;
}
