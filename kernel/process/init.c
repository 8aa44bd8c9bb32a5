// SPDX-License-Identifier: MPL-2.0
// The first process: pid 1, root credentials, the console on fds 0-2, and
// its task, in which kernel/init/ execs init (trying candidates as Linux's
// kernel_init does).
#include <aster/errno.h>
#include <aster/log.h>
#include <aster/string.h>
#include "fs/file.h"
#include "mm/vmar.h"
#include "ns/ns.h"
#include "process/internal.h"
#include "process/pid.h"
#include "cgroup/cgroup.h"
#include "uapi/fcntl.h"

static void (*init_run)(void);

static void init_start(struct thread *t)
{
	t->start_fn = NULL;
	init_run();
}

int process_exec_init(const char *path, const char *const argv[], const char *const envp[])
{
	return exec_first(path, argv, envp);
}

/* fds 0, 1, 2 of init are the console the kernel opened, as Linux's console_on_rootfs. */
static void install_console(struct process *p, struct file *console)
{
	if (!console)
		return;
	for (int i = 0; i < 3; i++) {
		file_get(console);
		if (fd_install(p->files, console, 0) < 0)
			file_put(console);
	}
}

int process_start_init(struct file *console, void (*run)(void))
{
	struct process *p = process_alloc();
	struct thread *t;
	int err;

	if (!p)
		return -ENOMEM;
	init_run = run;
	err = vmar_create(&p->vmar);
	if (!err)
		err = fd_table_create(&p->files);
	if (!err)
		err = fs_context_create_boot(&p->fs);
	if (!err)
		p->nsproxy = nsproxy_init_get();
	if (!err)
		err = process_register(p, NULL, NULL);
	if (err)
		return err;
	process_set_groups(p, p->pid, p->pid);
	p->exit_signal = SIGCHLD;
	strlcpy(p->comm, "swapper", sizeof(p->comm));
	init_process = p;
	install_console(p, console);
	t = thread_alloc(p);
	if (!t)
		return -ENOMEM;
	/* init starts in the root cgroup, charged as every later task. */
	err = cgroup_fork(p, t, -1, false);
	if (err)
		return err;
	t->start_fn = init_start;
	err = thread_start(t, NULL);
	return err < 0 ? err : 0;
}
