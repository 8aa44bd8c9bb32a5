#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# /progs/ext2-guest.sh PHASE... -- the guest half of testsuite/aster.guest/ext2.exp,
# with an ext2 image made by mke2fs -d as /dev/vda.  Every line the host
# checks starts with "ext2: "; each phase ends with "ext2: PHASE done".
#   read     mount it, print the md5 of every file under /mnt/tree, symlinks'
#            targets and a few modes; statfs; then unmount.
#   write    mount it, write files, directories, symlinks, hard links, 1000
#            small files, a rename storm, a 64 MiB file; run t_ext2 in
#            /mnt/t.FLAVOUR and t_ext2_io in /mnt/io.FLAVOUR; unmount.
#   reread   mount it again (after a reboot): the md5s of what "write" made.
#   ro       mount -o ro: writes fail with EROFS.
#   twice    a second mount of the mounted disk shares its files; a
#            read-only one is EBUSY; a lazily unmounted, still open mount
#            is found again by the next mount.
#   big      a 256 MiB file, 10000 files, 10000 renames (check-big).
#   small    (before write) 200 files, 200 renames and an 8 MiB file
#            instead: the checked kernel's pass (make check-kasan), where
#            each fork, exec and copied byte costs many times more, still
#            takes every path (indirect and double-indirect blocks) in a
#            fraction of the time.

mnt=/mnt
say() { echo "ext2: $*"; }
md5() { md5sum < "$1" | cut -d' ' -f1; }

nfiles=1000 nstorm=1000 bigmb=64
mkdir -p $mnt
for phase in "$@"; do
if [ "$phase" = small ]; then
    nfiles=200 nstorm=200 bigmb=8
    continue
fi
mount -t ext2 /dev/vda $mnt
say "mount status $?"
grep " $mnt " /proc/mounts | sed 's/^/ext2: mounts /'

case $phase in
read)
    (cd $mnt/tree && find . -type f | sort | while read -r f; do
        say "md5 $f $(md5 "$f")"
    done)
    (cd $mnt/tree && find . -type l | sort | while read -r f; do
        say "link $f $(readlink "$f")"
    done)
    say "mode $(stat -c '%a %u %g %s' $mnt/tree/modes/setuid)"
    say "nlink $(stat -c '%h' $mnt/tree/hard1)"
    say "ls $(ls $mnt/tree/dir | tr '\n' ' ')"
    say "df $(stat -f -c '%b %f %c %d %S' $mnt)"
    ;;
write)
    mkdir -p $mnt/w/sub/deeper
    echo hello > $mnt/w/hello
    echo "second line" >> $mnt/w/hello
    printf 'x%.0s' $(seq 1 5000) > $mnt/w/sub/x5000
    ln -s ../hello $mnt/w/sub/link
    ln $mnt/w/hello $mnt/w/hard
    mkdir $mnt/w/gone && rmdir $mnt/w/gone
    echo temp > $mnt/w/temp && rm $mnt/w/temp
    chmod 0640 $mnt/w/hello
    i=0
    mkdir $mnt/w/many
    while [ $i -lt $nfiles ]; do echo "file $i" > $mnt/w/many/f$i; i=$((i + 1)); done
    say "many $(ls $mnt/w/many | wc -l)"
    i=0
    mkdir $mnt/w/storm
    touch $mnt/w/storm/a
    while [ $i -lt $nstorm ]; do mv $mnt/w/storm/a $mnt/w/storm/b; mv $mnt/w/storm/b $mnt/w/storm/a; i=$((i + 1)); done
    say "storm $(ls $mnt/w/storm | tr '\n' ' ')"
    dd if=/dev/urandom of=/tmp/big bs=1M count=$bigmb 2>/dev/null
    cp /tmp/big $mnt/w/big
    say "big wrote $(md5 /tmp/big)"
    rm /tmp/big
    sync
    { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null
    say "big read $(md5 $mnt/w/big)"
    say "hello $(cat $mnt/w/hello | tr '\n' '|')"
    for f in glibc musl dyn; do
        [ -x /progs/t_ext2.$f ] || continue
        mkdir $mnt/t.$f
        echo "aster-progs: begin t_ext2.$f"
        /progs/t_ext2.$f $mnt/t.$f
        echo "aster-progs: end t_ext2.$f status $?"
    done
    # t_ext2_io unmounts and mounts $mnt again to read what reached the disk.
    for f in glibc musl dyn; do
        [ -x /progs/t_ext2_io.$f ] || continue
        mkdir $mnt/io.$f
        echo "aster-progs: begin t_ext2_io.$f"
        /progs/t_ext2_io.$f $mnt/io.$f $mnt /dev/vda
        echo "aster-progs: end t_ext2_io.$f status $?"
    done
    ;;
big)
    # A 256 MiB file of a pattern the host makes too, 10000 files, and
    # 10000 renames.
    yes "ext2 big file line" | head -c 268435456 > $mnt/huge
    sync
    say "huge $(md5 $mnt/huge)"
    mkdir $mnt/tenk
    i=0
    while [ $i -lt 10000 ]; do echo "$i" > $mnt/tenk/f$i; i=$((i + 1)); done
    say "tenk $(ls $mnt/tenk | wc -l) $(cat $mnt/tenk/f9999)"
    i=0
    while [ $i -lt 5000 ]; do mv $mnt/tenk/f$i $mnt/tenk/g$i; mv $mnt/tenk/g$i $mnt/tenk/f$i; i=$((i + 1)); done
    say "renamed $(ls $mnt/tenk | wc -l)"
    ;;
reread)
    say "hello $(cat $mnt/w/hello | tr '\n' '|')"
    say "x5000 $(md5 $mnt/w/sub/x5000)"
    say "link $(readlink $mnt/w/sub/link) $(cat $mnt/w/sub/link | head -n 1)"
    say "hard $(stat -c '%h %i' $mnt/w/hard) $(stat -c '%h %i %a' $mnt/w/hello)"
    say "many $(ls $mnt/w/many | wc -l) $(cat $mnt/w/many/f$((nfiles - 1)))"
    say "big read $(md5 $mnt/w/big)"
    ;;
ro)
    umount $mnt
    mount -t ext2 -o ro /dev/vda $mnt
    say "ro mount status $?"
    grep " $mnt " /proc/mounts | sed 's/^/ext2: ro mounts /'
    touch $mnt/newfile 2>/tmp/err
    say "ro touch status $? $(cat /tmp/err)"
    say "ro read $(cat $mnt/tree/hello.txt)"
    ;;
twice)
    mkdir -p /mnt2 /mnt3
    mount -t ext2 /dev/vda /mnt2
    say "twice mount status $?"
    echo shared > $mnt/w/shared
    say "twice seen $(cat /mnt2/w/shared)"
    [ "$(stat -c '%d %i' $mnt/w/shared)" = "$(stat -c '%d %i' /mnt2/w/shared)" ]
    say "twice same inode $?"
    mount -t ext2 -o ro /dev/vda /mnt3 2>/tmp/err
    say "twice ro status $? $(cat /tmp/err)"
    umount /mnt2
    say "twice after umount $(cat $mnt/w/shared)"
    rm $mnt/w/shared
    exec 3<$mnt/w/hello
    umount -l $mnt
    mount -t ext2 /dev/vda $mnt
    say "twice lazy remount status $?"
    read -r first <&3
    exec 3<&-
    say "twice lazy read $first $(head -n 1 $mnt/w/hello)"
    ;;
esac

cd /
umount $mnt
say "umount status $?"
say "$phase done"
done
