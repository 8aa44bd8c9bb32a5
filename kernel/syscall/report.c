// SPDX-License-Identifier: MPL-2.0
// Host program behind `make syscall-report`: prints every x86-64 syscall
// with its status in this kernel, from the same tables the kernel uses.
#include <stdio.h>
#include <string.h>

enum { IMPLEMENTED = 2, PARTIAL = 1 };

struct row {
	const char *name;
	int status;
	const char *missing;
};

static struct row rows[512];

int main(int argc, char **argv)
{
	int markdown = argc > 1 && strcmp(argv[1], "--markdown") == 0;
	int counts[3] = { 0, 0, 0 }, total = 0;
	static const char *const label[3] = { "ENOSYS", "partial", "implemented" };

#define SYSCALL_NAME(nr, sname) rows[nr].name = #sname;
#include "syscall_names.def"
#undef SYSCALL_NAME
	/* The row's arguments do not matter here. */
#define SYSCALL_ROW(nr, st, miss) rows[nr].status = st; rows[nr].missing = miss;
#define SYSCALL0(nr, sname, st, miss, ...) SYSCALL_ROW(nr, st, miss)
#define SYSCALL1(nr, sname, st, miss, ...) SYSCALL_ROW(nr, st, miss)
#define SYSCALL2(nr, sname, st, miss, ...) SYSCALL_ROW(nr, st, miss)
#define SYSCALL3(nr, sname, st, miss, ...) SYSCALL_ROW(nr, st, miss)
#define SYSCALL4(nr, sname, st, miss, ...) SYSCALL_ROW(nr, st, miss)
#define SYSCALL5(nr, sname, st, miss, ...) SYSCALL_ROW(nr, st, miss)
#define SYSCALL6(nr, sname, st, miss, ...) SYSCALL_ROW(nr, st, miss)
#include "table.def"

	if (markdown)
		printf("| nr | name | status | missing |\n| ---: | --- | --- | --- |\n");
	for (int nr = 0; nr < 512; nr++) {
		const struct row *r = &rows[nr];

		if (!r->name)
			continue;
		total++;
		counts[r->status]++;
		if (markdown)
			printf("| %d | %s | %s | %s |\n", nr, r->name, label[r->status],
			       r->missing ? r->missing : "");
		else
			printf("%3d %-24s %-11s %s\n", nr, r->name, label[r->status],
			       r->missing ? r->missing : "");
	}
	printf("%s%d syscalls: %d implemented, %d partial, %d ENOSYS\n", markdown ? "\n" : "",
	       total, counts[IMPLEMENTED], counts[PARTIAL], counts[0]);
	return 0;
}
