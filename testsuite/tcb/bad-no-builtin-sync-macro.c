/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-builtin */
/* Sneaky: a legacy __sync builtin behind an innocent macro name. */
#define xchg(p, v)	__sync_lock_test_and_set((p), (v))

int grab(int *lock);
int grab(int *lock)
{
	return xchg(lock, 1);
}
