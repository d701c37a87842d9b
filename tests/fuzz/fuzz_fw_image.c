/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the firmware image parser: the bytes are parsed under every
 * generation; an accepted image must satisfy the parser's promises.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "driver/fw_image.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const struct npu_fw_image *img, const uint8_t *data, size_t size,
			   enum npu_gen gen)
{
	uint64_t start, len;

	/* The image lies inside the input, right after the two header pages. */
	if (img->image != data + NPU_FW_FILE_IMAGE_OFFSET || img->image_len != img->image_size ||
	    img->image_len > size - NPU_FW_FILE_IMAGE_OFFSET)
		__builtin_trap();
	/* The entry point is an address inside the image. */
	if (img->entry_point < img->image_load_address ||
	    img->entry_point - img->image_load_address >= img->image_len)
		__builtin_trap();
	if (img->header_version != NPU_FW_HEADER_VERSION || img->runtime_size < size)
		__builtin_trap();
	if (drv_fw_api_major(img->api_version[NPU_FW_API_IDX_BOOT]) < NPU_FW_BOOT_API_MAJOR_MIN ||
	    drv_fw_api_major(img->api_version[NPU_FW_API_IDX_JSM]) < NPU_FW_JSM_API_MAJOR_MIN)
		__builtin_trap();
	/* With a generation, the image also lies in its fixed runtime range. */
	if (drv_fw_runtime_range(gen, &start, &len) == 0 &&
	    (img->image_load_address < start ||
	     img->image_load_address + img->image_len > start + len))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum npu_gen gens[] = { NPU_GEN_UNKNOWN, NPU_GEN_37XX, NPU_GEN_40XX,
					     NPU_GEN_50XX, NPU_GEN_60XX };
	static struct npu_fw_image img; /* 4 KiB of version text */
	static int quiet;
	struct npu_fw_error err;

	if (!quiet) {
		/* Newer API majors only warn; keep the fuzzer's output readable. */
		struct npu_log_filter f = { .level = NPU_LOG_ERROR, .base_level = NPU_LOG_ERROR };

		npu_log_set_filter(&f);
		quiet = 1;
	}
	for (size_t g = 0; g < sizeof(gens) / sizeof(gens[0]); g++) {
		int rc = drv_fw_image_parse(data, size, gens[g], &img, &err);

		if (memchr(img.version, '\0', sizeof(img.version)) == NULL ||
		    memchr(img.vpu_version, '\0', sizeof(img.vpu_version)) == NULL ||
		    memchr(err.msg, '\0', sizeof(err.msg)) == NULL)
			__builtin_trap();
		if (rc == 0) {
			check_accepted(&img, data, size, gens[g]);
		} else if (err.rule <= NPU_FW_RULE_NONE || err.rule >= NPU_FW_RULE_COUNT ||
			   err.msg[0] == '\0' || img.image != NULL) {
			__builtin_trap();
		}
	}
	return 0;
}
