#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# report.sh SUPPRESSIONS LOG... -- sum up gcc -fanalyzer logs.
#
# Each finding is a "FILE:LINE:COL: warning: ... [-Wanalyzer-KIND]" line;
# the function it is in comes from the "FILE: In function 'NAME':" line
# before it.  A finding is suppressed by a line "FILE FUNCTION KIND reason"
# in SUPPRESSIONS (KIND without -Wanalyzer-; # starts a comment), which
# must say why it is a false positive.  Exits 1 if a finding is not
# suppressed, or a suppression matched nothing (it has gone stale).
set -u

supp=$1
shift
found=$(mktemp) || exit 2
trap 'rm -f "$found"' EXIT

# One "FILE FUNCTION KIND LINE MESSAGE" row per finding.
for log in "$@"; do
	awk '
	/: In function / {
		fn = $0
		sub(/.*: In function ./, "", fn)
		sub(/.:$/, "", fn)
		next
	}
	/: warning: .*\[-Wanalyzer-[a-z-]+\]$/ {
		kind = $0
		sub(/.*\[-Wanalyzer-/, "", kind)
		sub(/\]$/, "", kind)
		split($0, loc, ":")
		msg = $0
		sub(/^[^ ]* warning: /, "", msg)
		print loc[1], fn, kind, loc[2], msg
	}' "$log"
done > "$found"

status=0
total=0
suppressed=0
while read -r file fn kind line msg; do
	total=$((total + 1))
	if grep -v '^#' "$supp" | awk -v f="$file" -v n="$fn" -v k="$kind" \
		'$1 == f && $2 == n && $3 == k { hit = 1 } END { exit !hit }'; then
		suppressed=$((suppressed + 1))
		continue
	fi
	echo "check-analyzer: $file:$line: in $fn: $msg (see ${file%.c}.analyzer.log)"
	status=1
done < "$found"

# A suppression that matches no finding has gone stale: drop it.
grep -v '^#' "$supp" | {
	stale=0
	while read -r file fn kind reason; do
		[ -n "$file" ] || continue
		if ! awk -v f="$file" -v n="$fn" -v k="$kind" \
			'$1 == f && $2 == n && $3 == k { hit = 1 } END { exit !hit }' "$found"; then
			echo "check-analyzer: stale suppression: $file $fn $kind"
			stale=1
		fi
	done
	exit $stale
} || status=1

echo "check-analyzer: $# files, $total findings, $suppressed suppressed as false positives"
exit $status
