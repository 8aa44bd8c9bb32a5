/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* A documented escape: silences its rule on its own line or the next one. */
/* tcb-escape(no-volatile): a frame API for polled device flags (mmio_poll()) */
static volatile int flag;

int get_flag(void);
int get_flag(void)
{
	return flag; /* reading a volatile object needs no second escape */
}
