/* SPDX-License-Identifier: MPL-2.0 */
/* expect: parse-error */
/* A file the checker cannot read must not pass. */
int broken(void)
{
	return 1 +;
}
