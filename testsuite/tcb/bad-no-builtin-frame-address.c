/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-builtin */
/* Walking the stack by hand: frame owns backtraces. */
void *caller_frame(void);
void *caller_frame(void)
{
	return __builtin_frame_address(1);
}
