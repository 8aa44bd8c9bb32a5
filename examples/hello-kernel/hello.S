# SPDX-License-Identifier: MPL-2.0
# The user program of examples/hello-kernel: a static x86-64 Linux program
# with no C library.  It writes its greeting to standard output and ends
# with exit_group(0), the two system calls the hello kernel serves.  Built
# with $(CC) -static -nostdlib -no-pie and embedded into vmlinuz-hello.
	.section .text
	.globl _start
_start:
	mov	$1, %eax		# write(1, message, length)
	mov	$1, %edi
	lea	message(%rip), %rsi
	mov	$message_end - message, %edx
	syscall
	cmp	$message_end - message, %rax
	jne	failed
	mov	$231, %eax		# exit_group(0)
	xor	%edi, %edi
	syscall
	hlt				# not reached: exit_group does not return
failed:
	mov	$231, %eax		# exit_group(1): the greeting did not go out whole
	mov	$1, %edi
	syscall
	hlt

	.section .rodata
message:
	.ascii	"Hello, world!\n"
message_end:

	.section .note.GNU-stack, "", @progbits
