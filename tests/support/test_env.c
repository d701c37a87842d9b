/* SPDX-License-Identifier: MIT */
#include "test_env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int npu_test_read_file(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -EIO;
	}
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	if (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*data = buf;
	*size = (size_t)len;
	return 0;
}

static const char *firmware_dir(void)
{
	const char *d = getenv("NPU_TEST_FIRMWARE_DIR");

	return (d && *d) ? d : "/lib/firmware/intel/vpu";
}

bool npu_test_firmware_required(void)
{
	const char *r = getenv("NPU_REQUIRE_FIRMWARE");

	return r && strcmp(r, "1") == 0;
}

void npu_test_firmware_missing(const char *name)
{
	fprintf(stderr,
		"%s: Intel's firmware image %s/%s is not installed. It comes with Debian's "
		"firmware-intel-misc package (bookworm-backports, non-free-firmware); "
		"'make deps' as root installs it, or set NPU_TEST_FIRMWARE_DIR.\n",
		npu_test_firmware_required() ? "FAIL" : "SKIP", firmware_dir(), name);
}

int npu_test_read_firmware(const char *name, uint8_t **data, size_t *size)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", firmware_dir(), name);
	return npu_test_read_file(path, data, size);
}

const char *npu_test_data_dir(void)
{
	const char *d = getenv("NPU_TEST_DATA_DIR");

	return (d && *d) ? d : "tests/data";
}
