/* SPDX-License-Identifier: MIT */
/* Helpers shared by the tests: finding Intel's firmware images and test data. */
#ifndef NPU_TEST_ENV_H
#define NPU_TEST_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Reads Intel's firmware image `name` (e.g. "vpu_37xx_v1.bin") from
 * $NPU_TEST_FIRMWARE_DIR (default /lib/firmware/intel/vpu) into a malloc'd
 * buffer. Returns 0, or -ENOENT when it is not installed: then the caller
 * skips, after npu_test_firmware_missing() has said how to get it. With
 * NPU_REQUIRE_FIRMWARE=1 a missing image is reported as a failure instead
 * (npu_test_firmware_required() tells which).
 */
int npu_test_read_firmware(const char *name, uint8_t **data, size_t *size);
/* The folder those images are read from. */
const char *npu_test_firmware_dir(void);
void npu_test_firmware_missing(const char *name);
bool npu_test_firmware_required(void);

/* Reads a whole file into a malloc'd buffer. Returns 0 or a negative errno. */
int npu_test_read_file(const char *path, uint8_t **data, size_t *size);

/* $NPU_TEST_DATA_DIR (tests/data in the source tree). */
const char *npu_test_data_dir(void);

#endif
