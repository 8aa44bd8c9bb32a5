// SPDX-License-Identifier: MPL-2.0
// /proc/PID/maps and smaps in Linux's format (fs/proc/task_mmu.c): one
// line per mapping, "start-end perms offset major:minor inode", the name
// from column 74; smaps adds the memory figures of each mapping.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/procfs/internal.h"
#include "mm/vmar.h"

/* Where Linux starts the name: 25 + 6 * sizeof(void *) - 1 columns, then a blank. */
#define MAPS_NAME_COL	72

struct maps {
	struct vmar_map *m;
	size_t n;
};

static void maps_release(struct maps *s)
{
	for (size_t i = 0; i < s->n; i++)
		file_put(s->m[i].file);
	kfree(s->m);
}

/* A snapshot of p's mappings, growing the array until it holds them all. */
static int maps_take(struct process *p, struct maps *s)
{
	struct vmar *vm = process_vmar_get(p);
	size_t cap = 64;

	s->m = NULL;
	s->n = 0;
	if (!vm)
		return 0;
	for (;;) {
		size_t n;

		s->m = kcalloc(cap, sizeof(*s->m));
		if (!s->m) {
			vmar_put(vm);
			return -ENOMEM;
		}
		n = vmar_maps(vm, s->m, cap);
		s->n = MIN(n, cap);
		if (n <= cap)
			break;
		maps_release(s);
		cap = n + 16;
	}
	vmar_put(vm);
	return 0;
}

static void map_name(struct text *t, const struct vmar_map *m, char *path)
{
	int n;

	if (m->file) {
		n = file_path(m->file, path, PATH_MAX);
		if (n < 0)
			return;
		text_put(t, path, (size_t)MIN((size_t)n, (size_t)PATH_MAX));
	} else if (m->sysv) {
		text_add(t, "/SYSV%08x (deleted)", (uint32_t)m->sysv_key);
	} else if (m->shm) {
		text_add(t, "/dev/zero (deleted)");
	} else if (m->special) {
		text_add(t, "%s", m->special);
	} else if (m->heap) {
		text_add(t, "[heap]");
	} else if (m->stack) {
		text_add(t, "[stack]");
	}
}

static bool map_has_name(const struct vmar_map *m)
{
	return m->file || m->shm || m->special || m->heap || m->stack;
}

static void map_line(struct text *t, const struct vmar_map *m, char *path)
{
	struct inode *i = m->file ? m->file->inode : NULL;
	uint32_t dev = i ? i->sb->dev : 0;
	size_t start = t->len;

	text_add(t, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", (unsigned long)m->start,
		 (unsigned long)m->end, (m->prot & PROT_READ) ? 'r' : '-',
		 (m->prot & PROT_WRITE) ? 'w' : '-', (m->prot & PROT_EXEC) ? 'x' : '-',
		 m->shared ? 's' : 'p', (unsigned long)m->offset, MAJOR(dev), MINOR(dev),
		 i ? (unsigned long)i->ino : m->sysv ? (unsigned long)m->sysv_id : 0UL);
	if (map_has_name(m)) {
		size_t col = t->len - start;

		text_add(t, "%*s", col < MAPS_NAME_COL ? (int)(MAPS_NAME_COL - col) + 1 : 1, "");
		map_name(t, m, path);
	}
	text_add(t, "\n");
}

static void smaps_kb(struct text *t, const char *name, uint64_t bytes)
{
	text_add(t, "%s:%*s%8lu kB\n", name, (int)(15 - strlen(name)), "",
		 (unsigned long)(bytes / 1024));
}

static void smaps_flags(struct text *t, const struct vmar_map *m)
{
	text_add(t, "VmFlags: ");
	if (m->prot & PROT_READ)
		text_add(t, "rd ");
	if (m->prot & PROT_WRITE)
		text_add(t, "wr ");
	if (m->prot & PROT_EXEC)
		text_add(t, "ex ");
	if (m->shared)
		text_add(t, "sh ");
	text_add(t, "mr mw me ");
	if (m->shared)
		text_add(t, "ms ");
	if (m->stack)
		text_add(t, "gd ");
	if (m->locked)
		text_add(t, "lo ");
	if (!m->shared && (m->prot & PROT_WRITE))
		text_add(t, "ac ");
	text_add(t, "\n");
}

static void smaps_entry(struct text *t, const struct vmar_map *m, char *path)
{
	bool anon = !m->file && !m->shm;

	map_line(t, m, path);
	smaps_kb(t, "Size", m->end - m->start);
	smaps_kb(t, "KernelPageSize", PAGE_SIZE);
	smaps_kb(t, "MMUPageSize", PAGE_SIZE);
	smaps_kb(t, "Rss", m->rss);
	smaps_kb(t, "Pss", m->rss);
	smaps_kb(t, "Pss_Dirty", anon ? m->rss : 0);
	smaps_kb(t, "Shared_Clean", 0);
	smaps_kb(t, "Shared_Dirty", 0);
	smaps_kb(t, "Private_Clean", anon ? 0 : m->rss);
	smaps_kb(t, "Private_Dirty", anon ? m->rss : 0);
	smaps_kb(t, "Referenced", m->rss);
	smaps_kb(t, "Anonymous", anon ? m->rss : 0);
	static const char *const zero[] = {
		"LazyFree", "AnonHugePages", "ShmemPmdMapped", "FilePmdMapped", "Shared_Hugetlb",
		"Private_Hugetlb", "Swap", "SwapPss",
	};
	for (size_t i = 0; i < ARRAY_SIZE(zero); i++)
		smaps_kb(t, zero[i], 0);
	smaps_kb(t, "Locked", m->locked ? m->rss : 0);
	text_add(t, "THPeligible:    0\n");
	smaps_flags(t, m);
}

static int show(struct pnode *n, struct text *t, bool smaps)
{
	struct process *p = proc_process(n);
	struct maps s;
	char *path;
	int err;

	if (!p)
		return -ESRCH;
	err = maps_take(p, &s);
	process_put(p);
	if (err)
		return err;
	path = kmalloc(PATH_MAX);
	if (!path) {
		maps_release(&s);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s.n; i++) {
		if (smaps)
			smaps_entry(t, &s.m[i], path);
		else
			map_line(t, &s.m[i], path);
	}
	kfree(path);
	maps_release(&s);
	return 0;
}

int proc_show_maps(struct pnode *n, struct text *t)
{
	return show(n, t, false);
}

int proc_show_smaps(struct pnode *n, struct text *t)
{
	return show(n, t, true);
}
