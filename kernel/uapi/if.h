/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/if.h>: interface flags and the ifreq/ifconf of
 * the SIOC*IF* ioctls.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_IF_H
#define ASTER_UAPI_IF_H

#include <aster/types.h>

#define IFNAMSIZ	16

#define IFF_UP		0x1
#define IFF_BROADCAST	0x2
#define IFF_DEBUG	0x4
#define IFF_LOOPBACK	0x8
#define IFF_POINTOPOINT	0x10
#define IFF_NOTRAILERS	0x20
#define IFF_RUNNING	0x40
#define IFF_NOARP	0x80
#define IFF_PROMISC	0x100
#define IFF_ALLMULTI	0x200
#define IFF_MULTICAST	0x1000
#define IFF_LOWER_UP	0x10000

/*
 * struct ifreq: the name, then a union of a struct sockaddr (16 bytes), a
 * short, an int, a map or a pointer; 40 bytes.  Kept as bytes here (the
 * union holds a pointer); kernel/net/dev/ioctl.c reads the member a
 * command uses at its offset.
 */
struct linux_ifreq {
	char ifr_name[IFNAMSIZ];
	uint8_t ifr_u[24];
};

/* struct ifconf: the buffer length, then a user pointer to ifreqs. */
struct linux_ifconf {
	int32_t ifc_len;
	int32_t pad;
	uint64_t ifc_buf;
};

#endif
