// SPDX-License-Identifier: MPL-2.0
// /proc/PID/mounts, mountinfo and mountstats: the VFS's own texts
// (vfs_mounts_text: Linux's formats, mount ids, propagation and all), of
// the process's mount namespace seen from its root; and /proc/PID/net/unix, the
// socket layer's text (kernel/net), and the IPv4 stack's arp, dev, route
// and udp.
#include <aster/errno.h>
#include "fs/procfs/internal.h"
#include "net/socket.h"

/*
 * The mounts of the process's namespace as its root sees them (Linux's
 * mounts_open_common); an exited process shows nothing.
 */
static int show_mounts_of(struct pnode *n, struct text *t, enum mounts_format fmt)
{
	struct process *p = proc_process(n);
	struct mnt_namespace *ns = p ? mnt_ns_of(p) : NULL;
	struct fs_context *fs = p ? process_fs_get(p) : NULL;
	int err = text_reserve(t, 16384);

	if (!err && ns && fs)
		t->len += vfs_mounts_text(ns, fs, fmt, t->buf + t->len, t->cap - t->len);
	if (fs)
		fs_context_put(fs);
	mnt_ns_put(ns);
	if (p)
		process_put(p);
	return err;
}

int proc_show_mounts(struct pnode *n, struct text *t)
{
	return show_mounts_of(n, t, MOUNTS_MOUNTS);
}

int proc_show_mountinfo(struct pnode *n, struct text *t)
{
	return show_mounts_of(n, t, MOUNTS_INFO);
}

int proc_show_mountstats(struct pnode *n, struct text *t)
{
	return show_mounts_of(n, t, MOUNTS_STATS);
}

/* /proc/PID/net/unix: grown until the sockets' lines fit (or TEXT_MAX). */
static int show_net_unix(struct pnode *n, struct text *t)
{
	size_t want = 16384;

	(void)n;
	for (;;) {
		size_t len;

		if (text_reserve(t, want))
			return -ENOMEM;
		len = unix_proc_text(t->buf + t->len, t->cap - t->len);
		if (len + 1024 < t->cap - t->len || want >= TEXT_MAX / 2) {
			t->len += len;
			return 0;
		}
		want *= 2;
	}
}

/* /proc/PID/net/{arp,dev,route,udp}: the IPv4 stack's texts (kernel/net/ipv4). */
static int show_net_text_max(struct text *t, size_t (*gen)(char *, size_t), size_t max)
{
	if (text_reserve(t, max))
		return -ENOMEM;
	t->len += gen(t->buf + t->len, t->cap - t->len);
	return 0;
}

static int show_net_text(struct text *t, size_t (*gen)(char *, size_t))
{
	if (text_reserve(t, 65536))
		return -ENOMEM;
	t->len += gen(t->buf + t->len, t->cap - t->len);
	return 0;
}

static int show_net_arp(struct pnode *n, struct text *t)
{
	(void)n;
	return show_net_text(t, arp_proc_text);
}

static int show_net_dev(struct pnode *n, struct text *t)
{
	(void)n;
	return show_net_text(t, netdev_proc_text);
}

static int show_net_route(struct pnode *n, struct text *t)
{
	(void)n;
	return show_net_text(t, route_proc_text);
}

static int show_net_udp(struct pnode *n, struct text *t)
{
	(void)n;
	return show_net_text(t, udp_proc_text);
}

static int show_net_tcp(struct pnode *n, struct text *t)
{
	(void)n;
	/* 150 bytes a connection: room for a few thousand (TIME_WAIT ones included). */
	return show_net_text_max(t, tcp_proc_text, 512 * 1024);
}

/* /proc/PID/net/packet: the packet sockets (kernel/net/packet). */
static int show_net_packet(struct pnode *n, struct text *t)
{
	(void)n;
	return show_net_text(t, packet_proc_text);
}

static const struct proc_entry net_ents[] = {
	PROC_FILE("arp", 0444, show_net_arp),
	PROC_FILE("dev", 0444, show_net_dev),
	PROC_FILE("packet", 0444, show_net_packet),
	PROC_FILE("route", 0444, show_net_route),
	PROC_FILE("tcp", 0444, show_net_tcp),
	PROC_FILE("udp", 0444, show_net_udp),
	PROC_FILE("unix", 0444, show_net_unix),
};
const struct proc_dir proc_net_dir = { .ents = net_ents, .n = ARRAY_SIZE(net_ents), .ino_base = 0x8a0 };
