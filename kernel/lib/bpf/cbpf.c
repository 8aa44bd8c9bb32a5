// SPDX-License-Identifier: MPL-2.0
// Classic BPF: the checker (Linux's bpf_check_classic: allowed opcodes,
// constant divisors and shifts, scratch memory slots written before they
// are read on every path, jumps inside the program, a final RET) and the
// interpreter, which asks its user for every load: one outside the data
// ends the program with 0, as Linux.  Packet sockets and seccomp add their
// own checks and loads (kernel/net/packet/bpf.c, kernel/process/seccomp.c).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "lib/bpf/cbpf.h"

/* Linux's chk_code_allowed: the opcodes classic BPF has. */
static bool code_allowed(uint16_t code)
{
	switch (code) {
	case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K: case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_MOD | BPF_K: case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K: case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K: case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_W | BPF_ABS: case BPF_LD | BPF_H | BPF_ABS: case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_IND: case BPF_LD | BPF_H | BPF_IND: case BPF_LD | BPF_B | BPF_IND:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_B | BPF_MSH:
	case BPF_LDX | BPF_IMM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	}
	return false;
}

static bool is_cond_jump(uint16_t code)
{
	return BPF_CLASS_OF(code) == BPF_JMP && (code & 0xf0) != BPF_JA;
}

/* The ancillary loads Linux knows (bpf_anc_helper). */
static bool anc_known(uint32_t k)
{
	uint32_t off = k - (uint32_t)SKF_AD_OFF;

	switch (off) {
	case SKF_AD_PROTOCOL: case SKF_AD_PKTTYPE: case SKF_AD_IFINDEX:
	case SKF_AD_NLATTR: case SKF_AD_NLATTR_NEST: case SKF_AD_MARK:
	case SKF_AD_QUEUE: case SKF_AD_HATYPE: case SKF_AD_RXHASH:
	case SKF_AD_CPU: case SKF_AD_ALU_XOR_X: case SKF_AD_VLAN_TAG:
	case SKF_AD_VLAN_TAG_PRESENT: case SKF_AD_PAY_OFFSET: case SKF_AD_RANDOM:
	case SKF_AD_VLAN_TPID:
		return true;
	}
	return false;
}

/* One instruction's own checks, as the switch of bpf_check_classic. */
static int check_insn(const struct linux_sock_filter *f, uint32_t pc, uint32_t len)
{
	uint16_t code = f->code;

	if (!code_allowed(code))
		return -EINVAL;
	switch (code) {
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_MOD | BPF_K:
		return f->k == 0 ? -EINVAL : 0;
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		return f->k >= 32 ? -EINVAL : 0;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		return f->k >= BPF_MEMWORDS ? -EINVAL : 0;
	case BPF_JMP | BPF_JA:
		return f->k >= len - pc - 1 ? -EINVAL : 0;
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
		return f->k >= (uint32_t)SKF_AD_OFF && !anc_known(f->k) ? -EINVAL : 0;
	}
	if (is_cond_jump(code) && (pc + f->jt + 1 >= len || pc + f->jf + 1 >= len))
		return -EINVAL;
	return 0;
}

/*
 * Linux's check_load_and_stores: a scratch slot must be stored on every
 * path before it is loaded.  Jumps only go forward, so one pass suffices:
 * masks[pc] is what every path reaching pc has stored.
 */
static int check_mem(const struct linux_sock_filter *f, uint32_t len)
{
	uint16_t *masks = kmalloc(len * sizeof(uint16_t));
	uint16_t valid = 0;
	int err = 0;

	if (!masks)
		return -ENOMEM;
	for (uint32_t i = 0; i < len; i++)
		masks[i] = 0xffff;
	for (uint32_t pc = 0; pc < len && !err; pc++) {
		uint16_t code = f[pc].code;

		valid &= masks[pc];
		if (code == BPF_ST || code == BPF_STX) {
			valid |= (uint16_t)(1u << f[pc].k);
		} else if (code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM)) {
			if (!(valid & (1u << f[pc].k)))
				err = -EINVAL;
		} else if (code == (BPF_JMP | BPF_JA)) {
			masks[pc + 1 + f[pc].k] &= valid;
			valid = 0xffff;
		} else if (is_cond_jump(code)) {
			masks[pc + 1 + f[pc].jt] &= valid;
			masks[pc + 1 + f[pc].jf] &= valid;
			valid = 0xffff;
		}
	}
	kfree(masks);
	return err;
}

int bpf_check(const struct linux_sock_filter *f, uint32_t len)
{
	uint16_t last;

	if (len == 0 || len > BPF_MAXINSNS)
		return -EINVAL;
	for (uint32_t pc = 0; pc < len; pc++) {
		int err = check_insn(&f[pc], pc, len);

		if (err)
			return err;
	}
	last = f[len - 1].code;
	if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_A))
		return -EINVAL;
	return check_mem(f, len);
}

struct bpf_prog *bpf_prog_copy_from_user(uint64_t ua, uint32_t len, int *err)
{
	size_t bytes = (size_t)len * sizeof(struct linux_sock_filter);
	struct bpf_prog *prog = kmalloc(sizeof(*prog) + bytes);

	if (!prog) {
		*err = -ENOMEM;
		return NULL;
	}
	prog->len = len;
	if (copy_from_user(prog->insns, (uaddr_t)ua, bytes))
		*err = -EFAULT;
	else
		*err = bpf_check(prog->insns, prog->len);
	if (*err) {
		kfree(prog);
		return NULL;
	}
	return prog;
}

/* ---- the interpreter ---- */

static uint32_t size_of(uint16_t code)
{
	switch (code & 0x18) {
	case BPF_W: return 4;
	case BPF_H: return 2;
	}
	return 1;
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t v, bool *fail)
{
	switch (op) {
	case BPF_ADD: return a + v;
	case BPF_SUB: return a - v;
	case BPF_MUL: return a * v;
	case BPF_DIV:
	case BPF_MOD:
		if (!v) {
			*fail = true;	/* a zero X: the program returns 0 */
			return 0;
		}
		return op == BPF_DIV ? a / v : a % v;
	case BPF_AND: return a & v;
	case BPF_OR: return a | v;
	case BPF_XOR: return a ^ v;
	case BPF_LSH: return a << (v & 31);
	case BPF_RSH: return a >> (v & 31);
	case BPF_NEG: return -a;
	}
	*fail = true;
	return 0;
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_JEQ: return a == v;
	case BPF_JGT: return a > v;
	case BPF_JGE: return a >= v;
	}
	return (a & v) != 0;	/* BPF_JSET */
}

uint32_t bpf_run(const struct bpf_prog *prog, const struct bpf_source *src)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS];
	uint32_t pc = 0;

	memset(mem, 0, sizeof(mem));
	/* Jumps only go forward, so this ends within len steps; pc is checked anyway. */
	while (pc < prog->len) {
		const struct linux_sock_filter *f = &prog->insns[pc++];
		uint16_t code = f->code;
		uint32_t v;
		bool fail = false;

		switch (BPF_CLASS_OF(code)) {
		case BPF_LD:
			switch (code & 0xe0) {
			case BPF_IMM: a = f->k; break;
			case BPF_LEN: a = src->len; break;
			case BPF_MEM: a = mem[f->k % BPF_MEMWORDS]; break;
			case BPF_ABS:
				if (f->k >= (uint32_t)SKF_AD_OFF) {
					a = src->anc ? src->anc(src->ctx, f->k, a, x) : 0;
					break;
				}
				if (!src->load(src->ctx, f->k, size_of(code), &a))
					return 0;
				break;
			case BPF_IND:
				if (f->k + x < f->k || !src->load(src->ctx, f->k + x, size_of(code), &a))
					return 0;
				break;
			default:
				return 0;
			}
			break;
		case BPF_LDX:
			switch (code & 0xe0) {
			case BPF_IMM: x = f->k; break;
			case BPF_LEN: x = src->len; break;
			case BPF_MEM: x = mem[f->k % BPF_MEMWORDS]; break;
			case BPF_MSH:
				if (!src->load(src->ctx, f->k, 1, &v))
					return 0;
				x = (v & 0xf) << 2;
				break;
			default:
				return 0;
			}
			break;
		case BPF_ST:
			mem[f->k % BPF_MEMWORDS] = a;
			break;
		case BPF_STX:
			mem[f->k % BPF_MEMWORDS] = x;
			break;
		case BPF_ALU:
			a = alu(code & 0xf0, a, (code & BPF_X) ? x : f->k, &fail);
			if (fail)
				return 0;
			break;
		case BPF_JMP:
			if ((code & 0xf0) == BPF_JA)
				pc += f->k;
			else
				pc += jump_taken(code & 0xf0, a, (code & BPF_X) ? x : f->k) ? f->jt : f->jf;
			break;
		case BPF_RET:
			return (code & 0x18) == BPF_A ? a : f->k;
		case BPF_MISC:
			if ((code & 0xf8) == BPF_TXA)
				a = x;
			else
				x = a;
			break;
		}
	}
	return 0;
}
