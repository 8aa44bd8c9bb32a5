#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# /progs/rrpart-guest.sh -- the guest half of testsuite/aster.guest/blk-rrpart.exp,
# with /dev/vda made by "mkdisk.py rrpart" (no table in sector 0, two
# tables in sectors 100 and 101) and an ext2 file system inside what
# partition 1 will be.  Each step prints "rrpart: STEP ..." lines:
# /proc/partitions' vda lines after each re-read, and the status and
# error message of each BLKRRPART (busybox blockdev --rereadpt).

say() { echo "rrpart: $*"; }
parts() { say "table $1 $(grep ' vda' /proc/partitions | awk '{print $4 "=" $3}' | tr '\n' ' ')"; }
reread() {
    blockdev --rereadpt "$2" 2>/tmp/err
    say "$1 status $? $(cat /tmp/err)"
}

parts none
dd if=/dev/vda of=/dev/vda bs=512 skip=100 count=1 conv=notrunc,fsync 2>/dev/null
parts copied
reread first /dev/vda
parts first
reread partition /dev/vda1
exec 3</dev/vda1
reread open /dev/vda
exec 3<&-
mkdir -p /mnt
mount -t ext2 /dev/vda1 /mnt
say "mount status $?"
reread mounted /dev/vda
umount /mnt
dd if=/dev/vda of=/dev/vda bs=512 skip=101 count=1 conv=notrunc,fsync 2>/dev/null
reread second /dev/vda
parts second
cat /dev/vda2 >/dev/null 2>/tmp/err
say "gone status $? $(cat /tmp/err)"
say "vda1 size $(blockdev --getsz /dev/vda1) vda3 size $(blockdev --getsz /dev/vda3)"
mount -t ext2 /dev/vda1 /mnt
say "remount status $?"
say "remount read $(cat /mnt/hello)"
umount /mnt
say "all done"
