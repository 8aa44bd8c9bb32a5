/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Loading a program for execve, by binary format (Linux's linux_binprm and
 * binfmt_*): the argument strings, the #! script format, the ELF format
 * (the executable and its interpreter) and the initial user stack.  All of
 * it builds into a new address space that the caller then commits
 * (kernel/process/exec.c: de-threading, the point of no return).
 *
 *	struct exec_args ea = { 0 };
 *	err = exec_args_from_user(&ea, argv_ua, &ea.argc);	(-E2BIG, -EFAULT, -ENOMEM)
 *	err = exec_read_head(f, head, &len);
 *	if (script_detect(head, len))
 *		err = script_apply(&ea, head, len, path, interp, PATH_MAX);
 *	err = elf_load_program(vm, f, head, len, &li);		(-ENOEXEC, -EINVAL, -ENOMEM...)
 *	err = vdso_map(vm, &li.vdso_base);
 *	err = exec_build_stack(vm, &ea, path, &li, cred, &st);
 *	exec_args_free(&ea);
 *
 * Every call returns 0 or a negative errno and leaves nothing half done
 * that the caller's dropping the new address space would not undo.
 */
#ifndef KERNEL_EXEC_BINPRM_H
#define KERNEL_EXEC_BINPRM_H
#include <aster/types.h>
#include <aster/uaccess.h>
#include "fs/file.h"
#include "mm/vmar.h"
#include "process/process.h"

/* argv then envp strings, NUL-separated, in one buffer. */
struct exec_args {
	char *buf;
	size_t len, cap;
	uint32_t argc, envc;
};

/* Append one string (not counted in argc/envc): 0, -E2BIG or -ENOMEM. */
int exec_args_append(struct exec_args *ea, const char *s, size_t n);
/* Copy a NULL-terminated array of strings; *count is how many. */
int exec_args_from_user(struct exec_args *ea, uaddr_t vec, uint32_t *count);
int exec_args_from_kernel(struct exec_args *ea, const char *const vec[], uint32_t *count);
/* The string at *pos; *pos moves to the next one. */
const char *exec_args_next(const struct exec_args *ea, size_t *pos);
void exec_args_free(struct exec_args *ea);

/* The first bytes of the file, enough for any format's header. */
#define EXEC_HEAD_MAX	4096
int exec_read_head(struct file *f, uint8_t *buf, size_t *len);

/* #! scripts: an interpreter may be a script itself, this many times. */
#define SCRIPT_MAX_DEPTH	4
static inline bool script_detect(const uint8_t *head, size_t len)
{
	return len >= 2 && head[0] == '#' && head[1] == '!';
}
/*
 * argv[0] and the #! line's interpreter and argument take the script's
 * place in ea; interp gets the interpreter's path.  -ENOEXEC for a bad or
 * too long #! line, -ENAMETOOLONG, -E2BIG, -ENOMEM.
 */
int script_apply(struct exec_args *ea, const uint8_t *head, size_t len, const char *path,
		 char *interp, size_t interp_size);

/* What loading an ELF program found out, for the stack and the registers. */
struct load_info {
	uint64_t entry;		/* where user mode starts (the interpreter's entry if any) */
	uint64_t prog_entry;	/* the program's own entry (AT_ENTRY) */
	uint64_t phdr, phent, phnum;
	uint64_t interp_base;
	uint64_t brk;
	uint64_t vdso_base;	/* AT_SYSINFO_EHDR, 0 for none */
};
/* Map the program f (head: its first len bytes) and its interpreter into vm. */
int elf_load_program(struct vmar *vm, struct file *f, uint8_t *head, size_t len, struct load_info *li);

/*
 * Map [vvar] and [vdso] into vm (exec/vdso.c): *base gets the vDSO's ELF
 * header's address (0 when the kernel has no vDSO).  0 or -ENOMEM.
 */
int vdso_map(struct vmar *vm, uint64_t *base);

/* Where the new program's stack and its argument and environment strings are. */
struct exec_stack {
	uint64_t sp;
	uint64_t arg_start, arg_end, env_start, env_end;
	/* The auxiliary vector, AT_NULL included (Linux's saved_auxv, for core dumps). */
	uint64_t auxv[AUXV_SAVED_WORDS];
	uint32_t auxv_words;
};
int exec_build_stack(struct vmar *vm, const struct exec_args *ea, const char *execfn,
		     const struct load_info *li, const struct cred *cred, struct exec_stack *out);

#endif
