// SPDX-License-Identifier: MPL-2.0
// The first process: pid 1, root credentials, the console on fds 0-2, and
// an exec of init in its own task.
#include <aster/errno.h>
#include <aster/log.h>
#include <aster/string.h>
#include "fs/file.h"
#include "mm/vmar.h"
#include "process/internal.h"
#include "uapi/fcntl.h"

static const char *init_path;
static const char *const *init_argv;
static const char *const *init_envp;

static void init_start(struct thread *t)
{
	int err;

	t->start_fn = NULL;
	err = exec_first(init_path, init_argv, init_envp);
	if (err) {
		pr_err("Failed to execute %s (error %d)\n", init_path, err);
		panic("No working init found.  Try passing init= option to kernel.");
	}
}

/* fds 0, 1, 2 of init are /dev/console, as Linux sets them up. */
static int open_console(struct process *p)
{
	struct file *f;
	int err = vfs_open_kernel("/dev/console", O_RDWR, 0, &f);

	if (err) {
		pr_warn("Warning: unable to open an initial console (%d).\n", err);
		return 0;
	}
	for (int i = 0; i < 3; i++) {
		file_get(f);
		if (fd_install(p->files, f, 0) < 0)
			file_put(f);
	}
	file_put(f);
	return 0;
}

int process_start_init(const char *path, const char *const argv[], const char *const envp[])
{
	struct process *p = process_alloc();
	struct thread *t;
	int err;

	if (!p)
		return -ENOMEM;
	init_path = path;
	init_argv = argv;
	init_envp = envp;
	err = vmar_create(&p->vmar);
	if (!err)
		err = fd_table_create(&p->files);
	if (!err)
		err = fs_context_create_root(&p->fs);
	if (!err)
		err = process_register(p, NULL);
	if (err)
		return err;
	p->pgid = p->sid = p->pid;
	p->exit_signal = SIGCHLD;
	strlcpy(p->comm, "swapper", sizeof(p->comm));
	init_process = p;
	(void)open_console(p);
	t = thread_alloc(p);
	if (!t)
		return -ENOMEM;
	t->start_fn = init_start;
	err = thread_start(t);
	return err < 0 ? err : 0;
}
