/* SPDX-License-Identifier: MPL-2.0 */
/*
 * What the processor says about itself, for /proc/cpuinfo: the CPUID
 * vendor, brand string, family/model/stepping, the feature words Linux
 * turns into its "flags" line, and the calibrated TSC frequency.
 *
 *	struct cpu_info ci;
 *	cpu_info_get(&ci);
 *	printf("%s @ %lu kHz\n", ci.model_name, ci.tsc_khz);
 *
 * Never fails: leaves that the CPU does not implement read as zero, and
 * the strings are always NUL-terminated (empty when unknown).
 */
#ifndef ASTER_CPUINFO_H
#define ASTER_CPUINFO_H

#include <aster/types.h>

/* The feature words, indexed like this (CPUID leaf and register). */
enum cpu_feature_word {
	CPU_WORD_1_EDX,		/* leaf 1 edx: fpu ... pbe */
	CPU_WORD_1_ECX,		/* leaf 1 ecx: sse3 ... hypervisor */
	CPU_WORD_81_EDX,	/* leaf 0x80000001 edx: syscall, nx, lm ... */
	CPU_WORD_81_ECX,	/* leaf 0x80000001 ecx: lahf_lm, abm ... */
	CPU_WORD_7_EBX,		/* leaf 7 subleaf 0 ebx: fsgsbase ... */
	CPU_WORD_7_ECX,		/* leaf 7 subleaf 0 ecx */
	CPU_WORD_7_EDX,		/* leaf 7 subleaf 0 edx */
	CPU_NR_WORDS,
};

struct cpu_info {
	char vendor[13];		/* "GenuineIntel", "AuthenticAMD" */
	char model_name[49];		/* the brand string, leading blanks dropped */
	uint32_t family, model, stepping;	/* as Linux computes them */
	uint32_t clflush_size;		/* bytes */
	uint32_t phys_bits, virt_bits;	/* address sizes */
	uint32_t words[CPU_NR_WORDS];
	uint64_t tsc_khz;		/* calibrated at boot */
};

void cpu_info_get(struct cpu_info *out);

#endif
