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
#   bench.sh table OURS [LINUX]
#       Side-by-side table of two outputs of "run": figure, ours, Linux,
#       ratio ours/Linux and whether the target is met (boot-to-shell: ratio
#       <= 0.1; latencies: <= 1.0; bandwidths: >= 1.0).  With one file, just
#       its figures.
set -u

prog=${0##*/}
die() { echo "$prog: $*" >&2; exit 2; }

# Microseconds since the epoch (GNU date: %N).
now_us() {
    t=$(date +%s%N)
    case $t in *N*|'') die "date +%s%N is not supported (GNU coreutils needed)" ;; esac
    echo $((t / 1000))
}

# boot_once APPEND: boot once; on stdout "marker US" (microseconds from the
# start of QEMU to the marker line) followed by the console's bench lines.
boot_once() {
    cr=$(printf '\r')
    t0=$(now_us)
    # shellcheck disable=SC2086 # extra QEMU arguments are words
    timeout -k 5 "$cap" "$qemu" -machine q35 -m "$mem" -nodefaults -display none \
        -serial stdio -monitor none -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$kernel" -initrd "$initrd" -append "$1" $qemu_extra \
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

cmd_table() {
    [ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $prog table OURS [LINUX]"
    for f in "$@"; do [ -r "$f" ] || die "$f not found"; done
    awk -v nfiles=$# '
        FNR == 1 { file++ }
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
            printf "%-28s %16s %16s %8s %8s %4s\n", "figure", "ours", "Linux", "ratio", "target", "met"
            for (i = 1; i <= n; i++) {
                name = order[i]; o = val[1, name]; l = val[2, name]
                if (unit[name] == "MiB/s") { target = ">= 1.0"; lim = 1.0 }
                else if (name == "boot-to-shell") { target = "<= 0.1"; lim = 0.1 }
                else { target = "<= 1.0"; lim = 1.0 }
                ratio = "-"; met = "?"
                if (o ~ /^[0-9]+$/ && l ~ /^[0-9]+$/ && l > 0) {
                    r = o / l
                    ratio = sprintf("%.2f", r)
                    met = (unit[name] == "MiB/s") ? (r >= lim ? "yes" : "no") : (r <= lim ? "yes" : "no")
                }
                printf "%-28s %16s %16s %8s %8s %4s\n", name, cell(1, name), cell(2, name), ratio, target, met
            }
        }' "$@"
}

[ $# -ge 1 ] || die "usage: $prog run|table ..."
sub=$1; shift
case $sub in
run) cmd_run "$@" ;;
table) cmd_table "$@" ;;
*) die "unknown command $sub (run or table)" ;;
esac
