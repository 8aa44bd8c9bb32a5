/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-placement-attr */
/* A constructor runs before frame has set anything up. */
static int ready;

static void __attribute__((constructor)) early(void)
{
	ready = 1;
}

int is_ready(void);
int is_ready(void)
{
	return ready;
}
