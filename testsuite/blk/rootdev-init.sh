#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# /sbin/init (and /sbin/rootdev-init) of the disk root that
# testsuite/aster.guest/rootdev.exp boots, straight from the kernel (root=)
# or through switch_root from the test initramfs.  It reports what it sees
# and powers off; every line starts with "rootdev: ".  Booted straight from
# the disk, it also pivot_roots to a tmpfs.  The disk holds only
# this script, a static busybox (/bin/busybox, /bin/sh) and empty /dev,
# /proc, /mnt: every applet is called through /bin/busybox.
bb=/bin/busybox
$bb echo "rootdev: init pid $$ argv0 $0"
$bb mount -t proc proc /proc
$bb echo "rootdev: root mount $($bb grep '^[^ ]* / ' /proc/mounts | $bb tail -n 1)"
$bb echo "rootdev: statfs $($bb stat -f -c %t /)"
# A devtmpfs on /dev only with devtmpfs.mount=1 (Debian's default is off).
$bb echo "rootdev: dev console $([ -c /dev/console ] && echo yes || echo no)"
if err=$( (echo "written by the disk root's init" > /rootdev-written) 2>&1); then
    $bb echo "rootdev: write ok"
else
    $bb echo "rootdev: write failed: $err"
    # A read-only root is made writable as boot scripts do.
    $bb mount -o remount,rw /
    $bb echo "rootdev: remount rw status $? $($bb grep '^[^ ]* / ' /proc/mounts | $bb tail -n 1)"
    if err=$( (echo "written after remount" > /rootdev-remount) 2>&1); then
        $bb echo "rootdev: remount write ok"
    else
        $bb echo "rootdev: remount write failed: $err"
    fi
fi
# After switch_root, /mnt shows the old initramfs root (bound there before):
# switch_root deleted its files.
if [ -d /mnt/bin ]; then
    $bb echo "rootdev: old root init $([ -e /mnt/init ] && echo present || echo gone)"
    $bb echo "rootdev: old root bin entries $($bb ls -A /mnt/bin | $bb wc -l)"
fi
# Booted straight from the disk: pivot_root onto a tmpfs, the disk root
# going to /old (the disk root is a mount with a parent, unlike rootfs).
if [ ! -d /mnt/bin ] && $bb mount -t tmpfs tmpfs /mnt && $bb mkdir /mnt/old && cd /mnt; then
    if $bb pivot_root . old; then
        bb=/old/bin/busybox
        cd /
        $bb echo "rootdev: pivot_root old $($bb grep ' /old ' /old/proc/mounts)"
        $bb echo "rootdev: pivot_root new $($bb grep '^[^ ]* / ' /old/proc/mounts)"
        $bb echo "rootdev: pivot_root init $($bb ls /old/sbin/rootdev-init)"
    else
        $bb echo "rootdev: pivot_root failed"
    fi
fi
$bb sync
$bb echo "rootdev: done"
$bb poweroff -f
