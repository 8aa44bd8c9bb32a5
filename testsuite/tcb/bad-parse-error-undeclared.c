/* SPDX-License-Identifier: MPL-2.0 */
/* expect: parse-error */
/* Undeclared names are errors too, even in otherwise fine code. */
int uses_missing(void);
int uses_missing(void)
{
	return missing_variable * 2;
}
