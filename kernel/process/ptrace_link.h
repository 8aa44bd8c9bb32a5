// SPDX-License-Identifier: MPL-2.0
// Private to ptrace.c (stops, events, the tracer's wait) and
// ptrace_syscall.c (the requests): the link between a tracer and one
// tracee thread.
#ifndef KERNEL_PROCESS_PTRACE_LINK_H
#define KERNEL_PROCESS_PTRACE_LINK_H

#include <aster/list.h>
#include <aster/wait.h>
#include "process/internal.h"

struct ptrace_link {
	struct list_node node;		/* on tracer->ptraced */
	struct process *tracer;
	struct thread *tracee;		/* NULL once it ended: the link is its exit note */
	pid_t tid, pgid;
	uid_t uid;
	bool leader;			/* the first thread of its process (__WCLONE matching) */
	bool seized;
	bool stopped;			/* the tracee sleeps in ptrace_stop */
	bool group_stop;		/* the stop is a group stop (PTRACE_LISTEN allowed) */
	unsigned int options;		/* PTRACE_O_* */
	int report;			/* wait status word for the tracer's wait, 0 once taken */
	int exit_status;		/* of an exit note */
	int resume, resume_sig;		/* the tracer's resume request and its signal */
	int busy;			/* tracer requests on the stopped tracee under way */
	int sc_op;			/* PTRACE_SYSCALL_INFO_* of this stop */
	uint64_t message;		/* PTRACE_GETEVENTMSG */
	struct k_siginfo info;		/* PTRACE_GETSIGINFO */
};

/* Tracees sleep here while stopped, and until the tracer's requests end. */
extern struct wait_queue ptrace_wq;

/* A zeroed link, or NULL. */
struct ptrace_link *ptrace_link_alloc(void);

/* Tie t to tracer; the table lock is held and t is not traced. */
void ptrace_link_locked(struct ptrace_link *l, struct process *tracer, struct thread *t, bool seized,
			unsigned int options);

#endif
