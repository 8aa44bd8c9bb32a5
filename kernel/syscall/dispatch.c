// SPDX-License-Identifier: MPL-2.0
// Syscall dispatch: number -> entry stub -> handler, all from table.def.
#include <aster/errno.h>
#include <aster/log.h>
#include "syscall.h"

/*
 * The entry stubs: the raw registers converted to the row's types (a cast
 * to a 32-bit type keeps the low half, as Linux does) and passed by name.
 */
#define SC_ARG(i, kind, arg)	(ATYPE_##kind)regs->a[i]
#define SC_NONE_SC_ARG
#define SYSCALL_ROW(n, nr, name, st, miss, ...)					\
	_Static_assert(SCNR_##name == (nr), #name " is not syscall " #nr);	\
	static long sc_entry_##name(const struct syscall_args *regs)		\
	{									\
		(void)regs;							\
		return sys_##name(SC_MAP##n(SC_ARG, ##__VA_ARGS__));		\
	}
#include "table.def"
#undef SYSCALL_ROW

static const syscall_fn handlers[SYSCALL_MAX] = {
#define SYSCALL_ROW(n, nr, name, st, miss, ...) [nr] = sc_entry_##name,
#include "table.def"
#undef SYSCALL_ROW
};

static const char *const names[SYSCALL_MAX] = {
#define SYSCALL_NAME(nr, name) [nr] = #name,
#include "syscall_names.def"
#undef SYSCALL_NAME
};

/* What the tracer prints: each implemented syscall's argument kinds and names. */
#define SC_KIND(i, kind, arg)	AKIND_##kind
#define SC_NONE_SC_KIND		0
#define SC_ANAME(i, kind, arg)	#arg
#define SC_NONE_SC_ANAME	NULL
static const struct syscall_desc descs[SYSCALL_MAX] = {
#define SYSCALL_ROW(n, nr, name, st, miss, ...)				\
	[nr] = { .nargs = (n), .kind = { SC_MAP##n(SC_KIND, ##__VA_ARGS__) },	\
		 .arg = { SC_MAP##n(SC_ANAME, ##__VA_ARGS__) } },
#include "table.def"
#undef SYSCALL_ROW
};

/* One bit per number: unknown syscalls are logged once each. */
static uint64_t logged[SYSCALL_MAX / 64];

const char *syscall_name(uint64_t nr)
{
	return nr < SYSCALL_MAX ? names[nr] : NULL;
}

const struct syscall_desc *syscall_desc(uint64_t nr)
{
	return nr < SYSCALL_MAX && handlers[nr] ? &descs[nr] : NULL;
}

static __attribute__((noinline)) void log_unimplemented_first(uint64_t nr, uint64_t idx, uint64_t bit)
{
	logged[idx / 64] |= bit;
	pr_warn("syscall %lu (%s) is not implemented: -ENOSYS\n", nr,
		syscall_name(nr) ? syscall_name(nr) : "unknown");
}

/* Inline: -ENOSYS is a hot path too (probing programs, the null-syscall benchmark). */
static inline void log_unimplemented(uint64_t nr)
{
	uint64_t idx = nr < SYSCALL_MAX ? nr : SYSCALL_MAX - 1;
	uint64_t bit = 1ULL << (idx % 64);

	if (!(logged[idx / 64] & bit))
		log_unimplemented_first(nr, idx, bit);
}

/* Inline in both callers: the untraced path is one jump shorter. */
static inline __attribute__((always_inline)) long run(const struct syscall_args *args)
{
	syscall_fn fn = args->nr < SYSCALL_MAX ? handlers[args->nr] : NULL;

	if (!fn) {
		log_unimplemented(args->nr);
		return -ENOSYS;
	}
	return fn(args);
}

long syscall_run(const struct syscall_args *args)
{
	return run(args);
}

long syscall_dispatch(const struct syscall_args *args)
{
	/* Off unless aster.strace= was given: one branch the CPU predicts. */
	if (__builtin_expect(strace_on, 0))
		return strace_dispatch(args);
	return run(args);
}
