/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/landlock.h>: landlock_create_ruleset(2)'s
 * attribute and flags, landlock_add_rule(2)'s rule types and the file
 * system access rights (ABI version 3: TRUNCATE is the newest).
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_LANDLOCK_H
#define ASTER_UAPI_LANDLOCK_H

#include <aster/types.h>

struct landlock_ruleset_attr {
	uint64_t handled_access_fs;
};

/* landlock_create_ruleset flags */
#define LANDLOCK_CREATE_RULESET_VERSION		(1U << 0)

/* landlock_add_rule's rule_type (an enumerator in Linux's header) */
#define LANDLOCK_RULE_PATH_BENEATH		1

/* Packed, as Linux's: 12 bytes, no trailing padding. */
struct landlock_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

#define LANDLOCK_ACCESS_FS_EXECUTE		(1ULL << 0)
#define LANDLOCK_ACCESS_FS_WRITE_FILE		(1ULL << 1)
#define LANDLOCK_ACCESS_FS_READ_FILE		(1ULL << 2)
#define LANDLOCK_ACCESS_FS_READ_DIR		(1ULL << 3)
#define LANDLOCK_ACCESS_FS_REMOVE_DIR		(1ULL << 4)
#define LANDLOCK_ACCESS_FS_REMOVE_FILE		(1ULL << 5)
#define LANDLOCK_ACCESS_FS_MAKE_CHAR		(1ULL << 6)
#define LANDLOCK_ACCESS_FS_MAKE_DIR		(1ULL << 7)
#define LANDLOCK_ACCESS_FS_MAKE_REG		(1ULL << 8)
#define LANDLOCK_ACCESS_FS_MAKE_SOCK		(1ULL << 9)
#define LANDLOCK_ACCESS_FS_MAKE_FIFO		(1ULL << 10)
#define LANDLOCK_ACCESS_FS_MAKE_BLOCK		(1ULL << 11)
#define LANDLOCK_ACCESS_FS_MAKE_SYM		(1ULL << 12)
#define LANDLOCK_ACCESS_FS_REFER		(1ULL << 13)
#define LANDLOCK_ACCESS_FS_TRUNCATE		(1ULL << 14)

#endif
