#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Crafted, corrupted ext2 images (testsuite/aster.guest/ext2-corrupt.exp).

    mkcorrupt.py DIR        write DIR/NAME.img for every corruption below
                            and print their names, one a line, in order
    mkcorrupt.py tail FILE  "ok" when the last TAIL bytes of FILE are still
                            the pattern written there, else the first
                            offset that differs
    mkcorrupt.py diff OLD NEW   "same" when the files are equal,
                            "superblock" when only bytes of the primary
                            superblock (1024 to 2047) differ, else the
                            first offset that differs

Every image starts as the same file system, made by mke2fs -d from a small
tree: 8192 blocks of 1 KiB in two groups of 4096 (so the tree has a second
group to lie about), followed by TAIL bytes of a known pattern that lie
outside the file system: a kernel that writes there wrote past the file
system's own blocks.  Then one corruption is applied, with debugfs to find
where things are and plain byte patches to break them.

The tree:  a (small file), big (40 KiB: direct and single indirect
blocks), sparse (data at 0 and at 1 MiB, a hole between), slow (a symlink
of 105 bytes, in a block), fast (a symlink to "a", in the inode),
sub/{f,g} files, sub/deep/x, sub2/{one,two,three}.
"""
import os
import random
import struct
import subprocess
import sys

BS = 1024
BLOCKS = 8192
FS_BYTES = BS * BLOCKS
TAIL = 65536
SB = 1024          # superblock offset
GDT = 2 * BS       # group descriptor table (first data block 1, then the table)


def tail_pattern():
    return bytes((i * 13 + 5) & 255 for i in range(TAIL))


def run(*args):
    return subprocess.run(args, check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True).stdout


def debugfs(img, cmd, write=False):
    return run("debugfs", *(["-w"] if write else []), "-R", cmd, img)


class Image:
    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.data = bytearray(f.read())

    def save(self):
        with open(self.path, "wb") as f:
            f.write(self.data)

    def get(self, off, fmt):
        return struct.unpack_from("<" + fmt, self.data, off)[0]

    def put(self, off, fmt, value):
        struct.pack_into("<" + fmt, self.data, off, value)

    def ino(self, path):
        out = debugfs(self.path, "stat " + path)
        return int(out.split("Inode:")[1].split()[0])

    def inode_off(self, path):
        out = debugfs(self.path, "imap " + path)
        words = out.split("located at block")[1].split()
        return int(words[0].rstrip(",")) * BS + int(words[2], 16)

    def bmap(self, path, n):
        return int(debugfs(self.path, "bmap %s %d" % (path, n)).strip())

    def dirent(self, dirpath, name):
        """Offset of the entry NAME in DIRPATH's first block."""
        base = self.bmap(dirpath, 0) * BS
        off = base
        while off < base + BS:
            rec_len = self.get(off + 4, "H")
            name_len = self.data[off + 6]
            if bytes(self.data[off + 8:off + 8 + name_len]) == name.encode():
                return off
            if rec_len == 0:
                break
            off += rec_len
        raise SystemExit("mkcorrupt: no entry %s in %s" % (name, dirpath))


def make_tree(top):
    os.makedirs(os.path.join(top, "sub", "deep"))
    os.makedirs(os.path.join(top, "sub2"))

    def put(path, data):
        with open(os.path.join(top, path), "wb") as f:
            f.write(data)
    put("a", b"file a\n")
    put("big", b"".join(b"big line %05d\n" % i for i in range(2800))[:40000])
    put("sub/f", b"file f\n")
    put("sub/g", b"file g\n")
    put("sub/deep/x", b"file x\n")
    for n in ("one", "two", "three"):
        put("sub2/" + n, n.encode() + b"\n")
    with open(os.path.join(top, "sparse"), "wb") as f:
        f.write(b"start\n")
        f.seek(1 << 20)
        f.write(b"end\n")
    os.symlink("long/" * 20 + "target", os.path.join(top, "slow"))
    os.symlink("a", os.path.join(top, "fast"))


# The corruptions: name -> function(Image).  Offsets: superblock fields
# s_inodes_count 0, s_blocks_count 4, s_log_block_size 24, s_magic 56;
# group descriptors (32 bytes) bg_block_bitmap 0, bg_inode_table 8; inode
# i_size 4, i_links_count 26, i_block 40, i_size_high 108; directory entry
# inode 0, rec_len 4, name_len 6.
def c_magic(im):
    im.put(SB + 56, "H", 0x1234)


def c_logbs(im):
    im.put(SB + 24, "I", 20)


def c_blocks(im):
    im.put(SB + 4, "I", 1 << 20)


def c_inodes(im):
    im.put(SB + 0, "I", im.get(SB + 0, "I") + 8)


def c_gd_bitmap(im):
    im.put(GDT + 32 + 0, "I", 999999)


def c_gd_itable(im):
    im.put(GDT + 8, "I", BLOCKS - 10)


def c_blk_range(im):
    im.put(im.inode_off("/a") + 40, "I", 99999999)


def c_ind_range(im):
    ind = im.get(im.inode_off("/big") + 40 + 12 * 4, "I")
    im.put(ind * BS + 8, "I", 99999999)


def c_ind_loop(im):
    # The indirect block's first entry is the indirect block itself.
    ind = im.get(im.inode_off("/big") + 40 + 12 * 4, "I")
    im.put(ind * BS, "I", ind)


def c_rec_zero(im):
    im.put(im.dirent("/sub", "f") + 4, "H", 0)


def c_rec_past(im):
    im.put(im.dirent("/sub", "f") + 4, "H", 2000)


def c_name_len(im):
    im.data[im.dirent("/sub", "f") + 6] = 250


def c_dotdot_loop(im):
    # sub/deep's ".." names sub/deep itself.
    im.put(im.dirent("/sub/deep", "..") + 0, "I", im.ino("/sub/deep"))


def c_dir_garbage(im):
    base = im.bmap("/sub2", 0) * BS
    rnd = random.Random(12)
    im.data[base:base + BS] = bytes(rnd.randrange(256) for _ in range(BS))


def c_slow_size(im):
    im.put(im.inode_off("/slow") + 4, "I", 70000)


def c_fast_size(im):
    im.put(im.inode_off("/fast") + 4, "I", 40)


def c_links0(im):
    im.put(im.inode_off("/a") + 26, "H", 0)


def c_overlap(im):
    # sub/g's first block is a's.
    im.put(im.inode_off("/sub/g") + 40, "I", im.get(im.inode_off("/a") + 40, "I"))


def c_huge(im):
    # sparse's size becomes 2^40 + its own: far past its blocks.
    im.put(im.inode_off("/sparse") + 108, "I", 0x100)


CORRUPTIONS = [
    ("magic", c_magic),
    ("logbs", c_logbs),
    ("blocks", c_blocks),
    ("inodes", c_inodes),
    ("gd-bitmap", c_gd_bitmap),
    ("gd-itable", c_gd_itable),
    ("blk-range", c_blk_range),
    ("ind-range", c_ind_range),
    ("ind-loop", c_ind_loop),
    ("rec-zero", c_rec_zero),
    ("rec-past", c_rec_past),
    ("name-len", c_name_len),
    ("dotdot-loop", c_dotdot_loop),
    ("dir-garbage", c_dir_garbage),
    ("slow-size", c_slow_size),
    ("fast-size", c_fast_size),
    ("links0", c_links0),
    ("overlap", c_overlap),
    ("huge", c_huge),
]


def make_all(out):
    os.makedirs(out, exist_ok=True)
    top = os.path.join(out, "tree")
    base = os.path.join(out, "base.fs")
    if not os.path.isdir(top):
        make_tree(top)
    with open(base, "wb") as f:
        f.truncate(FS_BYTES)
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", str(BS), "-g", "4096",
                    "-d", top, base, str(BLOCKS)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for name, fn in CORRUPTIONS:
        path = os.path.join(out, name + ".img")
        with open(base, "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(data)
        im = Image(path)
        fn(im)
        im.data += tail_pattern()
        im.save()
        print(name)
    os.unlink(base)


def check_tail(path):
    with open(path, "rb") as f:
        f.seek(-TAIL, os.SEEK_END)
        got = f.read()
    want = tail_pattern()
    if got == want:
        return "ok"
    first = next(i for i in range(TAIL) if got[i] != want[i])
    return "tail differs at byte %d" % (os.path.getsize(path) - TAIL + first)


def diff(old, new):
    with open(old, "rb") as f:
        a = f.read()
    with open(new, "rb") as f:
        b = f.read()
    if a == b:
        return "same"
    if len(a) != len(b):
        return "size %d, was %d" % (len(b), len(a))
    first = next(i for i in range(len(a)) if a[i] != b[i])
    if a[:SB] == b[:SB] and a[SB + 1024:] == b[SB + 1024:]:
        return "superblock"
    return "differs at byte %d" % first


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "tail":
        print(check_tail(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        print(diff(sys.argv[2], sys.argv[3]))
    elif len(sys.argv) == 2:
        make_all(sys.argv[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
