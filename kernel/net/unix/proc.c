// SPDX-License-Identifier: MPL-2.0
// /proc/net/unix in Linux's format (net/unix/af_unix.c's unix_seq_show):
// the kernel address is shown as zeros, as Linux does for readers
// without CAP_SYSLOG under kptr_restrict.
#include <aster/format.h>
#include <aster/string.h>
#include "net/unix/unix.h"

#define SO_ACCEPTCON_FLAG	(1 << 16)	/* Linux's __SO_ACCEPTCON */
/* Linux's socket_state, as the St column shows it. */
#define SS_UNCONNECTED		1
#define SS_CONNECTING		2
#define SS_CONNECTED		3
#define SS_DISCONNECTING	4

static size_t show_path(const struct sock_addr *a, char *buf, size_t size)
{
	size_t n = 0, len = a->len > 2 ? a->len - 2 : 0;
	const uint8_t *p = a->a + 2;
	bool abstract = len && p[0] == 0;

	if (!len || size < 2)
		return 0;
	buf[n++] = ' ';
	if (!abstract)
		len = strnlen((const char *)p, len);
	for (size_t i = 0; i < len && n + 1 < size; i++)
		buf[n++] = p[i] ? (char)p[i] : '@';
	return n;
}

size_t unix_proc_text(char *buf, size_t size)
{
	struct unix_sock *u;
	size_t n = 0;
	int k;

	k = snprintf(buf, size, "Num       RefCount Protocol Flags    Type St Inode Path\n");
	n = k > 0 ? MIN((size_t)k, size) : 0;
	mutex_lock(&unix_lock);
	list_for_each_entry(u, &unix_sockets, all) {
		int st = u->sock ? (u->state == UNIX_CONNECTED ? SS_CONNECTED : SS_UNCONNECTED) :
			 (u->state == UNIX_CONNECTED ? SS_CONNECTING : SS_DISCONNECTING);

		if (n + 128 + UNIX_PATH_MAX >= size)
			break;
		k = snprintf(buf + n, size - n, "0000000000000000: %08X %08X %08X %04X %02X %5lu",
			     (unsigned int)refcount_read(&u->refs), 0u,
			     u->state == UNIX_LISTEN ? SO_ACCEPTCON_FLAG : 0, (unsigned int)u->type,
			     (unsigned int)st, (unsigned long)(u->sock ? u->sock->ino : 0));
		if (k < 0)
			break;
		n += (size_t)k;
		if (u->addr)
			n += show_path(u->addr, buf + n, size - n);
		buf[n++] = '\n';
	}
	mutex_unlock(&unix_lock);
	if (n < size)
		buf[n] = 0;
	return n;
}
