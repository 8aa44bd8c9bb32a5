#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# /progs/debian.sh -- run Debian's own dynamically linked coreutils (ls,
# sha256sum, sort), util-linux's System V IPC tools (ipcmk, ipcs, ipcrm) and strace,
# copied with their shared libraries into /debian/bin of the test
# initramfs, and check their output; TAP-like lines and a final
# "debian-coreutils: N passed, M failed", exit status 0 when all passed.

D=/debian/bin
n=0
failed=0
check() {   # check DESC GOT WANT
    n=$((n + 1))
    if [ "$2" = "$3" ]; then
        echo "ok $n - $1"
    else
        failed=$((failed + 1))
        echo "not ok $n - $1: got '$2', want '$3'"
    fi
}

check "ls --version" "$($D/ls --version 2>&1 | head -n 1 | sed 's/ [0-9.]*$//')" "ls (GNU coreutils)"
mkdir -p /tmp/deb && cd /tmp/deb || exit 1
rm -rf /tmp/deb/*
echo one > b; echo two > a; mkdir c; chmod 0640 a; ln -s a d
check "ls lists sorted names" "$($D/ls)" "$(printf 'a\nb\nc\nd')"
check "ls -l mode and size of a file" "$($D/ls -l a | cut -d' ' -f1,5)" "-rw-r----- 4"
check "ls -ld a directory" "$($D/ls -ld c | cut -c1)" "d"
check "ls -l shows the symlink target" "$($D/ls -l d | sed 's/.* d -> /d -> /')" "d -> a"
check "ls -a shows dot entries" "$($D/ls -a | head -n 2 | tr '\n' ' ')" ". .. "
check "ls of a missing file fails" "$($D/ls nonexistent >/dev/null 2>&1; echo $?)" "2"
check "sha256sum of abc" "$(printf abc | $D/sha256sum)" \
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -"
check "sha256sum of the empty file" "$($D/sha256sum < /dev/null | cut -d' ' -f1)" \
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
seq 1 5000 > big
check "sha256sum agrees with busybox" "$($D/sha256sum big)" "$(busybox sha256sum big)"
check "sha256sum -c" "$($D/sha256sum big > sums; $D/sha256sum -c sums)" "big: OK"
check "sort" "$(printf 'pear\napple\nfig\n' | $D/sort | tr '\n' ' ')" "apple fig pear "
check "sort -n -r of 5000 numbers" "$($D/sort -n -r big | head -n 3 | tr '\n' ' ')" "5000 4999 4998 "
check "sort -u" "$(printf 'b\na\nb\na\n' | $D/sort -u | tr '\n' ' ')" "a b "
check "sort -k2,2n" "$(printf 'x 10\ny 9\nz 100\n' | $D/sort -k2,2n | cut -c1 | tr -d '\n')" "yxz"
check "sort large input with a temporary file" \
    "$(seq 1 60000 | $D/sort -r -S 64K -T /tmp | tail -n 1)" "1"
cd / && rm -rf /tmp/deb

# util-linux's ipcs reads /proc/sysvipc and /proc/sys/kernel; ipcmk and ipcrm use the syscalls.
shm=$($D/ipcmk -M 8192 -p 0640 2>&1 | sed -n 's/^Shared memory id: //p')
sem=$($D/ipcmk -S 3 2>&1 | sed -n 's/^Semaphore id: //p')
msq=$($D/ipcmk -Q 2>&1 | sed -n 's/^Message queue id: //p')
check "ipcmk made a segment, a set and a queue" "${shm:+y}${sem:+y}${msq:+y}" "yyy"
check "ipcs -m lists the segment: perms and size" \
    "$($D/ipcs -m | awk -v id="$shm" 'NF > 2 && $2 == id { print $4, $5, $6 }')" "640 8192 0"
check "ipcs -s lists the set: nsems" "$($D/ipcs -s | awk -v id="$sem" 'NF > 2 && $2 == id { print $5 }')" "3"
check "ipcs -q lists the queue: bytes and messages" \
    "$($D/ipcs -q | awk -v id="$msq" 'NF > 2 && $2 == id { print $5, $6 }')" "0 0"
check "ipcs -m -i: the segment's details" \
    "$($D/ipcs -m -i "$shm" | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')" "8192"
check "ipcs -l: the segment limits" \
    "$($D/ipcs -l | sed -n 's/^max number of segments = //p')" "4096"
check "ipcrm -m -s -q" "$($D/ipcrm -m "$shm" -s "$sem" -q "$msq"; echo $?)" "0"
check "ipcs no longer lists them" \
    "$({ $D/ipcs -m | awk -v id="$shm" 'NF > 2 && $2 == id'; $D/ipcs -s | awk -v id="$sem" 'NF > 2 && $2 == id'
        $D/ipcs -q | awk -v id="$msq" 'NF > 2 && $2 == id'; } | wc -l)" "0"
check "ipcrm of a removed id fails" "$($D/ipcrm -m "$shm" 2>/dev/null; echo $?)" "1"
# strace (ptrace(2): PTRACE_SEIZE, syscall stops, PTRACE_GET_SYSCALL_INFO, exec events, wait).
if [ -x $D/strace ]; then
    rm -f /tmp/strace.out
    check "strace -f -o FILE /bin/true exits 0" "$($D/strace -f -o /tmp/strace.out /bin/true; echo $?)" "0"
    check "the trace names execve of /bin/true" \
        "$(grep -c 'execve("/bin/true", \["/bin/true"\]' /tmp/strace.out)" "1"
    check "the trace names exit_group(0)" "$(grep -c 'exit_group(0) *= ?' /tmp/strace.out)" "1"
    check "the trace ends with the exit" "$(tail -n 1 /tmp/strace.out | sed 's/^[0-9]* *//')" "+++ exited with 0 +++"
    check "strace passes on a traced shell's exit status" \
        "$($D/strace -f -o /dev/null /bin/sh -c 'exit 3'; echo $?)" "3"
    # -f follows a fork (PTRACE_O_TRACECLONE/FORK events, the auto-attached child).
    $D/strace -f -o /tmp/strace.out /bin/sh -c '/bin/true; exit 5'
    check "strace -f follows the shell's child: two pids" "$(awk '{print $1}' /tmp/strace.out | sort -u | wc -l)" "2"
    check "the child's execve of /bin/true is traced" "$(grep -c 'execve("/bin/true"' /tmp/strace.out)" "1"
    check "the child's exit and the shell's" \
        "$(grep -c -e '+++ exited with 0 +++' -e '+++ exited with 5 +++' /tmp/strace.out)" "2"
    rm -f /tmp/strace.out
else
    check "strace is in the initramfs" "no" "yes"
fi
echo "debian-coreutils: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
