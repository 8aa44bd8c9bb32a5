/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-placement-attr */
/*
 * Opting a pointer out of the run-time checks' zeroing: a read before the
 * store would use whatever the stack held.  Only frame's NOINIT_BYTES may
 * declare an unzeroed buffer, and only of bytes.
 */
struct node {
	struct node *next;
};

int walk(int go);
int walk(int go)
{
	struct node *p __attribute__((uninitialized));

	if (go)
		p = 0;
	return p != 0;
}
