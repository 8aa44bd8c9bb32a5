/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/socket.h>, <asm/socket.h> and glibc's
 * <sys/socket.h>: address families, socket types, SOL_SOCKET options,
 * message flags, control messages, and the structs of the socket calls.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the
 * host's headers.
 */
#ifndef ASTER_UAPI_SOCKET_H
#define ASTER_UAPI_SOCKET_H

#include <aster/types.h>
#include "uapi/fcntl.h"
#include "uapi/uio.h"

#define AF_UNSPEC	0
#define AF_UNIX		1
#define AF_LOCAL	1
#define AF_INET		2
#define AF_INET6	10
#define AF_NETLINK	16
#define AF_PACKET	17

#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_RDM	4
#define SOCK_SEQPACKET	5
#define SOCK_PACKET	10
#define SOCK_NONBLOCK	O_NONBLOCK
#define SOCK_CLOEXEC	O_CLOEXEC
/* The type bits of socket()'s type argument (Linux's include/linux/net.h). */
#define SOCK_TYPE_MASK	0xf

#define SOL_SOCKET	1
#define SOL_NETLINK	270
#define SOMAXCONN	4096

#define SO_DEBUG	1
#define SO_REUSEADDR	2
#define SO_TYPE		3
#define SO_ERROR	4
#define SO_DONTROUTE	5
#define SO_BROADCAST	6
#define SO_SNDBUF	7
#define SO_RCVBUF	8
#define SO_KEEPALIVE	9
#define SO_OOBINLINE	10
#define SO_NO_CHECK	11
#define SO_PRIORITY	12
#define SO_LINGER	13
#define SO_BSDCOMPAT	14
#define SO_REUSEPORT	15
#define SO_PASSCRED	16
#define SO_PEERCRED	17
#define SO_RCVLOWAT	18
#define SO_SNDLOWAT	19
#define SO_RCVTIMEO	20
#define SO_SNDTIMEO	21
#define SO_BINDTODEVICE	25
#define SO_ATTACH_FILTER	26
#define SO_DETACH_FILTER	27
#define SO_ACCEPTCONN	30
#define SO_SNDBUFFORCE	32
#define SO_RCVBUFFORCE	33
#define SO_PROTOCOL	38
#define SO_DOMAIN	39
#define SO_LOCK_FILTER	44
#define SO_RCVTIMEO_NEW	66
#define SO_SNDTIMEO_NEW	67

#define SCM_RIGHTS	1
#define SCM_CREDENTIALS	2

#define MSG_OOB		0x1
#define MSG_PEEK	0x2
#define MSG_DONTROUTE	0x4
#define MSG_CTRUNC	0x8
#define MSG_PROXY	0x10
#define MSG_TRUNC	0x20
#define MSG_DONTWAIT	0x40
#define MSG_EOR		0x80
#define MSG_WAITALL	0x100
#define MSG_FIN		0x200
#define MSG_SYN		0x400
#define MSG_CONFIRM	0x800
#define MSG_RST		0x1000
#define MSG_ERRQUEUE	0x2000
#define MSG_NOSIGNAL	0x4000
#define MSG_MORE	0x8000
#define MSG_WAITFORONE	0x10000
#define MSG_BATCH	0x40000
#define MSG_ZEROCOPY	0x4000000
#define MSG_FASTOPEN	0x20000000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2

struct linux_sockaddr {
	uint16_t sa_family;
	char sa_data[14];
};

struct linux_ucred {
	int32_t pid;
	uint32_t uid;
	uint32_t gid;
};

struct linux_linger {
	int32_t l_onoff;
	int32_t l_linger;
};

/* SO_RCVTIMEO/SO_SNDTIMEO's struct timeval on x86-64. */
struct linux_sock_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct linux_msghdr {
	uint64_t msg_name;
	uint32_t msg_namelen;
	uint32_t pad0;
	uint64_t msg_iov;
	uint64_t msg_iovlen;
	uint64_t msg_control;
	uint64_t msg_controllen;
	uint32_t msg_flags;
	uint32_t pad1;
};

struct linux_mmsghdr {
	struct linux_msghdr msg_hdr;
	uint32_t msg_len;
	uint32_t pad;
};

struct linux_cmsghdr {
	uint64_t cmsg_len;
	int32_t cmsg_level;
	int32_t cmsg_type;
};

/* CMSG_ALIGN, CMSG_LEN and CMSG_SPACE of x86-64 (8-byte alignment). */
#define LINUX_CMSG_ALIGN(len)	(((len) + 7) & ~(size_t)7)
#define LINUX_CMSG_LEN(len)	(sizeof(struct linux_cmsghdr) + (len))
#define LINUX_CMSG_SPACE(len)	(sizeof(struct linux_cmsghdr) + LINUX_CMSG_ALIGN(len))

#endif
