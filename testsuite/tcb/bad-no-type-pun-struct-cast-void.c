/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Sneaky: laundered through (void *) and converted implicitly. */
#include <aster/types.h>

struct file { struct file *next; uint64_t pos; };
struct cred { const char *name; uint64_t uid; };

uint64_t uid_of(struct file *f);
uint64_t uid_of(struct file *f)
{
	struct cred *c = (void *)f;

	return c->uid;
}
