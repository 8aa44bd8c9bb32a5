/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/if_arp.h>: hardware types and ARP flags.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_IF_ARP_H
#define ASTER_UAPI_IF_ARP_H

#define ARPHRD_ETHER	1
#define ARPHRD_LOOPBACK	772

#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2

#define ATF_COM		0x02
#define ATF_PERM	0x04

#endif
