# SPDX-License-Identifier: MPL-2.0
"""osdk's command line: the verbs and their options (osdk(1))."""
import argparse
import os
import shlex
import shutil
import subprocess
import sys

import osdk_build
import osdk_manifest
import osdk_new
import osdk_run
from osdk_manifest import OsdkError

GDB_DEFAULT = '.osdk-gdb-socket'
DESCRIPTION = 'Create, build, run, test and check kernels on the Asterinas OS Framework.'
VERBS = {
    'new': 'create a kernel or library project',
    'build': 'build the kernel (or a library\'s objects)',
    'run': 'build the kernel and boot it in QEMU',
    'test': 'build a test kernel and run the ktests (FILTER: a substring of their names)',
    'check': 'check the project\'s sources against the safe-C rules',
    'lint': 'osdk check, then compile with -fanalyzer and warnings as errors',
    'debug': 'run gdb on the kernel, attached to the gdb server of osdk run --enable-gdb',
}


def add_build_options(p):
    g = p.add_argument_group('build options')
    g.add_argument('--profile', choices=osdk_manifest.PROFILES, help='build profile (manifest: build.profile)')
    g.add_argument('--release', action='store_true', help='same as --profile release')
    g.add_argument('--features', action='append', default=[], metavar='LIST',
                   help='comma- or space-separated features to enable (added to build.features)')
    g.add_argument('--scheme', metavar='NAME', help='use the settings of [scheme."NAME"]')
    g.add_argument('--target-dir', metavar='DIR', help='where products go (default: TOP/target)')
    g.add_argument('-v', '--verbose', action='store_true', help='show commands and the console')


def add_boot_options(p):
    g = p.add_argument_group('boot and QEMU options (override the manifest)')
    g.add_argument('--kcmd-args', action='append', default=[], metavar='ARGS',
                   help='kernel command-line arguments, added to boot.kcmd_args')
    g.add_argument('--init-args', action='append', default=[], metavar='ARGS',
                   help='arguments of init (after -- on the command line), added to boot.init_args')
    g.add_argument('--initramfs', metavar='FILE', help='the initramfs (boot.initramfs)')
    g.add_argument('--boot-method', choices=osdk_manifest.BOOT_METHODS, help='boot.method')
    g.add_argument('--grub-boot-protocol', choices=osdk_manifest.GRUB_PROTOCOLS, help='grub.boot_protocol')
    g.add_argument('--display-grub-menu', action='store_true', help='grub.display_grub_menu = true')
    g.add_argument('--grub-mkrescue', metavar='PATH', help='grub.mkrescue_path')
    g.add_argument('--qemu-path', metavar='PATH', help='qemu.path')
    g.add_argument('--qemu-args', action='append', default=[], metavar='ARGS',
                   help='more QEMU arguments (after qemu.args, split by the shell)')
    g.add_argument('--timeout', type=int, metavar='SECS', help='qemu.timeout')


def add_gdb_options(p):
    g = p.add_argument_group('debugging')
    g.add_argument('--enable-gdb', action='store_true',
                   help='start QEMU stopped, with a gdb server (connect with osdk debug)')
    g.add_argument('--gdb-server-addr', metavar='ADDR', default=GDB_DEFAULT,
                   help='a UNIX socket path or :PORT (default: %s in the project\'s top)' % GDB_DEFAULT)
    g.add_argument('--vsc', action='store_true',
                   help='write .vscode/launch.json for VS Code to attach, restored when QEMU ends')


def parser(version):
    ap = argparse.ArgumentParser(prog='osdk', description=DESCRIPTION,
                                 epilog='osdk VERB --help describes each verb; see osdk(1) and doc/osdk.md.')
    ap.add_argument('--version', action='version', version='osdk (asterinas) %s' % version)
    sub = ap.add_subparsers(dest='verb', metavar='VERB', required=True)
    p = sub.add_parser('new', help=VERBS['new'], description=VERBS['new'] + ': NAME/ with OSDK.toml, a '
                       'Makefile and src/ (a library with one ktest, or with --kernel a kernel whose '
                       'kernel_main prints a greeting).')
    p.add_argument('--kernel', action='store_true', help='a kernel project (default: a library)')
    p.add_argument('--library', action='store_true', help='a library project (the default)')
    p.add_argument('name', metavar='NAME')
    for verb in ('build', 'run', 'test'):
        p = sub.add_parser(verb, help=VERBS[verb], description=VERBS[verb] + '.')
        if verb == 'test':
            p.add_argument('filter', nargs='?', default='', metavar='FILTER')
        add_build_options(p)
        add_boot_options(p)
        if verb == 'run':
            add_gdb_options(p)
    p = sub.add_parser('debug', help=VERBS['debug'], description=VERBS['debug'] + '.')
    p.add_argument('--remote', metavar='ADDR', default=GDB_DEFAULT,
                   help='the server: a UNIX socket path or :PORT (default: %s)' % GDB_DEFAULT)
    p.add_argument('gdb_args', nargs='*', metavar='GDB_ARG', help='more arguments for gdb (after --)')
    add_build_options(p)
    for verb in ('check', 'lint'):
        p = sub.add_parser(verb, help=VERBS[verb], description=VERBS[verb] + ' (doc/safe-c.md).')
        p.add_argument('paths', nargs='*', metavar='PATH', help='files or folders (default: the sources)')
        add_build_options(p)
    return ap


def cli_settings(o):
    """The command line as manifest keys (applied last)."""
    s = {}
    if getattr(o, 'release', False):
        s['build.profile'] = 'release'
    if getattr(o, 'profile', None):
        s['build.profile'] = o.profile
    for key, attr in (('boot.initramfs', 'initramfs'), ('boot.method', 'boot_method'),
                      ('grub.boot_protocol', 'grub_boot_protocol'), ('grub.mkrescue_path', 'grub_mkrescue'),
                      ('qemu.path', 'qemu_path'), ('qemu.timeout', 'timeout')):
        v = getattr(o, attr, None)
        if v is not None:
            s[key] = os.path.abspath(v) if key == 'boot.initramfs' else v
    if getattr(o, 'display_grub_menu', False):
        s['grub.display_grub_menu'] = True
    return s


def words(lists):
    out = []
    for x in lists:
        out += shlex.split(x)
    return out


class Session:
    """One osdk invocation on a project or workspace."""

    def __init__(self, ctx, o, action):
        self.ctx, self.o, self.action = ctx, o, action
        project, ws = osdk_manifest.find_manifests(os.getcwd())
        self.ws = ws
        layers = [m for m in (ws, project) if m is not None]
        cli = cli_settings(o)
        st = osdk_manifest.settings(layers, action, o.scheme, cli)
        feats = list(st['build.features'].value) + [f for x in o.features for f in x.replace(',', ' ').split()]
        st['build.features'] = osdk_manifest.Value(feats, 'the command line', 'build.features')
        if getattr(o, 'kcmd_args', None):
            st['boot.kcmd_args'] = osdk_manifest.Value(list(st['boot.kcmd_args'].value) + words(o.kcmd_args),
                                                       'the command line', '--kcmd-args')
        if getattr(o, 'init_args', None):
            st['boot.init_args'] = osdk_manifest.Value(list(st['boot.init_args'].value) + words(o.init_args),
                                                       'the command line', '--init-args')
        self.st = st
        self.projects = self._projects(project, ws)
        self.top = ws.dir if ws else project.dir
        self.target = os.path.abspath(o.target_dir) if o.target_dir else os.path.join(self.top, 'target')
        self.frame = osdk_build.Frame(ctx['pcfile'], ctx['prefix'])

    def _projects(self, project, ws):
        """The projects taking part: a library alone; a kernel (or a
        workspace's top) with every library of the workspace, kernel last."""
        if project is not None:
            self._need_type(project)
        if ws is None:
            return [project]
        members = []
        for d in ws.members:
            p = os.path.join(d, 'OSDK.toml')
            if not os.path.isfile(p):
                raise OsdkError('%s: workspace.members: %s has no OSDK.toml' % (ws.path, d))
            if project is not None and os.path.realpath(d) == os.path.realpath(project.dir):
                m = project
            else:
                m = osdk_manifest.Manifest(p)
                self._need_type(m)
            members.append(m)
        kernels = [m for m in members if m.project_type == 'kernel']
        if len(kernels) > 1:
            raise OsdkError('%s: workspace.members: more than one kernel project (%s): a workspace has at most one'
                            % (ws.path, ', '.join(os.path.relpath(m.dir, ws.dir) for m in kernels)))
        if project is not None and project.project_type == 'library':
            return [project]
        # The kernel last: the libraries' KERNEL_INITs run before its own.
        return [m for m in members if m.project_type != 'kernel'] + kernels

    def _need_type(self, m):
        if m.project_type is None:
            raise OsdkError('%s: project_type: missing (kernel or library)' % m.path)
        if m.archs is not None and 'x86_64' not in m.archs:
            raise OsdkError('%s: supported_archs: %s: osdk builds only x86_64' % (m.path, ', '.join(m.archs)))

    def units(self):
        return [osdk_build.Unit(m, self._unit_st(m)) for m in self.projects]

    def kernel(self):
        ks = [m for m in self.projects if m.project_type == 'kernel']
        return ks[0] if ks else None

    def builder(self, kind):
        return osdk_build.Builder(self.frame, self.st, self.units(), self.target, kind, self.o.verbose)

    def external_build(self, kind):
        """[build] command: a kernel another tool builds (our own, with make);
        osdk runs the command in the manifest's folder and boots build.image."""
        c = self.st['build.command']
        for key in ('build.image', 'build.elf'):
            if not self.st[key].value:
                raise OsdkError('%s: %s: needed with build.command (the kernel it makes)' % (c.path, key))
        print('  %-8s %s' % ('BUILD', c.value), flush=True)
        cwd = os.path.dirname(c.path)
        osdk_build.run(['sh', '-c', c.value], 'build.command of %s' % c.path, cwd=cwd)
        elf, vmlinuz = self.st['build.elf'].value, self.st['build.image'].value
        for key, f in (('build.elf', elf), ('build.image', vmlinuz)):
            if not os.path.isfile(f):
                v = self.st[key]
                raise OsdkError('%s: %s: %s was not made by build.command' % (v.path, key, f))
        b = self.builder(kind)
        os.makedirs(b.out, exist_ok=True)
        return elf, vmlinuz, b, os.path.basename(self.kernel().dir)

    def build(self, kind):
        """Compile and link; (elf, vmlinuz, name) or None for a library build."""
        if self.st['build.command'].value and self.kernel() is not None:
            elf, vmlinuz, b, name = self.external_build(kind)
            return elf, vmlinuz, self.boot_image(b, vmlinuz, name, kind), b
        b = self.builder(kind)
        objs = b.compile_all()
        k = self.kernel()
        if k is not None:
            if not b.defines(objs, 'kernel_main'):
                where = ', '.join(os.path.relpath(p, k.dir) + ('/' if os.path.isdir(p) else '')
                                  for p in osdk_build.Unit(k, self._unit_st(k)).sources)
                raise OsdkError('%s: project_type: "kernel" needs an entry point: no source in %s defines '
                                'kernel_main' % (k.path, where))
            name = osdk_build.Unit(k, self._unit_st(k)).name
        elif kind == 'test':
            objs.append(osdk_build.library_main(b))
            name = b.units[0].name if len(b.units) == 1 else 'workspace'
        else:
            print('osdk build: %d objects in %s (a library: no kernel to link)' % (len(objs), b.out))
            return None
        elf, vmlinuz = b.link(objs, name + ('-test' if kind == 'test' else ''))
        return elf, vmlinuz, self.boot_image(b, vmlinuz, name, kind), b

    def boot_image(self, b, vmlinuz, name, kind):
        """The disk image GRUB boots from (grub-rescue-iso: the ISO; grub-qcow2:
        that ISO as a qcow2 hard disk), or None for qemu-direct."""
        method = self.st['boot.method'].value
        if method not in ('grub-rescue-iso', 'grub-qcow2'):
            return None
        iso = b.iso(vmlinuz, name, osdk_run.cmdline(self.st, self._test_kcmd() if kind == 'test' else ()),
                    self.st['boot.initramfs'].value)
        return b.qcow2(iso) if method == 'grub-qcow2' else iso

    def _unit_st(self, m):
        """The settings with m's own [build] paths, resolved against its manifest."""
        st = dict(self.st)
        for k in ('build.sources', 'build.include_dirs'):
            st[k] = m.common.get(k) or osdk_manifest.Value(None, m.path, k)
        return st

    def _test_kcmd(self):
        f = getattr(self.o, 'filter', '')
        return ['ktest.filter=%s' % f] if f else ['ktest']


def cmd_build(ctx, o):
    s = Session(ctx, o, 'build')
    r = s.build('build')
    if r:
        print('osdk build: %s' % os.path.relpath(r[2] or r[1]))
    return 0


def cmd_run(ctx, o):
    s = Session(ctx, o, 'run')
    if s.kernel() is None:
        raise OsdkError('osdk run: no kernel project here (project_type = "library"): use osdk test')
    check_cli_qemu_args(o)
    elf, vmlinuz, iso, _ = s.build('run')
    cmd = osdk_run.qemu_command(s.frame, s.st, vmlinuz, iso) + words(o.qemu_args)
    if not o.enable_gdb:
        return osdk_run.run_kernel(cmd, s.st['qemu.timeout'].value, o.verbose)
    qemu_addr, gdb_addr = osdk_run.gdb_addr(o.gdb_server_addr, s.top)
    cmd += ['-S', '-gdb', qemu_addr]
    print('osdk run: QEMU waits for gdb at %s: osdk debug --remote %s (or gdb %s -ex "target remote %s")'
          % (gdb_addr, o.gdb_server_addr, os.path.relpath(elf), gdb_addr), file=sys.stderr, flush=True)
    restore = write_vscode(s.top, elf, gdb_addr) if o.vsc else None
    try:
        return osdk_run.run_kernel(cmd, s.st['qemu.timeout'].value, o.verbose)
    finally:
        if restore:
            restore()
        if qemu_addr.startswith('unix:') and os.path.exists(gdb_addr):
            os.unlink(gdb_addr)


def write_vscode(top, elf, addr):
    """.vscode/launch.json attaching VS Code's cppdbg to the gdb server; the
    returned function puts back what was there."""
    import json
    d = os.path.join(top, '.vscode')
    path = os.path.join(d, 'launch.json')
    had_dir = os.path.isdir(d)
    old = open(path, 'rb').read() if os.path.exists(path) else None
    os.makedirs(d, exist_ok=True)
    conf = {'version': '0.2.0', 'configurations': [{
        'name': 'osdk: attach to QEMU', 'type': 'cppdbg', 'request': 'launch', 'program': elf,
        'cwd': top, 'MIMode': 'gdb', 'miDebuggerServerAddress': addr,
        'setupCommands': [{'text': 'set architecture i386:x86-64'}]}]}
    with open(path, 'w') as f:
        json.dump(conf, f, indent=4)
        f.write('\n')

    def restore():
        if old is None:
            os.unlink(path)
            if not had_dir:
                os.rmdir(d)
        else:
            with open(path, 'wb') as f:
                f.write(old)
    return restore


def cmd_debug(ctx, o):
    s = Session(ctx, o, 'run')
    k = s.kernel()
    if k is None:
        raise OsdkError('osdk debug: no kernel project here (project_type = "library")')
    elf = s.st['build.elf'].value or os.path.join(s.target, 'osdk', s.st['build.profile'].value,
                                                  osdk_build.Unit(k, s._unit_st(k)).name + '.elf')
    if not os.path.isfile(elf):
        raise OsdkError('osdk debug: %s not built (osdk run --enable-gdb builds and starts it)' % elf)
    _, addr = osdk_run.gdb_addr(o.remote, s.top)
    cmd = ['gdb', elf, '-ex', 'target remote %s' % addr] + o.gdb_args
    try:
        return subprocess.call(cmd)
    except OSError as e:
        raise OsdkError('osdk debug: cannot run gdb: %s' % e.strerror)


def cmd_test(ctx, o):
    s = Session(ctx, o, 'test')
    if '=' in o.filter or ' ' in o.filter:
        raise OsdkError('osdk test: FILTER %r: a substring of ktest names (letters, digits, _)' % o.filter)
    check_cli_qemu_args(o)
    elf, vmlinuz, iso, b = s.build('test')
    cmd = osdk_run.qemu_command(s.frame, s.st, vmlinuz, iso, s._test_kcmd()) + words(o.qemu_args)
    log = os.path.join(b.out, 'test-console.log')
    return osdk_run.run_tests(cmd, s.st['qemu.timeout'].value, elf, s.frame, o.filter, log, o.verbose)


def check_cli_qemu_args(o):
    bad = osdk_manifest.forbidden_qemu_arg(words(o.qemu_args))
    if bad:
        raise OsdkError('--qemu-args: %s is not allowed: osdk passes the kernel, initramfs and command line '
                        'itself (use --initramfs, --kcmd-args)' % bad)


def cmd_check(ctx, o):
    s = Session(ctx, o, 'build')
    units = s.units()
    paths = [os.path.abspath(p) for p in o.paths] or [p for u in units for p in u.sources]
    tcb = s.frame.var('tcb_check')
    py = s.frame.var('tcb_python') or 'python3'
    if not shutil.which(py):
        py = 'python3'
    cmd = [py, tcb, '--frame-include', s.frame.var('includedir'), '--isystem', s.frame.var('kcc_include')]
    for u in units:
        for d in u.include_dirs:
            cmd += ['-I', d]
    cmd += paths
    if o.verbose:
        print('osdk: %s' % ' '.join(shlex.quote(c) for c in cmd), file=sys.stderr)
    r = subprocess.call(cmd)
    if r == 2:
        raise OsdkError('osdk check: the safe-C checker cannot run (it needs python3 with the clang '
                        'bindings: Debian python3-clang)')
    return r


def cmd_lint(ctx, o):
    r = cmd_check(ctx, o)
    s = Session(ctx, o, 'build')
    c = s.st['build.command']
    if c.value:
        # The analyzer needs the flags of the tool that builds the kernel.
        print('osdk lint: %s builds with build.command: run its own -fanalyzer pass (ours: make '
              'check-analyzer)' % c.path, file=sys.stderr)
        return 1 if r else 0
    b = s.builder('build')
    try:
        b.compile_all(['-fanalyzer', '-Werror'], objdir='lint')
    except OsdkError as e:
        print('osdk lint: %s' % e, file=sys.stderr)
        return 1
    print('osdk lint: %s' % ('findings above' if r else 'no findings'))
    return 1 if r else 0


def main(argv, ctx):
    o = parser(ctx['version']).parse_args(argv)
    try:
        if o.verb == 'new':
            return osdk_new.new_project(o.name, o.kernel)
        return {'build': cmd_build, 'run': cmd_run, 'test': cmd_test, 'debug': cmd_debug,
                'check': cmd_check, 'lint': cmd_lint}[o.verb](ctx, o)
    except OsdkError as e:
        print('osdk: %s' % e, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
