/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The d_type values of getdents (Linux's include/linux/fs_types.h; exported by glibc's <dirent.h>).
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_DIRENT_H
#define ASTER_UAPI_DIRENT_H

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

#endif
