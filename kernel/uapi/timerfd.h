/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/timerfd.h>: timerfd flags.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_TIMERFD_H
#define ASTER_UAPI_TIMERFD_H

#include "uapi/fcntl.h"

#define TFD_TIMER_ABSTIME	1
#define TFD_CLOEXEC		O_CLOEXEC
#define TFD_NONBLOCK		O_NONBLOCK

#endif
