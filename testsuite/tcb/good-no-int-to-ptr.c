/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* Pointers to integers (hashing, printing), NULL, and user addresses as
 * integers handed to copy_from_user(). */
#include <aster/types.h>
#include <aster/uaccess.h>

struct obj { int id; };

uint64_t hash_ptr(const struct obj *o);
uint64_t hash_ptr(const struct obj *o)
{
	return ((uintptr_t)o >> 4) * 0x9e3779b97f4a7c15ULL;
}

int read_pair(uaddr_t ua, int out[2]);
int read_pair(uaddr_t ua, int out[2])
{
	struct obj *none = NULL;
	void *zero = (void *)0;
	uaddr_t second = ua + sizeof(int);

	if (none != zero)
		return -1;
	if (copy_from_user(&out[0], ua, sizeof(int)))
		return -1;
	return copy_from_user(&out[1], second, sizeof(int));
}
