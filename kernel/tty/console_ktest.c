// SPDX-License-Identifier: MPL-2.0
// By-hand check that bytes typed on COM1 reach the console input handler:
//   printf 'hello' | qemu-system-x86_64 ... -serial stdio
//     -append "console=ttyS0 ktest ktest.filter=console_input_manual"
// or run it interactively and type within ten seconds.
#include <aster/console.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/sync.h>
#include <aster/timer.h>
#include <aster/wait.h>
#include "tty.h"

#define CAPTURE	64

static struct {
	uint8_t bytes[CAPTURE];
	atomic_t n;
} capture;

static void capture_byte(uint8_t b, void *arg)
{
	int32_t i = atomic_read(&capture.n);

	(void)arg;
	if (i < CAPTURE) {
		capture.bytes[i] = b;
		atomic_set(&capture.n, i + 1);
	}
}

KTEST_MANUAL(console_input_manual)
{
	uint64_t deadline = clock_monotonic_ns() + 10 * NSEC_PER_SEC;

	atomic_set(&capture.n, 0);
	console_set_input_handler(capture_byte, NULL);
	printk(LOG_INFO, "console_input_manual: type something (10 s)\n");
	while (clock_monotonic_ns() < deadline && atomic_read(&capture.n) < 5)
		task_sleep_ns(10 * NSEC_PER_MSEC);
	console_set_input_handler(tty_console_input, tty_console());
	printk(LOG_INFO, "console_input_manual: %d bytes:", (int)atomic_read(&capture.n));
	for (int32_t i = 0; i < atomic_read(&capture.n); i++)
		printk(LOG_INFO, " %02x", capture.bytes[i]);
	printk(LOG_INFO, "\n");
	KT_EXPECT(atomic_read(&capture.n) >= 5);
}

/* The whole path: type "hi" and Enter; the console tty's read returns the line. */
KTEST_MANUAL(console_tty_read_manual)
{
	char buf[32];
	struct iobuf b = iobuf_kernel(buf, sizeof(buf));
	ssize_t n;

	printk(LOG_INFO, "console_tty_read_manual: type a line and Enter\n");
	n = tty_read(tty_console(), &b, false);
	KT_ASSERT(n > 0);
	printk(LOG_INFO, "console_tty_read_manual: read %d bytes: %.*s", (int)n, (int)n, buf);
	KT_EXPECT(buf[n - 1] == '\n');
}
