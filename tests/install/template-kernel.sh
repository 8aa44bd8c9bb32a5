#! /bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# make installcheck (frame/install.am): build a one-file kernel against the
# installed framework alone, with nothing but `pkg-config --cflags --libs
# aster-frame` and the tools the .pc file names, and boot it in QEMU.
# Environment (from the make rule):
#   DESTDIR, prefix, libdir   where make install put the tree
#   QEMU                      qemu-system-x86_64 ("" skips the boot)
# Exit 0 on success or when pkg-config is missing (it says SKIP), 1 on failure.

set -u
LC_ALL=C
export LC_ALL
: "${prefix:?}" "${libdir:?}"
DESTDIR=${DESTDIR-}
QEMU=${QEMU-}

pcdir=$DESTDIR$libdir/pkgconfig
if ! command -v pkg-config >/dev/null 2>&1; then
	echo "template-kernel: SKIP: pkg-config not found"
	exit 0
fi
if [ ! -f "$pcdir/aster-frame.pc" ]; then
	echo "template-kernel: FAIL: $pcdir/aster-frame.pc is not installed (make install first)" >&2
	exit 1
fi
pc() {
	PKG_CONFIG_PATH=$pcdir PKG_CONFIG_LIBDIR=$pcdir \
		pkg-config --define-variable=prefix="$DESTDIR$prefix" "$@" aster-frame
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aster-template.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' 0
trap 'exit 1' 1 2 13 15

fail() {
	echo "template-kernel: FAIL: $*" >&2
	exit 1
}

cflags=$(pc --cflags) || fail "pkg-config --cflags aster-frame"
libs=$(pc --libs) || fail "pkg-config --libs aster-frame"
kcc=$(pc --variable=kcc)
kobjcopy=$(pc --variable=kobjcopy)
knm=$(pc --variable=knm)
setup=$(pc --variable=setup)
mkbzimage=$(pc --variable=mkbzimage)
case " $cflags " in *" -I$DESTDIR$prefix/"*) ;; *) fail "cflags '$cflags' do not point into the installed tree";; esac

cat > "$tmp/main.c" <<'EOF'
// SPDX-License-Identifier: MPL-2.0
#include <aster/boot.h>
#include <aster/log.h>
#include <aster/power.h>

__noreturn void kernel_main(void)
{
	pr_notice("template kernel: hello from outside the tree\n");
	machine_debug_exit(true);
	machine_poweroff();
}
EOF
# shellcheck disable=SC2086 # the flags are words
$kcc $cflags -O2 -g -Wall -Wextra -Werror -c -o "$tmp/main.o" "$tmp/main.c" ||
	fail "compiling with pkg-config --cflags"
# shellcheck disable=SC2086
$kcc -o "$tmp/kernel.elf" "$tmp/main.o" $libs || fail "linking with pkg-config --libs"
$kobjcopy -O binary "$tmp/kernel.elf" "$tmp/kernel.bin" || fail objcopy
end=$($knm "$tmp/kernel.elf" | awk '$3 == "__bss_end_phys" { print $1 }')
start=$($knm "$tmp/kernel.elf" | awk '$3 == "__image_start_phys" { print $1 }')
[ -n "$end" ] && [ -n "$start" ] || fail "no __bss_end_phys/__image_start_phys in the kernel"
"$mkbzimage" "$setup" "$tmp/kernel.bin" $((0x$end - 0x$start)) "$tmp/vmlinuz" || fail mkbzimage
echo "template-kernel: built $tmp/vmlinuz against $DESTDIR$prefix"

if [ -z "$QEMU" ]; then
	echo "template-kernel: SKIP boot: no QEMU"
	exit 0
fi
timeout -k 5 60 "$QEMU" -machine q35 -m 128M -nodefaults -display none -serial stdio \
	-monitor none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$tmp/vmlinuz" -append console=ttyS0 < /dev/null > "$tmp/console" 2>&1
status=$?
if ! grep -q 'template kernel: hello from outside the tree' "$tmp/console"; then
	cat "$tmp/console" >&2
	fail "no greeting on the console (QEMU status $status)"
fi
[ $status -eq 33 ] || fail "QEMU exit status $status, expected 33 (isa-debug-exit success)"
echo "template-kernel: PASS: booted, greeted and exited through isa-debug-exit"
