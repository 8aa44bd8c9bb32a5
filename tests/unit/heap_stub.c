// SPDX-License-Identifier: MPL-2.0
// The kernel heap on the host: the C library's, so that ASan checks every
// access to what kernel sources (the gunzip state) allocate.
#include <stdlib.h>
#include <aster/heap.h>

void *kmalloc(size_t size)
{
	return malloc(size);
}

void kfree(void *p)
{
	free(p);
}

void *kzalloc(size_t size)
{
	return calloc(1, size);
}
