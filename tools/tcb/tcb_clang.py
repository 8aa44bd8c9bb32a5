# SPDX-License-Identifier: MPL-2.0
"""Find and load clang's Python bindings and libclang.

The bindings (Debian: python3-clang-N) are pure Python, so when the running
interpreter does not see them (a pyenv or venv python), the system's
dist-packages directories are tried too.  libclang is looked for next to the
bindings' version, then in the usual LLVM locations.
"""
import glob
import os
import re
import sys

_loaded = None
_error = None


def _import_bindings():
    try:
        import clang.cindex  # noqa: F401
        return clang.cindex
    except ImportError:
        pass
    candidates = []
    for pat in ('/usr/lib/python3/dist-packages',
                '/usr/lib/python3*/site-packages',
                '/usr/local/lib/python3*/dist-packages',
                '/usr/lib64/python3*/site-packages'):
        candidates.extend(sorted(glob.glob(pat)))
    for d in candidates:
        if os.path.isfile(os.path.join(d, 'clang', 'cindex.py')):
            sys.path.append(d)
            try:
                import clang.cindex  # noqa: F811
                return clang.cindex
            except ImportError:
                sys.path.remove(d)
    raise ImportError("python clang bindings (module clang.cindex) not found: "
                      "install python3-clang (Debian/Ubuntu: apt-get install python3-clang-14)")


def _libclang_candidates():
    env = os.environ.get('TCB_LIBCLANG')
    if env:
        yield env
    for pat in ('/usr/lib/llvm-*/lib/libclang.so.1', '/usr/lib/llvm-*/lib/libclang-*.so.1',
                '/usr/lib/llvm-*/lib/libclang.so', '/usr/lib/x86_64-linux-gnu/libclang-*.so.1',
                '/usr/lib/x86_64-linux-gnu/libclang-*.so', '/usr/lib64/libclang.so*',
                '/usr/lib/libclang.so*', '/usr/local/lib/libclang.so*'):
        # newest LLVM first
        def ver(p):
            m = re.search(r'llvm-(\d+)|libclang-(\d+)', p)
            return int(next(g for g in m.groups() if g)) if m else 0
        for p in sorted(glob.glob(pat), key=ver, reverse=True):
            yield p


def load():
    """Return clang.cindex with a working libclang, or raise ImportError."""
    global _loaded, _error
    if _loaded is not None:
        return _loaded
    if _error is not None:
        raise ImportError(_error)
    try:
        ci = _import_bindings()
    except ImportError as e:
        _error = str(e)
        raise
    # First what the bindings find on their own, then the known places.
    tried = []
    try:
        ci.Index.create()
        _loaded = ci
        return ci
    except Exception as e:  # clang.cindex.LibclangError
        tried.append('default: %s' % str(e).splitlines()[0])
    for path in _libclang_candidates():
        try:
            ci.Config.loaded = False
            ci.Config.library_file = None
            ci.Config.set_library_file(path)
            ci.Index.create()
            _loaded = ci
            return ci
        except Exception as e:
            tried.append('%s: %s' % (path, str(e).splitlines()[0]))
    _error = ('libclang not found or not loadable (set TCB_LIBCLANG=/path/to/libclang.so); tried: '
              + '; '.join(tried))
    raise ImportError(_error)
