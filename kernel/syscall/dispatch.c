// SPDX-License-Identifier: MPL-2.0
// Syscall dispatch: number -> handler, from table.def.
#include <aster/errno.h>
#include <aster/log.h>
#include "syscall.h"

#define SYSCALL(nr, name, handler, status, missing) long handler(const struct syscall_args *args);
#include "table.def"
#undef SYSCALL

static const syscall_fn handlers[SYSCALL_MAX] = {
#define SYSCALL(nr, name, handler, status, missing) [nr] = handler,
#include "table.def"
#undef SYSCALL
};

static const char *const names[SYSCALL_MAX] = {
#define SYSCALL_NAME(nr, name) [nr] = #name,
#include "syscall_names.def"
#undef SYSCALL_NAME
};

/* One bit per number: unknown syscalls are logged once each. */
static uint64_t logged[SYSCALL_MAX / 64];

const char *syscall_name(uint64_t nr)
{
	return nr < SYSCALL_MAX ? names[nr] : NULL;
}

static void log_unimplemented(uint64_t nr)
{
	uint64_t idx = nr < SYSCALL_MAX ? nr : SYSCALL_MAX - 1;
	uint64_t bit = 1ULL << (idx % 64);

	if (logged[idx / 64] & bit)
		return;
	logged[idx / 64] |= bit;
	pr_warn("syscall %lu (%s) is not implemented: -ENOSYS\n", nr,
		syscall_name(nr) ? syscall_name(nr) : "unknown");
}

long syscall_dispatch(const struct syscall_args *args)
{
	syscall_fn fn = args->nr < SYSCALL_MAX ? handlers[args->nr] : NULL;

	if (!fn) {
		log_unimplemented(args->nr);
		return -ENOSYS;
	}
	return fn(args);
}
