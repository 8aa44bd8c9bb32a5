/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/kcmp.h>: kcmp(2)'s comparison types.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_KCMP_H
#define ASTER_UAPI_KCMP_H

#define KCMP_FILE	0
#define KCMP_VM		1
#define KCMP_FILES	2
#define KCMP_FS		3
#define KCMP_SIGHAND	4
#define KCMP_IO		5
#define KCMP_SYSVSEM	6
#define KCMP_EPOLL_TFD	7
#define KCMP_TYPES	8

#endif
