/* SPDX-License-Identifier: MIT */
/*
 * Synthetic firmware images in Intel's file format (docs/hardware.md §4.2), for the
 * simulated NPU when no real image is installed, and for tests and fuzz seeds.
 *
 * The layout copies the addresses of the real image of the generation (§4.4):
 * boot params at the start of the runtime range, the version page one page
 * later, the image from range start + 8 KiB. The image is small and holds a
 * deterministic pattern the device model can recognise:
 *   - image bytes [0, 16): NPU_FW_SYNTH_TAG followed by the generation name
 *     ("npud-synth-fw" "37xx" or "40xx"), NUL-padded;
 *   - every following 32-bit little-endian word i (counted from the image
 *     start) is npu_fw_synth_word(i).
 */
#ifndef NPU_SIM_FW_SYNTH_H
#define NPU_SIM_FW_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "hw/gen.h"

#define NPU_FW_SYNTH_TAG	    "npud-synth-"
#define NPU_FW_SYNTH_TAG_LEN	    16u	    /* bytes at the image start holding the tag */
#define NPU_FW_SYNTH_IMAGE_SIZE	    0x4000u /* 16 KiB */
#define NPU_FW_SYNTH_ENTRY_OFF_37XX 0x1000u /* like the real 37xx image: 4 KiB aligned */
#define NPU_FW_SYNTH_ENTRY_OFF_40XX 0xEu    /* like the real 40xx image: 2-byte aligned */

/* The pattern word at 32-bit word index i of the image (i >= NPU_FW_SYNTH_TAG_LEN / 4). */
static inline uint32_t npu_fw_synth_word(uint32_t i)
{
	return 0x4E505544u ^ (i * 0x9E3779B1u); /* "NPUD" mixed with a golden-ratio step */
}

/*
 * Builds a valid synthetic firmware file for gen (NPU_GEN_37XX or
 * NPU_GEN_40XX) with BOOT API 3.28 and JSM API 3.29, runtime_size 64 MiB and a
 * version text "npud synthetic firmware <gen>". It passes drv_fw_image_parse
 * under NPU_GEN_UNKNOWN and under gen. On success *data is a malloc'd buffer
 * of *size bytes that the caller frees. Returns 0, -EINVAL for another
 * generation or NULL pointers, -ENOMEM.
 */
int npu_fw_synth_build(enum npu_gen gen, uint8_t **data, size_t *size);

#endif
