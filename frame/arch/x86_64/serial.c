// SPDX-License-Identifier: MPL-2.0
// The 16550 UART at COM1: the kernel console (printk) and the system
// console's tty (aster/console.h): polled output, interrupt-driven input.
#include <aster/console.h>
#include <aster/irq.h>
#include <aster/log.h>
#include <aster/softirq.h>
#include <aster/sync.h>
#include "cpu.h"

#define COM1		0x3f8
#define COM1_IRQ	4
#define UART_RBR	0	/* receive buffer */
#define UART_THR	0	/* transmit holding register */
#define UART_IER	1
#define UART_DLL	0
#define UART_DLM	1
#define UART_IIR	2	/* read: interrupt identification */
#define UART_FCR	2	/* write: FIFO control */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define IER_RDI		0x01	/* received data available (and timeout) */
#define IIR_NO_INT	0x01
#define LSR_DR		0x01
#define LSR_THRE	0x20
/*
 * FIFOs on, both cleared, receive trigger at 1 byte: an interrupt per
 * arrival keeps typing latency low (the 14-byte trigger would lean on the
 * character timeout).
 */
#define FCR_SETUP	0x07

/* A power of two; the hard-IRQ handler fills it, the softirq empties it. */
#define RX_RING		1024

static spinlock_t out_lock = SPINLOCK_INIT;

static struct {
	uint8_t buf[RX_RING];
	uint32_t head, tail;	/* free-running: head written by IRQ, tail by softirq */
	uint64_t dropped;
	console_input_fn fn;
	void *arg;
	bool irq_ready;
} rx;
static spinlock_t rx_lock = SPINLOCK_INIT;

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80);	/* DLAB: set the divisor */
	outb(COM1 + UART_DLL, 1);	/* 115200 baud */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, 0x03);	/* 8 bits, no parity, one stop bit */
	outb(COM1 + UART_FCR, FCR_SETUP);
	outb(COM1 + UART_MCR, 0x0b);	/* DTR, RTS, OUT2 (gates the IRQ on PCs) */
}

static void serial_putc(char c)
{
	/* Bounded wait: a missing UART must not hang the kernel. */
	for (int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_THRE); i++)
		cpu_relax();
	outb(COM1 + UART_THR, (uint8_t)c);
}

/* printk's path: kernel messages get CR LF line ends. */
void serial_write(const char *s, size_t n)
{
	irqflags_t flags = spin_lock_irqsave(&out_lock);

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
	spin_unlock_irqrestore(&out_lock, flags);
}

void console_write(const char *buf, size_t len)
{
	irqflags_t flags = spin_lock_irqsave(&out_lock);

	for (size_t i = 0; i < len; i++)
		serial_putc(buf[i]);
	spin_unlock_irqrestore(&out_lock, flags);
}

uint64_t console_input_dropped(void)
{
	return rx.dropped;
}

/* Empty the UART's FIFO into the ring; interrupts off.  True if any byte came. */
static bool rx_drain_fifo(void)
{
	bool got = false;

	/* Bounded: a stuck LSR must not wedge the CPU in the handler. */
	for (int i = 0; i < 4096 && (inb(COM1 + UART_LSR) & LSR_DR); i++) {
		uint8_t b = inb(COM1 + UART_RBR);

		got = true;
		if (rx.head - rx.tail >= RX_RING) {
			rx.dropped++;
			continue;
		}
		rx.buf[rx.head % RX_RING] = b;
		rx.head++;
	}
	return got;
}

static enum irq_return serial_irq(void *unused)
{
	bool got;

	(void)unused;
	spin_lock_raw(&rx_lock);
	got = rx_drain_fifo();
	spin_unlock_raw(&rx_lock);
	/* Only receive interrupts are enabled; IIR tells us whether it was ours. */
	if (got)
		softirq_raise(SOFTIRQ_CONSOLE);
	return got || !(inb(COM1 + UART_IIR) & IIR_NO_INT) ? IRQ_HANDLED : IRQ_NONE;
}

/* Softirq: hand the ring's bytes to the handler, one at a time, in order. */
static void serial_rx_work(void *unused)
{
	(void)unused;
	for (;;) {
		irqflags_t flags = spin_lock_irqsave(&rx_lock);
		console_input_fn fn = rx.fn;
		void *arg = rx.arg;
		uint8_t b;

		if (rx.tail == rx.head) {
			spin_unlock_irqrestore(&rx_lock, flags);
			return;
		}
		b = rx.buf[rx.tail % RX_RING];
		rx.tail++;
		spin_unlock_irqrestore(&rx_lock, flags);
		if (fn)
			fn(b, arg);
	}
}

static bool rx_irq_setup(void)
{
	struct irq_line *line = irq_line_for_isa(COM1_IRQ);
	irqflags_t flags;

	if (softirq_register(SOFTIRQ_CONSOLE, serial_rx_work, NULL) != 0)
		return false;
	if (!line || !irq_register(line, serial_irq, NULL)) {
		softirq_unregister(SOFTIRQ_CONSOLE);
		return false;
	}
	/*
	 * The IRQ is edge-triggered: bytes that were already waiting hold the
	 * UART's line high and would never give a new edge, so enable the
	 * interrupt, then drain once by hand.
	 */
	flags = spin_lock_irqsave(&rx_lock);
	outb(COM1 + UART_IER, IER_RDI);
	rx_drain_fifo();
	spin_unlock_irqrestore(&rx_lock, flags);
	softirq_raise(SOFTIRQ_CONSOLE);
	return true;
}

void console_set_input_handler(console_input_fn fn, void *arg)
{
	irqflags_t flags = spin_lock_irqsave(&rx_lock);
	bool setup = fn && !rx.irq_ready;

	rx.fn = fn;
	rx.arg = arg;
	rx.irq_ready = rx.irq_ready || setup;
	spin_unlock_irqrestore(&rx_lock, flags);
	if (setup && !rx_irq_setup()) {
		pr_err("console: no interrupt line for COM1 (IRQ %d): no console input\n",
		       COM1_IRQ);
	}
}
