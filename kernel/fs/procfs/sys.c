// SPDX-License-Identifier: MPL-2.0
// /proc/sys: the sysctls everyday programs read (kernel/, vm/, fs/).
// hostname is writable, as sethostname(2); boot_id is one random UUID per
// boot, uuid a fresh one at every read.  The System V IPC limits
// (kernel/shm*, sem, msg*) and /proc/sysvipc come from kernel/ipc/.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "fs/procfs/internal.h"
#include "fs/random.h"
#include "fs/locks.h"
#include "net/socket.h"
#include "ipc/ipc.h"
#include "fs/aio.h"
#include "uapi/capability.h"
#include "security/keys/keys.h"
#include "mm/vmar.h"
#include "process/capability.h"
#include "uapi/limits.h"
#include "printk/printk.h"

#define UUID_LEN	16
#define NR_OPEN		1048576		/* fd_table.c's FD_LIMIT_MAX, Linux's nr_open */
#define FILE_MAX	9223372036854775807UL	/* no limit on open files but memory */
#define HOSTNAME_MAX	64		/* __NEW_UTS_LEN */

static void put_uuid(struct text *t, const uint8_t u[UUID_LEN])
{
	for (int i = 0; i < UUID_LEN; i++)
		text_add(t, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", u[i]);
	text_add(t, "\n");
}

/* A random (version 4, RFC 4122 variant) UUID. */
static void random_uuid(uint8_t u[UUID_LEN])
{
	get_random_bytes(u, UUID_LEN);
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
}

static int show_uuid(struct pnode *n, struct text *t)
{
	uint8_t u[UUID_LEN];

	(void)n;
	random_uuid(u);
	put_uuid(t, u);
	return 0;
}

static int show_boot_id(struct pnode *n, struct text *t)
{
	static struct mutex lock = MUTEX_INIT;
	static uint8_t boot_id[UUID_LEN];
	static bool made;
	uint8_t u[UUID_LEN];

	(void)n;
	mutex_lock(&lock);
	if (!made)
		random_uuid(boot_id);
	made = true;
	memcpy(u, boot_id, UUID_LEN);
	mutex_unlock(&lock);
	put_uuid(t, u);
	return 0;
}

/* Since Linux 5.18 the pool is always full: 256 bits. */
static int show_256(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "256\n");
	return 0;
}

static int show_hostname(struct pnode *n, struct text *t)
{
	char name[HOSTNAME_MAX + 1];

	(void)n;
	uts_hostname_get(name, sizeof(name));
	text_add(t, "%s\n", name);
	return 0;
}

/* Linux's proc_dostring: up to the first newline, cut at 64 bytes. */
static int write_hostname(struct pnode *n, const char *buf, size_t len)
{
	size_t i = 0;

	(void)n;
	while (i < len && i < HOSTNAME_MAX && buf[i] != '\n' && buf[i] != 0)
		i++;
	return uts_hostname_set(buf, i);
}

static int show_domainname(struct pnode *n, struct text *t)
{
	char name[HOSTNAME_MAX + 1];

	(void)n;
	uts_domainname_get(name, sizeof(name));
	text_add(t, "%s\n", name);
	return 0;
}

/* As hostname: setdomainname(2)'s name, which uname(2) reports. */
static int write_domainname(struct pnode *n, const char *buf, size_t len)
{
	size_t i = 0;

	(void)n;
	while (i < len && i < HOSTNAME_MAX && buf[i] != '\n' && buf[i] != 0)
		i++;
	return uts_domainname_set(buf, i);
}

/* setgroups(2)'s limit. */
static int show_ngroups_max(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%d\n", NGROUPS_MAX);
	return 0;
}

/* Nothing here taints the kernel (no modules, no forced loads): no flag is ever set. */
static int show_tainted(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "0\n");
	return 0;
}

static int show_osrelease(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%s\n", uts_release());
	return 0;
}

static int show_version(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%s\n", uts_version());
	return 0;
}

static int show_ostype(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "Linux\n");
	return 0;
}

static int show_cap_last_cap(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%d\n", CAP_LAST_CAP);
	return 0;
}

static int show_pid_max(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%d\n", process_pid_max());
	return 0;
}

/* Heuristic overcommit (mode 0) is what kernel/mm/ does. */
static int show_overcommit(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "0\n");
	return 0;
}

static int show_file_max(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%lu\n", FILE_MAX);
	return 0;
}

/* Allocated file handles, free ones (always 0 since Linux 2.6), the maximum. */
static int show_file_nr(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%u\t0\t%lu\n", vfs_nr_files(), FILE_MAX);
	return 0;
}

static int show_nr_open(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%d\n", NR_OPEN);
	return 0;
}

/* fs/aio-nr and aio-max-nr: AIO's system-wide count of io_setup's nr_events, and its limit. */
static int show_aio_nr(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%lu\n", (unsigned long)aio_nr_get());
	return 0;
}

static int show_aio_max_nr(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%lu\n", (unsigned long)aio_max_nr_get());
	return 0;
}

static int write_aio_max_nr(struct pnode *n, const char *buf, size_t len)
{
	uint64_t v;
	const char *end = buf + len, *p;

	(void)n;
	p = sysctl_parse_u32(buf, end, &v);
	if (!p)
		return -EINVAL;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	if (p != end)
		return -EINVAL;
	aio_max_nr_set(v);
	return 0;
}

/* kernel/core_pattern (the rest of the core dump settings are numbers, below). */
static int show_core_pattern(struct pnode *n, struct text *t)
{
	char buf[160];

	(void)n;
	coredump_pattern_get(buf, sizeof(buf));
	text_add(t, "%s\n", buf);
	return 0;
}

static int write_core_pattern(struct pnode *n, const char *buf, size_t len)
{
	(void)n;
	return coredump_pattern_set(buf, len);
}

/* kernel/core_uses_pid, core_pipe_limit, fs/suid_dumpable: the entry's name is the setting's. */
static int show_core_int(struct pnode *n, struct text *t)
{
	int v, err = coredump_sysctl_get(n->e->name, &v);

	if (err)
		return err;
	text_add(t, "%d\n", v);
	return 0;
}

/* fs/inotify/: the entry's name is the limit's. */
static int show_inotify(struct pnode *n, struct text *t)
{
	int v, err = inotify_sysctl_get(n->e->name, &v);

	if (err)
		return err;
	text_add(t, "%d\n", v);
	return 0;
}

static int write_inotify(struct pnode *n, const char *buf, size_t len)
{
	int v, err = sysctl_parse_int(buf, len, &v);

	return err ? err : inotify_sysctl_set(n->e->name, v);
}

static int show_printk(struct pnode *n, struct text *t)
{
	int v[PRINTK_LEVELS];

	(void)n;
	printk_levels_get(v);
	text_add(t, "%d\t%d\t%d\t%d\n", v[0], v[1], v[2], v[3]);
	return 0;
}

/* Linux's proc_dointvec over the four levels: 1 to 4 integers, the rest unchanged. */
static int write_printk(struct pnode *n, const char *buf, size_t len)
{
	int v[PRINTK_LEVELS];
	size_t k = 0, i = 0;

	(void)n;
	while (k < PRINTK_LEVELS) {
		size_t start, end;
		int err;

		while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n'))
			i++;
		if (i == len || buf[i] == 0)
			break;
		start = i;
		while (i < len && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != 0)
			i++;
		end = i;
		err = sysctl_parse_int(buf + start, end - start, &v[k]);
		if (err)
			return err;
		k++;
	}
	if (!k)
		return -EINVAL;
	printk_levels_set(v, k);
	return 0;
}

static int show_pipe_max_size(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%u\n", pipe_max_size_get());
	return 0;
}

/* Linux's proc_dopipe_max_size: an unsigned int, rounded up as F_SETPIPE_SZ rounds. */
static int write_pipe_max_size(struct pnode *n, const char *buf, size_t len)
{
	uint64_t v;
	bool neg;
	int err = sysctl_parse_num(buf, len, &v, &neg);

	(void)n;
	if (err)
		return err;
	return neg ? -EINVAL : pipe_max_size_set(v);
}

static int show_pipe_user_pages(struct pnode *n, struct text *t)
{
	text_add(t, "%lu\n", (unsigned long)pipe_user_pages_get(!strcmp(n->e->name, "pipe-user-pages-hard")));
	return 0;
}

/* proc_doulongvec_minmax: an unsigned long. */
static int write_pipe_user_pages(struct pnode *n, const char *buf, size_t len)
{
	uint64_t v;
	bool neg;
	int err = sysctl_parse_num(buf, len, &v, &neg);

	if (err)
		return err;
	if (neg)
		return -EINVAL;
	pipe_user_pages_set(!strcmp(n->e->name, "pipe-user-pages-hard"), v);
	return 0;
}

static int show_threads_max(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%d\n", process_threads_max());
	return 0;
}

static int write_threads_max(struct pnode *n, const char *buf, size_t len)
{
	int v, err = sysctl_parse_int(buf, len, &v);

	(void)n;
	return err ? err : process_threads_max_set(v);
}

/* fs/leases-enable and fs/lease-break-time: plain integers (proc_dointvec). */
static int show_lease(struct pnode *n, struct text *t)
{
	text_add(t, "%d\n", lease_sysctl_get(strcmp(n->e->name, "leases-enable") == 0));
	return 0;
}

static int write_lease(struct pnode *n, const char *buf, size_t len)
{
	int v, err = sysctl_parse_int(buf, len, &v);

	if (!err)
		lease_sysctl_set(strcmp(n->e->name, "leases-enable") == 0, v);
	return err;
}

static int show_max_map_count(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%d\n", vm_max_map_count());
	return 0;
}

static int write_max_map_count(struct pnode *n, const char *buf, size_t len)
{
	int v, err = sysctl_parse_int(buf, len, &v);

	(void)n;
	return err ? err : vm_max_map_count_set(v);
}

static int show_mmap_min_addr(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%lu\n", (unsigned long)vm_mmap_min_addr());
	return 0;
}

/* Linux's mmap_min_addr_handler: root without CAP_SYS_RAWIO may not lower the floor. */
static int write_mmap_min_addr(struct pnode *n, const char *buf, size_t len)
{
	uint64_t v;
	bool neg;
	int err;

	(void)n;
	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	err = sysctl_parse_num(buf, len, &v, &neg);
	if (err)
		return err;
	if (neg)
		return -EINVAL;	/* proc_doulongvec_minmax */
	vm_mmap_min_addr_set(v);
	return 0;
}

static int write_core_int(struct pnode *n, const char *buf, size_t len)
{
	int v, err = sysctl_parse_dec_int(buf, len, &v);

	return err ? err : coredump_sysctl_set(n->e->name, v);
}

/* kernel/{shmmax,shmall,shmmni,sem,msgmax,msgmnb,msgmni}: the entry's name is the limit's. */
static int show_ipc_limit(struct pnode *n, struct text *t)
{
	char buf[96];
	int len = ipc_sysctl_show(n->e->name, buf, sizeof(buf));

	if (len < 0)
		return len;
	text_put(t, buf, (size_t)len);
	return 0;
}

static int write_ipc_limit(struct pnode *n, const char *buf, size_t len)
{
	return ipc_sysctl_write(n->e->name, buf, len);
}

/* /proc/sysvipc/{shm,sem,msg}. */
static int show_sysvipc(struct pnode *n, struct text *t)
{
	char *buf;
	size_t len;
	int err = ipc_proc_text(n->e->name, &buf, &len);

	if (err)
		return err;
	text_put(t, buf, len);
	kfree(buf);
	return 0;
}

/* kernel/keys/: the key service's quotas and timeouts, by the entry's name. */
static int show_keys_sysctl(struct pnode *n, struct text *t)
{
	char buf[32];
	int len = keys_sysctl_show(n->e->name, buf, sizeof(buf));

	if (len < 0)
		return len;
	text_put(t, buf, (size_t)len);
	return 0;
}

static int write_keys_sysctl(struct pnode *n, const char *buf, size_t len)
{
	return keys_sysctl_write(n->e->name, buf, len);
}

static const struct proc_entry keys_ents[] = {
	PROC_RW("gc_delay", 0644, show_keys_sysctl, write_keys_sysctl),
	PROC_RW("maxbytes", 0644, show_keys_sysctl, write_keys_sysctl),
	PROC_RW("maxkeys", 0644, show_keys_sysctl, write_keys_sysctl),
	PROC_RW("persistent_keyring_expiry", 0644, show_keys_sysctl, write_keys_sysctl),
	PROC_RW("root_maxbytes", 0644, show_keys_sysctl, write_keys_sysctl),
	PROC_RW("root_maxkeys", 0644, show_keys_sysctl, write_keys_sysctl),
};
static const struct proc_dir keys_dir = { .ents = keys_ents, .n = ARRAY_SIZE(keys_ents), .ino_base = 0x900 };

static const struct proc_entry sysvipc_ents[] = {
	PROC_FILE("msg", 0444, show_sysvipc),
	PROC_FILE("sem", 0444, show_sysvipc),
	PROC_FILE("shm", 0444, show_sysvipc),
};
const struct proc_dir proc_sysvipc_dir = {
	.ents = sysvipc_ents, .n = ARRAY_SIZE(sysvipc_ents), .ino_base = 0x8c0,
};

static const struct proc_entry random_ents[] = {
	PROC_FILE("boot_id", 0444, show_boot_id),
	PROC_FILE("entropy_avail", 0444, show_256),
	PROC_FILE("poolsize", 0444, show_256),
	PROC_FILE("uuid", 0444, show_uuid),
};
static const struct proc_dir random_dir = {
	.ents = random_ents, .n = ARRAY_SIZE(random_ents), .ino_base = 0x840,
};

static const struct proc_entry kernel_ents[] = {
	PROC_FILE("cap_last_cap", 0444, show_cap_last_cap),
	PROC_RW("core_pattern", 0644, show_core_pattern, write_core_pattern),
	PROC_RW("core_pipe_limit", 0644, show_core_int, write_core_int),
	PROC_RW("core_uses_pid", 0644, show_core_int, write_core_int),
	PROC_RW("domainname", 0644, show_domainname, write_domainname),
	PROC_RW("hostname", 0644, show_hostname, write_hostname),
	PROC_DIR("keys", 0555, &keys_dir, 0),
	PROC_RW("msgmax", 0644, show_ipc_limit, write_ipc_limit),
	PROC_RW("msgmnb", 0644, show_ipc_limit, write_ipc_limit),
	PROC_RW("msgmni", 0644, show_ipc_limit, write_ipc_limit),
	PROC_FILE("ngroups_max", 0444, show_ngroups_max),
	PROC_FILE("osrelease", 0444, show_osrelease),
	PROC_FILE("ostype", 0444, show_ostype),
	PROC_FILE("pid_max", 0444, show_pid_max),
	PROC_RW("printk", 0644, show_printk, write_printk),
	PROC_DIR("random", 0555, &random_dir, 0),
	PROC_RW("sem", 0644, show_ipc_limit, write_ipc_limit),
	PROC_RW("shmall", 0644, show_ipc_limit, write_ipc_limit),
	PROC_RW("shmmax", 0644, show_ipc_limit, write_ipc_limit),
	PROC_RW("shmmni", 0644, show_ipc_limit, write_ipc_limit),
	PROC_FILE("tainted", 0444, show_tainted),
	PROC_RW("threads-max", 0644, show_threads_max, write_threads_max),
	PROC_FILE("version", 0444, show_version),
};
static const struct proc_dir kernel_dir = {
	.ents = kernel_ents, .n = ARRAY_SIZE(kernel_ents), .ino_base = 0x820,
};

static const struct proc_entry vm_ents[] = {
	PROC_RW("max_map_count", 0644, show_max_map_count, write_max_map_count),
	PROC_RW("mmap_min_addr", 0644, show_mmap_min_addr, write_mmap_min_addr),
	PROC_FILE("overcommit_memory", 0444, show_overcommit),
};
static const struct proc_dir vm_dir = { .ents = vm_ents, .n = ARRAY_SIZE(vm_ents), .ino_base = 0x860 };

static const struct proc_entry mqueue_ents[] = {
	PROC_RW("msg_default", 0644, show_ipc_limit, write_ipc_limit),
	PROC_RW("msg_max", 0644, show_ipc_limit, write_ipc_limit),
	PROC_RW("msgsize_default", 0644, show_ipc_limit, write_ipc_limit),
	PROC_RW("msgsize_max", 0644, show_ipc_limit, write_ipc_limit),
	PROC_RW("queues_max", 0644, show_ipc_limit, write_ipc_limit),
};
static const struct proc_dir mqueue_dir = {
	.ents = mqueue_ents, .n = ARRAY_SIZE(mqueue_ents), .ino_base = 0x8e0,
};

static const struct proc_entry inotify_ents[] = {
	PROC_RW("max_queued_events", 0644, show_inotify, write_inotify),
	PROC_RW("max_user_instances", 0644, show_inotify, write_inotify),
	PROC_RW("max_user_watches", 0644, show_inotify, write_inotify),
};
static const struct proc_dir inotify_dir = {
	.ents = inotify_ents, .n = ARRAY_SIZE(inotify_ents), .ino_base = 0x920,
};

static const struct proc_entry fs_ents[] = {
	PROC_RW("aio-max-nr", 0644, show_aio_max_nr, write_aio_max_nr),
	PROC_FILE("aio-nr", 0444, show_aio_nr),
	PROC_FILE("file-max", 0444, show_file_max),
	PROC_FILE("file-nr", 0444, show_file_nr),
	PROC_DIR("inotify", 0555, &inotify_dir, 0),
	PROC_RW("lease-break-time", 0644, show_lease, write_lease),
	PROC_RW("leases-enable", 0644, show_lease, write_lease),
	PROC_DIR("mqueue", 0555, &mqueue_dir, 0),
	PROC_FILE("nr_open", 0444, show_nr_open),
	PROC_RW("pipe-max-size", 0644, show_pipe_max_size, write_pipe_max_size),
	PROC_RW("pipe-user-pages-hard", 0644, show_pipe_user_pages, write_pipe_user_pages),
	PROC_RW("pipe-user-pages-soft", 0644, show_pipe_user_pages, write_pipe_user_pages),
	PROC_RW("suid_dumpable", 0644, show_core_int, write_core_int),
};
static const struct proc_dir fs_dir = { .ents = fs_ents, .n = ARRAY_SIZE(fs_ents), .ino_base = 0x880 };

static int show_ping_group_range(struct pnode *n, struct text *t)
{
	uint32_t lo, hi;

	(void)n;
	ping_group_range_get(&lo, &hi);
	text_add(t, "%u\t%u\n", lo, hi);
	return 0;
}

static int write_ping_group_range(struct pnode *n, const char *buf, size_t len)
{
	uint64_t lo, hi;
	const char *p = sysctl_parse_u32(buf, buf + len, &lo);

	(void)n;
	if (p)
		p = sysctl_parse_u32(p, buf + len, &hi);
	if (!p)
		return -EINVAL;
	return ping_group_range_set(lo, hi);
}

static int show_port_range(struct pnode *n, struct text *t)
{
	(void)n;
	text_add(t, "%u\t%u\n", EPHEMERAL_LOW, EPHEMERAL_HIGH);
	return 0;
}

static const struct proc_entry ipv4_ents[] = {
	PROC_FILE("ip_local_port_range", 0444, show_port_range),
	PROC_RW("ping_group_range", 0644, show_ping_group_range, write_ping_group_range),
};
static const struct proc_dir ipv4_dir = { .ents = ipv4_ents, .n = ARRAY_SIZE(ipv4_ents), .ino_base = 0x8e0 };

static const struct proc_entry net_ents[] = {
	PROC_DIR("ipv4", 0555, &ipv4_dir, 0),
};
static const struct proc_dir net_dir = { .ents = net_ents, .n = ARRAY_SIZE(net_ents), .ino_base = 0x8c0 };

static const struct proc_entry sys_ents[] = {
	PROC_DIR("fs", 0555, &fs_dir, 0),
	PROC_DIR("kernel", 0555, &kernel_dir, 0),
	PROC_DIR("net", 0555, &net_dir, 0),
	PROC_DIR("vm", 0555, &vm_dir, 0),
};
const struct proc_dir proc_sys_dir = { .ents = sys_ents, .n = ARRAY_SIZE(sys_ents), .ino_base = 0x800 };
