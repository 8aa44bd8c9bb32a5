/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/un.h>: Unix domain socket addresses.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_UN_H
#define ASTER_UAPI_UN_H

#include <aster/types.h>

#define UNIX_PATH_MAX	108

struct linux_sockaddr_un {
	uint16_t sun_family;
	char sun_path[UNIX_PATH_MAX];
};

#endif
