// SPDX-License-Identifier: MPL-2.0
// ktests of the vmar side of the NUMA calls (mbind.c): per-mapping
// policies split and merge with their mappings, STRICT's EIO, the home
// node, page status, and process_mrelease's reaping.
#include <aster/ktest.h>
#include <aster/task.h>
#include "mm/mempolicy_internal.h"
#include "mm/vmar_internal.h"
#include "uapi/mempolicy.h"

#define PG	PAGE_SIZE
#define RW	(PROT_READ | PROT_WRITE)
#define ANON	(MAP_PRIVATE | MAP_ANONYMOUS)

static void use(struct vmar *v)
{
	vmar_init();
	vmar_set_kernel_current(v);
	task_set_vm_space(task_current(), v ? vmar_space(v) : NULL);
	if (!v)
		vm_space_activate(NULL);
}

static size_t nr_maps(struct vmar *v)
{
	size_t n;

	vmar_lock(v);
	n = v->nr;
	vmar_unlock(v);
	return n;
}

static int mode_at(struct vmar *v, uaddr_t a)
{
	struct mempolicy p;

	return vmar_policy_at(v, a, &p) ? -1 : p.mode;
}

KTEST(mempolicy_mbind_split_merge)
{
	size_t before = frames_free();
	struct mempolicy bind = { .mode = MPOL_BIND }, none = { 0 };
	struct vmar *v = NULL;
	uaddr_t a = 0;

	KT_ASSERT_EQ(vmar_create(&v), 0);
	use(v);
	KT_ASSERT_EQ(vmar_mmap(v, 0, 4 * PG, RW, ANON, NULL, 0, &a), 0);
	KT_EXPECT(nr_maps(v) == 1);
	KT_EXPECT(vmar_mbind(v, a + PG, a + 2 * PG, &bind, false, false) == 0);
	KT_EXPECT(nr_maps(v) == 3);
	KT_EXPECT(mode_at(v, a) == MPOL_DEFAULT && mode_at(v, a + PG) == MPOL_BIND &&
		  mode_at(v, a + 2 * PG) == MPOL_DEFAULT);
	/* The home node makes the policy differ: no merge with a plain BIND neighbour. */
	KT_EXPECT(vmar_mbind(v, a + 2 * PG, a + 3 * PG, &bind, false, false) == 0);
	KT_EXPECT(nr_maps(v) == 3);
	KT_EXPECT(vmar_set_home_node(v, a + 2 * PG, a + 3 * PG, 0) == 0);
	KT_EXPECT(nr_maps(v) == 4);
	KT_EXPECT(vmar_set_home_node(v, a, a + PG, 0) == -ENOENT);
	/* STRICT: a present page fails the call and leaves the policy alone. */
	KT_EXPECT(put_user_u64(a, 7) == 0);
	KT_EXPECT(vmar_mbind(v, a, a + PG, &bind, false, true) == -EIO);
	KT_EXPECT(mode_at(v, a) == MPOL_DEFAULT);
	KT_EXPECT(vmar_page_status(v, a) == 0);
	KT_EXPECT(vmar_page_status(v, a + PG) == -EFAULT);
	KT_EXPECT(vmar_page_status(v, a + 8 * PG) == -EFAULT);
	/* Back to no policy everywhere: one mapping again. */
	KT_EXPECT(vmar_mbind(v, a, a + 4 * PG, &none, true, false) == 0);
	KT_EXPECT(nr_maps(v) == 1);
	KT_EXPECT(vmar_mbind(v, a + 4 * PG, a + 5 * PG, &none, true, false) == -EFAULT);
	/* Reaping drops the private pages; the next touch is a fresh zero page. */
	vmar_reap(v);
	KT_EXPECT(vmar_page_status(v, a) == -EFAULT);
	KT_EXPECT(vmar_resident_size(v) == 0);
	use(NULL);
	vmar_put(v);
	KT_EXPECT(frames_free() == before);
}
