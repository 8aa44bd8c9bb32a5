# SPDX-License-Identifier: MPL-2.0
"""OSDK.toml: reading, checking and merging the manifests (doc/osdk.md).

A manifest is read with tomllib, checked against SCHEMA (every key known,
every value of its type, paths resolved against the manifest's folder) and
flattened to {"section.key": Value}.  Errors name the file and the key.  The
settings of one action (build, run, test) are the layers, lowest first:
DEFAULTS, the common sections of the workspace's and the project's manifest,
their [run] or [test] sections, the chosen [scheme."NAME"]'s common sections
and its [run]/[test], then the command line.
"""
import os
import re
import shlex
import tomllib


class OsdkError(Exception):
    """An error for the user: printed as "osdk: MESSAGE", exit status 2."""


ARCHS = ('x86_64',)
PROFILES = ('dev', 'release')
BOOT_METHODS = ('qemu-direct', 'grub-rescue-iso', 'grub-qcow2')
GRUB_PROTOCOLS = ('linux', 'multiboot2')
# QEMU options osdk sets itself from [boot]: in qemu.args they would fight it.
FORBIDDEN_QEMU_ARGS = ('-kernel', '-initrd', '-append')

STR, BOOL, INT, STRS, PATH, PATHS, CMD = 'a string', 'a boolean', 'an integer', \
    'an array of strings', 'a path (string)', 'an array of paths', 'a command (string)'
BLOBS = 'a table of C names to paths'

# Section -> key -> (type, allowed values or None).
SECTIONS = {
    'build': {'profile': (STR, PROFILES), 'features': (STRS, None), 'cflags': (STRS, None),
              'sources': (PATHS, None), 'include_dirs': (PATHS, None), 'blobs': (BLOBS, None),
              'command': (STR, None), 'image': (PATH, None), 'elf': (PATH, None)},
    'boot': {'method': (STR, BOOT_METHODS), 'kcmd_args': (STRS, None), 'init_args': (STRS, None),
             'initramfs': (PATH, None)},
    'grub': {'boot_protocol': (STR, GRUB_PROTOCOLS), 'display_grub_menu': (BOOL, None),
             'mkrescue_path': (CMD, None)},
    'qemu': {'path': (CMD, None), 'args': (STR, None), 'timeout': (INT, None)},
}
ACTIONS = ('run', 'test')

DEFAULTS = {
    'build.profile': 'dev', 'build.features': [], 'build.cflags': [],
    'build.sources': None, 'build.include_dirs': None,   # None: the project's src/
    'build.blobs': {},
    'build.command': None, 'build.image': None, 'build.elf': None,   # a kernel built by another tool
    'boot.method': 'qemu-direct', 'boot.kcmd_args': ['console=ttyS0'], 'boot.init_args': [],
    'boot.initramfs': None,
    'grub.boot_protocol': 'linux', 'grub.display_grub_menu': False, 'grub.mkrescue_path': 'grub-mkrescue',
    'qemu.path': None,    # None: the QEMU frame was configured with
    'qemu.args': '', 'qemu.timeout': 600,
}
# Tests get a shorter leash: a hung test should fail soon.
ACTION_DEFAULTS = {'test': {'qemu.timeout': 300}}


class Manifest:
    """One checked OSDK.toml: its file, folder, top-level keys and flat layers."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.dir = os.path.dirname(self.path)
        try:
            with open(self.path, 'rb') as f:
                data = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            raise OsdkError('%s: invalid TOML: %s' % (self.path, e))
        except OSError as e:
            raise OsdkError('%s: %s' % (self.path, e.strerror))
        self.project_type = None
        self.archs = None
        self.members = None
        self.common = {}
        self.action = {a: {} for a in ACTIONS}
        self.schemes = {}
        self._check_top(data)

    def err(self, key, msg):
        return OsdkError('%s: %s: %s' % (self.path, key, msg))

    def _check_top(self, data):
        for key, val in data.items():
            if key == 'project_type':
                self.project_type = self._value(key, val, STR, ('kernel', 'library'))
            elif key == 'supported_archs':
                self.archs = self._value(key, val, STRS, None)
                for a in self.archs:
                    if a not in ARCHS:
                        raise self.err(key, 'unsupported architecture %r (supported: %s)' % (a, ', '.join(ARCHS)))
            elif key == 'workspace':
                self._table(key, val)
                for k, v in val.items():
                    if k != 'members':
                        raise self.err('workspace.' + k, 'unknown key (known: members)')
                    self.members = self._value('workspace.members', v, PATHS, None)
            elif key in SECTIONS:
                self._section(key, val, self.common, key)
            elif key in ACTIONS:
                self._action(key, val, self.action[key], key)
            elif key == 'scheme':
                self._table(key, val)
                for name, body in val.items():
                    self.schemes[name] = self._scheme('scheme.%s' % _quote(name), body)
            else:
                raise self.err(key, 'unknown key (known: project_type, supported_archs, workspace, %s, %s, scheme)'
                               % (', '.join(SECTIONS), ', '.join(ACTIONS)))

    def _scheme(self, where, body):
        self._table(where, body)
        sch = {'common': {}, 'action': {a: {} for a in ACTIONS}}
        for key, val in body.items():
            if key in SECTIONS:
                self._section(key, val, sch['common'], where + '.' + key)
            elif key in ACTIONS:
                self._action(key, val, sch['action'][key], where + '.' + key)
            elif key == 'supported_archs':
                self._value(where + '.' + key, val, STRS, None)
            else:
                raise self.err(where + '.' + key, 'unknown key (known in a scheme: %s, %s, supported_archs)'
                               % (', '.join(SECTIONS), ', '.join(ACTIONS)))
        return sch

    def _action(self, where, val, into, _name):
        self._table(where, val)
        for key, body in val.items():
            if key not in SECTIONS:
                raise self.err(where + '.' + key, 'unknown key (known in [%s]: %s)' % (where, ', '.join(SECTIONS)))
            self._section(key, body, into, where + '.' + key)

    def _section(self, section, val, into, where):
        self._table(where, val)
        schema = SECTIONS[section]
        for key, v in val.items():
            if key not in schema:
                raise self.err(where + '.' + key, 'unknown key (known in [%s]: %s)'
                               % (section, ', '.join(schema)))
            typ, allowed = schema[key]
            v = self._value(where + '.' + key, v, typ, allowed)
            if section == 'qemu' and key == 'args':
                self._check_qemu_args(where + '.' + key, v)
            if section == 'qemu' and key == 'timeout' and v <= 0:
                raise self.err(where + '.' + key, 'must be a positive number of seconds, got %d' % v)
            into['%s.%s' % (section, key)] = Value(v, self.path, where + '.' + key)

    def _check_qemu_args(self, where, args):
        try:
            words = shlex.split(args)
        except ValueError as e:
            raise self.err(where, 'cannot split %r: %s' % (args, e))
        bad = forbidden_qemu_arg(words)
        if bad:
            raise self.err(where, '%s is not allowed: osdk passes the kernel, initramfs and command line '
                           'itself (use [boot])' % bad)

    def _table(self, where, val):
        if not isinstance(val, dict):
            raise self.err(where, 'expected a table, got %s' % _kind(val))

    def _value(self, where, v, typ, allowed):
        if typ == BLOBS:
            return self._blobs(where, v)
        ok = {STR: isinstance(v, str), CMD: isinstance(v, str), PATH: isinstance(v, str),
              BOOL: isinstance(v, bool), INT: isinstance(v, int) and not isinstance(v, bool),
              STRS: isinstance(v, list) and all(isinstance(x, str) for x in v),
              PATHS: isinstance(v, list) and all(isinstance(x, str) for x in v)}[typ]
        if not ok:
            raise self.err(where, 'expected %s, got %s' % (typ, _kind(v)))
        if allowed is not None and v not in allowed:
            raise self.err(where, 'expected one of %s, got %r' % (', '.join(allowed), v))
        if typ == PATH:
            return self.resolve(v)
        if typ == PATHS:
            return [self.resolve(x) for x in v]
        if typ == CMD and '/' in v:
            return self.resolve(v)
        return v

    def _blobs(self, where, v):
        """[build] blobs = { NAME = "file" }: the kernel sees the file's bytes as
        const uint8_t NAME[] and their count as const uint64_t NAME_len."""
        if not isinstance(v, dict):
            raise self.err(where, 'expected %s, got %s' % (BLOBS, _kind(v)))
        out = {}
        for name, path in v.items():
            if not re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*', name):
                raise self.err('%s.%s' % (where, name), 'not a C identifier')
            if not isinstance(path, str):
                raise self.err('%s.%s' % (where, name), 'expected a path (string), got %s' % _kind(path))
            out[name] = self.resolve(path)
        return out

    def resolve(self, p):
        return os.path.normpath(os.path.join(self.dir, os.path.expanduser(p)))


class Value:
    """A manifest value and where it came from (for error messages)."""

    def __init__(self, value, path, key):
        self.value, self.path, self.key = value, path, key


def forbidden_qemu_arg(words):
    for w in words:
        name = w.split('=', 1)[0]
        if name.startswith('--'):
            name = name[1:]
        if name in FORBIDDEN_QEMU_ARGS:
            return name
    return None


def _quote(name):
    return '"%s"' % name


def _kind(v):
    if isinstance(v, bool):
        return 'a boolean'
    if isinstance(v, int):
        return 'an integer'
    if isinstance(v, float):
        return 'a float'
    if isinstance(v, str):
        return 'a string'
    if isinstance(v, list):
        return 'an array' if not v or not all(isinstance(x, str) for x in v) else 'an array of strings'
    if isinstance(v, dict):
        return 'a table'
    return type(v).__name__


def find_manifests(start):
    """The project's manifest (nearest OSDK.toml from start upwards) and the
    workspace's (the nearest one above it, or itself, with [workspace])."""
    d = os.path.abspath(start)
    first = None
    while True:
        p = os.path.join(d, 'OSDK.toml')
        if os.path.isfile(p):
            first = p
            break
        parent = os.path.dirname(d)
        if parent == d:
            raise OsdkError('no OSDK.toml in %s or any folder above it (osdk new NAME makes a project)'
                            % os.path.abspath(start))
        d = parent
    m = Manifest(first)
    if m.members is not None:
        return None, m
    d = os.path.dirname(m.dir)
    while True:
        p = os.path.join(d, 'OSDK.toml')
        if os.path.isfile(p):
            ws = Manifest(p)
            if ws.members is not None and any(os.path.realpath(x) == os.path.realpath(m.dir) for x in ws.members):
                return m, ws
            return m, None
        parent = os.path.dirname(d)
        if parent == d:
            return m, None
        d = parent


def settings(layers_from, action, scheme, cli):
    """The flat settings of ACTION: the layers of the manifests (workspace
    first), the scheme's, then the command line's {key: value}."""
    out = {k: Value(v, '(default)', k) for k, v in DEFAULTS.items()}
    for k, v in ACTION_DEFAULTS.get(action, {}).items():
        out[k] = Value(v, '(default for %s)' % action, k)
    for m in layers_from:
        out.update(m.common)
    if action in ACTIONS:
        for m in layers_from:
            out.update(m.action[action])
    if scheme:
        found = [m for m in layers_from if scheme in m.schemes]
        if not found:
            raise OsdkError('--scheme %s: no [scheme."%s"] in %s' % (
                scheme, scheme, ', '.join(m.path for m in layers_from)))
        for m in found:
            out.update(m.schemes[scheme]['common'])
        if action in ACTIONS:
            for m in found:
                out.update(m.schemes[scheme]['action'][action])
    for k, v in cli.items():
        out[k] = v if isinstance(v, Value) else Value(v, 'the command line', k)
    return out
