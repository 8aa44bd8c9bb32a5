#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# /progs/run.sh [PROG.FLAVOUR...] -- run the syscall test programs of the
# test initramfs (default: every /progs/t_* of every flavour, then the
# Debian coreutils check /progs/debian.sh) and report on the console:
#
#   aster-progs: begin NAME
#   ...the program's own TAP-like output...
#   aster-progs: end NAME status N
#   aster-progs: all done
#
# NAME is e.g. t_file.glibc.  testsuite/aster.syscalls/progs.exp parses this.

PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH
mkdir -p /tmp
cd /tmp || exit 1
# t_garbage's socket() calls would each start a modprobe helper.
[ -w /proc/sys/kernel/modprobe ] && echo > /proc/sys/kernel/modprobe

run_one() {
    name=$1; shift
    echo "aster-progs: begin $name"
    "$@"
    echo "aster-progs: end $name status $?"
}

if [ $# -eq 0 ]; then
    for flavour in glibc musl dyn; do
        # Every test program of the initramfs (progs.exp knows which to
        # expect), the garbage-argument one last.
        for f in /progs/t_*.$flavour; do
            # t_blk, t_ext2 and t_ext2_io need disks: virtio-blk.exp and ext2.exp run them.
            case $f in */t_garbage.*|*/t_blk.*|*/t_ext2.*|*/t_ext2_io.*) continue ;; esac
            [ -x "$f" ] && set -- "$@" "${f#/progs/}"
        done
        [ -x /progs/t_garbage.$flavour ] && set -- "$@" t_garbage.$flavour
    done
    [ -x /progs/debian.sh ] && set -- "$@" debian.sh
fi
for name in "$@"; do
    case $name in
    t_garbage.*) run_one $name /progs/$name -n 10000 ;;
    debian.sh) run_one debian-coreutils /progs/debian.sh ;;
    *) run_one $name /progs/$name ;;
    esac
done
echo "aster-progs: all done"
