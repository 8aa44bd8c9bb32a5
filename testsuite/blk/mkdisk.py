#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Disk images for the virtio-blk tests (testsuite/aster.guest/virtio-blk.exp).

    mkdisk.py pattern FILE MIB   byte i is (i * 7 + 3) & 255 (t_blk checks it)
    mkdisk.py mbr FILE           16 MiB: an MBR with two primary partitions,
                                 an extended one holding two logical ones
    mkdisk.py gpt FILE           16 MiB: a protective MBR and a GPT (primary
                                 and backup) with entries 1, 2 and 4 used
    mkdisk.py rrpart FILE        8 MiB for BLKRRPART (blk-rrpart.exp): no
                                 table in sector 0; in sector 100 an MBR with
                                 partitions 1 (2048+2048) and 2 (4096+4096),
                                 in sector 101 one with 1 (2048+2048) and
                                 3 (8192+2048); the guest copies them to
                                 sector 0 in turn
    mkdisk.py range FILE START COUNT   md5 of sectors [START, START+COUNT)
    mkdisk.py check-copy FILE SRC SRCOFF DSTOFF LEN
                                 "ok" when FILE is the pattern except for bytes
                                 [DSTOFF, DSTOFF+LEN), which are SRC's from
                                 byte SRCOFF on; else where it differs

mbr and gpt fill the disk with pseudo-random bytes first, so every
partition has its own contents, and print one line per partition the
guest should see: "N START COUNT" (512-byte sectors; N the partition
number, so vdc5 is the first logical partition).  The extended partition
itself is listed with COUNT 2, as Linux shows it.  Written here rather than
with sfdisk so the tests need nothing beyond python3.
"""
import hashlib
import struct
import sys
import uuid
import zlib

SECTOR = 512
MIB = 1 << 20


def noise(size):
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(b"aster-blk-%d" % counter).digest() * 128
        counter += 1
    return out[:size]


def mbr_entry(ptype, start, count, boot=0):
    # CHS fields are ignored by Linux and by us: fill them as "beyond 8 GiB".
    return struct.pack("<B3sB3sII", boot, b"\xfe\xff\xff", ptype, b"\xfe\xff\xff",
                       start, count)


def put_table(disk, lba, entries):
    table = b"".join(entries) + b"\0" * 16 * (4 - len(entries))
    off = lba * SECTOR
    disk[off + 446:off + 510] = table
    disk[off + 510:off + 512] = b"\x55\xaa"


def make_mbr(path):
    disk = noise(16 * MIB)
    disk[0:446] = b"\0" * 446
    ext_start, ext_count = 8192, 16384
    put_table(disk, 0, [mbr_entry(0x83, 2048, 4096, 0x80),
                        mbr_entry(0x83, 6144, 2048),
                        mbr_entry(0x05, ext_start, ext_count)])
    # EBRs: a logical partition relative to its EBR, the next EBR
    # relative to the extended partition.
    put_table(disk, 8192, [mbr_entry(0x83, 2048, 2048), mbr_entry(0x05, 6144, 8192)])
    put_table(disk, 14336, [mbr_entry(0x83, 2048, 4096)])
    with open(path, "wb") as f:
        f.write(disk)
    return [(1, 2048, 4096), (2, 6144, 2048), (3, ext_start, 2),
            (5, 10240, 2048), (6, 16384, 4096)]


LINUX_FS = uuid.UUID("0fc63daf-8483-4772-8e79-3d69d8477de4")


def gpt_header(my_lba, alt_lba, entries_lba, last_lba, entries_crc):
    first_usable, last_usable = 34, last_lba - 33
    fields = [b"EFI PART", 0x00010000, 92, 0, 0, my_lba, alt_lba, first_usable,
              last_usable, uuid.UUID(int=0x4153544552).bytes_le, entries_lba, 128, 128,
              entries_crc]
    fmt = "<8sIIII QQQQ16sQIII"
    hdr = struct.pack(fmt, *fields)
    crc = zlib.crc32(hdr)
    fields[3] = crc
    return struct.pack(fmt, *fields)


def make_gpt(path):
    size = 16 * MIB
    last_lba = size // SECTOR - 1
    disk = noise(size)
    disk[0:446] = b"\0" * 446
    put_table(disk, 0, [mbr_entry(0xee, 1, min(last_lba, 0xffffffff))])
    parts = [(1, 2048, 4096), (2, 6144, 4096), (4, 12288, 8192)]
    entries = bytearray(128 * 128)
    for n, start, count in parts:
        e = struct.pack("<16s16sQQQ", LINUX_FS.bytes_le, uuid.UUID(int=n).bytes_le,
                        start, start + count - 1, 0)
        e += "aster-part-{}".format(n).encode("utf-16-le")
        entries[(n - 1) * 128:(n - 1) * 128 + len(e)] = e
    ecrc = zlib.crc32(entries)
    disk[2 * SECTOR:2 * SECTOR + len(entries)] = entries
    disk[1 * SECTOR:2 * SECTOR] = gpt_header(1, last_lba, 2, last_lba, ecrc).ljust(SECTOR, b"\0")
    backup_entries = last_lba - 32
    off = backup_entries * SECTOR
    disk[off:off + len(entries)] = entries
    disk[last_lba * SECTOR:] = gpt_header(last_lba, 1, backup_entries, last_lba,
                                          ecrc).ljust(SECTOR, b"\0")
    with open(path, "wb") as f:
        f.write(disk)
    return parts


def make_rrpart(path):
    disk = bytearray(8 * MIB)
    put_table(disk, 100, [mbr_entry(0x83, 2048, 2048), mbr_entry(0x83, 4096, 4096)])
    put_table(disk, 101, [mbr_entry(0x83, 2048, 2048), b"\0" * 16,
                          mbr_entry(0x83, 8192, 2048)])
    with open(path, "wb") as f:
        f.write(disk)


def make_pattern(path, mib):
    block = bytes((i * 7 + 3) & 255 for i in range(MIB))
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(block)


def md5_range(path, start, count):
    with open(path, "rb") as f:
        f.seek(start * SECTOR)
        return hashlib.md5(f.read(count * SECTOR)).hexdigest()


def check_copy(path, src, srcoff, dstoff, length):
    with open(path, "rb") as f:
        got = f.read()
    with open(src, "rb") as f:
        f.seek(srcoff)
        piece = f.read(length)
    want = bytearray((i * 7 + 3) & 255 for i in range(256)) * (len(got) // 256)
    want[dstoff:dstoff + length] = piece
    if got == want:
        return "ok"
    if len(got) != len(want):
        return "size %d, want %d" % (len(got), len(want))
    first = next(i for i in range(len(got)) if got[i] != want[i])
    return "differs at byte %d" % first


def main(argv):
    if len(argv) >= 3 and argv[1] in ("mbr", "gpt"):
        parts = (make_mbr if argv[1] == "mbr" else make_gpt)(argv[2])
        for n, start, count in parts:
            print(n, start, count)
    elif len(argv) == 3 and argv[1] == "rrpart":
        make_rrpart(argv[2])
    elif len(argv) == 4 and argv[1] == "pattern":
        make_pattern(argv[2], int(argv[3]))
    elif len(argv) == 7 and argv[1] == "check-copy":
        print(check_copy(argv[2], argv[3], *map(int, argv[4:7])))
    elif len(argv) == 5 and argv[1] == "range":
        print(md5_range(argv[2], int(argv[3]), int(argv[4])))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
