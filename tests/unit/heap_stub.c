// SPDX-License-Identifier: MPL-2.0
// The kernel heap on the host: the C library's, so that ASan checks every
// access to what kernel sources (the gunzip state, ext2's caches) allocate.
#include <stdint.h>
#include <stdlib.h>
#include <aster/heap.h>

void *kmalloc(size_t size)
{
	return malloc(size);
}

void *kzalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void *kcalloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *krealloc(void *p, size_t size)
{
	return realloc(p, size);
}

void kfree(void *p)
{
	free(p);
}

