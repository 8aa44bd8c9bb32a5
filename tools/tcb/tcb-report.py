#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""tcb-report: how big the trusted computing base is.

Prints the lines of C and of assembly in frame/ (trusted) and kernel/
(checked safe C), comments and blank lines excluded, frame/'s share of the
whole, the number of functions frame/include/aster/*.h exports (counted by
parsing the headers with libclang), and the tcb-escape annotations in
kernel/.  Host programs listed in tools/tcb/host-files are left out.
"""
import sys
sys.dont_write_bytecode = True

import argparse
import os
import subprocess

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tcb_lex  # noqa: E402

C_EXT = ('.c', '.h', '.def', '.inc')
ASM_EXT = ('.S', '.s')


def host_files(srcdir):
    skip = []
    p = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'host-files')
    try:
        with open(p) as f:
            for line in f:
                line = line.split('#', 1)[0].strip()
                if line:
                    skip.append(line.rstrip('/'))
    except OSError:
        pass
    return skip


def walk(srcdir, top, skip):
    base = os.path.join(srcdir, top)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for fn in sorted(filenames):
            p = os.path.join(dirpath, fn)
            rel = os.path.relpath(p, srcdir)
            if any(rel == s or rel.startswith(s + '/') for s in skip):
                continue
            yield rel, p


def count(srcdir, top, skip):
    c = asm = 0
    files = 0
    for rel, p in walk(srcdir, top, skip):
        if not p.endswith(C_EXT + ASM_EXT):
            continue
        with open(p, encoding='utf-8', errors='replace') as f:
            text = f.read()
        files += 1
        if p.endswith(ASM_EXT):
            asm += tcb_lex.count_code_lines(text, asm=True)
        else:
            c += tcb_lex.count_code_lines(text)
    return files, c, asm


def api_functions(srcdir, isystem):
    """(declared, static inline, headers) or an error string."""
    try:
        import tcb_clang
        ci = tcb_clang.load()
    except ImportError as e:
        return str(e)
    public = os.path.join(srcdir, 'frame', 'include', 'aster')
    headers = sorted(h for h in os.listdir(public) if h.endswith('.h'))
    src = ''.join('#include <aster/%s>\n' % h for h in headers)
    args = ['-x', 'c', '-std=gnu11', '-ffreestanding', '-nostdinc', '--target=x86_64-unknown-linux-gnu',
            '-I', os.path.join(srcdir, 'frame', 'include')]
    if isystem:
        args[4:4] = ['-isystem', isystem]
    tu = ci.Index.create().parse('tcb_api.c', args, unsaved_files=[('tcb_api.c', src)])
    errors = [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
    declared, inline = set(), set()
    for cur in tu.cursor.get_children():
        if cur.kind != ci.CursorKind.FUNCTION_DECL or cur.location.file is None:
            continue
        f = os.path.realpath(cur.location.file.name)
        if os.path.dirname(f) != os.path.realpath(public):
            continue
        if cur.is_definition():
            inline.add(cur.spelling)
        else:
            declared.add(cur.spelling)
    declared -= inline
    return len(declared), len(inline), len(headers), len(errors)


def escapes(srcdir, skip):
    by_rule = {}
    total = 0
    for rel, p in walk(srcdir, 'kernel', skip):
        if not p.endswith(C_EXT):
            continue
        with open(p, encoding='utf-8', errors='replace') as f:
            text = f.read()
        if 'tcb-escape' not in text:
            continue
        for line, rule, api in tcb_lex.find_escapes(text):
            total += 1
            key = rule or '(no rule)'
            by_rule.setdefault(key, []).append('%s:%d: %s' % (rel, line, api or '(no API named)'))
    return total, by_rule


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--srcdir', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
    ap.add_argument('--isystem', help="the kernel compiler's include directory")
    opts = ap.parse_args()
    srcdir = os.path.realpath(opts.srcdir)
    isystem = opts.isystem
    if not isystem:
        try:
            isystem = subprocess.run(['gcc', '-print-file-name=include'], capture_output=True,
                                     text=True).stdout.strip() or None
        except OSError:
            isystem = None
    skip = host_files(srcdir)

    ff, fc, fa = count(srcdir, 'frame', skip)
    kf, kc, ka = count(srcdir, 'kernel', skip)
    total = fc + fa + kc + ka
    print('Trusted computing base (lines of code: comments and blank lines excluded)')
    print()
    print('  %-28s %6s %9s %9s %9s' % ('', 'files', 'C', 'assembly', 'total'))
    print('  %-28s %6d %9d %9d %9d' % ('frame/  (trusted)', ff, fc, fa, fc + fa))
    print('  %-28s %6d %9d %9d %9d' % ('kernel/ (checked safe C)', kf, kc, ka, kc + ka))
    print('  %-28s %6d %9d %9d %9d' % ('all', ff + kf, fc + kc, fa + ka, total))
    print()
    share = 100.0 * (fc + fa) / total if total else 0.0
    print('  frame/ share of the kernel:   %.1f%%' % share)
    api = api_functions(srcdir, isystem)
    if isinstance(api, str):
        print('  frame API functions:          n/a (%s)' % api)
    else:
        declared, inline, nh, nerr = api
        print('  frame API functions:          %d (%d declared, %d static inline) in %d headers of '
              'frame/include/aster/%s' % (declared + inline, declared, inline, nh,
                                           '' if not nerr else ' [%d parse errors]' % nerr))
    n, by_rule = escapes(srcdir, skip)
    print('  kernel/ escape hatches:       %d' % n)
    for rule in sorted(by_rule):
        print('    %-22s %d' % (rule, len(by_rule[rule])))
        for e in by_rule[rule]:
            print('      %s' % e)
    if skip:
        print('  left out (host programs):     %s' % ', '.join(skip))
    return 0


if __name__ == '__main__':
    sys.exit(main())
