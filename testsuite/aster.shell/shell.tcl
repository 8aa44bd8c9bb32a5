# SPDX-License-Identifier: MPL-2.0
#
# shell.tcl -- helpers for the aster.shell tests: sessions typed at BusyBox
# sh on the serial console.  Sourced by the .exp files of this directory:
#
#     source [file join $srcdir $subdir shell.tcl]
#
# The test initramfs /init starts "setsid cttyhack sh" (prompt "aster# ")
# when the kernel command line has the word aster.shell.  Output of a
# command is delimited by markers that the shell prints but the echo of the
# typed line does not contain: the line typed for CMD is
#     echo "@@""B<n>"; CMD; echo "@@""E<n>" $?
# and the shell prints @@B<n>, the output of CMD, then @@E<n> and CMD's
# exit status.

set shell_seq 0

# shell_send TEXT -- type TEXT on the console (no newline added).
proc shell_send {text} {
    global aster_spawn_id
    if {$aster_spawn_id eq ""} {
        error "no QEMU running"
    }
    send -i $aster_spawn_id -- $text
}

# shell_host_raw -- QEMU's "-serial stdio" leaves ISIG on in the host pty
# it reads (its stdio chardev defaults to signal=on), so a ^C typed for the
# guest would kill QEMU instead.  Turn ISIG off on that pty (QEMU's stdin,
# shared with its timeout(1) wrapper, whose pid aster_boot keeps).
proc shell_host_raw {} {
    global aster_pid
    if {$aster_pid eq ""} { return }
    if {[catch {
        set pty [file readlink /proc/$aster_pid/fd/0]
        exec stty -F $pty -isig
    } err]} {
        aster_log "cannot turn off ISIG on QEMU's pty: $err"
    }
}

# shell_boot -- boot the test initramfs into the interactive shell; return 1
# when the first prompt appeared and the terminal was set up.
proc shell_boot {} {
    global TEST_INITRD
    aster_boot {rdinit=/init console=ttyS0 quiet panic=-1 aster.shell} \
        [list -initrd $TEST_INITRD -m 256M -cap 300]
    if {![aster_expect {aster-test-init: shell[\r\n]} 90]} {
        return 0
    }
    if {![aster_expect {aster# } 30]} {
        return 0
    }
    shell_host_raw
    # A known window size for line editing and vi; no tty echo of ^C
    # quirks matter, the markers take care of the echo.
    set r [shell_run {stty rows 24 cols 160; cd /tmp}]
    return [expr {[lindex $r 0] == 0}]
}

# shell_run CMD ?SECS? -- type CMD and wait up to SECS seconds (default 30)
# for its output.  Returns {STATUS OUTPUT}: CMD's exit status and its output
# with carriage returns removed and the last newline trimmed; STATUS is -1
# when the end marker did not come.
proc shell_run {cmd {secs 30}} {
    global shell_seq aster_out
    incr shell_seq
    set n $shell_seq
    shell_send "echo \"@@\"\"B$n\"; $cmd; echo \"@@\"\"E$n\" \$?\r"
    if {![aster_expect "@@B$n\r*\n(.*?)@@E$n (\[0-9\]+)\r*\n" $secs]} {
        return [list -1 ""]
    }
    set out [string map {"\r" ""} $aster_out(1)]
    set st $aster_out(2)
    if {[string index $out end] eq "\n"} {
        set out [string range $out 0 end-1]
    }
    return [list $st $out]
}

# shell_check NAME CMD WANT ?SECS? -- run CMD and record PASS for NAME when it
# exits with status 0 and prints exactly WANT (else FAIL with both).
proc shell_check {name cmd want {secs 30}} {
    set r [shell_run $cmd $secs]
    set st [lindex $r 0]
    set out [lindex $r 1]
    if {$st == 0 && $out eq $want} {
        pass $name
        return 1
    }
    if {$st == -1} {
        fail "$name (no end marker: hang?)"
    } else {
        send_log "aster: $name: command: $cmd\naster: got (status $st):\n$out\naster: want:\n$want\n"
        fail "$name (status $st, output differs; see the log)"
    }
    return 0
}

# shell_check_re NAME CMD RE -- like shell_check, but the output must match
# the regular expression RE.
proc shell_check_re {name cmd re {secs 30}} {
    set r [shell_run $cmd $secs]
    set st [lindex $r 0]
    set out [lindex $r 1]
    if {$st == 0 && [regexp -- $re $out]} {
        pass $name
        return 1
    }
    send_log "aster: $name: command: $cmd\naster: got (status $st):\n$out\naster: want /$re/\n"
    fail "$name (status $st, output does not match)"
    return 0
}
