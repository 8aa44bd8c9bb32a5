/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-placement-attr */
/* Putting data into a linker-collected section by hand. */
static const char *const tag __attribute__((section(".boot_params"), used)) = "evil";
