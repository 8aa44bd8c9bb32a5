#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# Regenerate the build system from configure.ac and Makefile.am.
set -e
cd "$(dirname "$0")"
autoreconf --install --force
# automake installs the TAP driver only on request; the host tests need it.
cp -f "$(automake --print-libdir)/tap-driver.sh" build-aux/tap-driver.sh
