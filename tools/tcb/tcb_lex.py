# SPDX-License-Identifier: MPL-2.0
"""A small C lexer for what libclang's tokenizer does not give back:
comments (for tcb-escape annotations) and code lines (for tcb-report).

It knows string and character literals (so "/*" in a string is not a
comment), line splices (backslash-newline), // and /* */ comments, and, for
assembly (.S), `#` comments that are not preprocessor directives.
"""
import re

CPP_DIRECTIVES = {'define', 'undef', 'include', 'include_next', 'if', 'ifdef', 'ifndef',
                  'elif', 'else', 'endif', 'error', 'warning', 'pragma', 'line', 'ident'}


def split_code_comments(text):
    """Return (code_lines, comments).

    code_lines: list (one entry per physical line, index 0 = line 1) of the
    line with comments blanked out.  comments: list of (line, text) with the
    line where each comment starts.
    """
    out = []
    comments = []
    i, n = 0, len(text)
    line = 1
    cur = []
    state = None  # None, '"', "'"
    while i < n:
        c = text[i]
        if c == '\n':
            out.append(''.join(cur))
            cur = []
            line += 1
            i += 1
            if state in ('"', "'"):
                state = None  # unterminated literal: stop at end of line
            continue
        if state is None:
            if c == '/' and i + 1 < n and text[i + 1] == '*':
                j = text.find('*/', i + 2)
                end = n if j < 0 else j + 2
                body = text[i:end]
                comments.append((line, body))
                nl = body.count('\n')
                if nl:
                    out.append(''.join(cur) + ' ')
                    out.extend([''] * (nl - 1))
                    cur = []
                    line += nl
                else:
                    cur.append(' ')
                i = end
                continue
            if c == '/' and i + 1 < n and text[i + 1] == '/':
                j = i
                # a // comment runs to the end of line, continued by splices
                while True:
                    k = text.find('\n', j)
                    if k < 0:
                        k = n
                        break
                    if k > 0 and text[k - 1] == '\\':
                        j = k + 1
                        continue
                    break
                body = text[i:k]
                comments.append((line, body))
                nl = body.count('\n')
                if nl:
                    out.append(''.join(cur))
                    out.extend([''] * (nl - 1))
                    cur = []
                    line += nl
                i = k
                continue
            if c in '"\'':
                state = c
            cur.append(c)
            i += 1
            continue
        # inside a literal
        if c == '\\' and i + 1 < n:
            if text[i + 1] == '\n':
                out.append(''.join(cur))
                cur = []
                line += 1
                i += 2
                continue
            cur.append(text[i:i + 2])
            i += 2
            continue
        if c == state:
            state = None
        cur.append(c)
        i += 1
    out.append(''.join(cur))
    if text.endswith('\n'):
        out.pop()
    return out, comments


_ASM_DIRECTIVE = re.compile(r'#\s*(\w+)')


def count_code_lines(text, asm=False):
    """Lines that hold code: not blank once comments are removed."""
    lines, _ = split_code_comments(text)
    count = 0
    for l in lines:
        s = l.strip()
        if not s:
            continue
        if asm:
            if s.startswith('#'):
                m = _ASM_DIRECTIVE.match(s)
                if not m or m.group(1) not in CPP_DIRECTIVES:
                    continue  # an assembler comment
            elif ' #' in s or '\t#' in s:
                pass  # code followed by a comment: still code
        count += 1
    return count


ESCAPE_RE = re.compile(r'tcb-escape\s*(?:\(\s*([^)]*?)\s*\))?\s*(?::\s*(.*))?', re.S)


def find_escapes(text):
    """tcb-escape annotations: list of (line, rule or None, api text or '')."""
    _, comments = split_code_comments(text)
    res = []
    for line, body in comments:
        if body.startswith('/*'):
            inner = body[2:-2] if body.endswith('*/') else body[2:]
        else:
            inner = body[2:]
        idx = inner.find('tcb-escape')
        if idx < 0:
            continue
        m = ESCAPE_RE.match(inner, idx)
        rule = m.group(1) if m.group(1) else None
        api = ' '.join((m.group(2) or '').split())
        res.append((line + inner[:idx].count('\n'), rule, api))
    return res
