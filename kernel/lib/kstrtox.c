// SPDX-License-Identifier: MPL-2.0
// Linux's kstrto*() family over a counted buffer: the number syntax of
// the /proc/PID and /sys files Linux parses with kstrtoint and friends.
#include <aster/errno.h>
#include <aster/string.h>
#include "lib/kstrtox.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* A digit's value, or 99 for what is no digit in any base. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'z')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'Z')
		return (unsigned int)(c - 'A' + 10);
	return 99;
}

/* _parse_integer_fixup_radix: the base, and the "0x" prefix skipped. */
static unsigned int fixup_radix(const char *s, size_t len, size_t *i, unsigned int base)
{
	bool hex_prefix = len - *i > 1 && s[*i] == '0' && (s[*i + 1] == 'x' || s[*i + 1] == 'X');

	if (base == 0)
		base = hex_prefix ? 16 : len - *i > 0 && s[*i] == '0' ? 8 : 10;
	if (base == 16 && hex_prefix)
		*i += 2;
	return base;
}

/* The unsigned magnitude at s[*i..len), then an optional newline and the end. */
static int parse_magnitude(const char *s, size_t len, size_t i, unsigned int base, uint64_t *out)
{
	uint64_t v = 0;
	size_t first;

	if (base == 1 || base > 16)
		return -EINVAL;
	base = fixup_radix(s, len, &i, base);
	first = i;
	for (; i < len; i++) {
		unsigned int d = digit_value(s[i]);

		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (i == first)
		return -EINVAL;
	if (i < len && s[i] == '\n')
		i++;
	if (i != len)
		return -EINVAL;
	*out = v;
	return 0;
}

int kstrtoull(const char *buf, size_t len, unsigned int base, uint64_t *out)
{
	size_t i = 0;

	len = strnlen(buf, len);
	if (i < len && buf[i] == '+')
		i++;
	return parse_magnitude(buf, len, i, base, out);
}

int kstrtoll(const char *buf, size_t len, unsigned int base, int64_t *out)
{
	bool neg;
	uint64_t v;
	int err;

	len = strnlen(buf, len);
	neg = len && buf[0] == '-';
	err = parse_magnitude(buf, len, len && (neg || buf[0] == '+'), base, &v);
	if (err)
		return err;
	if (v > (uint64_t)INT64_MAX + neg)
		return -ERANGE;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int kstrtouint(const char *buf, size_t len, unsigned int base, uint32_t *out)
{
	uint64_t v;
	int err = kstrtoull(buf, len, base, &v);

	if (err)
		return err;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

int kstrtoint(const char *buf, size_t len, unsigned int base, int32_t *out)
{
	int64_t v;
	int err = kstrtoll(buf, len, base, &v);

	if (err)
		return err;
	if (v < INT32_MIN || v > INT32_MAX)
		return -ERANGE;
	*out = (int32_t)v;
	return 0;
}

const char *kstr_strip(const char *buf, size_t *len)
{
	size_t n = strnlen(buf, *len);

	while (n && is_blank(buf[n - 1]))
		n--;
	while (n && is_blank(*buf)) {
		buf++;
		n--;
	}
	*len = n;
	return buf;
}
