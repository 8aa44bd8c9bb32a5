/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Classic BPF socket filters (doc/net.md, "Packet sockets and BPF"):
 * validated as Linux's bpf_check_classic (sk_chk_filter) when attached,
 * then run on each packet with every packet and memory access checked, so
 * that no program, however built, reads outside the packet it is given.
 * The checker and interpreter are kernel/lib/bpf/'s (seccomp shares them).
 */
#ifndef KERNEL_NET_PACKET_BPF_H
#define KERNEL_NET_PACKET_BPF_H
#include <aster/types.h>
#include <aster/uaccess.h>
#include "lib/bpf/cbpf.h"

/* What a program may ask about the packet besides its bytes (the SKF_AD_* loads). */
struct bpf_pkt {
	const uint8_t *data;		/* where offset 0 of a BPF_ABS load is */
	uint32_t len;
	/* Offsets within data of the link (mac) and network headers; the link header may lie before data. */
	const uint8_t *mac;		/* NULL: none */
	uint32_t mac_len;		/* bytes from mac to the end of the packet */
	const uint8_t *net;
	uint32_t net_len;
	uint16_t protocol;		/* ETH_P_*, host order */
	uint8_t pkttype;
	int ifindex;
	uint16_t hatype;
};

/* Copy in and check a user's struct sock_fprog (Linux's sk_attach_filter): the program, or NULL with *err. */
struct bpf_prog *bpf_prog_from_user(uaddr_t fprog, uint32_t optlen, int *err);
/* Run a checked program: the number of bytes to keep (0: drop). */
uint32_t bpf_run_packet(const struct bpf_prog *prog, const struct bpf_pkt *pkt);

#endif
