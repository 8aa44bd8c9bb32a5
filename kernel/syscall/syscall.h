/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The system call table.  Every subsystem lists the syscalls it implements
 * in its own syscalls.def (kernel/syscall/table.def includes them all), one
 * row per syscall, in the manner of Linux's SYSCALL_DEFINEn:
 *
 *	SYSCALLn(nr, name, status, "what is missing", kind1, arg1, ..., kindn, argn)
 *
 *	SYSCALL3(0, read, IMPLEMENTED, "", fd, fd, ptr, buf, size, count)
 *
 * n (0..6) is the number of arguments, status IMPLEMENTED or PARTIAL, and
 * each argument is a kind (below) and the name the man page gives it.  The
 * handler is always sys_NAME, declared from the row with typed parameters:
 *
 *	long sys_read(int fd, uaddr_t buf, size_t count);
 *
 * Every other number of syscall_names.def returns -ENOSYS.  The handler
 * prototypes, the entry stubs that decode the registers, the dispatch
 * table, the argument descriptions aster.strace= prints, `make
 * syscall-report` and doc/syscalls.md all come from these rows, so they
 * cannot disagree.
 *
 * The kinds: each names the C type the handler receives and the way strace
 * prints the value.  A register holds 64 bits; a 32-bit kind takes its low
 * half, as Linux's syscall wrappers do, so a caller's garbage in the upper
 * half of an int argument is ignored.
 *
 *	kind	C type		printed as
 *	int	int		decimal
 *	uint	unsigned int	decimal
 *	long	long		decimal
 *	ulong	unsigned long	decimal
 *	hex	unsigned long	0x... (flag words and values of a full register)
 *	size	size_t		decimal
 *	off	int64_t		decimal (a file offset, loff_t)
 *	fd	int		decimal, AT_FDCWD by name
 *	pid	pid_t (int)	decimal
 *	mode	unsigned int	octal, 0...
 *	flags	unsigned int	0x...
 *	sig	int		signal name (SIGTERM), else decimal
 *	ptr	uaddr_t		0x..., or NULL
 *	str	uaddr_t		the NUL-terminated user string, quoted and
 *				cut after 32 bytes with "..." as strace does
 *
 * A handler whose argument is not one of these (a clockid_t, a uid_t) takes
 * the kind of the same width and converts inside.  Handlers that need the
 * user registers themselves (rt_sigreturn, fork) read the current thread's
 * saved context, not their arguments.
 */
#ifndef ASTER_KERNEL_SYSCALL_H
#define ASTER_KERNEL_SYSCALL_H

#include <aster/types.h>
#include <aster/uaccess.h>

#define SYSCALL_MAX	512	/* one past the largest number we know */
#define SYSCALL_ARGS	6

struct syscall_args {
	uint64_t nr;
	uint64_t a[SYSCALL_ARGS];	/* rdi, rsi, rdx, r10, r8, r9 */
};

typedef long (*syscall_fn)(const struct syscall_args *args);

enum syscall_status {
	SYSCALL_ENOSYS,
	SYSCALL_PARTIAL,
	SYSCALL_IMPLEMENTED,
};

/* Each number of syscall_names.def as SCNR_name (SCNR_read is 0). */
enum syscall_nr {
#define SYSCALL_NAME(nr, name) SCNR_##name = nr,
#include "syscall_names.def"
#undef SYSCALL_NAME
};

/* The C type of each argument kind. */
#define ATYPE_int	int
#define ATYPE_uint	unsigned int
#define ATYPE_long	long
#define ATYPE_ulong	unsigned long
#define ATYPE_hex	unsigned long
#define ATYPE_size	size_t
#define ATYPE_off	int64_t
#define ATYPE_fd	int
#define ATYPE_pid	int
#define ATYPE_mode	unsigned int
#define ATYPE_flags	unsigned int
#define ATYPE_sig	int
#define ATYPE_ptr	uaddr_t
#define ATYPE_str	uaddr_t

/* The kinds as values, for the tracer: AKIND_int ... */
enum syscall_arg_kind {
	AKIND_int, AKIND_uint, AKIND_long, AKIND_ulong, AKIND_hex, AKIND_size, AKIND_off,
	AKIND_fd, AKIND_pid, AKIND_mode, AKIND_flags, AKIND_sig, AKIND_ptr, AKIND_str,
};

/*
 * SC_MAPn(m, kind1, arg1, ...) applies m(index, kind, arg) to each argument
 * of a row, separated by commas.  A row without arguments expands to
 * SC_NONE_m, so each m says what "no arguments" is in its context (void in a
 * prototype, nothing in a call).
 */
#define SC_MAP0(m)	SC_NONE_##m
#define SC_MAP1(m, k0, a0)	m(0, k0, a0)
#define SC_MAP2(m, k0, a0, k1, a1)	SC_MAP1(m, k0, a0), m(1, k1, a1)
#define SC_MAP3(m, k0, a0, k1, a1, k2, a2)	SC_MAP2(m, k0, a0, k1, a1), m(2, k2, a2)
#define SC_MAP4(m, k0, a0, k1, a1, k2, a2, k3, a3) \
	SC_MAP3(m, k0, a0, k1, a1, k2, a2), m(3, k3, a3)
#define SC_MAP5(m, k0, a0, k1, a1, k2, a2, k3, a3, k4, a4) \
	SC_MAP4(m, k0, a0, k1, a1, k2, a2, k3, a3), m(4, k4, a4)
#define SC_MAP6(m, k0, a0, k1, a1, k2, a2, k3, a3, k4, a4, k5, a5) \
	SC_MAP5(m, k0, a0, k1, a1, k2, a2, k3, a3, k4, a4), m(5, k5, a5)

/* A parameter declaration: "int fd". */
#define SC_PARAM(i, kind, arg)	ATYPE_##kind arg
#define SC_NONE_SC_PARAM	void

/*
 * The rows as one macro: define SYSCALL_ROW(n, nr, name, status, missing,
 * kind/arg pairs...) and include table.def.
 */
#define SYSCALL0(nr, name, st, miss)	SYSCALL_ROW(0, nr, name, st, miss)
#define SYSCALL1(nr, name, st, miss, ...)	SYSCALL_ROW(1, nr, name, st, miss, __VA_ARGS__)
#define SYSCALL2(nr, name, st, miss, ...)	SYSCALL_ROW(2, nr, name, st, miss, __VA_ARGS__)
#define SYSCALL3(nr, name, st, miss, ...)	SYSCALL_ROW(3, nr, name, st, miss, __VA_ARGS__)
#define SYSCALL4(nr, name, st, miss, ...)	SYSCALL_ROW(4, nr, name, st, miss, __VA_ARGS__)
#define SYSCALL5(nr, name, st, miss, ...)	SYSCALL_ROW(5, nr, name, st, miss, __VA_ARGS__)
#define SYSCALL6(nr, name, st, miss, ...)	SYSCALL_ROW(6, nr, name, st, miss, __VA_ARGS__)

/* Every handler, declared from the table. */
#define SYSCALL_ROW(n, nr, name, st, miss, ...)	long sys_##name(SC_MAP##n(SC_PARAM, ##__VA_ARGS__));
#include "table.def"
#undef SYSCALL_ROW

/* How the tracer prints one syscall: its arguments' kinds and names. */
struct syscall_desc {
	uint8_t nargs;
	uint8_t kind[SYSCALL_ARGS];	/* enum syscall_arg_kind */
	const char *arg[SYSCALL_ARGS];
};

/* Handle one system call; returns the value for rax (negative errno on error). */
long syscall_dispatch(const struct syscall_args *args);
/* The same without the aster.strace= check (the tracer calls it). */
long syscall_run(const struct syscall_args *args);

/* The name of a syscall number, or NULL. */
const char *syscall_name(uint64_t nr);
/* The argument description of an implemented syscall, or NULL. */
const struct syscall_desc *syscall_desc(uint64_t nr);

/* aster.strace=: trace_all or the traced tgid; the tracer (strace.c). */
extern bool strace_on;
long strace_dispatch(const struct syscall_args *args);
/* "ENOENT" for ENOENT, or NULL. */
const char *errno_name(long err);

#endif
