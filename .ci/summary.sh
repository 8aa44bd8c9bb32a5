#!/bin/bash
# SPDX-License-Identifier: MPL-2.0
#
# .ci/summary.sh [DIR...]
#
# Sum the test results found under each DIR (default: .):
#   DejaGnu  *.sum files: PASS, FAIL, ERROR, XPASS, UNRESOLVED lines
#   automake *.trs files: ":test-result: PASS|FAIL|ERROR|XPASS|SKIP|XFAIL"
#            (test-suite.log only repeats the .trs results, so its "# PASS:"
#            header counts are used only when a directory has no .trs files)
# Directories named _build or *.dist / distcheck trees (make distcheck's
# nested build) are skipped so their results are not counted twice.
#
# Prints per-file counts (each followed by up to 20 of its failing lines and,
# for DejaGnu, up to 20 "aster: NAME: WHY" lines of its .log and up to 20 of
# the kernel's failure lines: failed ktest checks, BUG, KASAN, panics), then a
# last line exactly "N passed, N failed",
# where failed = FAIL + ERROR + XPASS + UNRESOLVED.  Exits 1 when failed > 0
# or when the environment variable STEPS_FAILED (names of failed steps, set
# by .ci/run) is non-empty and not 0.
set -u

dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(.)

passed=0
failed=0

add() { # FILE PASS FAIL
    printf '%-60s %5d passed, %5d failed\n' "$1" "$2" "$3"
    passed=$((passed + $2))
    failed=$((failed + $3))
}

prune=(-name _build -prune -o -name 'asterinas-*' -type d -prune -o -name .git -prune -o)

for d in "${dirs[@]}"; do
    [ -d "$d" ] || continue
    # DejaGnu summaries.  testrun.sum merges several tools' .sum: skip it.
    while IFS= read -r f; do
        [ "$(basename "$f")" = testrun.sum ] && continue
        p=$(grep -c '^PASS: ' "$f")
        x=$(grep -c -E '^(FAIL|ERROR|XPASS|UNRESOLVED): ' "$f")
        add "$f" "$p" "$x"
        # Name the failures, so that the tail of the CI log says what broke.
        grep -E '^(FAIL|ERROR|XPASS|UNRESOLVED): ' "$f" | head -n 20 | sed 's/^/    /'
        # And why: aster_report_failure's "aster: NAME: WHY" lines in the log beside it.
        log=${f%.sum}.log
        if [ "$x" -gt 0 ] && [ -f "$log" ]; then
            # Boot commands and exit statuses are noise here; the kernel's own
            # "ktest: NAME: FILE:LINE: check failed" lines, BUG and KASAN
            # reports and panics say what went wrong.
            grep -a -E '^aster: [^-]' "$log" | grep -a -v -E '^aster: (boot|QEMU exited)' \
                | head -n 20 | cut -c1-300 | sed 's/^/      /'
            grep -a -E 'check failed' "$log" | head -n 20 | cut -c1-300 | sed 's/^/      /'
            grep -a -E 'BUG|KASAN:|kernel panic' "$log" | head -n 10 | cut -c1-300 | sed 's/^/      /'
        fi
    done < <(find "$d" "${prune[@]}" -type f -name '*.sum' -print | LC_ALL=C sort)

    # automake parallel test harness.
    trs=$(find "$d" "${prune[@]}" -type f -name '*.trs' -print | LC_ALL=C sort)
    if [ -n "$trs" ]; then
        while IFS= read -r f; do
            p=$(grep -c '^:test-result: PASS' "$f")
            x=$(grep -c -E '^:test-result: (FAIL|ERROR|XPASS)' "$f")
            add "$f" "$p" "$x"
            grep -E '^:test-result: (FAIL|ERROR|XPASS)' "$f" | head -n 20 | sed 's/^/    /'
        done <<< "$trs"
    else
        while IFS= read -r f; do
            # The header of test-suite.log: "# PASS:  3", "# FAIL:  1", ...
            p=$(sed -n 's/^# PASS: *\([0-9][0-9]*\).*/\1/p' "$f" | head -n 1)
            x=$(sed -n 's/^# \(FAIL\|ERROR\|XPASS\): *\([0-9][0-9]*\).*/\2/p' "$f" \
                | awk '{ s += $1 } END { print s + 0 }')
            p=${p:-0}
            add "$f" "$p" "$x"
        done < <(find "$d" "${prune[@]}" -type f -name 'test-suite.log' -print | LC_ALL=C sort)
    fi
done

if [ -n "${STEPS_FAILED:-}" ] && [ "${STEPS_FAILED}" != 0 ]; then
    echo "failed steps: ${STEPS_FAILED}"
fi
echo "${passed} passed, ${failed} failed"
if [ "$failed" -gt 0 ]; then
    exit 1
fi
if [ -n "${STEPS_FAILED:-}" ] && [ "${STEPS_FAILED}" != 0 ]; then
    exit 1
fi
exit 0
