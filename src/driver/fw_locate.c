/* SPDX-License-Identifier: MIT */
#include "driver/fw_locate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int copy_path(char *out, size_t out_len, const char *path)
{
	size_t n = strlen(path);

	if (n >= out_len)
		return -ENAMETOOLONG;
	memcpy(out, path, n + 1);
	return 0;
}

int drv_fw_locate(enum npu_gen gen, const char *explicit_path, char *out, size_t out_len)
{
	static const char *const suffixes[] = { "_v1.bin", "_v0.0.bin" };
	const char *dir = getenv("NPU_FIRMWARE_PATH");

	if (explicit_path && *explicit_path)
		return copy_path(out, out_len, explicit_path);
	if (!npu_gen_supported(gen))
		return -EINVAL;
	if (!dir || !*dir)
		dir = NPU_FW_SYSTEM_DIR;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		int n = snprintf(out, out_len, "%s/vpu_%s%s", dir, npu_gen_name(gen), suffixes[i]);

		if (n < 0 || (size_t)n >= out_len)
			return -ENAMETOOLONG;
		if (access(out, R_OK) == 0)
			return 0;
	}
	return -ENOENT;
}
