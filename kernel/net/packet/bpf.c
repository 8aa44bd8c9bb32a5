// SPDX-License-Identifier: MPL-2.0
// Classic BPF socket filters: a user's struct sock_fprog copied in and
// checked by the shared checker (kernel/lib/bpf/), and what the shared
// interpreter reads of a packet: its bytes, bounds-checked (an
// out-of-range load ends the program with 0, drop, as Linux), the link and
// network headers at SKF_LL_OFF/SKF_NET_OFF and the SKF_AD_* values.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "fs/random.h"
#include "net/packet/bpf.h"

/*
 * Linux charges a socket's filter to net.core.optmem_max (20480): its
 * program after translation to eBPF, at least one 8-byte instruction per
 * classic one, behind a header.  We charge the classic program the same
 * way, so a program past about 2500 instructions is ENOMEM, as there.
 */
#define FILTER_MEM_MAX	20480
#define FILTER_MEM_HDR	80

struct bpf_prog *bpf_prog_from_user(uaddr_t ufprog, uint32_t optlen, int *err)
{
	struct linux_sock_fprog fp;
	struct bpf_prog *prog;

	*err = -EINVAL;
	if (optlen < sizeof(fp))
		return NULL;
	if (copy_from_user(&fp, ufprog, sizeof(fp))) {
		*err = -EFAULT;
		return NULL;
	}
	/* Linux's bpf_check_basics_ok. */
	if (!fp.filter || fp.len == 0 || fp.len > BPF_MAXINSNS)
		return NULL;
	prog = bpf_prog_copy_from_user(fp.filter, fp.len, err);
	if (prog && (size_t)fp.len * sizeof(struct linux_sock_filter) + FILTER_MEM_HDR > FILTER_MEM_MAX) {
		kfree(prog);
		*err = -ENOMEM;
		return NULL;
	}
	return prog;
}

/* ---- what a packet filter reads ---- */

/* Where a load of size bytes at offset k starts, or NULL when any of it is outside the packet. */
static const uint8_t *load_ptr(const struct bpf_pkt *pkt, uint32_t k, uint32_t size)
{
	const uint8_t *base = pkt->data;
	uint32_t avail = pkt->len;

	if (k >= (uint32_t)SKF_LL_OFF && k < (uint32_t)SKF_AD_OFF) {
		/* Linux's bpf_internal_load_pointer_neg_helper: the link or network header. */
		if (k >= (uint32_t)SKF_NET_OFF) {
			k -= (uint32_t)SKF_NET_OFF;
			base = pkt->net;
			avail = pkt->net_len;
		} else {
			k -= (uint32_t)SKF_LL_OFF;
			base = pkt->mac;
			avail = pkt->mac_len;
		}
		if (!base)
			return NULL;
	}
	if (k > avail || size > avail - k)
		return NULL;
	return base + k;
}

static bool pkt_load(const void *ctx, uint32_t k, uint32_t size, uint32_t *out)
{
	const struct bpf_pkt *pkt = ctx;
	const uint8_t *p = load_ptr(pkt, k, size);

	if (!p)
		return false;
	if (size == 4)
		*out = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	else if (size == 2)
		*out = (uint32_t)p[0] << 8 | p[1];
	else
		*out = p[0];
	return true;
}

/* An SKF_AD_* load (checked to be a known one when attached). */
static uint32_t pkt_anc(const void *ctx, uint32_t k, uint32_t a, uint32_t x)
{
	const struct bpf_pkt *pkt = ctx;
	uint32_t r = 0;

	switch (k - (uint32_t)SKF_AD_OFF) {
	case SKF_AD_PROTOCOL: return pkt->protocol;
	case SKF_AD_PKTTYPE: return pkt->pkttype;
	case SKF_AD_IFINDEX: return (uint32_t)pkt->ifindex;
	case SKF_AD_HATYPE: return pkt->hatype;
	case SKF_AD_ALU_XOR_X: return a ^ x;
	case SKF_AD_PAY_OFFSET:
		return pkt->net ? (uint32_t)(pkt->net - pkt->data) : 0;
	case SKF_AD_RANDOM:
		get_random_bytes(&r, sizeof(r));
		return r;
	}
	/* No marks, queues, hashes, VLANs or netlink attributes here: 0, as Linux for a packet without them. */
	return 0;
}

uint32_t bpf_run_packet(const struct bpf_prog *prog, const struct bpf_pkt *pkt)
{
	struct bpf_source src = { .load = pkt_load, .anc = pkt_anc, .ctx = pkt, .len = pkt->len };

	return bpf_run(prog, &src);
}
