/* SPDX-License-Identifier: MPL-2.0 */
/*
 * disk.c -- the disk and file-system suite of /bench/bench (bench -b DEV),
 * run on our kernel and on Linux on identical fresh ext2 images made by the
 * host's mke2fs and attached as a virtio-blk disk.  See doc/bench.md.
 *
 * Unlike the calibrated figures of bench.c, each figure here is one fixed
 * amount of work measured once per boot: a 256 MiB write cannot be repeated
 * twenty times under TCG, and a cold cache exists only once per mount.  The
 * host boots the two kernels in interleaved rounds (bench.sh disk) and
 * reports each figure's median over the rounds.
 *
 * One boot, in this order (every step depends on the ones before it):
 *   mount DEV on MNT (ext2)
 *   ext2-write-NNNm     create MNT/big, write NNN MiB in 1 MiB writes, fsync
 *   umount, mount       (the cache is cold)
 *   ext2-read-NNNm-cold read MNT/big sequentially in 1 MiB reads
 *   ext2-read-NNNm-warm the same again (now from the page cache)
 *   umount, mount
 *   ext2-randread-4k-cold  RAND_READS preads of 4 KiB at distinct random
 *                       4 KiB-aligned offsets of MNT/big
 *   ext2-fsync-4k       FSYNC_OPS times: append 4 KiB to a new file, fsync
 *   ext2-create-10k     create, write SMALL_SIZE bytes, close NFILES files
 *                       in one new directory, then syncfs
 *   ext2-delete-10k     unlink them all, then syncfs
 *   umount
 *   tmpfs-create-write-unlink  TMPFS_OPS times on a fresh tmpfs: create,
 *                       write 4 KiB, close, unlink
 * Units: MiB/s, ops/s, files/s (higher is better), us/op (lower is better).
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

#define MIB		(1024L * 1024)
#define PAGE		4096L
#define SEQ_CHUNK	MIB
#define RAND_READS	4096L
#define FSYNC_OPS	256L
#define NFILES		10000L
#define SMALL_SIZE	1024L
#define TMPFS_OPS	10000L

static char *buf;		/* SEQ_CHUNK bytes */
static long file_size;		/* bytes of MNT/big */
static const char *d_dev, *d_mnt;
static char p_big[4200], p_fsync[4200], p_dir[4200], p_tmpfs_file[4200];

static int64_t ext2_mount(void)
{
	if (mount(d_dev, d_mnt, "ext2", 0, NULL) < 0)
		return neg_errno();
	return 0;
}

/* umount and mount again: nothing of the file system stays cached. */
static int64_t ext2_remount(void)
{
	if (umount(d_mnt) < 0)
		return neg_errno();
	return ext2_mount();
}

static void report(const char *name, double value, const char *unit)
{
	printf("bench: %s %.0f %s\n", name, value, unit);
}

static void report_error(const char *name, int64_t err)
{
	printf("bench: %s error %s\n", name, strerror((int)-err));
}

static double mib_per_s(long bytes, int64_t ns)
{
	return (double)bytes / MIB * 1e9 / (double)(ns > 0 ? ns : 1);
}

static double per_s(long ops, int64_t ns)
{
	return (double)ops * 1e9 / (double)(ns > 0 ? ns : 1);
}

/* Read or write all of FD sequentially in SEQ_CHUNK pieces; 0 or -errno. */
static int64_t seq_stream(int fd, int writing)
{
	for (long off = 0; off < file_size; off += SEQ_CHUNK) {
		ssize_t r = writing ? write(fd, buf, SEQ_CHUNK) : read(fd, buf, SEQ_CHUNK);
		if (r != SEQ_CHUNK)
			return r < 0 ? neg_errno() : -EPROTO;
	}
	return 0;
}

/* The time to create MNT/big, write it and fsync it, or -errno. */
static int64_t seq_write(void)
{
	int64_t t0 = now_ns();
	int fd = open(p_big, O_CREAT | O_EXCL | O_WRONLY, 0644);

	if (fd < 0)
		return neg_errno();
	int64_t err = seq_stream(fd, 1);
	if (!err && fsync(fd) < 0)
		err = neg_errno();
	close(fd);
	return err ? err : now_ns() - t0;
}

/* The time to read MNT/big from its start to its end, or -errno. */
static int64_t seq_read(int fd)
{
	if (lseek(fd, 0, SEEK_SET) != 0)
		return neg_errno();
	int64_t t0 = now_ns();
	int64_t err = seq_stream(fd, 0);
	if (!err && read(fd, buf, 1) != 0)
		err = -EPROTO;	/* the file must end where it was written */
	return err ? err : now_ns() - t0;
}

/* The cold read, then the warm one, of one open of MNT/big. */
static int seq_reads(const char *cold_name, const char *warm_name)
{
	int fd = open(p_big, O_RDONLY);
	int64_t cold = fd < 0 ? neg_errno() : seq_read(fd);
	int64_t warm = cold < 0 ? cold : seq_read(fd);

	if (fd >= 0)
		close(fd);
	if (cold < 0) {
		report_error(cold_name, cold);
		report_error(warm_name, cold);
		return 2;
	}
	report(cold_name, mib_per_s(file_size, cold), "MiB/s");
	if (warm < 0) {
		report_error(warm_name, warm);
		return 1;
	}
	report(warm_name, mib_per_s(file_size, warm), "MiB/s");
	return 0;
}

/* xorshift64: the same sequence on both kernels. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * The page numbers of the random reads: the first RAND_READS of a
 * Fisher-Yates shuffle of every page of the file, so no page is read twice
 * (every read is cold unless readahead brought it in).
 */
static long *rand_pages(long npages)
{
	long *p = malloc((size_t)npages * sizeof *p);
	uint64_t seed = 0x9e3779b97f4a7c15ULL;

	if (!p)
		return NULL;
	for (long i = 0; i < npages; i++)
		p[i] = i;
	for (long i = 0; i < RAND_READS && i < npages - 1; i++) {
		long j = i + (long)(rng_next(&seed) % (uint64_t)(npages - i));
		long t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
	return p;
}

/* The time of RAND_READS cold 4 KiB preads, or -errno. */
static int64_t rand_reads(void)
{
	long npages = file_size / PAGE;
	long *pages = rand_pages(npages);
	int fd = open(p_big, O_RDONLY);
	int64_t err = 0, t0 = now_ns();

	if (!pages || fd < 0)
		err = !pages ? -ENOMEM : neg_errno();
	for (long i = 0; !err && i < RAND_READS && i < npages; i++) {
		ssize_t r = pread(fd, buf, PAGE, pages[i] * PAGE);
		if (r != PAGE)
			err = r < 0 ? neg_errno() : -EPROTO;
	}
	int64_t t = now_ns() - t0;
	if (fd >= 0)
		close(fd);
	free(pages);
	return err ? err : t;
}

/* The time of FSYNC_OPS appends of 4 KiB to a new file, each fsynced. */
static int64_t fsync_appends(void)
{
	int fd = open(p_fsync, O_CREAT | O_EXCL | O_WRONLY, 0644);

	if (fd < 0)
		return neg_errno();
	int64_t err = 0, t0 = now_ns();
	for (long i = 0; !err && i < FSYNC_OPS; i++) {
		ssize_t r = write(fd, buf, PAGE);
		if (r != PAGE)
			err = r < 0 ? neg_errno() : -EPROTO;
		else if (fsync(fd) < 0)
			err = neg_errno();
	}
	int64_t t = now_ns() - t0;
	close(fd);
	return err ? err : t;
}

static void small_name(char *out, size_t len, long i)
{
	snprintf(out, len, "%s/f%05ld", p_dir, i);
}

/* syncfs of the file system holding MNT; 0 or -errno. */
static int64_t sync_mnt(void)
{
	int fd = open(d_mnt, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return neg_errno();
	int64_t err = syncfs(fd) < 0 ? neg_errno() : 0;
	close(fd);
	return err;
}

/* The time to create NFILES small files in MNT/dir and syncfs, or -errno. */
static int64_t create_files(void)
{
	char name[4300];
	int64_t err = 0;

	if (mkdir(p_dir, 0755) < 0)
		return neg_errno();
	int64_t t0 = now_ns();
	for (long i = 0; !err && i < NFILES; i++) {
		small_name(name, sizeof name, i);
		int fd = open(name, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0)
			return neg_errno();
		ssize_t r = write(fd, buf, SMALL_SIZE);
		if (r != SMALL_SIZE)
			err = r < 0 ? neg_errno() : -EPROTO;
		close(fd);
	}
	if (!err)
		err = sync_mnt();
	return err ? err : now_ns() - t0;
}

/* The time to unlink the NFILES files and syncfs, or -errno. */
static int64_t delete_files(void)
{
	char name[4300];
	int64_t t0 = now_ns();

	for (long i = 0; i < NFILES; i++) {
		small_name(name, sizeof name, i);
		if (unlink(name) < 0)
			return neg_errno();
	}
	int64_t err = sync_mnt();
	return err ? err : now_ns() - t0;
}

/* The time of TMPFS_OPS create + write 4 KiB + close + unlink, or -errno. */
static int64_t tmpfs_cwu(const char *dir)
{
	if (mount("tmpfs", dir, "tmpfs", 0, NULL) < 0)
		return neg_errno();
	int64_t err = 0, t0 = now_ns();
	for (long i = 0; !err && i < TMPFS_OPS; i++) {
		int fd = open(p_tmpfs_file, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0) {
			err = neg_errno();
			break;
		}
		ssize_t r = write(fd, buf, PAGE);
		if (r != PAGE)
			err = r < 0 ? neg_errno() : -EPROTO;
		close(fd);
		if (!err && unlink(p_tmpfs_file) < 0)
			err = neg_errno();
	}
	int64_t t = now_ns() - t0;
	umount(dir);
	return err ? err : t;
}

/* Report NAME from a time T of OPS operations in UNIT, or its error. */
static int report_rate(const char *name, int64_t t, long ops, const char *unit)
{
	if (t < 0) {
		report_error(name, t);
		return 1;
	}
	report(name, per_s(ops, t), unit);
	return 0;
}

static int report_latency_us(const char *name, int64_t t, long ops)
{
	if (t < 0) {
		report_error(name, t);
		return 1;
	}
	report(name, (double)t / 1000.0 / (double)ops, "us/op");
	return 0;
}

/* The ext2 figures, with the file system mounted; the number failed. */
static int ext2_figures(long mib)
{
	char w[64], rc[64], rw[64];
	int failed = 0;

	snprintf(w, sizeof w, "ext2-write-%ldm", mib);
	snprintf(rc, sizeof rc, "ext2-read-%ldm-cold", mib);
	snprintf(rw, sizeof rw, "ext2-read-%ldm-warm", mib);
	int64_t t = seq_write();
	if (t < 0) {
		report_error(w, t);
		return 1;	/* the reads need the file */
	}
	report(w, mib_per_s(file_size, t), "MiB/s");
	fflush(stdout);
	int64_t err = ext2_remount();
	if (err) {
		report_error(rc, err);
		return 2;
	}
	failed += seq_reads(rc, rw);
	fflush(stdout);
	err = ext2_remount();
	if (err)
		return failed + report_rate("ext2-randread-4k-cold", err, 1, "ops/s");
	long nreads = RAND_READS < file_size / PAGE ? RAND_READS : file_size / PAGE;
	failed += report_rate("ext2-randread-4k-cold", rand_reads(), nreads, "ops/s");
	fflush(stdout);
	failed += report_latency_us("ext2-fsync-4k", fsync_appends(), FSYNC_OPS);
	fflush(stdout);
	t = create_files();
	failed += report_rate("ext2-create-10k", t, NFILES, "files/s");
	fflush(stdout);
	if (t >= 0)
		failed += report_rate("ext2-delete-10k", delete_files(), NFILES, "files/s");
	return failed;
}

int disk_suite(const char *dev, const char *mnt, const char *tmpfs_dir, long file_mib)
{
	int failed = 0;

	d_dev = dev;
	d_mnt = mnt;
	file_size = file_mib * MIB;
	snprintf(p_big, sizeof p_big, "%s/big", mnt);
	snprintf(p_fsync, sizeof p_fsync, "%s/fsync", mnt);
	snprintf(p_dir, sizeof p_dir, "%s/dir", mnt);
	snprintf(p_tmpfs_file, sizeof p_tmpfs_file, "%s/file", tmpfs_dir);
	buf = malloc(SEQ_CHUNK);
	if (!buf || file_mib < 1)
		return 1;
	memset(buf, 'd', SEQ_CHUNK);
	mkdir(mnt, 0755);
	mkdir(tmpfs_dir, 0755);
	int64_t err = ext2_mount();
	if (err) {
		printf("bench: disk error mount %s on %s: %s\n", dev, mnt, strerror((int)-err));
		failed = 1;
	} else {
		failed += ext2_figures(file_mib);
		if (umount(mnt) < 0) {
			printf("bench: disk error umount %s: %s\n", mnt, strerror(errno));
			failed++;
		}
	}
	fflush(stdout);
	failed += report_rate("tmpfs-create-write-unlink", tmpfs_cwu(tmpfs_dir), TMPFS_OPS, "ops/s");
	fflush(stdout);
	free(buf);
	return failed != 0;
}
