/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/rseq.h> (enums there, macros here): restartable
 * sequences.  Values are x86-64 Linux's; tests/unit/test_uapi checks them
 * against the host's headers.
 */
#ifndef ASTER_UAPI_RSEQ_H
#define ASTER_UAPI_RSEQ_H

#include <aster/types.h>

#define RSEQ_CPU_ID_UNINITIALIZED		(-1)
#define RSEQ_CPU_ID_REGISTRATION_FAILED		(-2)
#define RSEQ_FLAG_UNREGISTER			(1 << 0)
#define RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT	(1 << 0)
#define RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL	(1 << 1)
#define RSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE	(1 << 2)

/* struct rseq_cs: one critical section's descriptor in user memory. */
struct rseq_cs_desc {
	uint32_t version;
	uint32_t flags;
	uint64_t start_ip;
	uint64_t post_commit_offset;	/* the section is [start_ip, start_ip + this) */
	uint64_t abort_ip;
} __attribute__((aligned(32)));

/*
 * struct rseq: a thread's area.  node_id and mm_cid (Linux 6.3) lie in
 * what 6.1 headers call padding, inside the original 32 bytes.
 */
struct rseq_area {
	uint32_t cpu_id_start;
	uint32_t cpu_id;
	uint64_t rseq_cs;		/* user address of the current rseq_cs, or 0 */
	uint32_t flags;
	uint32_t node_id;
	uint32_t mm_cid;
} __attribute__((aligned(32)));

#endif
