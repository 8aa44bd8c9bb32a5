/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* User bytes copied straight into a structure that holds a pointer. */
#include <aster/uaccess.h>

struct request { uint64_t len; char *buf; };

int get_request(struct request *r, uaddr_t ua);
int get_request(struct request *r, uaddr_t ua)
{
	return copy_from_user(r, ua, sizeof(*r));
}
