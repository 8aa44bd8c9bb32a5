// SPDX-License-Identifier: MPL-2.0
// ktests of the classic BPF checker and interpreter: programs Linux
// refuses are refused (each rule of bpf_check_classic), known programs
// give known answers, out-of-range loads drop, and thousands of random
// programs (valid opcodes with random operands, and random bytes) are
// either refused or run on random packets held in buffers of their exact
// size, so that KASAN sees any read outside them.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include "fs/random.h"
#include "net/packet/bpf.h"

#define I(c, t, f, kk)	{ (uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(kk) }

static uint32_t run(const struct linux_sock_filter *f, uint32_t n, const uint8_t *data, uint32_t len)
{
	struct bpf_prog *p = kmalloc(sizeof(*p) + n * sizeof(*f));
	struct bpf_pkt pk = { .data = data, .len = len, .mac = data, .mac_len = len,
			      .protocol = 0x0800, .pkttype = 0, .ifindex = 1, .hatype = 1 };
	uint32_t r;

	if (!p)
		return 0xdeadbeef;
	p->len = n;
	memcpy(p->insns, f, n * sizeof(*f));
	r = bpf_run_packet(p, &pk);
	kfree(p);
	return r;
}

KTEST(bpf_check_refuses)
{
	static const struct linux_sock_filter no_ret[] = { I(BPF_LD | BPF_IMM, 0, 0, 1) };
	static const struct linux_sock_filter bad_op[] = { I(0xffff, 0, 0, 0), I(BPF_RET | BPF_K, 0, 0, 0) };
	static const struct linux_sock_filter div0[] = { I(BPF_ALU | BPF_DIV | BPF_K, 0, 0, 0),
							 I(BPF_RET | BPF_K, 0, 0, 0) };
	static const struct linux_sock_filter shift32[] = { I(BPF_ALU | BPF_LSH | BPF_K, 0, 0, 32),
							    I(BPF_RET | BPF_K, 0, 0, 0) };
	static const struct linux_sock_filter ja_out[] = { I(BPF_JMP | BPF_JA, 0, 0, 1),
							   I(BPF_RET | BPF_K, 0, 0, 0) };
	static const struct linux_sock_filter jeq_out[] = { I(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
							    I(BPF_RET | BPF_K, 0, 0, 0) };
	static const struct linux_sock_filter mem_out[] = { I(BPF_ST, 0, 0, 16), I(BPF_RET | BPF_K, 0, 0, 0) };
	static const struct linux_sock_filter mem_unset[] = { I(BPF_LD | BPF_MEM, 0, 0, 3),
							      I(BPF_RET | BPF_A, 0, 0, 0) };
	/* Slot 2 is stored on one path only. */
	static const struct linux_sock_filter mem_one_path[] = {
		I(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), I(BPF_ST, 0, 0, 2),
		I(BPF_LD | BPF_MEM, 0, 0, 2), I(BPF_RET | BPF_A, 0, 0, 0) };
	static const struct linux_sock_filter anc_bad[] = { I(BPF_LD | BPF_W | BPF_ABS, 0, 0, SKF_AD_OFF + 2),
							    I(BPF_RET | BPF_A, 0, 0, 0) };
	static const struct linux_sock_filter ok[] = { I(BPF_ST, 0, 0, 15), I(BPF_LD | BPF_MEM, 0, 0, 15),
						       I(BPF_RET | BPF_A, 0, 0, 0) };
	struct linux_sock_filter *big;

	KT_ASSERT(bpf_check(no_ret, 1) == -EINVAL);
	KT_ASSERT(bpf_check(bad_op, 2) == -EINVAL);
	KT_ASSERT(bpf_check(div0, 2) == -EINVAL);
	KT_ASSERT(bpf_check(shift32, 2) == -EINVAL);
	KT_ASSERT(bpf_check(ja_out, 2) == -EINVAL);
	KT_ASSERT(bpf_check(jeq_out, 2) == -EINVAL);
	KT_ASSERT(bpf_check(mem_out, 2) == -EINVAL);
	KT_ASSERT(bpf_check(mem_unset, 2) == -EINVAL);
	KT_ASSERT(bpf_check(mem_one_path, 4) == -EINVAL);
	KT_ASSERT(bpf_check(anc_bad, 2) == -EINVAL);
	KT_ASSERT(bpf_check(ok, 3) == 0);
	KT_ASSERT(bpf_check(ok, 0) == -EINVAL);
	big = kzalloc((BPF_MAXINSNS + 1) * sizeof(*big));
	KT_ASSERT(big);
	for (int i = 0; i <= BPF_MAXINSNS; i++)
		big[i].code = BPF_RET | BPF_K;
	KT_ASSERT(bpf_check(big, BPF_MAXINSNS) == 0);
	KT_ASSERT(bpf_check(big, BPF_MAXINSNS + 1) == -EINVAL);
	kfree(big);
}

KTEST(bpf_run_answers)
{
	/* "IPv4 UDP to port 68, else drop", as udhcpc's filter (on the IP header: SOCK_DGRAM). */
	static const struct linux_sock_filter udp68[] = {
		I(BPF_LD | BPF_B | BPF_ABS, 0, 0, 9),
		I(BPF_JMP | BPF_JEQ | BPF_K, 0, 3, 17),
		I(BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0),
		I(BPF_LD | BPF_H | BPF_IND, 0, 0, 2),
		I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 68),
		I(BPF_RET | BPF_K, 0, 0, 0),
		I(BPF_RET | BPF_K, 0, 0, 0xffffffff),
	};
	static const struct linux_sock_filter past_end[] = { I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 30),
							     I(BPF_RET | BPF_K, 0, 0, 99) };
	static const struct linux_sock_filter ind_wrap[] = { I(BPF_LDX | BPF_IMM, 0, 0, 0xffffffff),
							     I(BPF_LD | BPF_B | BPF_IND, 0, 0, 2),
							     I(BPF_RET | BPF_K, 0, 0, 99) };
	static const struct linux_sock_filter div_x0[] = { I(BPF_LD | BPF_IMM, 0, 0, 7),
							   I(BPF_ALU | BPF_DIV | BPF_X, 0, 0, 0),
							   I(BPF_RET | BPF_K, 0, 0, 99) };
	static const struct linux_sock_filter anc[] = { I(BPF_LD | BPF_H | BPF_ABS, 0, 0, SKF_AD_OFF + SKF_AD_PROTOCOL),
							I(BPF_RET | BPF_A, 0, 0, 0) };
	static const struct linux_sock_filter len[] = { I(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0),
							I(BPF_ALU | BPF_SUB | BPF_K, 0, 0, 1),
							I(BPF_RET | BPF_A, 0, 0, 0) };
	uint8_t *pkt = kzalloc(28);

	KT_ASSERT(pkt);
	pkt[0] = 0x45;
	pkt[9] = 17;
	pkt[22] = 0;
	pkt[23] = 68;
	KT_ASSERT(bpf_check(udp68, 7) == 0);
	KT_ASSERT(run(udp68, 7, pkt, 28) == 0xffffffff);
	pkt[23] = 67;
	KT_ASSERT(run(udp68, 7, pkt, 28) == 0);
	pkt[23] = 68;
	pkt[9] = 6;
	KT_ASSERT(run(udp68, 7, pkt, 28) == 0);
	pkt[9] = 17;
	KT_ASSERT(run(udp68, 7, pkt, 23) == 0);	/* the port's second byte is past the end: drop */
	KT_ASSERT(run(past_end, 2, pkt, 28) == 0);
	KT_ASSERT(run(ind_wrap, 3, pkt, 28) == 0);
	KT_ASSERT(run(div_x0, 3, pkt, 28) == 0);
	KT_ASSERT(run(anc, 2, pkt, 28) == 0x0800);
	KT_ASSERT(run(len, 3, pkt, 28) == 27);
	kfree(pkt);
}

static uint32_t rnd(void)
{
	uint32_t r;

	get_random_bytes(&r, sizeof(r));
	return r;
}

static const uint16_t valid_codes[] = {
	BPF_ALU | BPF_ADD | BPF_K, BPF_ALU | BPF_SUB | BPF_X, BPF_ALU | BPF_MUL | BPF_K,
	BPF_ALU | BPF_DIV | BPF_X, BPF_ALU | BPF_MOD | BPF_K, BPF_ALU | BPF_AND | BPF_X,
	BPF_ALU | BPF_OR | BPF_K, BPF_ALU | BPF_XOR | BPF_X, BPF_ALU | BPF_LSH | BPF_X,
	BPF_ALU | BPF_RSH | BPF_K, BPF_ALU | BPF_NEG, BPF_LD | BPF_W | BPF_ABS,
	BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_B | BPF_ABS, BPF_LD | BPF_W | BPF_IND,
	BPF_LD | BPF_H | BPF_IND, BPF_LD | BPF_B | BPF_IND, BPF_LD | BPF_W | BPF_LEN,
	BPF_LD | BPF_IMM, BPF_LD | BPF_MEM, BPF_LDX | BPF_W | BPF_LEN, BPF_LDX | BPF_B | BPF_MSH,
	BPF_LDX | BPF_IMM, BPF_LDX | BPF_MEM, BPF_ST, BPF_STX, BPF_MISC | BPF_TAX,
	BPF_MISC | BPF_TXA, BPF_RET | BPF_K, BPF_RET | BPF_A, BPF_JMP | BPF_JA,
	BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JGT | BPF_X, BPF_JMP | BPF_JGE | BPF_K,
	BPF_JMP | BPF_JSET | BPF_X,
};

/* An operand near the interesting edges: small, near the packet's end, negative special offsets. */
static uint32_t rnd_k(void)
{
	static const uint32_t specials[] = { (uint32_t)SKF_AD_OFF, (uint32_t)SKF_NET_OFF, (uint32_t)SKF_LL_OFF,
					     0xffffffff, 0x7fffffff, 0x80000000 };
	uint32_t r = rnd();

	switch (r % 4) {
	case 0: return r >> 8 & 0x3f;
	case 1: return specials[(r >> 8) % (sizeof(specials) / sizeof(specials[0]))] + (r >> 20 & 0x3f);
	case 2: return r >> 8 & 0xf;
	}
	return rnd();
}

static void random_prog(struct linux_sock_filter *f, uint32_t n, bool raw)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = rnd();

		if (raw) {
			f[i].code = (uint16_t)r;
			f[i].jt = (uint8_t)(r >> 16);
			f[i].jf = (uint8_t)(r >> 24);
			f[i].k = rnd();
			continue;
		}
		f[i].code = valid_codes[r % (sizeof(valid_codes) / sizeof(valid_codes[0]))];
		f[i].jt = (uint8_t)(r >> 16 & 7);
		f[i].jf = (uint8_t)(r >> 24 & 7);
		f[i].k = rnd_k();
	}
	if (!raw && rnd() % 4)
		f[n - 1].code = BPF_RET | BPF_A;
}

KTEST(bpf_fuzz)
{
	struct linux_sock_filter *f = kmalloc(64 * sizeof(*f));
	unsigned int accepted = 0;

	KT_ASSERT(f);
	for (int round = 0; round < 3000; round++) {
		uint32_t n = 1 + rnd() % 64, plen = rnd() % 80;
		uint8_t *pkt;

		random_prog(f, n, round % 8 == 0);
		if (bpf_check(f, n))
			continue;
		accepted++;
		/* Exactly plen bytes (at least 1 for kmalloc): KASAN reports any read past them. */
		pkt = kmalloc(plen ? plen : 1);
		if (!pkt)
			continue;
		for (uint32_t i = 0; i < plen; i++)
			pkt[i] = (uint8_t)rnd();
		(void)run(f, n, pkt, plen);
		kfree(pkt);
	}
	kfree(f);
	/* Most random programs break a rule, but a fair number must pass and run. */
	KT_ASSERT(accepted > 50);
}
