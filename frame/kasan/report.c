// SPDX-License-Identifier: MPL-2.0
// KASAN reports: like a panic (and ending in one: a failing exit code under
// QEMU), with what was accessed, how, which object it hit, and where that
// object was allocated and freed.
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/task.h>
#include "../internal.h"
#include "../arch/x86_64/cpu.h"
#include "../mm/mm_internal.h"
#include "kasan.h"

#define RULE "==================================================================\n"

/* A frame link may be followed only inside the image (task stacks) or the direct map. */
static bool link_ok(uint64_t rbp)
{
	if (rbp & 7)
		return false;
	if (rbp >= KERNEL_VMA_BASE && rbp + 16 <= (uint64_t)__bss_end)
		return true;
	return rbp >= DIRECT_MAP_BASE && rbp + 16 <= DIRECT_MAP_BASE + arch_direct_map_limit();
}

__attribute__((noinline)) void kasan_save_trace(uint64_t *out, unsigned int n, unsigned int skip)
{
	uint64_t rbp = (uint64_t)__builtin_frame_address(0);
	unsigned int i = 0;

	for (unsigned int depth = 0; i < n && depth < 32 && link_ok(rbp); depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;

		if (frame[1] < KERNEL_VMA_BASE)
			break;
		if (depth >= skip)
			out[i++] = frame[1] - 1;	/* the call, not the return */
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
	while (i < n)
		out[i++] = 0;
}

static void print_addr(uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		printk(LOG_EMERG, " [<%016lx>] %s+0x%lx\n", addr, name, off);
	else
		printk(LOG_EMERG, " [<%016lx>] ?\n", addr);
}

/* The heap's entry points: an allocation or free trace starts at their caller. */
static bool in_heap(uint64_t addr)
{
	static const char *const names[] = {
		"kmalloc", "kzalloc", "kcalloc", "krealloc", "kfree", "kmalloc_checked",
		"kzalloc_checked", "kcalloc_checked", "krealloc_checked", "segment_alloc",
	};
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);

	for (size_t i = 0; name && i < ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

void kasan_print_trace(const char *title, const uint64_t *trace, unsigned int n)
{
	unsigned int i = 0;

	printk(LOG_EMERG, "%s\n", title);
	while (i < n && trace[i] && in_heap(trace[i]))
		i++;
	for (; i < n && trace[i]; i++)
		print_addr(trace[i]);
}

static const char *bug_kind(uint64_t addr, size_t size)
{
	for (uint64_t a = addr; a < addr + size; a++) {
		int8_t *s = kasan_shadow(a);

		if (!s || *s == 0 || (*s > 0 && (int8_t)(a & 7) < *s))
			continue;
		switch ((uint8_t)*s) {
		case KASAN_HEAP_FREED:
			return "use-after-free";
		case KASAN_PAGE_FREE:
			return "use-after-free (free frame)";
		default:
			return "slab-out-of-bounds";
		}
	}
	return "out-of-bounds";
}

/* The first poisoned byte of the access: what the report describes. */
static uint64_t first_bad(uint64_t addr, size_t size)
{
	for (uint64_t a = addr; a < addr + size; a++) {
		int8_t *s = kasan_shadow(a);

		if (s && *s && (*s < 0 || (int8_t)(a & 7) >= *s))
			return a;
	}
	return addr;
}

static void header(const char *bug, uint64_t ip)
{
	uint64_t off;
	const char *fn = ksym_lookup(ip, &off);
	struct task *t = task_current();

	printk(LOG_EMERG, RULE);
	if (ktest_current())
		printk(LOG_EMERG, "ktest: FAIL %s: KASAN: %s\n", ktest_current(), bug);
	printk(LOG_EMERG, "BUG: KASAN: %s in %s+0x%lx\n", bug, fn ? fn : "?", off);
	if (t)
		printk(LOG_EMERG, "task: %s\n", task_name(t));
}

static void describe(uint64_t addr)
{
	struct frame_meta *f = kernel_addr_to_frame((const void *)addr);

	if (kasan_heap_describe(addr))
		return;
	if (f && (f->kind == FRAME_KIND_FREE || f->kind == FRAME_KIND_RESERVED))
		printk(LOG_EMERG, "The buggy address is in a free frame (pfn %lx)\n", frame_pfn(f));
	else if (f)
		printk(LOG_EMERG, "The buggy address is in frame %lx (kind %u)\n", frame_pfn(f), f->kind);
}

static __noreturn void finish(const char *bug)
{
	printk(LOG_EMERG, RULE);
	panic("KASAN: %s", bug);
}

__noreturn void kasan_report(uint64_t addr, size_t size, bool write, uint64_t ip)
{
	const char *bug = bug_kind(addr, size);

	arch_irq_save();
	header(bug, ip);
	printk(LOG_EMERG, "%s of size %lu at addr %016lx\n", write ? "Write" : "Read", size, addr);
	describe(first_bad(addr, size));
	finish(bug);
}

__noreturn void kasan_report_heap(const char *bug, const void *p, uint64_t ip)
{
	arch_irq_save();
	header(bug, ip);
	printk(LOG_EMERG, "kfree of address %016lx\n", (uint64_t)p);
	describe((uint64_t)p);
	finish(bug);
}
