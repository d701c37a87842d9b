/* SPDX-License-Identifier: MIT */
/*
 * Synthetic firmware images: a header with the layout of the real image of a
 * generation (docs/hardware.md §4.4), a version page and a small patterned image.
 */
#include "sim/fw_synth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/fw_header.h"
#include "util/bytes.h"

/* The per-generation values; addresses are those of Intel's images (§4.4). */
struct synth_layout {
	uint64_t runtime_base; /* boot params; version page and image follow */
	uint32_t entry_offset; /* from the image start */
	uint32_t shave_nn_fw_size;
	uint32_t preemption_buffer_1_size;
	uint32_t preemption_buffer_2_size;
	uint32_t ro_offset; /* from the image start; 0 with ro_size 0: none */
	uint32_t ro_size;
	uint32_t nnrt_version;
};

static const struct synth_layout layout_37xx = {
	.runtime_base = NPU_VA_37XX_RUNTIME_START,
	.entry_offset = NPU_FW_SYNTH_ENTRY_OFF_37XX,
	.shave_nn_fw_size = 0x17C0,
	.preemption_buffer_1_size = 0xD800,
	.preemption_buffer_2_size = 0x7FE000,
	.nnrt_version = 0x00070000, /* 7.0 */
};

static const struct synth_layout layout_40xx = {
	.runtime_base = NPU_VA_40XX_RUNTIME_START,
	.entry_offset = NPU_FW_SYNTH_ENTRY_OFF_40XX,
	.preemption_buffer_1_size = 0xCC00,
	.preemption_buffer_2_size = 0x1200000,
	.ro_offset = 0x1000, /* 4 KiB aligned, like the real 40xx image */
	.ro_size = 0x2000,
	.nnrt_version = 0x000B0007, /* 11.7 */
};

#define API(major, minor) (((uint32_t)(major) << 16) | (uint32_t)(minor))

static void fill_header(uint8_t *h, const struct synth_layout *l, uint32_t version_size)
{
	uint64_t image_addr = l->runtime_base + NPU_FW_FILE_IMAGE_OFFSET;

	npu_put_le32(h + NPU_FW_OFF(header_version), NPU_FW_HEADER_VERSION);
	npu_put_le32(h + NPU_FW_OFF(image_format), 1);
	npu_put_le64(h + NPU_FW_OFF(image_load_address), image_addr);
	npu_put_le32(h + NPU_FW_OFF(image_size), NPU_FW_SYNTH_IMAGE_SIZE);
	npu_put_le64(h + NPU_FW_OFF(entry_point), image_addr + l->entry_offset);
	memcpy(h + NPU_FW_OFF(vpu_version), "0.0.0", sizeof("0.0.0"));
	npu_put_le32(h + NPU_FW_OFF(compression_type), 0);
	npu_put_le64(h + NPU_FW_OFF(firmware_version_load_address),
		     l->runtime_base + NPU_FW_VERSION_PAGE_OFFSET);
	npu_put_le32(h + NPU_FW_OFF(firmware_version_size), version_size);
	npu_put_le64(h + NPU_FW_OFF(boot_params_load_address), l->runtime_base);
	npu_put_le32(h + NPU_FW_OFF(api_version) + 4 * NPU_FW_API_IDX_BOOT, API(3, 28));
	npu_put_le32(h + NPU_FW_OFF(api_version) + 4 * NPU_FW_API_IDX_JOB_CMD, API(4, 9));
	npu_put_le32(h + NPU_FW_OFF(api_version) + 4 * NPU_FW_API_IDX_JSM, API(3, 29));
	npu_put_le32(h + NPU_FW_OFF(api_version) + 4 * NPU_FW_API_IDX_NNRT, l->nnrt_version);
	npu_put_le32(h + NPU_FW_OFF(runtime_size), (uint32_t)NPU_VA_37XX_RUNTIME_SIZE); /* 64 MiB */
	npu_put_le32(h + NPU_FW_OFF(shave_nn_fw_size), l->shave_nn_fw_size);
	npu_put_le32(h + NPU_FW_OFF(preemption_buffer_1_size), l->preemption_buffer_1_size);
	npu_put_le32(h + NPU_FW_OFF(preemption_buffer_2_size), l->preemption_buffer_2_size);
	if (l->ro_size) {
		npu_put_le64(h + NPU_FW_OFF(ro_section_start_address), image_addr + l->ro_offset);
		npu_put_le32(h + NPU_FW_OFF(ro_section_size), l->ro_size);
	}
}

static void fill_image(uint8_t *image, enum npu_gen gen)
{
	char tag[NPU_FW_SYNTH_TAG_LEN] = { 0 };

	snprintf(tag, sizeof(tag), "%s%s", NPU_FW_SYNTH_TAG, npu_gen_name(gen));
	memcpy(image, tag, sizeof(tag));
	for (uint32_t i = NPU_FW_SYNTH_TAG_LEN / 4; i < NPU_FW_SYNTH_IMAGE_SIZE / 4; i++)
		npu_put_le32(image + 4 * i, npu_fw_synth_word(i));
}

int npu_fw_synth_build(enum npu_gen gen, uint8_t **data, size_t *size)
{
	const struct synth_layout *l;
	char text[64];
	size_t total = NPU_FW_FILE_IMAGE_OFFSET + NPU_FW_SYNTH_IMAGE_SIZE;
	uint8_t *buf;
	int len;

	if (!data || !size)
		return -EINVAL;
	if (gen == NPU_GEN_37XX)
		l = &layout_37xx;
	else if (gen == NPU_GEN_40XX)
		l = &layout_40xx;
	else
		return -EINVAL;

	buf = calloc(1, total);
	if (!buf)
		return -ENOMEM;
	len = snprintf(text, sizeof(text), "npud synthetic firmware %s", npu_gen_name(gen));
	/* The size counts the NUL, as in the real 40xx image. */
	fill_header(buf, l, (uint32_t)len + 1);
	memcpy(buf + NPU_FW_VERSION_PAGE_OFFSET, text, (size_t)len + 1);
	fill_image(buf + NPU_FW_FILE_IMAGE_OFFSET, gen);
	*data = buf;
	*size = total;
	return 0;
}
