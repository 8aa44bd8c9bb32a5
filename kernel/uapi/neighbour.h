/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/neighbour.h>: struct ndmsg, the NDA_* attributes
 * and the NUD_* neighbour states.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_NEIGHBOUR_H
#define ASTER_UAPI_NEIGHBOUR_H

#include <aster/types.h>

struct linux_ndmsg {
	uint8_t ndm_family;
	uint8_t ndm_pad1;
	uint16_t ndm_pad2;
	int32_t ndm_ifindex;
	uint16_t ndm_state;
	uint8_t ndm_flags;
	uint8_t ndm_type;
};

#define NDA_UNSPEC	0
#define NDA_DST		1
#define NDA_LLADDR	2
#define NDA_PROBES	4

#define NUD_INCOMPLETE	0x01
#define NUD_REACHABLE	0x02
#define NUD_STALE	0x04

#endif
