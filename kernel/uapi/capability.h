/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/capability.h>: the highest capability number
 * (/proc/PID/status shows sets of capabilities 0..CAP_LAST_CAP).
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_CAPABILITY_H
#define ASTER_UAPI_CAPABILITY_H

#define CAP_LAST_CAP	40

#endif
