// SPDX-License-Identifier: MPL-2.0
// The number syntax of /proc/sys writes, as Linux's proc_dointvec and
// proc_get_long parse it: the one place sysctl input is turned into numbers.
#include <aster/errno.h>
#include <aster/types.h>
#include "fs/procfs/internal.h"

/* Linux's proc_dointvec: one decimal integer, blanks around it. */
int sysctl_parse_dec_int(const char *buf, size_t len, int *out)
{
	size_t i = 0;
	bool neg = false, any = false;
	int64_t v = 0;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n'))
		i++;
	if (i < len && (buf[i] == '-' || buf[i] == '+'))
		neg = buf[i++] == '-';
	for (; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		v = v * 10 + (buf[i] - '0');
		if (v > (int64_t)INT32_MAX + 1)
			return -EINVAL;
		any = true;
	}
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == 0))
		i++;
	if (!any || i != len)
		return -EINVAL;
	v = neg ? -v : v;
	if (v > INT32_MAX)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* A digit of base 8, 10 or 16, or -1. */
static int digit_val(char c, unsigned int base)
{
	int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

	return d >= 0 && (unsigned int)d < base ? d : -1;
}

/*
 * Linux's proc_get_long: blanks, an optional '-', a number in C's base
 * (0x hex, leading 0 octal), blanks: the magnitude and its sign.
 */
int sysctl_parse_num(const char *buf, size_t len, uint64_t *out, bool *neg)
{
	size_t i = 0;
	unsigned int base = 10;
	uint64_t v = 0;
	bool any = false;
	int d;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n'))
		i++;
	*neg = i < len && buf[i] == '-';
	i += *neg;
	if (i + 1 < len && buf[i] == '0' && (buf[i + 1] == 'x' || buf[i + 1] == 'X')) {
		base = 16;
		i += 2;
	} else if (i < len && buf[i] == '0') {
		base = 8;
	}
	for (; i < len && (d = digit_val(buf[i], base)) >= 0; i++) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -EINVAL;
		v = v * base + (uint64_t)d;
		any = true;
	}
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == 0))
		i++;
	if (!any || i != len)
		return -EINVAL;
	*out = v;
	return 0;
}

/* proc_dointvec_minmax's parse: an int, negative or not (the setter checks the range). */
int sysctl_parse_int(const char *buf, size_t len, int *out)
{
	uint64_t v;
	bool neg;
	int err = sysctl_parse_num(buf, len, &v, &neg);

	if (err)
		return err;
	if (v > (uint64_t)INT32_MAX + neg)
		return -EINVAL;
	*out = neg ? (int)-(int64_t)v : (int)v;
	return 0;
}

/* One unsigned decimal number after blanks: the position after it, or NULL. */
const char *sysctl_parse_u32(const char *s, const char *end, uint64_t *v)
{
	*v = 0;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == end || *s < '0' || *s > '9')
		return NULL;
	while (s < end && *s >= '0' && *s <= '9') {
		*v = *v * 10 + (uint64_t)(*s - '0');
		if (*v > 0xffffffffULL)
			return NULL;
		s++;
	}
	return s;
}
