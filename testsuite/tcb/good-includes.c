/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* frame's public headers, the four freestanding headers, kernel/ headers. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <aster/types.h>
#include "aster/log.h"
#include "init/init_args.h"

bool tiny(size_t n);
bool tiny(size_t n)
{
	return n < 16 && SIZE_MAX > 0;
}
