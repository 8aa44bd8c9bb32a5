// SPDX-License-Identifier: MPL-2.0
// The entry points gcc's -fsanitize=kernel-address calls from kernel/ (with
// --param asan-instrumentation-with-call-threshold=0 every access is one
// call): check the shadow of [addr, addr+size) and report the first bad
// byte.  The declarations are here, not in a header: only the compiler
// calls these.
#include <aster/log.h>
#include "../internal.h"
#include "kasan.h"

typedef uint64_t uptr;

/* Is any byte of [addr, addr+size) poisoned?  Granule by granule. */
static bool poisoned(uptr addr, size_t size)
{
	uptr end = addr + size;

	if (end < addr)
		return true;
	for (uptr a = addr; a < end; a = ALIGN_DOWN(a, KASAN_GRANULE) + KASAN_GRANULE) {
		int8_t *s = kasan_shadow(a);
		uptr last = MIN(end, ALIGN_DOWN(a, KASAN_GRANULE) + KASAN_GRANULE) - 1;

		if (!s || *s == 0)
			continue;
		if (*s < 0 || (int8_t)(last & (KASAN_GRANULE - 1)) >= *s)
			return true;
	}
	return false;
}

static inline void check(uptr addr, size_t size, bool write, uptr ip)
{
	if (size && poisoned(addr, size))
		kasan_report(addr, size, write, ip);
}

#define RET_IP ((uptr)__builtin_return_address(0))

#define DEFINE_ASAN(size)								\
	void __asan_load##size##_noabort(uptr addr);					\
	void __asan_store##size##_noabort(uptr addr);					\
	void __asan_report_load##size##_noabort(uptr addr);				\
	void __asan_report_store##size##_noabort(uptr addr);				\
	void __asan_load##size##_noabort(uptr addr) { check(addr, size, false, RET_IP); } \
	void __asan_store##size##_noabort(uptr addr) { check(addr, size, true, RET_IP); } \
	void __asan_report_load##size##_noabort(uptr addr) { kasan_report(addr, size, false, RET_IP); } \
	void __asan_report_store##size##_noabort(uptr addr) { kasan_report(addr, size, true, RET_IP); }

DEFINE_ASAN(1)
DEFINE_ASAN(2)
DEFINE_ASAN(4)
DEFINE_ASAN(8)
DEFINE_ASAN(16)

void __asan_loadN_noabort(uptr addr, size_t size);
void __asan_storeN_noabort(uptr addr, size_t size);
void __asan_report_load_n_noabort(uptr addr, size_t size);
void __asan_report_store_n_noabort(uptr addr, size_t size);

void __asan_loadN_noabort(uptr addr, size_t size)
{
	check(addr, size, false, RET_IP);
}

void __asan_storeN_noabort(uptr addr, size_t size)
{
	check(addr, size, true, RET_IP);
}

void __asan_report_load_n_noabort(uptr addr, size_t size)
{
	kasan_report(addr, size, false, RET_IP);
}

void __asan_report_store_n_noabort(uptr addr, size_t size)
{
	kasan_report(addr, size, true, RET_IP);
}

/* Before a call that does not return: ASan would unpoison the stack; ours has no shadow. */
void __asan_handle_no_return(void);
void __asan_handle_no_return(void)
{
}

/*
 * Globals (asan-globals) and alloca red zones: not used by the checked
 * build today (doc/safe-c.md), defined so that turning them on links.
 * Globals have no shadow, so registering them has nothing to poison.
 */
struct asan_global;
void __asan_register_globals(struct asan_global *globals, size_t n);
void __asan_unregister_globals(struct asan_global *globals, size_t n);
void __asan_alloca_poison(uptr addr, size_t size);
void __asan_allocas_unpoison(uptr top, uptr bottom);

void __asan_register_globals(struct asan_global *globals, size_t n)
{
	(void)globals;
	(void)n;
}

void __asan_unregister_globals(struct asan_global *globals, size_t n)
{
	(void)globals;
	(void)n;
}

void __asan_alloca_poison(uptr addr, size_t size)
{
	(void)addr;
	(void)size;
}

void __asan_allocas_unpoison(uptr top, uptr bottom)
{
	(void)top;
	(void)bottom;
}
