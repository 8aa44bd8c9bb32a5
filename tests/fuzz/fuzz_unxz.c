// SPDX-License-Identifier: MPL-2.0
// The streaming decompressor for DC_XZ (kernel/lib/) on arbitrary bytes:
// see dc_harness.h for what it must promise.
#define FUZZ_FORMAT	DC_XZ
#include "dc_harness.h"
