/* SPDX-License-Identifier: MIT */
#include "test_env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"

/* Larger than any firmware image or test file (util/file.h refuses what is larger). */
#define NPU_TEST_FILE_MAX ((size_t)1 << 30)

int npu_test_read_file(const char *path, uint8_t **data, size_t *size)
{
	return npu_read_file(path, NPU_TEST_FILE_MAX, data, size);
}

const char *npu_test_firmware_dir(void)
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
		npu_test_firmware_required() ? "FAIL" : "SKIP", npu_test_firmware_dir(), name);
}

int npu_test_read_firmware(const char *name, uint8_t **data, size_t *size)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", npu_test_firmware_dir(), name);
	return npu_test_read_file(path, data, size);
}

const char *npu_test_data_dir(void)
{
	const char *d = getenv("NPU_TEST_DATA_DIR");

	return (d && *d) ? d : "tests/data";
}
