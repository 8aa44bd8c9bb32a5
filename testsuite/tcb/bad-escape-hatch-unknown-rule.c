/* SPDX-License-Identifier: MPL-2.0 */
/* expect: escape-hatch */
/* Misspelled rule names do not silence anything. */
/* tcb-escape(no-volatiles): atomic_read() */
static volatile int flag;

int get_flag(void);
int get_flag(void)
{
	return flag;
}
