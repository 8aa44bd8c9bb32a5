// SPDX-License-Identifier: MPL-2.0
// Small helpers for the fs syscalls.
#include "fs/syscalls/sys.h"

int getname(uaddr_t ua, char **out)
{
	char *p = kmalloc(PATH_MAX);
	long n;

	if (!p)
		return -ENOMEM;
	n = strncpy_from_user(p, ua, PATH_MAX);
	if (n < 0) {
		kfree(p);
		return (int)n;
	}
	*out = p;
	return 0;
}

int getname_short(uaddr_t ua, char (*small)[PATHNAME_INLINE], struct pathname *pn)
{
	long n = strncpy_from_user(*small, ua, sizeof(*small));
	int err;

	pn->heap = NULL;
	pn->name = *small;
	if (n != -ENAMETOOLONG)
		return n < 0 ? (int)n : 0;
	/* Longer than the inline buffer: read it again, up to PATH_MAX. */
	err = getname(ua, &pn->heap);
	if (err)
		return err;
	pn->name = pn->heap;
	return 0;
}

void putname(struct pathname *pn)
{
	kfree(pn->heap);
	pn->heap = NULL;
	pn->name = NULL;
}

int install_file(struct file *f, bool cloexec)
{
	struct fd_table *t = files();
	int fd;

	if (!t) {
		file_put(f);
		return -EMFILE;
	}
	fd = fd_install(t, f, cloexec ? FD_CLOEXEC : 0);
	if (fd < 0)
		file_put(f);
	return fd;
}
