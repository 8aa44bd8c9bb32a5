#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# bench.sh -- host side of `make bench` and `make bench-linux` (doc/bench.md).
# POSIX sh, awk, date(1) with %N and timeout(1) (GNU coreutils); no python.
#
#   bench.sh run [OPTIONS] KERNEL INITRD
#       Boot KERNEL with the bench initramfs INITRD in QEMU (TCG, q35): once
#       to run the guest benchmarks, then BOOTS times with bench.mode=boot to
#       time boot-to-shell on the host (from starting QEMU to the marker line
#       "bench-init: shell" on the serial console; the mean is reported).
#       Prints the guest's "bench: NAME VALUE UNIT" and "bench-detail:" lines
#       and "bench: boot-to-shell MS ms"; exits 1 when a figure is missing or
#       failed.  Options:
#         -q QEMU      qemu-system-x86_64 binary (default: from PATH)
#         -b BOOTS     boot-only boots to average (default 3; 0 to skip)
#         -T SECS      hard cap on one QEMU run (default 900)
#         -m MEM       guest memory (default 256M; Linux needs 256M or more)
#         -a ARGS      arguments for the guest's /bench/bench, e.g. "-t 50"
#         -l LOG       append every console line to LOG (default: none)
#         -x ARGS      extra QEMU arguments (split on blanks)
#         -B INITRD    also BOOTS boots with this (100 MiB) initramfs, -m 512M:
#                      "bench: boot-100M-initramfs MS ms"
#
#   bench.sh disk [OPTIONS] OUT KERNEL INITRD [OUT2 KERNEL2 INITRD2]
#       The disk suite (testsuite/bench/disk.c): make an empty ext2 image with
#       mke2fs, then ROUNDS rounds, each booting every kernel once with
#       bench.mode=disk and a fresh copy of that image as a virtio-blk disk
#       (the kernels' order alternates from round to round); e2fsck -fn checks
#       the image after each boot.  Appends to OUT (OUT2) each figure's median
#       over the rounds ("bench: NAME VALUE UNIT") and a detail line with the
#       rounds' values; exits 1 when a figure is missing.  Options:
#         -q QEMU, -T SECS, -l LOG (here: appended to), -x ARGS as for run
#         -r ROUNDS    rounds (default 3)
#         -m MEM       guest memory (default 1G: the big file must fit in
#                      the page cache for the warm read)
#         -a ARGS      more arguments for /bench/bench -b /dev/vda (-s MIB)
#         -S MIB       size of the image (default 1024)
#         -D DIR       where the images are made (default /dev/shm when it
#                      is writable, else $TMPDIR or /tmp): in host memory the
#                      host's own disk and its writeback stay out of the figures
#         -L LOG2      the console log of the second kernel
#
#   bench.sh table OURS [LINUX]
#       Side-by-side table of two outputs of "run": figure, ours, Linux,
#       ratio ours/Linux, which way is better, and whether the target is met
#       (boot-to-shell: ratio <= 0.1; times (ns/op, us/op, ms): <= 1.0; rates
#       (MiB/s, ops/s, files/s): >= 1.0).  With one file, just its figures.
set -u

prog=${0##*/}
die() { echo "$prog: $*" >&2; exit 2; }

# Microseconds since the epoch (GNU date: %N).
now_us() {
    t=$(date +%s%N)
    case $t in *N*|'') die "date +%s%N is not supported (GNU coreutils needed)" ;; esac
    echo $((t / 1000))
}

# boot_once APPEND [QEMU ARGS...]: boot once; on stdout "marker US"
# (microseconds from the start of QEMU to the marker line) followed by the
# console's bench lines.
boot_once() {
    append=$1
    shift
    cr=$(printf '\r')
    t0=$(now_us)
    # shellcheck disable=SC2086 # extra QEMU arguments are words
    timeout -k 5 "$cap" "$qemu" -machine q35 -m "$mem" -nodefaults -display none \
        -serial stdio -monitor none -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$kernel" -initrd "$initrd" -append "$append" "$@" $qemu_extra \
        </dev/null 2>&1 |
    {
        seen=""
        while IFS= read -r line || [ -n "$line" ]; do
            line=${line%"$cr"}
            if [ -z "$seen" ]; then
                case $line in
                *"bench-init: shell"*) seen=1; echo "marker $(( $(now_us) - t0 ))" ;;
                esac
            fi
            [ -n "$log" ] && printf '%s\n' "$line" >> "$log"
            case $line in
            "bench: "*|"bench-detail: "*) printf '%s\n' "$line" ;;
            esac
        done
    }
}

cmd_run() {
    qemu=qemu-system-x86_64 boots=3 cap=900 mem=256M bench_args="" log="" qemu_extra="" big=""
    OPTIND=1
    while getopts q:b:T:m:a:l:x:B: opt; do
        case $opt in
        q) qemu=$OPTARG ;;
        b) boots=$OPTARG ;;
        T) cap=$OPTARG ;;
        m) mem=$OPTARG ;;
        a) bench_args=$OPTARG ;;
        l) log=$OPTARG ;;
        x) qemu_extra=$OPTARG ;;
        B) big=$OPTARG ;;
        *) die "usage: $prog run [-q QEMU] [-b BOOTS] [-T SECS] [-m MEM] [-a ARGS] [-l LOG] [-x QEMUARGS] [-B BIG_INITRD] KERNEL INITRD" ;;
        esac
    done
    shift $((OPTIND - 1))
    [ $# -eq 2 ] || die "run: KERNEL and INITRD expected"
    kernel=$1 initrd=$2
    [ -r "$kernel" ] || die "kernel $kernel not found"
    [ -r "$initrd" ] || die "initrd $initrd not found"
    [ -z "$big" ] || [ -r "$big" ] || die "initrd $big not found"
    [ -n "$qemu" ] && command -v "$qemu" >/dev/null 2>&1 || die "QEMU '$qemu' not found"
    case $boots in *[!0-9]*|'') die "-b: a number expected" ;; esac
    now_us >/dev/null
    [ -n "$log" ] && : > "$log"

    base="console=ttyS0 quiet rdinit=/init panic=-1"
    status=0
    echo "$prog: benchmarks on $kernel" >&2
    out=$(boot_once "$base bench.mode=run bench.args=\"$bench_args\"")
    printf '%s\n' "$out" | grep -v '^marker '
    printf '%s\n' "$out" | grep -q '^bench: end status 0$' || {
        echo "$prog: the guest benchmarks did not all finish (see the console log)" >&2
        status=1
    }

    [ "$boots" -gt 0 ] || return $status
    boot_series boot-to-shell || status=1
    if [ -n "$big" ]; then
        # The same boot with a 100 MiB initramfs (more memory: the image and
        # its files are both in RAM while it unpacks).
        initrd=$big mem=512M
        boot_series boot-100M-initramfs || status=1
    fi
    return $status
}

# boot_series NAME: BOOTS boot-only boots of $kernel with $initrd; the mean
# time to the marker as figure NAME.
boot_series() {
    echo "$prog: $boots boot-only boots of $kernel with $initrd" >&2
    samples="" rc=0
    i=0
    while [ $i -lt "$boots" ]; do
        us=$(boot_once "$base bench.mode=boot" | sed -n 's/^marker //p')
        [ -n "$us" ] || { echo "$prog: boot $((i + 1)): no marker" >&2; rc=1; }
        samples="$samples $us"
        i=$((i + 1))
    done
    printf '%s\n' $samples | awk -v want="$boots" -v name="$1" '
        NF { n++; s += $1; if (n == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
        END {
            if (n < want) { print "bench: " name " error " (want - n) " of " want " boots without the marker"; exit }
            printf "bench-detail: %s n=%d best=%.0f mean=%.0f worst=%.0f ms\n", name, n, lo / 1000, s / n / 1000, hi / 1000
            printf "bench: %s %.0f ms\n", name, s / n / 1000
        }'
    return $rc
}

# median_lines FILE: for each figure of FILE's "bench:" lines (one per
# round), "bench-detail:" with every round's value and "bench:" with the
# median; a figure with no value at all is an error line.
median_lines() {
    awk '
        $1 == "bench:" && NF >= 4 && $2 != "begin" && $2 != "end" {
            name = $2
            if (!(name in seen)) { seen[name] = 1; order[++n] = name }
            if ($3 == "error") { err[name] = $0; nerr[name]++; next }
            unit[name] = $4
            v[name, ++k[name]] = $3
        }
        function median(name,    i, j, t, m) {
            m = k[name]
            for (i = 1; i <= m; i++) a[i] = v[name, i] + 0
            for (i = 2; i <= m; i++)
                for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
            return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
        }
        END {
            for (i = 1; i <= n; i++) {
                name = order[i]
                if (!k[name]) { print err[name]; continue }
                vals = ""
                for (j = 1; j <= k[name]; j++) vals = vals (j > 1 ? "," : "") v[name, j]
                printf "bench-detail: %s rounds=%d errors=%d values=%s %s\n", name, k[name], nerr[name] + 0, vals, unit[name]
                printf "bench: %s %.0f %s\n", name, median(name), unit[name]
            }
        }' "$1"
}

# pick N: kernel, initrd, log and out of the disk series' kernel N (1 or 2).
pick() {
    case $1 in
    1) kernel=$kernel1 initrd=$initrd1 log=$log1 out=$out1 ;;
    *) kernel=$kernel2 initrd=$initrd2 log=$log2 out=$out2 ;;
    esac
}

# disk_boot N: boot kernel N of the disk series once with a fresh image;
# its bench lines go to $tmp/samples.N, its console to its log.
disk_boot() {
    pick "$1"
    cp --sparse=always "$tmp/master.img" "$tmp/disk.img" || return 1
    echo "$prog: disk round $round: $kernel" >&2
    lines=$(boot_once "$base bench.mode=disk bench.args=\"$bench_args\"" \
        -drive "file=$tmp/disk.img,if=virtio,format=raw,cache=unsafe")
    printf '%s\n' "$lines" | grep '^bench' >> "$tmp/samples.$1"
    printf '%s\n' "$lines" | grep -q '^bench: end status 0$' ||
        echo "$prog: round $round of $kernel: the disk suite did not all finish (see the console log)" >&2
    e2fsck -fn "$tmp/disk.img" > "$tmp/fsck.out" 2>&1 || {
        echo "$prog: round $round of $kernel: e2fsck -fn found errors in the image:" >&2
        sed 's/^/  /' "$tmp/fsck.out" | head -n 20 >&2
        echo "bench: e2fsck-after-disk-suite error round $round" >> "$tmp/samples.$1"
    }
}

cmd_disk() {
    qemu=qemu-system-x86_64 rounds=3 cap=900 mem=1G bench_args="" log1="" log2="" qemu_extra="" size=1024 dir=""
    OPTIND=1
    while getopts q:r:T:m:a:l:L:x:S:D: opt; do
        case $opt in
        q) qemu=$OPTARG ;;
        r) rounds=$OPTARG ;;
        T) cap=$OPTARG ;;
        m) mem=$OPTARG ;;
        a) bench_args=$OPTARG ;;
        l) log1=$OPTARG ;;
        L) log2=$OPTARG ;;
        x) qemu_extra=$OPTARG ;;
        S) size=$OPTARG ;;
        D) dir=$OPTARG ;;
        *) die "usage: $prog disk [-q QEMU] [-r ROUNDS] [-T SECS] [-m MEM] [-a ARGS] [-l LOG] [-L LOG2] [-x QEMUARGS] [-S MIB] [-D DIR] OUT KERNEL INITRD [OUT2 KERNEL2 INITRD2]" ;;
        esac
    done
    shift $((OPTIND - 1))
    [ $# -eq 3 ] || [ $# -eq 6 ] || die "disk: OUT KERNEL INITRD [OUT2 KERNEL2 INITRD2] expected"
    case $rounds$size in *[!0-9]*|'') die "-r, -S: numbers expected" ;; esac
    nk=$(($# / 3))
    out1=$1 kernel1=$2 initrd1=$3 out2="" kernel2="" initrd2=""
    [ "$nk" -eq 1 ] || { out2=$4 kernel2=$5 initrd2=$6; }
    for k in $(seq 1 "$nk"); do
        pick "$k"
        [ -r "$kernel" ] || die "kernel $kernel not found"
        [ -r "$initrd" ] || die "initrd $initrd not found"
    done
    command -v "$qemu" >/dev/null 2>&1 || die "QEMU '$qemu' not found"
    for t in mke2fs e2fsck; do
        command -v $t >/dev/null 2>&1 || PATH=$PATH:/sbin:/usr/sbin
        command -v $t >/dev/null 2>&1 || die "$t (e2fsprogs) not found"
    done
    now_us >/dev/null
    [ -n "$log1" ] && : >> "$log1"
    [ -n "$log2" ] && : >> "$log2"
    if [ -z "$dir" ]; then
        dir=${TMPDIR:-/tmp}
        [ -d /dev/shm ] && [ -w /dev/shm ] && dir=/dev/shm
    fi
    tmp=$(mktemp -d "$dir/aster-bench-disk.XXXXXX") || die "mktemp in $dir failed"
    trap 'rm -rf "$tmp"' EXIT INT TERM
    # The same empty ext2 for every boot: fixed UUID, hash seed and times.
    E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -F -t ext2 -b 4096 -m 0 \
        -U 5a1e0c2a-0b1d-4e5c-9a11-000000000001 \
        -E hash_seed=5a1e0c2a-0b1d-4e5c-9a11-000000000002,root_owner=0:0 \
        "$tmp/master.img" "${size}M" >/dev/null || die "mke2fs failed"
    base="console=ttyS0 quiet rdinit=/init panic=-1"
    : > "$tmp/samples.1"
    : > "$tmp/samples.2"
    round=1
    while [ "$round" -le "$rounds" ]; do
        # ABAB... would favour whichever kernel runs first in a quiet spell
        # more often: alternate AB, BA.
        if [ "$nk" -eq 1 ] || [ $((round % 2)) -eq 1 ]; then order=$(seq 1 "$nk"); else order="2 1"; fi
        for k in $order; do disk_boot "$k" || die "cannot copy the image"; done
        round=$((round + 1))
    done
    status=0
    for k in $(seq 1 "$nk"); do
        pick "$k"
        median_lines "$tmp/samples.$k" >> "$out"
        grep -q '^bench: [^ ]* error' "$tmp/samples.$k" && status=1
        grep -q '^bench: ext2-write' "$tmp/samples.$k" || status=1
    done
    return $status
}

cmd_table() {
    [ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $prog table OURS [LINUX]"
    for f in "$@"; do [ -r "$f" ] || die "$f not found"; done
    awk -v nfiles=$# '
        FNR == 1 { file++ }
        function higher(u) { return u == "MiB/s" || u == "ops/s" || u == "files/s" }
        $1 == "bench:" && NF >= 4 && ($3 ~ /^[0-9]+$/ || $3 == "error") {
            name = $2
            if (!(name in known)) { known[name] = 1; order[++n] = name }
            if ($3 == "error") { val[file, name] = "error" } else { val[file, name] = $3; unit[name] = $4 }
        }
        function cell(f, name) {
            if (!((f, name) in val)) return "-"
            if (val[f, name] == "error") return "error"
            return val[f, name] " " unit[name]
        }
        END {
            if (nfiles == 1) {
                printf "%-28s %16s\n", "figure", "result"
                for (i = 1; i <= n; i++)
                    printf "%-28s %16s\n", order[i], cell(1, order[i])
                exit
            }
            printf "%-28s %16s %16s %8s %7s %8s %4s\n", "figure", "ours", "Linux", "ours/Lx", "better", "target", "met"
            for (i = 1; i <= n; i++) {
                name = order[i]; o = val[1, name]; l = val[2, name]
                up = higher(unit[name])
                if (up) { target = ">= 1.0"; lim = 1.0 }
                else if (name == "boot-to-shell") { target = "<= 0.1"; lim = 0.1 }
                else { target = "<= 1.0"; lim = 1.0 }
                ratio = "-"; met = "?"
                if (o ~ /^[0-9]+$/ && l ~ /^[0-9]+$/ && l > 0) {
                    r = o / l
                    ratio = sprintf("%.2f", r)
                    met = up ? (r >= lim ? "yes" : "no") : (r <= lim ? "yes" : "no")
                }
                printf "%-28s %16s %16s %8s %7s %8s %4s\n", name, cell(1, name), cell(2, name), ratio, up ? "higher" : "lower", target, met
            }
        }' "$@"
}

[ $# -ge 1 ] || die "usage: $prog run|disk|table ..."
sub=$1; shift
case $sub in
run) cmd_run "$@" ;;
disk) cmd_disk "$@" ;;
table) cmd_table "$@" ;;
*) die "unknown command $sub (run, disk or table)" ;;
esac
