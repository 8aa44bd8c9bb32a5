# SPDX-License-Identifier: MPL-2.0
"""osdk's QEMU: the command line (always under timeout(1), always with
isa-debug-exit), osdk run, and osdk test's reading of the ktest runner's
lines (frame/ktest/runner.c)."""
import os
import re
import shlex
import subprocess
import sys

from osdk_manifest import OsdkError, forbidden_qemu_arg

# The options of testsuite/lib/aster.exp: no default devices, the serial port
# on stdio, no monitor, -no-reboot, isa-debug-exit at 0xf4 (frame's
# machine_debug_exit: 0x10 -> status 33, 0x11 -> 35).
QEMU_BASE = ['-machine', 'q35', '-m', '256M', '-nodefaults', '-display', 'none', '-serial', 'stdio',
             '-monitor', 'none', '-no-reboot', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']
EXIT_SUCCESS, EXIT_FAILURE, EXIT_TIMEOUT = 33, 35, 124


def shell_words(args, cwd, what):
    """qemu.args as the shell splits and expands it, run in the manifest's folder."""
    if not args.strip():
        return []
    r = subprocess.run(['sh', '-c', 'set -- %s\nfor a; do printf "%%s\\0" "$a"; done' % args],
                       cwd=cwd, capture_output=True, text=True,
                       env=dict(os.environ, OSDK_MANIFEST_DIR=cwd))
    if r.returncode != 0:
        raise OsdkError('%s: the shell cannot evaluate %r: %s' % (what, args, r.stderr.strip()))
    return r.stdout.split('\0')[:-1]


def cmdline(st, extra=()):
    words = list(st['boot.kcmd_args'].value) + list(extra)
    if st['boot.init_args'].value:
        words += ['--'] + list(st['boot.init_args'].value)
    return ' '.join(words)


def qemu_command(frame, st, vmlinuz, iso, extra_kcmd=()):
    q = st['qemu.path']
    qemu = q.value or frame.var('qemu') or 'qemu-system-x86_64'
    a = st['qemu.args']
    cwd = os.path.dirname(a.path) if os.path.isabs(a.path) else os.getcwd()
    what = '%s: %s' % (a.path, a.key)
    user = shell_words(a.value, cwd, what)
    bad = forbidden_qemu_arg(user)
    if bad:
        raise OsdkError('%s: %s is not allowed: osdk passes the kernel, initramfs and command line itself '
                        '(use [boot])' % (what, bad))
    cmd = ['timeout', '-k', '5', str(st['qemu.timeout'].value), qemu] + QEMU_BASE
    if iso and iso.endswith('.qcow2'):
        cmd += ['-drive', 'file=%s,format=qcow2,if=ide' % iso, '-boot', 'c']
    elif iso:
        cmd += ['-drive', 'file=%s,media=cdrom,readonly=on,if=ide' % iso, '-boot', 'd']
    else:
        cmd += ['-kernel', vmlinuz, '-append', cmdline(st, extra_kcmd)]
        if st['boot.initramfs'].value:
            if not os.path.isfile(st['boot.initramfs'].value):
                i = st['boot.initramfs']
                raise OsdkError('%s: %s: %s does not exist' % (i.path, i.key, i.value))
            cmd += ['-initrd', st['boot.initramfs'].value]
    return cmd + user


def gdb_addr(addr, top):
    """--gdb-server-addr: ":PORT" or "HOST:PORT" (TCP), else a UNIX socket
    path (relative to the project's top).  (QEMU's -gdb, gdb's target remote)."""
    if ':' in addr and not addr.startswith(('/', '.')):
        host, port = addr.rsplit(':', 1)
        if not port.isdigit():
            raise OsdkError('--gdb-server-addr %s: expected :PORT, HOST:PORT or a socket path' % addr)
        return 'tcp:%s:%s' % (host, port), '%s:%s' % (host or 'localhost', port)
    path = os.path.join(top, addr)
    return 'unix:%s,server=on,wait=off' % path, path


def describe_exit(status, timeout):
    if status == EXIT_TIMEOUT or status == 137:
        return 'QEMU did not end within %d s (qemu.timeout) and was stopped' % timeout
    if status == EXIT_FAILURE:
        return 'the kernel reported failure (isa-debug-exit, QEMU status 35)'
    return 'QEMU exited with status %d' % status


def run_kernel(cmd, timeout, verbose):
    """osdk run: the console on our terminal; 0 when the kernel powered off
    or reported success, 1 otherwise."""
    if verbose:
        print('osdk: %s' % ' '.join(shlex.quote(c) for c in cmd), file=sys.stderr)
    try:
        status = subprocess.call(cmd)
    except OSError as e:
        raise OsdkError('cannot run %s: %s' % (cmd[0], e.strerror))
    if status in (0, EXIT_SUCCESS):
        return 0
    print('osdk run: %s' % describe_exit(status, timeout), file=sys.stderr)
    return 1


KTEST_LINE = re.compile(r'ktest: (PASS|FAIL) ([A-Za-z0-9_]+)(?::\s*(.*))?\s*$')
# "ktest: NAME: FILE:LINE: check failed: ..." (ktest_fail) precedes its FAIL.
KTEST_WHY = re.compile(r'ktest: ([A-Za-z0-9_]+): (\S+:\d+: check failed: .*?)\s*$')


def test_order(frame, elf):
    """The ktests of elf in run order (their descriptors' symbols by address)."""
    r = subprocess.run(frame.tool('knm') + ['-n', elf], capture_output=True, text=True)
    return [line.split()[2][len('ktest_desc_'):] for line in r.stdout.splitlines()
            if len(line.split()) == 3 and line.split()[2].startswith('ktest_desc_')]


def run_tests(cmd, timeout, elf, frame, filt, log, verbose):
    """osdk test: one PASS/FAIL line per ktest, a summary; the exit status."""
    if verbose:
        print('osdk: %s' % ' '.join(shlex.quote(c) for c in cmd), file=sys.stderr)
    results = {}
    order = []
    done = None
    reasons = {}
    try:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
    except OSError as e:
        raise OsdkError('cannot run %s: %s' % (cmd[0], e.strerror))
    with open(log, 'wb') as lf:
        for raw in p.stdout:
            lf.write(raw)
            line = raw.decode('utf-8', 'replace').replace('\r', '')
            if verbose:
                sys.stdout.write(line)
            m = KTEST_WHY.search(line)
            if m and m.group(1) not in reasons:
                reasons[m.group(1)] = m.group(2)
                continue
            m = KTEST_LINE.search(line)
            if m:
                verdict, name, why = m.groups()
                if name not in results:
                    order.append(name)
                if why and verdict == 'FAIL':
                    reasons[name] = why.strip()
                if results.get(name) != 'FAIL':
                    results[name] = verdict
                if not verbose:
                    why = reasons.get(name) if verdict == 'FAIL' else None
                    print('%s %s%s' % (verdict, name, ': ' + why if why else ''), flush=True)
            elif 'ktest: done,' in line:
                done = line.strip()
    status = p.wait()
    lost = None
    if done is None:
        # Hung or crashed without a verdict: the first test of the run order
        # that has none is the one that was running.
        for name in test_order(frame, elf):
            if name not in results and (not filt or filt in name):
                lost = name
                break
        why = describe_exit(status, timeout)
        if lost:
            results[lost] = 'FAIL'
            order.append(lost)
            print('FAIL %s: no verdict: %s' % (lost, why))
        else:
            print('osdk test: the test kernel ended without the runner\'s summary: %s' % why)
    passed = sum(1 for n in order if results[n] == 'PASS')
    failed = sum(1 for n in order if results[n] == 'FAIL')
    ok = failed == 0 and passed > 0 and done is not None and status == EXIT_SUCCESS
    print('osdk test: %d passed, %d failed%s' % (passed, failed, '' if ok else ' (console log: %s)' % log))
    if passed == 0 and failed == 0:
        print('osdk test: no ktest%s' % (' matches %r' % filt if filt else ''))
    return 0 if ok else 1
