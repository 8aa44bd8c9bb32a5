// SPDX-License-Identifier: MPL-2.0
// Private to the core dump files of kernel/process: coredump.c decides
// when and where a core is written, coredump_elf.c writes its ELF body and
// coredump_name.c expands core_pattern.
#ifndef KERNEL_PROCESS_COREDUMP_H
#define KERNEL_PROCESS_COREDUMP_H

#include <aster/types.h>
#include "process/internal.h"

/* The core file being written. */
struct core_out {
	struct process *p;
	struct file *f;
	uint64_t pos;		/* where the next byte goes (after skipped holes too) */
	uint64_t written;	/* bytes written: RLIMIT_CORE counts these, as Linux's dump_emit */
	uint64_t limit;
	int err;		/* the first failure: nothing more is written */
};

/*
 * Write the ELF core of t's process (t is the dumping thread, the others
 * are parked) to o->f.  0 once the notes were gathered (a dump was made,
 * even if a later write failed: that error is in o->err), else -ENOMEM.
 */
int coredump_write_elf(struct core_out *o, struct thread *t, int sig, const struct k_siginfo *info);

/*
 * Expand core_pattern into buf (cap bytes) for thread t dying of sig, as
 * Linux's format_corename; uses_pid is core_uses_pid.  0 or -ENAMETOOLONG.
 */
int coredump_format_name(char *buf, size_t cap, const char *pattern, bool uses_pid,
			 struct thread *t, int sig);

#endif
