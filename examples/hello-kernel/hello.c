// SPDX-License-Identifier: MPL-2.0
// A whole kernel in safe C over frame's public API (doc/hello-kernel.md): load
// the static ELF embedded in the image into a fresh user address space, run
// it in user mode, serve write and exit_group, power off with its verdict.
#include <aster/boot.h>
#include <aster/console.h>
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/log.h>
#include <aster/power.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/uaccess.h>
#include <aster/user.h>
#include <aster/vm_space.h>

/* The user program's bytes, put in .rodata by the build (hello-image.S). */
extern const uint8_t hello_elf[];
extern const uint64_t hello_elf_len;

struct elf_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf_phdr {
	uint32_t type, flags;	/* flags: 1 execute, 2 write, 4 read */
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
#define PT_LOAD		1
#define STACK_TOP	0x7ffffffff000ULL
#define STACK_SIZE	(4 * PAGE_SIZE)

/* Map the page at va with prot, holding n bytes of the file from off at offset
 * at (the rest zero); a page an earlier segment shares keeps its bytes too. */
static int load_page(struct vm_space *vs, uaddr_t va, unsigned int prot, size_t at,
		     uint64_t off, size_t n)
{
	struct frame *f = NULL;
	unsigned int old = 0;
	int err;

	if (vm_query(vs, va, &f, &old) != 0)
		f = frame_alloc(FRAME_ZERO);
	if (!f)
		return -ENOMEM;
	err = n ? frame_write(f, at, hello_elf + off, n) : 0;
	if (!err)
		err = vm_map(vs, va, f, prot | (old & (VM_READ | VM_WRITE | VM_EXEC)));
	frame_put(f);	/* the mapping holds its own reference */
	return err;
}

static int load_segment(struct vm_space *vs, const struct elf_phdr *ph)
{
	unsigned int prot = VM_USER | (ph->flags & 1 ? VM_EXEC : 0) |
			    (ph->flags & 2 ? VM_WRITE : 0) | (ph->flags & 4 ? VM_READ : 0);
	uint64_t end = ph->vaddr + ph->memsz, file_end = ph->vaddr + ph->filesz;

	/* The image is ours, but a template must not trust an ELF blindly. */
	if (ph->filesz > ph->memsz || ph->offset > hello_elf_len ||
	    ph->filesz > hello_elf_len - ph->offset || end < ph->vaddr || !user_addr_ok(end))
		return -ENOEXEC;
	for (uaddr_t va = ALIGN_DOWN(ph->vaddr, PAGE_SIZE); va < end; va += PAGE_SIZE) {
		uint64_t lo = MAX(va, ph->vaddr), hi = MAX(lo, MIN(va + PAGE_SIZE, file_end));
		int err = load_page(vs, va, prot, lo - va, ph->offset + (lo - ph->vaddr), hi - lo);

		if (err)
			return err;
	}
	return 0;
}

/* Map every PT_LOAD segment and a zeroed stack (a segment with no file bytes). */
static int load_program(struct vm_space *vs, uint64_t *entry)
{
	struct elf_phdr ph = { .type = PT_LOAD, .flags = 6, .offset = 0,
			       .vaddr = STACK_TOP - STACK_SIZE, .memsz = STACK_SIZE };
	struct elf_ehdr eh;
	int err = load_segment(vs, &ph);

	if (err || hello_elf_len < sizeof(eh))
		return err ? err : -ENOEXEC;
	memcpy(&eh, hello_elf, sizeof(eh));
	if (memcmp(eh.ident, "\177ELF\2\1", 6) || eh.machine != 62 /* x86-64 */ ||
	    eh.phentsize != sizeof(ph) || eh.phoff > hello_elf_len ||
	    eh.phnum > (hello_elf_len - eh.phoff) / sizeof(ph))
		return -ENOEXEC;
	for (unsigned int i = 0; i < eh.phnum && !err; i++) {
		memcpy(&ph, hello_elf + eh.phoff + i * sizeof(ph), sizeof(ph));
		err = ph.type == PT_LOAD ? load_segment(vs, &ph) : 0;
	}
	*entry = eh.entry;
	return err;
}

static long sys_write(uint64_t fd, uaddr_t buf, uint64_t len)
{
	char chunk[256];

	if (fd != 1 && fd != 2)
		return -EBADF;
	len = MIN(len, 0x7ffff000ULL);	/* Linux's limit: the count fits the result */
	for (uint64_t done = 0; done < len; done += sizeof(chunk)) {
		size_t n = MIN(len - done, sizeof(chunk));

		if (copy_from_user(chunk, buf + done, n))
			return done ? (long)done : -EFAULT;
		console_write(chunk, n);
	}
	return (long)len;
}

/* Status 0 powers off (QEMU exits with 0); any other is a failure (QEMU: 35). */
static __noreturn void finish(int status)
{
	pr_notice("hello-kernel: exit %d\n", status);
	if (status != 0)
		machine_debug_exit(false);
	machine_poweroff();
}

__noreturn void kernel_main(void)
{
	static struct user_context ctx;	/* 4 KiB of FPU state: too big for the stack */
	struct vm_space *vs = vm_space_create();
	uint64_t entry = 0;
	int err = vs ? load_program(vs, &entry) : -ENOMEM;

	if (err) {
		pr_err("hello-kernel: cannot load the program: %d\n", err);
		finish(127);
	}
	task_set_vm_space(task_current(), vs);	/* runs this task in vs, with its own reference */
	vm_space_put(vs);
	user_context_init(&ctx);
	ctx.regs.rip = entry;
	ctx.regs.rsp = STACK_TOP - 48;	/* zeroed: argc 0, empty argv, envp and auxv */
	for (;;) {
		enum user_event ev = user_run(&ctx);
		uint64_t nr = ctx.regs.rax;

		if (ev == USER_EVENT_EXCEPTION) {
			pr_err("hello-kernel: exception %lu (error 0x%lx, address 0x%lx) at 0x%lx\n",
			       ctx.trap.vector, ctx.trap.error_code, ctx.trap.fault_addr, ctx.regs.rip);
			finish(128 + 11);	/* as a shell reports a SIGSEGV */
		}
		if (ev != USER_EVENT_SYSCALL)
			continue;	/* an interrupt: nothing to deliver */
		if (nr == 60 || nr == 231)	/* exit, exit_group */
			finish((int)(ctx.regs.rdi & 0xff));
		ctx.regs.rax = (uint64_t)(nr == 1 ? sys_write(ctx.regs.rdi, ctx.regs.rsi, ctx.regs.rdx)
						  : -ENOSYS);	/* write */
	}
}
