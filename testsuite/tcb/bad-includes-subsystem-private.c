/* SPDX-License-Identifier: MPL-2.0 */
/* expect: includes */
/* The VFS's own header is private to kernel/fs/: others use fs/file.h. */
#include "fs/vfs.h"

int nothing(void);
int nothing(void)
{
	return 0;
}
