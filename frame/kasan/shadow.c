// SPDX-License-Identifier: MPL-2.0
// KASAN shadow memory for the direct map, where every heap object and frame
// lives: one byte per 8 bytes, in chunks of 128 MiB of shadow per GiB of
// RAM, each taken from the frame allocator at boot (so 1/8 of RAM).  The
// kernel image (globals, the task stack pool) and the KVA window have no
// shadow: accesses there are not checked (doc/safe-c.md says why).
//
// Instrumented code is outlined (every access calls __asan_*), so the
// shadow need not sit at a fixed linear offset: a lookup in the chunk table
// finds it, and no page-table work is needed.
#include <aster/log.h>
#include <aster/string.h>
#include "../internal.h"
#include "../arch/x86_64/cpu.h"
#include "../mm/mm_internal.h"
#include "kasan.h"

#define CHUNK_BYTES	GiB(1)
#define CHUNK_SHADOW	(CHUNK_BYTES / KASAN_GRANULE)
#define MAX_CHUNKS	64	/* 64 GiB of RAM checked; beyond, unchecked */

static int8_t *chunks[MAX_CHUNKS];
static uint64_t covered;	/* bytes of the direct map with shadow */

int8_t *kasan_shadow(uint64_t addr)
{
	uint64_t off = addr - DIRECT_MAP_BASE;
	int8_t *c;

	if (addr < DIRECT_MAP_BASE || off >= covered)
		return NULL;
	c = chunks[off / CHUNK_BYTES];
	return c ? c + (off % CHUNK_BYTES) / KASAN_GRANULE : NULL;
}

/* Set the shadow of [p, p+size) granule by granule (chunks are not contiguous). */
static void fill(uint64_t addr, size_t granules, int8_t value)
{
	while (granules) {
		int8_t *s = kasan_shadow(addr);
		uint64_t off = addr - DIRECT_MAP_BASE;
		size_t in_chunk = (CHUNK_BYTES - off % CHUNK_BYTES) / KASAN_GRANULE;
		size_t n = MIN(granules, in_chunk);

		if (!s)
			return;
		memset(s, (uint8_t)value, n);
		granules -= n;
		addr += n * KASAN_GRANULE;
	}
}

void kasan_poison(const void *p, size_t size, uint8_t value)
{
	fill((uint64_t)p, ALIGN_UP(size, KASAN_GRANULE) / KASAN_GRANULE, (int8_t)value);
}

void kasan_unpoison(const void *p, size_t size)
{
	uint64_t addr = (uint64_t)p;
	int8_t *last;

	fill(addr, size / KASAN_GRANULE, 0);
	if (!(size % KASAN_GRANULE))
		return;
	last = kasan_shadow(addr + ALIGN_DOWN(size, KASAN_GRANULE));
	if (last)
		*last = (int8_t)(size % KASAN_GRANULE);
}

void kasan_frames_alloc(void *first, size_t n)
{
	if (covered)
		kasan_unpoison(first, n * PAGE_SIZE);
}

void kasan_frames_free(void *first, size_t n)
{
	if (covered)
		kasan_poison(first, n * PAGE_SIZE, KASAN_PAGE_FREE);
}

void kasan_init(void)
{
	uint64_t top = ALIGN_UP(mm_ram_top(), PAGE_SIZE);
	size_t n = MIN((size_t)((top + CHUNK_BYTES - 1) / CHUNK_BYTES), (size_t)MAX_CHUNKS);
	uint64_t reach = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t bytes = MIN(top - i * CHUNK_BYTES, CHUNK_BYTES);
		size_t pages = ALIGN_UP(bytes / KASAN_GRANULE, PAGE_SIZE) / PAGE_SIZE;
		struct frame_meta *f = frames_alloc_run(pages, FRAME_ZERO);

		if (!f) {
			pr_warn("kasan: no memory for the shadow beyond %lu MiB\n", reach >> 20);
			break;
		}
		chunks[i] = frame_kernel_addr(f);
		reach = i * CHUNK_BYTES + bytes;
	}
	/* From here on the allocator keeps the shadow up to date. */
	covered = reach;
	frames_kasan_poison_free();
	pr_info("kasan: shadow for %lu MiB of RAM (%lu KiB), heap red zones and quarantine on\n",
		covered >> 20, covered / KASAN_GRANULE / 1024);
}
