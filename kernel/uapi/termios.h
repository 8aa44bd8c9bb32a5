/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <asm-generic/termbits.h> and <asm-generic/termios.h>:
 * struct termios, termios2 and winsize, their flags, the tcflush/tcflow arguments.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_TERMIOS_H
#define ASTER_UAPI_TERMIOS_H

#include <aster/types.h>
#include "uapi/ioctls.h"

#define NCCS	19

struct termios {
	uint32_t c_iflag;
	uint32_t c_oflag;
	uint32_t c_cflag;
	uint32_t c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};

/* TCGETS2/TCSETS2: termios with explicit speeds. */
struct termios2 {
	struct termios t;
	uint32_t c_ispeed, c_ospeed;
};

struct winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* c_cc indexes */
#define VINTR		0
#define VQUIT		1
#define VERASE		2
#define VKILL		3
#define VEOF		4
#define VTIME		5
#define VMIN		6
#define VSWTC		7
#define VSTART		8
#define VSTOP		9
#define VSUSP		10
#define VEOL		11
#define VREPRINT	12
#define VDISCARD	13
#define VWERASE		14
#define VLNEXT		15
#define VEOL2		16

/* c_iflag */
#define IGNBRK	0x001
#define BRKINT	0x002
#define ISTRIP	0x020
#define INLCR	0x040
#define IGNCR	0x080
#define ICRNL	0x100
#define IXON	0x400
#define IXANY	0x800
#define IUTF8	0x4000

/* c_oflag */
#define OPOST	0x01
#define ONLCR	0x04

/* c_cflag */
#define B38400	0x0000000f
#define CS8	0x00000030
#define CREAD	0x00000080
#define HUPCL	0x00000400
#define CLOCAL	0x00000800

/* c_lflag */
#define ISIG	0x00001
#define ICANON	0x00002
#define ECHO	0x00008
#define ECHOE	0x00010
#define ECHOK	0x00020
#define ECHONL	0x00040
#define NOFLSH	0x00080
#define TOSTOP	0x00100
#define ECHOCTL	0x00200
#define ECHOKE	0x00800
#define IEXTEN	0x08000

/* TCFLSH and TCXONC arguments. */
#define TCIFLUSH	0
#define TCOFLUSH	1
#define TCIOFLUSH	2
#define TCOOFF		0
#define TCOON		1
#define TCIOFF		2
#define TCION		3

#endif
