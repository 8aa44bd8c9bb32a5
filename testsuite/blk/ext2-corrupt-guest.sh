#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# /progs/ext2-corrupt-guest.sh MODE DISK... -- the guest half of
# testsuite/aster.guest/ext2-corrupt.exp: each DISK (vda, vdb...) holds a
# corrupted ext2 image (testsuite/blk/mkcorrupt.py).  MODE is ro or rw.
# For each disk: mount it (-o ro in ro mode); when that succeeds walk it
# (find, ls -lR, stat, readlink and the first MiB and the last bytes of
# every file), in rw mode also create, append to, rename and unlink files
# in every directory found, then unmount.  Every failing command's message
# is printed, so the host sees the errno of each.  Lines for the host:
#   corrupt: DISK begin
#   corrupt: DISK mount STATUS MESSAGE
#   corrupt: DISK err MESSAGE          (one per failed operation)
#   corrupt: DISK umount STATUS
#   corrupt: DISK end
# and "corrupt: all done" at the end.  The kernel's log lines for a disk
# fall between its begin and end lines on the console.

mode=$1
shift
mnt=/mnt
mkdir -p $mnt
say() { echo "corrupt: $*"; }

# run DISK CMD... -- run CMD; report its error output when it fails.
run() {
    d=$1
    shift
    "$@" >/dev/null 2>/tmp/err || sed "s/^/corrupt: $d err /" /tmp/err
}

walk() {
    d=$1
    run $d find $mnt
    run $d ls -lR $mnt
    find $mnt 2>/dev/null > /tmp/list
    while read -r p; do
        run $d stat "$p"
        if [ -L "$p" ]; then
            # BusyBox readlink fails silently: cat through the link says why.
            run $d readlink "$p"
            run $d cat "$p"
        elif [ -f "$p" ]; then
            run $d head -c 1048576 "$p"
            run $d tail -c 16 "$p"
        fi
    done < /tmp/list
}

change() {
    d=$1
    find $mnt -type d 2>/dev/null > /tmp/dirs
    while read -r p; do
        run $d sh -c "echo new > '$p/new.$d'"
        run $d sh -c "echo more >> '$p/new.$d'"
        run $d mv "$p/new.$d" "$p/renamed.$d"
        run $d mkdir "$p/dir.$d"
        run $d rmdir "$p/dir.$d"
        run $d rm "$p/renamed.$d"
    done < /tmp/dirs
    find $mnt -type f 2>/dev/null > /tmp/files
    while read -r p; do
        run $d sh -c "echo appended >> '$p'"
    done < /tmp/files
    run $d rm -f $mnt/a $mnt/sub/f
    run $d sync
}

for d in "$@"; do
    say "$d begin"
    if [ $mode = ro ]; then
        mount -t ext2 -o ro /dev/$d $mnt 2>/tmp/err
    else
        mount -t ext2 /dev/$d $mnt 2>/tmp/err
    fi
    st=$?
    say "$d mount $st $(cat /tmp/err)"
    if [ $st = 0 ]; then
        walk $d
        [ $mode = rw ] && change $d
        cd /
        umount $mnt 2>/tmp/err
        say "$d umount $? $(cat /tmp/err)"
    fi
    say "$d end"
done
say "all done"
