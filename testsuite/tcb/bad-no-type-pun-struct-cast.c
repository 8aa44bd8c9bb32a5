/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Two structs whose pointer fields line up are still different types. */
#include <aster/types.h>

struct file { struct file *next; uint64_t pos; };
struct cred { const char *name; uint64_t uid; };

struct cred *as_cred(struct file *f);
struct cred *as_cred(struct file *f)
{
	return (struct cred *)f;
}
