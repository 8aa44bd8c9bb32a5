// SPDX-License-Identifier: MPL-2.0
// ktests of vmar: user memory reached from kernel code through the uaccess
// calls, whose faults go to the vmar resolver (demand paging, COW).
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include <aster/task.h>
#include "fs/file.h"
#include "mm/syscalls.h"
#include "mm/vmar_internal.h"

#define PG	PAGE_SIZE
#define RW	(PROT_READ | PROT_WRITE)
#define ANON	(MAP_PRIVATE | MAP_ANONYMOUS)

/* Make v the address space of this kernel task and of the uaccess resolver. */
static void use(struct vmar *v)
{
	vmar_init();	/* frame's own ktests may have replaced the resolver */
	vmar_set_kernel_current(v);
	task_set_vm_space(task_current(), v ? vmar_space(v) : NULL);
	if (!v)
		vm_space_activate(NULL);
}

static struct vmar *begin(void)
{
	struct vmar *v = NULL;

	if (vmar_create(&v))
		return NULL;
	use(v);
	return v;
}

static void end(struct vmar *v)
{
	use(NULL);
	vmar_put(v);
}

static uint64_t peek(uaddr_t a)
{
	uint64_t x = 0xdead;

	if (get_user_u64(&x, a))
		return 0xbad;
	return x;
}

KTEST(vmar_demand_zero_pages)
{
	size_t before = frames_free();
	struct vmar *v = begin();
	uaddr_t a = 0, b = 0;

	KT_ASSERT(v);
	KT_ASSERT_EQ(vmar_mmap(v, 0, 4 * PG, RW, ANON, NULL, 0, &a), 0);
	KT_EXPECT(a && (a & (PG - 1)) == 0 && a + 4 * PG <= MMAP_BASE_DEFAULT);
	KT_EXPECT(vmar_resident_size(v) == 0);
	KT_EXPECT(peek(a + 8) == 0 && peek(a + 4 * PG - 8) == 0);
	KT_EXPECT(put_user_u64(a + PG, 1234) == 0 && peek(a + PG) == 1234);
	KT_EXPECT(vmar_resident_size(v) == 3 * PG);
	KT_EXPECT(vmar_virtual_size(v) == 4 * PG);
	/* Top-down: the next mapping lands right below. */
	KT_ASSERT_EQ(vmar_mmap(v, 0, PG, RW, ANON, NULL, 0, &b), 0);
	KT_EXPECT(b + PG == a);
	/* A free hint is taken as is. */
	KT_ASSERT_EQ(vmar_mmap(v, 0x500000, 3000, PROT_READ, ANON, NULL, 0, &b), 0);
	KT_EXPECT(b == 0x500000 && peek(b) == 0);
	KT_EXPECT(copy_from_user(&b, 0x501000, 8) == -EFAULT);
	KT_EXPECT(vmar_addr_mapped(v, a) && !vmar_addr_mapped(v, 0x501000));
	end(v);
	KT_EXPECT(frames_free() == before);
}

KTEST(vmar_map_fixed_splits)
{
	size_t before = frames_free();
	struct vmar *v = begin();
	uaddr_t a = 0, f = 0;
	char buf[256];

	KT_ASSERT(v);
	KT_ASSERT_EQ(vmar_mmap(v, 0, 4 * PG, RW, ANON, NULL, 0, &a), 0);
	memset(buf, 'a', sizeof(buf));
	for (size_t off = 0; off < 4 * PG; off += sizeof(buf))
		KT_ASSERT(copy_to_user(a + off, buf, sizeof(buf)) == 0);
	KT_ASSERT_EQ(vmar_mmap(v, a + PG, PG, RW, ANON | MAP_FIXED, NULL, 0, &f), 0);
	KT_EXPECT(f == a + PG);
	KT_EXPECT(peek(a + PG) == 0);
	KT_EXPECT(peek(a) == 0x6161616161616161ULL && peek(a + 2 * PG) == 0x6161616161616161ULL);
	KT_EXPECT(v->nr == 1);	/* split in three, then the same kind of mapping merged back */
	KT_EXPECT(vmar_virtual_size(v) == 4 * PG);
	KT_EXPECT(vmar_mmap(v, a + 2 * PG, PG, PROT_READ, ANON | MAP_FIXED_NOREPLACE, NULL, 0, &f) ==
		  -EEXIST);
	KT_EXPECT(vmar_mmap(v, a + 4 * PG, PG, PROT_READ, ANON | MAP_FIXED_NOREPLACE, NULL, 0, &f) ==
		  0 && f == a + 4 * PG);
	KT_EXPECT(vmar_mmap(v, a + 1, PG, RW, ANON | MAP_FIXED, NULL, 0, &f) == -EINVAL);
	/* Below vm/mmap_min_addr: the kernel, like CAP_SYS_RAWIO, may (t_sysctl checks the EPERM). */
	KT_EXPECT(vmar_mmap(v, 0x1000, PG, RW, ANON | MAP_FIXED, NULL, 0, &f) == 0 && f == 0x1000);
	KT_EXPECT(vmar_mmap(v, TASK_SIZE - PG, 2 * PG, RW, ANON | MAP_FIXED, NULL, 0, &f) == -ENOMEM);
	end(v);
	KT_EXPECT(frames_free() == before);
}

KTEST(vmar_munmap_holes)
{
	size_t before = frames_free();
	struct vmar *v = begin();
	uaddr_t a = 0;
	uint64_t x;

	KT_ASSERT(v);
	KT_ASSERT_EQ(vmar_mmap(v, 0, 4 * PG, RW, ANON, NULL, 0, &a), 0);
	KT_ASSERT(clear_user(a, 4 * PG) == 0);
	KT_EXPECT(vmar_munmap(v, a + PG, PG) == 0);
	KT_EXPECT(copy_from_user(&x, a + PG, 8) == -EFAULT);
	KT_EXPECT(peek(a) == 0 && peek(a + 2 * PG) == 0);
	KT_EXPECT(v->nr == 2 && vmar_virtual_size(v) == 3 * PG);
	KT_EXPECT(vmar_munmap(v, a + 1, PG) == -EINVAL);
	KT_EXPECT(vmar_munmap(v, a, 0) == -EINVAL);
	KT_EXPECT(vmar_munmap(v, a + PG, PG) == 0);	/* nothing there: fine */
	KT_EXPECT(vmar_munmap(v, a, 4 * PG) == 0 && v->nr == 0);
	KT_EXPECT(vmar_resident_size(v) == 0);
	end(v);
	KT_EXPECT(frames_free() == before);
}

KTEST(vmar_mprotect_faults)
{
	size_t before = frames_free();
	struct vmar *v = begin();
	uaddr_t a = 0;

	KT_ASSERT(v);
	KT_ASSERT_EQ(vmar_mmap(v, 0, 3 * PG, RW, ANON, NULL, 0, &a), 0);
	KT_ASSERT(put_user_u64(a + PG, 77) == 0);
	KT_EXPECT(vmar_mprotect(v, a + PG, PG, PROT_READ) == 0);
	KT_EXPECT(v->nr == 3);
	KT_EXPECT(put_user_u64(a + PG, 1) == -EFAULT);
	KT_EXPECT(peek(a + PG) == 77);
	KT_EXPECT(put_user_u64(a, 1) == 0 && put_user_u64(a + 2 * PG, 1) == 0);
	/* Untouched page: demand-paged read-only, write refused. */
	KT_EXPECT(vmar_mprotect(v, a + 2 * PG, PG, PROT_READ) == 0);
	KT_EXPECT(vmar_mprotect(v, a + PG, 2 * PG, RW) == 0);
	KT_EXPECT(put_user_u64(a + PG, 5) == 0 && peek(a + PG) == 5);
	KT_EXPECT(v->nr == 1);	/* merged back */
	KT_EXPECT(vmar_mprotect(v, a + 1, PG, PROT_READ) == -EINVAL);
	KT_EXPECT(vmar_mprotect(v, a, PG, 0x1000) == -EINVAL);
	KT_EXPECT(vmar_mprotect(v, a, 4 * PG, PROT_READ) == -ENOMEM);
	KT_EXPECT(put_user_u64(a, 9) == 0);	/* the ENOMEM changed nothing */
	KT_EXPECT(vmar_mprotect(v, a, 0, PROT_READ) == 0);
	end(v);
	KT_EXPECT(frames_free() == before);
}

KTEST(vmar_fork_copy_on_write)
{
	size_t before = frames_free();
	struct vmar *p = begin(), *c = NULL;
	uaddr_t priv = 0, shared = 0, untouched = 0;

	KT_ASSERT(p);
	KT_ASSERT_EQ(vmar_mmap(p, 0, 2 * PG, RW, ANON, NULL, 0, &priv), 0);
	KT_ASSERT_EQ(vmar_mmap(p, 0, PG, RW, MAP_SHARED | MAP_ANONYMOUS, NULL, 0, &shared), 0);
	KT_ASSERT_EQ(vmar_mmap(p, 0, PG, RW, ANON, NULL, 0, &untouched), 0);
	KT_ASSERT(put_user_u64(priv, 1) == 0 && put_user_u64(shared, 1) == 0);
	KT_ASSERT_EQ(vmar_fork(p, &c), 0);
	KT_EXPECT(c->nr == p->nr && vmar_virtual_size(c) == vmar_virtual_size(p));
	use(c);
	KT_EXPECT(peek(priv) == 1 && peek(shared) == 1 && peek(untouched) == 0);
	KT_EXPECT(put_user_u64(priv, 2) == 0 && put_user_u64(shared, 2) == 0);
	KT_EXPECT(put_user_u64(untouched, 3) == 0);
	KT_EXPECT(peek(priv) == 2);
	use(p);
	KT_EXPECT(peek(priv) == 1);
	KT_EXPECT(peek(shared) == 2);
	KT_EXPECT(peek(untouched) == 0);
	/* The parent's copy is its own again after the child's write: no copy needed. */
	KT_EXPECT(put_user_u64(priv, 10) == 0 && peek(priv) == 10);
	use(c);
	KT_EXPECT(peek(priv) == 2);
	use(p);
	vmar_put(c);
	/* With the child gone the parent's pages are its own again. */
	KT_EXPECT(put_user_u64(priv + PG, 4) == 0 && peek(priv + PG) == 4);
	KT_EXPECT(peek(shared) == 2);
	/* PROT_NONE pages keep their contents, but copies fault until access is back. */
	KT_EXPECT(vmar_mprotect(p, shared, PG, PROT_NONE) == 0 && peek(shared) == 0xbad);
	KT_EXPECT(vmar_mprotect(p, shared, PG, PROT_READ) == 0 && peek(shared) == 2);
	end(p);
	KT_EXPECT(frames_free() == before);
}

KTEST(vmar_brk_grow_shrink)
{
	size_t before = frames_free();
	struct vmar *v = begin();
	uaddr_t b = 0, base = 0x600000;

	KT_ASSERT(v);
	vmar_set_brk_base(v, base);
	vmar_brk(v, 0, &b);
	KT_EXPECT(b == base);
	vmar_brk(v, base + 65536 + 10, &b);
	KT_EXPECT(b == base + 65536 + 10);
	KT_EXPECT(put_user_u64(base + 65536, 7) == 0 && peek(base + 65536) == 7);
	KT_EXPECT(clear_user(base, 65536) == 0);
	vmar_brk(v, base + PG, &b);
	KT_EXPECT(b == base + PG && vmar_get_brk(v) == base + PG);
	KT_EXPECT(put_user_u64(base + PG, 1) == -EFAULT);
	KT_EXPECT(put_user_u64(base, 1) == 0);
	vmar_brk(v, 1, &b);
	KT_EXPECT(b == base + PG);
	/* A mapping in the way: the break stays. */
	KT_ASSERT_EQ(vmar_mmap(v, base + 4 * PG, PG, RW, ANON | MAP_FIXED, NULL, 0, &b), 0);
	vmar_brk(v, base + 8 * PG, &b);
	KT_EXPECT(b == base + PG);
	vmar_brk(v, base, &b);
	KT_EXPECT(b == base && put_user_u64(base, 1) == -EFAULT);
	end(v);
	KT_EXPECT(frames_free() == before);
}

KTEST(vmar_overcommit_enomem)
{
	struct vmar *v = begin();
	uint64_t ram = (uint64_t)frames_total() * PAGE_SIZE;
	uaddr_t a = 0;

	KT_ASSERT(v);
	KT_EXPECT(vmar_mmap(v, 0, 1ULL << 46, RW, ANON, NULL, 0, &a) == -ENOMEM);
	KT_EXPECT(vmar_mmap(v, 0, 3 * ram, RW, ANON, NULL, 0, &a) == -ENOMEM);
	KT_EXPECT(vmar_mmap(v, 0, ~(size_t)0, RW, ANON, NULL, 0, &a) == -ENOMEM);
	KT_EXPECT(v->committed == 0);
	/* Reserving is free; making it writable is what counts. */
	KT_ASSERT_EQ(vmar_mmap(v, 0, 3 * ram, PROT_NONE, ANON, NULL, 0, &a), 0);
	KT_EXPECT(vmar_mprotect(v, a, 3 * ram, RW) == -ENOMEM);
	KT_EXPECT(vmar_mprotect(v, a, ram, RW) == 0 && v->committed == ram);
	KT_EXPECT(put_user_u64(a, 1) == 0);
	KT_EXPECT(vmar_munmap(v, a, 3 * ram) == 0 && v->committed == 0);
	end(v);
}

KTEST(vmar_fault_without_memory_is_enomem)
{
	size_t before = frames_free();
	size_t cap = frames_free() + 16, n = 0;
	struct frame **hold = kcalloc(cap, sizeof(*hold));
	struct vmar *v = begin();
	struct vm_fault vf;
	uaddr_t a = 0;

	KT_ASSERT(hold && v);
	KT_ASSERT_EQ(vmar_mmap(v, 0, 4 * PG, RW, ANON, NULL, 0, &a), 0);
	KT_ASSERT(put_user_u64(a, 1) == 0);	/* page tables exist now */
	while (n < cap && (hold[n] = frame_alloc(0)) != NULL)
		n++;
	vf = (struct vm_fault){ .addr = a + PG, .access = VM_WRITE, .present = false };
	KT_EXPECT(vmar_handle_fault(v, &vf) == -ENOMEM);
	KT_EXPECT(put_user_u64(a + 2 * PG, 1) == -EFAULT);
	while (n > 0)
		frame_put(hold[--n]);
	kfree(hold);
	KT_EXPECT(vmar_handle_fault(v, &vf) == 0 && peek(a + PG) == 0);
	end(v);
	KT_EXPECT(frames_free() == before);
}

KTEST(vmar_mremap_grow_move_shrink)
{
	size_t before = frames_free();
	struct vmar *v = begin();
	uaddr_t m = 0, g = 0, blocker = 0, x = 0;

	KT_ASSERT(v);
	KT_ASSERT_EQ(vmar_mmap(v, 0, 2 * PG, RW, ANON, NULL, 0, &m), 0);
	KT_ASSERT(put_user_u64(m, 'm') == 0 && put_user_u64(m + 2 * PG - 8, 'M') == 0);
	/* Top-down placement put the previous mapping right above: no room to grow in place. */
	KT_ASSERT_EQ(vmar_mmap(v, 0, PG, RW, ANON, NULL, 0, &blocker), 0);
	KT_ASSERT_EQ(vmar_mmap(v, m + 2 * PG, PG, PROT_READ, ANON | MAP_FIXED, NULL, 0, &blocker),
		     0);
	KT_EXPECT(vmar_mremap(v, m, 2 * PG, 64 * PG, 0, 0, &g) == -ENOMEM);
	KT_ASSERT_EQ(vmar_mremap(v, m, 2 * PG, 64 * PG, MREMAP_MAYMOVE, 0, &g), 0);
	KT_EXPECT(g != m);
	KT_EXPECT(peek(g) == 'm' && peek(g + 2 * PG - 8) == 'M' && peek(g + 2 * PG) == 0);
	KT_EXPECT(put_user_u64(g + 64 * PG - 8, 1) == 0);
	KT_EXPECT(copy_from_user(&x, m, 8) == -EFAULT);
	/* Shrink in place, then grow in place again. */
	KT_EXPECT(vmar_mremap(v, g, 64 * PG, PG, 0, 0, &x) == 0 && x == g);
	KT_EXPECT(put_user_u64(g + 2 * PG, 1) == -EFAULT);
	KT_EXPECT(vmar_mremap(v, g, PG, 3 * PG, 0, 0, &x) == 0 && x == g);
	KT_EXPECT(peek(g) == 'm' && peek(g + 2 * PG) == 0);
	/* MREMAP_FIXED onto a chosen address, replacing what was there. */
	KT_EXPECT(vmar_mremap(v, g, 3 * PG, PG, MREMAP_FIXED | MREMAP_MAYMOVE, m, &x) == 0);
	KT_EXPECT(x == m && peek(m) == 'm' && copy_from_user(&x, g, 8) == -EFAULT);
	KT_EXPECT(vmar_mremap(v, m, PG, PG, MREMAP_FIXED, g, &x) == -EINVAL);
	KT_EXPECT(vmar_mremap(v, m + 1, PG, PG, 0, 0, &x) == -EINVAL);
	KT_EXPECT(vmar_mremap(v, 0x300000, PG, 2 * PG, MREMAP_MAYMOVE, 0, &x) == -EFAULT);
	KT_EXPECT(vmar_mremap(v, m, PG, 0, 0, 0, &x) == -EINVAL);
	end(v);
	KT_EXPECT(frames_free() == before);
}

KTEST(vmar_madvise_msync)
{
	size_t before = frames_free();
	struct vmar *v = begin();
	uaddr_t a = 0;

	KT_ASSERT(v);
	KT_ASSERT_EQ(vmar_mmap(v, 0, 2 * PG, RW, ANON, NULL, 0, &a), 0);
	KT_ASSERT(put_user_u64(a, 5) == 0 && put_user_u64(a + PG, 6) == 0);
	KT_EXPECT(vmar_madvise(v, a, PG, MADV_DONTNEED) == 0);
	KT_EXPECT(peek(a) == 0 && peek(a + PG) == 6);
	KT_EXPECT(vmar_madvise(v, a, PG, MADV_NORMAL) == 0);
	KT_EXPECT(vmar_madvise(v, a, PG, 6) == -EINVAL);
	KT_EXPECT(vmar_madvise(v, a + 1, PG, MADV_DONTNEED) == -EINVAL);
	KT_EXPECT(vmar_madvise(v, a, 4 * PG, MADV_NORMAL) == -ENOMEM);
	KT_EXPECT(vmar_msync(v, a, 2 * PG, MS_SYNC) == 0);
	KT_EXPECT(vmar_msync(v, a, 2 * PG, MS_SYNC | MS_ASYNC) == -EINVAL);
	KT_EXPECT(vmar_msync(v, a, 2 * PG, 8) == -EINVAL);
	KT_EXPECT(vmar_msync(v, a + 1, PG, MS_SYNC) == -EINVAL);
	KT_EXPECT(vmar_msync(v, a, 3 * PG, MS_SYNC) == -ENOMEM);
	/* mincore writes into the same vmar it inspects (the copy faults the page in). */
	KT_EXPECT(vmar_madvise(v, a, PG, MADV_DONTNEED) == 0);
	KT_EXPECT(vmar_mincore(v, a, 2 * PG, a + PG + 100) == 0);
	KT_EXPECT((peek(a + PG + 100) & 0xffff) == 0x0100);
	KT_EXPECT(vmar_mincore(v, a, 3 * PG, a + PG) == -ENOMEM);
	KT_EXPECT(vmar_mincore(v, a + 1, PG, a + PG) == -EINVAL);
	KT_EXPECT(vmar_mincore(v, a, PG, 0x1000) == -EFAULT);
	end(v);
	KT_EXPECT(frames_free() == before);
}

/* A two-page file whose pages are frames it keeps (as a page cache would). */
static struct frame *file_pages[2];

static int test_get_page(struct file *f, uint64_t pgoff, struct frame **out)
{
	(void)f;
	if (pgoff >= ARRAY_SIZE(file_pages))
		return -ENXIO;
	frame_get(file_pages[pgoff]);
	*out = file_pages[pgoff];
	return 0;
}

static const struct file_ops test_fops = { .get_page = test_get_page };
static const struct file_ops no_mmap_fops = { .get_page = NULL };

KTEST(vmar_file_mappings)
{
	size_t before = frames_free();
	struct vmar *v = begin();
	struct file *rw = file_alloc(&test_fops, O_RDWR, NULL);
	struct file *ro = file_alloc(&test_fops, 0, NULL);
	struct file *wo = file_alloc(&test_fops, O_WRONLY, NULL);
	struct file *nodev = file_alloc(&no_mmap_fops, O_RDWR, NULL);
	uaddr_t p = 0, s = 0, x = 0;
	uint64_t val = 0;

	file_pages[0] = frame_alloc(0);
	file_pages[1] = frame_alloc(0);
	KT_ASSERT(v && rw && ro && wo && nodev && file_pages[0] && file_pages[1]);
	frame_fill(file_pages[0], 0, 'f', PG);
	frame_fill(file_pages[1], 0, 'g', PG);
	KT_ASSERT_EQ(vmar_mmap(v, 0, 3 * PG, RW, MAP_PRIVATE, rw, 0, &p), 0);
	KT_ASSERT_EQ(vmar_mmap(v, 0, 2 * PG, RW, MAP_SHARED, rw, 0, &s), 0);
	KT_EXPECT(peek(p) == 0x6666666666666666ULL && peek(p + PG) == 0x6767676767676767ULL);
	/* Private write: a copy; the file frame is unchanged. */
	KT_EXPECT(put_user_u64(p, 1) == 0 && peek(p) == 1);
	frame_read(file_pages[0], 0, &val, 8);
	KT_EXPECT(val == 0x6666666666666666ULL);
	/* Shared write: the file's own frame. */
	KT_EXPECT(put_user_u64(s + PG, 2) == 0);
	frame_read(file_pages[1], 0, &val, 8);
	KT_EXPECT(val == 2);
	frame_write(file_pages[0], 8, "W", 1);
	KT_EXPECT((peek(s + 8) & 0xff) == 'W');
	KT_EXPECT(peek(p) == 1);
	/* Beyond the end of the file: SIGBUS for user faults, EFAULT for copies. */
	KT_EXPECT(copy_from_user(&val, p + 2 * PG, 8) == -EFAULT);
	{
		struct vm_fault vf = { .addr = p + 2 * PG, .access = VM_READ };

		KT_EXPECT(vmar_handle_fault(v, &vf) == -ENXIO);
	}
	KT_EXPECT(vmar_mmap(v, 0, PG, RW, MAP_SHARED, ro, 0, &x) == -EACCES);
	KT_EXPECT(vmar_mmap(v, 0, PG, PROT_READ, MAP_SHARED, ro, 0, &x) == 0);
	KT_EXPECT(vmar_mprotect(v, x, PG, RW) == -EACCES);
	KT_EXPECT(vmar_mmap(v, 0, PG, RW, MAP_PRIVATE, ro, 0, &x) == 0);
	KT_EXPECT(vmar_mmap(v, 0, PG, PROT_READ, MAP_PRIVATE, wo, 0, &x) == -EACCES);
	KT_EXPECT(vmar_mmap(v, 0, PG, PROT_READ, MAP_PRIVATE, nodev, 0, &x) == -ENODEV);
	KT_EXPECT(vmar_mmap(v, 0, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x80000, rw, 0, &x) ==
		  -EOPNOTSUPP);
	KT_EXPECT(vmar_mmap(v, 0, PG, PROT_READ, MAP_SHARED_VALIDATE, rw, 0, &x) == 0);
	KT_EXPECT(vmar_mmap(v, 0, PG, PROT_READ, MAP_PRIVATE, rw, 100, &x) == -EINVAL);
	/* The mappings hold the file. */
	file_put(rw);
	file_put(ro);
	KT_EXPECT(peek(s + PG) == 2);
	end(v);
	file_put(wo);
	file_put(nodev);
	frame_put(file_pages[0]);
	frame_put(file_pages[1]);
	KT_EXPECT(frames_free() == before);
}

KTEST(vmar_mmap_syscall_errors)
{
	struct vmar *v = begin();
	uaddr_t x = 0;

	KT_ASSERT(v);
	KT_EXPECT(vmar_mmap(v, 0, 0, RW, ANON, NULL, 0, &x) == -EINVAL);
	KT_EXPECT(vmar_mmap(v, 0, PG, RW, MAP_ANONYMOUS, NULL, 0, &x) == -EINVAL);
	KT_EXPECT(vmar_mmap(v, 0, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, NULL, 0,
			    &x) == -EINVAL);
	KT_EXPECT(vmar_mmap(v, 0, PG, RW, ANON | MAP_GROWSDOWN | MAP_STACK | MAP_POPULATE, NULL, 0,
			    &x) == 0);
	KT_EXPECT(vmar_resident_size(v) == PG);
	/* A fault just below a MAP_GROWSDOWN mapping grows it. */
	KT_EXPECT(put_user_u64(x - 8, 1) == 0 && vmar_virtual_size(v) == 2 * PG);
	KT_EXPECT(mm_do_mmap(v, NULL, 0x1000, PG, PROT_READ, ANON | MAP_FIXED, -1, 1) == -EINVAL);
	KT_EXPECT(mm_do_mmap(v, NULL, 0x1000, PG, PROT_READ, MAP_PRIVATE, 9999, 0) == -EBADF);
	KT_EXPECT(mm_do_mmap(v, NULL, 0, PG, PROT_READ, ANON, 9999, 0) > 0);
	end(v);
}

/* An edit's room is made when the lock is taken, and each insert uses one. */
KTEST(vmar_edit_room_reserved_up_front)
{
	struct vmar *v = begin();
	struct vma m = { .start = 0x10000000, .end = 0x10001000, .prot = RW };

	KT_ASSERT(v != NULL);
	KT_ASSERT_EQ(vmar_lock_edit(v, 40), 0);
	KT_ASSERT(v->cap >= v->nr + 40);
	KT_ASSERT_EQ(v->room, 40);
	vma_insert(v, &m);
	KT_ASSERT_EQ(v->room, 39);
	vmar_unlock(v);
	KT_ASSERT_EQ(v->room, 0);
	end(v);
}

/*
 * Planted bug: an insert under a plain vmar_lock (no room said up front)
 * would have had to grow the array behind the caller's pointers.  It must
 * end in a BUG report, never a write past the array.
 */
KTEST_MANUAL(planted_vma_insert_without_room)
{
	struct vmar *v = begin();
	struct vma m = { .start = 0x10000000, .end = 0x10001000, .prot = RW };

	KT_ASSERT(v != NULL);
	vmar_lock(v);
	vma_insert(v, &m);
	vmar_unlock(v);
	ktest_fail(ktest_ctx, __FILE__, __LINE__, "insert without room was not caught");
	end(v);
}

/*
 * A special mapping of two kernel frames: faults map the frames
 * themselves, writes never reach them (COW after mprotect), and no edit
 * may split it (Linux's special_mapping_split); munmap of all of it works.
 */
KTEST(vmar_special_mapping_rules)
{
	size_t before = frames_free();
	struct frame *fr[2] = { frame_alloc(FRAME_ZERO), frame_alloc(FRAME_ZERO) };
	struct vmar_special sp = { .name = "[test]", .frames = fr, .npages = 2,
				   .prot = PROT_READ | PROT_EXEC, .may_write = true };
	struct vmar_special ro = { .name = "[ro]", .frames = fr, .npages = 1, .prot = PROT_READ };
	const struct vmar_special *const both[] = { &ro, &sp };
	struct vmar *v = begin();
	uaddr_t a = 0, out = 0;
	uint64_t x = 0x1234;

	KT_ASSERT(v && fr[0] && fr[1]);
	KT_ASSERT(frame_write(fr[1], 8, &x, sizeof(x)) == 0);
	KT_ASSERT_EQ(vmar_map_special(v, both, 2, &a), 0);
	KT_EXPECT(peek(a + PG + PG + 8) == 0x1234);	/* sp's second page is fr[1] */
	KT_EXPECT(put_user_u64(a + PG, 1) == -EFAULT);	/* read+exec only */
	KT_EXPECT(vmar_mprotect(v, a, PG, RW) == -EACCES);	/* [ro]: no may_write */
	KT_EXPECT(vmar_munmap(v, a + PG, PG) == -EINVAL);	/* would split sp */
	KT_EXPECT(vmar_mprotect(v, a + 2 * PG, PG, RW) == -EINVAL);
	KT_EXPECT(vmar_mmap(v, a + 2 * PG, PG, RW, ANON | MAP_FIXED, NULL, 0, &out) == -EINVAL);
	KT_EXPECT(vmar_mremap(v, a + PG, 2 * PG, 3 * PG, MREMAP_MAYMOVE, 0, &out) == -EFAULT);
	KT_EXPECT(vmar_mremap(v, a + PG, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 8 * PG, &out) == -EINVAL);
	KT_EXPECT(vmar_mprotect(v, a + PG, 2 * PG, PROT_READ | PROT_WRITE | PROT_EXEC) == 0);
	KT_EXPECT(put_user_u64(a + 2 * PG + 8, 99) == 0);
	KT_EXPECT(peek(a + 2 * PG + 8) == 99);
	x = 0;
	KT_EXPECT(frame_read(fr[1], 8, &x, sizeof(x)) == 0 && x == 0x1234);	/* copied, not written */
	KT_EXPECT(vmar_munmap(v, a + PG, 2 * PG) == 0);
	KT_EXPECT(!vmar_addr_mapped(v, a + PG));
	end(v);
	frame_put(fr[0]);
	frame_put(fr[1]);
	KT_EXPECT(frames_free() == before);
}
