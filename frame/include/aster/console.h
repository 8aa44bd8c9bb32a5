/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The system console (COM1) as a character device for kernel/'s tty layer.
 *
 *	static void tty_rx(uint8_t byte, void *tty) { ... line discipline ... }
 *	console_set_input_handler(tty_rx, tty);
 *	console_write(buf, len);
 *
 * Input: the UART's receive interrupt (ISA IRQ 4) drains the receive FIFO
 * completely into a frame-side ring in hard-IRQ context, then raises
 * SOFTIRQ_CONSOLE; the handler is called once per byte, in order, in
 * SOFTIRQ context: interrupts enabled, no task of its own, so it must not
 * sleep (wake_up_*(), spinlocks and sending signals are fine).  Bytes that
 * arrive while the ring is full are dropped (counted).  Bytes arriving
 * before a handler is set stay in the UART (QEMU then holds back more).
 *
 * Output: console_write() sends the bytes unchanged (no '\n' -> "\r\n":
 * that is the tty's OPOST/ONLCR job), under the same lock as printk's
 * console output, so one call's bytes never interleave with a kernel
 * message.  It polls the UART; callable from any context.
 */
#ifndef ASTER_CONSOLE_H
#define ASTER_CONSOLE_H

#include <aster/types.h>

typedef void (*console_input_fn)(uint8_t byte, void *arg);

/*
 * Set (or with fn NULL, clear) the input handler.  The first call with a
 * handler routes IRQ 4 and enables the UART's receive interrupt (a failure
 * to get the line is logged; there is then no input).
 */
void console_set_input_handler(console_input_fn fn, void *arg);

/* Write raw bytes to the console. */
void console_write(const char *buf, size_t len);

/* Input bytes dropped because the ring was full, since boot. */
uint64_t console_input_dropped(void);

#endif
