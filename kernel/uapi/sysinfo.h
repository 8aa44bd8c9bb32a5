/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/sysinfo.h>: struct sysinfo of x86-64.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_SYSINFO_H
#define ASTER_UAPI_SYSINFO_H

#include <aster/types.h>

#define SI_LOAD_SHIFT	16

struct sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char pad3[4];
};
_Static_assert(sizeof(struct sysinfo) == 112, "struct sysinfo layout");

#endif
