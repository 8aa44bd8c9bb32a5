// SPDX-License-Identifier: MPL-2.0
// CPUID for /proc/cpuinfo (aster/cpuinfo.h).
#include <aster/cpuinfo.h>
#include <aster/string.h>
#include "cpu.h"

static uint32_t max_leaf(uint32_t base)
{
	uint32_t r[4];

	cpuid(base, 0, r);
	return r[0];
}

static void brand_string(char *out)
{
	uint32_t r[12];
	const char *s = (const char *)r;
	size_t i = 0;

	out[0] = 0;
	if (max_leaf(0x80000000) < 0x80000004)
		return;
	for (uint32_t leaf = 0; leaf < 3; leaf++)
		cpuid(0x80000002 + leaf, 0, &r[leaf * 4]);
	while (i < 48 && s[i] == ' ')
		i++;
	memcpy(out, s + i, 48 - i);
	out[48 - i] = 0;
}

void cpu_info_get(struct cpu_info *out)
{
	uint32_t r[4], max = max_leaf(0), ext = max_leaf(0x80000000);
	uint32_t fam, mod;

	memset(out, 0, sizeof(*out));
	cpuid(0, 0, r);
	memcpy(out->vendor, &r[1], 4);
	memcpy(out->vendor + 4, &r[3], 4);
	memcpy(out->vendor + 8, &r[2], 4);
	cpuid(1, 0, r);
	/* Linux's x86_family/x86_model: the extended fields count from family 15 (model: 6). */
	fam = (r[0] >> 8) & 0xf;
	mod = (r[0] >> 4) & 0xf;
	if (fam == 0xf)
		fam += (r[0] >> 20) & 0xff;
	if (fam >= 6)
		mod += ((r[0] >> 16) & 0xf) << 4;
	out->family = fam;
	out->model = mod;
	out->stepping = r[0] & 0xf;
	out->clflush_size = ((r[1] >> 8) & 0xff) * 8;
	out->words[CPU_WORD_1_EDX] = r[3];
	out->words[CPU_WORD_1_ECX] = r[2];
	if (max >= 7) {
		cpuid(7, 0, r);
		out->words[CPU_WORD_7_EBX] = r[1];
		out->words[CPU_WORD_7_ECX] = r[2];
		out->words[CPU_WORD_7_EDX] = r[3];
	}
	if (ext >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		out->words[CPU_WORD_81_EDX] = r[3];
		out->words[CPU_WORD_81_ECX] = r[2];
	}
	if (ext >= 0x80000008) {
		cpuid(0x80000008, 0, r);
		out->phys_bits = r[0] & 0xff;
		out->virt_bits = (r[0] >> 8) & 0xff;
	}
	brand_string(out->model_name);
	out->tsc_khz = tsc_khz();
}
