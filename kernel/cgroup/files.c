// SPDX-License-Identifier: MPL-2.0
// The control files of every cgroup directory, in Linux's formats: the
// core's cgroup.* files and the controllers'.  kernel/fs/cgroup/ shows the
// visible ones and calls show at read, write at each write(2).
#include <aster/errno.h>
#include <aster/string.h>
#include "process/pid.h"
#include "cgroup/cgroup.h"
#include "fs/cgroupfs.h"
#include "process/process.h"

void cgroup_text_add(struct cgroup_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len) {
		t->full = true;
		return;
	}
	t->len += (size_t)n;
}

bool cgroup_file_visible(const struct cgroup *cg, const struct cgroup_file *f)
{
	if ((f->flags & CFT_NOT_ON_ROOT) && !cg->parent)
		return false;
	if ((f->flags & CFT_ONLY_ON_ROOT) && cg->parent)
		return false;
	return !f->ctrl || (cgroup_controllers(cg) & f->ctrl);
}

static void show_mask(struct cgroup_text *t, uint32_t mask)
{
	const char *sep = "";

	for (size_t i = 0; i < CGROUP_NR_CTRL; i++)
		if (mask & (1u << i)) {
			cgroup_text_add(t, "%s%s", sep, cgroup_ctrl_names[i]);
			sep = " ";
		}
	cgroup_text_add(t, "\n");
}

static int show_controllers(struct cgroup *cg, struct cgroup_text *t)
{
	mutex_lock(&cgroup_mutex);
	show_mask(t, cgroup_controllers(cg));
	mutex_unlock(&cgroup_mutex);
	return 0;
}

static int show_subtree_control(struct cgroup *cg, struct cgroup_text *t)
{
	mutex_lock(&cgroup_mutex);
	show_mask(t, cg->subtree_control);
	mutex_unlock(&cgroup_mutex);
	return 0;
}

/* "+pids -pids ...": Linux's parse, the last word on a controller wins. */
static int parse_ctrl_words(char *s, uint32_t *enable, uint32_t *disable)
{
	char *w = s;

	*enable = *disable = 0;
	while (*w) {
		char *end = w;
		size_t i;
		bool found = false;

		while (*end && *end != ' ' && *end != '\t' && *end != '\n')
			end++;
		if (*end)
			*end++ = 0;
		if (*w) {
			if (*w != '+' && *w != '-')
				return -EINVAL;
			for (i = 0; i < CGROUP_NR_CTRL && !found; i++)
				found = !strcmp(w + 1, cgroup_ctrl_names[i]);
			if (!found)
				return -EINVAL;
			if (*w == '+') {
				*enable |= 1u << (i - 1);
				*disable &= ~(1u << (i - 1));
			} else {
				*disable |= 1u << (i - 1);
				*enable &= ~(1u << (i - 1));
			}
		}
		w = end;
	}
	return 0;
}

/* Linux's cgroup_vet_subtree_control_enable: the no-internal-process rule. */
static int vet_enable(struct cgroup *cg, uint32_t enable)
{
	if (!enable || !cg->parent)
		return 0;
	/* Only threaded controllers (pids): fine while cg can be a thread root. */
	if (!(enable & ~CGROUP_CTRL_THREADED) && !(cg->subtree_control & ~CGROUP_CTRL_THREADED)) {
		struct cgroup *c;
		bool populated_child = false;

		list_for_each_entry(c, &cg->children, sibling)
			populated_child = populated_child || cgroup_populated(c);
		if (!populated_child)
			return 0;
	}
	return cgroup_has_procs(cg) ? -EBUSY : 0;
}

static int subtree_control_locked(struct cgroup *cg, uint32_t enable, uint32_t disable,
				  uint32_t *gone)
{
	struct cgroup *c;
	int err;

	if (cg->dead)
		return -ENODEV;
	if (enable & ~cgroup_controllers(cg))
		return -ENOENT;
	enable &= ~cg->subtree_control;
	disable &= cg->subtree_control;
	/* A controller a child passes on cannot go (Linux: EBUSY). */
	list_for_each_entry(c, &cg->children, sibling)
		if (c->subtree_control & disable)
			return -EBUSY;
	err = vet_enable(cg, enable);
	if (err)
		return err;
	cg->subtree_control = (cg->subtree_control | enable) & ~disable;
	if (disable & CGROUP_CTRL_PIDS)
		list_for_each_entry(c, &cg->children, sibling)
			cgroup_pids_reset(c);
	*gone = disable;
	return 0;
}

static int write_subtree_control(struct cgroup *cg, char *s)
{
	uint32_t enable, disable, gone = 0;
	int err = parse_ctrl_words(s, &enable, &disable);

	if (err)
		return err;
	mutex_lock(&cgroup_mutex);
	err = subtree_control_locked(cg, enable, disable, &gone);
	mutex_unlock(&cgroup_mutex);
	/* After cgroup_mutex: the file system takes vfs_ns_lock before it. */
	if (gone)
		cgroupfs_ctrl_disabled(cg, gone);
	return err;
}

struct list_scan {
	struct cgroup *cg;
	struct cgroup_text *t;
	bool threads;
	struct pid_namespace *ns;	/* the reader's: numbers as it sees them, none it cannot see */
};

/* Under process_table_lock (process_for_each): pids or tids of cg's live processes. */
static int list_one(struct process *p, void *arg)
{
	struct list_scan *s = arg;
	struct thread *t;

	if (p->state != PROCESS_ALIVE || (p->cgroup ? p->cgroup : &cgroup_root) != s->cg)
		return 0;
	if (!pid_nr_of(p->kpid, s->ns))
		return 0;
	if (!s->threads) {
		cgroup_text_add(s->t, "%d\n", pid_nr_of(p->kpid, s->ns));
		return 0;
	}
	list_for_each_entry(t, &p->threads, proc_node)
		cgroup_text_add(s->t, "%d\n", pid_nr_of(t->kpid, s->ns));
	return 0;
}

static int show_procs(struct cgroup *cg, struct cgroup_text *t)
{
	struct list_scan s = { cg, t, false, current_pid_ns() };

	(void)process_for_each(list_one, &s);
	return 0;
}

static int show_threads(struct cgroup *cg, struct cgroup_text *t)
{
	struct list_scan s = { cg, t, true, current_pid_ns() };

	(void)process_for_each(list_one, &s);
	return 0;
}

/* Linux's cgroup_procs_write_permission and cgroup_attach_permissions (cgroup_mutex held). */
static int attach_permissions(struct cgroup *src, struct cgroup *dst, bool threadgroup)
{
	int err = cgroupfs_may_write(cgroup_common_ancestor(src, dst));

	if (!err)
		err = cgroup_vet_dst(dst);
	/* No threaded cgroups: a thread cannot leave its process's cgroup. */
	if (!err && !threadgroup && src != dst)
		err = -EOPNOTSUPP;
	return err;
}

/* The process (threads false) or thread a cgroup.procs/threads write names: a reference. */
static int write_target(char *s, bool threads, struct process **out)
{
	int64_t id;

	if (parse_i64(s, &id) || id < 0 || id > 0x7fffffff)
		return -EINVAL;
	if (id == 0) {
		*out = current_process();
		process_get(*out);
		return 0;
	}
	if (threads) {
		struct thread *t = thread_find((pid_t)id);

		if (!t)
			return -ESRCH;
		*out = t->proc;		/* thread_find's reference on it */
		return 0;
	}
	*out = process_find((pid_t)id);
	return *out ? 0 : -ESRCH;
}

static int attach_write(struct cgroup *dst, char *s, bool threads)
{
	struct process *p;
	struct cgroup *src;
	int err = write_target(s, threads, &p);

	if (err)
		return err;
	mutex_lock(&cgroup_mutex);
	src = cgroup_of(p);
	if (dst->dead)
		err = -ENODEV;
	else if (p->state != PROCESS_ALIVE)
		err = -ESRCH;
	else
		err = attach_permissions(src, dst, !threads);
	if (!err)
		cgroup_migrate(p, dst);
	mutex_unlock(&cgroup_mutex);
	cgroup_put(src);
	process_put(p);
	return err;
}

static int write_procs(struct cgroup *cg, char *s)
{
	return attach_write(cg, s, false);
}

static int write_threads(struct cgroup *cg, char *s)
{
	return attach_write(cg, s, true);
}

static int show_events(struct cgroup *cg, struct cgroup_text *t)
{
	/* No freezer: never frozen. */
	cgroup_text_add(t, "populated %d\nfrozen 0\n", cgroup_populated(cg) ? 1 : 0);
	return 0;
}

static int show_type(struct cgroup *cg, struct cgroup_text *t)
{
	(void)cg;
	cgroup_text_add(t, "domain\n");
	return 0;
}

/* Linux's cgroup_type_write takes only "threaded"; threaded cgroups are not built here. */
static int write_type(struct cgroup *cg, char *s)
{
	(void)cg;
	return strcmp(s, "threaded") ? -EINVAL : -EOPNOTSUPP;
}

static void show_limit(struct cgroup_text *t, int v)
{
	if (v >= CGROUP_LIMIT_MAX)
		cgroup_text_add(t, "max\n");
	else
		cgroup_text_add(t, "%d\n", v);
}

/* "max" or a number, as Linux's cgroup_max_descendants_write: kstrtoint's EINVAL, ERANGE below 0. */
static int parse_limit(const char *s, int *out)
{
	int64_t v;
	int err;

	if (!strcmp(s, "max")) {
		*out = CGROUP_LIMIT_MAX;
		return 0;
	}
	err = parse_i64(s, &v);
	if (err)
		return err;
	if (v < 0 || v > CGROUP_LIMIT_MAX)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

static int show_max_descendants(struct cgroup *cg, struct cgroup_text *t)
{
	show_limit(t, cg->max_descendants);
	return 0;
}

static int show_max_depth(struct cgroup *cg, struct cgroup_text *t)
{
	show_limit(t, cg->max_depth);
	return 0;
}

static int write_max_descendants(struct cgroup *cg, char *s)
{
	int v, err = parse_limit(s, &v);

	if (err)
		return err;
	mutex_lock(&cgroup_mutex);
	cg->max_descendants = v;
	mutex_unlock(&cgroup_mutex);
	return 0;
}

static int write_max_depth(struct cgroup *cg, char *s)
{
	int v, err = parse_limit(s, &v);

	if (err)
		return err;
	mutex_lock(&cgroup_mutex);
	cg->max_depth = v;
	mutex_unlock(&cgroup_mutex);
	return 0;
}

static int show_stat(struct cgroup *cg, struct cgroup_text *t)
{
	/* rmdir frees a cgroup at once here: none is ever dying. */
	mutex_lock(&cgroup_mutex);
	cgroup_text_add(t, "nr_descendants %d\nnr_dying_descendants 0\n", cg->nr_descendants);
	mutex_unlock(&cgroup_mutex);
	return 0;
}

const struct cgroup_file cgroup_files[] = {
	{ "cgroup.controllers", 0444, 0, 0, show_controllers, NULL },
	{ "cgroup.events", 0444, CFT_NOT_ON_ROOT, 0, show_events, NULL },
	{ "cgroup.max.depth", 0644, 0, 0, show_max_depth, write_max_depth },
	{ "cgroup.max.descendants", 0644, 0, 0, show_max_descendants, write_max_descendants },
	{ "cgroup.procs", 0644, CFT_PROCS, 0, show_procs, write_procs },
	{ "cgroup.stat", 0444, 0, 0, show_stat, NULL },
	{ "cgroup.subtree_control", 0644, 0, 0, show_subtree_control, write_subtree_control },
	{ "cgroup.threads", 0644, CFT_THREADS, 0, show_threads, write_threads },
	{ "cgroup.type", 0644, CFT_NOT_ON_ROOT, 0, show_type, write_type },
	{ "pids.current", 0444, CFT_NOT_ON_ROOT, CGROUP_CTRL_PIDS, cgroup_pids_show_current, NULL },
	{ "pids.events", 0444, CFT_NOT_ON_ROOT, CGROUP_CTRL_PIDS, cgroup_pids_show_events, NULL },
	{ "pids.max", 0644, CFT_NOT_ON_ROOT, CGROUP_CTRL_PIDS, cgroup_pids_show_max, cgroup_pids_write_max },
};
const size_t cgroup_nr_files = ARRAY_SIZE(cgroup_files);
