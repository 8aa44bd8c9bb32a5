/* SPDX-License-Identifier: MPL-2.0 */
/*
 * bench.h -- what bench.c (the calibrated micro-benchmarks) and disk.c (the
 * disk and file-system suite) share.  Both are parts of one static guest
 * program, /bench/bench; see doc/bench.md.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t now_ns(void);

/* -errno of the last failed call (-EIO when errno is 0). */
int64_t neg_errno(void);

/*
 * The disk suite (bench -b DEV): mount DEV (an empty ext2 file system) on
 * MNT, run every disk figure once and print its "bench:" line; a tmpfs is
 * mounted on TMPFS_DIR for the tmpfs figure.  FILE_MIB is the size of the
 * big file.  Returns 0 when every figure was measured.
 */
int disk_suite(const char *dev, const char *mnt, const char *tmpfs_dir, long file_mib);

#endif
