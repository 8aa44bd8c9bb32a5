/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-vla */
/* Sneaky: the variable length hides in a local typedef. */
int first(int n);
int first(int n)
{
	typedef char line_t[n + 1];
	line_t line;
	line[0] = 'x';
	return line[0];
}
