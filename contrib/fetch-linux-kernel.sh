#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# fetch-linux-kernel.sh DESTDIR
#
# Fetch Debian's Linux kernel image for "make check-linux": download (without
# installing) the versioned package that linux-image-amd64 depends on,
# unpack it with dpkg-deb -x under DESTDIR/<package>/ and print the path of
# its vmlinuz on stdout (messages go to stderr).  Idempotent: a kernel already
# unpacked in DESTDIR is reused, also when apt cannot be reached.
#
# Needs apt-get and dpkg-deb (Debian or a derivative) and package lists
# (run apt-get update first on a fresh system).  Root is not required.
#
# Environment: LINUX_META_PACKAGE (default linux-image-amd64).
set -eu

prog=${0##*/}
die() { echo "$prog: $*" >&2; exit 1; }
[ $# -eq 1 ] || { echo "usage: $prog DESTDIR" >&2; exit 2; }
dest=$1
meta=${LINUX_META_PACKAGE:-linux-image-amd64}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

# Newest vmlinuz unpacked under DIR, if any.
cached_vmlinuz() {
    ls -1d "$1"/*/boot/vmlinuz-* 2>/dev/null | LC_ALL=C sort -V | tail -n 1
}

command -v apt-cache >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
    && command -v dpkg-deb >/dev/null 2>&1 \
    || { k=$(cached_vmlinuz "$dest"); [ -n "$k" ] && { echo "$k"; exit 0; }
         die "apt-get, apt-cache and dpkg-deb are required (Debian or a derivative)"; }

# The versioned image package, e.g. linux-image-6.1.0-56-amd64 (the first
# real package among the Depends of the meta-package).
pkg=$(LC_ALL=C apt-cache depends "$meta" 2>/dev/null \
      | sed -n 's/^ *|\{0,1\}Depends: *\([^< ][^ ]*\).*/\1/p' \
      | grep '^linux-image-' | head -n 1 || true)
if [ -z "$pkg" ]; then
    k=$(cached_vmlinuz "$dest")
    if [ -n "$k" ]; then
        echo "$prog: cannot resolve $meta; reusing $k" >&2
        echo "$k"
        exit 0
    fi
    die "cannot resolve the package $meta depends on (run apt-get update?)"
fi

dir=$dest/$pkg
if [ -d "$dir/boot" ]; then
    k=$(ls -1d "$dir"/boot/vmlinuz-* 2>/dev/null | LC_ALL=C sort -V | tail -n 1)
    if [ -n "$k" ] && [ -r "$k" ]; then
        echo "$k"
        exit 0
    fi
fi

echo "$prog: downloading $pkg" >&2
tmp=$(mktemp -d "$dest/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
# apt-get download writes to the current directory; as root it drops to the
# _apt user, which must be able to write there.
chmod 0777 "$tmp"
(cd "$tmp" && apt-get -q download "$pkg" >&2) || die "apt-get download $pkg failed"
deb=$(ls -1 "$tmp"/*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || die "apt-get download $pkg produced no .deb"
mkdir "$tmp/x"
dpkg-deb -x "$deb" "$tmp/x" || die "dpkg-deb -x $deb failed"
ls "$tmp"/x/boot/vmlinuz-* >/dev/null 2>&1 || die "$deb holds no /boot/vmlinuz-*"
rm -rf "$dir"
mv "$tmp/x" "$dir"
chmod -R u+rwX,go+rX "$dir/boot"
k=$(ls -1d "$dir"/boot/vmlinuz-* | LC_ALL=C sort -V | tail -n 1)
echo "$k"
