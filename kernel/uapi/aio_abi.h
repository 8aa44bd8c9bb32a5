/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/aio_abi.h>: the native AIO calls' opcodes, flags,
 * struct iocb and struct io_event; plus the completion ring's header that
 * io_setup maps into the caller (Linux's fs/aio.c struct aio_ring, not
 * exported, but read by libaio's user-space io_getevents fast path).
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_AIO_ABI_H
#define ASTER_UAPI_AIO_ABI_H

#include <aster/types.h>

/* Opcodes (an enum in Linux's header). */
#define IOCB_CMD_PREAD		0
#define IOCB_CMD_PWRITE		1
#define IOCB_CMD_FSYNC		2
#define IOCB_CMD_FDSYNC		3
#define IOCB_CMD_POLL		5
#define IOCB_CMD_NOOP		6
#define IOCB_CMD_PREADV		7
#define IOCB_CMD_PWRITEV	8

#define IOCB_FLAG_RESFD		(1 << 0)
#define IOCB_FLAG_IOPRIO	(1 << 1)

struct io_event {
	uint64_t data;		/* the iocb's aio_data */
	uint64_t obj;		/* the iocb's user address */
	int64_t res;
	int64_t res2;
};

struct iocb {
	uint64_t aio_data;
	uint32_t aio_key;	/* the kernel writes KIOCB_KEY */
	int32_t aio_rw_flags;	/* RWF_* */
	uint16_t aio_lio_opcode;
	int16_t aio_reqprio;
	uint32_t aio_fildes;
	uint64_t aio_buf;
	uint64_t aio_nbytes;
	int64_t aio_offset;
	uint64_t aio_reserved2;
	uint32_t aio_flags;
	uint32_t aio_resfd;
};

/* io_pgetevents' last argument. */
struct aio_sigset {
	uint64_t sigmask;	/* const sigset_t * */
	uint64_t sigsetsize;
};

/* fs/aio.c's: what io_submit writes in aio_key, and io_cancel expects there. */
#define KIOCB_KEY			0

/* The ring's header (fs/aio.c's struct aio_ring), then nr struct io_event. */
#define AIO_RING_MAGIC			0xa10a10a1
#define AIO_RING_COMPAT_FEATURES	1
#define AIO_RING_INCOMPAT_FEATURES	0
struct aio_ring {
	uint32_t id;		/* index in the address space's table of contexts */
	uint32_t nr;		/* events in the ring */
	uint32_t head;		/* user space (or io_getevents) consumes here */
	uint32_t tail;		/* the kernel produces here */
	uint32_t magic;
	uint32_t compat_features;
	uint32_t incompat_features;
	uint32_t header_length;	/* sizeof(struct aio_ring) */
};

#endif
