# SPDX-License-Identifier: MPL-2.0
"""osdk's build: the installed framework (aster-frame.pc), compiling a
project's sources, the two-link kernel image with its symbol table, and the
boot images (bzImage, GRUB rescue ISO).  See doc/osdk.md."""
import hashlib
import os
import re
import shlex
import shutil
import subprocess

from osdk_manifest import OsdkError

# The warnings of the tree's own kernel objects (frame/Makefrag.am).
KERNEL_WARNINGS = ['-Wall', '-Wextra', '-Werror', '-Wvla', '-Wframe-larger-than=2048',
                   '-Wmissing-prototypes', '-Wstrict-prototypes', '-Wshadow', '-Wno-unused-parameter']
PROFILE_FLAGS = {'dev': ['-Og', '-g'], 'release': ['-O2', '-g']}
SOURCE_EXTS = ('.c', '.S')


class Frame:
    """The installed framework, read from its pkg-config file.  The prefix is
    where this osdk is installed, so a tree installed with DESTDIR works."""

    def __init__(self, pcfile, prefix):
        self.pcfile = pcfile
        if not os.path.isfile(pcfile):
            raise OsdkError('the framework is not installed: no %s (make install in Asterinas-C)' % pcfile)
        self.vars = {'prefix': prefix or '', 'pcfiledir': os.path.dirname(pcfile)}
        self.fields = {}
        with open(pcfile) as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith('#'):
                    continue
                m = re.match(r'([A-Za-z0-9_.]+)\s*([=:])\s*(.*)$', line)
                if not m:
                    continue
                name, sep, val = m.groups()
                if sep == '=':
                    if name != 'prefix' or prefix is None:
                        self.vars[name] = self._expand(val)
                else:
                    self.fields[name] = self._expand(val)

    def _expand(self, s):
        return re.sub(r'\$\{([A-Za-z0-9_.]+)\}', lambda m: self.vars.get(m.group(1), ''), s)

    def var(self, name):
        return self.vars.get(name, '')

    def cflags(self):
        return shlex.split(self.fields.get('Cflags', ''))

    def tool(self, name):
        return shlex.split(self.var(name)) or [name]


def run(cmd, what, **kw):
    """Run cmd; an OsdkError naming what failed if it does."""
    try:
        r = subprocess.run(cmd, **kw)
    except OSError as e:
        raise OsdkError('%s: cannot run %s: %s' % (what, cmd[0], e.strerror))
    if r.returncode != 0:
        raise OsdkError('%s failed (%s exited with status %d)' % (what, os.path.basename(cmd[0]), r.returncode))
    return r


def feature_define(name):
    return '-DOSDK_FEATURE_%s=1' % re.sub(r'[^A-Za-z0-9]', '_', name).upper()


class Unit:
    """A project taking part in a build: its name, folder, sources, headers."""

    def __init__(self, manifest, st):
        self.manifest = manifest
        self.dir = manifest.dir
        self.name = re.sub(r'[^A-Za-z0-9_-]', '_', os.path.basename(self.dir))
        src = os.path.join(self.dir, 'src')
        self.sources = st['build.sources'].value or [src]
        self.include_dirs = st['build.include_dirs'].value or [src]

    def files(self):
        out = []
        for p in self.sources:
            if os.path.isdir(p):
                for d, dirs, names in os.walk(p):
                    dirs.sort()
                    out += [os.path.join(d, n) for n in sorted(names) if n.endswith(SOURCE_EXTS)]
            elif os.path.isfile(p):
                out.append(p)
            else:
                raise OsdkError('%s: build.sources: %s does not exist' % (self.manifest.path, p))
        return out


class Builder:
    """Compile and link the units of one action into target/osdk/PROFILE[-test]/."""

    def __init__(self, frame, st, units, target_dir, kind, verbose=False):
        self.frame, self.st, self.units, self.kind, self.verbose = frame, st, units, kind, verbose
        self.profile = st['build.profile'].value
        self.out = os.path.join(target_dir, 'osdk', self.profile + ('-test' if kind == 'test' else ''))
        self.kcc = frame.tool('kcc')
        feats = st['build.features'].value
        self.cflags = (frame.cflags() + PROFILE_FLAGS[self.profile] + KERNEL_WARNINGS +
                       [feature_define(f) for f in feats] + list(st['build.cflags'].value))
        for u in units:
            self.cflags += ['-I' + d for d in u.include_dirs]
            self.cflags.append('-fmacro-prefix-map=%s/=' % u.dir)
        self.asflags = frame.cflags() + ['-g', '-D__ASSEMBLY__']

    def say(self, what, path):
        print('  %-8s %s' % (what, os.path.relpath(path)), flush=True)

    def compile_all(self, extra_flags=(), objdir='obj'):
        """Compile every unit's sources; the objects, in order."""
        os.makedirs(self.out, exist_ok=True)
        flags = self.cflags + list(extra_flags)
        stamp = os.path.join(self.out, objdir + '.flags')
        digest = hashlib.sha256('\0'.join(flags).encode()).hexdigest()
        old = open(stamp).read() if os.path.exists(stamp) else ''
        force = old != digest
        objs = []
        for u in self.units:
            for src in u.files():
                rel = os.path.relpath(src, u.dir)
                obj = os.path.join(self.out, objdir, u.name, rel + '.o')
                objs.append(obj)
                if not force and up_to_date(obj, obj[:-2] + '.d'):
                    continue
                os.makedirs(os.path.dirname(obj), exist_ok=True)
                self.say('CC', src)
                fl = flags if src.endswith('.c') else self.asflags + ['-I' + d for d in u.include_dirs]
                run(self.kcc + fl + ['-MMD', '-MP', '-MF', obj[:-2] + '.d', '-c', '-o', obj, src],
                    'compiling %s' % os.path.relpath(src))
        with open(stamp, 'w') as f:
            f.write(digest)
        if self.st['build.blobs'].value and objdir == 'obj':
            objs.append(self.blobs(self.st['build.blobs']))
        return objs

    def blobs(self, setting):
        """The object holding [build] blobs: each file's bytes as NAME[] and
        their count as NAME_len in .rodata.  A .S or .c file is first built
        as a static user program without a C library, with the host's cc."""
        d = os.path.join(self.out, 'blobs')
        os.makedirs(d, exist_ok=True)
        lines = ['/* Generated by osdk from [build] blobs of %s. */' % setting.path,
                 '\t.section .rodata, "a"']
        for name, path in sorted(setting.value.items()):
            if not os.path.isfile(path):
                raise OsdkError('%s: build.blobs.%s: %s does not exist' % (setting.path, name, path))
            if path.endswith(('.S', '.c')):
                prog = os.path.join(d, name + '.elf')
                if not newer_than(prog, [path]):
                    self.say('USER', path)
                    run(shlex.split(os.environ.get('CC', 'cc')) +
                        ['-static', '-nostdlib', '-no-pie', '-Wl,--build-id=none', '-o', prog, path],
                        'building the user program %s' % os.path.relpath(path))
                path = prog
            lines += ['\t.globl %s, %s_len' % (name, name), '\t.balign 16', '%s:' % name,
                      '\t.incbin "%s"' % path.replace('\\', '\\\\').replace('"', '\\"'),
                      '%s_end:' % name, '\t.balign 8', '%s_len:' % name,
                      '\t.quad %s_end - %s' % (name, name)]
        lines.append('\t.section .note.GNU-stack, "", @progbits')
        src = os.path.join(d, 'blobs.S')
        with open(src, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        obj = src[:-2] + '.o'
        run(self.kcc + self.asflags + ['-c', '-o', obj, src], 'assembling the blobs')
        return obj

    def defines(self, objs, symbol):
        """The objects among objs that define symbol (T)."""
        if not objs:
            return []
        r = run(self.frame.tool('knm') + ['-A', '--defined-only'] + objs, 'nm', capture_output=True, text=True)
        return sorted({line.split(':', 1)[0] for line in r.stdout.splitlines()
                       if line.split()[-2:] == ['T', symbol]})

    def link(self, objs, name):
        """The two links of frame/image.am: ELF with its symbol table, then
        the bzImage.  Returns (elf, vmlinuz)."""
        ld = self.frame.tool('kld') + shlex.split(self.frame.var('ldflags'))
        pass1 = os.path.join(self.out, name + '.pass1.elf')
        elf = os.path.join(self.out, name + '.elf')
        vmlinuz = os.path.join(self.out, 'vmlinuz-' + name)
        inputs = objs + [os.path.join(self.frame.var('libdir'), 'libaster-frame.a'), self.frame.var('ldscript')]
        if newer_than(vmlinuz, inputs) and newer_than(elf, inputs):
            return elf, vmlinuz
        self.say('LD', pass1)
        run(ld + ['-o', pass1] + objs + [self.frame.var('ksyms0')], 'linking %s' % name)
        ksyms_s = os.path.join(self.out, name + '-ksyms.S')
        ksyms_o = ksyms_s[:-2] + '.o'
        env = dict(os.environ, OBJDUMP=self.frame.var('kobjdump') or 'objdump',
                   ADDR2LINE=self.frame.var('kaddr2line') or 'addr2line')
        srcdir = self.units[0].dir if self.units else self.out
        nm = self.frame.tool('knm')
        script = ('{ %s -n "$1" && sh "$2" "$1" "$3"; } | sh "$4" > "$5"'
                  % ' '.join(shlex.quote(x) for x in nm))
        run(['sh', '-c', script, 'osdk', pass1, self.frame.var('ktraps_sh'), srcdir,
             self.frame.var('ksyms_sh'), ksyms_s], 'making the symbol table', env=env)
        run(self.kcc + self.asflags + ['-c', '-o', ksyms_o, ksyms_s], 'assembling the symbol table')
        self.say('LD', elf)
        run(ld + ['-o', elf] + objs + [ksyms_o], 'linking %s' % name)
        binf = os.path.join(self.out, name + '.bin')
        run(self.frame.tool('kobjcopy') + ['-O', 'binary', elf, binf], 'objcopy')
        syms = run(nm + [elf], 'nm', capture_output=True, text=True).stdout
        addr = {}
        for line in syms.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[2] in ('__bss_end_phys', '__image_start_phys'):
                addr[parts[2]] = int(parts[0], 16)
        if len(addr) != 2:
            raise OsdkError('%s: no __image_start_phys/__bss_end_phys: not linked with kernel.ld?' % elf)
        self.say('IMAGE', vmlinuz)
        run([self.frame.var('mkbzimage'), self.frame.var('setup'), binf,
             str(addr['__bss_end_phys'] - addr['__image_start_phys']), vmlinuz], 'mkbzimage')
        for f in (pass1, binf):
            os.unlink(f)
        return elf, vmlinuz

    def iso(self, vmlinuz, name, cmdline, initramfs):
        """A GRUB rescue ISO booting vmlinuz by st's grub.boot_protocol."""
        st = self.st
        proto = st['grub.boot_protocol'].value
        d = os.path.join(self.out, 'iso_root')
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(os.path.join(d, 'boot', 'grub'))
        shutil.copy(vmlinuz, os.path.join(d, 'boot', 'vmlinuz'))
        cmd = 'linux' if proto == 'linux' else 'multiboot2'
        lines = ['set timeout=%d' % (5 if st['grub.display_grub_menu'].value else 0),
                 'set default=0', 'serial --unit=0 --speed=115200', 'terminal_input serial console',
                 'terminal_output serial console',
                 'menuentry "%s" {' % name, '\t%s /boot/vmlinuz %s' % (cmd, cmdline)]
        if initramfs:
            shutil.copy(initramfs, os.path.join(d, 'boot', 'initramfs'))
            lines.append('\t%s /boot/initramfs' % ('initrd' if proto == 'linux' else 'module2'))
        lines.append('}')
        with open(os.path.join(d, 'boot', 'grub', 'grub.cfg'), 'w') as f:
            f.write('\n'.join(lines) + '\n')
        out = os.path.join(self.out, name + '.iso')
        self.say('ISO', out)
        run(shlex.split(st['grub.mkrescue_path'].value) + ['-o', out, d], 'grub-mkrescue',
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return out


    def qcow2(self, iso):
        """The rescue ISO as a qcow2 disk: grub-mkrescue's images are hybrid
        (an MBR and GRUB's BIOS boot code beside El Torito), so the same
        bytes boot from a hard disk, as Asterinas's grub-qcow2 does."""
        out = iso[:-len('.iso')] + '.qcow2'
        self.say('QCOW2', out)
        run(['qemu-img', 'convert', '-f', 'raw', '-O', 'qcow2', iso, out], 'qemu-img convert',
            stdout=subprocess.DEVNULL)
        return out


def newer_than(out, inputs):
    try:
        t = os.path.getmtime(out)
        return all(os.path.getmtime(i) <= t for i in inputs)
    except OSError:
        return False


def up_to_date(obj, dep):
    """obj exists and is newer than everything its .d file names."""
    try:
        t = os.path.getmtime(obj)
        with open(dep) as f:
            text = f.read().replace('\\\n', ' ')
    except OSError:
        return False
    first = text.split('\n', 1)[0]
    for p in first.split(':', 1)[-1].split():
        try:
            if os.path.getmtime(p) > t:
                return False
        except OSError:
            return False
    return True


LIBRARY_MAIN = '''// SPDX-License-Identifier: MPL-2.0
// Generated by osdk test: the entry of a library's test kernel.  The ktests
// run before kernel_main (ktest.filter= on the command line); reaching it
// means the runner was not asked to run.
#include <aster/boot.h>
#include <aster/log.h>
#include <aster/power.h>

__noreturn void kernel_main(void)
{
\tpr_err("osdk: library test kernel booted without ktest\\n");
\tmachine_debug_exit(false);
\tmachine_halt();
}
'''


def library_main(builder):
    """The generated entry of a library's test kernel, compiled."""
    d = os.path.join(builder.out, 'gen')
    os.makedirs(d, exist_ok=True)
    src = os.path.join(d, 'osdk_test_main.c')
    if not os.path.exists(src) or open(src).read() != LIBRARY_MAIN:
        with open(src, 'w') as f:
            f.write(LIBRARY_MAIN)
    obj = src[:-2] + '.o'
    run(builder.kcc + builder.cflags + ['-c', '-o', obj, src], 'compiling the test entry')
    return obj
