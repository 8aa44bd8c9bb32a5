// SPDX-License-Identifier: MPL-2.0
// The kernel's main function: decide what init is and how it is started.
// Words of the command line that no parameter claims become init's
// arguments (bare words) and environment (NAME=VALUE), as in Linux.
#include <aster/boot.h>
#include <aster/cmdline.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/wait.h>
#include "fs/file.h"
#include "init_args.h"
#include "process/process.h"

static const char *rdinit_path = "/init";
static const char *init_path;

static int set_rdinit(const char *v)
{
	if (!v)
		return -1;
	rdinit_path = v;
	return 0;
}
BOOT_PARAM("rdinit", set_rdinit);

static int set_init(const char *v)
{
	if (!v)
		return -1;
	init_path = v;
	return 0;
}
BOOT_PARAM("init", set_init);

/* Root file system options: recorded for when block devices exist. */
static int accept_any(const char *v)
{
	(void)v;
	return 0;
}
BOOT_PARAM("root", accept_any);
BOOT_PARAM("rootfstype", accept_any);
BOOT_PARAM("ro", accept_any);
BOOT_PARAM("rw", accept_any);

static void report_init(const struct init_args *ia)
{
	pr_info("Run %s as init process\n", ia->argv[0]);
	pr_debug("  with arguments:\n");
	for (unsigned int i = 0; i < ia->argc; i++)
		pr_debug("    %s\n", ia->argv[i]);
	pr_debug("  with environment:\n");
	for (unsigned int i = 0; i < ia->envc; i++)
		pr_debug("    %s\n", ia->envp[i]);
}

__noreturn void kernel_main(void)
{
	static struct init_args ia;
	const struct boot_info *bi = boot_get_info();
	int err;

	/* Parameters were applied by frame; rdinit_path/init_path are set. */
	err = init_args_build(&ia, boot_cmdline(), bi->initrd_len ? rdinit_path : (init_path ? init_path : "/sbin/init"),
			      boot_param_is_kernel);
	if (err)
		panic("Too many boot init vars at `%s'", ia.overflow_word);
	if (!ia.argv[0])
		panic("No working init found.  Try passing init= option to kernel.");
	rootfs_prepare();
	report_init(&ia);
	err = process_start_init(ia.argv[0], ia.argv, ia.envp);
	if (err)
		panic("No working init found.  Try passing init= option to kernel. (%d)", err);
	/* The boot task has nothing left to do; it may not exit, so it sleeps. */
	for (;;)
		task_sleep_ns(UINT64_MAX / 2);
}
