/* SPDX-License-Identifier: MIT */
/*
 * A test group's setup for the synthetic firmware image: an empty scratch
 * folder named by NPU_FIRMWARE_PATH, so that the driver and the simulated
 * NPU find no image and both use the synthetic one; removed at the group's
 * end. One per test program.
 */
#ifndef NPU_TEST_EMPTY_FW_DIR_H
#define NPU_TEST_EMPTY_FW_DIR_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char fw_dir[64];

static inline int group_setup(void **state)
{
	(void)state;
	snprintf(fw_dir, sizeof(fw_dir), "/tmp/npu-test-XXXXXX");
	if (!mkdtemp(fw_dir))
		return -1;
	return setenv("NPU_FIRMWARE_PATH", fw_dir, 1);
}

static inline int group_teardown(void **state)
{
	(void)state;
	return rmdir(fw_dir);
}

#endif
