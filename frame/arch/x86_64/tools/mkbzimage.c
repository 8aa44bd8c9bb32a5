// SPDX-License-Identifier: MPL-2.0
// Host tool: join the real-mode setup (setup.bin) and the protected-mode
// kernel (kernel.bin) into a Linux boot protocol image, filling in the
// setup header fields that depend on their sizes.
//
// Usage: mkbzimage SETUP KERNEL INIT_SIZE OUTPUT
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <aster/unaligned.h>

#define SECTOR		512
#define MAX_SETUP_SECTS	64
#define OFF_SETUP_SECTS	0x1f1
#define OFF_SYSSIZE	0x1f4
#define OFF_BOOT_FLAG	0x1fe
#define OFF_HEADER	0x202
#define OFF_INIT_SIZE	0x260

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto fail;
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		goto fail;
	fclose(f);
	*len = (size_t)n;
	return buf;
fail:
	fprintf(stderr, "mkbzimage: %s: %s\n", path, strerror(errno ? errno : EIO));
	free(buf);
	if (f)
		fclose(f);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned char *setup, *kernel, *image;
	size_t setup_len, kernel_len, setup_size, image_len;
	unsigned long init_size;
	FILE *out;

	if (argc != 5) {
		fprintf(stderr, "usage: mkbzimage SETUP KERNEL INIT_SIZE OUTPUT\n");
		return 2;
	}
	setup = read_file(argv[1], &setup_len);
	kernel = read_file(argv[2], &kernel_len);
	if (!setup || !kernel)
		return 1;
	init_size = strtoul(argv[3], NULL, 0);
	if (setup_len < 0x270 || memcmp(setup + OFF_HEADER, "HdrS", 4) != 0) {
		fprintf(stderr, "mkbzimage: %s has no setup header\n", argv[1]);
		return 1;
	}
	/* The boot sector plus whole setup sectors (at least 4, as loaders assume). */
	setup_size = (setup_len + SECTOR - 1) / SECTOR * SECTOR;
	if (setup_size < 5 * SECTOR)
		setup_size = 5 * SECTOR;
	if (setup_size / SECTOR - 1 > MAX_SETUP_SECTS) {
		fprintf(stderr, "mkbzimage: setup too large\n");
		return 1;
	}
	image_len = setup_size + kernel_len;
	image = calloc(1, image_len);
	if (!image)
		return 1;
	memcpy(image, setup, setup_len);
	memcpy(image + setup_size, kernel, kernel_len);
	image[OFF_SETUP_SECTS] = (unsigned char)(setup_size / SECTOR - 1);
	put_unaligned_le32(image + OFF_SYSSIZE, (uint32_t)((kernel_len + 15) / 16));
	put_unaligned_le32(image + OFF_INIT_SIZE, (uint32_t)(init_size > kernel_len ? init_size : kernel_len));
	if (image[OFF_BOOT_FLAG] != 0x55 || image[OFF_BOOT_FLAG + 1] != 0xaa) {
		fprintf(stderr, "mkbzimage: boot flag missing\n");
		return 1;
	}
	out = fopen(argv[4], "wb");
	if (!out || fwrite(image, 1, image_len, out) != image_len || fclose(out)) {
		fprintf(stderr, "mkbzimage: %s: %s\n", argv[4], strerror(errno));
		return 1;
	}
	return 0;
}
