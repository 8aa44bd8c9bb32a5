// SPDX-License-Identifier: MPL-2.0
// The boot information and the command-line parameter registry.
#include <aster/cmdline.h>
#include <aster/log.h>
#include <aster/string.h>
#include "../internal.h"

static struct boot_info boot_info = { .protocol = "", .loader_name = "" };

extern const struct boot_param __boot_params_start[], __boot_params_end[];

struct boot_info *boot_info_mut(void)
{
	return &boot_info;
}

const struct boot_info *boot_get_info(void)
{
	return &boot_info;
}

const char *boot_cmdline(void)
{
	return boot_info.cmdline;
}

uint64_t boot_usable_memory(void)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < boot_info.nr_mem; i++)
		if (boot_info.mem[i].type == MEM_USABLE)
			total += boot_info.mem[i].len;
	return total;
}

const uint8_t *boot_initrd(size_t *len)
{
	*len = 0;
	if (!boot_info.initrd_base || !boot_info.initrd_len ||
	    boot_info.initrd_base + boot_info.initrd_len > arch_direct_map_limit())
		return NULL;
	*len = boot_info.initrd_len;
	return arch_phys_to_virt(boot_info.initrd_base);
}

void boot_initrd_release(void)
{
	if (!boot_info.initrd_len)
		return;
	frames_release_boot_range(boot_info.initrd_base, boot_info.initrd_len);
	boot_info.initrd_base = 0;
	boot_info.initrd_len = 0;
}

static const struct boot_param *find_param(const char *name)
{
	for (const struct boot_param *p = __boot_params_start; p < __boot_params_end; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

bool boot_param_is_kernel(const char *name)
{
	/* Like Linux, "module.param" words are the kernel's even when unknown. */
	return find_param(name) || strchr(name, '.');
}

void boot_params_apply(const char *cmdline)
{
	static char scratch[CMDLINE_MAX];
	struct cmdline_word w;
	bool dashes = false;
	size_t pos = 0;

	strlcpy(scratch, cmdline, sizeof(scratch));
	while (cmdline_next(scratch, &pos, &dashes, &w)) {
		const struct boot_param *p;
		int err;

		if (w.after_dashes)
			break;
		p = find_param(w.name);
		if (!p)
			continue;
		err = p->handler(w.value);
		if (err)
			pr_warn("Malformed early option '%s'\n", w.name);
	}
}
