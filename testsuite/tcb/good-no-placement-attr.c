/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* Sections only through frame's macros; ordinary attributes are fine. */
#include <aster/cmdline.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/types.h>

static int verbose;

static int parse_verbose(const char *value)
{
	verbose = value == NULL ? 1 : 2;
	return 0;
}
BOOT_PARAM("sample.verbose", parse_verbose);

struct __attribute__((packed)) wire { uint8_t kind; uint32_t len; };
static uint64_t table[4] __attribute__((aligned(64)));

static __unused int spare(int x) __attribute__((warn_unused_result));
static int spare(int x)
{
	return x + (int)table[0];
}

KTEST(sample_verbose_parses)
{
	KT_ASSERT(parse_verbose(NULL) == 0);
	KT_ASSERT_EQ(verbose, 1);
	KT_EXPECT(sizeof(struct wire) == 5);
}
