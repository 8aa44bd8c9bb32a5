// SPDX-License-Identifier: MPL-2.0
// ktests of address spaces, user-memory access and user page faults.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/uaccess.h>
#include <aster/user.h>
#include <aster/vm_space.h>

#define VA	0x10000000UL
#define RW	(VM_READ | VM_WRITE | VM_USER)
#define RO	(VM_READ | VM_USER)

/* The frame mapped at va (for identity checks; the mapping keeps it alive), or NULL. */
static struct frame *query(struct vm_space *vs, uaddr_t va, unsigned int *prot)
{
	struct frame *f;

	if (vm_query(vs, va, &f, prot))
		return NULL;
	frame_put(f);
	return f;
}

KTEST(vm_map_query_protect_unmap)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	struct frame *f = frame_alloc(FRAME_ZERO), *g = frame_alloc(0), *q;
	unsigned int prot;

	KT_ASSERT(vs && f && g);
	KT_EXPECT(vm_map(vs, VA, f, RW) == 0);
	KT_EXPECT(frame_refcount(f) == 2);
	KT_EXPECT(vm_query(vs, VA + 123, &q, &prot) == 0 && q == f);
	KT_EXPECT(frame_refcount(f) == 3);	/* the query's own reference */
	frame_put(q);
	KT_EXPECT((prot & ~(VM_ACCESSED | VM_DIRTY)) == RW);
	KT_EXPECT(vm_protect(vs, VA, PAGE_SIZE, RO | VM_EXEC) == 0);
	KT_EXPECT(query(vs, VA, &prot) == f && (prot & 0xff) == (RO | VM_EXEC));
	KT_EXPECT(vm_protect(vs, VA, PAGE_SIZE, VM_READ | VM_CACHE_UC) == 0);
	KT_EXPECT(query(vs, VA, &prot) == f && (prot & 0xff) == (VM_READ | VM_CACHE_UC));
	KT_EXPECT(vm_query(vs, VA + PAGE_SIZE, &q, &prot) == -ENOENT);
	KT_EXPECT(vm_query(vs, USER_SPACE_TOP, &q, &prot) == -ENOENT);
	/* Replacing a mapping drops the old frame's reference. */
	KT_EXPECT(vm_map(vs, VA, g, RW | VM_CACHE_WC) == 0);
	KT_EXPECT(frame_refcount(f) == 1 && frame_refcount(g) == 2);
	KT_EXPECT(query(vs, VA, &prot) == g && (prot & VM_CACHE_MASK) == VM_CACHE_WC);
	KT_EXPECT(vm_unmap(vs, VA, PAGE_SIZE) == 0);
	KT_EXPECT(frame_refcount(g) == 1);
	KT_EXPECT(vm_query(vs, VA, &q, &prot) == -ENOENT);
	KT_EXPECT(vm_map(vs, VA, f, RO) == 0);	/* left mapped for the teardown */
	frame_put(f);
	frame_put(g);
	vm_space_put(vs);
	KT_EXPECT(frames_free() == before);	/* tables and frames freed */
}

KTEST(vm_map_rejects_bad_arguments)
{
	struct vm_space *vs = vm_space_create();
	struct frame *f = frame_alloc(0);

	KT_ASSERT(vs && f);
	KT_EXPECT(vm_map(vs, VA + 1, f, RO) == -EINVAL);
	KT_EXPECT(vm_map(vs, USER_SPACE_TOP, f, RO) == -EINVAL);
	KT_EXPECT(vm_map(vs, 0xffff800000000000UL, f, RO) == -EINVAL);
	KT_EXPECT(vm_map(vs, VA, f, RO | 0x40) == -EINVAL);
	KT_EXPECT(vm_map(vs, VA, f, RO | VM_CACHE_MASK) == -EINVAL);
	KT_EXPECT(vm_map(vs, VA, NULL, RO) == -EINVAL);
	KT_EXPECT(vm_unmap(vs, VA, 100) == -EINVAL);
	KT_EXPECT(vm_unmap(vs, USER_SPACE_TOP - PAGE_SIZE, 2 * PAGE_SIZE) == -EINVAL);
	KT_EXPECT(vm_protect(vs, VA, PAGE_SIZE, 0x40) == -EINVAL);
	KT_EXPECT(frame_refcount(f) == 1);
	frame_put(f);
	vm_space_put(vs);
}

KTEST(vm_unmap_sparse_range_and_refcounts)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	struct frame *f = frame_alloc(0);
	static const uint64_t where[] = { 0, VA, GiB(1) + 5 * PAGE_SIZE, GiB(600),
					  USER_SPACE_TOP - PAGE_SIZE };

	KT_ASSERT(vs && f);
	for (size_t i = 0; i < ARRAY_SIZE(where); i++)
		KT_EXPECT(vm_map(vs, where[i], f, RO) == 0);
	KT_EXPECT(frame_refcount(f) == 1 + ARRAY_SIZE(where));
	/* The whole user half: absent tables are skipped, so this is quick. */
	KT_EXPECT(vm_unmap(vs, 0, USER_SPACE_TOP) == 0);
	KT_EXPECT(frame_refcount(f) == 1);
	/* Many pages: more than one flush batch. */
	for (uint64_t a = VA; a < VA + 100 * PAGE_SIZE; a += PAGE_SIZE)
		KT_EXPECT(vm_map(vs, a, f, RW) == 0);
	KT_EXPECT(frame_refcount(f) == 101);
	KT_EXPECT(vm_protect(vs, VA, 100 * PAGE_SIZE, RO) == 0);
	KT_EXPECT(vm_unmap(vs, VA + PAGE_SIZE, 98 * PAGE_SIZE) == 0);
	KT_EXPECT(frame_refcount(f) == 3);
	vm_space_put(vs);
	KT_EXPECT(frame_refcount(f) == 1);
	frame_put(f);
	KT_EXPECT(frames_free() == before);
}

KTEST(vm_space_refcount_keeps_it_alive)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	struct frame *f = frame_alloc(0);
	unsigned int prot;

	KT_ASSERT(vs && f);
	KT_EXPECT(vm_map(vs, VA, f, RO) == 0);
	vm_space_get(vs);
	vm_space_put(vs);
	KT_EXPECT(query(vs, VA, &prot) == f);
	frame_put(f);
	vm_space_put(vs);
	KT_EXPECT(frames_free() == before);
}

/* A page without access keeps its frame and contents, and gets access back. */
KTEST(vm_noaccess_page_keeps_its_frame)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	struct frame *f = frame_alloc(FRAME_ZERO);
	unsigned int prot;
	uint64_t v = 0;

	KT_ASSERT(vs && f);
	KT_EXPECT(vm_map(vs, VA, f, RW) == 0);
	task_set_vm_space(task_current(), vs);
	KT_EXPECT(put_user_u64(VA, 0x5a5a) == 0);
	KT_EXPECT(vm_protect(vs, VA, PAGE_SIZE, VM_USER) == 0);
	KT_EXPECT(query(vs, VA, &prot) == f && (prot & (VM_READ | VM_WRITE | VM_EXEC)) == 0);
	KT_EXPECT(get_user_u64(&v, VA) == -EFAULT && put_user_u64(VA, 1) == -EFAULT);
	KT_EXPECT(vm_protect(vs, VA, PAGE_SIZE, RW) == 0);
	KT_EXPECT(get_user_u64(&v, VA) == 0 && v == 0x5a5a);
	/* Mapped without access from the start; unmapping drops the reference. */
	KT_EXPECT(vm_map(vs, VA + PAGE_SIZE, f, 0) == 0 && frame_refcount(f) == 3);
	KT_EXPECT(get_user_u64(&v, VA + PAGE_SIZE) == -EFAULT);
	KT_EXPECT(vm_unmap(vs, VA + PAGE_SIZE, PAGE_SIZE) == 0 && frame_refcount(f) == 2);
	KT_EXPECT(vm_map(vs, VA + PAGE_SIZE, f, VM_USER) == 0);	/* left for the teardown */
	task_set_vm_space(task_current(), NULL);
	vm_space_activate(NULL);
	frame_put(f);
	vm_space_put(vs);
	KT_EXPECT(frames_free() == before);
}

/* A test address space: one read-write page at VA, one read-only page after it. */
struct uspace {
	struct vm_space *vs;
	struct frame *rw, *ro;
};

static bool uspace_setup(struct uspace *u)
{
	u->vs = vm_space_create();
	u->rw = frame_alloc(FRAME_ZERO);
	u->ro = frame_alloc(FRAME_ZERO);
	if (!u->vs || !u->rw || !u->ro)
		return false;
	if (vm_map(u->vs, VA, u->rw, RW) || vm_map(u->vs, VA + PAGE_SIZE, u->ro, RO))
		return false;
	frame_write(u->ro, 0, "ro-data", 8);
	task_set_vm_space(task_current(), u->vs);
	return true;
}

static void uspace_teardown(struct uspace *u)
{
	task_set_vm_space(task_current(), NULL);
	vm_space_activate(NULL);
	frame_put(u->rw);
	frame_put(u->ro);
	vm_space_put(u->vs);
}

KTEST(uaccess_copies_and_faults)
{
	size_t before = frames_free();
	struct uspace u;
	char buf[32];
	uint64_t v = 0;
	uint32_t w = 0;

	KT_ASSERT(uspace_setup(&u));
	KT_EXPECT(copy_to_user(VA + 100, "hello", 6) == 0);
	KT_EXPECT(copy_from_user(buf, VA + 100, 6) == 0 && strcmp(buf, "hello") == 0);
	KT_EXPECT(strncpy_from_user(buf, VA + 100, sizeof(buf)) == 5 && strcmp(buf, "hello") == 0);
	KT_EXPECT(strncpy_from_user(buf, VA + PAGE_SIZE, sizeof(buf)) == 7);
	KT_EXPECT(strncpy_from_user(buf, VA + 100, 6) == 5);	/* the NUL is the 6th byte */
	KT_EXPECT(strncpy_from_user(buf, VA + 100, 5) == -ENAMETOOLONG);
	KT_EXPECT(put_user_u64(VA, 0x1234) == 0 && get_user_u64(&v, VA) == 0 && v == 0x1234);
	KT_EXPECT(put_user_u32(VA + 8, 0xdeadbeef) == 0 && get_user_u32(&w, VA + 8) == 0);
	KT_EXPECT(w == 0xdeadbeef);
	/* Compare-exchange: a mismatch stores nothing, a match does; faults and misalignment fail. */
	KT_EXPECT(cmpxchg_user_u32(VA + 8, 1, 2, &w) == 0 && w == 0xdeadbeef);
	KT_EXPECT(cmpxchg_user_u32(VA + 8, 0xdeadbeef, 7, &w) == 0 && w == 0xdeadbeef);
	KT_EXPECT(get_user_u32(&w, VA + 8) == 0 && w == 7);
	KT_EXPECT(cmpxchg_user_u32(VA + 9, 7, 8, &w) == -EINVAL);
	KT_EXPECT(cmpxchg_user_u32(VA + PAGE_SIZE, 0, 1, &w) == -EFAULT);
	KT_EXPECT(cmpxchg_user_u32(VA + 2 * PAGE_SIZE, 0, 1, &w) == -EFAULT);
	KT_EXPECT(cmpxchg_user_u32(0xffff800000100000UL, 0, 1, &w) == -EFAULT);
	/* Odd sizes and alignments go through both the 8-byte and the byte loop. */
	KT_EXPECT(copy_to_user(VA + 3, "0123456789abcdefghij", 21) == 0);
	KT_EXPECT(copy_from_user(buf, VA + 3, 21) == 0 && strcmp(buf, "0123456789abcdefghij") == 0);
	KT_EXPECT(clear_user(VA + 5, 11) == 0 && get_user_u64(&v, VA + 8) == 0 && v == 0);
	KT_EXPECT(copy_from_user(buf, VA, 0) == 0);
	/* Unmapped, read-only, kernel, non-canonical, wrapping, beyond the user half. */
	KT_EXPECT(copy_from_user(buf, VA + 2 * PAGE_SIZE, 1) == -EFAULT);
	KT_EXPECT(copy_to_user(VA + 2 * PAGE_SIZE, "x", 1) == -EFAULT);
	KT_EXPECT(copy_to_user(VA + PAGE_SIZE, "x", 1) == -EFAULT);
	KT_EXPECT(put_user_u32(VA + PAGE_SIZE + 8, 1) == -EFAULT);
	KT_EXPECT(clear_user(VA + PAGE_SIZE, 8) == -EFAULT);
	KT_EXPECT(copy_from_user(buf, 0xffffffff80000000UL, 8) == -EFAULT);
	KT_EXPECT(copy_from_user(buf, 0xffff800000100000UL, 8) == -EFAULT);
	KT_EXPECT(copy_from_user(buf, 0x8000000000000000UL, 8) == -EFAULT);
	KT_EXPECT(copy_to_user(0x0000800000000000UL, "x", 1) == -EFAULT);
	KT_EXPECT(copy_from_user(buf, 0x00007ffffffffff0UL, 32) == -EFAULT);
	KT_EXPECT(copy_from_user(buf, UINT64_MAX - 4, 8) == -EFAULT);
	KT_EXPECT(copy_from_user(buf, VA, SIZE_MAX) == -EFAULT);
	KT_EXPECT(strncpy_from_user(buf, 0x8000000000000000UL, 8) == -EFAULT);
	KT_EXPECT(clear_user(0, 8) == -EFAULT);
	/* Across the end of the read-only page into nothing. */
	KT_EXPECT(copy_from_user(buf, VA + 2 * PAGE_SIZE - 8, 16) == -EFAULT);
	/* Across from the read-write page into the read-only one. */
	KT_EXPECT(copy_to_user(VA + PAGE_SIZE - 4, "12345678", 8) == -EFAULT);
	KT_EXPECT(copy_to_user(VA + PAGE_SIZE - 1, "1", 2) == -EFAULT);
	/* No NUL within max, and a string running into unmapped memory. */
	frame_fill(u.rw, 0, 'a', PAGE_SIZE);
	KT_EXPECT(strncpy_from_user(buf, VA, sizeof(buf)) == -ENAMETOOLONG);
	frame_fill(u.ro, 0, 'b', PAGE_SIZE);
	KT_EXPECT(strncpy_from_user(buf, VA + 2 * PAGE_SIZE - 4, sizeof(buf)) == -EFAULT);
	/* A string crossing from one page to the next. */
	frame_write(u.ro, 0, "xyz", 4);
	KT_EXPECT(strncpy_from_user(buf, VA + PAGE_SIZE - 2, sizeof(buf)) == 5);
	KT_EXPECT(strcmp(buf, "aaxyz") == 0);
	uspace_teardown(&u);
	KT_EXPECT(frames_free() == before);
}

KTEST(uaccess_frames_without_bounce_buffer)
{
	struct uspace u;
	struct frame *f = frame_alloc(FRAME_ZERO);
	char buf[8];

	KT_ASSERT(f && uspace_setup(&u));
	frame_write(f, 100, "framed!", 8);
	KT_EXPECT(copy_frame_to_user(VA + 10, f, 100, 8) == 0);
	KT_EXPECT(copy_from_user(buf, VA + 10, 8) == 0 && strcmp(buf, "framed!") == 0);
	KT_EXPECT(copy_frame_from_user(f, PAGE_SIZE - 8, VA + PAGE_SIZE, 8) == 0);
	KT_EXPECT(frame_read(f, PAGE_SIZE - 8, buf, 8) == 0 && strcmp(buf, "ro-data") == 0);
	KT_EXPECT(copy_frame_to_user(VA + PAGE_SIZE, f, 0, 8) == -EFAULT);
	KT_EXPECT(copy_frame_to_user(VA, f, PAGE_SIZE - 4, 8) == -EINVAL);
	KT_EXPECT(copy_frame_from_user(f, 0, VA + 2 * PAGE_SIZE, 1) == -EFAULT);
	uspace_teardown(&u);
	frame_put(f);
}

/* Demand paging and copy-on-write through the uaccess fault resolver. */
static struct vm_space *resolver_vs;
static unsigned int resolver_calls;
static struct vm_fault resolver_last;

static int test_resolver(const struct vm_fault *vf)
{
	uaddr_t page = ALIGN_DOWN(vf->addr, PAGE_SIZE);
	struct frame *f, *old;
	unsigned int prot;
	int err;

	resolver_calls++;
	resolver_last = *vf;
	if (page >= VA + 16 * PAGE_SIZE || page < VA)
		return -EFAULT;	/* outside the "mapped area" */
	if (!vf->present) {
		f = frame_alloc(FRAME_ZERO);
		if (!f)
			return -ENOMEM;
		err = vm_map(resolver_vs, page, f, RO);	/* a read-only page first */
		frame_put(f);
		return err;
	}
	if (vf->access != VM_WRITE || vm_query(resolver_vs, page, &old, &prot))
		return -EFAULT;
	f = frame_alloc(0);	/* copy on write */
	if (f)
		frame_copy(f, old);
	frame_put(old);
	if (!f)
		return -ENOMEM;
	err = vm_map(resolver_vs, page, f, RW);
	frame_put(f);
	return err;
}

static int refusing_resolver(const struct vm_fault *vf)
{
	resolver_calls++;
	resolver_last = *vf;
	return 0;	/* claims success without mapping anything */
}

KTEST(uaccess_fault_resolver_demand_paging_and_cow)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	char buf[16];
	uint64_t v = 1;

	KT_ASSERT(vs);
	resolver_vs = vs;
	resolver_calls = 0;
	task_set_vm_space(task_current(), vs);
	vm_set_fault_handler(test_resolver);
	/* A read of a never-touched page: mapped on demand, reads zero. */
	KT_EXPECT(get_user_u64(&v, VA + 8) == 0 && v == 0);
	KT_EXPECT(resolver_calls == 1 && !resolver_last.present);
	KT_EXPECT(resolver_last.addr == VA + 8 && resolver_last.access == VM_READ);
	KT_EXPECT(!resolver_last.user);
	/* A write to it: copy-on-write. */
	KT_EXPECT(put_user_u64(VA + 8, 77) == 0 && get_user_u64(&v, VA + 8) == 0 && v == 77);
	KT_EXPECT(resolver_calls == 2 && resolver_last.present && resolver_last.access == VM_WRITE);
	/* A write to an untouched page needs both: demand, then copy-on-write. */
	resolver_calls = 0;
	KT_EXPECT(copy_to_user(VA + 3 * PAGE_SIZE - 4, "spans-two", 10) == 0);
	KT_EXPECT(resolver_calls == 4);
	KT_EXPECT(copy_from_user(buf, VA + 3 * PAGE_SIZE - 4, 10) == 0);
	KT_EXPECT(strcmp(buf, "spans-two") == 0);
	KT_EXPECT(strncpy_from_user(buf, VA + 5 * PAGE_SIZE, sizeof(buf)) == 0);
	KT_EXPECT(clear_user(VA + 6 * PAGE_SIZE, 3 * PAGE_SIZE) == 0);
	/* The resolver refuses: -EFAULT. */
	KT_EXPECT(copy_from_user(buf, VA + 100 * PAGE_SIZE, 8) == -EFAULT);
	/* A resolver that does nothing cannot make a copy loop forever. */
	vm_set_fault_handler(refusing_resolver);
	resolver_calls = 0;
	KT_EXPECT(copy_from_user(buf, VA + 200 * PAGE_SIZE, 8) == -EFAULT);
	KT_EXPECT(resolver_calls == 1);
	vm_set_fault_handler(NULL);
	KT_EXPECT(copy_from_user(buf, VA + 300 * PAGE_SIZE, 8) == -EFAULT);
	task_set_vm_space(task_current(), NULL);
	vm_space_activate(NULL);
	vm_space_put(vs);
	KT_EXPECT(frames_free() == before);
}

KTEST(vm_fault_decode_error_codes)
{
	struct user_trap t = { .vector = 14, .fault_addr = 0x1234, .error_code = PF_USER | PF_WRITE };
	struct vm_fault vf;

	KT_EXPECT(vm_fault_decode(&t, &vf) == 0);
	KT_EXPECT(vf.addr == 0x1234 && vf.access == VM_WRITE && !vf.present && vf.user);
	t.error_code = PF_USER | PF_PRESENT | PF_INSTR;
	KT_EXPECT(vm_fault_decode(&t, &vf) == 0 && vf.access == VM_EXEC && vf.present);
	t.error_code = 0;
	KT_EXPECT(vm_fault_decode(&t, &vf) == 0 && vf.access == VM_READ && !vf.user);
	t.vector = 13;
	KT_EXPECT(vm_fault_decode(&t, &vf) == -EINVAL);
}

/*
 * User mode in a vm_space: a write to a read-only page, a read of an
 * unmapped page (then mapped on demand), and a jump into a no-execute page,
 * each reported as a page fault kernel/ can decode.
 *
 *	movabs $RO_VA, %rax;  movq $1, (%rax)		write fault, present
 *	mov 0x1000(%rax), %rax				read fault, not present
 *	mov %rax, %rbx
 *	movabs $NX_VA, %rax;  jmp *%rax			exec fault, present
 */
#define CODE_VA	0x400000UL
#define RO_VA	0x600000UL
#define NX_VA	0x800000UL

static const uint8_t fault_program[] = {
	0x48, 0xb8, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x48, 0xc7, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x48, 0x8b, 0x80, 0x00, 0x10, 0x00, 0x00,
	0x48, 0x89, 0xc3,
	0x48, 0xb8, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xe0,
};

static struct user_context fault_ctx;

/* Run until something other than an interrupt happens. */
static enum user_event run_user(struct user_context *ctx)
{
	enum user_event ev;

	do
		ev = user_run(ctx);
	while (ev == USER_EVENT_INTERRUPT);
	return ev;
}

KTEST(vm_user_mode_page_faults)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	struct frame *code = frame_alloc(FRAME_ZERO), *ro = frame_alloc(FRAME_ZERO);
	struct frame *data = frame_alloc(FRAME_ZERO), *nx = frame_alloc(FRAME_ZERO);
	uint64_t magic = 0x5eed5eed;
	struct vm_fault vf;

	KT_ASSERT(vs && code && ro && data && nx);
	frame_write(code, 0, fault_program, sizeof(fault_program));
	frame_write(data, 0, &magic, sizeof(magic));
	KT_ASSERT(vm_map(vs, CODE_VA, code, VM_READ | VM_EXEC | VM_USER) == 0);
	KT_ASSERT(vm_map(vs, RO_VA, ro, RO) == 0);
	KT_ASSERT(vm_map(vs, NX_VA, nx, RW) == 0);
	task_set_vm_space(task_current(), vs);
	user_context_init(&fault_ctx);
	fault_ctx.regs.rip = CODE_VA;

	KT_EXPECT(run_user(&fault_ctx) == USER_EVENT_EXCEPTION);
	KT_EXPECT(vm_fault_decode(&fault_ctx.trap, &vf) == 0);
	KT_EXPECT(vf.addr == RO_VA && vf.access == VM_WRITE && vf.present && vf.user);
	/* Make it writable and retry the instruction. */
	KT_EXPECT(vm_protect(vs, RO_VA, PAGE_SIZE, RW) == 0);
	KT_EXPECT(run_user(&fault_ctx) == USER_EVENT_EXCEPTION);
	KT_EXPECT(vm_fault_decode(&fault_ctx.trap, &vf) == 0);
	KT_EXPECT(vf.addr == RO_VA + PAGE_SIZE && vf.access == VM_READ && !vf.present);
	/* Demand paging. */
	KT_EXPECT(vm_map(vs, RO_VA + PAGE_SIZE, data, RO) == 0);
	KT_EXPECT(run_user(&fault_ctx) == USER_EVENT_EXCEPTION);
	KT_EXPECT(vm_fault_decode(&fault_ctx.trap, &vf) == 0);
	KT_EXPECT(vf.addr == NX_VA && vf.access == VM_EXEC && vf.present);
	KT_EXPECT(fault_ctx.regs.rbx == magic);
	KT_EXPECT(fault_ctx.regs.rip == NX_VA);
	KT_EXPECT(frame_read(ro, 0, &magic, sizeof(magic)) == 0 && magic == 1);
	task_set_vm_space(task_current(), NULL);
	vm_space_activate(NULL);
	frame_put(code);
	frame_put(ro);
	frame_put(data);
	frame_put(nx);
	vm_space_put(vs);
	KT_EXPECT(frames_free() == before);
}
