// SPDX-License-Identifier: MPL-2.0
// The ext2 glue's mount options, as Debian's Linux takes them for an ext2
// image (its ext4 driver mounts it): errors=continue|remount-ro|panic,
// user_xattr and acl are accepted (the last two are its defaults and not
// shown); nouser_xattr, noacl and anything else are EINVAL.  /proc/mounts
// shows errors= when it differs from the superblock's s_errors, as Linux.
// The library reports a corruption as -EUCLEAN and marks the disk for
// e2fsck whatever errors= says: remount-ro and panic are recorded, not
// acted upon (doc/ext2.md).
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include "fs/ext2/vfs_glue.h"

/* s_errors values (EXT2_ERRORS_*) and their option names. */
static const char *const error_names[] = {
	[EXT2V_ERRORS_CONTINUE] = "continue",
	[EXT2V_ERRORS_RO] = "remount-ro",
	[EXT2V_ERRORS_PANIC] = "panic",
};

static bool opt_is(const char *opt, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(opt, name, len) == 0;
}

static int parse_one(const char *opt, size_t len, uint16_t *errors)
{
	if (!len || opt_is(opt, len, "rw") || opt_is(opt, len, "user_xattr") ||
	    opt_is(opt, len, "acl"))
		return 0;
	if (len > 7 && memcmp(opt, "errors=", 7) == 0) {
		for (uint16_t e = EXT2V_ERRORS_CONTINUE; e <= EXT2V_ERRORS_PANIC; e++)
			if (opt_is(opt + 7, len - 7, error_names[e])) {
				*errors = e;
				return 0;
			}
	}
	return -EINVAL;
}

int ext2v_parse_options(const char *data, uint16_t *errors)
{
	*errors = 0;
	while (data && *data) {
		const char *comma = strchr(data, ',');
		size_t len = comma ? (size_t)(comma - data) : strlen(data);
		int err = parse_one(data, len, errors);

		if (err)
			return err;
		data = comma ? comma + 1 : NULL;
	}
	return 0;
}

size_t ext2v_show_options(struct super_block *sb, char *buf, size_t size)
{
	struct ext2_mount *m = ext2v_mount(sb);
	int n;

	if (!m->errors || m->errors == m->def_errors)
		return 0;
	n = snprintf(buf, size, ",errors=%s", error_names[m->errors]);
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

int ext2v_remount_options(struct super_block *sb, const char *data)
{
	struct ext2_mount *m = ext2v_mount(sb);
	uint16_t errors;
	int err = ext2v_parse_options(data, &errors);

	if (!err && errors)
		m->errors = errors;
	return err;
}
