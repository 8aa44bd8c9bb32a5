/* SPDX-License-Identifier: MPL-2.0 */
/* Helper header of bad-no-volatile-typedef.c (not a sample on its own). */
#ifndef BAD_NO_VOLATILE_TYPEDEF_H
#define BAD_NO_VOLATILE_TYPEDEF_H
#include <aster/types.h>
typedef __volatile__ uint32_t reg32_t;
#endif
