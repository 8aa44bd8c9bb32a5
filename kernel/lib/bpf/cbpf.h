/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Classic BPF, shared by its users (packet socket filters in
 * kernel/net/packet/, seccomp filters in kernel/process/seccomp.c):
 * programs are checked as Linux's bpf_check_classic when installed, then
 * run by an interpreter that asks its user for every load, so that no
 * program, however built, reads outside the data it is given.
 */
#ifndef KERNEL_LIB_BPF_CBPF_H
#define KERNEL_LIB_BPF_CBPF_H
#include <aster/types.h>
#include "uapi/filter.h"

/* An opcode's class (Linux's BPF_CLASS). */
#define BPF_CLASS_OF(code)	((code) & 0x07)

struct bpf_prog {
	uint32_t len;			/* instructions, 1..BPF_MAXINSNS */
	struct linux_sock_filter insns[];
};

/*
 * What a program reads, as its user provides it.  load: the size (1, 2
 * or 4) bytes at offset k of a BPF_ABS, BPF_IND or BPF_MSH load (false:
 * outside the data, the program ends returning 0).  anc: an SKF_AD_*
 * ancillary load (only programs whose user's checker accepts them reach
 * it).  len: what BPF_LEN loads.
 */
struct bpf_source {
	bool (*load)(const void *ctx, uint32_t k, uint32_t size, uint32_t *out);
	uint32_t (*anc)(const void *ctx, uint32_t k, uint32_t a, uint32_t x);
	const void *ctx;
	uint32_t len;
};

/* Is this program one Linux's bpf_check_classic accepts: 0 or -EINVAL (-ENOMEM). */
int bpf_check(const struct linux_sock_filter *f, uint32_t len);
/*
 * Copy in a user's program of len instructions at ua (len already checked
 * to be 1..BPF_MAXINSNS) and check it with bpf_check: the program, or NULL
 * with *err (-EFAULT, -EINVAL, -ENOMEM).  kfree it.
 */
struct bpf_prog *bpf_prog_copy_from_user(uint64_t ua, uint32_t len, int *err);
/* Run a checked program: its return value. */
uint32_t bpf_run(const struct bpf_prog *prog, const struct bpf_source *src);

#endif
