#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# TAP test: every C file under kernel/ and examples/ follows the safe-C rules
# (doc/safe-c.md), one test per file.  SKIPs (1..0) when there is no python3
# with the clang bindings; `make check-tcb` fails instead.
srcdir=${top_srcdir:-`dirname "$0"`/../..}
py=${TCB_PYTHON:-python3}
if ! command -v "$py" >/dev/null 2>&1; then
	echo "1..0 # SKIP no python3: the safe-C checker needs python3 with the clang bindings"
	exit 0
fi
set -- --srcdir "$srcdir" --tap "$srcdir/kernel" "$srcdir/examples"
if test -n "$KCC_INCLUDE"; then set -- --isystem "$KCC_INCLUDE" "$@"; fi
exec "$py" "$srcdir/tools/tcb/tcb-check.py" "$@"
