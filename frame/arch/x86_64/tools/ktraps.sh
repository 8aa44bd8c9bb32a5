#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# The bounds-check traps of a kernel link, for ksyms.sh to put in the image
# (frame/log/ubsan.c reports them): gcc's -fsanitize=bounds with
# -fsanitize-undefined-trap-on-error turns a failed check into a jump to a
# ud2.  For each ud2 in C code, lines "TRAP ADDR LINE FILE": first the ud2's
# own source line, then the line of every other check that jumps to the
# same ud2 (gcc merges identical traps in a function), so a report can name
# every candidate.  ud2s in assembly files (deliberate ones) are left out.
# Paths are given relative to the source tree.
# Usage: ktraps.sh ELF SRCDIR      (OBJDUMP, ADDR2LINE: the tools to use)
set -e
elf=$1
srcdir=$(cd "$2" && pwd)
tmp=$elf.traps.tmp
# "UD2 ADDR" for each ud2, "JMP FROM TO" for each jump to one.
"${OBJDUMP:-objdump}" -d --no-show-raw-insn "$elf" | awk '
	{ sub(":", "", $1) }
	$2 == "ud2" { ud2[$1] = 1; print "UD2", $1; next }
	$2 ~ /^j/ && $3 ~ /^[0-9a-f]+$/ { jmp[n++] = $1 " " $3 }
	END { for (i = 0; i < n; i++) { split(jmp[i], p, " "); if (p[2] in ud2) print "JMP", p[1], p[2] } }
' > "$tmp"
if grep -q '^UD2' "$tmp"; then
	# Each address, then its "FILE:LINE" from addr2line, pairwise.
	awk '{ print "0x" $2 }' "$tmp" | "${ADDR2LINE:-addr2line}" -e "$elf" -a |
	awk -v src="$srcdir/" -v map="$tmp" '
	function where(loc,    n, p, line, file) {
		n = split(loc, p, ":"); line = p[n]
		file = substr(loc, 1, length(loc) - length(line) - 1)
		if (file !~ /\.c$/ || line !~ /^[0-9]+$/)
			return ""
		if (index(file, src) == 1)
			file = substr(file, length(src) + 1)
		while (file ~ /^\.\.\//)
			file = substr(file, 4)
		return line " " file
	}
	/^0x/ { a = $1; sub(/^0x0*/, "", a); next }
	{ loc[a] = where($1) }
	END {
		while ((getline l < map) > 0) {
			split(l, f, " ")
			if (f[1] == "UD2") { order[nu++] = f[2]; continue }
			from[f[3]] = from[f[3]] " " f[2]
		}
		for (i = 0; i < nu; i++) {
			u = order[i]
			if (loc[u] == "")
				continue
			print "TRAP", u, loc[u]; seen[u SUBSEP loc[u]] = 1
			m = split(from[u], srcs, " ")
			for (j = 1; j <= m; j++) {
				w = loc[srcs[j]]
				if (w == "" || (u SUBSEP w) in seen)
					continue
				seen[u SUBSEP w] = 1
				print "TRAP", u, w
			}
		}
	}'
fi
rm -f "$tmp"
