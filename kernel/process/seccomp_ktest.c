// SPDX-License-Identifier: MPL-2.0
// ktests of seccomp's program rules and of programs run on struct
// seccomp_data: what Linux's seccomp_check_filter refuses is refused,
// BPF_LEN is the structure's size, every field reads as its words in host
// order, and random programs that pass both checkers run without reading
// outside the 64 bytes (KASAN would see it: the data is its own heap block).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include "fs/random.h"
#include "process/seccomp.h"
#include "uapi/audit.h"

#define I(c, kk)	{ (uint16_t)(c), 0, 0, (uint32_t)(kk) }
#define J(c, kk, t, f)	{ (uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(kk) }

/* Both checkers, as seccomp(2) runs them: 0 or -EINVAL. */
static int check(struct linux_sock_filter *f, uint32_t n)
{
	int err = bpf_check(f, n);

	return err ? err : seccomp_check_insns(f, n);
}

static uint32_t run(const struct linux_sock_filter *f, uint32_t n, const struct seccomp_data *sd)
{
	struct bpf_prog *p = kmalloc(sizeof(*p) + n * sizeof(*f));
	uint32_t r;

	if (!p)
		return 0xdeadbeef;
	p->len = n;
	memcpy(p->insns, f, n * sizeof(*f));
	r = seccomp_run_prog(p, sd);
	kfree(p);
	return r;
}

KTEST(seccomp_check_refuses)
{
	struct linux_sock_filter past[] = { I(BPF_LD | BPF_W | BPF_ABS, 64), I(BPF_RET | BPF_A, 0) };
	struct linux_sock_filter unaligned[] = { I(BPF_LD | BPF_W | BPF_ABS, 6), I(BPF_RET | BPF_A, 0) };
	struct linux_sock_filter half[] = { I(BPF_LD | BPF_H | BPF_ABS, 0), I(BPF_RET | BPF_A, 0) };
	struct linux_sock_filter ind[] = { I(BPF_LD | BPF_W | BPF_IND, 0), I(BPF_RET | BPF_A, 0) };
	struct linux_sock_filter msh[] = { I(BPF_LDX | BPF_B | BPF_MSH, 0), I(BPF_RET | BPF_A, 0) };
	struct linux_sock_filter mod[] = { I(BPF_ALU | BPF_MOD | BPF_K, 3), I(BPF_RET | BPF_A, 0) };
	struct linux_sock_filter anc[] = { I(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PROTOCOL),
					   I(BPF_RET | BPF_A, 0) };
	struct linux_sock_filter last[] = { I(BPF_LD | BPF_W | BPF_ABS, 60), I(BPF_RET | BPF_A, 0) };
	struct linux_sock_filter len[] = { I(BPF_LD | BPF_W | BPF_LEN, 0), I(BPF_LDX | BPF_W | BPF_LEN, 0),
					   I(BPF_RET | BPF_A, 0) };

	KT_ASSERT(check(past, 2) == -EINVAL);
	KT_ASSERT(check(unaligned, 2) == -EINVAL);
	KT_ASSERT(check(half, 2) == -EINVAL);
	KT_ASSERT(check(ind, 2) == -EINVAL);
	KT_ASSERT(check(msh, 2) == -EINVAL);
	KT_ASSERT(check(mod, 2) == -EINVAL);
	KT_ASSERT(check(anc, 2) == -EINVAL);
	KT_ASSERT(check(last, 2) == 0);
	KT_ASSERT(check(len, 3) == 0);
	KT_ASSERT(len[0].code == (BPF_LD | BPF_IMM) && len[0].k == sizeof(struct seccomp_data));
	KT_ASSERT(len[1].code == (BPF_LDX | BPF_IMM) && len[1].k == sizeof(struct seccomp_data));
}

KTEST(seccomp_run_answers)
{
	struct seccomp_data sd = { .nr = 39, .arch = AUDIT_ARCH_X86_64,
				   .instruction_pointer = 0x0000123456789abcULL,
				   .args = { 1, 0x1111111122222222ULL, 3, 4, 5, 0xffffffff00000006ULL } };
	struct linux_sock_filter nr[] = {
		I(BPF_LD | BPF_W | BPF_ABS, 0),
		J(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
		I(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		I(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct linux_sock_filter word[] = { I(BPF_LD | BPF_W | BPF_ABS, 0), I(BPF_RET | BPF_A, 0) };
	struct linux_sock_filter len[] = { I(BPF_LD | BPF_W | BPF_LEN, 0), I(BPF_RET | BPF_A, 0) };
	static const struct { uint32_t off, want; } words[] = {
		{ 4, AUDIT_ARCH_X86_64 }, { 8, 0x56789abc }, { 12, 0x1234 },
		{ 24, 0x22222222 }, { 28, 0x11111111 }, { 56, 6 }, { 60, 0xffffffff },
	};

	KT_ASSERT(check(nr, 4) == 0);
	KT_ASSERT(run(nr, 4, &sd) == (SECCOMP_RET_ERRNO | 1));
	sd.nr = 40;
	KT_ASSERT(run(nr, 4, &sd) == SECCOMP_RET_ALLOW);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		word[0].k = words[i].off;
		KT_ASSERT(run(word, 2, &sd) == words[i].want);
	}
	KT_ASSERT(check(len, 2) == 0);
	KT_ASSERT(run(len, 2, &sd) == sizeof(struct seccomp_data));
}

static uint32_t rnd(void)
{
	uint32_t r;

	get_random_bytes(&r, sizeof(r));
	return r;
}

KTEST(seccomp_fuzz)
{
	static const uint16_t codes[] = {
		BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_W | BPF_LEN, BPF_LDX | BPF_W | BPF_LEN,
		BPF_LD | BPF_IMM, BPF_LDX | BPF_IMM, BPF_LD | BPF_MEM, BPF_ST, BPF_STX,
		BPF_ALU | BPF_ADD | BPF_X, BPF_ALU | BPF_DIV | BPF_X, BPF_ALU | BPF_RSH | BPF_X,
		BPF_MISC | BPF_TAX, BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JSET | BPF_X,
		BPF_JMP | BPF_JA, BPF_RET | BPF_A, BPF_LD | BPF_H | BPF_ABS, BPF_ALU | BPF_MOD | BPF_K,
	};
	struct linux_sock_filter *f = kmalloc(32 * sizeof(*f));
	struct seccomp_data *sd = kmalloc(sizeof(*sd));
	unsigned int accepted = 0;

	KT_ASSERT(f && sd);
	for (int round = 0; round < 2000; round++) {
		uint32_t n = 2 + rnd() % 31;

		for (uint32_t i = 0; i < n; i++) {
			f[i].code = codes[rnd() % (sizeof(codes) / sizeof(codes[0]))];
			f[i].jt = (uint8_t)(rnd() % 4);
			f[i].jf = (uint8_t)(rnd() % 4);
			/* Mostly small operands, so that loads and scratch slots are often valid. */
			f[i].k = rnd() % 4 ? rnd() % 72 : rnd();
		}
		f[n - 1].code = BPF_RET | BPF_A;
		if (check(f, n))
			continue;
		accepted++;
		get_random_bytes(sd, sizeof(*sd));
		(void)run(f, n, sd);
	}
	kfree(sd);
	kfree(f);
	KT_ASSERT(accepted > 20);
}
