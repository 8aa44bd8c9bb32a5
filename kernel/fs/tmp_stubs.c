// SPDX-License-Identifier: MPL-2.0
// TEMPORARY: definitions owned by kernel/process, so kernel/fs links and its
// ktests run before integration.  The integrator deletes this file.
#include <aster/errno.h>
#include <aster/wait.h>
#include "process/process.h"
#include "process/signal.h"

struct thread *current_thread(void)
{
	return NULL;
}

struct process *current_process(void)
{
	return NULL;
}

struct process *process_find(pid_t pid)
{
	(void)pid;
	return NULL;
}

void process_get(struct process *p)
{
	(void)p;
}

void process_put(struct process *p)
{
	(void)p;
}

int process_for_each(int (*fn)(struct process *p, void *arg), void *arg)
{
	(void)fn;
	(void)arg;
	return 0;
}

bool cred_in_group(const struct cred *c, gid_t gid)
{
	(void)c;
	(void)gid;
	return false;
}

int signal_send_thread(struct thread *t, int sig)
{
	(void)t;
	(void)sig;
	return 0;
}

bool signal_pending(void)
{
	return false;
}

int wait_interruptible(struct wait_queue *wq, bool (*cond)(void *), void *arg, uint64_t timeout_ns)
{
	return wait_event_timeout(wq, cond, arg, timeout_ns);
}
