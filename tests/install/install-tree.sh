#! /bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# make install / make uninstall into scratch trees (DESTDIR), and the GRUB
# script they install (boot/41_asterinas.in).  TAP output, for automake's
# tap-driver.sh.  Environment (from AM_TESTS_ENVIRONMENT):
#   top_builddir   the build tree (required)
#   top_srcdir     the source tree (informative)
#   MAKE           make to use (default: make)
#   GRUB_MKCONFIG  grub-mkconfig (default: searched in PATH; "" skips it)
#
# Two installs: the system layout (prefix=/usr bootdir=/boot sysconfdir=/etc)
# and a private prefix with an initramfs switched on (INITRAMFS=FILE).  Each
# checks the installed files and their modes, runs the installed GRUB script
# against the tree with ASTERINAS_BOOT_DIR, and checks that make uninstall
# leaves no file behind.  The first also runs grub-mkconfig on the tree: its
# own /etc/grub.d and /etc/default/grub are swapped for the tree's through a
# pkgdatadir wrapper of grub-mkconfig_lib, and grub-probe for a stub (device
# probing needs root and a real disk), so that nothing outside the tree is
# read or written.

set -u
LC_ALL=C
export LC_ALL

: "${top_builddir:?top_builddir is not set (run me from make check)}"
top_builddir=$(cd "$top_builddir" && pwd) || exit 99
MAKE=${MAKE:-make}
unset MAKELEVEL DESTDIR GRUB_CMDLINE_ASTERINAS ASTERINAS_BOOT_DIR \
	ASTERINAS_GRUB_DEFAULT ASTERINAS_NO_PROBE pkgdatadir 2>/dev/null || :

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aster-install.XXXXXX") || exit 99
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' 0
trap 'exit 1' 1 2 13 15

n=0
failed=0
plan=25
echo "1..$plan"

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	failed=1
	echo "not ok $n - $1"
}
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
# check DESCRIPTION COMMAND...: ok when COMMAND succeeds.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
diag() {
	sed 's/^/# /' "$@"
}

run_make() {
	$MAKE --no-print-directory -C "$top_builddir" "$@"
}

mode_of() {
	stat -c %a -- "$1" 2>/dev/null
}

# The path the GRUB script printed, resolved in the tree: it is relative to
# the file system that holds the boot directory.
resolve_grub_path() {
	mnt=$(stat -c %m -- "$2" 2>/dev/null) || mnt=/
	case $mnt in
	/) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$mnt$1" ;;
	esac
}

# entry_path KEYWORD FILE: the path after "linux" or "initrd" in FILE.
entry_path() {
	awk -v kw="$1" '$1 == kw { print $2; exit }' "$2"
}

leftover_files() {
	find "$1" ! -type d -print
}

# --- install 1: the system layout --------------------------------------------

dest=$tmp/sys
layout="prefix=/usr bootdir=/boot sysconfdir=/etc"
eval "dirs=\$(run_make -s boot-print-install-dirs $layout)" || dirs=
version=$(printf '%s\n' "$dirs" | sed -n 's/^VERSION=//p')
if [ -z "$version" ]; then
	echo "Bail out! make boot-print-install-dirs failed in $top_builddir"
	exit 1
fi
kernel=$dest/boot/vmlinuz-asterinas-$version
sysmap=$dest/boot/System.map-asterinas-$version
initrd=$dest/boot/initramfs-asterinas-$version.img
script=$dest/etc/grub.d/41_asterinas

# The build dir's own initramfs is installed when it exists; say so.
if [ -f "$top_builddir/initramfs.cpio.gz" ]; then have_initramfs=yes; else have_initramfs=no; fi

if eval "run_make install DESTDIR=\"\$dest\" $layout" > "$tmp/install1.log" 2>&1; then
	ok "make install DESTDIR=... $layout"
else
	diag "$tmp/install1.log"
	not_ok "make install DESTDIR=... $layout"
fi
check "kernel installed as /boot/vmlinuz-asterinas-$version, mode 644, same as vmlinuz" \
	eval 'test "$(mode_of "$kernel")" = 644 && cmp -s "$kernel" "$top_builddir/vmlinuz"'
check "System.map installed as /boot/System.map-asterinas-$version, mode 644" \
	eval 'test "$(mode_of "$sysmap")" = 644 && cmp -s "$sysmap" "$top_builddir/System.map"'
if [ $have_initramfs = yes ]; then
	check "initramfs.cpio.gz of the build tree installed" test -f "$initrd"
else
	check "no initramfs installed (the build tree has no initramfs.cpio.gz)" test ! -e "$initrd"
fi
check "GRUB script installed as /etc/grub.d/41_asterinas, mode 755" \
	eval 'test "$(mode_of "$script")" = 755'
check "GRUB script: valid sh, no unsubstituted @...@, default boot dir /boot" \
	eval 'sh -n "$script" && ! grep -q "@[a-zA-Z_]*@" "$script" &&
	      grep -q "ASTERINAS_BOOT_DIR:-/boot}" "$script"'

# Run the installed script by hand, as a user would, against the tree.
printf 'GRUB_CMDLINE_ASTERINAS="aster.from_default=1"\n' > "$tmp/default-grub"
ASTERINAS_BOOT_DIR=$dest/boot ASTERINAS_NO_PROBE=1 ASTERINAS_GRUB_DEFAULT=$tmp/default-grub \
	sh "$script" > "$tmp/entry1" 2> "$tmp/entry1.err"
status=$?
if [ $status -eq 0 ] && grep -q "^menuentry 'Asterinas $version' " "$tmp/entry1" &&
   [ "$(grep -c '^menuentry ' "$tmp/entry1")" = 1 ]; then
	ok "GRUB script prints one menuentry 'Asterinas $version'"
else
	diag "$tmp/entry1" "$tmp/entry1.err"
	not_ok "GRUB script prints one menuentry 'Asterinas $version'"
fi
kpath=$(entry_path linux "$tmp/entry1")
if [ -n "$kpath" ] && [ "$(resolve_grub_path "$kpath" "$dest/boot")" -ef "$kernel" ]; then
	ok "its linux line names the installed kernel ($kpath)"
else
	diag "$tmp/entry1"
	not_ok "its linux line names the installed kernel ($kpath)"
fi
if [ $have_initramfs = yes ]; then shell_arg=" aster.shell"; else shell_arg=""; fi
check "its command line: console=ttyS0,115200 console=tty0,${shell_arg:+ aster.shell (there is an initramfs),} then GRUB_CMDLINE_ASTERINAS" \
	grep -q "^	linux [^ ]* console=ttyS0,115200 console=tty0$shell_arg aster.from_default=1\$" "$tmp/entry1"
if [ $have_initramfs = yes ]; then
	check "it has an initrd line" grep -q "^	initrd " "$tmp/entry1"
else
	check "it has no initrd line (no initramfs installed)" eval '! grep -q "initrd" "$tmp/entry1"'
fi
GRUB_CMDLINE_ASTERINAS='aster.from_env=1' ASTERINAS_BOOT_DIR=$dest/boot ASTERINAS_NO_PROBE=1 \
	ASTERINAS_GRUB_DEFAULT=$tmp/default-grub sh "$script" > "$tmp/entry1b" 2>/dev/null
check "GRUB_CMDLINE_ASTERINAS from the environment wins over the defaults file" \
	grep -q "console=tty0$shell_arg aster.from_env=1\$" "$tmp/entry1b"

grub_script_check=$(command -v grub-script-check 2>/dev/null) || grub_script_check=
if [ -n "$grub_script_check" ]; then
	if "$grub_script_check" "$tmp/entry1" > "$tmp/gsc.log" 2>&1; then
		ok "grub-script-check accepts the entry"
	else
		diag "$tmp/gsc.log"
		not_ok "grub-script-check accepts the entry"
	fi
else
	skip "grub-script-check accepts the entry" "grub-script-check not found"
fi

# grub-mkconfig on the tree.
grub_mkconfig=${GRUB_MKCONFIG-$(command -v grub-mkconfig 2>/dev/null)}
mkconfig_skip=
real_lib=
if [ -z "$grub_mkconfig" ] || [ ! -f "$grub_mkconfig" ]; then
	mkconfig_skip="grub-mkconfig not found"
else
	datarootdir=$(sed -n 's/^datarootdir="\(.*\)"$/\1/p' "$grub_mkconfig" | head -n 1)
	for f in "$datarootdir/grub/grub-mkconfig_lib" /usr/share/grub/grub-mkconfig_lib \
		 /usr/local/share/grub/grub-mkconfig_lib; do
		if [ -r "$f" ]; then real_lib=$f; break; fi
	done
	if [ -z "$real_lib" ]; then
		mkconfig_skip="grub-mkconfig_lib not found next to $grub_mkconfig"
	elif ! grep -q '^\. "${pkgdatadir}/grub-mkconfig_lib"' "$grub_mkconfig" ||
	     ! grep -q 'grub_mkconfig_dir=' "$grub_mkconfig"; then
		mkconfig_skip="this grub-mkconfig cannot be pointed at another grub.d (no pkgdatadir hook)"
	elif [ "$(id -u)" != 0 ] && ! sh -c 'EUID=0' 2>/dev/null; then
		mkconfig_skip="grub-mkconfig insists on root and this sh cannot fake EUID"
	fi
fi
if [ -n "$mkconfig_skip" ]; then
	skip "grub-mkconfig on the tree runs 41_asterinas" "$mkconfig_skip"
	skip "grub-mkconfig: the entry's kernel exists in the tree" "$mkconfig_skip"
else
	mkdir -p "$tmp/pkgdata" "$dest/etc/default"
	printf 'GRUB_CMDLINE_ASTERINAS="aster.mkconfig=1"\nGRUB_TERMINAL=serial\n' > "$dest/etc/default/grub"
	# grub-probe stub: a plain ext2 file system on the first BIOS disk.
	cat > "$tmp/pkgdata/grub-probe" <<'EOF'
#! /bin/sh
target=
for a; do
	case $a in --target=*) target=${a#--target=} ;; esac
done
case $target in
device) echo /dev/aster-test0 ;;
fs) echo ext2 ;;
fs_uuid) echo 0a57e41a-0000-4000-8000-000000000001 ;;
partmap) echo msdos ;;
compatibility_hint) echo hd0,msdos1 ;;
hints_string) echo --hint-bios=hd0,msdos1 ;;
abstraction|cryptodisk_uuid|partuuid) ;;
*) exit 1 ;;
esac
EOF
	chmod +x "$tmp/pkgdata/grub-probe"
	# grub-mkconfig sources $pkgdatadir/grub-mkconfig_lib after setting its
	# own paths: the wrapper resets them to the tree.
	cat > "$tmp/pkgdata/grub-mkconfig_lib" <<EOF
. '$real_lib'
grub_mkconfig_dir='$dest/etc/grub.d'
sysconfdir='$dest/etc'
grub_probe='$tmp/pkgdata/grub-probe'
EUID=0
EOF
	pkgdatadir=$tmp/pkgdata ASTERINAS_BOOT_DIR=$dest/boot \
		ASTERINAS_GRUB_DEFAULT=$dest/etc/default/grub \
		"$grub_mkconfig" -o "$tmp/grub.cfg" > "$tmp/mkconfig.log" 2>&1
	status=$?
	if [ $status -eq 0 ] && grep -q "^### BEGIN $dest/etc/grub.d/41_asterinas ###" "$tmp/grub.cfg" &&
	   grep -q "^menuentry 'Asterinas $version' " "$tmp/grub.cfg" &&
	   grep -q "^	linux [^ ]* console=ttyS0,115200 console=tty0$shell_arg aster.mkconfig=1\$" "$tmp/grub.cfg"; then
		ok "grub-mkconfig on the tree runs 41_asterinas"
	else
		diag "$tmp/mkconfig.log"
		[ -f "$tmp/grub.cfg" ] && diag "$tmp/grub.cfg"
		not_ok "grub-mkconfig on the tree runs 41_asterinas"
	fi
	kpath=$(entry_path linux "$tmp/grub.cfg")
	if [ -n "$kpath" ] && [ "$(resolve_grub_path "$kpath" "$dest/boot")" -ef "$kernel" ] &&
	   grep -q "search --no-floppy --fs-uuid --set=root" "$tmp/grub.cfg"; then
		ok "grub-mkconfig: the entry's kernel exists in the tree ($kpath)"
	else
		not_ok "grub-mkconfig: the entry's kernel exists in the tree ($kpath)"
	fi
	rm -f "$dest/etc/default/grub"
	rmdir "$dest/etc/default" 2>/dev/null
fi

if eval "run_make uninstall DESTDIR=\"\$dest\" $layout" > "$tmp/uninstall1.log" 2>&1; then
	ok "make uninstall DESTDIR=... $layout"
else
	diag "$tmp/uninstall1.log"
	not_ok "make uninstall DESTDIR=... $layout"
fi
leftover_files "$dest" > "$tmp/left1" 2>&1
if [ -d "$dest" ] && [ ! -s "$tmp/left1" ]; then
	ok "make uninstall leaves no file in the tree"
else
	diag "$tmp/left1"
	not_ok "make uninstall leaves no file in the tree"
fi
check "make uninstall removes the empty boot and grub.d directories" \
	test ! -d "$dest/boot" -a ! -d "$dest/etc/grub.d"

# --- install 2: a private prefix, with an initramfs ---------------------------

dest=$tmp/opt
prefix=/opt/asterinas
printf 'not really an initramfs\n' > "$tmp/initramfs.cpio.gz"
dirs=$(run_make -s boot-print-install-dirs prefix=$prefix) || dirs=
bootdir=$(printf '%s\n' "$dirs" | sed -n 's/^bootdir=//p')
sysconfdir=$(printf '%s\n' "$dirs" | sed -n 's/^sysconfdir=//p')
kernel=$dest$bootdir/vmlinuz-asterinas-$version
initrd=$dest$bootdir/initramfs-asterinas-$version.img
script=$dest$sysconfdir/grub.d/41_asterinas

if run_make install DESTDIR="$dest" prefix=$prefix INITRAMFS="$tmp/initramfs.cpio.gz" \
	> "$tmp/install2.log" 2>&1; then
	ok "make install DESTDIR=... prefix=$prefix INITRAMFS=..."
else
	diag "$tmp/install2.log"
	not_ok "make install DESTDIR=... prefix=$prefix INITRAMFS=..."
fi
check "kernel, System.map and GRUB script in $bootdir and $sysconfdir/grub.d" \
	test -f "$kernel" -a -f "$dest$bootdir/System.map-asterinas-$version" -a -x "$script"
check "initramfs installed as $bootdir/initramfs-asterinas-$version.img, mode 644" \
	eval 'test "$(mode_of "$initrd")" = 644 && cmp -s "$initrd" "$tmp/initramfs.cpio.gz"'
check "GRUB script's default boot dir is $bootdir" grep -q "ASTERINAS_BOOT_DIR:-$bootdir}" "$script"
ASTERINAS_BOOT_DIR=$dest$bootdir ASTERINAS_NO_PROBE=1 ASTERINAS_GRUB_DEFAULT=/nonexistent \
	sh "$script" > "$tmp/entry2" 2> "$tmp/entry2.err"
kpath=$(entry_path linux "$tmp/entry2")
ipath=$(entry_path initrd "$tmp/entry2")
if [ -n "$kpath" ] && [ "$(resolve_grub_path "$kpath" "$dest$bootdir")" -ef "$kernel" ] &&
   grep -q "^	linux [^ ]* console=ttyS0,115200 console=tty0 aster.shell\$" "$tmp/entry2"; then
	ok "GRUB script: linux line names the installed kernel, asks for the initramfs's shell"
else
	diag "$tmp/entry2" "$tmp/entry2.err"
	not_ok "GRUB script: linux line names the installed kernel, asks for the initramfs's shell"
fi
if [ -n "$ipath" ] && [ "$(resolve_grub_path "$ipath" "$dest$bootdir")" -ef "$initrd" ]; then
	ok "GRUB script: initrd line names the installed initramfs"
else
	diag "$tmp/entry2"
	not_ok "GRUB script: initrd line names the installed initramfs"
fi
if run_make uninstall DESTDIR="$dest" prefix=$prefix > "$tmp/uninstall2.log" 2>&1; then
	ok "make uninstall DESTDIR=... prefix=$prefix"
else
	diag "$tmp/uninstall2.log"
	not_ok "make uninstall DESTDIR=... prefix=$prefix"
fi
leftover_files "$dest" > "$tmp/left2" 2>&1
if [ ! -s "$tmp/left2" ]; then
	ok "make uninstall leaves no file in the tree"
else
	diag "$tmp/left2"
	not_ok "make uninstall leaves no file in the tree"
fi

if [ $n -ne $plan ]; then
	echo "# ran $n tests, planned $plan"
	failed=1
fi
exit $failed
