// SPDX-License-Identifier: MPL-2.0
// The kernel's main function: the root file system and init, in Linux's
// order (init/main.c's kernel_init_freeable and kernel_init).  Words of
// the command line that no parameter claims become init's arguments (bare
// words) and environment (NAME=VALUE), as in Linux.
#include <aster/boot.h>
#include <aster/cmdline.h>
#include <aster/errno.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/wait.h>
#include "fs/file.h"
#include "init/do_mounts.h"
#include "init_args.h"
#include "process/process.h"
#include "uapi/fcntl.h"

static const char *ramdisk_execute_command = "/init";	/* rdinit= */
static const char *execute_command;			/* init= */
static struct init_args ia;

static int set_rdinit(const char *v)
{
	if (!v)
		return -1;
	ramdisk_execute_command = v;
	return 0;
}
BOOT_PARAM("rdinit", set_rdinit);

static int set_init(const char *v)
{
	if (!v)
		return -1;
	execute_command = v;
	return 0;
}
BOOT_PARAM("init", set_init);

static void report_init(void)
{
	pr_info("Run %s as init process\n", ia.argv[0]);
	pr_debug("  with arguments:\n");
	for (unsigned int i = 0; i < ia.argc; i++)
		pr_debug("    %s\n", ia.argv[i]);
	pr_debug("  with environment:\n");
	for (unsigned int i = 0; i < ia.envc; i++)
		pr_debug("    %s\n", ia.envp[i]);
}

static int run_init_process(const char *init_filename)
{
	ia.argv[0] = init_filename;
	report_init();
	return process_exec_init(init_filename, ia.argv, ia.envp);
}

static int try_to_run_init_process(const char *init_filename)
{
	int ret = run_init_process(init_filename);

	if (ret && ret != -ENOENT)
		pr_err("Starting init: %s exists but couldn't execute it (error %d)\n",
		       init_filename, ret);
	return ret;
}

/* In pid 1's task: the first program that execs is init. */
static void kernel_init(void)
{
	int ret;

	if (ramdisk_execute_command) {
		ret = run_init_process(ramdisk_execute_command);
		if (!ret)
			return;
		pr_err("Failed to execute %s (error %d)\n", ramdisk_execute_command, ret);
	}
	if (execute_command) {
		ret = run_init_process(execute_command);
		if (!ret)
			return;
		panic("Requested init %s failed (error %d).", execute_command, ret);
	}
	if (!try_to_run_init_process("/sbin/init") || !try_to_run_init_process("/etc/init") ||
	    !try_to_run_init_process("/bin/init") || !try_to_run_init_process("/bin/sh"))
		return;
	panic("No working init found.  Try passing init= option to kernel. "
	      "See Linux Documentation/admin-guide/init.rst for guidance.");
}

/* fds 0-2 of init: the rootfs's /dev/console, opened before any disk root (console_on_rootfs). */
static struct file *console_on_rootfs(void)
{
	struct file *f;
	int err = vfs_open_kernel("/dev/console", O_RDWR, 0, &f);

	if (err) {
		pr_err("Warning: unable to open an initial console.\n");
		return NULL;
	}
	return f;
}

__noreturn void kernel_main(void)
{
	struct file *console;
	int err;

	/* Parameters were applied by frame; argv[0] is set for each candidate. */
	err = init_args_build(&ia, boot_cmdline(), "", boot_param_is_kernel);
	if (err)
		panic("Too many boot init vars at `%s'", ia.overflow_word);
	rootfs_prepare();
	console = console_on_rootfs();
	/* An initramfs with init runs it and ignores root=; else the root comes from a disk. */
	if (init_eaccess(ramdisk_execute_command) != 0) {
		ramdisk_execute_command = NULL;
		prepare_namespace();
	}
	err = process_start_init(console, kernel_init);
	if (console)
		file_put(console);
	if (err)
		panic("No working init found.  Try passing init= option to kernel. (%d)", err);
	/* The boot task has nothing left to do; it may not exit, so it sleeps. */
	for (;;)
		task_sleep_ns(UINT64_MAX / 2);
}
