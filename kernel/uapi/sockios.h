/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/sockios.h>: socket ioctls.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_SOCKIOS_H
#define ASTER_UAPI_SOCKIOS_H

#define SIOCINQ		0x541B
#define SIOCOUTQ	0x5411

/* A socket's O_ASYNC owner: F_SETOWN and F_GETOWN as ioctls. */
#define FIOSETOWN	0x8901
#define SIOCSPGRP	0x8902
#define FIOGETOWN	0x8903
#define SIOCGPGRP	0x8904

/* Routing table and interface ioctls (struct rtentry, struct ifreq, struct ifconf). */
#define SIOCADDRT	0x890B
#define SIOCDELRT	0x890C
#define SIOCGIFNAME	0x8910
#define SIOCGIFCONF	0x8912
#define SIOCGIFFLAGS	0x8913
#define SIOCSIFFLAGS	0x8914
#define SIOCGIFADDR	0x8915
#define SIOCSIFADDR	0x8916
#define SIOCGIFDSTADDR	0x8917
#define SIOCGIFBRDADDR	0x8919
#define SIOCSIFBRDADDR	0x891a
#define SIOCGIFNETMASK	0x891b
#define SIOCSIFNETMASK	0x891c
#define SIOCGIFMETRIC	0x891d
#define SIOCGIFMTU	0x8921
#define SIOCSIFMTU	0x8922
#define SIOCSIFNAME	0x8923
#define SIOCGIFHWADDR	0x8927
#define SIOCGIFINDEX	0x8933
#define SIOCGIFTXQLEN	0x8942
#define SIOCGIFMAP	0x8970

#endif
