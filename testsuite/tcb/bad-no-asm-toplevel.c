/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-asm */
/* Top-level asm defines a symbol behind the compiler's back. */
__asm__(".globl sneaky_entry\nsneaky_entry:\n\tret\n");
