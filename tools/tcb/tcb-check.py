#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""tcb-check: enforce the safe-C rules (doc/safe-c.md) on kernel/ and examples/.

Every .c file is parsed once with libclang, with the kernel's own flags; the
kernel headers it includes are checked as part of it, and headers no .c file
includes are parsed on their own.  The checker walks the AST (types, casts,
unions, calls, attributes, with the preprocessing record to tell frame's
macros from kernel's) and scans clang's tokens of every kernel file for what
the AST loses (keywords spelled in macro bodies, attribute names, pragmas).
Calls are judged by their prototypes: a void * parameter followed by a
size_t makes a byte writer, which may not write into objects holding
pointers or through a void * it cannot see into.  Integers made from
pointers are followed through the file to the pointer arithmetic and
indexing that would turn them back into addresses.  Assembly files under
kernel/ are rejected whole.

Usage:
  tcb-check.py [options] PATH...        check files and directories
  tcb-check.py --samples DIR            run the negative/positive samples (TAP)
Findings are printed as FILE:LINE: RULE: MESSAGE; the exit status is 1 if
there are any, 2 if the checker cannot run (no clang bindings, bad usage).
"""
import sys
sys.dont_write_bytecode = True

import argparse
import bisect
import concurrent.futures
import ctypes
import multiprocessing
import os
import re
import subprocess
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tcb_clang  # noqa: E402
import tcb_lex    # noqa: E402

RULES = {
    'no-asm': 'assembly (asm statements, file-scope asm, asm labels, register variables bound to registers, '
              '.S files)',
    'no-volatile': 'volatile objects, pointers, casts or typedefs',
    'no-builtin': 'compiler builtins that reach the hardware, the stack or memory ordering',
    'no-int-to-ptr': 'integer (or user address) to pointer conversions; integers made from pointers used as '
                     'offsets or indices',
    'no-type-pun': 'reinterpreting memory that holds pointers (unions with pointers, casts between structs, '
                   'container_of on the wrong member, byte writers and memcpy/memset into pointers or a void *)',
    'includes': 'headers other than <aster/...>, kernel/ headers and stdint/stddef/stdbool/stdarg; another subsystem\'s private header',
    'no-placement-attr': 'attributes or pragmas that place code or change how it is linked or called',
    'no-vla': 'variable-length arrays and alloca',
    'no-hw-access': 'port I/O, MSRs, control registers, physical addresses and raw MMIO by name',
    'escape-hatch': 'malformed or unused tcb-escape annotations',
    'parse-error': 'the file does not parse with the kernel flags',
}
ESCAPABLE = set(RULES) - {'escape-hatch', 'parse-error'}

FREESTANDING_HEADERS = {'stdint.h', 'stddef.h', 'stdbool.h', 'stdarg.h'}

ASM_KEYWORDS = {'asm', '__asm', '__asm__'}
VOLATILE_KEYWORDS = {'volatile', '__volatile', '__volatile__'}

BUILTIN_PREFIXES = ('__builtin_ia32_', '__atomic_', '__sync_', '__c11_atomic_', '__opencl_atomic_',
                    '__hip_atomic_', '__scoped_atomic_', '__builtin_cpu_', '__builtin_nontemporal_',
                    '__builtin_arm_', '__builtin_amdgcn_', '__builtin_s390_')
BUILTIN_NAMES = {
    '_Atomic', '__builtin_trap', '__builtin_debugtrap', '__builtin_unreachable', '__builtin_assume',
    '__builtin_assume_aligned', '__builtin_return_address', '__builtin_frame_address',
    '__builtin_extract_return_addr', '__builtin_frob_return_addr', '__builtin_dwarf_cfa',
    '__builtin_eh_return', '__builtin_eh_return_data_regno', '__builtin_unwind_init',
    '__builtin_setjmp', '__builtin_longjmp', '__builtin_apply', '__builtin_apply_args',
    '__builtin_return', '__builtin_prefetch', '__builtin___clear_cache', '__builtin_readcyclecounter',
    '__builtin_stack_save', '__builtin_stack_restore', '__builtin_speculation_safe_value',
    '__builtin_thread_pointer', '__builtin_sponentry', '__builtin_call_with_static_chain',
    '__builtin_ms_va_start', '__builtin_clear_padding',
}
ALLOCA_NAMES = {'alloca', '__alloca', '__builtin_alloca', '__builtin_alloca_with_align',
                '__builtin_alloca_with_align_and_max', '__builtin_alloca_uninitialized'}

HW_NAMES = set('''
inb inw inl outb outw outl inb_p inw_p inl_p outb_p outw_p outl_p insb insw insl outsb outsw outsl
rdmsr wrmsr rdmsrl wrmsrl rdmsrq wrmsrq rdmsr_safe wrmsr_safe native_read_msr native_write_msr
phys_to_virt virt_to_phys __va __pa __pa_symbol virt_to_pfn pfn_to_virt page_to_phys phys_to_page
ioremap ioremap_nocache ioremap_wc ioremap_cache iounmap memremap memunmap
readb readw readl readq writeb writew writel writeq __raw_readb __raw_readw __raw_readl __raw_readq
__raw_writeb __raw_writew __raw_writel __raw_writeq ioread8 ioread16 ioread32 ioread64
iowrite8 iowrite16 iowrite32 iowrite64
read_cr0 read_cr2 read_cr3 read_cr4 write_cr0 write_cr3 write_cr4 native_read_cr3 native_write_cr3
rdtsc rdtscp rdpmc cpuid invlpg wbinvd clflush lgdt lidt ltr sgdt sidt swapgs xgetbv xsetbv
rdfsbase rdgsbase wrfsbase wrgsbase cli sti hlt
'''.split())

# Attributes (normalized, without __x__) that place code or data, change linkage or
# the calling convention, or switch compiler checks off.
FORBIDDEN_ATTRS = set('''
section alias weak weakref naked used retain constructor destructor ifunc visibility
externally_visible symver no_reorder interrupt no_caller_saved_registers regparm ms_abi sysv_abi
stdcall fastcall thiscall vectorcall regcall preserve_most preserve_all force_align_arg_pointer
target target_clones optimize no_split_stack no_stack_protector no_instrument_function
no_profile_instrument_function patchable_function_entry no_sanitize no_sanitize_address
no_address_safety_analysis no_sanitize_undefined no_sanitize_thread no_sanitize_memory
no_sanitize_coverage tls_model model selectany common nocommon copy returns_twice
uninitialized
'''.split())
FORBIDDEN_PRAGMAS = {'weak', 'redefine_extname', 'section', 'code_seg', 'data_seg', 'bss_seg',
                     'const_seg', 'init_seg', 'alloc_text', 'comment', 'linker'}
FORBIDDEN_PRAGMA2 = {('GCC', 'visibility'), ('GCC', 'optimize'), ('GCC', 'target'),
                     ('GCC', 'push_options'), ('clang', 'section'), ('clang', 'attribute'),
                     ('clang', 'optimize')}

COPY_FUNCS = {'memcpy', 'memmove', '__builtin_memcpy', '__builtin_memmove', '__builtin_memcpy_inline'}
SET_FUNCS = {'memset', '__builtin_memset', '__builtin_memset_inline'}
# Builtins that write bytes as memcpy/memset do but are not checked as they
# are (the fortified __builtin___*_chk family, mempcpy, bcopy, the string
# copies): kernel/ uses frame's memcpy/memmove/memset, which the checker
# type-checks.  Reading builtins (__builtin_memcmp, __builtin_strlen) stay.
COPY_BUILTIN_PREFIXES = ('__builtin___',)
COPY_BUILTINS = {'__builtin_' + n for n in '''
mempcpy memccpy bcopy bzero wmemcpy wmemmove wmemset wmempcpy strcpy strncpy stpcpy stpncpy strcat
strncat strlcpy strlcat sprintf snprintf vsprintf vsnprintf
'''.split()}
# Functions with a byte writer's shape (a void * and a size_t) that hand
# back the object they are given instead of writing foreign bytes into it.
NOT_WRITERS = {'krealloc'}
# Files the C checker cannot read: assembly belongs to frame/.
ASM_EXTS = ('.S', '.s', '.sx', '.asm')
# A pointer-derived integer reduced by % or & with a constant at most this
# big is a small index (a hash bucket, an alignment remainder), not an address.
SMALL_RANGE = 1 << 16


def norm_attr(name):
    if name.startswith('__') and name.endswith('__') and len(name) > 4:
        return name[2:-2]
    return name


def builtin_rule(name):
    if name in ALLOCA_NAMES:
        return 'no-vla', '%s: stack allocation of run-time size; use a fixed-size array or kmalloc()' % name
    if name in BUILTIN_NAMES or name.startswith(BUILTIN_PREFIXES):
        if name == '_Atomic' or 'atomic' in name or name.startswith('__sync_'):
            return 'no-builtin', '%s: atomics and memory ordering belong to <aster/sync.h>' % name
        return 'no-builtin', '%s: builtin that reaches the hardware or the stack; ask frame for an API' % name
    if name in COPY_BUILTINS or name.startswith(COPY_BUILTIN_PREFIXES):
        return 'no-type-pun', ('%s: a builtin byte copy escapes the checks on memcpy/memmove/memset; '
                               'use those from <aster/string.h>' % name)
    return None


# ---------------------------------------------------------------------------
# Configuration shared with the worker processes.

class Config:
    def __init__(self, srcdir, isystem, roots, skip, frame_include=None, includes=()):
        self.srcdir = os.path.realpath(srcdir)
        self.isystem = os.path.realpath(isystem) if isystem else None
        self.roots = [os.path.realpath(r) for r in roots]
        # The public API: frame/include/aster in the tree, or an installed
        # $(includedir)/aster for a kernel built outside it (osdk check).
        inc = os.path.realpath(frame_include) if frame_include else os.path.join(self.srcdir, 'frame', 'include')
        self.public = os.path.join(inc, 'aster')
        self.frame = os.path.join(self.srcdir, 'frame')
        self.skip = skip
        self.args = ['-x', 'c', '-std=gnu11', '-ffreestanding', '-nostdinc',
                     '--target=x86_64-unknown-linux-gnu', '-D__x86_64__', '-DASTER_VERSION="x"',
                     '-I', inc, '-I', os.path.join(self.srcdir, 'kernel')]
        for d in includes:
            self.args += ['-I', os.path.realpath(d)]
        if self.isystem:
            self.args[5:5] = ['-isystem', self.isystem]
        self._kernel_cache = {}

    def is_kernel(self, path):
        """A file the rules apply to (kernel/, or the directory of a sample)."""
        r = self._kernel_cache.get(path)
        if r is None:
            rp = os.path.realpath(path)
            r = (not under(rp, self.public)) and any(under(rp, root) for root in self.roots)
            self._kernel_cache[path] = r
        return r

    def is_trusted_macro_file(self, path):
        if path is None:
            return False
        rp = os.path.realpath(path)
        return under(rp, self.public) or (self.isystem is not None and under(rp, self.isystem))


def under(path, d):
    return path == d or path.startswith(d.rstrip('/') + '/')


_private_cache = {}
PRIVATE_MARK = re.compile(r'^\s*(?:/\*|\*)\s*Private to (kernel/[A-Za-z0-9_/]+?)/?[ .,;)]', re.M)


def private_owner(header):
    """The folder a kernel/ header is private to, or None for a public one.

    A subsystem's private header is one named internal.h or *_internal.h
    (private to its own folder), or one whose opening comment says
    "Private to kernel/DIR/" in its opening comment (vfs.h).  Only files inside that folder may
    include it; other subsystems use its public headers.
    """
    r = _private_cache.get(header)
    if r is not None:
        return r or None
    r = ''
    base = os.path.basename(header)
    if base == 'internal.h' or base.endswith('_internal.h'):
        r = os.path.dirname(header)
    else:
        try:
            with open(header, encoding='utf-8', errors='replace') as fh:
                head = fh.read(2048)
        except OSError:
            head = ''
        m = PRIVATE_MARK.search(head)
        if m:
            r = os.path.join(CFG.srcdir, m.group(1))
    _private_cache[header] = r
    return r or None


CFG = None
CI = None
LIB = None


def _init_worker(cfg):
    global CFG, CI, LIB
    CFG = cfg
    CI = tcb_clang.load()
    LIB = CI.conf.lib
    c_uint_p = ctypes.POINTER(ctypes.c_uint)
    f = LIB.clang_getFileLocation
    f.argtypes = [CI.SourceLocation, ctypes.POINTER(CI.c_object_p), c_uint_p, c_uint_p, c_uint_p]
    f.restype = None
    LIB.clang_Cursor_Evaluate.argtypes = [CI.Cursor]
    LIB.clang_Cursor_Evaluate.restype = ctypes.c_void_p
    LIB.clang_EvalResult_getKind.argtypes = [ctypes.c_void_p]
    LIB.clang_EvalResult_getKind.restype = ctypes.c_int
    LIB.clang_EvalResult_getAsLongLong.argtypes = [ctypes.c_void_p]
    LIB.clang_EvalResult_getAsLongLong.restype = ctypes.c_longlong
    LIB.clang_EvalResult_dispose.argtypes = [ctypes.c_void_p]
    LIB.clang_EvalResult_dispose.restype = None


# ---------------------------------------------------------------------------
# Types.

def _tk():
    T = CI.TypeKind
    ints = {T.BOOL, T.CHAR_U, T.UCHAR, T.CHAR16, T.CHAR32, T.USHORT, T.UINT, T.ULONG, T.ULONGLONG,
            T.UINT128, T.CHAR_S, T.SCHAR, T.WCHAR, T.SHORT, T.INT, T.LONG, T.LONGLONG, T.INT128,
            T.ENUM}
    chars = {T.CHAR_U, T.UCHAR, T.CHAR_S, T.SCHAR}
    arrays = {T.CONSTANTARRAY, T.INCOMPLETEARRAY, T.VARIABLEARRAY, T.DEPENDENTSIZEDARRAY}
    return ints, chars, arrays


INT_KINDS = CHAR_KINDS = ARRAY_KINDS = None


def type_any(t, pred, depth=0):
    """pred holds for t or for a type t is built from (pointee, element,
    result, parameter); records are not entered (their fields are checked
    where they are declared)."""
    if depth > 20:
        return False
    t = t.get_canonical()
    if pred(t):
        return True
    k = t.kind
    T = CI.TypeKind
    if k == T.POINTER:
        return type_any(t.get_pointee(), pred, depth + 1)
    if k in ARRAY_KINDS:
        return type_any(t.element_type, pred, depth + 1)
    if k == T.FUNCTIONPROTO:
        return type_any(t.get_result(), pred, depth + 1) or \
            any(type_any(a, pred, depth + 1) for a in t.argument_types())
    if k == T.FUNCTIONNOPROTO:
        return type_any(t.get_result(), pred, depth + 1)
    return False


def type_scan(t, preds, depth=0):
    """type_any for several predicates in one walk: a list of booleans."""
    found = [False] * len(preds)
    T = CI.TypeKind
    todo = [(t, 0)]
    while todo:
        t, d = todo.pop()
        if d > 20:
            continue
        t = t.get_canonical()
        for i, p in enumerate(preds):
            if not found[i] and p(t):
                found[i] = True
        if all(found):
            break
        k = t.kind
        if k == T.POINTER:
            todo.append((t.get_pointee(), d + 1))
        elif k in ARRAY_KINDS:
            todo.append((t.element_type, d + 1))
        elif k == T.FUNCTIONPROTO:
            todo.append((t.get_result(), d + 1))
            todo.extend((a, d + 1) for a in t.argument_types())
        elif k == T.FUNCTIONNOPROTO:
            todo.append((t.get_result(), d + 1))
    return found


def is_volatile(t):
    return t.is_volatile_qualified()


def is_vla(t):
    return t.kind == CI.TypeKind.VARIABLEARRAY


def is_foreign_ptr_union(t):
    """A union declared outside kernel/ (kernel/'s own are checked where
    they are declared) with a pointer member."""
    if t.kind != CI.TypeKind.RECORD:
        return False
    d = t.get_declaration()
    if d.kind != CI.CursorKind.UNION_DECL or d.location.file is None:
        return False
    return not CFG.is_kernel(d.location.file.name) and layout(t).holds_ptr()


def desugar(t):
    """Look through typedefs and elaborated names (keeping the sugar of
    the types inside, unlike get_canonical())."""
    T = CI.TypeKind
    for _ in range(20):
        if t.kind == T.ELABORATED:
            t = t.get_named_type()
        elif t.kind == T.TYPEDEF:
            t = t.get_declaration().underlying_typedef_type
        else:
            break
    return t


def writer_params(proto):
    """A byte writer's destinations: the void * (not const) parameters that
    a size_t parameter follows with no other pointer parameter between them
    (dst and n of copy_from_user(dst, ua, n), buf and len of frame_read(f,
    off, buf, len)).  Derived from the prototype, so every such function of
    frame's (copy_from_user, frame_read, segment_read, dma_coherent_read,
    user_fpu_save, ...) and of kernel/'s is one; a callback's context
    (sink(void *arg, const char *s, size_t n)) is not, since the length
    belongs to s.  Returns their indices."""
    key = proto.spelling   # typedef names kept: "int (void *, uaddr_t, size_t)"
    out = _writer_cache.get(key)
    if out is not None:
        return out
    T = CI.TypeKind
    out = []
    _writer_cache[key] = out
    cand = None
    for i, a in enumerate(proto.argument_types()):
        c = a.get_canonical()
        if c.kind == T.POINTER:
            p = c.get_pointee()
            cand = i if p.kind == T.VOID and not p.is_const_qualified() else None
        elif cand is not None and 'size_t' in sugar_names(a):
            out.append(cand)
            cand = None
    return out


def sugar_names(t, depth=0):
    """Typedef names a type is written with (uaddr_t through typedef chains)."""
    names = []
    while t is not None and depth < 20:
        depth += 1
        k = t.kind
        if k == CI.TypeKind.ELABORATED:
            t = t.get_named_type()
            continue
        if k == CI.TypeKind.TYPEDEF:
            d = t.get_declaration()
            names.append(d.spelling)
            t = d.underlying_typedef_type
            continue
        break
    return names


class Layout:
    """Where the pointers of a type are: `slots` is the set of bit offsets of
    pointer-sized pointer members; `opaque` means the type is incomplete (a
    frame handle) and its content is unknown."""
    __slots__ = ('slots', 'bits', 'opaque', 'bytes_like', 'void', 'func')

    def __init__(self):
        self.slots = set()
        self.bits = 0
        self.opaque = False
        self.bytes_like = False
        self.void = False
        self.func = False

    def holds_ptr(self):
        return bool(self.slots) or self.opaque


_layout_cache = {}
_writer_cache = {}       # function type spelling -> writer_params()
_type_flags_cache = {}   # canonical spelling -> (volatile, vla, union with pointers) in one TU
_token_cache = {}   # (file, mtime, size) -> (tokens, findings): headers are scanned once per process


def layout(t):
    t = t.get_canonical()
    key = t.spelling
    lay = _layout_cache.get(key)
    if lay is not None:
        return lay
    lay = Layout()
    _layout_cache[key] = lay
    T = CI.TypeKind
    k = t.kind
    size = t.get_size()
    lay.bits = size * 8 if size > 0 else 0
    if k == T.VOID:
        lay.void = True
    elif k in (T.FUNCTIONPROTO, T.FUNCTIONNOPROTO):
        lay.func = True
    elif k == T.POINTER or k == T.BLOCKPOINTER:
        lay.slots.add(0)
    elif k in CHAR_KINDS:
        lay.bytes_like = True
    elif k in ARRAY_KINDS:
        el = layout(t.element_type)
        lay.opaque = el.opaque
        lay.bytes_like = el.bytes_like
        # The layout repeats: one element says where the pointers are.
        lay.slots = set(el.slots)
        if k != T.CONSTANTARRAY:
            lay.bits = el.bits
    elif k == T.RECORD:
        if size < 0:
            lay.opaque = True
        else:
            for f in t.get_fields():
                off = f.get_field_offsetof()
                if off < 0:
                    continue
                sub = layout(f.type)
                if sub.opaque:
                    lay.opaque = True
                lay.slots.update(off + s for s in sub.slots)
    return lay


def layout_compatible(a, b):
    """Pointer slots of two layouts agree where both have bytes."""
    lim = min(a.bits, b.bits) if a.bits and b.bits else max(a.bits, b.bits)
    sa = {s for s in a.slots if s < lim}
    sb = {s for s in b.slots if s < lim}
    return sa == sb


# ---------------------------------------------------------------------------
# One translation unit.

class TUCheck:
    def __init__(self, path):
        self.path = path
        self.findings = []
        self.kernel_files = set()
        self.tokens = {}          # file -> list of tokens (spelling, kind, line, offset)
        self.tok_at = {}          # file -> {offset: spelling}
        self.expansions = {}      # (file, offset) -> macro definition file
        self.exp_names = {}       # (file, offset) -> macro name
        self.macro_defs = {}      # name -> (file, cursor)
        self.seen = set()
        self.callees = set()      # hashes of the callee expressions of calls
        self.rebound = {}         # function hash -> hashes of its parameters assigned to
        self.ptr_int = False      # the file converts pointers to integers (PtrIntFlow)

    def add(self, fname, line, rule, msg):
        key = (fname, line, rule)
        if key in self.seen:
            return
        self.seen.add(key)
        self.findings.append((fname, line, rule, msg))

    # Where a node really comes from: its file location is the spelling of a
    # macro argument, or the start of the outermost macro expansion for the
    # tokens of a macro body.
    def file_loc(self, loc):
        f = CI.c_object_p()
        l, c, o = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        LIB.clang_getFileLocation(loc, ctypes.byref(f), ctypes.byref(l), ctypes.byref(c), ctypes.byref(o))
        if not f:
            return None, 0, 0
        return CI.File(f).name, l.value, o.value

    def trusted(self, cursor):
        """The node comes from the body of a macro frame exports (or the
        compiler's freestanding headers define, like NULL)."""
        fname, _, off = self.file_loc(cursor.location)
        if fname is None:
            return True
        if not CFG.is_kernel(fname):
            return True
        d = self.expansions.get((fname, off))
        return d is not None and CFG.is_trusted_macro_file(d)

    def where(self, cursor):
        loc = cursor.location
        fname, line, _ = self.file_loc(loc)
        if fname is None or not CFG.is_kernel(fname):
            return loc.file.name if loc.file else self.path, loc.line
        return fname, line

    def flag(self, cursor, rule, msg):
        f, l = self.where(cursor)
        self.add(f, l, rule, msg)

    def eval_int(self, cursor):
        r = LIB.clang_Cursor_Evaluate(cursor)
        if not r:
            return None
        try:
            if LIB.clang_EvalResult_getKind(r) == 1:  # CXEval_Int
                return LIB.clang_EvalResult_getAsLongLong(r)
            return None
        finally:
            LIB.clang_EvalResult_dispose(r)

    # -- parsing ------------------------------------------------------------
    def run(self, index):
        _layout_cache.clear()  # record names mean different things in different files
        _type_flags_cache.clear()
        _writer_cache.clear()   # size_t or a pointer type may be a kernel typedef of another file
        try:
            tu = index.parse(self.path, CFG.args,
                             options=CI.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD)
        except CI.TranslationUnitLoadError as e:
            self.add(self.path, 1, 'parse-error', 'libclang cannot parse this file: %s' % e)
            return self
        self.tu = tu
        self.diagnostics(tu)
        top = []
        K = CI.CursorKind
        for ch in tu.cursor.get_children():
            f = ch.location.file
            if f is None:
                continue
            fname = f.name
            k = ch.kind
            if k == K.MACRO_DEFINITION:
                self.macro_defs.setdefault(ch.spelling, (fname, ch))
                if CFG.is_kernel(fname):
                    self.kernel_files.add(fname)
                    self.check_name(ch, ch.spelling)
                continue
            if not CFG.is_kernel(fname):
                continue
            self.kernel_files.add(fname)
            if k == K.MACRO_INSTANTIATION:
                ref = ch.referenced
                dfile = ref.location.file.name if ref is not None and ref.location.file else None
                key = (fname, ch.location.offset)
                self.expansions[key] = dfile
                self.exp_names[key] = ch.spelling
                continue
            if k == K.INCLUSION_DIRECTIVE:
                self.check_include(ch)
                continue
            top.append(ch)
        self.kernel_files.add(tu.spelling)
        for inc in tu.get_includes():
            if inc.include is not None and CFG.is_kernel(inc.include.name):
                self.kernel_files.add(inc.include.name)
        for fname in sorted(self.kernel_files):
            self.scan_tokens(tu, fname)
        for ch in top:
            self.walk(ch)
        if self.ptr_int:
            PtrIntFlow(self).run(top)
        return self

    def diagnostics(self, tu):
        for d in tu.diagnostics:
            if d.severity < CI.Diagnostic.Error:
                continue
            loc = d.location
            fname = loc.file.name if loc.file else None
            m = re.match(r"'(.*)' file not found", d.spelling)
            if m and fname and CFG.is_kernel(fname):
                self.add(fname, loc.line, 'includes',
                         '#include of %s: not found with the kernel flags; only <aster/...>, '
                         'kernel/ headers and <%s> are available' % (m.group(1), '>, <'.join(
                             sorted(FREESTANDING_HEADERS))))
                continue
            m = re.search(r'"(container_of: .*)"', d.spelling)
            if m and fname and CFG.is_kernel(fname):
                # The type check in <aster/types.h>'s container_of.
                self.add(fname, loc.line, 'no-type-pun', '%s: container_of on a member of another type '
                         'reinterprets the object as the containing struct' % m.group(1))
                continue
            if fname and CFG.is_kernel(fname):
                self.add(fname, loc.line, 'parse-error', 'does not parse: %s' % d.spelling)
            else:
                self.add(self.path, 1, 'parse-error', 'does not parse: %s:%s: %s' % (
                    fname or '<command line>', loc.line, d.spelling))

    def check_include(self, cur):
        try:
            inc = cur.get_included_file()
        except AssertionError:  # the bindings assert on a missing file
            inc = None
        fname = cur.location.file.name
        if inc is None:
            return  # reported from the diagnostics
        target = os.path.realpath(inc.name)
        if under(target, CFG.public):
            return
        if CFG.is_kernel(target):
            owner = private_owner(target)
            if owner and not under(os.path.realpath(fname), owner):
                self.add(fname, cur.location.line, 'includes',
                         '"%s" is private to %s/: include that subsystem\'s public header'
                         % (os.path.relpath(target, CFG.srcdir), os.path.relpath(owner, CFG.srcdir)))
            return
        base = os.path.basename(target)
        if CFG.isystem and under(target, CFG.isystem):
            if base in FREESTANDING_HEADERS and os.path.dirname(target) == CFG.isystem:
                return
            self.add(fname, cur.location.line, 'includes',
                     'compiler header <%s>: only <%s> are allowed' % (
                         cur.spelling, '>, <'.join(sorted(FREESTANDING_HEADERS))))
            return
        if under(target, CFG.frame):
            self.add(fname, cur.location.line, 'includes',
                     '"%s" is private to frame/: kernel/ may include only frame/include/aster/*.h'
                     % os.path.relpath(target, CFG.srcdir))
            return
        self.add(fname, cur.location.line, 'includes',
                 '%s is outside kernel/ and frame/include/aster/' % inc.name)

    # -- tokens -------------------------------------------------------------
    def scan_tokens(self, tu, fname):
        try:
            st = os.stat(fname)
        except OSError:
            return
        size = st.st_size
        key = (fname, st.st_mtime_ns, size)
        cached = _token_cache.get(key)
        if cached is not None:
            toks, found = cached
            self.tokens[fname] = toks
            self.tok_at[fname] = {o: s for s, _, _, o in toks}
            for f in found:
                self.add(*f)
            return
        before = len(self.findings)
        self._scan_tokens(tu, fname, size)
        _token_cache[key] = (self.tokens.get(fname, []), [f for f in self.findings[before:] if f[0] == fname])

    def _scan_tokens(self, tu, fname, size):
        f = tu.get_file(fname)
        ext = CI.SourceRange.from_locations(CI.SourceLocation.from_offset(tu, f, 0),
                                            CI.SourceLocation.from_offset(tu, f, size))
        TK = CI.TokenKind
        toks = [(t.spelling, t.kind, t.location.line, t.location.offset)
                for t in tu.get_tokens(extent=ext) if t.kind != TK.COMMENT]
        self.tokens[fname] = toks
        self.tok_at[fname] = {o: s for s, _, _, o in toks}
        prev_line = 0
        i, n = 0, len(toks)
        while i < n:
            s, kind, line, _ = toks[i]
            if s == '#' and line != prev_line and i + 1 < n and toks[i + 1][0] == 'pragma':
                words = [t[0] for t in toks[i + 2:i + 4] if t[2] == line]
                self.check_pragma(fname, line, words)
            elif s == '_Pragma' and i + 2 < n and toks[i + 2][1] == TK.LITERAL:
                lit = toks[i + 2][0]
                words = re.findall(r'[A-Za-z_]\w*', lit)
                self.check_pragma(fname, line, words[:2])
            elif kind in (TK.IDENTIFIER, TK.KEYWORD):
                if s in ASM_KEYWORDS:
                    self.add(fname, line, 'no-asm', '%s: assembly belongs to frame/' % s)
                elif s in VOLATILE_KEYWORDS:
                    self.add(fname, line, 'no-volatile',
                             '%s: device and shared memory are reached through frame APIs '
                             '(<aster/io.h>, <aster/sync.h>)' % s)
                elif s in ('__attribute__', '__attribute'):
                    for name in self.attr_names(toks, i):
                        if norm_attr(name[0]) in FORBIDDEN_ATTRS:
                            self.add(fname, name[1], 'no-placement-attr',
                                     "__attribute__((%s)): placement, linkage and calling-convention "
                                     "attributes come only from frame macros (BOOT_PARAM, KTEST)"
                                     % norm_attr(name[0]))
                else:
                    r = builtin_rule(s)
                    if r:
                        self.add(fname, line, r[0], r[1])
            prev_line = line
            i += 1

    @staticmethod
    def attr_names(toks, i):
        """Names in __attribute__((a, b(x), c)) starting at toks[i]."""
        names = []
        j = i + 1
        n = len(toks)
        if j >= n or toks[j][0] != '(':
            return names
        depth = 0
        expect = False
        while j < n:
            s = toks[j][0]
            if s == '(':
                depth += 1
                if depth == 2:
                    expect = True
            elif s == ')':
                depth -= 1
                if depth == 0:
                    break
            elif depth == 2 and s == ',':
                expect = True
            elif depth == 2 and expect:
                names.append((s, toks[j][2]))
                expect = False
            j += 1
        return names

    def check_pragma(self, fname, line, words):
        if not words:
            return
        if words[0] in FORBIDDEN_PRAGMAS or tuple(words[:2]) in FORBIDDEN_PRAGMA2:
            self.add(fname, line, 'no-placement-attr',
                     '#pragma %s: pragmas that change symbols, sections or code generation are '
                     "frame's business" % ' '.join(words[:2]))

    def macro_attr_verdict(self, name, depth=0, seen=None):
        """What the attributes produced by kernel macro `name` are: 'ok',
        'reported' (a forbidden name is spelled in a kernel macro body, which
        the token scan flags there), or 'unknown'."""
        seen = seen or set()
        if name in seen or depth > 10:
            return 'unknown'
        seen.add(name)
        ent = self.macro_defs.get(name)
        if ent is None:
            return 'unknown'
        dfile, cur = ent
        if CFG.is_trusted_macro_file(dfile):
            return 'ok'
        if not CFG.is_kernel(dfile):
            return 'unknown'
        toks = [t.spelling for t in cur.get_tokens()]
        if '##' in toks:
            return 'unknown'
        verdict = 'ok'
        found_attr = False
        for idx, s in enumerate(toks):
            if s in ('__attribute__', '__attribute'):
                found_attr = True
                fake = [(t, None, 0, 0) for t in toks]
                for nm, _ in self.attr_names(fake, idx):
                    if norm_attr(nm) in FORBIDDEN_ATTRS:
                        verdict = 'reported'
        if found_attr:
            return verdict
        # No attribute spelled here: it comes from another macro this one
        # uses.  Kernel macros that produce no attribute at all (constants)
        # do not decide; every one that does must be frame's or clean.
        for s in toks[1:]:
            if s in self.macro_defs and s != name:
                v = self.macro_attr_verdict(s, depth + 1, seen)
                if v == 'none':
                    continue
                if v != 'ok':
                    return v
                found_attr = True
        if found_attr:
            return 'ok'
        return 'none' if depth > 0 and CFG.is_kernel(dfile) else 'unknown'

    def check_attr(self, cur):
        K = CI.CursorKind
        if cur.kind == K.ASM_LABEL_ATTR:
            if not self.trusted(cur):
                self.flag(cur, 'no-asm', 'asm label "%s": symbol names and registers are chosen by frame/'
                          % cur.spelling)
            return
        if cur.kind not in (K.UNEXPOSED_ATTR, K.VISIBILITY_ATTR, K.DLLEXPORT_ATTR, K.DLLIMPORT_ATTR):
            return
        if self.trusted(cur):
            return
        fname, line, off = self.file_loc(cur.extent.start)
        if fname is None or not CFG.is_kernel(fname):
            return
        if cur.kind != K.UNEXPOSED_ATTR:
            self.add(fname, line, 'no-placement-attr', 'visibility/linkage attribute')
            return
        tok = self.tok_at.get(fname, {}).get(off)
        if tok is None:
            return
        if (fname, off) in self.expansions:
            v = self.macro_attr_verdict(self.exp_names[(fname, off)])
            if v == 'unknown':
                self.add(fname, line, 'no-placement-attr',
                         'attribute produced by macro %s, which the checker cannot see through; '
                         'spell attributes out or use a frame macro' % tok)
            return
        # Spelled out: the token scan judged its name.

    # -- the AST ------------------------------------------------------------
    def walk(self, root):
        K = CI.CursorKind
        stack = [(root, None)]
        decl_kinds = (K.VAR_DECL, K.FIELD_DECL, K.PARM_DECL, K.FUNCTION_DECL)
        while stack:
            cur, func = stack.pop()
            k = cur.kind
            children = list(cur.get_children())
            if k == K.FUNCTION_DECL:
                func = cur
            stack.extend((c, func) for c in reversed(children))
            if k.is_attribute():
                self.check_attr(cur)
                continue
            if k in decl_kinds or k == K.TYPEDEF_DECL:
                t = cur.underlying_typedef_type if k == K.TYPEDEF_DECL else cur.type
                self.check_type(cur, t, 'declaration of %s' % (cur.spelling or 'an unnamed object'))
                if k != K.PARM_DECL and k != K.TYPEDEF_DECL:
                    self.check_name(cur, cur.spelling)
                continue
            if k == K.CSTYLE_CAST_EXPR:
                self.check_type(cur, cur.type, 'cast')
                self.check_cast(cur, children)
                self.note_ptr_int(cur, children)
                continue
            if k == K.COMPOUND_LITERAL_EXPR:
                self.check_type(cur, cur.type, 'compound literal')
                continue
            if k == K.UNEXPOSED_EXPR:
                self.check_implicit(cur, children)
                continue
            if k in (K.DECL_REF_EXPR, K.MEMBER_REF_EXPR):
                self.check_name(cur, cur.spelling)
                if k == K.DECL_REF_EXPR:
                    self.check_fn_value(cur)
                continue
            if k == K.CALL_EXPR:
                self.check_call(cur, children, func)
                continue
            if k in (K.ASM_STMT, K.MS_ASM_STMT):
                if not self.trusted(cur):
                    self.flag(cur, 'no-asm', 'asm statement: assembly belongs to frame/')
                continue
            if k == K.UNEXPOSED_DECL and cur.semantic_parent.kind == K.TRANSLATION_UNIT:
                toks = [t.spelling for t in cur.get_tokens()]
                if toks and toks != [';'] and not self.trusted(cur):
                    self.flag(cur, 'no-asm', 'file-scope declaration the checker cannot see into '
                              '(top-level asm?)')
                continue
            if k == K.UNION_DECL:
                self.check_union(cur)
                continue
            if k == K.ARRAY_SUBSCRIPT_EXPR and children:
                if self.is_null_ptr(children[0]) and not self.trusted(cur):
                    self.flag(cur, 'no-int-to-ptr', 'indexing a null pointer forges an address')
                continue
            if k == K.BINARY_OPERATOR and len(children) == 2:
                self.check_null_arith(cur, children)
                continue

    def note_ptr_int(self, cur, children):
        """Whether PtrIntFlow has anything to follow in this file: a pointer
        converted to an integer, or viewed as bytes."""
        if self.ptr_int:
            return
        ops = [c for c in children if c.kind != CI.CursorKind.TYPE_REF]
        if len(ops) != 1:
            return
        T = CI.TypeKind
        t = cur.type.get_canonical()
        s = ops[0].type.get_canonical()
        if s.kind != T.POINTER:
            return
        if t.kind in INT_KINDS and t.kind != T.BOOL:
            self.ptr_int = True
        elif t.kind == T.POINTER:
            a, b = layout(s.get_pointee()), layout(t.get_pointee())
            if a.holds_ptr() and not (b.holds_ptr() or b.void or b.func) and not self.trusted(cur):
                self.ptr_int = True   # container_of's (char *) is frame's, not a view

    def type_flags(self, t):
        key = t.get_canonical().spelling
        r = _type_flags_cache.get(key)
        if r is None:
            r = tuple(type_scan(t, (is_volatile, is_vla, is_foreign_ptr_union)))
            _type_flags_cache[key] = r
        return r

    def check_type(self, cur, t, what):
        vol, vla, pun = self.type_flags(t)
        if not (vol or vla or pun) or self.trusted(cur):
            return
        if vol:
            self.flag(cur, 'no-volatile', '%s has volatile type %s' % (what, t.spelling))
        if vla:
            self.flag(cur, 'no-vla', '%s has variable-length array type %s' % (what, t.spelling))
        if pun:
            self.flag(cur, 'no-type-pun', '%s uses a union with a pointer member (%s): one member '
                      'can be read as another' % (what, t.spelling))

    def check_name(self, cur, name):
        if not name:
            return
        if name in HW_NAMES:
            if not self.trusted(cur):
                self.flag(cur, 'no-hw-access',
                          '%s: port I/O, MSRs, control registers, physical addresses and MMIO are '
                          'reached only through frame handles (<aster/io.h>, <aster/vm_space.h>)' % name)
            return
        r = builtin_rule(name)
        if r and not self.trusted(cur):
            self.flag(cur, r[0], r[1])

    @staticmethod
    def strip(cur):
        """Look through parentheses and implicit conversions."""
        K = CI.CursorKind
        while cur.kind in (K.PAREN_EXPR, K.UNEXPOSED_EXPR):
            ch = [c for c in cur.get_children()]
            if len(ch) != 1:
                break
            cur = ch[0]
        return cur

    def is_null_ptr(self, cur):
        """A null pointer constant, possibly cast: (T *)0, NULL."""
        K = CI.CursorKind
        c = self.strip(cur)
        for _ in range(10):
            if c.kind != K.CSTYLE_CAST_EXPR:
                break
            ops = [x for x in c.get_children() if x.kind != K.TYPE_REF]
            if not ops:
                return False
            c = self.strip(ops[-1])
        return c.type.get_canonical().kind in INT_KINDS and self.eval_int(c) == 0

    def pointer_source(self, cur):
        """The pointee type behind a pointer expression, looking through
        parentheses, implicit conversions and casts between pointers."""
        K = CI.CursorKind
        T = CI.TypeKind
        best = None
        c = cur
        for _ in range(20):
            t = c.type.get_canonical()
            if t.kind == T.POINTER:
                best = t.get_pointee()
            elif t.kind in ARRAY_KINDS:
                best = t.element_type
            if c.kind in (K.PAREN_EXPR, K.UNEXPOSED_EXPR, K.CSTYLE_CAST_EXPR):
                ops = [x for x in c.get_children() if x.kind != K.TYPE_REF]
                if len(ops) != 1:
                    break
                nt = ops[0].type.get_canonical()
                if nt.kind not in (T.POINTER,) and nt.kind not in ARRAY_KINDS:
                    break
                c = ops[0]
                continue
            break
        return best

    def check_cast(self, cur, children):
        if self.trusted(cur):
            return
        T = CI.TypeKind
        K = CI.CursorKind
        ops = [c for c in children if c.kind != K.TYPE_REF]
        if not ops:
            return
        op = ops[-1]
        dst = cur.type.get_canonical()
        src = op.type.get_canonical()
        if dst.kind != T.POINTER:
            return
        if src.kind in INT_KINDS:
            if self.eval_int(op) == 0:
                return  # a null pointer constant
            if self.mentions_uaddr(op):
                self.flag(cur, 'no-int-to-ptr',
                          'cast of a user address (uaddr_t) to %s: user memory is reached only with '
                          'copy_from_user()/copy_to_user() (<aster/uaccess.h>)' % cur.type.spelling)
            else:
                self.flag(cur, 'no-int-to-ptr', 'cast from integer type %s to pointer type %s'
                          % (op.type.spelling, cur.type.spelling))
            return
        if src.kind not in (T.POINTER,) and src.kind not in ARRAY_KINDS:
            return
        a_t = self.pointer_source(op)
        b_t = dst.get_pointee()
        if a_t is None:
            return
        self.check_reinterpret(cur, a_t, b_t, 'cast to %s of a pointer to %s' % (
            cur.type.spelling, a_t.spelling))

    def mentions_uaddr(self, cur):
        """A user address (a value of a type written uaddr_t) feeds this expression."""
        for c in cur.walk_preorder():
            if 'uaddr_t' in sugar_names(c.type):
                return True
        return False

    def check_reinterpret(self, cur, a_t, b_t, what):
        a, b = layout(a_t), layout(b_t)
        if a.void or b.void:
            return
        if b.func or a.func:
            if a.func and b.func:
                return
            self.flag(cur, 'no-type-pun', '%s: data and code pointers do not convert' % what)
            return
        same = a_t.get_canonical().spelling.replace('const ', '') == \
            b_t.get_canonical().spelling.replace('const ', '')
        if same:
            return
        ak, bk = a_t.get_canonical().kind, b_t.get_canonical().kind
        if ak == CI.TypeKind.RECORD and bk == CI.TypeKind.RECORD:
            # Layouts that agree today are a coincidence, not a type: the
            # fields mean other things, and the next edit of either breaks it.
            self.flag(cur, 'no-type-pun', '%s: a cast between different struct types reinterprets one '
                      'object as another (use &p->member for a member, container_of() for the '
                      'containing struct)' % what)
            return
        b_const = b_t.get_canonical().is_const_qualified()
        if b.holds_ptr():
            if a.bytes_like or a.opaque or b.opaque or not layout_compatible(a, b):
                self.flag(cur, 'no-type-pun', '%s: reads pointers from memory that holds other data'
                          % what)
            return
        if a.holds_ptr() and not b_const:
            self.flag(cur, 'no-type-pun', '%s: writable view of memory that holds pointers '
                      '(a const view is allowed)' % what)

    def check_implicit(self, cur, children):
        if len(children) != 1:
            return
        t = cur.type.get_canonical()
        if t.kind != CI.TypeKind.POINTER:
            return
        s = children[0].type.get_canonical()
        if s.kind == CI.TypeKind.POINTER and s.get_pointee().kind == CI.TypeKind.VOID and \
                t.get_pointee().kind != CI.TypeKind.VOID:
            # From void * to a typed pointer: judge what the void * was made
            # from in this expression ((void *)&other laundering); a void *
            # variable or a function's result (kmalloc) is taken as it is.
            a_t = self.pointer_source(children[0])
            if a_t is not None and a_t.get_canonical().kind != CI.TypeKind.VOID and not self.trusted(cur):
                self.check_reinterpret(cur, a_t, t.get_pointee(), 'conversion to %s of a pointer to %s'
                                       % (cur.type.spelling, a_t.spelling))
                a, b = layout(a_t), layout(t.get_pointee())
                if a.holds_ptr() and not (b.holds_ptr() or b.func):
                    self.ptr_int = True   # a byte view made through void *
            return
        if s.kind not in INT_KINDS:
            return
        if self.eval_int(children[0]) == 0 or self.trusted(cur):
            return
        self.flag(cur, 'no-int-to-ptr', 'implicit conversion from %s to pointer type %s'
                  % (children[0].type.spelling, cur.type.spelling))

    def check_null_arith(self, cur, children):
        T = CI.TypeKind
        if cur.type.get_canonical().kind != T.POINTER:
            return
        lhs, rhs = children
        if not (self.is_null_ptr(lhs) or self.is_null_ptr(rhs)):
            return
        # Which operator: the first token after the left operand.
        lend = lhs.extent.end.offset
        op = None
        for t in cur.get_tokens():
            if t.location.offset >= lend:
                op = t.spelling
                break
        if op in ('+', '-', '+=', '-=') and not self.trusted(cur):
            self.flag(cur, 'no-int-to-ptr', 'arithmetic on a null pointer forges an address')

    def check_call(self, cur, children, func):
        name = cur.spelling
        ref = cur.referenced
        direct = ref is not None and ref.kind == CI.CursorKind.FUNCTION_DECL
        if name in HW_NAMES or builtin_rule(name):
            self.check_name(cur, name)
            return
        if children:
            self.callees.add(self.strip_callee(children[0]).hash)
        if self.trusted(cur):
            return
        args = list(cur.get_arguments())
        if direct and (name in COPY_FUNCS or name in SET_FUNCS):
            self.check_mem(cur, name, args, func)
            return
        proto = self.callee_proto(children[0]) if children else None
        if proto is None or (direct and name in NOT_WRITERS):
            return
        what = name if direct else 'call through a function pointer'
        for i in writer_params(proto):
            if i < len(args):
                self.check_writer_dst(cur, what, args[i], func)

    def check_mem(self, cur, name, args, func):
        if len(args) < 2:
            return
        d_t, unknown = self.dest_type(args[0], func)
        if name in COPY_FUNCS and not self.ptr_int:
            # Bytes of pointers copied into plain data: PtrIntFlow follows them.
            s_t = self.pointer_source(args[1])
            self.ptr_int = s_t is not None and layout(s_t).holds_ptr() and \
                not (d_t is not None and layout(d_t).holds_ptr())
        if name in SET_FUNCS:
            if self.eval_int(args[1]) == 0:
                return  # zeroing makes null pointers, whatever the type
            if unknown:
                self.flag(cur, 'no-type-pun', '%s into void * %s with a value other than 0: the '
                          'checker cannot see what it points to; use a typed pointer' % (name, unknown))
            elif d_t is not None and layout(d_t).holds_ptr():
                self.flag(cur, 'no-type-pun', '%s of an object holding pointers with a value other '
                          'than 0 forges pointers' % name)
            return
        if unknown:
            self.flag(cur, 'no-type-pun', '%s into void * %s: the checker cannot see whether it '
                      'points to pointers; use a typed pointer' % (name, unknown))
            return
        if d_t is None:
            return
        d = layout(d_t)
        if not d.holds_ptr():
            return
        s_t = self.pointer_source(args[1])
        if s_t is None:
            self.flag(cur, 'no-type-pun', '%s into %s (holds pointers) from a source of unknown type'
                      % (name, d_t.spelling))
            return
        s = layout(s_t)
        same = d_t.get_canonical().spelling.replace('const ', '') == \
            s_t.get_canonical().spelling.replace('const ', '')
        if same:
            return
        if s.void or s.bytes_like or s.opaque or d.opaque or not s.holds_ptr() or \
                not layout_compatible(d, s):
            self.flag(cur, 'no-type-pun', '%s into %s (holds pointers) from %s: copies bytes into '
                      'pointers; assign typed objects instead' % (name, d_t.spelling, s_t.spelling))

    def check_writer_dst(self, cur, what, arg, func):
        """A byte writer (a void * destination and a size_t length) may write
        only into objects that hold no pointers."""
        d_t, unknown = self.dest_type(arg, func)
        if unknown:
            self.flag(cur, 'no-type-pun', '%s writes bytes through void * %s: the checker cannot '
                      'see whether it points to pointers; pass a typed pointer' % (what, unknown))
            return
        if d_t is not None and layout(d_t).holds_ptr():
            self.flag(cur, 'no-type-pun', '%s writes bytes into %s, which holds pointers: copy into a '
                      'plain-data struct and assign the fields' % (what, d_t.spelling))

    def check_fn_value(self, cur):
        """memcpy, memmove and memset are checked call by call, by name; taken
        as a value (a function pointer), they would escape that check."""
        name = cur.spelling
        if name not in COPY_FUNCS and name not in SET_FUNCS:
            return
        ref = cur.referenced
        if ref is None or ref.kind != CI.CursorKind.FUNCTION_DECL or cur.hash in self.callees:
            return
        if not self.trusted(cur):
            self.flag(cur, 'no-type-pun', '%s taken as a function pointer: its calls would escape the '
                      'checks on its destination; call it directly' % name)

    @staticmethod
    def strip_callee(cur):
        K = CI.CursorKind
        for _ in range(10):
            if cur.kind not in (K.PAREN_EXPR, K.UNEXPOSED_EXPR, K.UNARY_OPERATOR):
                break
            ch = list(cur.get_children())
            if len(ch) != 1:
                break
            cur = ch[0]
        return cur

    @staticmethod
    def callee_proto(callee):
        T = CI.TypeKind
        t = desugar(callee.type)
        if t.kind == T.POINTER:
            t = desugar(t.get_pointee())
        return t if t.kind == T.FUNCTIONPROTO else None

    def param_rebound(self, func, parm):
        """The parameter is assigned to (dst = &x, dst += n, dst++) or its
        address is taken in the function: then it no longer holds what the
        callers passed, which is what they were checked for."""
        K = CI.CursorKind
        cache = self.rebound.get(func.hash)
        if cache is None:
            cache = set()
            for c in func.walk_preorder():
                if c.kind not in (K.BINARY_OPERATOR, K.COMPOUND_ASSIGNMENT_OPERATOR, K.UNARY_OPERATOR):
                    continue
                ch = list(c.get_children())
                if not ch:
                    continue
                lhs = self.strip(ch[0])
                if lhs.kind != K.DECL_REF_EXPR or lhs.referenced is None or \
                        lhs.referenced.kind != K.PARM_DECL:
                    continue
                if c.kind == K.BINARY_OPERATOR and self.binop(c, ch[0]) != '=':
                    continue
                if c.kind == K.UNARY_OPERATOR and self.first_token(c) not in ('&', '++', '--') and \
                        self.last_token(c) not in ('++', '--'):
                    continue
                cache.add(lhs.referenced.hash)
            self.rebound[func.hash] = cache
        return parm.hash in cache

    def binop(self, c, lhs):
        """The spelling of a binary operator: the first token after lhs."""
        end = lhs.extent.end.offset
        for t in c.get_tokens():
            if t.location.offset >= end:
                return t.spelling
        return ''

    @staticmethod
    def first_token(c):
        for t in c.get_tokens():
            return t.spelling
        return ''

    @staticmethod
    def last_token(c):
        r = ''
        for t in c.get_tokens():
            r = t.spelling
        return r

    def dest_type(self, arg, func):
        """What a destination pointer really points to.  Returns (type,
        unknown): type is the pointee of the innermost pointer the
        expression is built from (through casts, parentheses, pointer
        arithmetic and &a[i]), or the first one in the chain that holds
        pointers; unknown names the void * it comes from when that is all
        the checker can see (a void * variable, field or function result),
        except a byte writer's own void * parameter: its callers are
        checked."""
        K = CI.CursorKind
        T = CI.TypeKind
        if self.is_null_ptr(arg):
            return None, None
        c = arg
        chain = []
        for _ in range(30):
            t = c.type.get_canonical()
            if t.kind == T.POINTER:
                chain.append(t.get_pointee())
            elif t.kind in ARRAY_KINDS:
                chain.append(t.element_type)
            ch = [x for x in c.get_children() if x.kind != K.TYPE_REF]
            if c.kind in (K.PAREN_EXPR, K.UNEXPOSED_EXPR, K.CSTYLE_CAST_EXPR) and len(ch) == 1:
                nt = ch[0].type.get_canonical()
                if nt.kind != T.POINTER and nt.kind not in ARRAY_KINDS:
                    break
                c = ch[0]
                continue
            if c.kind in (K.BINARY_OPERATOR, K.COMPOUND_ASSIGNMENT_OPERATOR) and len(ch) == 2:
                ptrs = [x for x in ch if x.type.get_canonical().kind == T.POINTER or
                        x.type.get_canonical().kind in ARRAY_KINDS]
                if len(ptrs) != 1:
                    break
                c = ptrs[0]
                continue
            if c.kind == K.UNARY_OPERATOR and len(ch) == 1 and \
                    self.strip(ch[0]).kind == K.ARRAY_SUBSCRIPT_EXPR:
                sub = [x for x in self.strip(ch[0]).get_children()]
                ptrs = [x for x in sub if x.type.get_canonical().kind == T.POINTER or
                        x.type.get_canonical().kind in ARRAY_KINDS]
                if len(ptrs) != 1:
                    break
                c = ptrs[0]
                continue
            break
        if not chain:
            return None, None
        for p in chain:
            if layout(p).holds_ptr():
                return p, None
        inner = chain[-1]
        if inner.get_canonical().kind != T.VOID:
            return inner, None
        if c.kind == K.DECL_REF_EXPR and func is not None:
            ref = c.referenced
            if ref is not None and ref.kind == K.PARM_DECL:
                params = [a for a in func.get_children() if a.kind == K.PARM_DECL]
                proto = desugar(func.type)
                if proto.kind == T.FUNCTIONPROTO and ref in params and \
                        params.index(ref) in writer_params(proto) and \
                        not self.param_rebound(func, ref):
                    return None, None
        if c.kind == K.CALL_EXPR:
            return None, 'the result of %s()' % (c.spelling or 'a call')
        return None, c.spelling or c.kind.name.lower().replace('_', ' ')

    def check_union(self, cur):
        """A union with a pointer member (directly, or in a nested struct or
        array) is rejected whatever the other members are: even when the
        pointers of all members line up, one member's pointer is read as
        another type's."""
        if self.trusted(cur):
            return
        K = CI.CursorKind
        for f in cur.get_children():
            if f.kind != K.FIELD_DECL:
                continue
            lay = layout(f.type)
            if lay.holds_ptr():
                self.flag(cur, 'no-type-pun',
                          'union %s: member %s holds a pointer; a union with a pointer member lets '
                          'one member be read as another (use a struct with a tag and separate fields)'
                          % (cur.spelling or '(anonymous)', f.spelling or '(anonymous)'))
                return


# ---------------------------------------------------------------------------
# Integers made from pointers.

class PtrIntFlow:
    """Where the integers a pointer-to-integer conversion makes go, within
    one translation unit.

    A pointer-to-integer cast is allowed (hashing, printing, alignment), but
    such an integer must not come back as an offset: `&base + (addr -
    (uintptr_t)&base)` is addr as a pointer, with base's provenance.  So
    every integer value made from a pointer is followed (through variables,
    struct fields, array elements, the parameters and results of functions
    defined in the file, bytes read through a const byte view of an object
    holding pointers, and memcpy of such an object) to pointer arithmetic
    and indexing, which reject it.  Comparisons end it, and so do % and &
    with a constant of at most SMALL_RANGE: the result is a hash bucket or
    an alignment remainder, not an address.  The analysis is by declaration
    (not by program point) and stops at the file's edge: values passed to
    functions of other files, stored through a pointer (*out = v) or
    turned into text are not followed."""

    ARITH_OPS = ('+', '-')
    CMP_OPS = ('==', '!=', '<', '>', '<=', '>=', '&&', '||')

    def __init__(self, chk):
        self.chk = chk
        self.kids = {}
        self.tainted_keys = set()
        self.edges = []      # (key, expr, how): the declaration key gets expr's value
        self.assigns = []    # (binary operator, lhs, rhs): an assignment if its operator is =
        self.sinks = []      # (expr, integer operand, kind)
        self.memo = {}
        self.ops = {}
        self.offsets = {}

    @staticmethod
    def ck(c):
        """A dictionary key for a cursor (the bindings' Cursor has no __hash__)."""
        return (c._kind_id, c.xdata, c.data[0], c.data[1], c.data[2])

    def children(self, c):
        k = self.ck(c)
        r = self.kids.get(k)
        if r is None:
            r = [x for x in c.get_children() if x.kind != CI.CursorKind.TYPE_REF]
            self.kids[k] = r
        return r

    @staticmethod
    def key(decl):
        d = decl.canonical
        loc = d.location
        return (loc.file.name if loc.file else '', loc.offset, d.spelling)

    @staticmethod
    def is_int(t):
        t = t.get_canonical()
        return t.kind in INT_KINDS and t.kind != CI.TypeKind.BOOL

    @staticmethod
    def is_ptr(t):
        t = t.get_canonical()
        return t.kind == CI.TypeKind.POINTER or t.kind in ARRAY_KINDS

    def op(self, c, lhs):
        """The spelling of a binary operator (the first token after lhs)."""
        ck = self.ck(c)
        r = self.ops.get(ck)
        if r is not None:
            return r
        end = lhs.extent.end
        r = ''
        fname = end.file.name if end.file else None
        toks = self.chk.tokens.get(fname)
        if toks:
            offs = self.offsets.get(fname)
            if offs is None:
                offs = self.offsets[fname] = [x[3] for x in toks]
            i = bisect.bisect_left(offs, end.offset)
            if i < len(toks) and toks[i][3] < c.extent.end.offset:
                r = toks[i][0]
        if not r:
            for t in c.get_tokens():
                if t.location.offset >= end.offset:
                    r = t.spelling
                    break
        self.ops[ck] = r
        return r

    def first_token(self, c):
        for t in c.get_tokens():
            return t.spelling
        return ''

    def lvalue_key(self, c):
        K = CI.CursorKind
        for _ in range(20):
            k = c.kind
            if k in (K.PAREN_EXPR, K.UNEXPOSED_EXPR, K.CSTYLE_CAST_EXPR):
                ch = self.children(c)
                if len(ch) != 1:
                    return None
                c = ch[0]
            elif k in (K.DECL_REF_EXPR, K.MEMBER_REF_EXPR):
                ref = c.referenced
                return self.key(ref) if ref is not None else None
            elif k == K.ARRAY_SUBSCRIPT_EXPR:
                ch = self.children(c)
                base = [x for x in ch if self.is_ptr(x.type)]
                if len(base) != 1:
                    return None
                c = base[0]
            elif k == K.UNARY_OPERATOR:
                ch = self.children(c)   # &x as a memcpy destination
                if len(ch) != 1 or not self.is_ptr(c.type):
                    return None
                c = ch[0]
            else:
                return None
        return None

    def collect(self, roots):
        K = CI.CursorKind
        stack = [(r, None) for r in roots]
        while stack:
            c, func = stack.pop()
            k = c.kind
            ch = self.children(c)
            if k == K.FUNCTION_DECL:
                func = c
            stack.extend((x, func) for x in ch)
            if k == K.VAR_DECL:
                init = [x for x in ch if x.kind.is_expression()]
                if init:
                    self.edges.append((self.key(c), init[-1], 'value'))
            elif k == K.BINARY_OPERATOR and len(ch) == 2:
                a, b = ch
                if self.is_ptr(c.type):
                    ints = [x for x in ch if self.is_int(x.type)]
                    if len(ints) == 1:
                        self.sinks.append((c, ints[0], 'arith'))
                elif self.lvalue_key(a) is not None:
                    self.assigns.append((c, a, b))
            elif k == K.COMPOUND_ASSIGNMENT_OPERATOR and len(ch) == 2:
                a, b = ch
                if self.is_ptr(a.type):
                    if self.is_int(b.type):
                        self.sinks.append((c, b, 'compound'))
                else:
                    lk = self.lvalue_key(a)
                    if lk is not None:
                        self.edges.append((lk, b, 'value'))
            elif k == K.ARRAY_SUBSCRIPT_EXPR and len(ch) == 2:
                ints = [x for x in ch if self.is_int(x.type)]
                if len(ints) == 1:
                    self.sinks.append((c, ints[0], 'index'))
            elif k == K.CALL_EXPR:
                self.collect_call(c)
            elif k == K.RETURN_STMT and func is not None and ch:
                self.edges.append((self.key(func), ch[0], 'value'))

    def collect_call(self, c):
        K = CI.CursorKind
        ref = c.referenced
        if ref is None or ref.kind != K.FUNCTION_DECL:
            return
        args = list(c.get_arguments())
        if ref.spelling in COPY_FUNCS and len(args) >= 2:
            lk = self.lvalue_key(args[0])
            if lk is not None:
                self.edges.append((lk, args[1], 'bytes'))
            return
        d = ref.get_definition()
        if d is None or d.location.file is None or not CFG.is_kernel(d.location.file.name):
            return
        params = [x for x in d.get_children() if x.kind == K.PARM_DECL]
        for p, a in zip(params, args):
            self.edges.append((self.key(p), a, 'value'))

    def tainted(self, c, depth=0):
        ck = self.ck(c)
        r = self.memo.get(ck)
        if r is not None:
            return r
        if depth > 200:
            return False
        self.memo[ck] = False   # a cycle adds nothing
        r = self._tainted(c, depth + 1)
        self.memo[ck] = r
        return r

    def _tainted(self, c, depth):
        K = CI.CursorKind
        T = CI.TypeKind
        k = c.kind
        t = c.type.get_canonical()
        if t.kind == T.POINTER:
            # A pointer is followed only as a view of pointers' bytes; one
            # to pointers (or void) reads typed values again.
            lay = layout(t.get_pointee())
            if lay.holds_ptr() or lay.void or lay.func:
                return False
        ch = self.children(c)
        if k in (K.CSTYLE_CAST_EXPR, K.UNEXPOSED_EXPR) and len(ch) == 1:
            s = ch[0].type.get_canonical()
            if t.kind == T.BOOL:
                return False
            if t.kind in INT_KINDS and (self.is_ptr(s) or s.kind in (T.FUNCTIONPROTO, T.FUNCTIONNOPROTO)):
                return True   # the conversion itself
            if t.kind == T.POINTER and s.kind == T.POINTER:
                src = self.chk.pointer_source(ch[0])   # through (void *) too
                if src is not None and layout(src).holds_ptr():
                    return True   # a byte view of pointers: what it reads is an address
            return self.tainted(ch[0], depth)
        if k == K.DECL_REF_EXPR:
            ref = c.referenced
            return ref is not None and ref.kind != K.FUNCTION_DECL and self.key(ref) in self.tainted_keys
        if k == K.MEMBER_REF_EXPR:
            ref = c.referenced
            if ref is not None and self.key(ref) in self.tainted_keys:
                return True
            return any(self.tainted(x, depth) for x in ch)
        if k == K.ARRAY_SUBSCRIPT_EXPR:
            base = [x for x in ch if self.is_ptr(x.type)]
            return len(base) == 1 and self.tainted(base[0], depth)
        if k == K.CALL_EXPR:
            ref = c.referenced
            return ref is not None and ref.kind == K.FUNCTION_DECL and self.key(ref) in self.tainted_keys
        if k == K.BINARY_OPERATOR and len(ch) == 2:
            a, b = ch
            if t.kind == T.POINTER:
                ptrs = [x for x in ch if self.is_ptr(x.type)]
                return len(ptrs) == 1 and self.tainted(ptrs[0], depth)
            if self.is_ptr(a.type) and self.is_ptr(b.type):
                return False   # a pointer difference or comparison
            ta, tb = self.tainted(a, depth), self.tainted(b, depth)
            if not (ta or tb):
                return False
            op = self.op(c, a)
            if op in self.CMP_OPS:
                return False
            if op in ('%', '&'):
                for x, tx, y in ((a, ta, b), (b, tb, a)):
                    if tx and not (tb if x is a else ta):
                        v = self.chk.eval_int(y)
                        if v is not None and 0 <= v <= SMALL_RANGE:
                            return False
            if op in (',', '='):
                return tb
            return True
        if k == K.UNARY_OPERATOR and len(ch) == 1:
            if not self.tainted(ch[0], depth):
                return False
            return self.first_token(c) != '!'
        if k in (K.CXX_UNARY_EXPR, K.INTEGER_LITERAL, K.CHARACTER_LITERAL, K.STRING_LITERAL,
                 K.FLOATING_LITERAL):
            return False
        if k == K.CONDITIONAL_OPERATOR and len(ch) == 3:
            return self.tainted(ch[1], depth) or self.tainted(ch[2], depth)
        return any(self.tainted(x, depth) for x in ch)

    def edge_value(self, expr, how):
        if how == 'bytes':
            src = self.chk.pointer_source(expr)
            if src is not None and layout(src).holds_ptr():
                return True
        return self.tainted(expr)

    def run(self, roots):
        self.collect(roots)
        changed = True
        rounds = 0
        while changed and rounds < 50:
            changed = False
            rounds += 1
            self.memo = {}
            for key, expr, how in self.edges:
                if key not in self.tainted_keys and self.edge_value(expr, how):
                    self.tainted_keys.add(key)
                    changed = True
            for c, a, b in self.assigns:
                key = self.lvalue_key(a)
                if key not in self.tainted_keys and self.tainted(b) and self.op(c, a) == '=':
                    self.tainted_keys.add(key)
                    changed = True
        self.memo = {}
        for c, n, kind in self.sinks:
            if not self.tainted(n):
                continue
            if kind == 'arith' and self.op(c, self.children(c)[0]) not in self.ARITH_OPS:
                continue
            what = 'an index' if kind == 'index' else 'an offset in pointer arithmetic'
            self.chk.flag(c, 'no-int-to-ptr', 'an integer made from a pointer used as %s: this builds '
                          'an address from an integer (reduce it with %% or & by a constant up to %d '
                          'for a hash bucket, or keep pointers as pointers)' % (what, SMALL_RANGE))



def check_file(path):
    index = CI.Index.create()
    c = TUCheck(path)
    try:
        c.run(index)
    except Exception as e:  # a file the checker cannot read must not pass
        import traceback
        c.add(path, 1, 'parse-error', 'internal checker error: %s: %s (%s)' % (
            type(e).__name__, e, traceback.format_exc(limit=-1).strip().splitlines()[-3].strip()))
    return path, c.findings, sorted(c.kernel_files)


# ---------------------------------------------------------------------------
# Driver.

def load_skip(srcdir):
    skip = set()
    p = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'host-files')
    try:
        with open(p) as f:
            for line in f:
                line = line.split('#', 1)[0].strip()
                if line:
                    skip.add(os.path.realpath(os.path.join(srcdir, line)))
    except OSError:
        pass
    return skip


def collect(paths, skip):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames.sort()
                for fn in sorted(filenames):
                    files.append(os.path.join(dirpath, fn))
        else:
            files.append(p)
    out = []
    skipped = []
    for f in files:
        rp = os.path.realpath(f)
        if any(under(rp, s) for s in skip):
            skipped.append(f)
        else:
            out.append(f)
    return out, skipped


def escape_pass(findings, files):
    """Apply tcb-escape annotations; return (findings, escapes used)."""
    by_file = {}
    for f in findings:
        by_file.setdefault(f[0], []).append(f)
    result = []
    escapes = []
    for fname in sorted(set(by_file) | set(files)):
        try:
            with open(fname, encoding='utf-8', errors='replace') as fh:
                text = fh.read()
        except OSError:
            text = ''
        # An assembly file is not excused line by line: it goes whole.
        esc = tcb_lex.find_escapes(text) if 'tcb-escape' in text and not fname.endswith(ASM_EXTS) else []
        valid = {}
        for line, rule, api in esc:
            if rule is None:
                result.append((fname, line, 'escape-hatch', 'tcb-escape needs a rule: '
                               '/* tcb-escape(RULE): <the frame API that should exist instead> */'))
            elif rule not in ESCAPABLE:
                result.append((fname, line, 'escape-hatch', 'tcb-escape(%s): unknown rule (one of %s)'
                               % (rule, ', '.join(sorted(ESCAPABLE)))))
            elif not re.search(r'[A-Za-z_]\w*', api):
                result.append((fname, line, 'escape-hatch', 'tcb-escape(%s) must name the frame API '
                               'that should exist instead' % rule))
            else:
                valid[(line, rule)] = [api, False]
        for f in by_file.get(fname, []):
            _, line, rule, _ = f
            hit = None
            for l in (line, line - 1):
                if (l, rule) in valid:
                    hit = valid[(l, rule)]
                    break
            if hit:
                hit[1] = True
            else:
                result.append(f)
        for (line, rule), (api, used) in sorted(valid.items()):
            if used:
                escapes.append((fname, line, rule, api))
            else:
                result.append((fname, line, 'escape-hatch', 'tcb-escape(%s) silences nothing here: '
                               'remove it' % rule))
    return result, escapes


def run_checks(cfg, files, jobs):
    """Parse .c files (in parallel), then the headers none of them included."""
    findings = []
    covered = set()
    primary = [f for f in files if f.endswith('.c')]
    headers = [f for f in files if f.endswith('.h')]
    others = [f for f in files if not f.endswith(('.c', '.h') + ASM_EXTS)]
    # An assembly file is rejected whole: no C-level check can read it, and
    # the only assembly is frame's (a user program in one is a host file).
    for f in files:
        if f.endswith(ASM_EXTS):
            findings.append((f, 1, 'no-asm', 'assembly source file: assembly belongs to frame/; '
                             'ask frame for the API this code needs'))

    def run(batch):
        if not batch:
            return
        if jobs > 1 and len(batch) > 1:
            ctx = multiprocessing.get_context('fork')
            with concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, len(batch)), mp_context=ctx,
                                                        initializer=_init_worker,
                                                        initargs=(cfg,)) as ex:
                results = list(ex.map(check_file, batch))
        else:
            _init_worker(cfg)
            results = [check_file(f) for f in batch]
        for _, fnd, kfiles in results:
            findings.extend(fnd)
            covered.update(os.path.realpath(k) for k in kfiles)

    run(primary)
    run([h for h in headers if os.path.realpath(h) not in covered])
    notes = [f for f in others if os.path.realpath(f) not in covered]
    return findings, notes


def display(path):
    rel = os.path.relpath(path)
    return rel if len(rel) <= len(path) else path


def main():
    ap = argparse.ArgumentParser(description='Check kernel/ against the safe-C rules (doc/safe-c.md).')
    ap.add_argument('paths', nargs='*',
                    help='files and directories to check (default: SRCDIR/kernel and SRCDIR/examples)')
    ap.add_argument('--srcdir', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
    ap.add_argument('--isystem', help="the kernel compiler's include directory (default: gcc -print-file-name=include)")
    ap.add_argument('--samples', metavar='DIR', help='check the bad-*/good-* samples in DIR and print TAP')
    ap.add_argument('--tap', action='store_true', help='print TAP, one test per checked file')
    ap.add_argument('-j', '--jobs', type=int, default=os.cpu_count() or 1)
    ap.add_argument('--list-rules', action='store_true')
    ap.add_argument('--probe', action='store_true',
                    help='exit 0 if the clang bindings and libclang load (for configure)')
    ap.add_argument('--quiet', '-q', action='store_true', help='no summary line')
    ap.add_argument('--frame-include', metavar='DIR',
                    help='the directory holding aster/*.h (default: SRCDIR/frame/include; osdk passes '
                         'the installed $(includedir))')
    ap.add_argument('-I', '--include', metavar='DIR', action='append', default=[],
                    help="a directory of the checked kernel's own headers (repeatable)")
    opts = ap.parse_args()

    if opts.list_rules:
        for r, d in RULES.items():
            print('%-18s %s' % (r, d))
        return 0
    try:
        ci = tcb_clang.load()
        if opts.probe:
            return 0
    except ImportError as e:
        if opts.probe:
            print(e, file=sys.stderr)
            return 1
        if opts.tap or opts.samples:
            print('1..0 # SKIP %s' % e)
            return 0
        print('tcb-check: cannot check: %s' % e, file=sys.stderr)
        return 2
    global INT_KINDS, CHAR_KINDS, ARRAY_KINDS, CI
    CI = ci
    INT_KINDS, CHAR_KINDS, ARRAY_KINDS = _tk()

    srcdir = os.path.realpath(opts.srcdir)
    isystem = opts.isystem
    if not isystem:
        try:
            isystem = subprocess.run(['gcc', '-print-file-name=include'], capture_output=True,
                                     text=True).stdout.strip() or None
        except OSError:
            isystem = None
    if not isystem or not os.path.isdir(isystem):
        if opts.tap or opts.samples:
            print('1..0 # SKIP no compiler include directory (set KCC_INCLUDE or pass --isystem)')
            return 0
        print('tcb-check: no compiler include directory (stdint.h, stddef.h): pass --isystem DIR',
              file=sys.stderr)
        return 2

    if opts.samples:
        return run_samples(opts, srcdir, isystem)

    # examples/ holds whole kernels built on frame/ alone: kernel-side code too.
    paths = opts.paths or [p for p in (os.path.join(srcdir, 'kernel'), os.path.join(srcdir, 'examples'))
                           if os.path.isdir(p)]
    roots = [os.path.join(srcdir, 'kernel')]
    for p in paths:
        roots.append(p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p)))
    skip = load_skip(srcdir)
    cfg = Config(srcdir, isystem, roots, skip, opts.frame_include, opts.include)
    files, skipped = collect(paths, skip)
    files = [f for f in files if f.endswith(('.c', '.h', '.def', '.inc') + ASM_EXTS)]
    t0 = time.time()
    raw, notes = run_checks(cfg, files, opts.jobs)
    findings, escapes = escape_pass(raw, files)
    findings.sort(key=lambda f: (f[0], f[1], f[2]))
    if opts.tap:
        bad = {}
        for f in findings:
            bad.setdefault(os.path.realpath(f[0]), []).append(f)
        reported = set()
        n = 0
        lines = []
        for f in files:
            rp = os.path.realpath(f)
            n += 1
            if rp in bad:
                lines.append('not ok %d - %s' % (n, display(f)))
                lines.extend('# %s:%d: %s: %s' % (display(x[0]), x[1], x[2], x[3]) for x in bad[rp])
                reported.add(rp)
            else:
                lines.append('ok %d - %s' % (n, display(f)))
        for rp, fs in sorted(bad.items()):
            if rp not in reported:  # findings in a file outside the list
                n += 1
                lines.append('not ok %d - %s' % (n, display(fs[0][0])))
                lines.extend('# %s:%d: %s: %s' % (display(x[0]), x[1], x[2], x[3]) for x in fs)
        for f in skipped:
            n += 1
            lines.append('ok %d - %s # SKIP host program (tools/tcb/host-files)' % (n, display(f)))
        print('1..%d' % n)
        print('\n'.join(lines))
        return 0
    for f in findings:
        print('%s:%d: %s: %s' % (display(f[0]), f[1], f[2], f[3]))
    for f in notes:
        print('tcb-check: note: %s is not included by any checked file and was not checked' % display(f),
              file=sys.stderr)
    if not opts.quiet:
        print('tcb-check: %d files, %d findings, %d escape hatches, %d host programs skipped, %.2fs'
              % (len(files), len(findings), len(escapes), len(skipped), time.time() - t0),
              file=sys.stderr)
    return 1 if findings else 0


def run_samples(opts, srcdir, isystem):
    d = opts.samples
    samples = sorted(f for f in os.listdir(d) if f.endswith(('.c',) + ASM_EXTS)
                     and f.startswith(('bad-', 'good-')))
    paths = [os.path.join(d, f) for f in samples]
    cfg = Config(srcdir, isystem, [d, os.path.join(srcdir, 'kernel')], set())
    raw, _ = run_checks(cfg, paths, opts.jobs)
    findings, _ = escape_pass(raw, paths)
    by_file = {}
    for f in findings:
        by_file.setdefault(os.path.realpath(f[0]), []).append(f)
    out = []
    failed = 0
    for n, p in enumerate(paths, 1):
        name = os.path.basename(p)
        with open(p, encoding='utf-8', errors='replace') as fh:
            head = ''.join(fh.readline() for _ in range(3))
        m = re.search(r'expect:\s*([\w-]+)', head)
        expect = m.group(1) if m else None
        got = by_file.get(os.path.realpath(p), [])
        rules = sorted({f[2] for f in got})
        diag = ['# %s:%d: %s: %s' % (name, f[1], f[2], f[3]) for f in got]
        if name.startswith('good-'):
            if got:
                failed += 1
                out.append('not ok %d - %s rejected, expected clean' % (n, name))
                out.extend(diag)
            else:
                out.append('ok %d - %s accepted' % (n, name))
        elif expect is None or expect not in RULES:
            failed += 1
            out.append('not ok %d - %s: no valid "expect: RULE" comment in its first lines' % (n, name))
        elif expect in rules:
            out.append('ok %d - %s rejected: %s' % (n, name, expect))
        else:
            failed += 1
            out.append('not ok %d - %s not rejected with %s (got: %s)' % (n, name, expect, ', '.join(rules) or 'nothing'))
            if diag:
                out.extend(diag)
    if opts.quiet:
        for l in out:
            if not l.startswith('ok '):
                print(l)
        print('tcb-check: samples: %d of %d as expected (%d bad-*, %d good-*)' % (
              len(paths) - failed, len(paths),
                                             sum(1 for p in paths if os.path.basename(p).startswith('bad-')),
                                             sum(1 for p in paths if os.path.basename(p).startswith('good-'))),
              file=sys.stderr)
    else:
        print('1..%d' % len(paths))
        print('\n'.join(out))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
