#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# /progs/ext2-crash-guest.sh -- the guest half of
# testsuite/aster.guest/ext2-crash.exp, with an empty ext2 file system as
# /dev/vda.  Mounts it and runs a writing workload until the host kills
# QEMU.  Iteration I:
#   writes /mnt/w/dK/fI (K = I % 4; a size from 100 bytes to 60 KiB, so
#     some files reach the indirect blocks), never touched again;
#   appends "entry I" to /mnt/w/log;
#   creates /mnt/w/tmp.I, renames it to /mnt/w/r.I, unlinks /mnt/w/r.(I-2);
#   every 5 iterations runs sync.
# Lines for the host:
#   crash: wrote I MD5        fI's contents, before it is synced
#   crash: synced I           a sync(1) that started after iteration I returned
# The host kills QEMU a few seconds after "crash: synced 10"; everything up
# to the last "synced" line it saw must survive (after e2fsck -fy).  After
# 3000 iterations the script says "crash: workload done" and stops.

mnt=/mnt
mkdir -p $mnt
mount -t ext2 /dev/vda $mnt || { echo "crash: mount failed"; exit 1; }
mkdir -p $mnt/w/d0 $mnt/w/d1 $mnt/w/d2 $mnt/w/d3
sync
echo "crash: workload begin"
i=0
while [ $i -lt 3000 ]; do
    f=$mnt/w/d$((i % 4))/f$i
    yes "file $i" | head -c $(( (i * 7919) % 61340 + 100 )) > $f
    echo "crash: wrote $i $(md5sum < $f | cut -d' ' -f1)"
    echo "entry $i" >> $mnt/w/log
    echo "temporary $i" > $mnt/w/tmp.$i
    mv $mnt/w/tmp.$i $mnt/w/r.$i
    rm -f $mnt/w/r.$((i - 2))
    if [ $((i % 5)) = 0 ]; then
        sync
        echo "crash: synced $i"
    fi
    i=$((i + 1))
done
echo "crash: workload done"
