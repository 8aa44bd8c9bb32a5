/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/oom.h>: the range of /proc/PID/oom_score_adj.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_OOM_H
#define ASTER_UAPI_OOM_H

#define OOM_SCORE_ADJ_MIN	(-1000)
#define OOM_SCORE_ADJ_MAX	1000

#endif
