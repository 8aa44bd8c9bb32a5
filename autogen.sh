#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# Regenerate the build system from configure.ac and Makefile.am.
set -e
cd "$(dirname "$0")"
autoreconf --install --force
