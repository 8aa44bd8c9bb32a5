#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# /progs/blk-guest.sh -- the guest half of testsuite/aster.guest/virtio-blk.exp,
# run with four disks: vda (pattern, writable), vdb (pattern, read-only),
# vdc (MBR) and vdd (GPT), as testsuite/blk/mkdisk.py made them.  Prints
# what the host checks, each line starting with "blk: ", and t_blk's
# results between run.sh's markers; ends with "blk: all done".

echo "blk: partitions begin"
cat /proc/partitions
echo "blk: partitions end"
for d in vda vdb vdc1 vdc2 vdc5 vdc6 vdd1 vdd2 vdd4; do
    echo "blk: md5 $d $(md5sum < /dev/$d | cut -d' ' -f1)"
done
# Four readers at once: requests of several tasks in flight together.
for d in vdc1 vdc6 vdd1 vdd4; do
    (echo "blk: parallel md5 $d $(dd if=/dev/$d bs=64k 2>/dev/null | md5sum | cut -d' ' -f1)") &
done
wait
for f in glibc musl dyn; do
    [ -x /progs/t_blk.$f ] || continue
    echo "aster-progs: begin t_blk.$f"
    /progs/t_blk.$f /dev/vda /dev/vdb
    echo "aster-progs: end t_blk.$f status $?"
done
for d in vda vdb vdc vdc5 vdd4; do
    b=/sys/class/block/$d
    echo "blk: sysfs $d dev=$(cat $b/dev) size=$(cat $b/size) ro=$(cat $b/ro)"
done
echo "blk: sysfs vdc5 start=$(cat /sys/class/block/vdc5/start) partition=$(cat /sys/class/block/vdc5/partition)"
echo "blk: sysfs vda lbs=$(cat /sys/block/vda/queue/logical_block_size) devlink=$(cat /sys/dev/block/$(cat /sys/block/vda/dev)/size)"
# The host checks these bytes in vda's image after the power-off: 64 KiB of
# vdc1 written in 1000-byte pieces from byte 1050000 on (no piece aligned).
dd if=/dev/vdc1 of=/dev/vda ibs=4096 count=16 obs=1000 seek=1050 conv=notrunc,fsync 2>/dev/null
echo "blk: copy status $?"
echo "blk: diskstats $(grep ' vda ' /proc/diskstats)"
sync
echo "blk: all done"
