/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Sneaky: the void * is cast to char * and offset before memmove. */
#include <aster/string.h>
#include <aster/task.h>

void patch(struct task *t, const uint8_t *bytes, size_t off, size_t n);
void patch(struct task *t, const uint8_t *bytes, size_t off, size_t n)
{
	memmove((char *)task_data(t) + off, bytes, n);
}
