/* SPDX-License-Identifier: MPL-2.0 */
/* Signal-set helpers over the Linux signal ABI (uapi/signal.h). */
#ifndef KERNEL_PROCESS_SIGNUM_H
#define KERNEL_PROCESS_SIGNUM_H
#include <aster/types.h>
#include "uapi/signal.h"

static inline uint64_t sigbit(int sig)
{
	return 1ULL << (sig - 1);
}

/* Signals that can be neither caught, blocked nor ignored. */
#define SIG_UNCATCHABLE	(sigbit(SIGKILL) | sigbit(SIGSTOP))

#endif
