/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The key retention service (doc/keys.md): what the rest of the kernel
 * calls.  A process holds its process and session keyrings, a thread its
 * thread keyring and request-key default; fork, clone, exec and exit hand
 * them on or drop them here, as Linux's credentials do.
 */
#ifndef KERNEL_SECURITY_KEYS_KEYS_H
#define KERNEL_SECURITY_KEYS_KEYS_H
#include <aster/types.h>

struct process;
struct thread;

/* A new process c forked from p: it shares p's session keyring, has no process keyring. */
void keys_fork(struct process *c, const struct process *p);
/*
 * A new thread t made by self, in self's process or (fork) a new one: the
 * caller's request-key default; a thread keyring of its own only in the
 * same process and only if self has one, as Linux's copy_creds.
 */
void keys_thread_clone(struct thread *t, const struct thread *self, bool same_process);
/* exec: the thread and process keyrings go; the session keyring stays. */
void keys_exec(struct thread *t);
/* The thread ends: its thread keyring goes. */
void keys_thread_exit(struct thread *t);
/* The process ends: its process and session keyrings go. */
void keys_process_exit(struct process *p);

/* /proc/keys and /proc/key-users as the caller sees them: a kmalloc'd text (kfree it). */
int keys_proc_keys(char **buf, size_t *len);
int keys_proc_key_users(char **buf, size_t *len);
/* /proc/sys/kernel/keys/NAME: render into buf (length, or -errno), or parse a write. */
int keys_sysctl_show(const char *name, char *buf, size_t size);
int keys_sysctl_write(const char *name, const char *buf, size_t len);

#endif
