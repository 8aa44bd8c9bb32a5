// SPDX-License-Identifier: MPL-2.0
// membarrier(2): Linux's commands, registration and QUERY.
#include <aster/errno.h>
#include "process/process.h"
#include "syscall/syscall.h"
#include "uapi/membarrier.h"

/*
 * membarrier: every other thread of the process (or of the system) passes
 * a full memory barrier before the call returns.  With one CPU brought up
 * no other thread runs while this one is in the kernel, and entering it
 * was a barrier, so each command is complete on return; what remains is
 * Linux's bookkeeping: which commands exist and which need registering.
 * The RSEQ command also restarts the other threads' rseq critical
 * sections: none of them is running now, and each was switched out, which
 * already aborts its section on its way back to user mode (process/rseq.c).
 */
#define MEMBARRIER_SUPPORTED	(MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED | \
				 MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | \
				 MEMBARRIER_CMD_PRIVATE_EXPEDITED | \
				 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED | \
				 MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE | \
				 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE | \
				 MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ | \
				 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ)

long sys_membarrier(int cmd, unsigned int flags, int cpu_id)
{
	struct process *p = current_process();

	/* Only the RSEQ command takes a flag: a single CPU to target (cpu_id). */
	if (flags && (cmd != MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ || flags != MEMBARRIER_CMD_FLAG_CPU))
		return -EINVAL;
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return MEMBARRIER_SUPPORTED;
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		return 0;
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ:
		p->membarrier_registered |= (uint32_t)cmd;
		return 0;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ:
		/* A CPU that is not online (any but 0) is no error: nothing runs there. */
		return p->membarrier_registered & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ ?
			       0 : -EPERM;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		return p->membarrier_registered & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED ? 0 : -EPERM;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
		return p->membarrier_registered & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE ?
			       0 : -EPERM;
	default:
		return -EINVAL;
	}
}
