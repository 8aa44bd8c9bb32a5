/* SPDX-License-Identifier: MPL-2.0 */
/* The kernel's CSPRNG (ChaCha20), behind /dev/random and /dev/urandom. */
#ifndef KERNEL_FS_RANDOM_H
#define KERNEL_FS_RANDOM_H
#include <aster/types.h>

void get_random_bytes(void *buf, size_t n);
/* Stir caller-provided entropy into the pool. */
void random_mix(const void *data, size_t n);

#endif
