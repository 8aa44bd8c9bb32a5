#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# linux-modules.sh VMLINUZ BASE.cpio.gz OUT.cpio.gz
#
# For "make check-linux": Debian's kernel has virtio, virtio_pci,
# virtio_blk and virtio_net (with failover and net_failover) as modules, and ext4 (which mounts ext2) with what it needs, so the test initramfs BASE gets a second archive
# appended (Linux unpacks concatenated archives) holding those modules,
# taken from the package VMLINUZ was unpacked from (its lib/modules/VER
# next to boot/), and /lib/modules/load.list, the order to insmod them in
# (each after what it depends on); the test /init loads them when it runs
# on that kernel.  Without the modules OUT is a copy of BASE.
set -eu

[ $# -eq 3 ] || { echo "usage: $0 VMLINUZ BASE.cpio.gz OUT.cpio.gz" >&2; exit 2; }
vmlinuz=$1 base=$2 out=$3
ver=${vmlinuz##*/vmlinuz-}
moddir=$(cd "$(dirname "$vmlinuz")/.." && pwd)/lib/modules/$ver
# Dependency order (modinfo's depends= of each).
mods="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk
failover net_failover virtio_net crc16 mbcache jbd2 crc32c_generic ext4"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aster-linux-mods.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/root/lib/modules/$ver"
: > "$tmp/root/lib/modules/load.list"
for m in $mods; do
    ko=$(find "$moddir/kernel" -name "$m.ko" 2>/dev/null | head -n 1)
    [ -n "$ko" ] || continue
    cp "$ko" "$tmp/root/lib/modules/$ver/$m.ko"
    echo "$m" >> "$tmp/root/lib/modules/load.list"
done
cp "$base" "$out.tmp"
if [ -s "$tmp/root/lib/modules/load.list" ]; then
    find "$tmp/root" -exec touch -h -d "@${SOURCE_DATE_EPOCH:-0}" {} +
    (cd "$tmp/root" && find lib | LC_ALL=C sort \
        | cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -9 >> "$out.tmp"
else
    echo "$0: no virtio modules under $moddir: the disk tests will fail on Linux" >&2
fi
mv "$out.tmp" "$out"
