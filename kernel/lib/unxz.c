// SPDX-License-Identifier: MPL-2.0
// Placeholder until the decoder lands.
#include <aster/errno.h>
#include "decompress.h"

int dc_unxz(const uint8_t *in, size_t len, size_t *consumed, const struct dc_sink *sink)
{
	(void)in; (void)len; (void)sink;
	*consumed = 0;
	return -EOPNOTSUPP;
}
