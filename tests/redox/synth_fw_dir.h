/* SPDX-License-Identifier: MIT */
/*
 * The Redox tests' group setup: a scratch folder holding the synthetic 37xx
 * firmware image, named by NPU_FIRMWARE_PATH, removed at the group's end.
 * One per test program. Include after <cmocka.h>.
 */
#ifndef NPU_TEST_SYNTH_FW_DIR_H
#define NPU_TEST_SYNTH_FW_DIR_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hw/gen.h"
#include "sim/fw_synth.h"

static char fw_dir[64], fw_file[128];

static inline int group_setup(void **state)
{
	uint8_t *img;
	size_t size;
	FILE *f;

	(void)state;
	snprintf(fw_dir, sizeof(fw_dir), "/tmp/npu-redox-XXXXXX");
	if (!mkdtemp(fw_dir) || npu_fw_synth_build(NPU_GEN_37XX, &img, &size))
		return -1;
	snprintf(fw_file, sizeof(fw_file), "%s/vpu_37xx_v1.bin", fw_dir);
	f = fopen(fw_file, "wb");
	if (!f || fwrite(img, 1, size, f) != size || fclose(f))
		return -1;
	free(img);
	return setenv("NPU_FIRMWARE_PATH", fw_dir, 1);
}

static inline int group_teardown(void **state)
{
	(void)state;
	unlink(fw_file);
	return rmdir(fw_dir);
}

#endif
