# SPDX-License-Identifier: MPL-2.0
"""osdk new: a kernel or library project that builds with no edits."""
import os
import re

from osdk_manifest import OsdkError

MANIFEST = '''# OSDK.toml of {name}: see osdk(1) and doc/osdk.md (the manifest reference).
project_type = "{kind}"
supported_archs = ["x86_64"]

[build]
profile = "dev"          # dev (-Og) or release (-O2); osdk --release
features = []            # each NAME is -DOSDK_FEATURE_NAME=1

[boot]
method = "qemu-direct"   # or grub-rescue-iso
kcmd_args = ["console=ttyS0"]

[qemu]
args = "-m 256M"         # split and expanded by the shell
timeout = 120            # seconds; QEMU is stopped after that

[test.qemu]
timeout = 60
'''

MAKEFILE = '''# SPDX-License-Identifier: MPL-2.0
# {name}: make, make run, make test, make check call osdk (osdk(1)).
OSDK = osdk
all:
\t$(OSDK) build
run:
\t$(OSDK) run
test:
\t$(OSDK) test
check:
\t$(OSDK) check
clean:
\trm -rf target
.PHONY: all run test check clean
'''

KERNEL_C = '''// SPDX-License-Identifier: MPL-2.0
// {name}: a kernel on the Asterinas OS Framework, in safe C (doc/safe-c.md).
// frame/ boots the machine and calls kernel_main; <aster/*.h> is the API.
#include <aster/boot.h>
#include <aster/console.h>
#include <aster/ktest.h>
#include <aster/power.h>
#include <aster/string.h>

static const char greeting[] = "Hello from {name}!\\n";

__noreturn void kernel_main(void)
{{
\tconsole_write(greeting, strlen(greeting));
\tmachine_poweroff();
}}

KTEST({ident}_greeting)
{{
\tKT_ASSERT(strlen(greeting) > 0);
}}
'''

LIBRARY_H = '''/* SPDX-License-Identifier: MPL-2.0 */
/* {name}: a library for kernels on the Asterinas OS Framework. */
#ifndef {guard}
#define {guard}

#include <aster/types.h>

/* The sum of a and b, or SIZE_MAX when it would overflow. */
size_t {ident}_add(size_t a, size_t b);

#endif
'''

LIBRARY_C = '''// SPDX-License-Identifier: MPL-2.0
// {name}: a library for kernels on the Asterinas OS Framework, in safe C.
// osdk test boots a test kernel that runs the ktests below.
#include <aster/ktest.h>
#include "{name}.h"

size_t {ident}_add(size_t a, size_t b)
{{
\treturn a > SIZE_MAX - b ? SIZE_MAX : a + b;
}}

KTEST({ident}_add)
{{
\tKT_ASSERT_EQ({ident}_add(2, 3), 5);
\tKT_ASSERT({ident}_add(SIZE_MAX, 1) == SIZE_MAX);
}}
'''


def new_project(name, kernel):
    if not re.fullmatch(r'[A-Za-z][A-Za-z0-9_-]*', os.path.basename(name.rstrip('/')) or '-'):
        raise OsdkError('osdk new: %r: a project name is a letter followed by letters, digits, - or _' % name)
    base = os.path.basename(name.rstrip('/'))
    if os.path.exists(name):
        raise OsdkError('osdk new: %s already exists' % name)
    ident = re.sub(r'[^A-Za-z0-9_]', '_', base)
    fmt = {'name': base, 'ident': ident, 'kind': 'kernel' if kernel else 'library',
           'guard': ident.upper() + '_H'}
    os.makedirs(os.path.join(name, 'src'))
    files = {'OSDK.toml': MANIFEST, 'Makefile': MAKEFILE, '.gitignore': '/target/\n'}
    if kernel:
        files['src/main.c'] = KERNEL_C
    else:
        files['src/%s.h' % base] = LIBRARY_H
        files['src/%s.c' % base] = LIBRARY_C
    for rel, text in files.items():
        with open(os.path.join(name, rel), 'w') as f:
            f.write(text.format(**fmt))
    print('osdk new: created %s project %s' % (fmt['kind'], name))
    return 0
