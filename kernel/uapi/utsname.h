/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/utsname.h>: the field length of struct new_utsname (each field holds __NEW_UTS_LEN + 1 bytes).
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_UTSNAME_H
#define ASTER_UAPI_UTSNAME_H

#define __NEW_UTS_LEN	64

#endif
