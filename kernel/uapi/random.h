/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/random.h>: getrandom(2) flags.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_RANDOM_H
#define ASTER_UAPI_RANDOM_H

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004

#endif
