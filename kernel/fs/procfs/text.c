// SPDX-License-Identifier: MPL-2.0
// procfs text buffers: generators append formatted text, the buffer grows
// (doubling) up to TEXT_MAX; what does not fit is cut, as a seq_file
// would not be, but no file of ours comes near the limit.
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/procfs/internal.h"

int text_reserve(struct text *t, size_t n)
{
	size_t cap = t->cap ? t->cap : 4096;
	char *nb;

	if (t->len + n <= t->cap)
		return 0;
	while (cap < t->len + n && cap < TEXT_MAX)
		cap *= 2;
	if (cap < t->len + n) {
		t->full = true;
		return -ENOMEM;
	}
	nb = krealloc(t->buf, cap);
	if (!nb) {
		t->full = true;
		return -ENOMEM;
	}
	t->buf = nb;
	t->cap = cap;
	return 0;
}

void text_put(struct text *t, const void *data, size_t n)
{
	if (t->full || text_reserve(t, n))
		return;
	memcpy(t->buf + t->len, data, n);
	t->len += n;
}

void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->full || text_reserve(t, 128))
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= t->cap - t->len) {
		/* Grow to fit and format again. */
		if (text_reserve(t, (size_t)n + 1))
			return;
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0 || (size_t)n >= t->cap - t->len)
			return;
	}
	t->len += (size_t)n;
}
