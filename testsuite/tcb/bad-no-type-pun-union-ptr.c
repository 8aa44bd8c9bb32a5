/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* A union whose pointers line up still confuses the pointee types. */
#include <aster/types.h>

struct file { struct file *next; };
struct sock { uint64_t secret; };

union handle { struct file *file; struct sock *sock; };

struct sock *confuse(struct file *f);
struct sock *confuse(struct file *f)
{
	union handle h;

	h.file = f;
	return h.sock;
}
