#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# Lists what kernel/uapi/*.h define, for tests/unit/test_uapi: the headers
# and the names come from the headers themselves, so a constant or struct
# added there is checked against the host without editing the test.
#
#   gen_uapi_names.sh OUTDIR SRCDIR HEADER...   (HEADER relative to SRCDIR)
# writes OUTDIR/uapi_all.h (includes every header), uapi_names.inc
# (UAPI_CONST(NAME) per object-like macro), uapi_host_names.inc (the same,
# each under #ifdef NAME: a host header may lack it) and uapi_struct_names.inc
# (UAPI_STRUCT_NAME(tag) per struct defined).
set -e
out=$1
src=$2
shift 2
tmp=$out/uapi-gen.tmp
: >"$tmp.all"
: >"$tmp.names"
: >"$tmp.structs"
for rel in "$@"; do
	h=$src/$rel
	base=$(basename "$h")
	printf '#include "uapi/%s"\n' "$base" >>"$tmp.all"
	# Object-like macros only: a '(' right after the name makes a function-like one.
	sed -n 's/^#[ 	]*define[ 	][ 	]*\([A-Za-z_][A-Za-z0-9_]*\)\([ 	].*\)\{0,1\}$/\1/p' "$h" |
		grep -v '^ASTER_UAPI_.*_H$' >>"$tmp.names" || :
	sed -n 's/^struct[ 	][ 	]*\([A-Za-z_][A-Za-z0-9_]*\)[ 	]*{.*/\1/p' "$h" >>"$tmp.structs"
done
mv "$tmp.all" "$out/uapi_all.h"
sed 's/.*/UAPI_CONST(&)/' "$tmp.names" >"$out/uapi_names.inc"
sed 's/.*/#ifdef &\nUAPI_CONST(&)\n#endif/' "$tmp.names" >"$out/uapi_host_names.inc"
sed 's/.*/UAPI_STRUCT_NAME(&)/' "$tmp.structs" >"$out/uapi_struct_names.inc"
rm -f "$tmp.names" "$tmp.structs"
