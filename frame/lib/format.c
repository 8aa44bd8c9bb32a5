// SPDX-License-Identifier: MPL-2.0
// vsnprintf for the kernel: integers, characters, strings and pointers.
#include <aster/format.h>
#include <aster/ktest.h>
#include <aster/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;	/* what the whole output would take */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec;	/* -1: none */
};

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
	size_t n;

	if (!s)
		s = "(null)";
	n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
	if (!sp->left)
		pad(o, ' ', sp->width - (int)n);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - (int)n);
}

static void put_num(struct out *o, const struct spec *sp, uint64_t v, bool is_signed, bool neg,
		    unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, zeros = 0, len;
	const char *prefix = "";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	/* '+' and ' ' apply to signed conversions only (C99 7.19.6.1). */
	if (neg)
		prefix = "-";
	else if (is_signed && sp->plus)
		prefix = "+";
	else if (is_signed && sp->space)
		prefix = " ";
	if (sp->alt && base == 16)
		prefix = upper ? "0X" : "0x";	/* also for 0, as Linux's printk does */
	if (sp->prec > n)
		zeros = sp->prec - n;
	/* '#' with %o: the first digit must be 0, adding one only if needed. */
	if (sp->alt && base == 8 && zeros == 0 && (n == 0 || tmp[n - 1] != '0'))
		zeros = 1;
	len = (int)strlen(prefix) + zeros + n;
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > len) {
		zeros += sp->width - len;
		len = sp->width;
	}
	if (!sp->left)
		pad(o, ' ', sp->width - len);
	for (const char *p = prefix; *p; p++)
		put(o, *p);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', sp->width - len);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	return f;
}

/* Length modifier: number of 'l's, or 'h' counts as negative. */
static const char *parse_length(const char *f, int *len)
{
	*len = 0;
	if (*f == 'h') {
		*len = f[1] == 'h' ? -2 : -1;
		return f + (f[1] == 'h' ? 2 : 1);
	}
	if (*f == 'l') {
		*len = f[1] == 'l' ? 2 : 1;
		return f + (f[1] == 'l' ? 2 : 1);
	}
	if (*f == 'z' || *f == 't' || *f == 'j') {
		*len = 2;
		return f + 1;
	}
	return f;
}

static int64_t get_signed(va_list *ap, int len)
{
	if (len >= 1)
		return len == 1 ? va_arg(*ap, long) : va_arg(*ap, long long);
	int v = va_arg(*ap, int);
	return len == -2 ? (signed char)v : len == -1 ? (short)v : v;
}

static uint64_t get_unsigned(va_list *ap, int len)
{
	if (len >= 1)
		return len == 1 ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned long long);
	unsigned int v = va_arg(*ap, unsigned int);
	return len == -2 ? (unsigned char)v : len == -1 ? (unsigned short)v : v;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	va_list args;

	va_copy(args, ap);
	for (const char *f = fmt; *f; f++) {
		struct spec sp;
		int len;

		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &args);
		f = parse_length(f, &len);
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = get_signed(&args, len);
			put_num(&o, &sp, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, true, v < 0, 10, false);
			break;
		}
		case 'u':
			put_num(&o, &sp, get_unsigned(&args, len), false, false, 10, false);
			break;
		case 'x':
		case 'X':
			put_num(&o, &sp, get_unsigned(&args, len), false, false, 16, *f == 'X');
			break;
		case 'o':
			put_num(&o, &sp, get_unsigned(&args, len), false, false, 8, false);
			break;
		case 'p':
			sp.alt = true;
			put_num(&o, &sp, (uint64_t)(uintptr_t)va_arg(args, void *), false, false, 16, false);
			break;
		case 'c': {
			char c = (char)va_arg(args, int);
			if (!sp.left)
				pad(&o, ' ', sp.width - 1);
			put(&o, c);
			if (sp.left)
				pad(&o, ' ', sp.width - 1);
			break;
		}
		case 's':
			put_str(&o, &sp, va_arg(args, const char *));
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			f--;	/* a lone '%' at the end: stop at the terminator */
			break;
		default:	/* unknown conversion: print it as it stands */
			put(&o, '%');
			put(&o, *f);
			break;
		}
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

KTEST(format_integers_and_strings)
{
	char buf[64];

	KT_ASSERT_EQ(snprintf(buf, sizeof(buf), "%d|%5u|%-4x|%08lx", -42, 7U, 0xabU, 0x1234UL), 23);
	KT_ASSERT(strcmp(buf, "-42|    7|ab  |00001234") == 0);
	KT_ASSERT_EQ(snprintf(buf, 4, "%s", "truncated"), 9);
	KT_ASSERT(strcmp(buf, "tru") == 0);
}
