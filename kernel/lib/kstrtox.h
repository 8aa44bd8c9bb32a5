/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Linux's kstrto*() number syntax (lib/kstrtox.c), for the /proc and /sys
 * files that use it rather than /proc/sys's (procfs/sysctl_parse.c):
 *
 *	int v, err = kstrtoint(buf, len, 0, &v);
 *	if (err)
 *		return err;		(-EINVAL or -ERANGE)
 *
 * The text is buf[0..len), ending early at a NUL as the _from_user
 * variants' copy does: an optional sign ('+'; '-' for the signed kinds),
 * digits in base (0: "0x" hex, a leading "0" octal, else decimal; 16 also
 * takes a "0x" prefix), then at most one '\n'.  Nothing else: no blanks.
 * -EINVAL for anything else or no digit, -ERANGE when the value does not
 * fit the type.
 */
#ifndef ASTER_KERNEL_LIB_KSTRTOX_H
#define ASTER_KERNEL_LIB_KSTRTOX_H

#include <aster/types.h>

int kstrtoull(const char *buf, size_t len, unsigned int base, uint64_t *out);
int kstrtoll(const char *buf, size_t len, unsigned int base, int64_t *out);
int kstrtouint(const char *buf, size_t len, unsigned int base, uint32_t *out);
int kstrtoint(const char *buf, size_t len, unsigned int base, int32_t *out);

/* Linux's strstrip: the part of buf[0..*len) between leading and trailing blanks. */
const char *kstr_strip(const char *buf, size_t *len);

#endif
