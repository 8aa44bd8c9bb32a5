// SPDX-License-Identifier: MPL-2.0
// execve: replace the calling process's program.  ELF executables (static,
// static-PIE, dynamic with PT_INTERP) and #! scripts; the new address space
// is built completely before the old one is dropped, so a failed exec
// returns an error to a program that is still intact.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/uaccess.h>
#include <aster/user.h>
#include "exec/elf.h"
#include "fs/file.h"
#include "fs/random.h"
#include "fs/vfs.h"
#include "mm/vmar.h"
#include "process/futex.h"
#include "process/internal.h"
#include "syscall/syscall.h"
#include "uapi/fcntl.h"
#include "uapi/limits.h"
#include "uapi/binfmts.h"
#include "uapi/auxvec.h"

#define ARGS_MAX		(2 * 1024 * 1024)	/* a quarter of the 8 MiB stack */
#define MAX_SCRIPT_DEPTH	4
#define HEAD_MAX		4096

#define STACK_TOP		0x7ffffffff000ULL
#define STACK_SIZE		MiB(8)
#define ET_DYN_BASE		0x555555554000ULL

/*
 * CPUID.1:EDX bits every x86-64 processor has (the psABI baseline): FPU,
 * TSC, MSR, PAE, CX8, APIC, SEP, PGE, CMOV, PAT, CLFLUSH, MMX, FXSR, SSE, SSE2.
 */
#define HWCAP_X86_64_BASELINE	0x0789a371U

/* argv then envp strings, NUL-separated, in one buffer. */
struct exec_args {
	char *buf;
	size_t len, cap;
	uint32_t argc, envc;
};

static int args_append(struct exec_args *ea, const char *s, size_t n)
{
	if (ea->len + n + 1 > ARGS_MAX)
		return -E2BIG;
	if (ea->len + n + 1 > ea->cap) {
		size_t cap = MAX(ea->cap * 2, ALIGN_UP(ea->len + n + 1, 4096));
		char *nb = krealloc(ea->buf, cap);

		if (!nb)
			return -ENOMEM;
		ea->buf = nb;
		ea->cap = cap;
	}
	memcpy(ea->buf + ea->len, s, n);
	ea->buf[ea->len + n] = '\0';
	ea->len += n + 1;
	return 0;
}

/* Copy a NULL-terminated user array of strings. */
static int args_from_user(struct exec_args *ea, uaddr_t vec, uint32_t *count)
{
	char *tmp;
	int err = 0;

	*count = 0;
	if (!vec)
		return 0;
	tmp = kmalloc(MAX_ARG_STRLEN);
	if (!tmp)
		return -ENOMEM;
	for (;;) {
		uint64_t sp;
		long n;

		if (get_user_u64(&sp, vec + (uint64_t)*count * 8)) {
			err = -EFAULT;
			break;
		}
		if (!sp)
			break;
		n = strncpy_from_user(tmp, sp, MAX_ARG_STRLEN);
		if (n < 0) {
			err = n == -ENAMETOOLONG ? -E2BIG : (int)n;
			break;
		}
		err = args_append(ea, tmp, (size_t)n);
		if (err)
			break;
		(*count)++;
	}
	kfree(tmp);
	return err;
}

static int args_from_kernel(struct exec_args *ea, const char *const vec[], uint32_t *count)
{
	*count = 0;
	for (; vec && vec[*count]; (*count)++) {
		int err = args_append(ea, vec[*count], strlen(vec[*count]));

		if (err)
			return err;
	}
	return 0;
}

/* The i-th string and where the next one starts. */
static const char *args_next(const struct exec_args *ea, size_t *pos)
{
	const char *s = ea->buf + *pos;

	*pos += strlen(s) + 1;
	return s;
}

/* What loading found out, for the stack and the registers. */
struct load_info {
	uint64_t entry;		/* where user mode starts (the interpreter's entry if any) */
	uint64_t prog_entry;	/* the program's own entry (AT_ENTRY) */
	uint64_t phdr, phent, phnum;
	uint64_t interp_base;
	uint64_t brk;
};

static int read_head(struct file *f, uint8_t *buf, size_t *len)
{
	ssize_t n = kernel_read(f, 0, buf, HEAD_MAX);

	if (n < 0)
		return (int)n;
	*len = (size_t)n;
	return 0;
}

/* vfs_open_exec only opens regular files, which always have an inode. */
static uint64_t file_size_of(struct file *f)
{
	return f->inode ? f->inode->size : 0;
}

static int prot_of(uint32_t pf)
{
	return ((pf & PF_R) ? PROT_READ : 0) | ((pf & PF_W) ? PROT_WRITE : 0) |
	       ((pf & PF_X) ? PROT_EXEC : 0);
}

/* Map one PT_LOAD segment at bias. */
static int map_segment(struct vmar *vm, struct file *f, const struct elf_segment *s, uint64_t bias)
{
	uint64_t start = bias + s->vaddr, page = ALIGN_DOWN(start, PAGE_SIZE);
	uint64_t file_end = start + s->filesz, mem_end = start + s->memsz;
	uint64_t map_end = ALIGN_UP(file_end, PAGE_SIZE);
	int prot = prot_of(s->flags);
	uaddr_t out;
	int err;

	if ((s->vaddr - s->offset) % PAGE_SIZE)
		return -EINVAL;
	if (s->filesz) {
		err = vmar_mmap(vm, page, map_end - page, prot, MAP_PRIVATE | MAP_FIXED, f,
				s->offset - (start - page), &out);
		if (err)
			return err;
		/*
		 * The rest of the last file page belongs to .bss: zero all of it,
		 * as Linux does (ld.so's early allocator uses what lies past _end).
		 */
		if (s->memsz > s->filesz && (file_end % PAGE_SIZE)) {
			size_t n = map_end - file_end;

			if (!(prot & PROT_WRITE))
				(void)vmar_mprotect(vm, ALIGN_DOWN(file_end, PAGE_SIZE), PAGE_SIZE, prot | PROT_WRITE);
			err = clear_user(file_end, n);
			if (!(prot & PROT_WRITE))
				(void)vmar_mprotect(vm, ALIGN_DOWN(file_end, PAGE_SIZE), PAGE_SIZE, prot);
			if (err)
				return -EFAULT;
		}
	} else {
		map_end = page;
	}
	if (ALIGN_UP(mem_end, PAGE_SIZE) > map_end) {
		err = vmar_mmap(vm, map_end, ALIGN_UP(mem_end, PAGE_SIZE) - map_end, prot,
				MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, NULL, 0, &out);
		if (err)
			return err;
	}
	return 0;
}

/* Map an ELF image; *bias is where it went (0 for fixed-address executables). */
static int load_elf(struct vmar *vm, struct file *f, const struct elf_info *ei, bool is_interp,
		    uint64_t *bias_out)
{
	uint64_t span = ALIGN_UP(ei->highest_vaddr, PAGE_SIZE) - ei->lowest_vaddr;
	uint64_t bias = 0;
	int err;

	if (ei->is_dyn) {
		uaddr_t base;

		/* Reserve the whole span so the segments keep their distances. */
		err = vmar_mmap(vm, is_interp ? 0 : ET_DYN_BASE, span, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS | (is_interp ? 0 : MAP_FIXED), NULL, 0, &base);
		if (err)
			return err;
		bias = base - ei->lowest_vaddr;
	}
	for (unsigned int i = 0; i < ei->nseg; i++) {
		err = map_segment(vm, f, &ei->seg[i], bias);
		if (err)
			return err;
	}
	*bias_out = bias;
	return 0;
}

static int parse_file(struct file *f, uint8_t *head, size_t len, struct elf_info *ei)
{
	return elf_parse(head, len, file_size_of(f), ei);
}

static int load_interp(struct vmar *vm, struct file *f, const struct elf_info *ei, uint8_t *head,
		       struct load_info *li)
{
	char path[ELF_INTERP_MAX + 1];
	struct elf_info *iei;
	struct file *interp;
	size_t len = 0;
	uint64_t bias = 0;
	int err;

	if (ei->interp_len == 0 || ei->interp_len > ELF_INTERP_MAX)
		return -ENOEXEC;
	if (kernel_read(f, ei->interp_offset, path, ei->interp_len) != (ssize_t)ei->interp_len)
		return -EIO;
	path[ei->interp_len] = '\0';
	if (strlen(path) + 1 != ei->interp_len && strlen(path) + 1 > ei->interp_len)
		return -ENOEXEC;
	err = vfs_open_exec(AT_FDCWD, path, 0, &interp);
	if (err)
		return err;
	iei = kmalloc(sizeof(*iei));
	err = iei ? read_head(interp, head, &len) : -ENOMEM;
	if (!err)
		err = parse_file(interp, head, len, iei);
	if (!err && iei->has_interp)
		err = -ENOEXEC;
	if (!err)
		err = load_elf(vm, interp, iei, true, &bias);
	file_put(interp);
	if (!err) {
		li->interp_base = bias + iei->lowest_vaddr;
		li->entry = bias + iei->entry;
	}
	kfree(iei);
	return err;
}

/* Build the new address space for an ELF file. */
static int load_program(struct vmar *vm, struct file *f, uint8_t *head, size_t len, struct load_info *li)
{
	struct elf_info *ei = kmalloc(sizeof(*ei));
	uint64_t bias = 0;
	int err = ei ? parse_file(f, head, len, ei) : -ENOMEM;

	if (!err)
		err = load_elf(vm, f, ei, false, &bias);
	if (!err) {
		li->prog_entry = bias + ei->entry;
		li->entry = li->prog_entry;
		li->phdr = ei->phdr_vaddr ? bias + ei->phdr_vaddr : 0;
		li->phent = ei->phentsize;
		li->phnum = ei->phnum;
		li->interp_base = 0;
		li->brk = ALIGN_UP(bias + ei->highest_vaddr, PAGE_SIZE);
		if (ei->has_interp)
			err = load_interp(vm, f, ei, head, li);
	}
	kfree(ei);
	return err;
}

/* Push the strings and vectors of the Linux initial stack; *sp_out is the new rsp. */
static int build_stack(struct vmar *vm, const struct exec_args *ea, const char *execfn,
		       const struct load_info *li, const struct cred *cred, uint64_t *sp_out,
		       struct process *p)
{
	static const char platform[] = "x86_64";
	uint64_t sp = STACK_TOP, strings, execfn_ua, platform_ua, random_ua, vec;
	uint64_t nvec, *v;
	uint8_t rnd[16];
	size_t pos = 0, i = 0;
	uaddr_t out;
	int err;

	err = vmar_mmap(vm, STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, NULL, 0, &out);
	if (err)
		return err;
	sp -= 8;				/* end marker */
	sp -= strlen(execfn) + 1;
	execfn_ua = sp;
	if (copy_to_user(execfn_ua, execfn, strlen(execfn) + 1))
		return -EFAULT;
	sp -= ea->len;
	strings = sp;
	if (copy_to_user(strings, ea->buf, ea->len))
		return -EFAULT;
	sp -= sizeof(platform);
	platform_ua = sp;
	if (copy_to_user(platform_ua, platform, sizeof(platform)))
		return -EFAULT;
	get_random_bytes(rnd, sizeof(rnd));
	sp -= sizeof(rnd);
	random_ua = sp;
	if (copy_to_user(random_ua, rnd, sizeof(rnd)))
		return -EFAULT;

	nvec = 1 + ea->argc + 1 + ea->envc + 1 + 2 * 20;
	v = kcalloc(nvec, sizeof(uint64_t));
	if (!v)
		return -ENOMEM;
	v[i++] = ea->argc;
	for (uint32_t k = 0; k < ea->argc + ea->envc; k++) {
		if (k == ea->argc) {
			v[i++] = 0;
			p->arg_end = strings + pos;
		}
		v[i++] = strings + pos;
		(void)args_next(ea, &pos);
	}
	if (ea->envc == 0) {
		v[i++] = 0;		/* argv's NULL: the loop above only ends argv before an envp */
		p->arg_end = strings + pos;
	}
	v[i++] = 0;
#define AUX(t, val) do { v[i++] = (t); v[i++] = (val); } while (0)
	AUX(AT_HWCAP, HWCAP_X86_64_BASELINE);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PHDR, li->phdr);
	AUX(AT_PHENT, li->phent);
	AUX(AT_PHNUM, li->phnum);
	AUX(AT_BASE, li->interp_base);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, li->prog_entry);
	AUX(AT_UID, cred->uid);
	AUX(AT_EUID, cred->euid);
	AUX(AT_GID, cred->gid);
	AUX(AT_EGID, cred->egid);
	AUX(AT_SECURE, cred->uid != cred->euid || cred->gid != cred->egid);
	AUX(AT_RANDOM, random_ua);
	AUX(AT_HWCAP2, 0);
	AUX(AT_EXECFN, execfn_ua);
	AUX(AT_PLATFORM, platform_ua);
	AUX(AT_MINSIGSTKSZ, MINSIGSTKSZ);
	AUX(AT_NULL, 0);
#undef AUX
	vec = ALIGN_DOWN(sp - i * 8, 16);
	err = copy_to_user(vec, v, i * 8) ? -EFAULT : 0;
	kfree(v);
	if (err)
		return err;
	p->arg_start = strings;
	p->env_start = p->arg_end;
	p->env_end = strings + ea->len;
	*sp_out = vec;
	return 0;
}

/* argv[0] and the #! line's interpreter and argument take the script's place. */
static int apply_script(struct exec_args *ea, const uint8_t *head, size_t len, const char *path,
			char *interp, size_t interp_size)
{
	char line[BINPRM_BUF_SIZE];
	struct exec_args na = { 0 };
	size_t n = MIN(len, sizeof(line) - 1), pos = 0;
	char *s, *arg = NULL, *end;
	int err;

	memcpy(line, head, n);
	line[n] = '\0';
	end = strchr(line, '\n');
	if (!end) {
		if (len >= sizeof(line) - 1)
			return -ENOEXEC;	/* the #! line is too long */
		end = line + n;
	}
	*end = '\0';
	s = line + 2;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return -ENOEXEC;
	for (char *q = s; *q; q++)
		if (*q == ' ' || *q == '\t') {
			*q++ = '\0';
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q)
				arg = q;
			break;
		}
	if (arg) {
		/* The argument is everything after the first blank, trailing blanks cut. */
		size_t al = strlen(arg);

		while (al && (arg[al - 1] == ' ' || arg[al - 1] == '\t'))
			arg[--al] = '\0';
	}
	if (strlcpy(interp, s, interp_size) >= interp_size)
		return -ENAMETOOLONG;
	err = args_append(&na, s, strlen(s));
	if (!err && arg)
		err = args_append(&na, arg, strlen(arg));
	if (!err)
		err = args_append(&na, path, strlen(path));
	na.argc = arg ? 3 : 2;
	if (ea->argc)
		(void)args_next(ea, &pos);	/* drop the old argv[0] */
	for (uint32_t k = 1; !err && k < ea->argc + ea->envc; k++) {
		const char *a = args_next(ea, &pos);

		err = args_append(&na, a, strlen(a));
	}
	if (err) {
		kfree(na.buf);
		return err;
	}
	na.argc += ea->argc ? ea->argc - 1 : 0;
	na.envc = ea->envc;
	kfree(ea->buf);
	*ea = na;
	return 0;
}

static void set_comm(struct process *p, const char *path)
{
	const char *base = path;

	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	strlcpy(p->comm, base, sizeof(p->comm));
}

/* After the point of no return: the process takes on its new program. */
static void commit_exec(struct thread *t, struct vmar *vm, const struct load_info *li, uint64_t sp,
			struct file *f, const char *path)
{
	struct process *p = t->proc;
	struct vmar *old = p->vmar;
	char *exe = kmalloc(PATH_MAX);

	(void)old;
	vmar_set_brk_base(vm, li->brk);
	fd_table_close_on_exec(p->files);
	for (int i = 0; i < NSIG; i++)
		if (p->sigactions[i].handler != SIG_IGN)
			p->sigactions[i] = (struct k_sigaction){ 0 };
	t->altstack_sp = t->altstack_size = 0;
	t->altstack_flags = 0;
	set_comm(p, path);
	if (exe && file_path(f, exe, PATH_MAX) >= 0) {
		kfree(p->exe_path);
		p->exe_path = exe;
	} else {
		kfree(exe);
	}
	user_context_init(&t->ctx);
	t->ctx.regs.rip = li->entry;
	t->ctx.regs.rsp = sp;
	t->in_syscall = false;
	p->exec_done = true;
	p->not_dumpable = false;
	p->membarrier_registered = 0;	/* registrations belong to the old mm */
	posix_timers_delete_all(p);	/* POSIX: timers do not survive exec */	/* dumpable again, as Linux after a non-set-id exec */
	vfork_release(p);
}

static bool only_thread_left(void *arg)
{
	struct process *p = arg;

	return p->nr_threads == 1;
}

/*
 * exec in a multithreaded process: every other thread ends (killed, but
 * without ending the process) before the program is replaced, and the
 * caller takes over the process's pid as its tid.  -EAGAIN if the process
 * is already ending or another thread is execing; -EINTR on a fatal signal.
 */
static int de_thread(struct thread *t)
{
	struct process *p = t->proc;
	struct thread *o;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	int err;

	if (p->exiting || p->exec_thread) {
		spin_unlock_irqrestore(&process_table_lock, f);
		return -EAGAIN;
	}
	if (p->nr_threads == 1) {
		spin_unlock_irqrestore(&process_table_lock, f);
		return 0;
	}
	p->exec_thread = t;
	list_for_each_entry(o, &p->threads, proc_node) {
		if (o == t)
			continue;
		o->pending |= sigbit(SIGKILL);
		thread_kick(o);
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	err = wait_killable(&p->threads_gone, only_thread_left, p);
	f = spin_lock_irqsave(&process_table_lock);
	p->exec_thread = NULL;
	if (!err)
		t->tid = p->pid;
	spin_unlock_irqrestore(&process_table_lock, f);
	return err;
}

/*
 * The old program's view of this thread ends: its robust futexes are
 * released and its clear_child_tid word cleared (a CLONE_VM parent may be
 * waiting on it), while the old address space is still the active one.
 */
static void exec_release_thread_memory(struct thread *t)
{
	futex_exit_robust_list(t);
	if (t->clear_child_tid) {
		(void)put_user_u32(t->clear_child_tid, 0);
		futex_wake_addr(t->clear_child_tid, 1);
		t->clear_child_tid = 0;
	}
}

/* Replace the current program: 0 (the thread now starts the new one) or -errno. */
static int exec_core(int dirfd, const char *path, int at_flags, struct exec_args *ea)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;
	char *interp = kmalloc(PATH_MAX), *cur = kmalloc(PATH_MAX);
	uint8_t *head = kmalloc(HEAD_MAX);
	struct vmar *vm = NULL, *old = p->vmar;
	struct load_info li;
	struct file *f = NULL;
	size_t len = 0;
	uint64_t sp;
	int err = (!interp || !cur || !head) ? -ENOMEM : 0;

	if (!err && strlcpy(cur, path, PATH_MAX) >= PATH_MAX)
		err = -ENAMETOOLONG;
	for (int depth = 0; !err; depth++) {
		err = vfs_open_exec(depth ? AT_FDCWD : dirfd, cur, depth ? 0 : at_flags, &f);
		if (!err)
			err = read_head(f, head, &len);
		if (err || len < 2 || head[0] != '#' || head[1] != '!')
			break;
		if (depth >= MAX_SCRIPT_DEPTH) {
			err = -ELOOP;
			break;
		}
		err = apply_script(ea, head, len, cur, interp, PATH_MAX);
		file_put(f);
		f = NULL;
		if (!err)
			strlcpy(cur, interp, PATH_MAX);
	}
	if (!err)
		err = de_thread(t);
	if (!err)
		err = vmar_create(&vm);
	if (!err) {
		vmar_set_rlimits(vm, p->rlimits[RLIMIT_AS].cur, p->rlimits[RLIMIT_DATA].cur);
		exec_release_thread_memory(t);
		/* Build in the new space: user copies and faults go to p->vmar. */
		file_deny_write(f);
		p->vmar = vm;
		task_set_vm_space(task_current(), vmar_space(vm));
		err = load_program(vm, f, head, len, &li);
		if (!err)
			err = build_stack(vm, ea, path, &li, &p->cred, &sp, p);
		if (err) {
			p->vmar = old;
			task_set_vm_space(task_current(), vmar_space(old));
			vmar_put(vm);
			file_allow_write(f);
		} else {
			commit_exec(t, vm, &li, sp, f, path);
			vmar_put(old);
		}
	}
	if (f)
		file_put(f);
	kfree(interp);
	kfree(cur);
	kfree(head);
	return err;
}

int do_execve(int dirfd, const char *path, uint64_t argv_ua, uint64_t envp_ua, int flags)
{
	struct exec_args ea = { 0 };
	int err = args_from_user(&ea, argv_ua, &ea.argc);

	if (!err)
		err = args_from_user(&ea, envp_ua, &ea.envc);
	if (!err)
		err = exec_core(dirfd, path, flags, &ea);
	kfree(ea.buf);
	return err;
}

int exec_first(const char *path, const char *const argv[], const char *const envp[])
{
	struct exec_args ea = { 0 };
	int err = args_from_kernel(&ea, argv, &ea.argc);

	if (!err)
		err = args_from_kernel(&ea, envp, &ea.envc);
	if (!err)
		err = exec_core(AT_FDCWD, path, 0, &ea);
	kfree(ea.buf);
	return err;
}

static long execve_common(int dirfd, uaddr_t path_ua, uaddr_t argv, uaddr_t envp, int flags)
{
	char *path = kmalloc(PATH_MAX);
	long n, err;

	if (!path)
		return -ENOMEM;
	n = strncpy_from_user(path, path_ua, PATH_MAX);
	if (n < 0)
		err = n;
	else if (n == 0 && !(flags & AT_EMPTY_PATH))
		err = -ENOENT;
	else
		err = do_execve(dirfd, path, argv, envp, flags);
	kfree(path);
	return err;
}

long sys_execve(const struct syscall_args *a)
{
	return execve_common(AT_FDCWD, a->a[0], a->a[1], a->a[2], 0);
}

long sys_execveat(const struct syscall_args *a)
{
	int flags = (int)a->a[4];

	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	return execve_common((int)a->a[0], a->a[1], a->a[2], a->a[3], flags);
}
