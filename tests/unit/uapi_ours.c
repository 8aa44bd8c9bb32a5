// SPDX-License-Identifier: MPL-2.0
// test_uapi's view of kernel/uapi/: every constant it defines (the list is
// generated from the headers) and the layouts of uapi_structs.def.
#include <aster/types.h>
#include "uapi_all.h"
#include "uapi_test.h"

size_t uapi_ours_consts(struct uapi_val *out)
{
	size_t n = 0;

#define UAPI_CONST(name) UAPI_PUT(#name, (unsigned long long)(name));
#include "uapi_names.inc"
#undef UAPI_CONST
	return n;
}

size_t uapi_ours_layouts(struct uapi_val *out)
{
	size_t n = 0;

#define STRUCT(ours, host) UAPI_PUT(#ours, sizeof(struct ours));
#define FIELD(ours, of, host, hf)							\
	UAPI_PUT(#ours "." #of, offsetof(struct ours, of));	\
	UAPI_PUT(#ours "." #of " size", sizeof(((struct ours *)0)->of));
#define AT(key, ours, host) UAPI_PUT(key, (ours));
#include "uapi_structs.def"
	return n;
}

size_t uapi_ours_structs(struct uapi_val *out)
{
	size_t n = 0;

#define UAPI_STRUCT_NAME(tag) UAPI_PUT(#tag, sizeof(struct tag));
#include "uapi_struct_names.inc"
#undef UAPI_STRUCT_NAME
	return n;
}
