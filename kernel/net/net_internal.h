/* SPDX-License-Identifier: MPL-2.0 */
/* Private to kernel/net/: the core's own helpers, shared by socket.c, sockopt.c and syscalls.c. */
#ifndef KERNEL_NET_NET_INTERNAL_H
#define KERNEL_NET_NET_INTERNAL_H
#include "net/socket.h"
#include "syscall/syscall.h"

/* A socket of the family, type and protocol (no file yet): 0 or -errno. */
int socket_create(int family, int type, int protocol, struct socket **out);
/* Release a socket that never got a file. */
void socket_destroy(struct socket *s);
/* Its file (the file owns the socket from now on): 0 or -ENOMEM. */
int socket_file(struct socket *s, unsigned int flags, struct file **out);
/* SOL_SOCKET options common to every family. */
int sock_setsockopt(struct socket *s, int level, int name, uaddr_t val, uint32_t len);
int sock_getsockopt(struct socket *s, int level, int name, uaddr_t val, uaddr_t lenp);

/* The socket at fd for one syscall (fdput h): 0, -EBADF, -ENOTSOCK. */
struct fd;
int sock_fdget(int fd, struct fd *h, struct socket **out);
/* Addresses from and to user memory, as Linux's move_addr_to_kernel/_user. */
int sock_addr_from_user(uaddr_t ua, int len, struct sock_addr *a);
int sock_addr_to_user(const struct sock_addr *a, uaddr_t ua, uaddr_t ulen);

#endif
