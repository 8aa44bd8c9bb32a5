// SPDX-License-Identifier: MPL-2.0
// The initial user stack of a new program, as the x86-64 psABI and Linux
// lay it out: argc, argv, envp, the auxiliary vector, then the strings,
// the platform name and AT_RANDOM's bytes, below an 8 MiB stack mapping.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "exec/binprm.h"
#include "fs/random.h"
#include "mm/vmar.h"
#include "process/signal.h"
#include "uapi/auxvec.h"

#define STACK_TOP		0x7ffffffff000ULL
#define STACK_SIZE		MiB(8)

/* auxv tags */

/*
 * CPUID.1:EDX bits every x86-64 processor has (the psABI baseline): FPU,
 * TSC, MSR, PAE, CX8, APIC, SEP, PGE, CMOV, PAT, CLFLUSH, MMX, FXSR, SSE, SSE2.
 */
#define HWCAP_X86_64_BASELINE	0x0789a371U

/* Push the strings and vectors of the Linux initial stack; *sp_out is the new rsp. */
int exec_build_stack(struct vmar *vm, const struct exec_args *ea, const char *execfn,
		     const struct load_info *li, const struct cred *cred, struct exec_stack *out)
{
	static const char platform[] = "x86_64";
	uint64_t sp = STACK_TOP, strings, execfn_ua, platform_ua, random_ua, vec;
	uint64_t nvec, *v;
	uint8_t rnd[16];
	size_t pos = 0, i = 0, auxv_first;
	uaddr_t mapped;
	int err;

	err = vmar_mmap(vm, STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, NULL, 0, &mapped);
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

	nvec = 1 + ea->argc + 1 + ea->envc + 1 + 2 * 24;
	v = kcalloc(nvec, sizeof(uint64_t));
	if (!v)
		return -ENOMEM;
	v[i++] = ea->argc;
	for (uint32_t k = 0; k < ea->argc + ea->envc; k++) {
		if (k == ea->argc) {
			v[i++] = 0;
			out->arg_end = strings + pos;
		}
		v[i++] = strings + pos;
		(void)exec_args_next(ea, &pos);
	}
	if (ea->envc == 0) {
		v[i++] = 0;		/* argv's NULL: the loop above only ends argv before an envp */
		out->arg_end = strings + pos;
	}
	v[i++] = 0;
	auxv_first = i;
#define AUX(t, val) do { v[i++] = (t); v[i++] = (val); } while (0)
	/* Linux's ARCH_DLINFO comes first; no entry without a vDSO. */
	if (li->vdso_base)
		AUX(AT_SYSINFO_EHDR, li->vdso_base);
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
	out->auxv_words = (uint32_t)MIN(i - auxv_first, (size_t)AUXV_SAVED_WORDS);
	memcpy(out->auxv, &v[auxv_first], out->auxv_words * 8);
	vec = ALIGN_DOWN(sp - i * 8, 16);
	err = copy_to_user(vec, v, i * 8) ? -EFAULT : 0;
	kfree(v);
	if (err)
		return err;
	out->arg_start = strings;
	out->env_start = out->arg_end;
	out->env_end = strings + ea->len;
	out->sp = vec;
	return 0;
}
