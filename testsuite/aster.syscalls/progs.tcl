# SPDX-License-Identifier: MPL-2.0
#
# What progs.exp and progs-smp.exp share: one boot that runs a list of test
# programs (testsuite/progs) through /progs/run.sh, and one result per
# program and flavour.  See progs.exp for the console protocol.

# progs_report NAME TEXT ENDED STATUS -- record the results of one program
# from its console TEXT (between its begin and end lines).
proc progs_report {test text ended status} {
    set notok [regexp -all -inline -line {^not ok [0-9]+ - .*$} $text]
    foreach line $notok {
        fail "$test: [string trim $line]"
    }
    if {!$ended} {
        aster_report_failure "$test: no end line (crash or hang?)"
        fail "$test (did not finish)"
        return
    }
    set summary ""
    regexp -line {^[^ :]+: ([0-9]+) passed, ([0-9]+) failed$} $text -> npass nfail
    if {![info exists npass]} {
        send_log "aster: $test: no summary line; output:\n$text\n"
        fail "$test (exit status $status, no summary line)"
    } elseif {$status != 0 || $nfail != 0 || [llength $notok] != 0} {
        send_log "aster: $test: output:\n$text\n"
        fail "$test ($npass passed, $nfail failed, exit status $status)"
    } else {
        pass "$test ($npass checks)"
    }
}

# progs_boot NAME NAMES FLAVOURS RUN DEBIAN QEMU -- boot once with
# aster.run=RUN, collect the programs NAMES in FLAVOURS (results named
# "NAME: t_x.flavour"); DEBIAN: whether RUN includes debian.sh; QEMU: extra
# QEMU arguments (e.g. -smp 4).
proc progs_boot {name progs_names progs_flavours progs_run debian qemu} {
    global TEST_INITRD
    if {![aster_require_tool qemu $name]
        || ![aster_require_tool initrd $name]
        || ![aster_require_userspace $name]} {
        return
    }
    aster_run_test $name {
        set t0 [clock seconds]
        aster_boot "rdinit=/init console=ttyS0 quiet panic=-1 aster.run=$progs_run" \
            [concat [list -initrd $TEST_INITRD -m 512M -cap 900] $qemu]
        if {![aster_expect {aster-test-init: run: } 120]} {
            unresolved "$name: init did not start the run"
        } else {
            set done [aster_expect {aster-progs: all done} 840]
            set text [aster_console_text]
            aster_log "$name: run took [expr {[clock seconds] - $t0}] s"
            # Programs that ran, in order, with their output and status.
            set ran {}
            foreach {- prog} [regexp -all -inline -line {^aster-progs: begin (\S+)$} $text] {
                lappend ran $prog
            }
            foreach prog $ran {
                set re "aster-progs: begin [aster_re_quote $prog]\n(.*?)(?:aster-progs: end [aster_re_quote $prog] status (\[0-9\]+)|\$)"
                set out ""
                set st ""
                regexp $re $text -> out st
                progs_report "$name: $prog" $out [expr {$st ne ""}] $st
            }
            foreach flavour $progs_flavours {
                set any 0
                foreach p $progs_names {
                    if {"$p.$flavour" in $ran} { set any 1 }
                }
                foreach p $progs_names {
                    if {"$p.$flavour" ni $ran} {
                        if {$flavour eq "musl" && !$any} {
                            unsupported "$name: $p.musl (no musl build in the initramfs)"
                        } elseif {$done} {
                            fail "$name: $p.$flavour (not in the initramfs)"
                        } else {
                            fail "$name: $p.$flavour (did not run)"
                        }
                    }
                }
            }
            if {$debian && "debian-coreutils" ni $ran} {
                fail "$name: debian-coreutils (did not run)"
            }
            if {$done} {
                set st [aster_wait_exit 60]
                aster_check "$name: power-off after the run" [expr {$st == 0}] \
                    "expected QEMU to exit with status 0, got $st"
            } else {
                fail "$name: the run finished"
            }
        }
    }
}
