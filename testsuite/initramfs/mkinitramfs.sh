#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# mkinitramfs.sh OUT.cpio.gz [FILE[:DEST]...]
#
# Build the test initramfs: a gzip-compressed newc cpio archive holding a
# static busybox (with applet links under /bin, /sbin, /usr/bin, /usr/sbin),
# the test /init script next to this file, and each extra FILE, stored as
# DEST (an absolute path in the archive; default /BASENAME).  A dynamically
# linked FILE brings the shared libraries and the loader that ldd(1) lists
# for it, each stored at the path ldd shows (e.g. /lib64/ld-linux-x86-64.so.2).
#
# Environment:
#   BUSYBOX            static busybox to use (default: busybox in PATH,
#                      then /bin/busybox)
#   INIT               the /init script (default: init next to this script)
#   SOURCE_DATE_EPOCH  timestamp of every archive member (default 0), so the
#                      archive only depends on its inputs
set -eu

usage() { echo "usage: $0 OUT.cpio.gz [FILE[:DEST]...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
out=$1; shift
case $out in -*) usage ;; esac

here=$(cd "$(dirname "$0")" && pwd)
init=${INIT:-$here/init}
if [ -z "${BUSYBOX:-}" ]; then
    BUSYBOX=$(command -v busybox 2>/dev/null || true)
    [ -n "$BUSYBOX" ] || BUSYBOX=/bin/busybox
fi
epoch=${SOURCE_DATE_EPOCH:-0}

[ -x "$BUSYBOX" ] || { echo "$0: busybox not found (set BUSYBOX)" >&2; exit 1; }
[ -r "$init" ] || { echo "$0: $init not found" >&2; exit 1; }
if command -v file >/dev/null 2>&1; then
    case $(file -L "$BUSYBOX") in
    *dynamically*) echo "$0: warning: $BUSYBOX is dynamically linked; the initramfs needs a static busybox" >&2 ;;
    esac
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aster-initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
root=$tmp/root
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
    "$root/dev" "$root/proc" "$root/sys" "$root/tmp" "$root/root" "$root/etc"
chmod 1777 "$root/tmp"
cp "$BUSYBOX" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"
cp "$init" "$root/init"
chmod 0755 "$root/init"

# Applet links, relative to busybox so the tree is relocatable.
"$root/bin/busybox" --list-full | while read -r applet; do
    case $applet in ""|bin/busybox) continue ;; esac
    dir=$(dirname "$applet")
    mkdir -p "$root/$dir"
    case $dir in
    bin) target=busybox ;;
    sbin|usr/bin|usr/sbin) target=../bin/busybox ;;
    usr/*/*) target=../../../bin/busybox ;;
    *) target=/bin/busybox ;;
    esac
    [ -e "$root/$applet" ] || ln -s "$target" "$root/$applet"
done
[ -e "$root/bin/sh" ] || ln -s busybox "$root/bin/sh"

for spec in "$@"; do
    case $spec in
    *:*) src=${spec%%:*}; dest=${spec#*:} ;;
    *) src=$spec; dest=/$(basename "$spec") ;;
    esac
    [ -r "$src" ] || { echo "$0: $src not found" >&2; exit 1; }
    mkdir -p "$root$(dirname "$dest")"
    cp "$src" "$root$dest"
    # Shared libraries: "name => /path (addr)" and "/path (addr)" lines.
    if command -v ldd >/dev/null 2>&1; then
        for lib in $( (ldd "$src" 2>/dev/null || true) \
                      | sed -n 's/^[^/]*\(\/[^ ]*\) (0x[0-9a-f]*)$/\1/p'); do
            [ -e "$root$lib" ] && continue
            mkdir -p "$root$(dirname "$lib")"
            cp -L "$lib" "$root$lib"
        done
    fi
done

# Reproducible: fixed owner and timestamps, sorted member list, no gzip name
# or time stamp.
find "$root" -exec touch -h -d "@$epoch" {} +
list=$tmp/list
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort) > "$list"
(cd "$root" && cpio --quiet -o -H newc -R 0:0 --reproducible < "$list") \
    | gzip -n -9 > "$out.tmp"
mv "$out.tmp" "$out"
