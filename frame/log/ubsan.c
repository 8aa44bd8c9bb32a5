// SPDX-License-Identifier: MPL-2.0
// The handlers gcc's -fsanitize=undefined checks call.  The production
// kernel builds kernel/ and most of frame/ with -fsanitize=bounds (configure's
// RUNTIME_CFLAGS), so __ubsan_handle_out_of_bounds is needed in every image;
// the checked build (vmlinuz-kasan) adds shift, signed-integer-overflow,
// null, alignment and object-size on kernel/.  Each handler reports the kind
// and the source location and ends the kernel like panic().  The data
// layouts are the UBSan ABI gcc emits.  This file, printk and panic are not
// instrumented themselves (frame/Makefrag.am: RUNTIME_EXEMPT), so a report
// cannot recurse into itself.
#include <aster/ktest.h>
#include <aster/log.h>
#include "../internal.h"

struct source_location {
	const char *file;
	uint32_t line;
	uint32_t column;
};

struct type_descriptor {
	uint16_t kind;		/* 0: integer, 1: float */
	uint16_t info;		/* integer: bit 0 signed, bits 1..: log2(bit width) */
	char name[];
};

struct overflow_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct shift_data {
	struct source_location loc;
	const struct type_descriptor *lhs_type;
	const struct type_descriptor *rhs_type;
};

struct out_of_bounds_data {
	struct source_location loc;
	const struct type_descriptor *array_type;
	const struct type_descriptor *index_type;
};

struct type_mismatch_data_v1 {
	struct source_location loc;
	const struct type_descriptor *type;
	uint8_t log_alignment;
	uint8_t type_check_kind;
};

struct unreachable_data {
	struct source_location loc;
};

static bool is_signed(const struct type_descriptor *t)
{
	return t->kind == 0 && (t->info & 1);
}

static unsigned int bit_width(const struct type_descriptor *t)
{
	return 1U << (t->info >> 1);
}

/* An operand as a number (values up to 64 bits are passed inline). */
static int64_t value_of(const struct type_descriptor *t, uint64_t v)
{
	unsigned int w = bit_width(t);

	if (w > 64)
		return 0;	/* 128-bit values are passed by pointer: not printed */
	if (is_signed(t) && w < 64)
		return (int64_t)(v << (64 - w)) >> (64 - w);
	return (int64_t)v;
}

static void begin(const char *kind, const struct source_location *loc)
{
	static bool reporting;

	arch_irq_save();
	/* A check failing inside the report (printk, the backtrace): stop there. */
	if (reporting)
		panic_finish();
	reporting = true;
	printk(LOG_EMERG, "==================================================================\n");
	if (ktest_current())
		printk(LOG_EMERG, "ktest: FAIL %s: UBSAN: %s\n", ktest_current(), kind);
	printk(LOG_EMERG, "UBSAN: %s in %s:%u:%u\n", kind, loc->file, loc->line, loc->column);
}

static __noreturn void end(const char *kind)
{
	printk(LOG_EMERG, "==================================================================\n");
	panic("UBSAN: %s", kind);
}

static __noreturn void overflow(const struct overflow_data *d, uint64_t lhs, uint64_t rhs, char op)
{
	const char *kind = "signed-integer-overflow";

	begin(kind, &d->loc);
	printk(LOG_EMERG, "%ld %c %ld cannot be represented in type %s\n",
	       value_of(d->type, lhs), op, value_of(d->type, rhs), d->type->name);
	end(kind);
}

#define DEFINE_OVERFLOW(name, op)							\
	void __ubsan_handle_##name(const struct overflow_data *d, uint64_t l, uint64_t r); \
	void __ubsan_handle_##name##_abort(const struct overflow_data *d, uint64_t l, uint64_t r); \
	void __ubsan_handle_##name(const struct overflow_data *d, uint64_t l, uint64_t r) \
	{ overflow(d, l, r, op); }							\
	void __ubsan_handle_##name##_abort(const struct overflow_data *d, uint64_t l, uint64_t r) \
	{ overflow(d, l, r, op); }

DEFINE_OVERFLOW(add_overflow, '+')
DEFINE_OVERFLOW(sub_overflow, '-')
DEFINE_OVERFLOW(mul_overflow, '*')

static __noreturn void negate(const struct overflow_data *d, uint64_t v)
{
	const char *kind = "signed-integer-overflow";

	begin(kind, &d->loc);
	printk(LOG_EMERG, "negation of %ld cannot be represented in type %s\n",
	       value_of(d->type, v), d->type->name);
	end(kind);
}

void __ubsan_handle_negate_overflow(const struct overflow_data *d, uint64_t v);
void __ubsan_handle_negate_overflow_abort(const struct overflow_data *d, uint64_t v);
void __ubsan_handle_negate_overflow(const struct overflow_data *d, uint64_t v)
{
	negate(d, v);
}
void __ubsan_handle_negate_overflow_abort(const struct overflow_data *d, uint64_t v)
{
	negate(d, v);
}

static __noreturn void divrem(const struct overflow_data *d, uint64_t l, uint64_t r)
{
	const char *kind = value_of(d->type, r) == 0 ? "division-by-zero" : "signed-integer-overflow";

	begin(kind, &d->loc);
	printk(LOG_EMERG, "%ld / %ld in type %s\n", value_of(d->type, l), value_of(d->type, r),
	       d->type->name);
	end(kind);
}

void __ubsan_handle_divrem_overflow(const struct overflow_data *d, uint64_t l, uint64_t r);
void __ubsan_handle_divrem_overflow_abort(const struct overflow_data *d, uint64_t l, uint64_t r);
void __ubsan_handle_divrem_overflow(const struct overflow_data *d, uint64_t l, uint64_t r)
{
	divrem(d, l, r);
}
void __ubsan_handle_divrem_overflow_abort(const struct overflow_data *d, uint64_t l, uint64_t r)
{
	divrem(d, l, r);
}

static __noreturn void shift(const struct shift_data *d, uint64_t l, uint64_t r)
{
	const char *kind = "shift-out-of-bounds";
	int64_t rv = value_of(d->rhs_type, r);

	begin(kind, &d->loc);
	if (rv < 0 || (uint64_t)rv >= bit_width(d->lhs_type))
		printk(LOG_EMERG, "shift exponent %ld is too large or negative for %u-bit type %s\n",
		       rv, bit_width(d->lhs_type), d->lhs_type->name);
	else
		printk(LOG_EMERG, "left shift of %ld by %ld places cannot be represented in type %s\n",
		       value_of(d->lhs_type, l), rv, d->lhs_type->name);
	end(kind);
}

void __ubsan_handle_shift_out_of_bounds(const struct shift_data *d, uint64_t l, uint64_t r);
void __ubsan_handle_shift_out_of_bounds_abort(const struct shift_data *d, uint64_t l, uint64_t r);
void __ubsan_handle_shift_out_of_bounds(const struct shift_data *d, uint64_t l, uint64_t r)
{
	shift(d, l, r);
}
void __ubsan_handle_shift_out_of_bounds_abort(const struct shift_data *d, uint64_t l, uint64_t r)
{
	shift(d, l, r);
}

static __noreturn void out_of_bounds(const struct out_of_bounds_data *d, uint64_t index)
{
	const char *kind = "array-index-out-of-bounds";

	begin(kind, &d->loc);
	printk(LOG_EMERG, "index %ld is out of range for type %s\n",
	       value_of(d->index_type, index), d->array_type->name);
	end(kind);
}

/*
 * The production kernel's bounds checks trap (ud2) instead of calling the
 * handler above; the link's trap table (ksyms.sh, ktraps.sh) gives each
 * ud2's source line, sorted by address, followed by the lines of the other
 * checks that share the ud2.  The index and the type are not recorded: the
 * report names the line.
 */
extern const uint64_t ktraps_count;
extern const uint64_t ktraps_addrs[];
extern const uint32_t ktraps_lines[];
extern const uint16_t ktraps_files[];
extern const char *const ktraps_file_names[];

void ubsan_trap(uint64_t rip)
{
	const char *kind = "array-index-out-of-bounds";
	struct source_location loc;
	uint64_t lo = 0, hi = ktraps_count;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (ktraps_addrs[mid] < rip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ktraps_count || ktraps_addrs[lo] != rip)
		return;
	loc.file = ktraps_file_names[ktraps_files[lo]];
	loc.line = ktraps_lines[lo];
	loc.column = 0;
	begin(kind, &loc);
	printk(LOG_EMERG, "bounds check trap at 0x%016lx (the index is not recorded)\n", rip);
	/* gcc merged this check's trap with others': any of them may have failed. */
	for (lo++; lo < ktraps_count && ktraps_addrs[lo] == rip; lo++)
		printk(LOG_EMERG, "or the check in %s:%u (the same trap)\n",
		       ktraps_file_names[ktraps_files[lo]], ktraps_lines[lo]);
	end(kind);
}

void __ubsan_handle_out_of_bounds(const struct out_of_bounds_data *d, uint64_t index);
void __ubsan_handle_out_of_bounds_abort(const struct out_of_bounds_data *d, uint64_t index);
void __ubsan_handle_out_of_bounds(const struct out_of_bounds_data *d, uint64_t index)
{
	out_of_bounds(d, index);
}
void __ubsan_handle_out_of_bounds_abort(const struct out_of_bounds_data *d, uint64_t index)
{
	out_of_bounds(d, index);
}

static const char *const check_kinds[] = {
	"load of", "store to", "reference binding to", "member access within",
	"member call on", "constructor call on", "downcast of", "downcast of",
	"upcast of", "cast to virtual base of", "_Nonnull binding to", "dynamic operation on",
};

static __noreturn void type_mismatch(const struct type_mismatch_data_v1 *d, uint64_t ptr)
{
	uint64_t align = (uint64_t)1 << d->log_alignment;
	const char *what = d->type_check_kind < ARRAY_SIZE(check_kinds) ? check_kinds[d->type_check_kind]
									 : "access to";
	const char *kind;

	if (!ptr)
		kind = "null-pointer-dereference";
	else if (d->log_alignment && (ptr & (align - 1)))
		kind = "misaligned-access";
	else
		kind = "object-size-mismatch";
	begin(kind, &d->loc);
	if (!ptr)
		printk(LOG_EMERG, "%s null pointer of type %s\n", what, d->type->name);
	else if (d->log_alignment && (ptr & (align - 1)))
		printk(LOG_EMERG, "%s misaligned address %016lx for type %s, which requires %lu byte alignment\n",
		       what, ptr, d->type->name, align);
	else
		printk(LOG_EMERG, "%s address %016lx with insufficient space for an object of type %s\n",
		       what, ptr, d->type->name);
	end(kind);
}

void __ubsan_handle_type_mismatch_v1(const struct type_mismatch_data_v1 *d, uint64_t ptr);
void __ubsan_handle_type_mismatch_v1_abort(const struct type_mismatch_data_v1 *d, uint64_t ptr);
void __ubsan_handle_type_mismatch_v1(const struct type_mismatch_data_v1 *d, uint64_t ptr)
{
	type_mismatch(d, ptr);
}
void __ubsan_handle_type_mismatch_v1_abort(const struct type_mismatch_data_v1 *d, uint64_t ptr)
{
	type_mismatch(d, ptr);
}

void __ubsan_handle_builtin_unreachable(const struct unreachable_data *d);
void __ubsan_handle_builtin_unreachable(const struct unreachable_data *d)
{
	begin("unreachable", &d->loc);
	end("unreachable");
}
