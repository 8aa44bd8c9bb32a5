// SPDX-License-Identifier: MPL-2.0
// kernel/uapi constants that the host headers declare as enumerators, not
// macros, so #ifdef cannot find them: each is named here.
#include <linux/in.h>
#include <linux/kcmp.h>
#include <linux/membarrier.h>
#include "uapi_test.h"

size_t uapi_enum_consts(struct uapi_val *out)
{
	size_t n = 0;

#define UAPI_CONST(name) out[n++] = (struct uapi_val){ #name, (unsigned long long)(name) };
	UAPI_CONST(MEMBARRIER_CMD_QUERY)
	UAPI_CONST(MEMBARRIER_CMD_GLOBAL)
	UAPI_CONST(MEMBARRIER_CMD_GLOBAL_EXPEDITED)
	UAPI_CONST(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED)
	UAPI_CONST(MEMBARRIER_CMD_PRIVATE_EXPEDITED)
	UAPI_CONST(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED)
	UAPI_CONST(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE)
	UAPI_CONST(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE)
	UAPI_CONST(IPPROTO_MAX)
	UAPI_CONST(KCMP_FILE)
	UAPI_CONST(KCMP_VM)
	UAPI_CONST(KCMP_FILES)
	UAPI_CONST(KCMP_FS)
	UAPI_CONST(KCMP_SIGHAND)
	UAPI_CONST(KCMP_IO)
	UAPI_CONST(KCMP_SYSVSEM)
	UAPI_CONST(KCMP_EPOLL_TFD)
	UAPI_CONST(KCMP_TYPES)
#undef UAPI_CONST
	return n;
}
