// SPDX-License-Identifier: MPL-2.0
// The ELF body of a core dump, as Linux's fs/binfmt_elf.c writes it: the
// ELF header, one PT_NOTE (per thread NT_PRSTATUS and the FPU/xstate
// notes, then NT_PRPSINFO, NT_SIGINFO, NT_AUXV and NT_FILE) and one
// PT_LOAD per mapping, holding the pages coredump_filter selects (a
// mapping left out keeps its header with p_filesz 0).
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/timer.h>
#include <aster/wait.h>
#include "fs/file.h"
#include "mm/vmar.h"
#include "process/coredump.h"
#include "process/internal.h"
#include "process/ptrace.h"
#include "uapi/elf.h"
#include "uapi/elfcore.h"
#include "uapi/fcntl.h"
#include "uapi/stat.h"

_Static_assert(sizeof(struct k_elf64_ehdr) == 64, "Elf64_Ehdr");
_Static_assert(sizeof(struct k_elf64_phdr) == 56, "Elf64_Phdr");
_Static_assert(sizeof(struct k_elf_prstatus) == 336, "struct elf_prstatus");
_Static_assert(sizeof(struct k_elf_prpsinfo) == 136, "struct elf_prpsinfo");
_Static_assert(sizeof(((struct k_elf_prstatus *)0)->pr_reg) == USER_REGS_SIZE, "elf_gregset_t");

#define NOTE_FILE_MAX	(4u << 20)	/* NT_FILE's size limit, Linux's MAX_FILE_NOTE_SIZE */

static int emit(struct core_out *o, const void *buf, size_t len)
{
	const uint8_t *b = buf;

	if (o->err)
		return o->err;
	if (o->p->core_killed)
		return o->err = -EINTR;
	if (o->written + len > o->limit)
		return o->err = -EFBIG;
	while (len) {
		ssize_t n = kernel_write(o->f, o->pos, b, len);

		if (n <= 0)
			return o->err = n < 0 ? (int)n : -EIO;
		o->pos += (uint64_t)n;
		o->written += (uint64_t)n;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A hole: pages that read as zeros take no room (the file system keeps it sparse). */
static void skip_to(struct core_out *o, uint64_t pos)
{
	if (pos > o->pos)
		o->pos = pos;
}

/* The file ends after its last hole: one byte there gives it its size (Linux's to_skip). */
static int finish_size(struct core_out *o)
{
	static const uint8_t zero;

	if (o->err || file_size(o->f) >= o->pos)
		return o->err;
	o->pos--;
	return emit(o, &zero, 1);
}

/* ---- the notes ---- */

struct nbuf {
	uint8_t *b;
	size_t len, cap;
	int err;
};

static void nb_put(struct nbuf *nb, const void *data, size_t len)
{
	if (nb->err || !len)
		return;
	if (nb->len + len > nb->cap) {
		size_t cap = MAX(nb->cap * 2, nb->len + len + 4096);
		uint8_t *n = krealloc(nb->b, cap);

		if (!n) {
			nb->err = -ENOMEM;
			return;
		}
		nb->b = n;
		nb->cap = cap;
	}
	memcpy(nb->b + nb->len, data, len);
	nb->len += len;
}

static void nb_pad4(struct nbuf *nb)
{
	static const uint8_t zeros[4];

	nb_put(nb, zeros, ALIGN_UP(nb->len, 4) - nb->len);
}

/* One note: its header, name and description, each padded to 4 bytes. */
static void note(struct nbuf *nb, const char *name, uint32_t type, const void *desc, size_t len)
{
	struct k_elf64_nhdr h = {
		.n_namesz = (uint32_t)strlen(name) + 1, .n_descsz = (uint32_t)len, .n_type = type,
	};

	nb_put(nb, &h, sizeof(h));
	nb_put(nb, name, h.n_namesz);
	nb_pad4(nb);
	nb_put(nb, desc, len);
	nb_pad4(nb);
}

/* p->parent changes under the table lock (reparenting). */
static pid_t ppid_of(struct process *p)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	pid_t ppid = p->parent ? p->parent->pid : 0;

	spin_unlock_irqrestore(&process_table_lock, f);
	return ppid;
}

static struct k_timeval tv_of(uint64_t ns)
{
	return (struct k_timeval){ (int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000 / 1000) };
}

/* Linux's fill_prstatus: the group leader carries the whole process's times. */
static void prstatus_note(struct nbuf *nb, struct thread *t, int sig)
{
	struct process *p = t->proc;
	struct k_elf_prstatus *ps = kzalloc(sizeof(*ps));
	uint64_t ut, st;

	if (!ps) {
		nb->err = -ENOMEM;
		return;
	}
	ps->pr_info.si_signo = sig;
	ps->pr_cursig = (int16_t)sig;
	ps->pr_sigpend = t->pending;
	ps->pr_sighold = t->blocked;
	/* The dumper's pid namespace's numbers, as Linux's task_pid_vnr. */
	ps->pr_pid = pid_vnr(t->tid);
	ps->pr_ppid = pid_vnr(ppid_of(p));
	ps->pr_pgrp = pid_vnr(p->pgid);
	ps->pr_sid = pid_vnr(p->sid);
	if (t->tid == p->pid)
		process_times(p, &ut, &st);
	else
		thread_times(t, &ut, &st);
	ps->pr_utime = tv_of(ut);
	ps->pr_stime = tv_of(st);
	ps->pr_cutime = tv_of(p->cutime_ns);
	ps->pr_cstime = tv_of(p->cstime_ns);
	thread_user_regs(t, ps->pr_reg);
	ps->pr_fpvalid = 1;
	note(nb, "CORE", NT_PRSTATUS, ps, sizeof(*ps));
	kfree(ps);
}

/*
 * NT_PRFPREG (the FXSAVE image) and, with XSAVE, NT_X86_XSTATE: the whole
 * area, with XCR0 in the software bytes at 464 (Linux's xstate_fx_sw_bytes
 * for ptrace and core files; gdb reads it there).
 */
static void fpu_notes(struct nbuf *nb, struct thread *t)
{
	size_t size = user_fpu_state_size();
	uint64_t xcr0 = user_fpu_xfeatures();
	uint8_t *buf = kzalloc(MAX(size, (size_t)USER_FPREGS_SIZE));

	if (!buf) {
		nb->err = -ENOMEM;
		return;
	}
	user_fpu_save(&t->ctx, buf, size);
	memset(buf + 464, 0, USER_FPREGS_SIZE - 464);
	note(nb, "CORE", NT_PRFPREG, buf, USER_FPREGS_SIZE);
	if (xcr0 && size > USER_FPREGS_SIZE) {
		memcpy(buf + 464, &xcr0, sizeof(xcr0));
		note(nb, "LINUX", NT_X86_XSTATE, buf, size);
	}
	kfree(buf);
}

/* Linux's fill_psinfo: the command line with its NULs as blanks. */
static void prpsinfo_note(struct nbuf *nb, struct process *p, struct vmar *v)
{
	struct k_elf_prpsinfo ps;
	struct proc_task_info info;
	uint64_t len = p->arg_end > p->arg_start ? p->arg_end - p->arg_start : 0;
	long n = 0;

	memset(&ps, 0, sizeof(ps));
	len = MIN(len, sizeof(ps.pr_psargs) - 1);
	if (len)
		n = vmar_read(v, p->arg_start, ps.pr_psargs, len);
	for (long i = 0; i < n; i++)
		if (!ps.pr_psargs[i])
			ps.pr_psargs[i] = ' ';
	if (n > 0)
		ps.pr_psargs[n] = 0;
	/* The dumper runs: state 0, "R" (Linux reads the group leader's state, running here too). */
	ps.pr_state = 0;
	ps.pr_sname = 'R';
	if (process_task_info(p, 0, &info) == 0)
		ps.pr_nice = (char)info.nice;
	ps.pr_uid = p->cred.uid;
	ps.pr_gid = p->cred.gid;
	ps.pr_pid = pid_vnr(p->pid);
	ps.pr_ppid = pid_vnr(ppid_of(p));
	ps.pr_pgrp = pid_vnr(p->pgid);
	ps.pr_sid = pid_vnr(p->sid);
	memcpy(ps.pr_fname, p->comm, sizeof(ps.pr_fname));
	ps.pr_fname[sizeof(ps.pr_fname) - 1] = 0;
	note(nb, "CORE", NT_PRPSINFO, &ps, sizeof(ps));
}

/*
 * NT_FILE: count, page size, (start, end, offset in pages) per file
 * mapping, then their paths; a mapping whose path cannot be had is left
 * out, as in Linux's fill_files_note.
 */
static void files_note(struct nbuf *nb, const struct vmar_map *maps, size_t n)
{
	struct nbuf body = { 0 }, names = { 0 };
	char *path = kmalloc(PATH_MAX);
	uint64_t count = 0, hdr[2];

	if (!path) {
		nb->err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t e[3] = { maps[i].start, maps[i].end, maps[i].offset / PAGE_SIZE };
		int len;

		if (!maps[i].file)
			continue;
		len = file_path(maps[i].file, path, PATH_MAX);
		if (len < 0)
			continue;
		if (body.len + names.len + (size_t)len + 40 > NOTE_FILE_MAX)
			break;
		nb_put(&body, e, sizeof(e));
		nb_put(&names, path, (size_t)len);
		nb_put(&names, "", 1);
		count++;
	}
	kfree(path);
	hdr[0] = count;
	hdr[1] = PAGE_SIZE;
	nb_put(&body, names.b, names.len);
	if (body.err || names.err) {
		nb->err = -ENOMEM;
	} else {
		struct nbuf all = { 0 };

		nb_put(&all, hdr, sizeof(hdr));
		nb_put(&all, body.b, body.len);
		if (all.err)
			nb->err = all.err;
		else
			note(nb, "CORE", NT_FILE, all.b, all.len);
		kfree(all.b);
	}
	kfree(body.b);
	kfree(names.b);
}

/* Every thread of p, the dumper first: they all wait for us, so the list holds still. */
static size_t collect_threads(struct process *p, struct thread *self, struct thread **out, size_t max)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	struct thread *it;
	size_t n = 0;

	out[n++] = self;
	list_for_each_entry(it, &p->threads, proc_node)
		if (it != self && n < max)
			out[n++] = it;
	spin_unlock_irqrestore(&process_table_lock, f);
	return n;
}

/* Linux's write_note_info order: the dumper's status, the process notes, its FPU, then each thread's. */
static int build_notes(struct nbuf *nb, struct thread *self, int sig, const struct k_siginfo *info,
		       struct vmar *v, const struct vmar_map *maps, size_t nmaps)
{
	struct process *p = self->proc;
	size_t max = p->nr_threads + 1, n;
	struct thread **th = kcalloc(max, sizeof(*th));

	if (!th)
		return -ENOMEM;
	n = collect_threads(p, self, th, max);
	prstatus_note(nb, self, sig);
	prpsinfo_note(nb, p, v);
	note(nb, "CORE", NT_SIGINFO, info, sizeof(*info));
	note(nb, "CORE", NT_AUXV, p->saved_auxv, p->saved_auxv_words * 8);
	files_note(nb, maps, nmaps);
	fpu_notes(nb, self);
	for (size_t i = 1; i < n; i++) {
		prstatus_note(nb, th[i], sig);
		fpu_notes(nb, th[i]);
	}
	kfree(th);
	return nb->err;
}

/* ---- the mappings ---- */

static bool filter_has(uint32_t filter, int bit)
{
	return filter & (1u << bit);
}

/* The start of an executable or an ELF file: its first page (MMF_DUMP_ELF_HEADERS). */
static bool file_head_is_elf(struct file *f)
{
	uint32_t mode, uid, gid;
	uint8_t magic[4];

	if (file_stat_ids(f, &mode, &uid, &gid) == 0 && (mode & 0111))
		return true;
	return kernel_read(f, 0, magic, 4) == 4 && magic[0] == 0x7f && magic[1] == 'E' &&
	       magic[2] == 'L' && magic[3] == 'F';
}

/* Linux's vma_dump_size: how much of the mapping goes into the file. */
static uint64_t dump_size(const struct vmar_map *m, uint32_t filter)
{
	uint64_t whole = m->end - m->start;

	if (m->special)
		return whole;		/* the vDSO always, as Linux's always_dump_vma */
	if (m->dontdump)
		return 0;
	if (m->shared)
		return filter_has(filter, m->shm ? MMF_DUMP_ANON_SHARED : MMF_DUMP_MAPPED_SHARED) ? whole : 0;
	if (m->anon && filter_has(filter, MMF_DUMP_ANON_PRIVATE))
		return whole;
	if (!m->file)
		return 0;
	if (filter_has(filter, MMF_DUMP_MAPPED_PRIVATE))
		return whole;
	if (filter_has(filter, MMF_DUMP_ELF_HEADERS) && m->offset == 0 && (m->prot & PROT_READ) &&
	    file_head_is_elf(m->file))
		return PAGE_SIZE;
	return 0;
}

static uint32_t phdr_flags(unsigned int prot)
{
	return ((prot & PROT_READ) ? PF_R : 0) | ((prot & PROT_WRITE) ? PF_W : 0) |
	       ((prot & PROT_EXEC) ? PF_X : 0);
}

/*
 * The pages of one mapping: present ones are written, the rest are holes.
 * Private anonymous pages never touched are zeros; file, shared and
 * special pages are brought in as a debugger's read would (Linux's
 * get_dump_page), and what cannot be read (PROT_NONE, past the end of the
 * file) is a hole.
 */
static int dump_pages(struct core_out *o, struct vmar *v, const struct vmar_map *m, uint64_t size,
		      uint8_t *page)
{
	bool may_fault = m->file || m->shm || m->special;

	for (uint64_t a = m->start; a < m->start + size && !o->err; a += PAGE_SIZE) {
		long n = vmar_read(v, a, page, PAGE_SIZE);

		if (n != PAGE_SIZE && may_fault)
			n = vmar_access(v, a, page, PAGE_SIZE, false, true);
		if (n == PAGE_SIZE)
			(void)emit(o, page, PAGE_SIZE);
		else
			skip_to(o, o->pos + PAGE_SIZE);
	}
	return o->err;
}

static size_t snapshot_maps(struct vmar *v, struct vmar_map **out)
{
	size_t n = vmar_maps(v, NULL, 0);
	struct vmar_map *maps = kcalloc(n ? n : 1, sizeof(*maps));

	*out = maps;
	if (!maps)
		return 0;
	/* The other threads are parked: the mappings cannot change under us. */
	return MIN(vmar_maps(v, maps, n), n);
}

static void maps_free(struct vmar_map *maps, size_t n)
{
	for (size_t i = 0; maps && i < n; i++)
		if (maps[i].file)
			file_put(maps[i].file);
	kfree(maps);
}

/*
 * The ELF header, the program headers, the notes, then each mapping's
 * pages.  -errno when the notes could not be gathered; a failed write
 * (the disk full, RLIMIT_CORE reached, SIGKILL) is in o->err instead:
 * Linux's elf_core_dump reports a dump once it has its notes, whatever
 * the writes do next.
 */
int coredump_write_elf(struct core_out *o, struct thread *t, int sig, const struct k_siginfo *info)
{
	struct process *p = t->proc;
	struct vmar *v = p->vmar;
	struct vmar_map *maps;
	size_t n = snapshot_maps(v, &maps);
	struct nbuf nb = { 0 };
	struct k_elf64_ehdr eh;
	struct k_elf64_phdr *ph = NULL;
	uint64_t *sizes = NULL, off;
	uint8_t *page = NULL;
	int err;

	if (!maps)
		return -ENOMEM;
	/*
	 * More program headers than e_phnum holds needs Linux's PN_XNUM
	 * extended numbering (a section header), which we do not write:
	 * no core then.  Linux's default max_map_count (65530) stays below.
	 */
	if (n + 1 >= PN_XNUM) {
		maps_free(maps, n);
		return -E2BIG;
	}
	err = build_notes(&nb, t, sig, info, v, maps, n);
	ph = kcalloc(n + 1, sizeof(*ph));
	sizes = kcalloc(n ? n : 1, sizeof(*sizes));
	page = kmalloc(PAGE_SIZE);
	if (!err && (!ph || !sizes || !page))
		err = -ENOMEM;
	if (err)
		goto out;
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, "\177ELF", 4);
	eh.e_ident[4] = ELFCLASS64;
	eh.e_ident[5] = ELFDATA2LSB;
	eh.e_ident[6] = EV_CURRENT;
	eh.e_ident[7] = ELFOSABI_NONE;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(*ph);
	eh.e_phnum = (uint16_t)(n + 1);
	off = sizeof(eh) + (n + 1) * sizeof(*ph);
	ph[0] = (struct k_elf64_phdr){ .p_type = PT_NOTE, .p_offset = off, .p_filesz = nb.len, .p_align = 4 };
	off = ALIGN_UP(off + nb.len, PAGE_SIZE);
	for (size_t i = 0; i < n; i++) {
		sizes[i] = dump_size(&maps[i], p->coredump_filter);
		ph[i + 1] = (struct k_elf64_phdr){
			.p_type = PT_LOAD, .p_flags = phdr_flags(maps[i].prot), .p_offset = off,
			.p_vaddr = maps[i].start, .p_filesz = sizes[i],
			.p_memsz = maps[i].end - maps[i].start, .p_align = PAGE_SIZE,
		};
		off += sizes[i];
	}
	(void)emit(o, &eh, sizeof(eh));
	(void)emit(o, ph, (n + 1) * sizeof(*ph));
	(void)emit(o, nb.b, nb.len);
	for (size_t i = 0; i < n && !o->err; i++) {
		skip_to(o, ph[i + 1].p_offset);
		(void)dump_pages(o, v, &maps[i], sizes[i], page);
	}
	(void)finish_size(o);
out:
	kfree(page);
	kfree(sizes);
	kfree(ph);
	kfree(nb.b);
	maps_free(maps, n);
	return err;
}
