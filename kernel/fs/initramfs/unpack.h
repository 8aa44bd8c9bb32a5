/* SPDX-License-Identifier: MPL-2.0 */
/* The initramfs unpacker's pieces, for ktests. */
#ifndef KERNEL_FS_INITRAMFS_UNPACK_H
#define KERNEL_FS_INITRAMFS_UNPACK_H
#include <aster/types.h>

struct dentry;
/*
 * Unpack archives (cpio, plain or compressed, concatenated) from memory into
 * the namespace.  0, or the first error (what came before it stays).
 */
int initramfs_unpack_buffer(const uint8_t *buf, size_t len);
/* Create the last component of an absolute path with mode (no umask). */
int vfs_create_child_path(const char *path, uint32_t mode, uint32_t rdev, struct dentry **out);

#endif
