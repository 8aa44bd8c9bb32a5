/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The line discipline (N_TTY): what happens between the keys typed at a
 * terminal and what read() returns, and between write() and the wire.
 * Canonical mode edits a line (erase, word erase, kill, EOF) and releases
 * it on newline; raw mode passes bytes through.  Echo, the signal
 * characters and CR/NL mapping follow the termios flags as on Linux.
 *
 * Pure logic: the tty driver supplies the output and signal callbacks and
 * does the blocking.  Not locked: callers serialise.
 */
#ifndef ASTER_KERNEL_LDISC_H
#define ASTER_KERNEL_LDISC_H

#include "uapi/termios.h"

#define LDISC_BUF	4096	/* as N_TTY_BUF_SIZE */
#define LDISC_MAX_LINES	64

struct ldisc_ops {
	/* Send bytes to the terminal (echo, output); must not block. */
	void (*write)(void *arg, const char *s, size_t n);
	/* Deliver a signal (SIGINT, SIGQUIT, SIGTSTP) to the foreground group. */
	void (*signal)(void *arg, int sig);
	/*
	 * Optional: output flow control.  With it, IXON makes VSTOP stop
	 * output and VSTART (or any character under IXANY) restart it; the
	 * characters are not input.  Without it they are ordinary input.
	 */
	void (*flow)(void *arg, bool stopped);
};

struct ldisc {
	struct termios termios;
	const struct ldisc_ops *ops;
	void *arg;
	char buf[LDISC_BUF];
	size_t head;		/* next byte to read (monotonic, mod LDISC_BUF) */
	size_t readable;	/* bytes from head that read() may take */
	size_t pending;		/* bytes after those: the line being edited */
	/* Canonical mode: lengths of the completed lines, oldest first. */
	uint16_t line_len[LDISC_MAX_LINES];
	unsigned int nlines;
	bool literal_next;	/* ^V was typed */
	bool stopped;		/* output stopped by VSTOP (with ops->flow) */
	unsigned int column;	/* output column, for erasing tabs */
	unsigned int canon_column;	/* column where the edited line began */
};

/* Linux's default termios for a terminal. */
void ldisc_init(struct ldisc *ld, const struct ldisc_ops *ops, void *arg);

/* Take in one byte typed at the terminal. */
void ldisc_receive(struct ldisc *ld, char c);

/* True if read() would return now (data, a completed line, or EOF). */
bool ldisc_readable(const struct ldisc *ld);

/* Copy input out; returns bytes (0 for EOF in canonical mode). */
size_t ldisc_read(struct ldisc *ld, char *dst, size_t n);

/*
 * Bytes ldisc_receive may take now without dropping any: all of them in
 * canonical mode while no line is complete (an over-long line is cut, as
 * Linux does), else the free room of the buffer.
 */
size_t ldisc_receive_room(const struct ldisc *ld);

/* Restart output stopped by VSTOP (TCOON); stop it (TCOOFF). */
void ldisc_set_stopped(struct ldisc *ld, bool stopped);

/* Bytes a FIONREAD would report. */
size_t ldisc_available(const struct ldisc *ld);

/* Write program output through the output flags (ONLCR). */
void ldisc_write(struct ldisc *ld, const char *src, size_t n);

/* Change termios; pending input becomes readable when leaving ICANON. */
void ldisc_set_termios(struct ldisc *ld, const struct termios *t);

/* Discard all input (tcflush TCIFLUSH, and on signal characters). */
void ldisc_flush_input(struct ldisc *ld);

#endif
