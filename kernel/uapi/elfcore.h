/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/elfcore.h> and glibc's <sys/procfs.h> for x86-64:
 * the notes of an ELF core file (struct elf_prstatus, struct elf_prpsinfo),
 * and the bits of /proc/PID/coredump_filter (Linux's MMF_DUMP_*, from
 * include/linux/sched/coredump.h, not exported).  The note type numbers
 * are in elf.h and ptrace.h.  testsuite/progs/t_core parses our core files
 * with glibc's <sys/procfs.h> on both kernels.
 */
#ifndef ASTER_UAPI_ELFCORE_H
#define ASTER_UAPI_ELFCORE_H
#include <aster/types.h>

/* The fields after the ELF identification, as <elf.h>'s Elf64_Ehdr. */
struct k_elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct k_elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

struct k_elf64_nhdr {
	uint32_t n_namesz, n_descsz, n_type;
};

struct k_elf_siginfo {
	int32_t si_signo, si_code, si_errno;
};

struct k_timeval {
	int64_t tv_sec, tv_usec;
};

/* NT_PRSTATUS: one per thread; pr_reg is struct user_regs_struct (27 words). */
struct k_elf_prstatus {
	struct k_elf_siginfo pr_info;
	int16_t pr_cursig;
	uint64_t pr_sigpend, pr_sighold;
	int32_t pr_pid, pr_ppid, pr_pgrp, pr_sid;
	struct k_timeval pr_utime, pr_stime, pr_cutime, pr_cstime;
	uint64_t pr_reg[27];
	int32_t pr_fpvalid;
};

/* NT_PRPSINFO: one per process; pr_psargs is ELF_PRARGSZ (80) bytes. */
struct k_elf_prpsinfo {
	char pr_state, pr_sname, pr_zomb, pr_nice;
	uint64_t pr_flag;
	uint32_t pr_uid, pr_gid;
	int32_t pr_pid, pr_ppid, pr_pgrp, pr_sid;
	char pr_fname[16];
	char pr_psargs[80];
};

/* /proc/PID/coredump_filter: which mappings a core dump holds. */
#define MMF_DUMP_ANON_PRIVATE	0
#define MMF_DUMP_ANON_SHARED	1
#define MMF_DUMP_MAPPED_PRIVATE	2
#define MMF_DUMP_MAPPED_SHARED	3
#define MMF_DUMP_ELF_HEADERS	4
/* Bits 5-8 (hugetlb and DAX, private and shared) are kept: this kernel has no such mappings. */
#define MMF_DUMP_FILTER_BITS	9
/* Linux's default (CONFIG_CORE_DUMP_DEFAULT_ELF_HEADERS): anonymous, ELF headers, hugetlb private. */
#define MMF_DUMP_FILTER_DEFAULT	0x33

/* /proc/sys/fs/suid_dumpable and the dumpable state (prctl PR_SET_DUMPABLE). */
#define SUID_DUMP_DISABLE	0
#define SUID_DUMP_USER		1
#define SUID_DUMP_ROOT		2

#endif
