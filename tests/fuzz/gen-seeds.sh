#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# gen-seeds.sh DIR -- write the seed corpus of the parser fuzzers
# (tests/fuzz/fuzz_*.c) into DIR/NAME/, one small valid input per file.
# The seeds checked in under tests/fuzz/corpus/ were made by this script
# (run from the top of the tree: sh tests/fuzz/gen-seeds.sh tests/fuzz/corpus);
# inputs that once crashed a fuzzer are added there by hand, named
# crash-WHAT, and are not made here.  Needs printf(1) with octal escapes,
# gzip, zstd, xz, lz4 and od; the output does not depend on the machine.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
out=$1

# le BYTES VALUE: VALUE (decimal or 0x hex, < 2^63) as BYTES little-endian bytes.
le() {
    n=$1 v=$(($2)) i=0
    while [ "$i" -lt "$n" ]; do
        printf "\\$(printf %03o $((v & 255)))"
        v=$((v >> 8))
        i=$((i + 1))
    done
}

# zeros N: N zero bytes.
zeros() {
    head -c $(($1)) /dev/zero
}

mkdir -p "$out/elf" "$out/cpio" "$out/gunzip" "$out/multiboot2" "$out/zero_page" "$out/cmdline" \
    "$out/unzstd" "$out/unxz" "$out/unlz4" "$out/unlz4_legacy"

# ELF: a static executable's header and one PT_LOAD at 0x400000 (256 bytes,
# the image of elf.c's ktest); then a PIE with PT_INTERP and PT_GNU_STACK.
elf_header() { # TYPE PHNUM
    printf '\177ELF\002\001\001'; zeros 9
    le 2 "$1"; le 2 62; le 4 1; le 8 0x401000; le 8 64; le 8 0
    le 4 0; le 2 64; le 2 56; le 2 "$2"; le 2 64; le 2 0; le 2 0
}
phdr() { # TYPE FLAGS OFFSET VADDR FILESZ MEMSZ ALIGN
    le 4 "$1"; le 4 "$2"; le 8 "$3"; le 8 "$4"; le 8 "$4"; le 8 "$5"; le 8 "$6"; le 8 "$7"
}
{ elf_header 2 1; phdr 1 5 0 0x400000 256 356 4096; zeros 136; } > "$out/elf/static"
{
    elf_header 3 3
    phdr 3 4 232 232 28 28 1
    phdr 1 5 0 0 260 4096 4096
    phdr 0x6474e551 6 0 0 0 0 16
    printf '/lib64/ld-linux-x86-64.so.2\000'
} > "$out/elf/pie-interp"

# cpio: "hello" holding "world", then the trailer (newc, as cpio.c's ktest).
cpio_entry() { # INO MODE NLINK FILESIZE NAME DATA
    name_size=$((${#5} + 1))
    printf '070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x' \
        "$1" "$2" 0 0 "$3" 0 "$4" 0 0 0 0 "$name_size" 0
    printf '%s\000' "$5"
    pad=$(( (4 - (110 + name_size) % 4) % 4 )); zeros "$pad"
    printf '%s' "$6"
    pad=$(( (4 - $4 % 4) % 4 )); zeros "$pad"
}
# The harness takes its piece size from the first byte: 0 (pieces of 1),
# then 0x10 (pieces of 113).
{ printf '\000'; cpio_entry 1 0x81a4 1 5 hello world; cpio_entry 0 0 1 0 'TRAILER!!!' ''; } \
    > "$out/cpio/file"
{
    printf '\020'
    cpio_entry 2 0x41ed 2 0 dir ''
    cpio_entry 3 0xa1ff 1 5 dir/link hello
    cpio_entry 0 0 1 0 'TRAILER!!!' ''
} > "$out/cpio/dir-symlink"

# gzip: a short text (fixed Huffman codes) and a longer one (dynamic codes).
printf 'hello, hello, hello\n' | gzip -n -9 > "$out/gunzip/short"
i=0; while [ $i -lt 40 ]; do printf 'line %d of the seed: the quick brown fox\n' $i; i=$((i + 1)); done \
    | gzip -n -9 > "$out/gunzip/dynamic"
printf '' | gzip -n > "$out/gunzip/empty"

# zstd, xz, lz4 (frame and legacy): the same texts, as the initramfs tools
# compress them (zstd -1 and -19 --check, xz --check=crc32 and crc64, lz4 -l
# and the frame format with block checksums).
text() { i=0; while [ $i -lt 40 ]; do printf 'line %d of the seed: the quick brown fox\n' $i; i=$((i + 1)); done; }
text | zstd -q -1 -c > "$out/unzstd/level1"
text | zstd -q -19 --check -c > "$out/unzstd/level19-check"
printf 'a' | zstd -q -c > "$out/unzstd/one-byte"
text | xz --check=crc32 -c > "$out/unxz/crc32"
text | xz --check=crc64 -0 -c > "$out/unxz/crc64"
text | lz4 -q -c > "$out/unlz4/frame"
text | lz4 -q -BD --content-size -BX -c > "$out/unlz4/frame-linked-checksums"
text | lz4 -q -l -c > "$out/unlz4_legacy/legacy"

# multiboot2: a command line, a loader name, a memory map of two entries and
# the end tag (tags 8-byte aligned).
{
    le 4 120; le 4 0
    le 4 1; le 4 22; printf 'console=ttyS0\000'; zeros 2
    le 4 2; le 4 13; printf 'GRUB\000'; zeros 3
    le 4 6; le 4 64; le 4 24; le 4 0
    le 8 0; le 8 0x9fc00; le 4 1; le 4 0
    le 8 0x100000; le 8 0x7ee0000; le 4 1; le 4 0
    le 4 0; le 4 8
} > "$out/multiboot2/cmdline-mmap"

# zero page: two e820 entries, an initrd, a command line pointer.
{
    zeros 0x70; le 8 0xf59e0; zeros $((0x1e8 - 0x78))
    printf '\002'; zeros $((0x210 - 0x1e9)); printf '\377'; zeros 7
    le 4 0x1fd85000; le 4 0x25a571; zeros 8; le 4 0x20000; zeros $((0x2d0 - 0x22c))
    le 8 0; le 8 0x9fc00; le 4 1
    le 8 0x100000; le 8 0x7ee0000; le 4 1
    zeros $((4096 - 0x2d0 - 40))
} > "$out/zero_page/e820-initrd"

# Command lines.
printf 'console=ttyS0 quiet rdinit=/init panic=-1' > "$out/cmdline/kernel"
printf 'init=/bin/sh a.b=1 "quoted word" name="a b" -- single x=y' > "$out/cmdline/init-args"

# ext2: tiny images made by mke2fs -d from a small tree (a directory, a
# file of three blocks' worth and more, fast and slow symlinks), in three
# shapes.  Needs mke2fs (e2fsprogs); the UUID, hash seed and times are
# fixed, only access times read from the host tree may differ between runs.
if command -v mke2fs >/dev/null 2>&1 || [ -x /sbin/mke2fs ]; then
    PATH=$PATH:/sbin:/usr/sbin
    mkdir -p "$out/ext2"
    src=$(mktemp -d)
    mkdir "$src/d"
    printf 'hi\n' > "$src/d/a"
    i=0; while [ $i -lt 800 ]; do printf 'block %04d of the seed file.....\n' $i; i=$((i + 1)); done > "$src/f"
    ln -s d/a "$src/fast"
    ln -s a/very/long/target/that/is/more/than/sixty/characters/long/for/sure "$src/slow"
    touch -h -d @1700000000 "$src" "$src"/* "$src/d/a"
    for shape in "r1-1k:-b 1024 -N 24 -r 1 -O ^resize_inode" "r0-1k:-b 1024 -N 24 -r 0" \
                 "r1-2k-256:-b 2048 -N 32 -r 1 -I 256 -O ^resize_inode"; do
        name=${shape%%:*}
        E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -F -t ext2 ${shape#*:} \
            -U 01234567-89ab-cdef-0123-456789abcdef -E hash_seed=01234567-89ab-cdef-0123-456789abcdef \
            -d "$src" "$out/ext2/$name" 128k >/dev/null
    done
    rm -rf "$src"
fi
